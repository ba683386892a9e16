"""Charts of the price scenario page: before and after per segment, and the whale
curves of each scenario."""

from __future__ import annotations

from functools import cache

import altair as alt
import pandas as pd

from app.charts.base import (
    MONEY,
    SHARE,
    WHEN_COLORS,
    finish,
    money_axis,
    money_texts,
    tip,
    with_data,
)
from portfolio.i18n import t


def _when_color(when: list[str]) -> alt.Color:
    """Before in grey, after in blue, in that order in the legend."""
    return alt.Color(
        "when:N", title=None, sort=when, scale=alt.Scale(domain=when, range=list(WHEN_COLORS))
    )


def scenario_bars(bars: pd.DataFrame, lang: str) -> dict:
    """Contribution per segment before and after a price scenario, side by side."""
    return with_data(_scenario_bars_template(lang), d=bars[["segment", "when", "contribution"]])


@cache
def _scenario_bars_template(lang: str) -> dict:
    when = [t("sc.before", lang), t("sc.after", lang)]
    chart = (
        alt.Chart(alt.Data(name="d"))
        .transform_calculate(**money_texts(lang, "contribution"))
        .mark_bar()
        .encode(
            x=alt.X(
                "segment:N",
                title=t("seg.segment", lang),
                sort=None,
                axis=alt.Axis(labelAngle=0, labelLimit=160),
            ),
            xOffset=alt.XOffset("when:N", sort=when),
            y=alt.Y("contribution:Q", title=t("col.contribution", lang), axis=money_axis(lang)),
            color=_when_color(when),
            tooltip=[
                alt.Tooltip("segment:N", title=t("seg.segment", lang)),
                alt.Tooltip("when:N", title=" "),
                tip("contribution", t("col.contribution", lang), MONEY, lang),
            ],
        )
        .properties(height=300)
    )
    return finish(chart, lang)


def scenario_whales(curves: pd.DataFrame, lang: str) -> dict:
    """The whale curve before and after a price scenario (``when`` tells them apart)."""
    data = curves[["customer_share", "cumulative_contribution", "when"]]
    return with_data(_scenario_whales_template(lang), d=data)


@cache
def _scenario_whales_template(lang: str) -> dict:
    when = [t("sc.before", lang), t("sc.after", lang)]
    chart = (
        alt.Chart(alt.Data(name="d"))
        .transform_calculate(**money_texts(lang, "cumulative_contribution"))
        .mark_line()
        .encode(
            x=alt.X(
                "customer_share:Q",
                title=t("ui.axis_customer_share", lang),
                axis=alt.Axis(format=SHARE),
                scale=alt.Scale(domain=[0, 1]),
            ),
            y=alt.Y(
                "cumulative_contribution:Q",
                title=t("ui.contribution", lang),
                axis=money_axis(lang),
            ),
            color=_when_color(when),
            tooltip=[
                alt.Tooltip("when:N", title=" "),
                alt.Tooltip(
                    "customer_share:Q", format=".1%", title=t("ui.axis_customer_share", lang)
                ),
                tip("cumulative_contribution", t("ui.contribution", lang), MONEY, lang),
            ],
        )
        .properties(height=300)
    )
    return finish(chart, lang)
