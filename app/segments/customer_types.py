"""Customer types on the segments page: Ambassador, Basic, Price buyer, Disastrous, and why."""

from dataclasses import replace

import streamlit as st

from app import card
from app.segments.common import (
    check_and_finalize,
    some_margins_unknown_note,
    summary_table,
    threshold_sliders,
    unknown_measures,
    unknown_note,
    with_overrides,
)
from app.ui import View, lang, tr
from portfolio.config import segment_rules
from portfolio.links import bounds
from portfolio.segments.reasons import signal_text
from portfolio.segments.schemes import MARGIN_UNKNOWN, TYPE_SIGNALS, customer_types

PERCENT_RULES = (
    "ambassador_top_share",
    "ambassador_margin_pct_from",
    "price_buyer_discount_from",
    "price_buyer_margin_pct_below",
)
STEPS = {  # rule: (step, format) as shown, percentages as 0–100; ranges: links.bounds
    "ambassador_top_share": (1.0, "%d%%"),
    "ambassador_margin_pct_from": (1.0, "%d%%"),
    "ambassador_months_from": (1.0, "%d"),
    "ambassador_days_late_max": (1.0, "%d"),
    "price_buyer_discount_from": (1.0, "%d%%"),
    "price_buyer_margin_pct_below": (1.0, "%d%%"),
    "disastrous_contribution_below": (100.0, "€ %d"),
    "disastrous_satisfaction_max": (0.5, "%.1f"),
}


def _signal_text(signal: str, rules) -> str:
    return signal_text(signal, rules, lang())


# the rules on a figure the data may not have, by that figure (``unknown_measures``)
RULES_ON = {
    "ambassador_margin_pct_from": "margin_pct",
    "price_buyer_margin_pct_below": "margin_pct",
    "disastrous_contribution_below": "contribution",
}


def show(view: View, table) -> None:
    defaults = segment_rules().types
    st.write(tr("seg.types_intro"))
    unknown = unknown_measures(table)
    unknown_note(
        table, "seg.unknown_rule.types_" + ("cost" if "margin_pct" in unknown else "hours")
    )
    some_margins_unknown_note(table)
    with st.expander(tr("seg.thresholds"), expanded=False):
        values = threshold_sliders(
            {
                f"segt_{rule}": (
                    f"seg.t.{rule}",
                    getattr(defaults, rule) * (100 if rule in PERCENT_RULES else 1),
                    *bounds(f"segt_{rule}"),
                    *STEPS[rule],
                )
                for rule in STEPS
            },
            disabled=frozenset(f"segt_{r}" for r, figure in RULES_ON.items() if figure in unknown),
        )
    chosen = {r: values[f"segt_{r}"] / (100 if r in PERCENT_RULES else 1) for r in STEPS}
    chosen["ambassador_months_from"] = int(chosen["ambassador_months_from"])
    rules = replace(defaults, **chosen)
    # an unknown margin counts neither for nor against the customer (``type_signals``)
    types = customer_types(table, rules)
    if types.empty:
        st.info(tr("seg.no_data"))
        return
    with st.expander(tr("seg.rules")):
        rules_in_words = {
            "D": ("loss_making", "never_satisfied", "seg.rule_any"),
            "C": ("high_discount", "thin_margin", "seg.rule_any"),
            "A": ("among_largest", "healthy_margin", "buys_often", "pays_on_time", "seg.rule_all"),
        }
        lines = [
            f"{tr(f'seg.type.{t}')}: {tr(spec[-1])} "
            + "; ".join(_signal_text(s, rules) for s in spec[:-1])
            for t, spec in rules_in_words.items()
        ]
        lines.append(f"{tr('seg.type.B')}: {tr('seg.basic_reason')}")
        st.markdown("\n".join(f"- {line}" for line in lines))
    words = {s: _signal_text(s, rules) for s in TYPE_SIGNALS}  # once, not once a customer
    words[MARGIN_UNKNOWN] = _signal_text(MARGIN_UNKNOWN, rules)
    basic = tr("seg.basic_reason")
    texts: dict[tuple, str] = {}  # a few combinations of reasons among many customers
    why = [
        texts.get(r) or texts.setdefault(r, ", ".join(words[s] for s in r) or basic)
        for r in types["reasons"]
    ]
    segments = with_overrides(view, "types", types.assign(why=why))
    summary_table("types", segments, table, lambda s: tr(f"seg.type.{s}"))
    listed = segments.head(1000)
    headers = {
        "customer": tr("col.customer"),
        "customer_name": tr("col.customer_name"),
        "segment": tr("seg.segment"),
        "why": tr("seg.why"),
    }
    st.dataframe(
        listed[list(headers)].rename(columns=headers),
        hide_index=True,
        width="stretch",
        height=300,
        # the reasons in full: wide, and a click on a cell shows all of it; a click on the
        # row's mark at the left opens the customer card
        column_config={tr("seg.why"): st.column_config.TextColumn(width="large")},
        **card.row_opens_card("types_table", listed["customer"]),
    )
    card.follow_click()
    check_and_finalize(view, "types", chosen, segments, ("A", "B", "C", "D"), table)
