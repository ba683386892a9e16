"""Altair charts of the pages, with Dutch or English number formats.

Every chart gets chart-sized data from ``portfolio.concentration`` or
``portfolio.retention`` (at most a few thousand marks), never a row per line.
"""

from __future__ import annotations

import copy
from functools import cache

import altair as alt
import pandas as pd

from portfolio.formatting import money, number, percent
from portfolio.funnel.steps import TEMPERATURE_COLORS, TEMPERATURES, UNKNOWN_COLOR, temperature
from portfolio.i18n import t
from portfolio.retention import period_label

# d3 formats; the locale below decides which signs they print
MONEY = "$,.0f"
SHARE = ".0%"


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


def _axis(fmt: str, lang: str, **kwargs) -> alt.Axis:
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


def _finish(chart: alt.TopLevelMixin, lang: str) -> dict:
    """The chart's Vega-Lite spec, in the language's number format."""
    return chart.configure(locale=locale(lang)).configure_view(strokeWidth=0).to_dict()


def _with_data(template: dict, **datasets: pd.DataFrame) -> dict:
    """A copy of a chart ``template`` (made once per language by Altair, data by name)
    with ``datasets`` filled in: Altair takes ~80 ms to build a layered chart and copies
    inline data with every layer, more than the rest of a rerun together."""
    spec = copy.deepcopy(template)
    spec.setdefault("datasets", {}).update({n: _records(f) for n, f in datasets.items()})
    return spec


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts: NaN becomes null, as Altair's own conversion does."""
    # column by column: half the time of DataFrame.to_dict("records"), the same values
    names = list(frame.columns)
    columns = [frame[n].astype(object).where(frame[n].notna(), None).tolist() for n in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def pareto_chart(curve: pd.DataFrame, lang: str, value_title: str) -> dict:
    """Bars: value per customer (a bucket's mean); line: cumulative share; rule at 80 %."""
    ranges = curve["first_rank"].astype(str) + "–" + curve["last_rank"].astype(str)
    data = curve.assign(label=curve["customer_name"].fillna(ranges))[
        ["label", "customer_share", "value_per_customer", "cumulative_share"]
    ]  # only what the chart draws: every column costs JSON
    return _with_data(_pareto_template(lang, value_title), pareto=data)


def whale_chart(curve: pd.DataFrame, lang: str) -> dict:
    """Cumulative contribution against the share of customers, the peak marked and labelled."""
    return _with_data(_whale_template(lang), whale=curve)


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
    return _finish(layered, lang)


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
    return _finish((line + dot + label).properties(height=320), lang)


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
            y=alt.Y("shown:Q", title=t(f"ui.flows_{measure}", lang), axis=_axis(fmt, lang)),
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
    return _finish(chart, lang)


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
    return _finish((cells + text).properties(height=height), lang)


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
    return _finish((cells_mark + text).properties(height=240), lang)


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
    return _finish(chart, lang)


WHEN_COLORS = ("#BAB0AC", "#4C78A8")  # before: grey, after: blue


def _when_color(when: list[str]) -> alt.Color:
    """Before in grey, after in blue, in that order in the legend."""
    return alt.Color(
        "when:N", title=None, sort=when, scale=alt.Scale(domain=when, range=list(WHEN_COLORS))
    )


def scenario_bars(bars: pd.DataFrame, lang: str) -> dict:
    """Contribution per segment before and after a price scenario, side by side."""
    return _with_data(_scenario_bars_template(lang), d=bars[["segment", "when", "contribution"]])


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
    return _finish(chart, lang)


def scenario_whales(curves: pd.DataFrame, lang: str) -> dict:
    """The whale curve before and after a price scenario (``when`` tells them apart)."""
    data = curves[["customer_share", "cumulative_contribution", "when"]]
    return _with_data(_scenario_whales_template(lang), d=data)


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
    return _finish(chart, lang)


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
    return _with_data(_funnel_template(lang, measure), d=data)


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
                axis=_axis(fmt, lang),
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
    return _finish(chart, lang)


def calendar_chart(weeks: pd.DataFrame, lang: str) -> dict:
    """Appointments per week for the coming weeks (step 3), overdue ones in this week."""
    data = weeks.assign(week=weeks["week_start"].map(lambda d: f"{d:%d-%m}"))
    return _with_data(_calendar_template(lang), d=data[["week", "count", "customers"]])


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
    return _finish(chart, lang)


def budget_chart(budget: pd.DataFrame, lang: str) -> dict:
    """The weighted plan per quarter (step 4) beside the unweighted estimate."""
    long = budget.melt(
        id_vars="quarter", value_vars=["revenue", "weighted"], var_name="kind", value_name="amount"
    )
    names = {"revenue": t("fn.estimated_revenue", lang), "weighted": t("fn.weighted", lang)}
    long["kind"] = long["kind"].map(names)
    return _with_data(_budget_template(lang), d=long)


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
    return _finish(chart, lang)


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
    return _with_data(_bucket_template(lang), d=pd.DataFrame(rows))


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
    return _finish((bars + text).properties(height=260), lang)


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
    spec = _with_data(_customer_months_template(lang), d=long)
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
    return _finish(chart, lang)
