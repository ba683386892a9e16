"""What every chart shares: the language's number formats (d3 locale, money axes and
tooltips) and the data put into a cached Vega-Lite template."""

from __future__ import annotations

import copy

import altair as alt
import pandas as pd

# d3 formats; the locale below decides which signs they print
MONEY = "$,.0f"
SHARE = ".0%"
WHEN_COLORS = ("#BAB0AC", "#4C78A8")  # before: grey, after: blue (scenarios, budget)


def locale(lang: str) -> alt.Locale:
    """Vega's number locale: `€ 1.234` (nl) or `€1,234` (en), as the rest of the app writes;
    the minus a hyphen, as in the tables (d3's own is U+2212)."""
    if lang == "nl":
        number = alt.NumberLocale(
            decimal=",", thousands=".", grouping=[3], currency=["€\u00a0", ""], minus="-"
        )
    else:
        number = alt.NumberLocale(
            decimal=".", thousands=",", grouping=[3], currency=["€", ""], minus="-"
        )
    return alt.Locale(number=number)


def _money_expr(value: str, lang: str) -> str:
    """A Vega expression writing the amount ``value`` as ``formatting.money`` writes whole
    euros: € -1.234 (nl), -€1,234 (en). Vega's own currency format puts the minus before
    the euro sign in both languages, unlike every table of the app."""
    amount = f"format(abs(round({value})), ',.0f')"
    negative = f"round({value}) < 0"
    if lang == "nl":
        return f"({negative} ? '€\u00a0-' : '€\u00a0') + {amount}"
    return f"({negative} ? '-€' : '€') + {amount}"


def money_axis(lang: str, **kwargs) -> alt.Axis:
    """An axis of euro amounts, labelled as the tables write them."""
    return alt.Axis(labelExpr=_money_expr("datum.value", lang), **kwargs)


def value_axis(fmt: str, lang: str, **kwargs) -> alt.Axis:
    return money_axis(lang, **kwargs) if fmt == MONEY else alt.Axis(format=fmt, **kwargs)


def money_texts(lang: str, *fields: str) -> dict[str, str]:
    """``transform_calculate`` arguments: a ``<field>_text`` for each amount ``field``, for
    a tooltip or a label (``tip``)."""
    return {f"{field}_text": _money_expr(f"datum[{field!r}]", lang) for field in fields}


def tip(field: str, title, fmt: str, lang: str) -> alt.Tooltip:
    """A tooltip of ``field`` in format ``fmt``; an amount reads its ``money_texts`` text."""
    if fmt == MONEY:
        return alt.Tooltip(f"{field}_text:N", title=title)
    return alt.Tooltip(f"{field}:Q", format=fmt, title=title)


def finish(chart: alt.TopLevelMixin, lang: str) -> dict:
    """The chart's Vega-Lite spec, in the language's number format."""
    return chart.configure(locale=locale(lang)).configure_view(strokeWidth=0).to_dict()


def with_data(template: dict, **datasets: pd.DataFrame) -> dict:
    """A copy of a chart ``template`` (made once per language by Altair, data by name)
    with ``datasets`` filled in: Altair takes ~80 ms to build a layered chart and copies
    inline data with every layer, more than the rest of a rerun together."""
    spec = copy.deepcopy(template)
    spec.setdefault("datasets", {}).update({n: records(f) for n, f in datasets.items()})
    return spec


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts: NaN becomes null, as Altair's own conversion does."""
    # column by column: half the time of DataFrame.to_dict("records"), the same values
    names = list(frame.columns)
    columns = [frame[n].astype(object).where(frame[n].notna(), None).tolist() for n in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
