"""Dataset shapes unlike the demo, as users upload them (every page is tested on each).

Each shape is a Dutch ``;`` CSV of invoice lines (or one row per customer per year) and
perhaps a customer file, made by hand from a seeded generator so that every test run
sees the same files. The shapes are what the demo never is: no cost price, no invoice
numbers, no customer file, one calendar year, a previous period half covered, credit
notes that make customers negative, one customer, 20,000 customers, names that are
markup or formulas, only revenue per customer per year; and two exports as real
packages write them: e-Boekhouden's tab-separated ``.csv`` with preamble lines, and a
SnelStart ``.xlsx`` with title rows and a total above the table.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import openpyxl

NAMES = [
    "Bakkerij Öztürk",
    "Café ‘t Hoekje",
    "Zuivel & Co",
    "Slagerij Dekker",
    "Groothandel Janssen",
    "Brasserie Élise",
    "Hotel De Zon",
    "Kantine Noord",
]
HOSTILE_NAMES = [
    "<b>Vet</b> BV",
    "=1+1",
    "☕ Koffiebar 🍩",
    "Crème Brûlée Ça Va",
    "[x](https://example.org)",
    "@SUM(A1)",
    "Ÿsbrand & Zoën",
]


@dataclass(frozen=True)
class Shape:
    name: str
    lines: str  # the CSV text (empty for an xlsx shape)
    customers: str | None = None
    xlsx: tuple[tuple, ...] | None = None  # the sheet's rows, when the export is an xlsx


def _money(value: float) -> str:
    """Dutch: thousands dots, decimal comma, minus in front."""
    text = f"{abs(value):,.2f}".replace(",", "#").replace(".", ",").replace("#", ".")
    return ("-" if value < 0 else "") + text


def _day(d: date) -> str:
    return d.strftime("%d-%m-%Y")


def _lines(
    rng: random.Random,
    customers: int,
    first: date,
    last: date,
    *,
    cost: bool = True,
    invoices: bool = True,
    names: list[str] | None = None,
    per_customer: int = 6,
    credit: float = 0.0,
) -> str:
    header = ["Debiteurnummer", "Klantnaam"]
    header += ["Factuurnummer"] if invoices else []
    header += ["Factuurdatum", "Bedrag excl. btw"] + (["Kostprijs"] if cost else [])
    rows = [";".join(header)]
    span = (last - first).days
    number = 0
    for c in range(customers):
        name = (names or NAMES)[c % len(names or NAMES)] + ("" if names else f" {c}")
        for _ in range(per_customer):
            number += 1
            day = first + timedelta(days=rng.randint(0, span))
            amount = round(rng.uniform(50, 5000), 2)
            if rng.random() < credit:
                amount = -amount * 3  # a credit note larger than what was bought
            row = [str(10000 + c), name]
            row += [f"F{number:07d}"] if invoices else []
            row += [_day(day), _money(amount)]
            row += [_money(round(amount * rng.uniform(0.55, 0.9), 2))] if cost else []
            rows.append(";".join(row))
    return "\r\n".join(rows) + "\r\n"


def _customer_file(customers: int) -> str:
    rows = ["Debiteurnummer;Uren;Uurtarief;Betalingstermijn (dagen)"]
    rows += [f"{10000 + c};{5 + c % 40},5;75;30" for c in range(customers)]
    return "\r\n".join(rows) + "\r\n"


def _wide(rng: random.Random, customers: int) -> str:
    rows = ["Klantnummer;Klantnaam;Omzet 2023;Omzet 2024;Omzet 2025"]
    for c in range(customers):
        values = [
            _money(round(rng.uniform(0, 90_000), 2)) if rng.random() > 0.15 else ""
            for _ in range(3)
        ]
        rows.append(";".join([str(20000 + c), f"{NAMES[c % len(NAMES)]} {c}", *values]))
    return "\r\n".join(rows) + "\r\n"


def _eboekhouden(rng: random.Random, customers: int) -> str:
    """e-Boekhouden: tab-separated though named .csv, preamble lines, the customer by name
    only, amounts excl. and incl. VAT, credit notes negative; no cost price."""
    rows = [
        "Facturen",
        "Periode: 01-01-2024 t/m 31-12-2025",
        "",
        "Datum\tNummer\tRelatie\tBedrag (Excl)\tBedrag (Incl)\tFactuurtekst",
    ]
    for n in range(customers * 5):
        day = date(2024, 1, 1) + timedelta(days=rng.randint(0, 730))
        amount = round(rng.uniform(80, 3000), 2) * (-1 if rng.random() < 0.05 else 1)
        name = f"{NAMES[n % len(NAMES)]} {n % customers}"
        rows.append(
            "\t".join(
                [
                    _day(day),
                    f"{2024000 + n}",
                    name,
                    _money(amount),
                    _money(round(amount * 1.21, 2)),
                    "Levering",
                ]
            )
        )
    return "\r\n".join(rows) + "\r\n"


def _snelstart_rows(rng: random.Random, customers: int) -> tuple[tuple, ...]:
    """SnelStart: an xlsx with the header on row 6, a SUM above the table, ``&amp;`` in
    names, amounts excl. and incl. VAT as numbers, dates as dates."""
    body = []
    for n in range(customers * 4):
        day = date(2025, 1, 1) + timedelta(days=rng.randint(0, 364))
        amount = round(rng.uniform(100, 4000), 2)
        c = n % customers
        body.append(
            (
                f"2025{n:05d}",
                day,
                "Definitief",
                f"Zuivel &amp; Co {c}",
                30000 + c,
                amount,
                round(amount * 1.21, 2),
            )
        )
    header = (
        "Factuurnummer",
        "Datum",
        "Status",
        "Client",
        "Klantnummer",
        "Bedrag exclusief BTW",
        "Bedrag inclusief BTW",
    )
    total = round(sum(r[5] for r in body), 2)
    return (
        ("Alle facturen per periode",),
        ("Periode: 2025",),
        (),
        ("Totaal", total),
        (),
        header,
        *body,
    )


def _example(name: str) -> str:
    return (Path(__file__).parent / "fixtures" / "examples" / name).read_text(encoding="cp1252")


def _shapes() -> dict[str, Callable[[random.Random], Shape]]:
    three_years = (date(2023, 1, 1), date(2025, 12, 31))
    return {
        "no_cost": lambda r: Shape(
            "no_cost", _lines(r, 60, *three_years, cost=False), _customer_file(60)
        ),
        "no_invoice_numbers": lambda r: Shape(
            "no_invoice_numbers", _lines(r, 60, *three_years, invoices=False), _customer_file(60)
        ),
        "no_customer_file": lambda r: Shape("no_customer_file", _lines(r, 60, *three_years)),
        "one_year": lambda r: Shape(
            "one_year", _lines(r, 50, date(2024, 1, 1), date(2024, 12, 31)), _customer_file(50)
        ),
        "half_previous": lambda r: Shape(
            "half_previous", _lines(r, 50, date(2024, 7, 1), date(2025, 12, 31))
        ),
        "credit_notes": lambda r: Shape(
            "credit_notes", _lines(r, 40, *three_years, credit=0.25), _customer_file(40)
        ),
        "one_customer": lambda r: Shape(
            "one_customer", _lines(r, 1, *three_years, per_customer=30), _customer_file(1)
        ),
        "hostile_names": lambda r: Shape(
            "hostile_names",
            _lines(r, len(HOSTILE_NAMES), *three_years, names=HOSTILE_NAMES),
            _customer_file(len(HOSTILE_NAMES)),
        ),
        "wide": lambda r: Shape("wide", _wide(r, 80)),
        # as a real 69,659-line export: no cost price, no invoice numbers
        "many_customers": lambda r: Shape(
            "many_customers",
            _lines(
                r,
                20_000,
                date(2024, 1, 1),
                date(2025, 12, 31),
                per_customer=3,
                cost=False,
                invoices=False,
            ),
        ),
        "eboekhouden": lambda r: Shape("eboekhouden", _eboekhouden(r, 45)),
        "snelstart_xlsx": lambda r: Shape("snelstart_xlsx", "", xlsx=_snelstart_rows(r, 35)),
        # the shared example export whose figures are computed independently
        "shared_example": lambda r: Shape(
            "shared_example", _example("verkoopregels.csv"), _example("klanten.csv")
        ),
    }


SHAPES = tuple(_shapes())


def make_shape(name: str, seed: int = 14) -> Shape:
    return _shapes()[name](random.Random(seed))


def write_shape(shape: Shape, folder: Path) -> tuple[Path, Path | None]:
    """The shape's files in ``folder`` (UTF-8 with BOM, as Excel saves a CSV)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = folder / f"{shape.name}.{'xlsx' if shape.xlsx else 'csv'}"
    if shape.xlsx:
        book = openpyxl.Workbook()
        for row in shape.xlsx:
            book.active.append(list(row))
        book.save(lines)
    else:
        lines.write_text(shape.lines, encoding="utf-8-sig")
    customers = None
    if shape.customers:
        customers = folder / f"{shape.name}_klanten.csv"
        customers.write_text(shape.customers, encoding="utf-8-sig")
    return lines, customers
