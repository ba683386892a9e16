"""Value-based A/B/C/D on the segments page, its six steps in order."""

from dataclasses import replace

import streamlit as st

from app.segments.common import (
    check_and_finalize,
    some_margins_unknown_note,
    summary_table,
    threshold_sliders,
    unknown_measures,
    unknown_note,
    with_overrides,
)
from app.ui import View, labels, lang, tr
from portfolio.config import segment_rules
from portfolio.formatting import percent
from portfolio.links import bounds
from portfolio.segments.schemes import VALUE_ELEMENTS, value_segments


def show(view: View, table) -> None:
    defaults = segment_rules().value
    st.markdown(f"**{tr('seg.step1')}** — {tr('seg.step1_text')}")
    st.markdown(f"**{tr('seg.step2')}**")
    # an element no customer has a figure for does not count (``value_segments`` leaves
    # it out): its weight cannot be set, and the line says why
    unknown = unknown_measures(table) & {"gross_margin", "contribution"}
    unknown_note(
        table, "seg.unknown_rule.value_" + ("cost" if "gross_margin" in unknown else "hours")
    )
    # a customer without cost price, among others with it: its margin is left out of its
    # value, not counted as 0 (``value_segments``)
    some_margins_unknown_note(table, "seg.unknown.some_margins_value")
    weights = threshold_sliders(
        {
            f"segv_w_{e}": (
                f"seg.weight.{e}",
                float(defaults.weights.get(e, 0)),
                *bounds(f"segv_w_{e}"),
                1.0,
                "%d",
            )
            for e in VALUE_ELEMENTS
        },
        columns=3,
        disabled=frozenset(f"segv_w_{e}" for e in unknown),
    )
    # the score depends on the split chosen in step 4: its value is in the session already
    st.session_state.setdefault("segv_method", defaults.method)
    scored = tr(f"seg.step3_text.{st.session_state['segv_method']}")
    st.markdown(f"**{tr('seg.step3')}** — {scored}")
    st.markdown(f"**{tr('seg.step4')}**")
    method = st.radio(
        tr("seg.method"),
        ["value_share", "percentile"],
        key="segv_method",
        horizontal=True,
        format_func=labels(lambda m: f"seg.method.{m}"),
    )
    cuts = threshold_sliders(
        {
            f"segv_cut_{s}": (
                f"seg.cut_{s}",
                defaults.cuts[i] * 100,
                *bounds(f"segv_cut_{s}"),
                1.0,
                "%d%%",
            )
            for i, s in enumerate("abc")
        },
        columns=3,
    )
    rising = tuple(sorted(v / 100 for v in cuts.values()))  # a slider moved past the next
    rules = replace(
        defaults,
        weights={e: weights[f"segv_w_{e}"] for e in VALUE_ELEMENTS},
        method=method,
        cuts=rising,
    )
    language = lang()
    st.caption(
        tr(
            "seg.value_rule",
            a=percent(rising[0], language, 0),
            b=percent(rising[1], language, 0),
            c=percent(rising[2], language, 0),
            basis=tr(f"seg.method.{method}"),
        )
    )
    segments = with_overrides(view, "value", value_segments(table, rules))
    if segments.empty:
        st.info(tr("seg.no_data"))
        return
    summary_table("value", segments, table, lambda s: tr(f"seg.value_name.{s}"))
    used = {"method": method, "cuts": list(rising), "weights": rules.weights}
    check_and_finalize(
        view,
        "value",
        used,
        segments,
        ("A", "B", "C", "D"),
        table,
        steps=(tr("seg.step5"), tr("seg.step6")),
    )
