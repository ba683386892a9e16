"""The price scenario page's parts: the split, the levers per segment with their
break-even, the presets, the results, the sensitivity table and saved scenarios."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import charts as _charts
from app import door
from app.ui import (
    View,
    assumptions,
    delta_args,
    lang,
    log_event,
    show_error,
    split_for,
    tr,
    tr_plain,
    unknown_contribution,
)
from portfolio import PortfolioError
from portfolio.concentration import whale_curve
from portfolio.config import segment_rules, thresholds
from portfolio.decisions import Decisions
from portfolio.export import xlsx_workbook
from portfolio.formatting import money, money_texts, number, number_texts, percent
from portfolio.i18n import catalogue
from portfolio.links import bounds
from portfolio.scenarios.model import (
    Lever,
    contribution_falls,
    customer_effects,
    days_to_pay,
    discount_price_change,
    lever_breakeven,
    segment_effects,
    sensitivity,
    totals,
)
from portfolio.scenarios.saved import delete_scenario, levers_of, load_scenarios, save_scenario
from portfolio.segments.schemes import FINAL, SPLITS, segmented_customers
from portfolio.store import data_dir
from portfolio.summary import contribution_unknown_because, known_total

FIELDS = ("price_change", "leaving", "volume_change", "fewer_days")
# the levers whose effect can only be judged on the margin: without a cost price they
# would change revenue alone, as if margin did not exist, so their sliders are off
MARGIN_LEVERS = ("price_change", "volume_change")
NOTICE = "sc_notice"  # a preset's message, shown on the run after its button


def split_choices(final: dict | None) -> list[str]:
    return ([FINAL] if final else []) + list(SPLITS)


def scheme_segment_name(scheme: str, segment: str) -> str:
    """ "A · Persoonlijk" (the grid: its channel) or "A · Topwaarde" (value): the letter
    with what it stands for."""
    if scheme == "grid" and segment in (channels := segment_rules().grid.channels):
        return f"{segment} · {tr('channel.' + channels[segment])}"
    if scheme == "value" and segment in "ABCD":
        return tr(f"seg.value_name.{segment}")
    return segment


def segment_label(split: str, segment: str, final: dict | None) -> str:
    scheme = final["scheme"] if split == FINAL and final else split
    if segment in ("unassigned", "all", "profitable", "loss_making", "unknown"):
        return tr(f"sc.seg.{segment}")
    if scheme == "types":
        return tr(f"seg.type.{segment}")
    if scheme == "fit":
        return tr("seg.fit_none") if segment == "none" else f"{tr('seg.fit_code')} {segment}"
    return scheme_segment_name(scheme, segment)


def customers_for(
    view: View, table: pd.DataFrame, split: str, decisions: Decisions
) -> pd.DataFrame:
    """The segmented customers with their segment; hours and cost to serve as measured."""
    segments = split_for(view, table, decisions, split)
    return segmented_customers(table).assign(segment=segments)


def no_cost_price(customers: pd.DataFrame) -> bool:
    """Whether the data has no cost price: gross margin, and so contribution, unknown for
    every customer (without hours alone the gross margin still stands)."""
    return contribution_unknown_because(customers) == "cost"


def cost_note(customers: pd.DataFrame) -> None:
    """The one line, above the sliders, that says why the margin-based parts of the page
    are off without a cost price and how to add it."""
    if no_cost_price(customers):
        st.info(tr("sc.no_cost"), icon="ℹ️")


def _unknown_texts(texts: list[str]) -> list[str]:
    """A column's texts with the word for unknown where the figure is missing (the
    formatters leave those empty): never a blank that reads as nothing, never € 0."""
    word = tr_plain("ui.unknown")
    return [text or word for text in texts]


def _key(split: str, segment: str, field: str) -> str:
    return f"sc_{split}_{segment}_{field}"


def set_levers(split: str, segments: list[str], levers: dict[str, Lever]) -> None:
    """Put levers on the sliders (percent and days as the sliders show them)."""
    for segment in segments:
        lever = levers.get(segment, Lever())
        st.session_state[_key(split, segment, "price_change")] = round(lever.price_change * 100)
        st.session_state[_key(split, segment, "leaving")] = round(lever.leaving * 100)
        st.session_state[_key(split, segment, "volume_change")] = round(lever.volume_change * 100)
        st.session_state[_key(split, segment, "fewer_days")] = round(lever.fewer_days)


def preset_buttons(split: str, customers: pd.DataFrame, order: list[str]) -> None:
    """The pricing levers in one click: dearer for the loss-making, no more discounts, reset."""
    cfg = thresholds().scenarios
    limit = cfg.price_change_limit

    def loss_making() -> None:
        by_segment = customers.groupby("segment")[["revenue", "contribution"]].sum()
        losing = [s for s in order if by_segment.loc[s, "contribution"] < 0]
        set_levers(
            split,
            order,
            {s: Lever(cfg.unprofitable_price_rise, cfg.unprofitable_leaving) for s in losing},
        )
        if not losing:
            st.session_state[NOTICE] = "sc.preset_no_loss"

    def no_discounts() -> None:
        rises = {s: discount_price_change(customers[customers["segment"] == s]) for s in order}
        if all(r is None for r in rises.values()):
            st.session_state[NOTICE] = "sc.preset_no_discount"
            return
        set_levers(split, order, {s: Lever(min(r or 0.0, limit)) for s, r in rises.items()})

    # which segments lose money needs their contribution; stopping discounts sets prices
    left, middle, right = st.columns(3)
    left.button(
        tr("sc.preset_loss_making"),
        on_click=loss_making,
        key=f"sc_p1_{split}",
        help=tr("sc.preset_loss_making_help"),
        disabled=bool(customers["contribution"].isna().all()),
    )
    middle.button(
        tr("sc.preset_discounts"),
        on_click=no_discounts,
        key=f"sc_p2_{split}",
        help=tr("sc.preset_discounts_help"),
        disabled=no_cost_price(customers),
    )
    right.button(
        tr("sc.preset_reset"), on_click=set_levers, args=(split, order, {}), key=f"sc_p3_{split}"
    )
    if notice := st.session_state.pop(NOTICE, None):
        st.info(tr(notice))


def lever_controls(
    split: str, customers: pd.DataFrame, order: list[str], final: dict | None
) -> dict[str, Lever]:
    """Per segment four sliders, its figures and the break-even for the price change.
    Without a cost price the price and volume sliders are off (at 0) and there is no
    break-even to show: ``cost_note`` says why once, above them."""
    language = lang()
    no_cost = no_cost_price(customers)
    grouped = customers.groupby("segment")
    levers = {}
    for segment in order:
        part = grouped.get_group(segment)
        revenue, contribution = part["revenue"].sum(), known_total(part["contribution"])
        margin = contribution / revenue if revenue and pd.notna(contribution) else None
        with st.container(border=True):
            info, price, leaving, volume, days = st.columns([2, 2, 2, 2, 2])
            info.markdown(f"**{segment_label(split, segment, final)}**")
            info.caption(
                tr(
                    "sc.segment_facts",
                    customers=number(len(part), language),
                    revenue=money(revenue, language, 0),
                    margin=percent(margin, language)
                    if margin is not None
                    else tr_plain("ui.unknown"),
                )
            )
            values = {}
            for column, field, fmt in (
                (price, "price_change", "%+d%%"),
                (leaving, "leaving", "%d%%"),
                (volume, "volume_change", "%+d%%"),
                (days, "fewer_days", "%d"),
            ):
                key = _key(split, segment, field)
                low, high = bounds(key)
                off = no_cost and field in MARGIN_LEVERS
                if off:  # not a value left from another dataset or a loaded scenario
                    st.session_state[key] = 0
                st.session_state.setdefault(key, 0)
                values[field] = column.slider(
                    tr(f"sc.{field}"), low, high, step=1, format=fmt, key=key, disabled=off
                )
            lever = Lever(
                values["price_change"] / 100,
                values["leaving"] / 100,
                values["volume_change"] / 100,
                float(values["fewer_days"]),
            )
            levers[segment] = lever
            figures = (
                revenue,
                known_total(part["gross_margin"]),
                known_total(part["cost_to_serve"]),
            )
            if not no_cost:
                _breakeven_note(info, figures, lever, language)
    return levers


def _breakeven_note(column, figures: tuple, lever: Lever, language: str) -> None:
    """Beside the sliders, by the model: how much volume may go (or must come) from the
    customers who stay, how many customers may leave instead, the price change that
    makes up for the chosen leaving and volume; a warning when contribution falls.
    ``figures``: the segment's revenue, gross margin, cost to serve (euro)."""
    volume = lever_breakeven(*figures, lever, "volume_change")
    if volume.reason == "unknown":
        column.caption(tr("sc.breakeven_unknown"))
        return
    value = volume.value
    if value is None:
        text = tr(f"sc.breakeven_{volume.reason}")
    elif lever.price_change == 0 and abs(value) < 1e-12:
        text = tr("sc.breakeven_none")
    elif value <= 0:
        text = tr("sc.breakeven_loss", share=percent(-value, language))
    else:
        text = tr("sc.breakeven_gain", share=percent(value, language))
    column.caption(text)
    leaving = lever_breakeven(*figures, lever, "leaving")
    if leaving.value is not None and 0 < leaving.value <= 1:
        column.caption(tr("sc.breakeven_leaving", share=percent(leaving.value, language)))
    elif leaving.reason == "still_losing":
        column.caption(tr("sc.breakeven_still_losing"))
    elif leaving.reason == "unknown":
        column.caption(tr("sc.breakeven_leaving_unknown"))
    price = lever_breakeven(*figures, lever, "price_change").value
    if (lever.leaving or lever.volume_change) and price is not None:
        sign = "+" if price > 0 else ""
        column.caption(tr("sc.breakeven_price", change=sign + percent(price, language)))
    if contribution_falls(*figures, lever):
        chosen = percent(lever.total_volume_change, language)
        column.warning(tr("sc.breakeven_warning", chosen=chosen), icon="⚠️")


def compute(customers: pd.DataFrame, levers: dict[str, Lever], order: list[str], days: int):
    """(per customer, per segment) before and after."""
    effects = customer_effects(customers, levers, days)
    return effects, segment_effects(effects, levers, order)


def result_table(seg: pd.DataFrame, labels: dict[str, str], effects: pd.DataFrame) -> pd.DataFrame:
    """Per segment and in total, before → after, in the language's formats (text)."""
    language = lang()
    total = {**totals(seg), "days_to_pay": days_to_pay(effects)}
    rows = pd.concat([seg, pd.DataFrame([{**total, "segment": None}])], ignore_index=True)
    names = [
        labels.get(s, tr("sc.total")) if s is not None else tr("sc.total") for s in rows["segment"]
    ]
    out = {tr("seg.segment"): names}
    # customers after are expected values (218,25): shown whole, as all amounts in euro;
    # an unknown figure (no cost price, no hours) is the word for unknown, never € 0
    for figure in ("customers", "revenue", "gross_margin", "cost_to_serve", "contribution"):
        texts = number_texts if figure == "customers" else money_texts
        name = tr(f"col.{figure}")
        out[f"{name} — {tr('sc.before')}"] = _unknown_texts(texts(rows[figure], language, 0))
        out[f"{name} — {tr('sc.after')}"] = _unknown_texts(
            texts(rows[f"{figure}_after"], language, 0)
        )
    for title, column, texts, decimals in (
        (tr("sc.contribution_change"), "contribution_change", money_texts, 0),
        (tr("sc.hours_freed"), "hours_freed", number_texts, 1),
        (tr("sc.cash_released"), "cash_released", money_texts, 0),
        (tr("sc.days_to_pay"), "days_to_pay", number_texts, 1),
    ):
        out[title] = _unknown_texts(texts(rows[column], language, decimals))
    return pd.DataFrame(out)


def headline(seg: pd.DataFrame) -> None:
    """The portfolio after the change, with the change against now (rows of three: a wider
    row cuts off amounts in the millions)."""
    language = lang()
    unknown = tr_plain("ui.unknown")
    total = totals(seg)
    cells = [*st.columns(3), *st.columns(3)]
    for cell, figure in zip(cells, ("revenue", "gross_margin", "contribution"), strict=False):
        after, before = total[f"{figure}_after"], total[figure]
        delta = None if after is None or before is None else after - before
        if figure == "contribution":  # known without hours while nobody leaves
            delta = total["contribution_change"]
        cell.metric(
            tr(f"col.{figure}"),
            money(after, language, 0) or unknown,
            **delta_args(delta, money(delta, language, 0)),
        )
    change = total["customers_after"] - total["customers"]
    cells[3].metric(
        tr("col.customers"),
        number(total["customers_after"], language),
        **delta_args(round(change), number(change, language)),
    )
    cells[4].metric(tr("sc.hours_freed"), number(total["hours_freed"], language) or unknown)
    cells[5].metric(tr("sc.cash_released"), money(total["cash_released"], language, 0))


def charts(seg: pd.DataFrame, effects: pd.DataFrame, labels: dict[str, str]) -> None:
    """Contribution per segment before and after; the whale curve before and after. With
    contribution unknown no chart on a € 0 axis: without hours one line in their place
    saying how to add them; without a cost price nothing (``cost_note`` said why)."""
    reason = contribution_unknown_because(effects)
    if reason == "cost":
        return
    if reason:
        st.info(unknown_contribution(effects))
        return
    language = lang()
    before, after = tr("sc.before"), tr("sc.after")
    bars = pd.concat(
        [
            pd.DataFrame(
                {
                    "segment": seg["segment"].map(labels),
                    "when": before,
                    "contribution": seg["contribution"],
                }
            ),
            pd.DataFrame(
                {
                    "segment": seg["segment"].map(labels),
                    "when": after,
                    "contribution": seg["contribution_after"],
                }
            ),
        ],
        ignore_index=True,
    )
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{tr('sc.chart_contribution')}**")
        st.vega_lite_chart(_charts.scenario_bars(bars, language), width="stretch")
    with right:
        st.markdown(f"**{tr('sc.chart_whale')}**")
        curves = pd.concat(
            [
                whale_curve(effects).assign(when=before),
                whale_curve(effects.assign(contribution=effects["contribution_after"])).assign(
                    when=after
                ),
            ],
            ignore_index=True,
        )
        st.vega_lite_chart(_charts.scenario_whales(curves, language), width="stretch")


def sensitivity_table(customers: pd.DataFrame, order: list[str], labels: dict[str, str]):
    """Price change × share leaving → change in contribution, coloured green to red; the
    word for unknown where customers leave and their cost to serve is unknown (no hours).
    Without a cost price nothing (``cost_note`` said why)."""
    if no_cost_price(customers):
        return
    cfg = thresholds().scenarios
    language = lang()
    scope = st.selectbox(
        tr("sc.sensitivity_scope"),
        ["all", *order],
        key="sc_sens_scope",
        format_func={"all": tr("sc.seg.all"), **labels}.__getitem__,
    )
    chosen = customers if scope == "all" else customers[customers["segment"] == scope]
    table = sensitivity(chosen, cfg.sensitivity_price_changes, cfg.sensitivity_leaving)
    if table.isna().all().all():
        st.info(unknown_contribution(customers))
        return
    shown = table.copy()
    shown.index = [("+" if p > 0 else "") + percent(p, language, 0) for p in table.index]
    shown.columns = [percent(v, language, 0) for v in table.columns]
    st.caption(tr("sc.sensitivity_axes"))
    largest = float(table.abs().max().max()) or 1.0
    unknown = tr_plain("ui.unknown")

    def colour(value: float) -> str:
        if pd.isna(value):
            return ""
        strength = min(abs(value) / largest, 1.0) * 0.6 + 0.1
        rgb = "46, 160, 67" if value > 0 else "218, 54, 51"
        return "" if abs(value) < 0.005 else f"background-color: rgba({rgb}, {strength:.2f})"

    # + 0.0: a change of -0.000001 is shown as € 0, not € -0
    styled = shown.style.map(colour).format(
        lambda v: unknown if pd.isna(v) else money(round(v, 2) + 0.0, language, 0)
    )
    st.dataframe(styled, width="stretch")
    st.caption(tr("sc.sensitivity_note"))


def saved_scenarios(
    view: View, split: str, levers: dict[str, Lever], table: pd.DataFrame, decisions: Decisions
) -> None:
    """Save the sliders under a name; load, delete, compare saved ones, export to xlsx."""
    with st.form("sc_save", clear_on_submit=True, border=False):
        name_col, button_col = st.columns([4, 1])
        name = name_col.text_input(tr("sc.save_name"), key="sc_name")
        replace = name_col.checkbox(tr("sc.replace"), key="sc_replace")
        if button_col.form_submit_button(tr("sc.save")):
            try:
                save_scenario(
                    data_dir(), view.name, name, split, levers, replace=replace, by=door.who()
                )
            except PortfolioError as exc:
                show_error(exc)
            else:
                log_event("save", what="scenario", dataset=view.name)
                st.success(tr("sc.saved", name=name.strip()))
    scenarios = load_scenarios(data_dir(), view.name)
    if not scenarios:
        st.caption(tr("sc.none_saved"))
        return
    names = list(scenarios)
    chosen = st.multiselect(
        tr("sc.compare"),
        names,
        default=names[-3:],
        key="sc_compare",
        placeholder=tr_plain("ui.choose"),
    )
    load_col, delete_col = st.columns(2)
    picked = load_col.selectbox(tr("sc.pick"), names, key="sc_pick")

    def load(scenario: dict) -> None:
        target = scenario["split"] if scenario["split"] in split_choices(decisions.final) else split
        st.session_state["sc_split"] = target
        segments = sorted(set(split_for(view, table, decisions, target)))
        set_levers(target, segments, levers_of(scenario))

    load_col.button(tr("sc.load"), on_click=load, args=(scenarios[picked],), key="sc_load")
    if delete_col.button(tr("sc.delete"), key="sc_delete"):
        delete_scenario(data_dir(), view.name, picked)
        st.rerun()
    if chosen:
        comparison, sheets = _comparison(view, chosen, scenarios, table, decisions)
        st.dataframe(comparison, hide_index=True, width="stretch")
        if notes := [note for note in assumptions(view) if note]:
            sheets = {tr_plain("ui.notes"): pd.DataFrame({tr_plain("ui.notes"): notes})} | sheets
        kinds = {sheet: _sheet_kinds() for sheet in sheets}
        st.download_button(
            tr("sc.download_xlsx"),
            file_name="prijsscenarios.xlsx",
            data=lambda: xlsx_workbook(sheets, kinds),
            key="sc_xlsx",
        )


FIGURES_COMPARED = (
    "customers",
    "revenue",
    "gross_margin",
    "cost_to_serve",
    "contribution",
    "hours_freed",
    "cash_released",
)
COUNTS = {"customers": 0, "hours_freed": 1}  # decimals: customers are whole (603, not 573,8)


# the scenario sheets' columns: amounts, shares (fractions) and counts; the rest decimals
SHEET_MONEY = (
    "revenue",
    "gross_margin",
    "cost_to_serve",
    "contribution",
    "contribution_change",
    "cash_released",
)
SHEET_SHARES = (
    "price_change",
    "leaving",
    "volume_change",
    "total_volume_change",
    "contribution_margin",
    "breakeven_price_change",
    "breakeven_leaving",
    "breakeven_volume_change",
)


def _sheet_label(column: str) -> str:
    """A scenario sheet's header in the user's language; "(na)" for a figure after it."""
    base = column.removesuffix("_after")
    known = catalogue()
    key = next((k for k in (f"col.{base}", f"sc.col.{base}", f"sc.{base}") if k in known), None)
    label = tr_plain(key) if key else base
    return f"{label} ({tr_plain('sc.after_short')})" if column != base else label


def _scenario_sheet(seg: pd.DataFrame, name: str, labels: dict) -> pd.DataFrame:
    """One scenario per segment, headers in words; customers whole (an expected 573,8
    customers reads as 574)."""
    frame = seg.assign(scenario=name, segment=seg["segment"].map(labels))
    for column in ("customers", "customers_after"):
        frame[column] = frame[column].round(0)
    return frame.rename(columns=_sheet_label)


def _sheet_kinds() -> dict[str, str]:
    kinds = {}
    for column in (*SHEET_MONEY, *(f"{c}_after" for c in SHEET_MONEY)):
        kinds[_sheet_label(column)] = "money"
    for column in SHEET_SHARES:
        kinds[_sheet_label(column)] = "share"
    kinds[_sheet_label("customers")] = kinds[_sheet_label("customers_after")] = "count"
    return kinds


def _comparison(view: View, chosen: list[str], scenarios: dict, table, decisions: Decisions):
    """Side by side: now, then each scenario's totals (figures as rows); and the workbook's
    sheets: the comparison in numbers, then each scenario's segments."""
    language = lang()
    unknown = tr_plain("ui.unknown")
    columns: dict[str, list] = {}
    sheets = {}
    for i, name in enumerate(chosen, start=1):
        scenario = scenarios[name]
        final = decisions.final
        split = scenario["split"] if scenario["split"] in split_choices(final) else "all"
        customers = customers_for(view, table, split, decisions)
        order = sorted(customers["segment"].unique())
        _effects, seg = compute(customers, levers_of(scenario), order, view.period.days)
        total = totals(seg)
        if not columns:  # before any change: the same whatever the split
            columns[tr("sc.now")] = [
                0.0 if f in ("hours_freed", "cash_released") else total[f] for f in FIGURES_COMPARED
            ]
        columns[name] = [total.get(f"{f}_after", total[f]) for f in FIGURES_COMPARED]
        labels = {s: segment_label(split, s, final) for s in order}
        sheets[f"Scenario {i}"] = _scenario_sheet(seg, name, labels)
    titles = [
        tr(f"col.{f}") if f not in ("hours_freed", "cash_released") else tr(f"sc.{f}")
        for f in FIGURES_COMPARED
    ]
    numbers = pd.DataFrame(columns, index=titles)
    shown = pd.DataFrame({tr("sc.figure"): titles})
    for column, values in columns.items():
        shown[column] = [
            (number(v, language, COUNTS[f]) if f in COUNTS else money(v, language, 0)) or unknown
            for f, v in zip(FIGURES_COMPARED, values, strict=True)
        ]
    return shown, {tr("sc.compare_sheet"): numbers.reset_index(names=tr("sc.figure")), **sheets}
