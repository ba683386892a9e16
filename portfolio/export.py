"""Write tables for spreadsheets, safe against formula injection.

Customer names and column headers come from untrusted files: a name such as
``=HYPERLINK(…)`` must stay text when a colleague opens the export in Excel. In
CSV and xlsx, text cells and column headers starting with ``= + - @``, tab or CR
get a leading ``'``; numbers stay numbers (a credit note of -12.50 is not text).
In xlsx, xlsxwriter is also told never to turn strings into formulas or links.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pandas as pd

from portfolio.errors import InputError

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}


def neutralize(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made inert with a ``'``."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text column and every column header neutralised (a rejected
    rows table takes its headers from the user's file); numeric columns untouched."""
    out = df.copy()
    for i in range(out.shape[1]):
        values = out.iloc[:, i]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            out.isetitem(i, values.map(neutralize, na_action="ignore"))
    if not isinstance(out.columns, pd.MultiIndex):
        out.columns = [neutralize(column) for column in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame, *, dutch: bool = True) -> bytes:
    """CSV as Dutch spreadsheets open it (``;``, decimal comma, dates dd-mm-jjjj, UTF-8 with
    BOM) or English (ISO dates). Twelve significant digits: enough for any amount to the
    cent, and no float noise (102261,64, not 102261,63999999996)."""
    text = safe_frame(df).to_csv(
        index=False,
        sep=";" if dutch else ",",
        decimal="," if dutch else ".",
        float_format="%.12g",
        date_format="%d-%m-%Y" if dutch else "%Y-%m-%d",
        lineterminator="\r\n",
    )
    return text.encode("utf-8-sig")


def to_xlsx_bytes(
    df: pd.DataFrame, sheet: str = "Klanten", kinds: dict[str, str] | None = None
) -> bytes:
    return xlsx_workbook({sheet: df}, {sheet: kinds or {}})


# Excel number formats by the kind of a column; Excel shows the separators of the reader's
# own settings (1.234,56 in a Dutch Excel)
XLSX_FORMATS = {
    "money": '"€" #,##0.00;"€" -#,##0.00',
    "share": "0.0%",
    "count": "#,##0",
    "decimal": "#,##0.00",
    "date": "dd-mm-yyyy",
}
_WIDEST = 60  # characters: a long note wraps in its cell rather than a column a screen wide


def xlsx_workbook(
    sheets: dict[str, pd.DataFrame], kinds: dict[str, dict[str, str]] | None = None
) -> bytes:
    """One workbook, a sheet per table (Excel allows 31 characters in a sheet's name), each
    finished as a person opens it: the header frozen and filterable, columns as wide as
    their contents, amounts, shares, counts and dates formatted. ``kinds``: per sheet, a
    column's kind (a key of ``XLSX_FORMATS``); other columns by their type (whole numbers
    as counts, other numbers with two decimals, dates as dd-mm-yyyy)."""
    buffer = io.BytesIO()
    dates = {"date_format": "dd-mm-yyyy", "datetime_format": "dd-mm-yyyy"}
    options = {"options": XLSX_OPTIONS}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs=options, **dates) as w:
        formats = {kind: w.book.add_format({"num_format": f}) for kind, f in XLSX_FORMATS.items()}
        for sheet, df in sheets.items():
            name = sheet[:31]
            safe = safe_frame(df)
            safe.to_excel(w, sheet_name=name, index=False)
            _finish_sheet(w.sheets[name], safe, (kinds or {}).get(sheet, {}), formats)
    return buffer.getvalue()


def _finish_sheet(sheet, df: pd.DataFrame, kinds: dict[str, str], formats: dict) -> None:
    rows, columns = df.shape
    if columns:
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(rows, 1), columns - 1)
    for i, header in enumerate(df.columns):
        values = df.iloc[:, i]
        kind = kinds.get(str(header)) or _kind_of(values)
        width = max([len(str(header)) + 3, *(len(str(v)) for v in values.head(200))])
        sheet.set_column(i, i, min(width + 1, _WIDEST), formats.get(kind))


def _kind_of(values: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(values):
        return None
    if pd.api.types.is_integer_dtype(values):
        return "count"
    if pd.api.types.is_float_dtype(values):
        return "decimal"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    return None


def write_table(df: pd.DataFrame, path: Path, *, dutch: bool = True) -> None:
    """Write ``df`` to ``path`` (.csv, .xlsx or .parquet) atomically: temp file, then rename."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = to_csv_bytes(df, dutch=dutch)
    elif suffix == ".xlsx":
        data = to_xlsx_bytes(df)
    elif suffix == ".parquet":
        buffer = io.BytesIO()
        df.to_parquet(buffer, index=False)
        data = buffer.getvalue()
    else:
        raise InputError("output_format", file=path.name)
    atomic_write(path, data)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # the name cut short: a legal long name plus the temporary affixes may be too long
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; an export is for the user to share
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        _sync_folder(path.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable: after a power cut the folder names the new file."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
