"""Charts of the five steps: the funnel, the anchor calendar, the growth budget and the
bucket with its temperature."""

from __future__ import annotations

from functools import cache

import altair as alt
import pandas as pd

from app.charts.base import (
    MONEY,
    WHEN_COLORS,
    finish,
    money_axis,
    money_texts,
    tip,
    value_axis,
    with_data,
)
from portfolio.formatting import number, percent
from portfolio.funnel.steps import TEMPERATURE_COLORS, TEMPERATURES, UNKNOWN_COLOR, temperature
from portfolio.i18n import t

GROUP_COLORS = {
    "portfolio": "#4C78A8",
    "profitable": "#54A24B",
    "unprofitable": "#E45756",
    "anchor": "#4C78A8",
    "remediate": "#F58518",
    "grow": "#54A24B",
    "part": "#BAB0AC",
}


FUNNEL_PARTS = ("portfolio", "profitable", "unprofitable", "anchor", "remediate", "grow", "part")


def funnel_chart(flows: pd.DataFrame, lang: str, measure: str) -> dict:
    """Step 1, select: the portfolio, then profitable or not, then the four groups, as
    stacked horizontal bars of customers or revenue (``flows``: ``funnel.steps.funnel_flows``
    with a ``label`` per part)."""
    stages = [t(f"fn.stage.{i}", lang) for i in range(3)]
    data = flows.assign(
        stage_label=flows["stage"].map(lambda i: stages[i]), order=range(len(flows))
    )
    data = data[["stage_label", "label", "order", measure]]
    return with_data(_funnel_template(lang, measure), d=data)


@cache
def _funnel_template(lang: str, measure: str) -> dict:
    stages = [t(f"fn.stage.{i}", lang) for i in range(3)]
    fmt = MONEY if measure == "revenue" else ",.0f"
    labels = [t(f"fn.part.{p}", lang) for p in FUNNEL_PARTS]
    color = alt.Color(
        "label:N",
        title=None,
        sort=labels,
        scale=alt.Scale(domain=labels, range=[GROUP_COLORS[p] for p in FUNNEL_PARTS]),
    )
    chart = (
        alt.Chart(alt.Data(name="d"))
        .transform_calculate(**money_texts(lang, measure))
        .mark_bar()
        .encode(
            y=alt.Y("stage_label:N", sort=stages, title=None),
            x=alt.X(
                f"{measure}:Q",
                title=t(f"col.{measure}", lang),
                axis=value_axis(fmt, lang),
                stack="zero",
            ),
            color=color,
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("label:N", title=" "),
                tip(measure, t(f"col.{measure}", lang), fmt, lang),
            ],
        )
        .properties(height=200)
    )
    return finish(chart, lang)


def calendar_chart(weeks: pd.DataFrame, lang: str) -> dict:
    """Appointments per week for the coming weeks (step 3), overdue ones in this week."""
    data = weeks.assign(week=weeks["week_start"].map(lambda d: f"{d:%d-%m}"))
    return with_data(_calendar_template(lang), d=data[["week", "count", "customers"]])


@cache
def _calendar_template(lang: str) -> dict:
    chart = (
        alt.Chart(alt.Data(name="d"))
        .mark_bar(color="#4C78A8")
        .encode(
            # level labels, every other one dropped where they would touch (26 weeks)
            x=alt.X(
                "week:N",
                sort=None,
                title=t("fn.week", lang),
                axis=alt.Axis(labelAngle=0, labelOverlap="parity"),
            ),
            y=alt.Y(
                "count:Q",
                title=t("fn.appointments", lang),
                axis=alt.Axis(tickMinStep=1, format="d"),  # whole appointments, never 0,000000
            ),
            tooltip=[
                alt.Tooltip("week:N", title=t("fn.week", lang)),
                alt.Tooltip("count:Q", title=t("fn.appointments", lang)),
                alt.Tooltip("customers:N", title=t("col.customers", lang)),
            ],
        )
        .properties(height=200)
    )
    return finish(chart, lang)


def budget_chart(budget: pd.DataFrame, lang: str) -> dict:
    """The weighted plan per quarter (step 4) beside the unweighted estimate."""
    long = budget.melt(
        id_vars="quarter", value_vars=["revenue", "weighted"], var_name="kind", value_name="amount"
    )
    names = {"revenue": t("fn.estimated_revenue", lang), "weighted": t("fn.weighted", lang)}
    long["kind"] = long["kind"].map(names)
    return with_data(_budget_template(lang), d=long)


@cache
def _budget_template(lang: str) -> dict:
    names = {"revenue": t("fn.estimated_revenue", lang), "weighted": t("fn.weighted", lang)}
    chart = (
        alt.Chart(alt.Data(name="d"))
        .transform_calculate(**money_texts(lang, "amount"))
        .mark_bar()
        .encode(
            x=alt.X(
                "quarter:N", sort=None, title=t("fn.quarter", lang), axis=alt.Axis(labelAngle=0)
            ),
            xOffset=alt.XOffset("kind:N", sort=list(names.values())),
            y=alt.Y("amount:Q", title=t("col.revenue", lang), axis=money_axis(lang)),
            color=alt.Color(
                "kind:N",
                title=None,
                sort=list(names.values()),
                scale=alt.Scale(range=list(WHEN_COLORS)),
            ),
            tooltip=[
                alt.Tooltip("quarter:N", title=t("fn.quarter", lang)),
                alt.Tooltip("kind:N", title=" "),
                tip("amount", t("col.revenue", lang), MONEY, lang),
            ],
        )
        .properties(height=240)
    )
    return finish(chart, lang)


def bucket_chart(figures: dict, lang: str) -> dict:
    """The bucket: the water level (revenue) now and after the plan, each bar
    coloured by its temperature band (``funnel.steps.temperature``: ice-cold blue to hot red),
    its margin written on it, the change beside the one after the plan."""
    rows = []
    for when in ("now", "after"):
        margin = figures[f"margin_{when}"]
        text = percent(margin, lang) or "–"
        before = figures["margin_now"]
        if when == "after" and margin is not None and before is not None:
            points = number((margin - before) * 100, lang, 1)
            text += f" ({'+' if margin >= before else ''}{points} {t('ui.points_short', lang)})"
        band = temperature(margin)
        rows.append(
            {
                "when": t(f"fn.bucket_{when}", lang),
                "revenue": figures[f"revenue_{when}"],
                "band": _band_label(band, lang) if band else t("ui.unknown", lang),
                "margin_text": text,
            }
        )
    return with_data(_bucket_template(lang), d=pd.DataFrame(rows))


def _band_label(band: str, lang: str) -> str:
    """ "Lauw (5–10%)": a temperature band's name and margins (``funnel.steps.TEMPERATURES``)."""
    starts = [start for start, _name in TEMPERATURES]
    names = ["ice", *(name for _start, name in TEMPERATURES)]
    i = names.index(band)
    low, high = (starts[i - 1] if i else None), (starts[i] if i < len(starts) else None)
    if low is None:
        span = t("ui.below", lang, value=percent(high, lang, 0))
    elif high is None:
        span = t("ui.and_up", lang, value=percent(low, lang, 0))
    else:
        span = f"{percent(low, lang, 0)[:-1]}–{percent(high, lang, 0)}"
    return f"{t(f'fn.temperature.{band}', lang)} ({span})"


@cache
def _bucket_template(lang: str) -> dict:
    base = alt.Chart(alt.Data(name="d")).transform_calculate(**money_texts(lang, "revenue"))
    base = base.encode(
        x=alt.X("when:N", sort=None, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("revenue:Q", title=t("fn.water_level", lang), axis=money_axis(lang)),
    )
    bands = [_band_label(b, lang) for b in TEMPERATURE_COLORS] + [t("ui.unknown", lang)]
    bars = base.mark_bar(size=70, cornerRadiusTopLeft=4, cornerRadiusTopRight=4).encode(
        color=alt.Color(
            "band:N",
            title=t("fn.temperature", lang),
            scale=alt.Scale(domain=bands, range=[*TEMPERATURE_COLORS.values(), UNKNOWN_COLOR]),
        ),
        tooltip=[
            alt.Tooltip("when:N", title=" "),
            tip("revenue", t("fn.water_level", lang), MONEY, lang),
            alt.Tooltip("margin_text:N", title=t("fn.temperature", lang)),
        ],
    )
    text = base.mark_text(dy=-10, fontWeight="bold").encode(text="margin_text:N")
    return finish((bars + text).properties(height=260), lang)
