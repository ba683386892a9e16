"""Step 5, grow externally: the best customers' profile, prospects ranked by likeness
with a fit code, and the revenue expected if some convert."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.funnel.common import EDITOR_ROWS, money_or_unknown, pct, save_editor
from app.funnel.settings import setting
from app.ui import View, cursor, lang, show_error, tr
from portfolio import PortfolioError
from portfolio.config import funnel_rules, thresholds
from portfolio.formatting import number
from portfolio.frames import among
from portfolio.funnel.plan import Plan, load_plan, prospects_frame, save_prospects
from portfolio.funnel.steps import expected_new_revenue, profile, score_prospects
from portfolio.ingest.prospects import read_prospects
from portfolio.ingest.uploads import file_hash, keep_upload
from portfolio.links import bounds
from portfolio.segments.schemes import size_classes
from portfolio.store import data_dir


def step_external(view: View, plan: Plan, table, selected: pd.DataFrame, places) -> float:
    """The best customers' profile, the uploaded prospects ranked by likeness with a fit
    code, and the revenue expected if some of the top ones convert."""
    st.write(tr("fn.external_intro"))
    best = _best_customers(selected, places)
    shape = profile(best, places.loc[among(places["customer"], best["customer"]), "product"])
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
            shown = pct(share, language) if key != "fn.profile_products" else number(share)
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
            save_editor(
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
        money_or_unknown(expected, language),
        help=tr("fn.expected_new_help", per=money_or_unknown(per_customer, language)),
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
