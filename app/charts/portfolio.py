"""Charts of the portfolio as a whole and of one customer: Pareto and whale curves,
retention flows and cohorts, a customer's months."""

from __future__ import annotations

from functools import cache

import altair as alt
import pandas as pd

from app.charts.base import (
    MONEY,
    SHARE,
    finish,
    money_axis,
    money_texts,
    tip,
    value_axis,
    with_data,
)
from portfolio.i18n import t
from portfolio.retention import period_label


def pareto_chart(curve: pd.DataFrame, lang: str, value_title: str) -> dict:
    """Bars: value per customer (a bucket's mean); line: cumulative share; rule at 80 %."""
    ranges = curve["first_rank"].astype(str) + "–" + curve["last_rank"].astype(str)
    data = curve.assign(label=curve["customer_name"].fillna(ranges))[
        ["label", "customer_share", "value_per_customer", "cumulative_share"]
    ]  # only what the chart draws: every column costs JSON
    return with_data(_pareto_template(lang, value_title), pareto=data)


def whale_chart(curve: pd.DataFrame, lang: str) -> dict:
    """Cumulative contribution against the share of customers, the peak marked and labelled."""
    return with_data(_whale_template(lang), whale=curve)


@cache
def _pareto_template(lang: str, value_title: str) -> dict:
    x = alt.X(
        "customer_share:Q",
        title=t("ui.axis_customer_share", lang),
        axis=alt.Axis(format=SHARE),
        scale=alt.Scale(domain=[0, 1]),
    )
    tooltip = [
        alt.Tooltip("label:N", title=t("ui.axis_customer", lang)),
        tip("value_per_customer", t("ui.axis_per_customer", lang), MONEY, lang),
        alt.Tooltip("cumulative_share:Q", title=t("ui.axis_cumulative", lang), format=".1%"),
    ]
    # the data sits on the layer, once: a copy per mark costs more than the drawing
    bars = alt.Chart().transform_calculate(**money_texts(lang, "value_per_customer"))
    bars = bars.mark_bar(color="#4C78A8", opacity=0.8).encode(
        x=x,
        y=alt.Y(
            "value_per_customer:Q",
            axis=money_axis(lang),
            title=f"{value_title} — {t('ui.axis_per_customer', lang)}",
        ),
        tooltip=tooltip,
    )
    # from 0 to the curve's top: contribution passes 100 % before the loss makers
    share_axis = alt.Y(
        "cumulative_share:Q",
        title=t("ui.axis_cumulative", lang),
        axis=alt.Axis(format=SHARE),
        scale=alt.Scale(domainMin=0),
    )
    line = alt.Chart().mark_line(color="#E45756", strokeWidth=2).encode(x=x, y=share_axis)
    mark = alt.Chart().mark_rule(color="#E45756", strokeDash=[4, 4]).encode(y=alt.datum(0.8))
    layered = (
        alt.layer(bars, alt.layer(line, mark), data=alt.Data(name="pareto"))
        .resolve_scale(y="independent")
        .properties(height=340)
    )
    return finish(layered, lang)


@cache
def _whale_template(lang: str) -> dict:
    x = alt.X(
        "customer_share:Q",
        title=t("ui.axis_customer_share", lang),
        axis=alt.Axis(format=SHARE),
        scale=alt.Scale(domain=[0, 1]),
    )
    y = alt.Y("cumulative_contribution:Q", title=t("ui.contribution", lang), axis=money_axis(lang))
    whale = alt.Data(name="whale")
    line = alt.Chart(whale).transform_calculate(**money_texts(lang, "cumulative_contribution"))
    line = line.mark_area(line={"color": "#54A24B"}, opacity=0.25, color="#54A24B").encode(
        x=x,
        y=y,
        tooltip=[
            alt.Tooltip("customer_share:Q", format=".1%", title=t("ui.axis_customer_share", lang)),
            tip("cumulative_contribution", t("ui.contribution", lang), MONEY, lang),
        ],
    )
    peak = alt.Chart(whale).transform_filter("datum.is_peak")
    dot = peak.mark_point(size=90, filled=True, color="#E45756").encode(x=x, y=y)
    label = peak.mark_text(dy=-12, fontWeight="bold", color="#E45756").encode(
        x=x, y=y, text=alt.value(t("ui.whale_peak_label", lang))
    )
    return finish((line + dot + label).properties(height=320), lang)


FLOW_COLORS = {"retained": "#4C78A8", "new": "#54A24B", "lost": "#E45756"}


# an axis label "5 jan – 20 mrt 2024" on two lines, broken after the dash: horizontal,
# it stays readable under narrow bars without being turned on its side
_TWO_LINES = (
    "indexof(datum.label, ' – ') < 0 ? datum.label : "
    "[slice(datum.label, 0, indexof(datum.label, ' – ') + 2), "
    "slice(datum.label, indexof(datum.label, ' – ') + 3)]"
)


def flows_chart(flows: pd.DataFrame, lang: str, measure: str):
    """Stacked bars per period: retained and new above zero, lost below (what went away).

    One bar per period, named by ``period_label`` (unique, whatever the from–to) and
    ordered by the period's start, oldest left: never by the labels' alphabet.
    """
    flows = flows.sort_values(["period_start", "flow"], key=_flow_order, kind="stable")
    labels = [
        period_label(s, e, lang)
        for s, e in zip(flows["period_start"], flows["period_end"], strict=True)
    ]
    data = flows.assign(
        period=labels,
        shown=flows[measure].where(flows["flow"] != "lost", -flows[measure]),
        flow_label=flows["flow"].map(lambda f: t(f"ui.flow_{f}", lang)),
        stack=flows["flow"].map(list(FLOW_COLORS).index),  # retained at the bottom
    )
    order = [t(f"ui.flow_{f}", lang) for f in FLOW_COLORS]
    fmt = MONEY if measure == "revenue" else ",.0f"
    axis = alt.Axis(labelAngle=0, labelExpr=_TWO_LINES, labelOverlap=True)
    chart = (
        alt.Chart(data)
        .transform_calculate(**money_texts(lang, measure))
        .mark_bar()
        .encode(
            x=alt.X(
                "period:N",
                sort=list(dict.fromkeys(labels)),
                axis=axis,
                title=t("ui.axis_period", lang),
            ),
            y=alt.Y("shown:Q", title=t(f"ui.flows_{measure}", lang), axis=value_axis(fmt, lang)),
            color=alt.Color(
                "flow_label:N",
                title=t("ui.flow", lang),
                scale=alt.Scale(domain=order, range=list(FLOW_COLORS.values())),
            ),
            order=alt.Order("stack:Q"),
            tooltip=[
                alt.Tooltip("period:N", title=t("ui.axis_period", lang)),
                alt.Tooltip("flow_label:N", title=t("ui.flow", lang)),
                tip(measure, t(f"ui.flows_{measure}", lang), fmt, lang),
            ],
        )
        .properties(height=300)
    )
    return finish(chart, lang)


def _flow_order(column: pd.Series) -> pd.Series:
    """Sort key of ``flows_chart``: dates as they are, flows as retained, new, lost."""
    return column.map(list(FLOW_COLORS).index) if column.name == "flow" else column


def cohort_chart(cohorts: pd.DataFrame, lang: str, measure: str):
    """Heat map: first year × calendar year, coloured by revenue, kept share or customers."""
    fmt = {"revenue": MONEY, "kept": SHARE, "customers": ",.0f"}[measure]
    # the first cohort also holds every customer who bought before the data starts
    first = cohorts["cohort"].min()
    names = {
        c: t("ui.cohort_or_earlier", lang, year=c) if c == first else str(c)
        for c in sorted(cohorts["cohort"].unique())
    }
    data = cohorts.assign(cohort=cohorts["cohort"].map(names), year=cohorts["year"].astype(str))
    base = (
        alt.Chart(data)
        .transform_calculate(**money_texts(lang, measure))
        .encode(
            x=alt.X("year:O", title=t("ui.period_year", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("cohort:O", title=t("ui.cohort_first_year", lang), sort=list(names.values())),
        )
    )
    cells = base.mark_rect().encode(
        color=alt.Color(f"{measure}:Q", legend=None, scale=alt.Scale(scheme="blues")),
        tooltip=[
            alt.Tooltip("cohort:O", title=t("ui.cohort_first_year", lang)),
            alt.Tooltip("year:O", title=t("ui.period_year", lang)),
            tip(measure, alt.Undefined, fmt, lang),
        ],
    )
    dark = float(cohorts[measure].max() or 0) / 2  # white text on the darker half of the scale
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text(f"{measure}_text:N")
        if fmt == MONEY
        else alt.Text(f"{measure}:Q", format=fmt),
        color=alt.condition(f"datum.{measure} > {dark}", alt.value("white"), alt.value("black")),
    )
    # a row is 40 px, but one row alone is not a line: at least 160 px
    height = max(160, 40 * len(names) + 40)
    return finish((cells + text).properties(height=height), lang)


CARD_COLORS = ("#4C78A8", "#54A24B")  # revenue, gross margin


def customer_months_chart(months: pd.DataFrame, lang: str) -> dict:
    """One customer's revenue and gross margin per month over the whole history (the
    customer card); an unknown margin is a gap in its line, never a 0."""
    labels = [period_label(m, (m + pd.offsets.MonthEnd(0)), lang) for m in months["month"]]
    names = {"revenue": t("col.revenue", lang), "gross_margin": t("col.gross_margin", lang)}
    long = months.assign(label=labels).melt(
        id_vars="label", value_vars=list(names), var_name="kind", value_name="amount"
    )
    long["kind"] = long["kind"].map(names)
    spec = with_data(_customer_months_template(lang), d=long)
    spec["encoding"]["x"]["sort"] = labels  # oldest first, not by the labels' alphabet
    return spec


@cache
def _customer_months_template(lang: str) -> dict:
    names = [t("col.revenue", lang), t("col.gross_margin", lang)]
    chart = (
        alt.Chart(alt.Data(name="d"))
        .transform_calculate(**money_texts(lang, "amount"))
        .mark_line(point=True)
        .encode(
            x=alt.X("label:O", title=None, axis=alt.Axis(labelAngle=0, labelOverlap="parity")),
            y=alt.Y("amount:Q", title=None, axis=money_axis(lang)),
            color=alt.Color(
                "kind:N",
                title=None,
                sort=names,
                scale=alt.Scale(domain=names, range=list(CARD_COLORS)),
            ),
            tooltip=[
                alt.Tooltip("label:O", title=t("ui.axis_period", lang)),
                alt.Tooltip("kind:N", title=" "),
                tip("amount", " ", MONEY, lang),
            ],
        )
        .properties(height=220)
    )
    return finish(chart, lang)
