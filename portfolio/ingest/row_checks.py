"""The checks every source row goes through, as SQL: which one fails decides the reason.

``ingest`` builds one SELECT from these pieces: the text and typed stage of every
mapped field (``field_sql``), the checks in the order they are tried
(``row_checks``), the number of the first that fails (``first_failing``) and, for
rejected rows only, the reason, column and value that go with it (``explain``).
"""

from __future__ import annotations

from portfolio.config import thresholds
from portfolio.db import literal
from portfolio.ingest import parsing
from portfolio.ingest.columns import DATE_FIELDS, NUMBER_FIELDS

CREDIT = ("c", "cr", "credit")
DEBIT = ("d", "db", "debet", "debit")


def row_checks(
    fields: dict[str, str],
    headers: dict[str, str],
    wide: bool,
    blank: str,
    keys: tuple[str, ...] = ("customer_id", "customer_name"),
    read_typed: frozenset[str] = frozenset(),
    date_formats: dict[str, str] | None = None,
) -> list:
    """(condition, reason key, column header SQL, value SQL) in the order they are tried.

    ``keys``: the fields that say whom (or what) a row is about; a row without any is
    empty or rejected ("customer_missing", or "product_missing" for a product file).
    ``read_typed``: fields the reader typed itself, which cannot hold an unreadable value
    (the reader refuses the file instead), so they are not checked for one.
    ``date_formats``: the format of each date field; a date written in it that is not in
    the calendar (31-02-2024) is told apart from one written otherwise."""
    labels = thresholds().ingest.totals_labels
    pattern = f"'({'|'.join(labels)})[\\s:.]*(\\d.*)?'"
    starts = ", ".join(sorted({literal(label[:3]) for label in labels}))
    letters = ", ".join(
        str(ord(c)) for c in sorted({ch for lb in labels for ch in (lb[0].lower(), lb[0].upper())})
    )

    # Conditions run on every row, and AND does not stop early in a projection: each test
    # first asks something cheap (a first letter, a length) in a CASE, which does stop.
    def totals(text: str) -> str:
        return (
            f"CASE WHEN ascii({text}) IN ({letters}) "
            f"THEN lower(left({text}, 3)) IN ({starts}) "
            f"AND regexp_full_match(lower(trim({text})), {pattern}) "
            "ELSE false END"
        )

    def header_again(f: str) -> str:
        header = headers[f]
        return (
            f"CASE WHEN strlen(t_{f}) = {len(header.encode())} "
            f"THEN lower(t_{f}) = lower({literal(header)}) ELSE false END"
        )

    who = [f for f in keys if f in fields]
    # a row without customer may be blank; testing every cell of every row is costly, so the
    # cells are only looked at when the customer is missing (CASE evaluates lazily, AND not)
    no_customer = " AND ".join(f"t_{f} IS NULL" for f in who)
    checks = [(f"CASE WHEN {no_customer} THEN {blank} ELSE false END", "empty_row", "NULL", "NULL")]
    for f in who:
        checks.append((header_again(f), "header_repeated", literal(headers[f]), f"t_{f}"))
    for f in who:
        checks.append((totals(f"t_{f}"), "totals_row", literal(headers[f]), f"t_{f}"))
    checks.append(
        (totals("CAST(c0 AS VARCHAR)"), "totals_row", literal(headers.get("_first", "")), "c0")
    )
    missing = "product_missing" if keys == ("product",) else "customer_missing"
    checks.append((no_customer, missing, literal(" / ".join(headers[f] for f in who)), "NULL"))
    for f in fields:
        if f in DATE_FIELDS:
            if f == "invoice_date" and not wide:
                checks.append((f"t_{f} IS NULL", "date_missing", literal(headers[f]), "NULL"))
            header = literal(headers[f])
            if f not in read_typed:
                unreadable = f"t_{f} IS NOT NULL AND {f} IS NULL"
                shape = parsing.date_shape((date_formats or {}).get(f))
                if shape:  # written in the column's format, yet no day of the calendar
                    nonexistent = (
                        f"{unreadable} AND regexp_full_match(trim(t_{f}), {literal(shape)})"
                    )
                    checks.append((nonexistent, "date_nonexistent", header, f"t_{f}"))
                checks.append((unreadable, "date_unreadable", header, f"t_{f}"))
            # strptime's %Y takes "25" as the year 25: such a line fell in no period at all
            # (the years 1900-2099, compared as dates: cheaper than taking each one's year)
            outside = f"{f} NOT BETWEEN DATE '1900-01-01' AND DATE '2099-12-31'"
            checks.append((outside, "date_unreadable", header, f"t_{f}"))
        elif f in NUMBER_FIELDS:
            if f == "amount" and not wide:
                checks.append((f"n_{f} IS NULL", "amount_missing", literal(headers[f]), "NULL"))
            reason = "amount_unreadable" if f == "amount" else "number_unreadable"
            if f not in read_typed:
                checks.append(
                    (f"n_{f} IS NOT NULL AND {f} IS NULL", reason, literal(headers[f]), f"n_{f}")
                )
    if "fit_code" in fields:
        checks.append(
            (
                "fit_code IS NOT NULL AND fit_code NOT IN (1, 2, 3)",
                "fit_code_invalid",
                literal(headers["fit_code"]),
                "n_fit_code",
            )
        )
    if "side" in fields:
        known = ", ".join(literal(v) for v in CREDIT + DEBIT)
        checks.append(
            (
                f"t_side IS NOT NULL AND lower(t_side) NOT IN ({known})",
                "side_unreadable",
                literal(headers["side"]),
                "t_side",
            )
        )
    return checks


def first_failing(checks: list[tuple]) -> str:
    """The number (1-based) of the first check that fails, NULL when the row is fine."""
    whens = " ".join(f"WHEN {c[0]} THEN {i}" for i, c in enumerate(checks, 1))
    return f"CASE {whens} END"


def explain(checks: list[tuple], part: int, raw: dict[str, str] | None = None) -> str:
    """Reason key (part 1), column header (2) or value (3) of the check numbered ``_check``.

    ``raw`` maps a parsed column (``t_amount``) to the file's own cell, which the user
    recognises; the parsed copies are not kept.
    """
    raw = raw or {}
    whens = " ".join(
        f"WHEN {i} THEN {literal(c[1]) if part == 1 else raw.get(c[part], c[part])}"
        for i, c in enumerate(checks, 1)
    )
    return f"CASE _check {whens} END"


def year_checks(years: dict[int, str]) -> list[tuple]:
    """Checks of the revenue-per-year columns of the one-row-per-customer shape."""
    checks = [
        (f"n_y{y} IS NOT NULL AND amount_y{y} IS NULL", "amount_unreadable", literal(h), f"n_y{y}")
        for y, h in years.items()
    ]
    all_empty = " AND ".join(f"n_y{y} IS NULL" for y in years)
    checks.append((all_empty, "amount_missing", literal(", ".join(years.values())), "NULL"))
    return checks


def trimmed(col: str) -> str:
    """``nullif(trim(col), '')``, with trim (costly on millions of rows) only where needed."""
    return (
        f"CASE WHEN {col} LIKE ' %' OR {col} LIKE '% ' THEN nullif(trim({col}), '') "
        f"ELSE nullif({col}, '') END"
    )


def field_sql(
    columns: dict[str, str], year_fields, decimal, date_format, read_typed: set[str]
) -> tuple[list, list]:
    """SQL select items: text stage (``t_``/``n_`` columns) and typed stage, per field.

    Columns in ``read_typed`` were typed by DuckDB's reader: nothing left to parse.
    """
    base, typed = [], []
    for f, col in columns.items():
        if col in read_typed:
            prefix = "n_" if f in NUMBER_FIELDS else "t_"
            base.append(f"{col} AS {prefix}{f}")
            typed.append(f"{prefix}{f} AS {f}")
        elif f in NUMBER_FIELDS or f in year_fields:
            # a bare value (nearly all) is checked by one match and cast; only the others
            # are cleaned (currency, spaces, signs) and matched again. The match is made once,
            # a stage before its uses: DuckDB would evaluate it again in each expression.
            style = decimal[f]
            base.append(f"{parsing.bare_number_sql(col, style)} AS k_{f}")
            cleaned = f"nullif({parsing.number_clean_sql(col)}, '')"
            target = "amount_" + f if f in year_fields else f
            typed.append(f"CASE WHEN k_{f} THEN {col} ELSE {cleaned} END AS n_{f}")
            typed.append(
                f"CASE WHEN k_{f} THEN {parsing.number_cast_sql(col, style)} "
                f"ELSE {parsing.number_sql(cleaned, style)} END AS {target}"
            )
        else:
            base.append(f"{trimmed(col)} AS t_{f}")
            if f in DATE_FIELDS:
                typed.append(f"{parsing.date_sql(f't_{f}', date_format[f])} AS {f}")
    return base, typed
