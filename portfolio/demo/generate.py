"""A fictitious Dutch wholesaler: seeded demo and benchmark data, written as exports are.

``generate_lines`` draws the invoice lines of a horeca and food wholesaler with
the shapes real portfolios have: a few whales and a long tail,
price buyers with high discounts, loss-makers that take many hours, customers
who leave and arrive every year, credit notes and late payers.
``generate_customers`` adds the per-customer file (hours, rate, scores).
The writers in ``portfolio.demo.dutch_files`` write them as a Dutch package exports them.

A customer's traits follow from (seed, customer number) alone, and each month
has its own random generator, so the output is the same whether it is made in
one piece or month by month, and the same on every run.

    python -m portfolio.demo data    # writes data/demo_verkoopregels.* and data/demo_klanten.csv
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from portfolio.demo.catalogue import (
    CITIES,
    PRODUCTS,
    SECTORS,
    SPECIAL_NAMES,
    SUFFIXES,
    SURNAMES,
)
from portfolio.demo.dutch_files import write_dutch_csv, write_parquet, write_xlsx

FIRST_NUMBER = 10001
BASIC, PRICE_BUYER, LOSS_MAKER = 0, 1, 2
LINE_COLUMNS = (
    "Debiteurnummer",
    "Klantnaam",
    "Factuurnummer",
    "Factuurdatum",
    "Vervaldatum",
    "Betaaldatum",
    "Artikel",
    "Aantal",
    "Korting",
    "Bedrag excl. btw",
    "Kostprijs",
    "Regio",
)
_SEASON = np.array([0.86, 0.9, 1.0, 1.02, 1.06, 1.1, 1.08, 0.92, 1.0, 1.02, 1.0, 1.04])
_CLOSED = ((1, 1), (12, 25), (12, 26))  # New Year's Day and Christmas: no invoices
_FAVOURITE = 0.35  # share of a customer's lines that is their favourite article
_U53 = float(1 << 53)


_ARTICLE = np.array([p[0] for p in PRODUCTS], dtype=object)
_LIST_PRICE = np.array([p[1] for p in PRODUCTS])
_PURCHASE = np.array([p[1] * p[2] for p in PRODUCTS]) * 1.08  # gross margin about 25 %
_POPULARITY = np.array([p[3] for p in PRODUCTS], dtype=float) / sum(p[3] for p in PRODUCTS)
_PRICE_RISE, _PURCHASE_RISE = 0.04, 0.045  # a year; purchase prices rise a little faster


def _uniform(seed: int, index: np.ndarray, salt: int) -> np.ndarray:
    """Uniform [0, 1) per customer index, fixed by (seed, index, salt): splitmix64."""
    offset = (seed * 0x9E3779B97F4A7C15 + salt * 0xD1B54A32D192ED03) & ((1 << 64) - 1)
    x = index.astype(np.uint64) + np.uint64(offset)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / _U53


def _normal(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
    """Standard normal from two uniforms (Box-Muller)."""
    return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * np.pi * u2)


def _pick(options: tuple, u: np.ndarray) -> np.ndarray:
    return np.asarray(options)[np.minimum((u * len(options)).astype(int), len(options) - 1)]


@dataclass(frozen=True)
class _Traits:
    """One entry per customer (index 0 is customer FIRST_NUMBER); money in euro."""

    number: np.ndarray  # text
    name: np.ndarray
    region: np.ndarray
    kind: np.ndarray  # BASIC, PRICE_BUYER or LOSS_MAKER
    revenue: np.ndarray  # yearly revenue at first-year prices
    growth: np.ndarray  # yearly change of volume, fraction
    lines_per_year: np.ndarray
    lines_per_invoice: np.ndarray
    discount: np.ndarray  # fraction of list price
    favourite: np.ndarray  # product index bought more often
    term: np.ndarray  # payment term, days
    late: np.ndarray  # pays well after the due date
    credit_rate: np.ndarray  # share of lines credited later
    uniform: np.ndarray  # a spare uniform for the customer file


def _traits(index: np.ndarray, seed: int) -> _Traits:
    def u(salt: int) -> np.ndarray:
        return _uniform(seed, index, salt)

    kind = np.select([u(1) < 0.13, u(1) < 0.23], [PRICE_BUYER, LOSS_MAKER], BASIC)
    # a lognormal size: the top 20 % of customers bring about 80 % of revenue (the 20/80 rule)
    revenue = np.exp(8.3 + 1.75 * _normal(u(2), u(3))) * np.where(kind == LOSS_MAKER, 0.8, 1.0)
    lines = (
        4.7
        * (revenue / 1000) ** 0.62
        * np.select([kind == LOSS_MAKER, kind == PRICE_BUYER], [1.8, 0.8], 1.0)
    )
    basic_discount = _pick((0.0, 0.0, 0.0, 0.02, 0.03, 0.05), u(4)) + 0.04 * (revenue > 80_000)
    discount = np.select(
        [kind == PRICE_BUYER, kind == LOSS_MAKER],
        [0.14 + 0.14 * u(5), 0.03 + 0.05 * u(5)],
        basic_discount,
    )
    names = _names(index, seed)
    cities, weights = zip(*CITIES, strict=True)
    city = np.searchsorted(np.cumsum(weights) / sum(weights), u(6), side="right")
    return _Traits(
        number=np.array([str(FIRST_NUMBER + i) for i in index], dtype=object),
        name=names,
        region=np.asarray(cities, dtype=object)[city],
        kind=kind,
        revenue=revenue,
        growth=np.clip(0.08 * _normal(u(7), u(8)), -0.25, 0.3),
        lines_per_year=np.maximum(lines, 1.0),
        lines_per_invoice=1.0 + 5.2 * np.minimum(1.0, (revenue / 200_000) ** 0.5) * u(9),
        discount=discount,
        favourite=(u(10) * len(PRODUCTS)).astype(int),
        term=_pick((14, 30, 30, 30, 30, 30, 45, 60), u(11)),
        late=(u(12) < 0.18) | (kind == LOSS_MAKER),
        credit_rate=np.select([kind == LOSS_MAKER, kind == PRICE_BUYER], [0.05, 0.02], 0.014),
        uniform=u(13),
    )


def _names(index: np.ndarray, seed: int) -> np.ndarray:
    """Dutch and Flemish trade names; a few with ``;``, quotes, ``&`` and accents."""
    sector = _pick(SECTORS, _uniform(seed, index, 20))
    surname = _pick(SURNAMES, _uniform(seed, index, 21))
    suffix = _pick(SUFFIXES, _uniform(seed, index, 22))
    names = np.array(
        [f"{a} {b}{c}" for a, b, c in zip(sector, surname, suffix, strict=True)], dtype=object
    )
    special = (index % 79 == 3) & (index // 79 < len(SPECIAL_NAMES))
    names[special] = np.asarray(SPECIAL_NAMES, dtype=object)[index[special] // 79]
    seen = pd.Series(names).duplicated().to_numpy()
    names[seen] = [
        f"{n} ({FIRST_NUMBER + i})" for n, i in zip(names[seen], index[seen], strict=True)
    ]
    return names


@dataclass(frozen=True)
class _Lifetime:
    """When each customer buys, in days since the first day: [start, end) minus a pause."""

    start: np.ndarray
    end: np.ndarray
    pause_start: np.ndarray
    pause_end: np.ndarray


def _lifetime(t: _Traits, index: np.ndarray, seed: int, horizon: int) -> _Lifetime:
    def u(salt: int) -> np.ndarray:
        return _uniform(seed, index, salt)

    # a third of the customers arrive during the years shown; the rest were already there
    start = np.where(u(30) < 0.33, np.floor(u(31) * horizon), 0.0)
    # yearly chance to leave: price buyers leave easily, large customers rarely
    hazard = np.select([t.kind == PRICE_BUYER, t.kind == LOSS_MAKER], [0.24, 0.14], 0.08)
    hazard = hazard * np.where(t.revenue > 60_000, 0.4, 1.0)
    end = start + np.floor(-np.log1p(-u(32)) / hazard * 365.25)
    paused = u(33) < 0.05  # stops for a year or so and comes back: reactivated
    pause_start = np.where(paused, start + np.floor(u(34) * horizon), np.inf)
    return _Lifetime(start, end, pause_start, pause_start + 380 + np.floor(u(35) * 250))


@dataclass(frozen=True)
class _World:
    """Everything fixed before the first month is drawn."""

    traits: _Traits
    life: _Lifetime
    first_day: date
    last_day: int
    first_year: int
    years: tuple[int, ...]
    seed: int


def _world(n_customers: int, years: Iterable[int], seed: int) -> _World:
    years = tuple(range(min(years), max(years) + 1))
    first_day = date(years[0], 1, 1)
    last_day = (date(years[-1], 12, 31) - first_day).days
    index = np.arange(n_customers)
    traits = _traits(index, seed)
    life = _lifetime(traits, index, seed, last_day + 1)
    return _World(traits, life, first_day, last_day, years[0], years, seed)


def _active(w: _World, d0: int, d1: int) -> tuple[np.ndarray, ...]:
    """Per customer: (start, days) of the two active stretches inside days d0..d1."""
    life = w.life
    lo1, hi1 = (
        np.maximum(life.start, d0),
        np.minimum(np.minimum(life.end, life.pause_start), d1 + 1),
    )
    lo2, hi2 = np.maximum(life.pause_end, d0), np.minimum(life.end, d1 + 1)
    return (
        lo1,
        np.maximum(hi1 - lo1, 0),
        np.where(np.isfinite(lo2), lo2, 0),
        np.maximum(hi2 - lo2, 0),
    )


def _invoice_rate(w: _World, year: int, month: int, d0: int, d1: int) -> np.ndarray:
    """Expected invoices per customer in the month (before scaling)."""
    _lo1, len1, _lo2, len2 = _active(w, d0, d1)
    share = (len1 + len2) / (d1 - d0 + 1)
    season = _SEASON[month - 1] / _SEASON.mean()
    return w.traits.lines_per_year / 12 / w.traits.lines_per_invoice * season * share


def _months(w: _World) -> Iterator[tuple[int, int, int, int]]:
    for year in w.years:
        for month in range(1, 13):
            d0 = (date(year, month, 1) - w.first_day).days
            yield year, month, d0, d0 + calendar.monthrange(year, month)[1] - 1


def _expected_lines(w: _World) -> float:
    t = w.traits
    per_invoice = _distinct_articles(t) * (1 + t.credit_rate)
    return float(sum((_invoice_rate(w, *m) * per_invoice).sum() for m in _months(w)))


def _distinct_articles(t: _Traits) -> np.ndarray:
    """Expected lines per invoice after merging repeated articles, per customer.

    With K = 1 + Poisson(m - 1) draws and chance q of an article per draw, the
    article is missing with chance E[(1 - q)^K] = (1 - q) exp(-(m - 1) q).
    """
    q = _FAVOURITE * np.eye(len(PRODUCTS))[t.favourite] + (1 - _FAVOURITE) * _POPULARITY
    extra = (t.lines_per_invoice - 1)[:, None]
    return (1 - (1 - q) * np.exp(-extra * q)).sum(axis=1)


def _workdays(w: _World, d0: int, d1: int) -> np.ndarray:
    """For each day of the month the day it is invoiced: weekends and holidays move."""
    out = []
    for d in range(d0, d1 + 1):
        day = w.first_day.toordinal() + d
        shift = 0
        while _closed(day + shift) and d0 <= d + shift + 1 <= d1:
            shift += 1
        while _closed(day + shift) and d + shift - 1 >= d0:
            shift -= 1
        out.append(d + shift)
    return np.array(out)


def _closed(ordinal: int) -> bool:
    day = date.fromordinal(ordinal)
    return day.weekday() >= 5 or (day.month, day.day) in _CLOSED


def _draw_invoices(w, rng, year, month, d0, d1, scale) -> tuple[np.ndarray, np.ndarray]:
    """(customer, day) of every invoice in the month."""
    t = w.traits
    rate = _invoice_rate(w, year, month, d0, d1) * scale
    # price buyers buy when they are cheapest somewhere: in bursts (customer type C)
    burst = rng.poisson(rate * rng.gamma(0.6, 1 / 0.6, rate.size))
    # the others order at a steady rhythm: the count is the rate rounded up or down at random
    steady = np.floor(rate + rng.random(rate.size)).astype(np.int64)
    cust = np.repeat(np.arange(rate.size), np.where(t.kind == PRICE_BUYER, burst, steady))
    lo1, len1, lo2, len2 = (a[cust] for a in _active(w, d0, d1))
    x = np.floor(rng.random(cust.size) * (len1 + len2))
    day = np.where(x < len1, lo1 + x, lo2 + x - len1).astype(np.int64)
    return cust, _workdays(w, d0, d1)[day - d0]


def _draw_lines(w, rng, d0, inv_cust) -> dict[str, np.ndarray]:
    """Lines of the invoices: invoice index, product, quantity, discount fraction."""
    t = w.traits
    k = 1 + rng.poisson(t.lines_per_invoice[inv_cust] - 1)
    inv = np.repeat(np.arange(inv_cust.size), k)
    cust = inv_cust[inv]
    product = np.searchsorted(np.cumsum(_POPULARITY), rng.random(inv.size), side="right")
    product = np.minimum(product, len(PRODUCTS) - 1)
    product = np.where(rng.random(inv.size) < _FAVOURITE, t.favourite[cust], product)
    # an article appears once per invoice (else the line would be an exact duplicate)
    _pairs, once = np.unique(inv * len(PRODUCTS) + product, return_index=True)
    inv, cust, product = inv[once], cust[once], product[once]
    price = _LIST_PRICE[product]
    draws = rng.random((2, inv.size))
    volume = np.maximum(1 + t.growth[cust] * (d0 - 182) / 365.25, 0.2)
    value = t.revenue[cust] * volume / t.lines_per_year[cust]
    quantity = np.rint(value / price * np.exp(0.6 * _normal(draws[0], draws[1]) - 0.18))
    # discounts are agreed per customer; promotional articles carry none
    discount = t.discount[cust] * (rng.random(inv.size) < 0.85)
    return {
        "inv": inv,
        "product": product,
        "quantity": np.maximum(quantity, 1),
        "discount": discount,
    }


def _credit_notes(w, rng, lines, inv_cust, inv_day, d1) -> tuple:
    """Credit lines for a few lines: part of the quantity back, on a credit note of its own."""
    cust = inv_cust[lines["inv"]]
    chosen = np.flatnonzero(rng.random(cust.size) < w.traits.credit_rate[cust])
    day = inv_day[lines["inv"][chosen]]
    later = day + np.floor(rng.random(chosen.size) * (d1 - day + 1)).astype(np.int64)
    quantity = -np.maximum(np.floor(lines["quantity"][chosen] * rng.random(chosen.size)), 1)
    credit = {
        "inv": inv_cust.size + np.arange(chosen.size),
        "product": lines["product"][chosen],
        "quantity": quantity,
        "discount": lines["discount"][chosen],
    }
    return credit, cust[chosen], np.maximum(later, day)


def _payments(w, rng, cust, day, is_credit) -> tuple[np.ndarray, np.ndarray]:
    """(due day, paid day or -1) per invoice; open after the last day of the data."""
    t = w.traits
    due = day + t.term[cust]
    late = t.late[cust]
    delay = np.where(late, 5 + rng.exponential(22, cust.size), rng.normal(-3, 5, cust.size))
    paid = np.maximum(day, due + np.rint(delay).astype(np.int64))
    disputed = (t.kind[cust] == LOSS_MAKER) & (rng.random(cust.size) < 0.03)
    open_ = is_credit | disputed | (paid > w.last_day)
    return due, np.where(open_, -1, paid)


def _month_frame(w: _World, year: int, month: int, d0: int, d1: int, scale: float, first: int):
    """(invoice lines of one month sorted by invoice number, invoices used)."""
    rng = np.random.default_rng([w.seed, year, month])
    inv_cust, inv_day = _draw_invoices(w, rng, year, month, d0, d1, scale)
    lines = _draw_lines(w, rng, d0, inv_cust)
    credit, cr_cust, cr_day = _credit_notes(w, rng, lines, inv_cust, inv_day, d1)
    cust = np.concatenate([inv_cust, cr_cust])
    day = np.concatenate([inv_day, cr_day])
    is_credit = np.arange(cust.size) >= inv_cust.size
    order = np.lexsort((is_credit, cust, day))
    number = np.empty(cust.size, dtype=np.int64)
    number[order] = first + np.arange(cust.size)
    due, paid = _payments(w, rng, cust, day, is_credit)
    line = {k: np.concatenate([lines[k], credit[k]]) for k in lines}
    line_order = np.argsort(number[line["inv"]], kind="stable")
    line = {k: v[line_order] for k, v in line.items()}
    return _frame(w, year, line, cust, day, number, due, paid), cust.size


def _frame(w: _World, year: int, line, cust, day, number, due, paid) -> pd.DataFrame:
    inv, product = line["inv"], line["product"]
    c = cust[inv]
    t = w.traits
    years_in = year - w.first_year
    price = np.rint(_LIST_PRICE[product] * (1 + _PRICE_RISE) ** years_in * 100)  # cents
    unit_cost = _PURCHASE[product] * (1 + _PURCHASE_RISE) ** years_in * 100
    gross = line["quantity"] * price
    discount = np.rint(gross * line["discount"])
    epoch = np.datetime64(w.first_day, "D")

    def dates(days: np.ndarray) -> np.ndarray:
        return np.where(days >= 0, epoch + days, np.datetime64("NaT")).astype("datetime64[s]")

    invoice_no = np.char.add(f"F{year}", np.char.zfill(number.astype(str), 5))
    return pd.DataFrame(
        {
            "Debiteurnummer": _text(t.number[c]),
            "Klantnaam": _text(t.name[c]),
            "Factuurnummer": _text(invoice_no[inv]),
            "Factuurdatum": dates(day[inv]),
            "Vervaldatum": dates(due[inv]),
            "Betaaldatum": dates(paid[inv]),
            "Artikel": _text(_ARTICLE[product]),
            "Aantal": line["quantity"].astype(np.int64),
            "Korting": discount / 100,
            "Bedrag excl. btw": (gross - discount) / 100,
            "Kostprijs": np.rint(line["quantity"] * unit_cost) / 100,
            "Regio": _text(t.region[c]),
        }
    )


def _text(values: np.ndarray) -> pd.Series:
    return pd.Series(values, dtype="str")


def generate_line_chunks(
    n_customers: int = 800,
    years: Iterable[int] = (2022, 2023, 2024, 2025),
    seed: int = 42,
    target_lines: int | None = None,
) -> Iterator[pd.DataFrame]:
    """The lines of ``generate_lines`` one month at a time (for files larger than memory)."""
    w = _world(n_customers, years, seed)
    scale = target_lines / _expected_lines(w) if target_lines else 1.0
    first = 1
    for year, month, d0, d1 in _months(w):
        first = 1 if month == 1 else first
        frame, used = _month_frame(w, year, month, d0, d1, scale, first)
        first += used
        yield frame


def generate_lines(
    n_customers: int = 800,
    years: Iterable[int] = (2022, 2023, 2024, 2025),
    seed: int = 42,
    target_lines: int | None = None,
) -> pd.DataFrame:
    """Invoice lines of a fictitious wholesaler: one row per invoice line, sorted by date.

    Columns ``LINE_COLUMNS``: text ids and names, dates (``Betaaldatum`` empty
    while unpaid and on credit notes), ``Aantal`` (negative on credit notes),
    ``Korting`` (discount, euro), ``Bedrag excl. btw`` and ``Kostprijs`` (line
    totals, euro, 2 decimals). About 44,000 lines for 800 customers over four
    years; ``target_lines`` scales the lines per customer to about that number.
    """
    chunks = list(generate_line_chunks(n_customers, years, seed, target_lines))
    return pd.concat(chunks, ignore_index=True)


def generate_customers(lines: pd.DataFrame, seed: int = 42) -> pd.DataFrame:
    """The customer file for ``lines`` (same ``seed``): one row per customer in the lines.

    Hours are those spent in the last 12 months of the lines; rate in euro per
    hour; other costs (delivery, euro); payment term in days; scores 0–5;
    fit code 1 (fits the offer perfectly) to 3 (does not fit).
    """
    last = lines["Factuurdatum"].max()
    recent = lines[lines["Factuurdatum"] > last - pd.DateOffset(months=12)]
    numbers = np.sort(lines["Debiteurnummer"].unique().astype(int))
    index = numbers - FIRST_NUMBER
    t = _traits(index, seed)
    per = recent.groupby("Debiteurnummer")
    invoices = per["Factuurnummer"].nunique().reindex(t.number, fill_value=0).to_numpy()
    revenue = per["Bedrag excl. btw"].sum().reindex(t.number, fill_value=0).to_numpy()
    names = lines.groupby("Debiteurnummer")["Klantnaam"].last().reindex(t.number).to_numpy()
    u = t.uniform
    # account management plus order handling; loss-makers call, complain and renegotiate
    hours = (1.5 + 0.6 * invoices**0.9 + revenue / 2_000) * (0.6 + 0.8 * u)
    demanding = (t.kind == LOSS_MAKER) & (invoices > 0)
    hours = np.where(demanding, hours * 4 + 30 + revenue / 1000, hours)
    big = revenue > 100_000
    # ambassadors (customer type A): large, loyal, pay on time, bring leads
    good = (t.kind == BASIC) & ~t.late
    return pd.DataFrame(
        {
            "Debiteurnummer": _text(t.number),
            "Klantnaam": _text(names),
            "Uren": np.round(hours, 1),
            "Uurtarief": np.where(big, 85, 75).astype(np.int64),
            "Overige kosten": np.round(invoices * 15 * (u > 0.3) * (0.5 + u), 2),
            "Betalingstermijn (dagen)": t.term.astype(np.int64),
            "Innovatie": _score(index, seed, 40, np.where(big, 2.5, 1.5)),
            "Netwerk": _score(index, seed, 41, np.where(big & good, 3.5, 1.8)),
            "Tevredenheid": _score(index, seed, 42, np.where(t.kind == LOSS_MAKER, 1.0, 3.6)),
            "Fitcode": _fit_code(t, index, seed),
        }
    )


def _score(index: np.ndarray, seed: int, salt: int, mean: np.ndarray) -> np.ndarray:
    noise = _normal(_uniform(seed, index, salt), _uniform(seed, index, salt + 100))
    return np.clip(np.rint(mean + 1.1 * noise), 0, 5).astype(np.int64)


def _fit_code(t: _Traits, index: np.ndarray, seed: int) -> np.ndarray:
    """Fit codes: most loss-makers and price buyers do not fit the offer (code 3)."""
    u = _uniform(seed, index, 43)
    fit = np.where(
        t.kind == BASIC, np.where(u < 0.45, 1, np.where(u < 0.85, 2, 3)), np.where(u < 0.15, 2, 3)
    )
    return fit.astype(np.int64)


def write_demo(folder: Path, seed: int = 42) -> dict[str, int]:
    """Write the demo files into ``folder``; returns rows per file."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = generate_lines(seed=seed)
    customers = generate_customers(lines, seed=seed)
    write_dutch_csv(lines, folder / "demo_verkoopregels.csv")
    write_dutch_csv(customers, folder / "demo_klanten.csv")
    write_xlsx(lines, folder / "demo_verkoopregels.xlsx")
    write_parquet(lines, folder / "demo_verkoopregels.parquet")
    return {"demo_verkoopregels": len(lines), "demo_klanten": len(customers)}
