"""The upload page's state: an uploaded file read once per content and settings.

An import lives in the session only (its DuckDB tables have random names) until
the user saves it; another session never sees it, and it is dropped when the session
ends (``app.housekeeping``). The raw file is on disk only while it is read. Reading
the same bytes with the same settings again reuses it: the key is the SHA-256 of the file, never a
hash of a large DataFrame.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import streamlit as st

from app.ui import cursor, holdings, log_event, session_id, tr
from portfolio import (
    Import,
    ReadOptions,
    read_customer_file,
    read_invoice_lines,
    read_product_file,
)
from portfolio.ingest.columns import CUSTOMER_FIELDS, LINE_FIELDS, NUMBER_FIELDS, PRODUCT_FIELDS
from portfolio.ingest.parsing import COMMA, DATE_FORMATS, POINT
from portfolio.ingest.uploads import discard, file_hash, import_tables, keep_upload
from portfolio.store import data_dir

READERS = {
    "lines": read_invoice_lines,
    "customers": read_customer_file,
    "products": read_product_file,
}
FIELDS = {"lines": LINE_FIELDS, "customers": CUSTOMER_FIELDS, "products": PRODUCT_FIELDS}
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")
DELIMITERS = (";", ",", "\t", "|")


@dataclass
class Upload:
    """One uploaded file of a kind ("lines", "customers" or "products"), read with
    ``options``."""

    kind: str
    digest: str
    options: ReadOptions
    imp: Import
    seconds: float
    generation: int = 0  # bumps on every re-read, so settings widgets start from the new values

    @property
    def key(self) -> tuple:
        return (self.digest, repr(asdict(self.options)))


def _state_key(kind: str) -> str:
    return f"_upload_{kind}"


def current(kind: str) -> Upload | None:
    return st.session_state.get(_state_key(kind))


def forget(kind: str) -> None:
    """Drop a kind's import and free its DuckDB tables (after saving, or a removed file)."""
    old = st.session_state.pop(_state_key(kind), None)
    if old is not None:
        holdings().release(session_id(), import_tables([old.imp]))
        old.imp.drop(cursor())


def read_upload(kind: str, uploaded, options: ReadOptions | None = None) -> Upload:
    """The import of ``uploaded`` (a Streamlit UploadedFile): reused when the bytes and the
    settings are the same as last time, read again otherwise. Raises ``PortfolioError``."""
    data = uploaded.getvalue()
    digest = file_hash(data)
    old = current(kind)
    if options is None:  # a new file starts from detection; the same file keeps its settings
        options = old.options if old is not None and old.digest == digest else ReadOptions()
    key = (digest, repr(asdict(options)))
    if old is not None and old.key == key:
        return old
    with st.status(tr("up.reading", file=uploaded.name), expanded=False) as status:
        start = time.perf_counter()
        path = keep_upload(data_dir(), uploaded.name, data, reader=uuid.uuid4().hex[:12])
        try:
            imp = READERS[kind](cursor(), path, data_dir() / "staging", options)
        finally:  # the rows are in DuckDB now (or the file was refused): no copy stays
            discard(path)
        holdings().hold(session_id(), import_tables([imp]))  # dropped when the session ends
        seconds = time.perf_counter() - start
        log_event(
            "upload",
            kind=kind,
            kind_of_file=imp.source.kind,
            bytes=len(data),
            rows=imp.rows_read,
            rejected=imp.rows_rejected,
            seconds=f"{seconds:.1f}",
        )
        status.update(
            label=tr("up.read_done", file=uploaded.name, seconds=f"{seconds:.1f}"), state="complete"
        )
    forget(kind)
    generation = old.generation + 1 if old is not None else 0
    upload = Upload(kind, digest, options, imp, seconds, generation)
    st.session_state[_state_key(kind)] = upload
    return upload


def settings_choices(upload: Upload) -> dict:
    """What the settings form offers, with the values in force as defaults."""
    imp, src = upload.imp, upload.imp.source
    headers = [None, *src.headers]
    return {
        "kind": src.kind,
        "encoding": src.encoding,
        "delimiter": src.delimiter,
        "sheet": src.sheet,
        "sheets": src.sheets,
        "header_row": src.header_row,
        "fields": FIELDS[upload.kind],
        "headers": headers,
        "mapping": dict(imp.mapping.fields),
        "decimal": {f: imp.decimal.get(f, COMMA) for f in imp.mapping.fields if f in NUMBER_FIELDS},
        "date_format": dict(imp.date_format),
        "decimal_styles": (COMMA, POINT),
        "date_formats": DATE_FORMATS,
    }


def file_head(path: Path, rows: int) -> bytes:
    """The header and the first ``rows`` lines of a file, bytes as they are: a sample of
    a demo export (``;``, Windows-1252, decimal comma, dd-mm-jjjj) to compare one's own with."""
    with open(path, "rb") as fh:
        return b"".join(fh.readline() for _ in range(rows + 1))
