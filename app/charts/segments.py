"""Charts of the segments page: the grid's heat map and the fit codes."""

from __future__ import annotations

import altair as alt
import pandas as pd

from app.charts.base import (
    MONEY,
    SHARE,
    finish,
    money_texts,
    tip,
)
from portfolio.formatting import money, number
from portfolio.i18n import t

SEGMENT_COLORS = {"A": "#54A24B", "B": "#4C78A8", "C": "#BAB0AC"}


def grid_chart(cells: pd.DataFrame, lang: str) -> dict:
    """The revenue × qualities grid: size class (large on top) by score, coloured by segment, with
    the customers and revenue of each cell."""
    data = cells.assign(
        size=cells["size_class"].map(lambda s: t(f"size.{s}", lang)),
        label=[
            f"{number(n, lang)} · {money(v, lang, 0)}" if n else ""
            for n, v in zip(cells["customers"], cells["revenue"], strict=True)
        ],
    )
    sizes = [t(f"size.{s}", lang) for s in ("large", "medium", "small")]
    base = (
        alt.Chart(data)
        .transform_calculate(**money_texts(lang, "revenue"))
        .encode(
            x=alt.X("score:O", title=t("seg.score", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("size:N", sort=sizes, title=t("seg.size", lang)),
        )
    )
    cells_mark = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "segment:N",
            title=t("seg.segment", lang),
            scale=alt.Scale(domain=list(SEGMENT_COLORS), range=list(SEGMENT_COLORS.values())),
        ),
        tooltip=[
            alt.Tooltip("segment:N", title=t("seg.segment", lang)),
            alt.Tooltip("customers:Q", title=t("col.customers", lang)),
            tip("revenue", t("col.revenue", lang), MONEY, lang),
        ],
    )
    text = base.mark_text(fontSize=13, color="white", fontWeight="bold").encode(text="label:N")
    return finish((cells_mark + text).properties(height=240), lang)


def fit_chart(summary: pd.DataFrame, lang: str) -> dict:
    """Fit codes: the share of customers, revenue and hours per fit code, side by side."""
    measures = {
        "customers_share": t("col.customers", lang),
        "revenue_share": t("col.revenue", lang),
        "hours_share": t("col.hours", lang),
    }
    long = summary.melt(
        id_vars="code", value_vars=list(measures), var_name="measure", value_name="share"
    )
    long["measure"] = long["measure"].map(measures)
    long["code"] = long["code"].map(lambda c: str(c) if c else t("seg.fit_none", lang))
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                "code:N",
                title=t("seg.fit_code", lang),
                sort=["1", "2", "3"],
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset="measure:N",
            y=alt.Y("share:Q", title=t("seg.measure", lang), axis=alt.Axis(format=SHARE)),
            color=alt.Color("measure:N", title=None),
            tooltip=["code:N", "measure:N", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(height=280)
    )
    return finish(chart, lang)
