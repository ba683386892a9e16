"""Which column of an export is which field: header normalisation and synonym mapping.

Synonyms live in ``config/columns.yaml``. Matching ignores case, accents,
punctuation and a BOM, so "Deb.nr." matches "deb nr" and "Bedrag (Excl)"
matches "bedrag excl". A header may end in a year ("Omzet 2024", "Uren 2025"):
for revenue that marks the one-row-per-customer shape, which is unpivoted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from portfolio.config import column_synonyms
from portfolio.errors import InputError

LINE_FIELDS = (
    "customer_id",
    "customer_name",
    "invoice_date",
    "amount",
    "cost",
    "quantity",
    "discount",
    "invoice_number",
    "due_date",
    "paid_date",
    "product",
    "region",
    "side",
)
# the customer file's figures that every per-customer table carries (unknown without it)
CUSTOMER_FIGURES = (
    "hours",
    "hourly_rate",
    "other_costs",
    "payment_term_days",
    "innovation",
    "network",
    "satisfaction",
)
CUSTOMER_FIELDS = ("customer_id", "customer_name", *CUSTOMER_FIGURES, "fit_code", "margin_pct")
# a small file next to the invoice lines: an estimated margin or cost price per product
PRODUCT_FIELDS = ("product", "margin_pct", "unit_cost")
NUMBER_FIELDS = frozenset(
    {
        "amount",
        "cost",
        "quantity",
        "discount",
        *CUSTOMER_FIGURES,
        "fit_code",
        "margin_pct",
        "unit_cost",
    }
)
DATE_FIELDS = frozenset({"invoice_date", "due_date", "paid_date"})

_YEAR_SUFFIX = re.compile(r"^(?P<base>.*?)\s*(?P<year>(?:19|20)\d{2})$")


def normalize_header(text: object) -> str:
    """Lower case, no accents, no BOM, punctuation turned into single spaces."""
    text = unicodedata.normalize("NFKD", str(text or "").replace("\ufeff", ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def split_year(header: str) -> tuple[str, int | None]:
    """("omzet 2024") -> ("omzet", 2024); a header without a trailing year keeps ``None``."""
    return split_normalized_year(normalize_header(header))


def split_normalized_year(normalized: str) -> tuple[str, int | None]:
    """``split_year`` of a header ``normalize_header`` has made already."""
    match = _YEAR_SUFFIX.match(normalized)
    if not match:
        return normalized, None
    return match["base"], int(match["year"])


@dataclass(frozen=True)
class ColumnMapping:
    """The columns used for each field, as found in the file's header.

    ``fields``: field -> header. ``year_columns``: for the one-row-per-customer
    shape, year -> header of that year's revenue column (empty for invoice lines).
    """

    fields: dict[str, str]
    year_columns: dict[int, str] = field(default_factory=dict)

    @property
    def is_wide(self) -> bool:
        return bool(self.year_columns) and "invoice_date" not in self.fields


def _candidates(headers: list[str], synonyms: dict[str, tuple[str, ...]]):
    """(rank, field order, column order, field, header) for every header that matches a synonym."""
    order = list(synonyms)
    for col, header in enumerate(headers):
        normalized = normalize_header(header)
        base, year = split_normalized_year(normalized)
        for field_name, names in synonyms.items():
            for rank, name in enumerate(names):
                # a trailing year is allowed on per-customer figures ("Uren 2025"), not on lines
                if normalized == name or (year is not None and base == name):
                    yield rank, order.index(field_name), col, field_name, header
                    break


def map_columns(
    headers: list[str], shape: str = "lines", overrides: dict[str, str | None] | None = None
) -> ColumnMapping:
    """Map headers to fields for ``shape`` ("lines", "customers" or "products").

    The best-ranked synonym wins; a header serves one field only. ``overrides``
    (field -> header, or ``None`` to unmap) are applied first and always win.
    """
    config = column_synonyms()
    synonyms = dict(getattr(config, shape))
    overrides = dict(overrides or {})
    taken: dict[str, str] = {f: h for f, h in overrides.items() if h}
    used = set(taken.values())
    year_columns = _revenue_year_columns(headers, synonyms["amount"]) if shape == "lines" else {}
    if shape == "lines":
        # an amount column with a year is the wide shape, not one line's amount
        used |= set(year_columns.values())
    for _rank, _f, _c, field_name, header in sorted(_candidates(headers, synonyms)):
        if field_name in taken or field_name in overrides or header in used:
            continue
        if shape == "lines" and split_year(header)[1] is not None:
            continue
        taken[field_name] = header
        used.add(header)
    return ColumnMapping(fields=taken, year_columns=year_columns)


def _revenue_year_columns(headers: list[str], amount_synonyms: tuple[str, ...]) -> dict[int, str]:
    """Headers like "Omzet 2024" or a bare "2024": year -> header."""
    never = set(column_synonyms().never_revenue)
    found: dict[int, str] = {}
    for header in headers:
        base, year = split_year(header)
        if year is not None and (base in amount_synonyms or base == "") and base not in never:
            found.setdefault(year, header)
    return dict(sorted(found.items()))


def check_mapping(
    headers: list[str], overrides: dict[str, str | None] | None, fields: tuple[str, ...], file: str
) -> None:
    """Raise ``InputError`` when a chosen mapping cannot be used: an unknown field, a column
    the file does not have, or one column chosen for two fields."""
    chosen: dict[str, str] = {}
    for field_name, header in (overrides or {}).items():
        if field_name not in fields:
            raise InputError("map_unknown_field", field=field_name, fields=", ".join(fields))
        if header is None:
            continue
        if header not in headers:
            shown = ", ".join(headers[:12]) + (" …" if len(headers) > 12 else "")
            raise InputError(
                "map_unknown_column", column=header, field=field_name, file=file, headers=shown
            )
        if header in chosen:
            raise InputError(
                "map_column_twice",
                column=header,
                file=file,
                first=chosen[header],
                second=field_name,
            )
        chosen[header] = field_name
