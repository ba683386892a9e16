"""The data-quality report of an import, as text in Dutch or English."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pandas as pd

from portfolio.formatting import money_texts, number_texts
from portfolio.i18n import DEFAULT_LANG, t
from portfolio.ingest.columns import CUSTOMER_FIELDS, LINE_FIELDS
from portfolio.ingest.read import Import

EXAMPLES_PER_REASON = 3
EXAMPLE_CHARS = 80  # a cell of 200 KB is shown by its start


def reason_text(reason: str, lang: str = DEFAULT_LANG) -> str:
    """What is wrong with a rejected row and how to fix it."""
    return t(f"reason.{reason}", lang)


def _short(text: str, limit: int = EXAMPLE_CHARS) -> str:
    """A value as an example line shows it: one line, at most ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def detected_details(imp: Import) -> str:
    src = imp.source
    parts = [f"{src.kind}"]
    if src.encoding:
        parts.append(f"encoding {src.encoding}")
    if src.delimiter:
        parts.append("delimiter " + {"\t": "tab"}.get(src.delimiter, src.delimiter))
    if src.sheet:
        parts.append(f"sheet {src.sheet}")
    parts.append(f"header row {src.header_row}")
    parts += [f"{f}: decimal {d}" for f, d in imp.decimal.items()]
    parts += [f"{f}: {d}" for f, d in imp.date_format.items()]
    return ", ".join(parts)


def quality_report(con: duckdb.DuckDBPyConnection, imp: Import, lang: str = DEFAULT_LANG) -> str:
    """Rows read, used, rejected and duplicate; per reason the count and a few examples."""
    lines = [
        t(
            "report.header",
            lang,
            file=imp.file,
            rows_read=imp.rows_read,
            rows_used=imp.rows_used,
            rows_rejected=imp.rows_rejected,
            duplicates=imp.duplicates,
        ),
        t("report.detected", lang, details=detected_details(imp)),
        t(
            "report.mapping",
            lang,
            mapping=", ".join(f"{f} = {h}" for f, h in imp.mapping.fields.items()),
        ),
    ]
    if imp.mapping.year_columns:
        years = ", ".join(imp.mapping.year_columns.values())
        lines[-1] += f", amount per year = {years}"
    for reason, count in imp.reasons.items():
        lines.append(t("report.reason_line", lang, count=count, reason=reason_text(reason, lang)))
        examples = con.execute(
            f'SELECT row, "column", value FROM {imp.rejects} WHERE reason = ? ORDER BY row LIMIT ?',
            [reason, EXAMPLES_PER_REASON],
        ).fetchall()
        for row, column, value in examples:
            lines.append(
                t(
                    "report.example",
                    lang,
                    row=row,
                    column=_short(column or ""),
                    value=_short(value or ""),
                )
            )
    return "\n".join(lines)


def rejects_frame(con: duckdb.DuckDBPyConnection, imp: Import, lang: str = DEFAULT_LANG):
    """The rejected rows for download: file, row, column, value, reason (what and how to fix),
    then the row's original cells. One row per rejected source row, in file order."""
    df = con.execute(f"SELECT * FROM {imp.rejects} ORDER BY row").df()
    labels = {
        "nl": ("bestand", "rij", "kolom", "waarde", "reden"),
        "en": ("file", "row", "column", "value", "reason"),
    }[lang]
    df["reason"] = df["reason"].map(lambda key: reason_text(key, lang))
    df.insert(0, "file", imp.file)
    first = ["file", "row", "column", "value", "reason"]
    df = df[first + [c for c in df.columns if c not in first]]
    return df.rename(
        columns=dict(zip(("file", "row", "column", "value", "reason"), labels, strict=True))
    )


def preview(con: duckdb.DuckDBPyConnection, imp: Import, rows: int = 20):
    """The first ``rows`` used rows as the analysis will see them: row number, then the
    fields the file provides (one row per used line or customer, in file order)."""
    order = dict.fromkeys((*LINE_FIELDS, *CUSTOMER_FIELDS))
    columns = ["row", *[f for f in order if f in imp.mapping.fields and f != "side"]]
    present = {r[0] for r in con.execute(f"DESCRIBE {imp.table}").fetchall()}
    if "amount" in present and "amount" not in columns:  # revenue per year, unpivoted
        columns += ["invoice_date", "amount"]
    chosen = ", ".join(f'"{c}"' for c in columns if c in present)
    frame = con.execute(f'SELECT {chosen} FROM {imp.table} ORDER BY "row" LIMIT {int(rows)}').df()
    for column in frame.columns:
        if any(isinstance(v, Decimal) for v in frame[column]):  # DuckDB's DECIMAL
            frame[column] = frame[column].astype(float)
        elif pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%d-%m-%Y")
    return frame


MONEY_FIELDS = frozenset({"amount", "cost", "discount", "hourly_rate", "other_costs", "unit_cost"})


def preview_texts(frame: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """``preview`` as its reader writes numbers: amounts ``€ 1.234,56`` (nl), other
    numbers grouped (with two decimals where one is not whole), an empty cell empty
    (never "None" or "nan")."""
    out = {}
    for column in frame.columns:
        values = frame[column]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if column in MONEY_FIELDS and numeric:
            out[column] = money_texts(values, lang)
        elif numeric:
            whole = bool(((values.dropna() % 1) == 0).all())
            out[column] = number_texts(values, lang, 0 if whole else 2)
        else:
            out[column] = [("" if pd.isna(v) else str(v)) for v in values]
    return pd.DataFrame(out, columns=list(frame.columns))
