"""The parts every segmentation scheme shares on the page: overrides with a reason,
the customer list, finalizing the split and the export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import card, door
from app.ui import (
    View,
    choices_note,
    keep_values,
    lang,
    log_event,
    share_header,
    show_error,
    tr,
    tr_plain,
)
from portfolio import PortfolioError
from portfolio.customer_view import export_kinds, export_table, search
from portfolio.decisions import (
    apply_overrides,
    finalize,
    load_decisions,
    remove_override,
    set_override,
)
from portfolio.export import to_csv_bytes, to_xlsx_bytes
from portfolio.formatting import (
    moment,
    money,
    money_texts,
    number,
    number_texts,
    percent_texts,
)
from portfolio.i18n import LANGUAGES, t
from portfolio.segments.schemes import segment_summary, segmented_customers
from portfolio.store import data_dir

# The open scheme, kept by its name: the tabs' own state holds the open tab's label, which
# changes with the language. A share link carries it (``portfolio.links``).
SCHEME_KEY = "seg_scheme"
TAB_KEY = "seg_tab"
# the keys of the schemes' sliders and choices (``threshold_sliders``, the value method)
SETTING_PREFIXES = ("seg_", "segv_", "segt_")
OVERRIDE_CHOICES = 200  # customers offered to override at once; a search finds the others


def keep_scheme_settings() -> None:
    """Keep every scheme's settings while its tab is closed (only the open tab is drawn)."""
    settings = [k for k in st.session_state if str(k).startswith(SETTING_PREFIXES)]
    keep_values(k for k in settings if k not in (TAB_KEY, SCHEME_KEY))


def _scheme_of_tab(schemes: tuple[str, ...]) -> str | None:
    """The scheme of the tab clicked last: its label, in the language it was drawn in."""
    scheme_of = {t(f"seg.{s}_tab", language): s for s in schemes for language in LANGUAGES}
    return scheme_of.get(st.session_state.get(TAB_KEY))


def open_scheme(schemes: tuple[str, ...]) -> str:
    """The scheme whose tab is open: the tab clicked last, else the one a share link asks
    for, else the first."""
    chosen = _scheme_of_tab(schemes) or st.session_state.get(SCHEME_KEY)
    st.session_state[SCHEME_KEY] = chosen = chosen if chosen in schemes else schemes[0]
    return chosen


def scheme_tabs(schemes: tuple[str, ...], current: str) -> dict:
    """One tab per scheme, ``current`` open; a click on another reruns the page with that
    one open (each tab's ``open`` says which), so only the open tab need be drawn."""

    def clicked() -> None:  # before the run: the address the run writes names the tab
        st.session_state[SCHEME_KEY] = _scheme_of_tab(schemes)

    label = {s: tr(f"seg.{s}_tab") for s in schemes}
    st.session_state[TAB_KEY] = label[current]  # in this run's language
    tabs = st.tabs(list(label.values()), key=TAB_KEY, on_change=clicked)
    return dict(zip(schemes, tabs, strict=True))


# the measures a segment's figures show that the data may not have: without cost price no
# gross margin (and so no contribution), without a customer file no hours (no cost to serve)
MAYBE_UNKNOWN = ("gross_margin", "contribution", "hours")


def unknown_measures(table: pd.DataFrame) -> set[str]:
    """The measures no customer with revenue has: "gross_margin" (no cost price in the data;
    also "margin_pct"), "contribution", "hours", "per_hour" (contribution per hour spent)."""
    active = segmented_customers(table)
    per_hour = active["contribution"] / active["hours"].where(active["hours"] > 0)
    figures = {
        "gross_margin": active["gross_margin"],
        "margin_pct": active["margin_pct"],
        "contribution": active["contribution"],
        "hours": active["hours"],
        "per_hour": per_hour,
    }
    return {name for name, values in figures.items() if not values.notna().any()}


def unknown_note(table: pd.DataFrame, meaning: str | None, about: tuple = MAYBE_UNKNOWN) -> None:
    """One line when a measure of ``about`` (gross margin, contribution, hours) is unknown
    for every customer: why, how to add what is missing, and ``meaning`` (a message key:
    what this scheme does with a rule it cannot evaluate). Nothing when they are known."""
    unknown = unknown_measures(table) & set(about)
    if not unknown:
        return
    cost, hours = "gross_margin" in unknown, "hours" in unknown
    cause = "cost_hours" if cost and hours else "cost" if cost else "hours"
    st.info(tr(f"seg.unknown.{cause}") + (f" {tr(meaning)}" if meaning else ""), icon="ℹ️")


def some_margins_unknown_note(table: pd.DataFrame, key: str = "seg.unknown.some_margins") -> None:
    """A caption when some customers with revenue, not all, have no known margin (a line
    of theirs without cost price): the rules on margin do not count against them (``key``
    says how the scheme treats them)."""
    margin = segmented_customers(table)["margin_pct"]
    missing = int(margin.isna().sum())
    if 0 < missing < len(margin):
        st.caption(tr(key, n=number(missing, lang())))


def threshold_sliders(
    sliders: dict[str, tuple], columns: int = 2, disabled: frozenset[str] = frozenset()
) -> dict[str, float]:
    """Sliders ``key: (label key, default, low, high, step, printf format)`` with a button
    that puts the defaults (from ``config/segments.yaml``) back; their values by key. The
    sliders in ``disabled`` are shown but cannot be moved (a rule on a figure the data does
    not have)."""
    cols = st.columns(columns)
    values = {}
    language = lang()
    for i, (key, (label, default, low, high, step, fmt)) in enumerate(sliders.items()):
        st.session_state.setdefault(key, default)  # a default through the state: no warning
        off = key in disabled
        if fmt in ("%d", "%d%%"):  # whole numbers read the same in either language
            values[key] = cols[i % columns].slider(
                tr(label), low, high, step=step, format=fmt, key=key, disabled=off
            )
            continue
        # amounts and decimals as the language writes them (a slider's own format is
        # printf's: € 25000, 3.0); amounts on a ladder of round figures, dense where
        # thresholds usually are, so the handle is not stuck against one end
        money_steps = fmt.startswith("€")
        options = (
            money_ladder(low, high, st.session_state[key], default)
            if money_steps
            else _steps(low, high, step, st.session_state[key])
        )
        shown = _money_text(language) if money_steps else _decimal_text(language)
        values[key] = cols[i % columns].select_slider(
            tr(label), options, format_func=shown, key=key, disabled=off
        )

    def reset() -> None:
        for key in sliders:
            st.session_state.pop(key, None)

    st.button(tr("seg.reset"), on_click=reset, key=f"reset_{next(iter(sliders))}")
    return values


def _money_text(language: str):
    return lambda value: money(value, language, 0)


def _decimal_text(language: str):
    return lambda value: number(value, language, 1)


def _steps(low: float, high: float, step: float, current: float) -> list[float]:
    count = round((high - low) / step)
    values = {round(low + i * step, 6) for i in range(count + 1)}
    return sorted(values | {float(current)})


def money_ladder(low: float, high: float, *keep: float) -> list[float]:
    """Round amounts from ``low`` to ``high``: 0, 100, 250, 500, 1.000, 2.000, 2.500,
    5.000, 7.500, 10.000, … (and their negatives), with the values in ``keep``."""
    nice = {0.0}
    for power in range(2, 8):
        for mantissa in (1, 2, 2.5, 5, 7.5):
            nice |= {mantissa * 10**power, -mantissa * 10**power}
    values = {v for v in nice if low <= v <= high} | {float(low), float(high)}
    return sorted(values | {float(v) for v in keep if low <= v <= high})


def summary_table(scheme: str, segments: pd.DataFrame, table: pd.DataFrame, label=None):
    """Per segment: customers, revenue, gross margin, contribution and hours, each with its
    share of the whole, and the suggested treatment for ``scheme``. ``label(segment)`` names
    a segment (default: itself)."""
    language = lang()
    summary = segment_summary(segments, table)
    name = label or (lambda s: s)
    # a sum over customers of whom one figure is unknown is unknown, not € 0 and not the
    # total of the others (summary.known_total): the same rule as every other page
    figures = table.loc[segments.index, list(MAYBE_UNKNOWN)].notna()
    known = figures.groupby(segments["segment"]).all().reindex(summary["segment"], fill_value=True)
    unknown = tr_plain("ui.unknown")

    def unknown_where_not_known(texts: list[str], measure: str) -> list[str]:
        if measure not in known:
            return texts
        return [text if ok else unknown for text, ok in zip(texts, known[measure], strict=True)]

    columns = {
        tr("seg.segment"): summary["segment"].map(name),
        tr("col.customers"): number_texts(summary["customers"], language),
        share_header("col.customers"): percent_texts(summary["customers_share"], language),
    }
    for measure in ("revenue", "gross_margin", "contribution", "hours"):
        values = summary[measure]
        texts = (
            number_texts(values, language)
            if measure == "hours"
            else money_texts(values, language, 0)
        )
        shares = percent_texts(summary[f"{measure}_share"], language)
        columns[tr(f"col.{measure}")] = unknown_where_not_known(texts, measure)
        columns[share_header(f"col.{measure}")] = unknown_where_not_known(shares, measure)
    columns[tr("seg.treatment")] = summary["segment"].map(
        lambda s: tr(f"seg.treatment.{scheme}.{s}")
    )
    shown = pd.DataFrame(columns)
    wide = {tr("seg.treatment"): st.column_config.TextColumn(width="large")}
    st.dataframe(shown, hide_index=True, width="stretch", column_config=wide)
    # a table cell cuts a sentence off: each segment's treatment in full, one click away
    with st.expander(tr("seg.treatment_full")):
        for segment in summary["segment"]:
            st.markdown(f"**{name(segment)}** — {tr(f'seg.treatment.{scheme}.{segment}')}")
    members(scheme, segments, table, name)
    return summary


MEMBERS_SHOWN = 200  # a segment's largest customers listed; the card's search finds the rest


def members(scheme: str, segments: pd.DataFrame, table: pd.DataFrame, name) -> None:
    """A segment's customers, largest first, each row opening the customer card."""
    language = lang()
    with st.expander(tr("seg.members")):
        # the segments by their names as options, not through a format function: a choice
        # sent back in the other language's words would match no option
        names = {name(s): s for s in sorted(segments["segment"].dropna().unique())}
        chosen = st.selectbox(tr("seg.segment"), list(names), key=f"members_{scheme}_{language}")
        inside = segments[segments["segment"] == names.get(chosen)]
        revenue = table.loc[inside.index, "revenue"].sort_values(ascending=False, kind="stable")
        top = inside.loc[revenue.index[:MEMBERS_SHOWN]]
        shown = pd.DataFrame(
            {
                tr_plain("col.customer"): top["customer"].astype(str),
                tr_plain("col.customer_name"): top["customer_name"].astype(str),
                tr_plain("col.revenue"): money_texts(table.loc[top.index, "revenue"], language, 0),
                tr_plain("col.contribution"): money_texts(
                    table.loc[top.index, "contribution"], language, 0
                ),
            }
        )
        st.caption(tr("card.open"))
        opens = card.row_opens_card(f"members_table_{scheme}", top["customer"])
        st.dataframe(shown, hide_index=True, width="stretch", **opens)
        if len(inside) > MEMBERS_SHOWN:
            st.caption(tr("seg.members_limited", rows=number(MEMBERS_SHOWN, language)))
    card.follow_click()


def with_overrides(view: View, scheme: str, segments: pd.DataFrame) -> pd.DataFrame:
    """The computed segments with the team's overrides for ``scheme`` applied."""
    overrides = load_decisions(data_dir(), view.name).overrides.get(scheme, {})
    return apply_overrides(segments, overrides)


def override_controls(
    view: View, scheme: str, segments: pd.DataFrame, choices: tuple, table: pd.DataFrame
) -> None:
    """A form to put one customer in another segment (reason required), and the list of
    overrides with an undo button each."""
    st.markdown(f"**{tr('seg.override_title')}** — {tr('seg.override_help')}")
    # the largest customers, and a search for the others: a select box holds every option
    # in the page, and 10,000 of them cost the browser ~150 ms on every rerun of the page
    found = search(segments, st.text_input(tr("ui.search"), key=f"ov_q_{scheme}"))
    # largest revenue first, whatever order the scheme ranks by: the list stays the same
    # while its sliders move, and the browser keeps it as it is
    by_revenue = table.loc[found.index, "revenue"].sort_values(ascending=False, kind="stable")
    offered = found.loc[by_revenue.index[:OVERRIDE_CHOICES]]
    choices_note(len(found), OVERRIDE_CHOICES)
    # labels built for all customers at once, not by a format function once a customer
    ids = offered["customer"].astype(str)
    labels = dict(zip(ids + " — " + offered["customer_name"].astype(str), ids, strict=True))
    with st.form(f"override_{scheme}", clear_on_submit=True):
        left, middle = st.columns([3, 1])
        label = left.selectbox(tr("seg.override_customer"), list(labels), key=f"ov_c_{scheme}")
        customer = labels.get(label)
        segment = middle.selectbox(tr("seg.override_segment"), choices, key=f"ov_s_{scheme}")
        reason = st.text_input(tr("seg.override_reason"), key=f"ov_r_{scheme}")
        if st.form_submit_button(tr("seg.override_save")):
            try:
                set_override(data_dir(), view.name, scheme, customer, segment, reason)
                log_event("save", what="override", dataset=view.name, scheme=scheme)
            except PortfolioError as exc:
                show_error(exc)
            else:
                st.rerun()
    changed = segments[segments["override_reason"] != ""]
    st.caption(tr("seg.overrides_count", n=len(changed)))
    for row in changed.itertuples():
        text, undo = st.columns([5, 1])
        # names are the user's data: shown as text, never as HTML or Markdown
        text.text(
            f"{row.customer} {row.customer_name}: {row.computed_segment} → "
            f"{row.segment} — {row.override_reason}"
        )
        if undo.button(tr("seg.undo"), key=f"undo_{scheme}_{row.customer}"):
            remove_override(data_dir(), view.name, scheme, row.customer)
            st.rerun()


def check_and_finalize(
    view: View,
    scheme: str,
    thresholds: dict,
    segments: pd.DataFrame,
    choices: tuple,
    table: pd.DataFrame,
    steps: tuple = (),
) -> None:
    """The last steps every scheme shares: override by hand, finalize, export. ``steps``
    (two headings) numbers them where the scheme shows its steps (value-based A/B/C/D)."""
    if steps:
        st.markdown(f"**{steps[0]}**")
    override_controls(view, scheme, segments, choices, table)
    if steps:
        st.markdown(f"**{steps[1]}**")
    finalize_controls(view, scheme, thresholds, segments)
    export_buttons(scheme, segments, table)


def finalize_controls(view: View, scheme: str, thresholds: dict, segments: pd.DataFrame):
    """The finalized split as it stands, and the button that finalizes this one."""
    final = load_decisions(data_dir(), view.name).final
    if final:
        scheme_name = tr(f"seg.{final['scheme']}_tab")
        st.caption(
            tr(
                "seg.finalized",
                at=moment(final["at"], lang()),
                scheme=scheme_name,
                who=final.get("by") or tr_plain("fn.a_teammate"),
                n=len(final["segments"]),
            )
        )
    else:
        st.caption(tr("seg.not_finalized"))
    if st.button(tr("seg.finalize"), key=f"finalize_{scheme}", help=tr("seg.finalize_help")):
        try:  # over the split shown here only: a teammate's newer one is not overwritten
            finalize(
                data_dir(),
                view.name,
                scheme,
                thresholds,
                segments,
                seen=final["at"] if final else None,
                by=door.who(),
            )
        except PortfolioError as exc:
            show_error(exc)
            return
        log_event("save", what="finalized", dataset=view.name, scheme=scheme)
        st.rerun()


def export_buttons(scheme: str, segments: pd.DataFrame, table: pd.DataFrame) -> None:
    """CSV and Excel of every segmented customer: segment, computed one, reasons, measures;
    made on demand, with cells that a spreadsheet would run as formulas neutralised."""
    language = lang()
    # the files are made when clicked, in another thread: the texts are taken along now
    labels = {
        "segment": tr("seg.final_segment"),
        "computed_segment": tr("seg.computed_segment"),
        "override_reason": tr("seg.override_reason_col"),
    }
    if "why" in segments:  # a scheme that says why (the customer types)
        labels["why"] = tr("seg.why")

    def frame() -> pd.DataFrame:
        measures = export_table(table.loc[segments.index], language)
        return pd.concat([segments[list(labels)].rename(columns=labels), measures], axis=1)

    left, right = st.columns(2)
    left.download_button(
        tr("seg.download_csv"),
        file_name=f"segmenten-{scheme}.csv",
        mime="text/csv",
        key=f"csv_{scheme}",
        data=lambda: to_csv_bytes(frame(), dutch=language == "nl"),
    )
    kinds = export_kinds(language)
    right.download_button(
        tr("seg.download_xlsx"),
        file_name=f"segmenten-{scheme}.xlsx",
        key=f"xlsx_{scheme}",
        data=lambda: to_xlsx_bytes(frame(), kinds=kinds),
    )
