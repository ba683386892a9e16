"""What a number, amount or date looks like in the other language, and the text of every
kind of file the app hands out, so that one set of patterns checks pages and downloads.

Dutch: `€ 1.234,56`, `€ -200`, `3,5`, `2-12-2026`; English: `€ 1,234.56`, `3.5`. Both:
no timestamp or missing value as Python prints it.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
from pypdf import PdfReader

COMMON = {
    "a timestamp as Python prints it": r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}",
    "a missing value as Python prints it": r"\b(?:None|nan|NaN|NaT|<NA>)\b",
}
WRONG = {
    "nl": {
        **COMMON,
        "an English amount": r"€\s?-?\d{1,3}(?:,\d{3})+(?:\.\d+)?",
        "a sign before the euro": r"[-−]\s?€",
        "a decimal point": r"(?<![\d.,])\d+\.\d{1,2}(?![\d.])",
        "a plural after one": r"(?<![\d.,])1 (?:klanten|regels|dagen|maanden|weken)\b",
        "Streamlit's English placeholder": r"Choose an? option",
    },
    "en": {
        **COMMON,
        "a Dutch amount": r"€\s?-?\d{1,3}(?:\.\d{3})+(?:,\d+)?",
        "a decimal comma": r"(?<![\d.,])\d+,\d{1,2}(?![\d,])",
        "a plural after one": r"(?<![\d.,])1 (?:customers|lines|days|months|weeks)\b",
    },
}
# in a file a Dutch reader opens, a date as the pages write it, not as ISO
FILE_WRONG = {"nl": {"an ISO date": r"\b\d{4}-\d{2}-\d{2}\b"}, "en": {}}


DEMO = Path(__file__).resolve().parents[1] / "data"


@cache
def demo_texts() -> tuple[str, ...]:
    """The demo's own words (customer and product names, "Kaas jong belegen 4,5 kg"): the
    user's data is shown as it was written, in whatever format; longest first."""
    with open(DEMO / "demo_verkoopregels.csv", encoding="cp1252") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    names = {row[column] for row in rows for column in ("Klantnaam", "Artikel")}
    return tuple(sorted(names, key=len, reverse=True))


def without_demo_texts(text: str) -> str:
    for name in demo_texts():
        text = text.replace(name, "…")
    return text


def wrong_formats(text: str, lang: str, *, where: str, patterns: dict | None = None):
    """Each place in ``text`` written in the other language's format: (where, what, context);
    the demo's own names are left out of it."""
    text = without_demo_texts(text)
    found = []
    for what, pattern in (patterns or WRONG[lang]).items():
        for match in re.finditer(pattern, text):
            at = match.start()
            found.append((where, what, text[max(0, at - 40) : at + 30]))
    return found


def file_texts(name: str, data: bytes, lang: str) -> list[str]:
    """The texts a reader sees in a downloaded file, one per cell (CSV, xlsx), per page
    (PDF) or per property (ics); numbers in an xlsx are numbers and not text."""
    suffix = name.rsplit(".", 1)[-1].lower()
    if suffix == "csv":
        text = data.decode("utf-8-sig")
        return [
            cell
            for row in csv.reader(io.StringIO(text), delimiter=_separator(lang))
            for cell in row
        ]
    if suffix == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        return [
            value
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if isinstance(value, str)
        ]
    if suffix == "pdf":
        return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    if suffix in ("html", "htm"):
        parser = _Text()
        parser.feed(data.decode("utf-8"))
        return parser.texts
    if suffix == "ics":
        unfolded = data.decode("utf-8").replace("\r\n ", "")
        shown = ("SUMMARY", "DESCRIPTION", "LOCATION")  # the rest is for the calendar program
        return [line.split(":", 1)[1] for line in unfolded.splitlines() if line.startswith(shown)]
    raise ValueError(f"no reader for {name}")


def _separator(lang: str) -> str:
    return ";" if lang == "nl" else ","


class _Text(HTMLParser):
    """The text of an HTML page as a reader sees it: not its style sheet."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        self._hidden += tag in ("style", "script")

    def handle_endtag(self, tag) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._hidden:
            self.texts.append(data.strip())
