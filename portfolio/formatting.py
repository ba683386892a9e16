"""Numbers, money and percentages as a Dutch or English reader expects them.

Dutch: ``€ 1.234,56`` and ``12,5%``; English: ``€1,234.56`` and ``12.5%``.
Babel does the locale work; nothing here is hand-made string surgery.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo

import pandas as pd
from babel.dates import format_datetime
from babel.numbers import (
    format_currency,
    format_decimal,
    format_percent,
    get_decimal_symbol,
    get_group_symbol,
)

LOCALES = {"nl": "nl_NL", "en": "en_IE"}  # en_IE: euro amounts written the English way


def _missing(value: object) -> bool:
    """None, NaN, or pandas' missing value of a nullable column (an unknown, never 0)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _unsigned_zero(value: float, decimals: int, scale: int = 1) -> float:
    """0 for a value that rounds to zero: ``€ 0``, never ``€ -0`` (babel keeps the sign).
    Rounded as babel rounds, from the decimal text, half to even: -0.005 is ``€ 0,00``."""
    exact = Decimal(repr(float(value))) * scale
    return 0.0 if exact.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN) == 0 else value


def money(value: float | None, lang: str = "nl", decimals: int = 2) -> str:
    """``€ 1.234,56`` (nl) or ``€1,234.56`` (en); an empty string for a missing value."""
    if value is None or _missing(value):  # (None named for the type checker)
        return ""
    value = _unsigned_zero(value, decimals)
    # whole euros for headline figures; the locale's own pattern (and sign place) otherwise
    pattern = None if decimals == 2 else ("¤ #,##0;¤ -#,##0" if lang == "nl" else "¤#,##0")
    return format_currency(
        value, "EUR", format=pattern, locale=LOCALES[lang], currency_digits=decimals == 2
    )


def percent(value: float | None, lang: str = "nl", decimals: int = 1) -> str:
    """A fraction 0–1 as a percentage: 0.125 -> ``12,5%`` (nl) or ``12.5%`` (en)."""
    if value is None or _missing(value):  # (None named for the type checker)
        return ""
    value = _unsigned_zero(value, decimals, 100)
    return format_percent(
        value, format="#,##0." + "0" * decimals + "%" if decimals else None, locale=LOCALES[lang]
    )


def number(value: float | None, lang: str = "nl", decimals: int = 0) -> str:
    if value is None or _missing(value):  # (None named for the type checker)
        return ""
    value = _unsigned_zero(value, decimals)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def _column_texts(values, lang: str, decimals: int, sample, scale: int = 1) -> list[str]:
    """``sample(value)`` for a whole column, fast: babel writes two examples (1 and -1) once,
    which give the locale's affixes and signs; Python's own grouping fills in the digits.

    Babel costs ~30 µs a value, too slow for 10,000 customers × 10 columns on every rerun.
    """
    positive, negative = sample(1.0), sample(-1.0)
    one = format_decimal(
        1, format="0" + ("." + "0" * decimals if decimals else ""), locale=LOCALES[lang]
    )
    pos_prefix, pos_suffix = positive.split(one, 1)
    neg_prefix, neg_suffix = negative.split(one, 1)
    group = get_group_symbol(LOCALES[lang])
    decimal = get_decimal_symbol(LOCALES[lang])
    swap = str.maketrans({",": group, ".": decimal})
    step = Decimal(1).scaleb(-decimals)
    shift = 10**decimals
    out = []
    for value in values:
        if _missing(value):
            out.append("")
            continue
        number = float(value) * scale
        scaled = abs(number) * shift
        tail = scaled % 1
        # within the float's own error of a half (which grows with the amount: 0.004 at
        # € 274.877.906.944,525) the text decides, as it does for babel
        if abs(tail - 0.5) <= 1e-6 + 4 * math.ulp(scaled):
            # near a half: round as babel does, from the decimal text, half to even
            exact = Decimal(repr(float(value))) * scale
            digits = f"{abs(exact.quantize(step, ROUND_HALF_EVEN)):,.{decimals}f}"
        else:  # elsewhere the float rounds the same way, much faster
            digits = f"{abs(number):,.{decimals}f}"
        digits = digits.translate(swap)
        zero = not any(d in digits for d in "123456789")  # rounds to 0: no sign
        if math.copysign(1.0, number) < 0 and not zero:
            out.append(f"{neg_prefix}{digits}{neg_suffix}")
        else:
            out.append(f"{pos_prefix}{digits}{pos_suffix}")
    return out


def money_texts(values, lang: str = "nl", decimals: int = 2) -> list[str]:
    """``money`` for every value of a column (same text, much faster)."""
    return _column_texts(values, lang, decimals, lambda v: money(v, lang, decimals))


def percent_texts(values, lang: str = "nl", decimals: int = 1) -> list[str]:
    """``percent`` for every value of a column (fractions 0–1)."""
    return _column_texts(values, lang, decimals, lambda v: percent(v / 100, lang, decimals), 100)


def number_texts(values, lang: str = "nl", decimals: int = 0) -> list[str]:
    """``number`` for every value of a column."""
    return _column_texts(values, lang, decimals, lambda v: number(v, lang, decimals))


def moment(iso: str | None, lang: str = "nl", zone: str = "Europe/Amsterdam") -> str:
    """A saved moment (ISO 8601, UTC) as people read it in ``zone``: ``2-12-2026 15:05``
    in Dutch, ``2 Dec 2026, 15:05`` in English; "" when there is none or it is unreadable."""
    try:
        when = datetime.fromisoformat(str(iso))
    except ValueError:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone(ZoneInfo(zone))
    pattern = "d-M-yyyy HH:mm" if lang == "nl" else "d MMM yyyy, HH:mm"
    return format_datetime(local, pattern, locale=LOCALES.get(lang, "nl_NL"))
