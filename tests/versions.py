"""Two exports of the same firm a month apart, made by hand so that every change is known:
the second holds January 2026 more, in which Alfa buys 5,000 (up), Beta sells at a loss
(turns loss-making), Delta buys for the first time (new); Gamma, who bought only in
January 2025, falls out of the last 12 months (lost)."""

from datetime import date
from pathlib import Path

HEADER = "Klantnummer;Klantnaam;Factuurdatum;Bedrag;Kostprijs\r\n"
MONTHS_2025 = [date(2025, m, 15) for m in range(1, 13)]


def _line(customer: str, name: str, day: date, amount: float, cost: float) -> str:
    return f"{customer};{name};{day:%d-%m-%Y};{amount:.2f}".replace(".", ",") + (
        f";{cost:.2f}".replace(".", ",") + "\r\n"
    )


def first_export() -> list[str]:
    rows = []
    for day in MONTHS_2025:
        rows.append(_line("1", "Alfa BV", day, 1000, 600))
        rows.append(_line("2", "Beta BV", day, 500, 300))
    rows.append(_line("3", "Gamma BV", date(2025, 1, 20), 800, 400))  # only in January 2025
    return rows


def second_export() -> list[str]:
    """The first export with January 2026: Alfa buys 5,000, Beta sells at a loss, Delta is
    new; Gamma's only month (January 2025) falls out of the last 12 months."""
    return first_export() + [
        _line("1", "Alfa BV", date(2026, 1, 15), 5000, 3000),
        _line("2", "Beta BV", date(2026, 1, 15), 500, 3000),
        _line("4", "Delta BV", date(2026, 1, 20), 900, 450),
    ]


CUSTOMERS = "Klantnummer;Uren\r\n1;0\r\n2;0\r\n3;0\r\n4;0\r\n"


def write_exports(folder: Path) -> list[tuple[Path, Path]]:
    """The two exports and their customer files, as (lines, customers) per month."""
    written = []
    for number, rows in enumerate((first_export(), second_export())):
        lines = folder / f"verkoop{number}.csv"
        lines.write_bytes((HEADER + "".join(rows)).encode("cp1252"))
        customers = folder / f"klanten{number}.csv"
        customers.write_bytes(CUSTOMERS.encode("cp1252"))
        written.append((lines, customers))
    return written


def save_both(store: Path, files: Path, name: str = "Verkoop") -> None:
    """The two exports saved as two versions of dataset ``name``, by Anna then by Bram,
    with the product's own readers (as the upload page saves them)."""
    from portfolio import connect, read_customer_file, read_invoice_lines
    from portfolio.store import save_dataset

    con = connect(store)
    for by, (lines, customers) in zip(("Anna", "Bram"), write_exports(files), strict=True):
        save_dataset(
            con,
            store,
            name,
            read_invoice_lines(con, lines, store / "staging"),
            read_customer_file(con, customers, store / "staging"),
            by=by,
        )
    con.close()
