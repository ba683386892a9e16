"""Numbers, money and percentages as a Dutch or English reader expects them.

Dutch: ``€ 1.234,56`` and ``12,5%``; English: ``€1,234.56`` and ``12.5%``.
Babel does the locale work; nothing here is hand-made string surgery.
"""

from __future__ import annotations

import math

from babel.numbers import format_currency, format_decimal, format_percent

LOCALES = {"nl": "nl_NL", "en": "en_IE"}  # en_IE: euro amounts written the English way


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None, lang: str = "nl", decimals: int = 2) -> str:
    """``€ 1.234,56`` (nl) or ``€1,234.56`` (en); an empty string for a missing value."""
    if _missing(value):
        return ""
    # whole euros for headline figures; the locale's own pattern (and sign place) otherwise
    pattern = None if decimals == 2 else ("¤ #,##0;¤ -#,##0" if lang == "nl" else "¤#,##0")
    return format_currency(
        value, "EUR", format=pattern, locale=LOCALES[lang], currency_digits=decimals == 2
    )


def percent(value: float | None, lang: str = "nl", decimals: int = 1) -> str:
    """A fraction 0–1 as a percentage: 0.125 -> ``12,5%`` (nl) or ``12.5%`` (en)."""
    if _missing(value):
        return ""
    return format_percent(value, format="#,##0." + "0" * decimals + "%" if decimals else None,
                          locale=LOCALES[lang])  # fmt: skip


def number(value: float | None, lang: str = "nl", decimals: int = 0) -> str:
    if _missing(value):
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALES[lang])
