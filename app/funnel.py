"""The funnel page's steps: each draws its inputs, saves what the team enters
with the dataset (``portfolio.funnel.plan``) and returns what the bucket needs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from app import charts
from app.funnel_settings import setting
from app.ui import (
    View,
    assumptions,
    cursor,
    delta_args,
    labels,
    lang,
    log_event,
    share_header,
    show_error,
    tr,
    tr_plain,
    unknown_contribution,
)
from portfolio import PortfolioError
from portfolio.config import funnel_rules, thresholds
from portfolio.errors import ConflictError
from portfolio.formatting import money, money_texts, number, number_texts, percent
from portfolio.funnel.ics import appointments_ics
from portfolio.funnel.plan import (
    OPPORTUNITY_KINDS,
    Plan,
    appointments_frame,
    load_plan,
    opportunities_frame,
    prospects_frame,
    remediation_frame,
    save_appointments,
    save_opportunities,
    save_prospects,
    save_remediation,
)
from portfolio.funnel.report import plan_summary, plan_summary_html, plan_summary_pdf, plan_workbook
from portfolio.funnel.steps import (
    GROUPS,
    STATUSES,
    appointment_state,
    calendar_weeks,
    default_appointments,
    expected_new_revenue,
    funnel_flows,
    group_summary,
    profile,
    remediation,
    remediation_totals,
    score_prospects,
    select,
    weighted_budget,
)
from portfolio.i18n import template
from portfolio.ingest.prospects import read_prospects
from portfolio.ingest.uploads import file_hash, keep_upload
from portfolio.links import bounds
from portfolio.segments.schemes import FINAL, size_classes, split_segments
from portfolio.store import data_dir

EDITOR_ROWS = 1000  # the largest customers of a step are edited; the export has them all


def plan_of(view: View) -> Plan:
    return load_plan(data_dir(), view.name)


def segments_for(table: pd.DataFrame, final: dict | None) -> tuple[pd.Series, str]:
    """The finalized split, else the revenue × qualities grid with its defaults, and the
    scheme it is of."""
    split = FINAL if final else "grid"
    return split_segments(table, split, final), final["scheme"] if final else "grid"


# -- 1. Select ----------------------------------------------------------------------------


def step_select(view: View, plan: Plan, table, segments: pd.Series) -> pd.DataFrame:
    language = lang()
    defaults = funnel_rules().select
    st.write(tr("fn.select_intro"))
    left, middle, right = st.columns(3)
    profitable = left.number_input(
        tr("fn.profitable_from"),
        step=100.0,
        format="%.0f",
        key=setting(plan, "profitable_from", defaults.profitable_from),
    )
    strategic_key = setting(plan, "strategic_from", defaults.strategic_from)
    strategic = middle.select_slider(  # 3,5 in Dutch: a slider's own format writes 3.50
        tr("fn.strategic_from"),
        sorted({i / 2 for i in range(11)} | {float(st.session_state[strategic_key])}),
        format_func=lambda v: number(v, language, 1),
        key=strategic_key,
    )
    fit = right.slider(
        tr("fn.fit_code_max"),
        *bounds("fn_fit_code_max"),
        key=setting(plan, "fit_code_max", defaults.fit_code_max),
        help=tr("fn.fit_code_max_help"),
    )
    left, right = st.columns(2)
    growth = left.slider(
        tr("fn.growth_from"),
        *bounds("fn_growth_from"),
        step=5,
        format="%d%%",
        key=setting(plan, "growth_from", round(defaults.growth_from * 100)),
    )
    options = sorted(segments.dropna().unique())
    chosen = right.multiselect(
        tr("fn.interesting_segments"),
        options,
        key=setting(
            plan, "interesting_segments", [s for s in defaults.interesting_segments if s in options]
        ),
        placeholder=tr_plain("ui.choose"),
    )
    rules = replace(
        defaults,
        profitable_from=float(profitable),
        strategic_from=float(strategic),
        fit_code_max=int(fit),
        growth_from=growth / 100,
        interesting_segments=tuple(chosen),
    )
    selected = select(table, segments, rules)
    if table["contribution"].isna().all():
        st.info(unknown_contribution(table, "fn.no"))
    summary = group_summary(selected)
    shown = pd.DataFrame(
        {
            tr("fn.group"): summary["group"].map(lambda g: tr(f"fn.group.{g}")),
            tr("col.customers"): number_texts(summary["customers"], language),
            share_header("col.customers"): summary["customers_share"].map(
                lambda s: _pct(s, language)
            ),
            tr("col.revenue"): summary["revenue"].map(lambda v: _money(v, language)),
            share_header("col.revenue"): summary["revenue_share"].map(lambda s: _pct(s, language)),
            tr("col.contribution"): summary["contribution"].map(lambda v: _money(v, language)),
            tr("fn.next_step"): summary["group"].map(lambda g: tr(f"fn.next.{g}")),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    measure = st.radio(
        tr("fn.flow_measure"),
        ["customers", "revenue"],
        horizontal=True,
        key="fn_flow_measure",
        format_func=labels(lambda m: f"col.{m}"),
    )
    flows = funnel_flows(selected)
    flows["label"] = flows["part"].map(lambda p: tr(f"fn.part.{p}"))
    st.vega_lite_chart(charts.funnel_chart(flows, language, measure), width="stretch")
    return selected


def _money(value, language: str) -> str:
    """An amount, or the word for unknown (no cost price or hours): never a bare dash that
    reads as zero, and the same word as every other page."""
    return money(value, language, 0) or tr_plain("ui.unknown")


def _money_column(values: pd.Series, language: str) -> list[str]:
    """``_money`` for a column of a table, fast."""
    unknown = tr_plain("ui.unknown")
    return [text or unknown for text in money_texts(values, language, 0)]


def _pct(value, language: str) -> str:
    return percent(value, language) or "–"


def _saved(message_key: str) -> None:
    st.session_state["fn_saved"] = message_key


def show_saved() -> None:
    """The outcome of the save just done (the rerun after it cleared the editor): saved,
    or a teammate's conflicting save, whose version the editor now shows."""
    if key := st.session_state.pop("fn_saved", None):
        st.success(tr(key))
    if conflict := st.session_state.pop("fn_conflict", None):
        show_error(conflict)


def _edited(editor_key: str, shown: pd.DataFrame) -> set[str]:
    """The customers of the rows the user changed in a data editor (its own record)."""
    rows = st.session_state.get(editor_key, {}).get("edited_rows", {})
    return {str(shown["customer"].iloc[int(i)]) for i in rows}


def _save_editor(editor_key: str, save, message_key: str) -> None:
    """Run ``save()``; then forget the editor's edits (they are in the file now, or a
    teammate's version stands and is shown instead)."""
    try:
        save()
    except ConflictError as exc:  # a teammate's save came first: show their version
        st.session_state["fn_conflict"] = exc
    except PortfolioError as exc:
        show_error(exc)
        return
    else:
        log_event("save", what=editor_key.removeprefix("fn_"))
        _saved(message_key)
    st.session_state.pop(editor_key, None)
    st.rerun()


# -- 2. Remediate: the ice cubes -------------------------------------------------------


def step_remediate(view: View, plan: Plan, table, selected: pd.DataFrame):
    """The unprofitable customers (groups remediate and part) with their new condition and
    status; returns them (per customer) and their totals for the bucket."""
    language = lang()
    rules = funnel_rules()
    st.write(tr("fn.remediate_intro"))
    acceptance = st.slider(
        tr("fn.acceptance"),
        *bounds("fn_acceptance"),
        step=5,
        format="%d%%",
        key=setting(plan, "acceptance", round(rules.acceptance * 100)),
    )
    ice = selected[selected["group"].isin(["remediate", "part"])]
    columns = ["customer", "revenue", "gross_margin", "cost_to_serve", "contribution"]
    candidates = (
        table.loc[ice.index, columns]
        .assign(customer_name=ice["customer_name"], group=ice["group"])
        .sort_values("contribution", kind="stable")
    )
    framed = remediation_frame(plan, candidates, next(iter(rules.conditions)))
    remedied = remediation(framed, rules.conditions, acceptance / 100)
    totals = remediation_totals(remedied)
    if remedied.empty:
        st.info(tr("fn.no_ice"))
        return remedied, totals
    cells = [*st.columns(3), *st.columns(3)]
    cells[0].metric(tr("fn.ice_customers"), number(totals["customers"], language))
    revenue_change = totals["expected_revenue"] - totals["revenue"]
    cells[1].metric(
        tr("fn.ice_revenue"),
        _money(totals["revenue"], language),
        **delta_args(revenue_change, _money(revenue_change, language)),
    )
    heat_change = totals["expected_contribution"] - totals["contribution"]
    cells[2].metric(
        tr("fn.ice_contribution"),
        _money(totals["contribution"], language),
        **delta_args(heat_change, _money(heat_change, language)),
    )
    cells[3].metric(tr("fn.revenue_at_risk"), _money(totals["revenue_at_risk"], language))
    cells[4].metric(tr("fn.contribution_at_risk"), _money(totals["contribution_at_risk"], language))
    cells[5].metric(
        tr("fn.replacement_needed"),
        _money(totals["replacement_needed"], language),
        help=tr("fn.replacement_help"),
    )
    conditions = {tr(f"fn.condition.{k}"): k for k in rules.conditions}
    statuses = {tr(f"fn.status.{s}"): s for s in STATUSES}
    names = {v: k for k, v in conditions.items()}
    status_names = {v: k for k, v in statuses.items()}
    shown = remedied.head(EDITOR_ROWS)
    edit = pd.DataFrame(
        {
            "customer": shown["customer"].astype(str),
            "customer_name": shown["customer_name"],
            "group": shown["group"].map({g: tr(f"fn.group.{g}") for g in GROUPS}),
            # amounts as the language writes them: the editor's own euro format follows the
            # browser's language, not the page's ("€190,954.11" on a Dutch page)
            "revenue": _money_column(shown["revenue"], language),
            "contribution": _money_column(shown["contribution"], language),
            "condition": shown["condition"].map(names),
            "if_accepted": _money_column(shown["contribution_if_accepted"], language),
            "status": shown["status"].map(status_names),
            "note": shown["note"],
        }
    )
    with st.form("fn_remediate_form", border=False):
        edited = st.data_editor(
            edit,
            key="fn_remediate",
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            disabled=[
                "customer",
                "customer_name",
                "group",
                "revenue",
                "contribution",
                "if_accepted",
            ],
            column_config={
                "customer": st.column_config.TextColumn(tr("col.customer")),
                "customer_name": st.column_config.TextColumn(tr("col.customer_name")),
                "group": st.column_config.TextColumn(tr("fn.group")),
                "revenue": st.column_config.TextColumn(tr("col.revenue")),
                "contribution": st.column_config.TextColumn(tr("col.contribution")),
                "condition": st.column_config.SelectboxColumn(
                    tr("fn.condition"), options=list(conditions), required=True
                ),
                "if_accepted": st.column_config.TextColumn(tr("fn.if_accepted")),
                "status": st.column_config.SelectboxColumn(
                    tr("fn.status"), options=list(statuses), required=True
                ),
                "note": st.column_config.TextColumn(tr("fn.note")),
            },
        )
        if st.form_submit_button(tr("fn.save")):
            rows = pd.DataFrame(
                {
                    "customer": edited["customer"],
                    "condition": edited["condition"].map(conditions),
                    "status": edited["status"].map(statuses),
                    "note": edited["note"],
                }
            )
            _save_editor(
                "fn_remediate",
                lambda: save_remediation(
                    data_dir(),
                    view.name,
                    rows,
                    rules.conditions,
                    base=plan.remediation,
                    edited=_edited("fn_remediate", edit),
                ),
                "fn.saved",
            )
    if len(remedied) > EDITOR_ROWS:
        st.caption(tr("fn.rows_limited", rows=number(EDITOR_ROWS, language)))
    return remedied, totals


# -- 3. Anchor ----------------------------------------------------------------------------


def step_anchor(view: View, plan: Plan, selected: pd.DataFrame, today: date) -> pd.DataFrame:
    """A fixed appointment for every profitable customer (groups anchor and grow)."""
    language = lang()
    rules = funnel_rules()
    st.write(tr("fn.anchor_intro", months=rules.months_ahead))
    anchored = selected[selected["group"].isin(["anchor", "grow"])].sort_values(
        "revenue", ascending=False, kind="stable"
    )
    defaults = default_appointments(len(anchored), today, rules.months_ahead, rules.per_day)
    appointments = appointments_frame(plan, anchored, defaults)
    appointments["state"] = [
        appointment_state(d, done, today, rules.soon_days)
        for d, done in zip(appointments["date"], appointments["done"], strict=True)
    ]
    overdue = appointments[appointments["state"] == "overdue"]
    if len(overdue):
        names = ", ".join(overdue["customer_name"].astype(str).head(10))
        st.error(tr("fn.overdue", n=len(overdue), names=names), icon="⏰")
    shown = appointments.head(EDITOR_ROWS)
    edit = shown.assign(
        customer=shown["customer"].astype(str),
        state=shown["state"].map({s: tr(f"fn.state.{s}") for s in set(shown["state"])}),
    )[["customer", "customer_name", "state", "date", "attendees", "topic", "done"]]
    with st.form("fn_anchor_form", border=False):
        edited = st.data_editor(
            edit,
            key="fn_anchor",
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            disabled=["customer", "customer_name", "state"],
            column_config={
                "customer": st.column_config.TextColumn(tr("col.customer")),
                "customer_name": st.column_config.TextColumn(tr("col.customer_name")),
                "state": st.column_config.TextColumn(tr("fn.state")),
                "date": st.column_config.DateColumn(tr("fn.date"), format="DD-MM-YYYY"),
                "attendees": st.column_config.TextColumn(tr("fn.attendees")),
                "topic": st.column_config.TextColumn(tr("fn.topic")),
                "done": st.column_config.CheckboxColumn(tr("fn.done")),
            },
        )
        if st.form_submit_button(tr("fn.save")):
            _save_editor(
                "fn_anchor",
                lambda: save_appointments(
                    data_dir(),
                    view.name,
                    edited,
                    base=plan.appointments,
                    edited=_edited("fn_anchor", edit),
                ),
                "fn.saved",
            )
    if len(appointments) > EDITOR_ROWS:
        st.caption(tr("fn.rows_limited", rows=number(EDITOR_ROWS, language)))
    st.markdown(f"**{tr('fn.calendar')}**")
    weeks = calendar_weeks(appointments, today, rules.calendar_weeks)
    if weeks["count"].sum() == 0:
        st.info(tr("fn.calendar_none"))
    else:
        if weeks["week_start"].iloc[0] > today:  # the coming weeks have none
            first = weeks.loc[weeks["count"] > 0, "week_start"].iloc[0]
            st.caption(
                tr("fn.calendar_later", weeks=rules.calendar_weeks, date=f"{first:%d-%m-%Y}")
            )
        st.vega_lite_chart(charts.calendar_chart(weeks, language), width="stretch")
    coming = weeks[weeks["count"] > 0].head(4)
    for row in coming.itertuples():
        names = row.customers.split(", ")
        more = tr("fn.and_more", n=len(names) - 8) if len(names) > 8 else ""
        # customer names are the user's data: shown as text, never as Markdown or HTML
        st.text(f"{row.week_start:%d-%m-%Y}: {', '.join(names[:8])}{more}")
    # made when clicked, in another thread: everything it needs is taken along now
    summary = template("fn.ics_summary", language)
    description = template("fn.ics_description", language)
    st.download_button(
        tr("fn.download_ics"),
        file_name="afspraken.ics",
        mime="text/calendar",
        key="fn_ics",
        on_click="ignore",
        data=lambda: appointments_ics(appointments, summary, description),
    )
    return appointments


# -- 4. Grow internally ------------------------------------------------------------------


def step_grow(view: View, plan: Plan, table, selected: pd.DataFrame) -> pd.DataFrame:
    """Opportunities per customer, and the weighted plan per quarter as the budget."""
    language = lang()
    st.write(tr("fn.grow_intro"))
    growers = selected[selected["group"].isin(["grow", "anchor"])]
    choices = {
        str(c): n for c, n in zip(growers["customer"], growers["customer_name"], strict=True)
    }
    kinds = {tr(f"fn.kind.{k}"): k for k in OPPORTUNITY_KINDS}
    kind_names = {v: k for k, v in kinds.items()}
    opportunities = opportunities_frame(plan)
    edit = opportunities.assign(kind=opportunities["kind"].map(kind_names))
    with st.form("fn_grow_form", border=False):
        edited = st.data_editor(
            edit,
            key="fn_grow",
            hide_index=True,
            width="stretch",
            num_rows="dynamic",
            column_config={
                "customer": st.column_config.SelectboxColumn(
                    tr("col.customer"),
                    options=list(choices),
                    required=True,
                    help=tr("fn.customer_help"),
                ),
                "description": st.column_config.TextColumn(tr("fn.description")),
                "kind": st.column_config.SelectboxColumn(
                    tr("fn.kind"), options=list(kinds), default=next(iter(kinds))
                ),
                "condition": st.column_config.TextColumn(tr("fn.opportunity_condition")),
                "date": st.column_config.DateColumn(tr("fn.expected_date"), format="DD-MM-YYYY"),
                "revenue": st.column_config.NumberColumn(
                    tr("fn.estimated_revenue"), min_value=0, format="euro"
                ),
                "chance": st.column_config.NumberColumn(
                    tr("fn.chance"), min_value=0.0, max_value=1.0, step=0.05, format="percent"
                ),
            },
        )
        if st.form_submit_button(tr("fn.save")):
            rows = edited.assign(kind=edited["kind"].map(lambda k: kinds.get(k, k)))
            everyone = set(table["customer"].astype(str))
            _save_editor(
                "fn_grow",
                lambda: save_opportunities(
                    data_dir(),
                    view.name,
                    rows,
                    everyone,
                    seen=plan.revisions.get("opportunities", 0),
                ),
                "fn.saved",
            )
    if opportunities.empty:
        st.caption(tr("fn.no_opportunities"))
        return opportunities
    budget = weighted_budget(opportunities)
    involved = table[table["customer"].astype(str).isin(set(opportunities["customer"]))]
    last_year = float(involved["revenue"].sum())
    weighted = float(budget["weighted"].sum())
    cells = st.columns(3)
    cells[0].metric(tr("fn.weighted_plan"), _money(weighted, language))
    cells[1].metric(tr("fn.their_revenue"), _money(last_year, language))
    cells[2].metric(
        tr("fn.growth_share"), _pct(weighted / last_year if last_year else None, language)
    )
    shown = pd.DataFrame(
        {
            tr("fn.quarter"): budget["quarter"].fillna(tr("fn.unplanned")),
            tr("fn.opportunities"): budget["opportunities"],
            tr("fn.estimated_revenue"): money_texts(budget["revenue"], language, 0),
            tr("fn.weighted"): money_texts(budget["weighted"], language, 0),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    st.vega_lite_chart(
        charts.budget_chart(budget.fillna({"quarter": tr("fn.unplanned")}), language),
        width="stretch",
    )
    return opportunities


# -- 5. Grow externally ------------------------------------------------------------------


def step_external(view: View, plan: Plan, table, selected: pd.DataFrame, places) -> float:
    """The best customers' profile, the uploaded prospects ranked by likeness with a fit
    code, and the revenue expected if some of the top ones convert."""
    st.write(tr("fn.external_intro"))
    best = _best_customers(selected, places)
    shape = profile(best, places.loc[places["customer"].isin(best["customer"]), "product"])
    _profile_view(shape, len(best))
    uploaded = st.file_uploader(
        tr("fn.prospects_file"), type=["csv", "txt", "xlsx", "parquet"], key="fn_prospects_file"
    )
    if uploaded is not None:
        _take_prospects(view, uploaded)
    prospects = prospects_frame(load_plan(data_dir(), view.name))
    if prospects.empty:
        st.caption(tr("fn.no_prospects"))
        return 0.0
    prospects["size_class"] = size_classes(prospects["revenue"], thresholds().size_class)
    ranked = score_prospects(prospects, shape, funnel_rules().prospects)
    ranked["fit_code"] = ranked["fit_code"].fillna(ranked["proposed_fit_code"]).astype(int)
    _prospects_editor(view, plan, ranked)
    return _expected_new_revenue(plan, ranked, best)


def _best_customers(selected: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The customers the prospects should look like: the group to grow, or every
    profitable customer when it has fewer than five; with region and size class."""
    best = selected[selected["group"] == "grow"]
    if len(best) < 5:  # too few to say what they look like: every profitable customer
        best = selected[selected["profitable"]]
    regions = places.drop_duplicates("customer")[["customer", "region"]]
    sizes = thresholds().size_class
    return best.merge(regions, on="customer", how="left").assign(
        size_class=lambda d: size_classes(d["revenue"], sizes)
    )


def _profile_view(shape: dict[str, pd.Series], customers: int) -> None:
    """Where the best customers are, how large, and what they buy: shares per value."""
    language = lang()
    st.markdown(f"**{tr('fn.profile', n=number(customers, language))}**")
    left, middle, right = st.columns(3)
    for column, key, values in (
        (left, "fn.profile_region", shape["region"].head(8)),
        (middle, "fn.profile_size", shape["size_class"]),
        (right, "fn.profile_products", shape["products"].head(8)),
    ):
        column.caption(tr(key))
        if values.empty:
            column.text("–")
        for name, share in values.items():
            label = tr(f"size.{name}") if key == "fn.profile_size" else str(name)
            shown = _pct(share, language) if key != "fn.profile_products" else number(share)
            column.text(f"{label}: {shown}")


PROSPECT_SHOWN = (
    "rank",
    "name",
    "region",
    "sector",
    "revenue",
    "similarity",
    "proposed_fit_code",
)


def _prospects_editor(view: View, plan: Plan, ranked: pd.DataFrame) -> None:
    """The ranked prospects with their fit code, which the team may change and save."""
    edit = ranked[[*PROSPECT_SHOWN, "fit_code"]].head(EDITOR_ROWS)
    with st.form("fn_external_form", border=False):
        edited = st.data_editor(
            edit,
            key="fn_external",
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            disabled=list(PROSPECT_SHOWN),
            column_config={
                "rank": st.column_config.NumberColumn("#"),
                "name": st.column_config.TextColumn(tr("fn.prospect")),
                "region": st.column_config.TextColumn(tr("fn.region")),
                "sector": st.column_config.TextColumn(tr("fn.sector")),
                "revenue": st.column_config.NumberColumn(tr("fn.estimated_revenue"), format="euro"),
                "similarity": st.column_config.ProgressColumn(
                    tr("fn.similarity"), min_value=0.0, max_value=1.0
                ),
                "proposed_fit_code": st.column_config.NumberColumn(tr("fn.proposed_code")),
                "fit_code": st.column_config.SelectboxColumn(
                    tr("seg.fit_code"), options=[1, 2, 3], required=True
                ),
            },
        )
        if st.form_submit_button(tr("fn.save")):
            rows = ranked.drop(columns="fit_code").merge(
                edited[["name", "fit_code"]], on="name", how="left"
            )
            seen = plan.revisions.get("prospects", 0)
            _save_editor(
                "fn_external",
                lambda: save_prospects(data_dir(), view.name, rows, seen=seen),
                "fn.saved",
            )


def _expected_new_revenue(plan: Plan, ranked: pd.DataFrame, best: pd.DataFrame) -> float:
    """How many of the top prospects, converting how often, and what that brings: each
    new customer at the best customers' median revenue."""
    rules = funnel_rules()
    left, right = st.columns(2)
    key = setting(plan, "top_prospects", min(rules.top_prospects, len(ranked)))
    # a shorter list than the one the setting was made for: the whole list
    st.session_state[key] = max(1, min(int(st.session_state[key]), len(ranked)))
    # a slider needs two values to choose from
    top = left.slider(tr("fn.top_prospects"), 1, len(ranked), key=key) if len(ranked) > 1 else 1
    conversion = right.slider(
        tr("fn.conversion"),
        *bounds("fn_conversion"),
        step=1,
        format="%d%%",
        key=setting(plan, "conversion", round(rules.conversion * 100)),
    )
    per_customer = float(best["revenue"].median()) if len(best) else 0.0
    expected = expected_new_revenue(ranked, top, conversion / 100, per_customer)
    language = lang()
    st.metric(
        tr("fn.expected_new"),
        _money(expected, language),
        help=tr("fn.expected_new_help", per=_money(per_customer, language)),
    )
    return expected


def _take_prospects(view: View, uploaded) -> None:
    """Read an uploaded prospect list once per content and keep it with the dataset."""
    data = uploaded.getvalue()
    digest = file_hash(data)
    if st.session_state.get("fn_prospects_digest") == digest:
        return
    try:
        path = keep_upload(data_dir(), uploaded.name, data)
        read = read_prospects(cursor(), path, data_dir() / "staging")
    except PortfolioError as exc:
        show_error(exc)
        return
    save_prospects(data_dir(), view.name, read.frame.assign(fit_code=None))
    st.session_state["fn_prospects_digest"] = digest
    st.session_state.pop("fn_external", None)
    st.success(tr("fn.prospects_read", n=len(read.frame), file=read.file))
    if read.rejected:
        st.warning(tr("fn.prospects_rejected", n=len(read.rejected)))
        st.dataframe(
            pd.DataFrame(
                {
                    tr("fn.row"): [r for r, _ in read.rejected],
                    tr("fn.reason"): [tr(k) for _, k in read.rejected],
                }
            ),
            hide_index=True,
        )


# -- Around the steps ------------------------------------------------------------------


def bucket_view(figures: dict) -> None:
    """The water level and its temperature, now and after the plan."""
    language = lang()
    st.subheader(tr("fn.bucket"))
    left, right = st.columns([1, 1])
    with left:
        st.write(tr("fn.bucket_intro"))
        level = figures["revenue_after"] - figures["revenue_now"]
        st.metric(
            tr("fn.water_level"),
            _money(figures["revenue_after"], language),
            **delta_args(level, _money(level, language)),
        )
        now, after = figures["margin_now"], figures["margin_after"]
        change = None if now is None or after is None else (after - now) * 100
        points = (
            tr_plain("ui.points", value=number(change, language, 1)) if change is not None else None
        )
        st.metric(
            tr("fn.temperature"),
            _pct(after, language),
            **delta_args(None if change is None else change / 100, points),
        )
        if change is not None and change > 0 and level >= 0:
            st.success(tr("fn.bucket_good"))
        elif level < 0:
            st.warning(tr("fn.bucket_level_drops", amount=_money(-level, language)))
        elif change is not None and change <= 0:
            st.warning(tr("fn.bucket_colder"))
    with right:
        st.vega_lite_chart(charts.bucket_chart(figures, language), width="stretch")


def downloads(
    view: View, figures: dict, selected, remedied, appointments, opportunities, table
) -> None:
    """The plan for the weekly sales meeting (xlsx) and the one-page summary (HTML)."""
    language = lang()
    plan = load_plan(data_dir(), view.name)
    notes = tuple(note for note in assumptions(view) if note)
    left, middle, right = st.columns(3)
    left.download_button(
        tr("fn.download_xlsx"),
        file_name="plan.xlsx",
        key="fn_xlsx",
        on_click="ignore",
        data=lambda: plan_workbook(
            language,
            selected,
            remedied,
            appointments,
            opportunities,
            prospects_frame(plan),
            notes,
            figures,
        ),
    )

    def summary():
        return plan_summary(
            language,
            view.name,
            view.period.label(),
            date.today(),
            figures,
            group_summary(selected),
            remediation_totals(remedied),
            appointments,
            weighted_budget(opportunities) if len(opportunities) else None,
            notes,
            prospects_frame(plan),
        )

    middle.download_button(
        tr("fn.download_summary"),
        file_name="plan.html",
        mime="text/html",
        key="fn_html",
        on_click="ignore",
        data=lambda: plan_summary_html(summary()).encode("utf-8"),
    )
    right.download_button(
        tr("fn.download_pdf"),
        file_name="plan.pdf",
        mime="application/pdf",
        key="fn_pdf",
        on_click="ignore",
        data=lambda: plan_summary_pdf(summary()),
    )
