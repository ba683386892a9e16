"""Write tables the way Dutch accounting packages export them.

``write_dutch_csv``: ``;``-separated, Windows-1252, ``1.234,56``, ``dd-mm-jjjj``,
CRLF, quotes only where needed; formatted column by column in Arrow, so that
10 million lines stream out in chunks. ``write_xlsx`` and ``write_parquet``
write byte-identical files for the same frame. Every writer replaces its
target atomically: a crash leaves the old file, never half a new one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from portfolio.export import XLSX_OPTIONS

_CREATED = datetime(2026, 1, 1)  # fixed xlsx creation date: the file is byte-identical per run
_BLOCK_ROWS = 250_000  # rows formatted at a time: bounds memory for 10M-line files


def write_dutch_csv(df: pd.DataFrame, path: Path) -> int:
    """Write ``df`` as a Dutch accounting export; returns the number of data rows.

    ``;``-separated, Windows-1252, CRLF, a header row; dates ``dd-mm-jjjj``,
    floats as money (``-1.234,56``), integers plain, text quoted only when it
    holds ``;``, ``"`` or a line break. Raises ``UnicodeEncodeError`` for text
    outside Windows-1252.
    """
    return write_dutch_csv_chunks([df], path)


def write_dutch_csv_chunks(chunks: Iterable[pd.DataFrame], path: Path) -> int:
    """``write_dutch_csv`` for frames that arrive one by one (all with the same columns)."""
    rows = 0
    with _replacing(path) as part, open(part, "wb") as out:
        for i, chunk in enumerate(chunks):
            if i == 0:
                header = pa.array([str(c) for c in chunk.columns])
                out.write((";".join(_csv_field(header).to_pylist()) + "\r\n").encode("cp1252"))
            for start in range(0, len(chunk), _BLOCK_ROWS):
                out.write(_csv_rows(chunk.iloc[start : start + _BLOCK_ROWS]))
            rows += len(chunk)
    return rows


def _csv_rows(df: pd.DataFrame) -> bytes:
    """The rows of ``df`` as Windows-1252 bytes; formatted column by column in Arrow."""
    if df.empty:
        return b""
    fields = [_csv_field(pa.array(df[c], from_pandas=True)) for c in df.columns]
    lines = pc.binary_join_element_wise(pc.binary_join_element_wise(*fields, ";"), "\r\n", "")
    chunks = lines.chunks if isinstance(lines, pa.ChunkedArray) else [lines]
    text = b"".join(_string_bytes(chunk) for chunk in chunks)
    return text.decode("utf-8").encode("cp1252")


def _string_bytes(arr: pa.Array) -> memoryview:
    """The concatenated values of a string array, straight from its data buffer."""
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(arr.buffers()[1], dtype=width)
    first, last = offsets[arr.offset], offsets[arr.offset + len(arr)]
    return memoryview(arr.buffers()[2])[first:last]


def _csv_field(values: pa.Array) -> pa.Array:
    kind = values.type
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        text = _dates(values)
    elif pa.types.is_integer(kind):
        text = values.cast(pa.string())
    elif pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        text = _money(values)
    else:
        text = values.cast(pa.string())
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
        text = pc.if_else(pc.match_substring_regex(text, '[;"\r\n]'), quoted, text)
    return pc.fill_null(text, "")


def _dates(values: pa.Array) -> pa.Array:
    """``dd-mm-jjjj``; each distinct day is formatted once (a file holds a few thousand)."""
    days = values.cast(pa.date32()).to_numpy(zero_copy_only=False)
    missing = np.isnat(days)
    distinct, index = np.unique(
        np.where(missing, days[~missing].min(initial=0), days), return_inverse=True
    )
    text = pa.array([f"{d:%d-%m-%Y}" for d in distinct.astype("datetime64[D]").tolist()])
    return pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), text.take(index))


def _money(values: pa.Array) -> pa.Array:
    """Dutch money text: ``-1.234.567,89``; null stays null."""
    amount = values.cast(pa.float64()).to_numpy(zero_copy_only=False)
    missing = np.isnan(amount)
    cents = np.rint(np.where(missing, 0, amount) * 100).astype(np.int64)
    euros, fraction = np.divmod(np.abs(cents), 100)

    def digits(v: np.ndarray, pad: np.ndarray | bool) -> pa.Array:
        text = pa.array(v).cast(pa.string())
        return pc.if_else(pa.array(np.broadcast_to(pad, v.shape)), pc.utf8_lpad(text, 3, "0"), text)

    text = digits(euros % 1000, euros >= 1000)
    level = 1000
    while (euros >= level).any():  # thousands groups, right to left
        group = digits(euros // level % 1000, euros >= level * 1000)
        text = pc.if_else(
            pa.array(euros >= level), pc.binary_join_element_wise(group, text, "."), text
        )
        level *= 1000
    sign = pa.array(np.where(cents < 0, "-", ""))
    cents_text = pc.utf8_lpad(pa.array(fraction).cast(pa.string()), 2, "0")
    text = pc.binary_join_element_wise(pc.binary_join_element_wise(sign, text, ""), cents_text, ",")
    return pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), text)


def write_xlsx(df: pd.DataFrame, path: Path, sheet: str = "Verkoopregels") -> None:
    """``df`` as an Excel sheet with the header on row 1; byte-identical for the same frame."""
    options = {
        "engine_kwargs": {"options": XLSX_OPTIONS},
        "date_format": "dd-mm-yyyy",
        "datetime_format": "dd-mm-yyyy",
    }
    with _replacing(path) as part, pd.ExcelWriter(part, engine="xlsxwriter", **options) as writer:
        writer.book.set_properties({"created": _CREATED, "title": "Verkoopregels (demo)"})
        df.to_excel(writer, sheet_name=sheet, index=False)
        money = writer.book.add_format({"num_format": "#,##0.00"})
        for i, column in enumerate(df.columns):
            if pd.api.types.is_float_dtype(df[column]):
                writer.sheets[sheet].set_column(i, i, 14, money)


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    """``df`` as Parquet with dates as DATE and no pandas metadata (stable bytes)."""
    table = pa.Table.from_pandas(df, preserve_index=False).replace_schema_metadata(None)
    for i, f in enumerate(table.schema):
        if pa.types.is_timestamp(f.type):
            table = table.set_column(i, f.name, table.column(i).cast(pa.date32()))
    with _replacing(path) as part:
        pq.write_table(table, part, compression="zstd")


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` that replaces it when complete (never half a file)."""
    path = Path(path)
    part = path.with_name(path.name + ".part")
    try:
        yield part
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
