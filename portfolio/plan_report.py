"""The funnel plan on paper: an Excel workbook for the weekly sales meeting and a
one-page summary as print-ready HTML (the browser prints it, or saves it as PDF).

Customer names come from uploaded files: in the workbook they stay text (no
formulas, see ``portfolio.export``), in the HTML every text is escaped. The charts
in the summary are plain inline SVG, so the page prints the same without a network.
"""

from __future__ import annotations

import html
from datetime import date

import pandas as pd

from portfolio.export import xlsx_workbook
from portfolio.formatting import money, number, percent
from portfolio.funnel import group_summary, weighted_budget
from portfolio.i18n import t


def plan_workbook(
    lang: str,
    selected: pd.DataFrame,
    remedied: pd.DataFrame,
    appointments: pd.DataFrame,
    opportunities: pd.DataFrame,
    prospects: pd.DataFrame,
    notes: tuple[str, ...] = (),
    figures: dict | None = None,
) -> bytes:
    """A summary sheet (the bucket now and after, the groups, the weighted budget; with
    ``figures`` from ``funnel.bucket``), then one sheet per step, headers in ``lang``,
    numbers as numbers formatted as amounts, shares and dates; a step with nothing in it
    says what to fill in. ``notes`` (what rests on an estimate) on the summary."""
    sheets = {
        t("fn.step1", lang): pd.DataFrame({
            t("col.customer", lang): selected["customer"],
            t("col.customer_name", lang): selected["customer_name"],
            t("seg.segment", lang): selected["segment"],
            t("col.revenue", lang): selected["revenue"],
            t("col.contribution", lang): selected["contribution"],
            t("fn.profitable", lang): selected["profitable"],
            t("fn.interesting", lang): selected["interesting"],
            t("fn.group", lang): selected["group"].map(lambda g: t(f"fn.group.{g}", lang)),
        }),
        t("fn.step2", lang): pd.DataFrame({
            t("col.customer", lang): remedied.get("customer"),
            t("col.customer_name", lang): remedied.get("customer_name"),
            t("col.revenue", lang): remedied.get("revenue"),
            t("col.contribution", lang): remedied.get("contribution"),
            t("fn.condition", lang): remedied.get("condition", pd.Series(dtype=object)).map(
                lambda c: t(f"fn.condition.{c}", lang)),
            t("fn.if_accepted", lang): remedied.get("contribution_if_accepted"),
            t("fn.status", lang): remedied.get("status", pd.Series(dtype=object)).map(
                lambda s: t(f"fn.status.{s}", lang)),
            t("fn.note", lang): remedied.get("note"),
        }),
        t("fn.step3", lang): pd.DataFrame({
            t("col.customer", lang): appointments["customer"],
            t("col.customer_name", lang): appointments["customer_name"],
            t("fn.date", lang): appointments["date"],
            t("fn.attendees", lang): appointments["attendees"],
            t("fn.topic", lang): appointments["topic"],
            t("fn.done", lang): appointments["done"],
        }),
        t("fn.step4", lang): pd.DataFrame({
            t("col.customer", lang): opportunities["customer"],
            t("fn.description", lang): opportunities["description"],
            t("fn.kind", lang): opportunities["kind"].map(lambda k: t(f"fn.kind.{k}", lang)),
            t("fn.opportunity_condition", lang): opportunities["condition"],
            t("fn.expected_date", lang): opportunities["date"],
            t("fn.estimated_revenue", lang): opportunities["revenue"],
            t("fn.chance", lang): opportunities["chance"],
        }),
        t("fn.step5", lang): pd.DataFrame({
            t("fn.prospect", lang): prospects["name"],
            t("fn.region", lang): prospects["region"],
            t("fn.sector", lang): prospects["sector"],
            t("fn.estimated_revenue", lang): prospects["revenue"],
            t("seg.fit_code", lang): prospects["fit_code"],
        }),
    }  # fmt: skip
    for step, sheet in sheets.items():
        if sheet.empty:  # a header alone says nothing: what belongs here, and where it comes from
            hint = t(f"fn.sheet_empty.{list(sheets).index(step) + 1}", lang)
            sheets[step] = pd.DataFrame({sheet.columns[0]: [hint]}, columns=sheet.columns)
    summary = _summary_sheet(lang, selected, opportunities, figures, notes)
    kinds = {name: _kinds(lang) for name in sheets}
    return xlsx_workbook({t("fn.summary_sheet", lang): summary} | sheets, kinds)


def _kinds(lang: str) -> dict[str, str]:
    """The formats of the steps' columns, by their headers in ``lang``."""
    money_columns = ("col.revenue", "col.contribution", "fn.if_accepted", "fn.estimated_revenue")
    kinds = {t(k, lang): "money" for k in money_columns}
    kinds[t("fn.chance", lang)] = "share"
    kinds[t("fn.date", lang)] = kinds[t("fn.expected_date", lang)] = "date"
    return kinds


def _summary_sheet(
    lang: str,
    selected: pd.DataFrame,
    opportunities: pd.DataFrame,
    figures: dict | None,
    notes: tuple[str, ...],
) -> pd.DataFrame:
    """The plan at a glance as rows of (what, value) texts in ``lang``."""
    unknown = t("ui.unknown", lang)
    rows: list[tuple[str, str]] = [(t("ui.notes", lang), note) for note in notes]
    if figures:
        for when in ("now", "after"):
            moment = t(f"fn.bucket_{when}", lang)
            level = money(figures[f"revenue_{when}"], lang, 0)
            heat = percent(figures[f"margin_{when}"], lang) or unknown
            rows.append((f"{t('fn.water_level', lang)} — {moment}", level))
            rows.append((f"{t('fn.temperature', lang)} — {moment}", heat))
    groups = group_summary(selected)
    for g, n, r in zip(groups["group"], groups["customers"], groups["revenue"], strict=True):
        rows.append((t(f"fn.group.{g}", lang), f"{number(n, lang)} · {money(r, lang, 0)}"))
    if len(opportunities):
        budget = weighted_budget(opportunities)
        for q, w in zip(budget["quarter"], budget["weighted"], strict=True):
            rows.append((f"{t('fn.weighted', lang)} {_quarter(q, lang)}", money(w, lang, 0)))
    return pd.DataFrame(rows, columns=[t("fn.summary_what", lang), t("fn.summary_value", lang)])


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _bucket_svg(figures: dict, lang: str) -> str:
    """Two bars, now and after: height the revenue, colour the contribution margin."""
    top = max(figures["revenue_now"], figures["revenue_after"], 1.0)
    bars = []
    for i, when in enumerate(("now", "after")):
        revenue, margin = figures[f"revenue_{when}"], figures[f"margin_{when}"]
        height = max(revenue, 0) / top * 150
        x = 40 + i * 130
        colour = _temperature_colour(margin)
        bars.append(
            f'<rect x="{x}" y="{170 - height:.1f}" width="80" height="{height:.1f}" '
            f'fill="{colour}" rx="4"/>'
            f'<text x="{x + 40}" y="{162 - height:.1f}" text-anchor="middle" font-size="12">'
            f"{_e(percent(margin, lang) or '–')}</text>"
            f'<text x="{x + 40}" y="188" text-anchor="middle" font-size="12">'
            f"{_e(t(f'fn.bucket_{when}', lang))}</text>"
            f'<text x="{x + 40}" y="204" text-anchor="middle" font-size="11">'
            f"{_e(money(revenue, lang, 0))}</text>"
        )
    return (
        '<svg width="300" height="210" viewBox="0 0 300 210" role="img" '
        f'aria-label="{_e(t("fn.bucket", lang))}">'
        '<path d="M30 20 L30 172 L280 172 L280 20" fill="none" stroke="#666" stroke-width="2"/>'
        + "".join(bars)
        + "</svg>"
    )


def _quarter(label, lang: str) -> str:
    return t("fn.unplanned", lang) if label is None or pd.isna(label) else str(label)


def _budget_svg(budget: pd.DataFrame, lang: str) -> str:
    """The weighted plan per quarter as bars, each labelled with its amount."""
    top = max(float(budget["weighted"].max()), 1.0)
    width = 90
    bars = []
    for i, (label, value) in enumerate(zip(budget["quarter"], budget["weighted"], strict=True)):
        height = max(float(value), 0) / top * 110
        x = 10 + i * width
        bars.append(
            f'<rect x="{x + 10}" y="{130 - height:.1f}" width="{width - 20}" '
            f'height="{height:.1f}" fill="#4C78A8" rx="3"/>'
            f'<text x="{x + width / 2}" y="{124 - height:.1f}" text-anchor="middle" '
            f'font-size="10">{_e(money(value, lang, 0))}</text>'
            f'<text x="{x + width / 2}" y="146" text-anchor="middle" font-size="11">'
            f"{_e(_quarter(label, lang))}</text>"
        )
    total = 20 + len(budget) * width
    return (
        f'<svg width="{total}" height="152" viewBox="0 0 {total} 152" role="img" '
        f'aria-label="{_e(t("fn.weighted", lang))}">' + "".join(bars) + "</svg>"
    )


def _temperature_colour(margin: float | None) -> str:
    """Cold blue (margin 0 or less) to warm red (30 % or more)."""
    if margin is None:
        return "#BAB0AC"
    share = min(max(margin / 0.3, 0.0), 1.0)
    red, blue = round(69 + share * (215 - 69)), round(117 + share * (48 - 117))
    green = round(180 - share * 140)
    return f"#{red:02x}{green:02x}{blue:02x}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def plan_summary_html(
    lang: str,
    dataset: str,
    period: str,
    today: date,
    figures: dict,
    groups: pd.DataFrame,
    ice: dict,
    appointments: pd.DataFrame,
    budget: pd.DataFrame | None,
    notes: tuple[str, ...] = (),
) -> str:
    """The plan on one page: the bucket before and after, then a block per step; ``notes``
    (what rests on an estimate) under the title."""
    unknown = t("ui.unknown", lang)
    coming = appointments[appointments["date"].notna() & ~appointments["done"]]
    coming = coming.sort_values("date").head(10)
    group_rows = [
        [t(f"fn.group.{g}", lang), number(n, lang), money(r, lang, 0), money(c, lang, 0) or unknown]
        for g, n, r, c in zip(groups["group"], groups["customers"], groups["revenue"],
                              groups["contribution"], strict=True)
    ]  # fmt: skip
    ice_rows = [
        [t(f"fn.{k}", lang), money(ice[v], lang, 0)]
        for k, v in (("ice_revenue", "revenue"), ("expected_revenue", "expected_revenue"),
                     ("revenue_at_risk", "revenue_at_risk"),
                     ("replacement_needed", "replacement_needed"),
                     ("ice_contribution", "contribution"),
                     ("expected_contribution", "expected_contribution"))
    ]  # fmt: skip
    appointment_rows = [
        [f"{d:%d-%m-%Y}", n, w, p]
        for d, n, w, p in zip(coming["date"], coming["customer_name"], coming["attendees"],
                              coming["topic"], strict=True)
    ]  # fmt: skip
    budget_block = f"<p>{_e(t('fn.no_opportunities', lang))}</p>"
    if budget is not None and len(budget):
        budget_block = _budget_svg(budget, lang) + _table(
            [t("fn.quarter", lang), t("fn.opportunities", lang), t("fn.estimated_revenue", lang),
             t("fn.weighted", lang)],
            [[_quarter(q, lang), number(o, lang), money(r, lang, 0), money(w, lang, 0)]
             for q, o, r, w in zip(budget["quarter"], budget["opportunities"],
                                   budget["revenue"], budget["weighted"], strict=True)],
        )  # fmt: skip
    level = [
        [t("fn.water_level", lang), money(figures["revenue_now"], lang, 0),
         money(figures["revenue_after"], lang, 0)],
        [t("fn.temperature", lang), percent(figures["margin_now"], lang) or unknown,
         percent(figures["margin_after"], lang) or unknown],
    ]  # fmt: skip
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<title>{_e(t("fn.summary_title", lang))} — {_e(dataset)}</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font-family: system-ui, sans-serif; font-size: 11px; color: #222; }}
h1 {{ font-size: 18px; margin: 0 0 2px; }} h2 {{ font-size: 13px; margin: 12px 0 4px; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 2px 6px; text-align: left; }}
.cols {{ display: flex; gap: 16px; align-items: flex-start; }}
.muted {{ color: #666; }}
.note {{ border-left: 3px solid #e0a800; padding-left: 6px; }}
</style></head><body>
<h1>{_e(t("fn.summary_title", lang))}</h1>
<p class="muted">{
        _e(t("fn.summary_meta", lang, dataset=dataset, period=period, today=f"{today:%d-%m-%Y}"))
    }</p>
{"".join(f'<p class="note">{_e(note)}</p>' for note in notes)}
<div class="cols"><div>{_bucket_svg(figures, lang)}</div>
<div style="flex:1"><h2>{_e(t("fn.bucket", lang))}</h2>
{_table(["", t("fn.bucket_now", lang), t("fn.bucket_after", lang)], level)}
<p>{_e(t("fn.bucket_intro", lang))}</p></div></div>
<h2>{_e(t("fn.step1", lang))}</h2>
{
        _table(
            [
                t("fn.group", lang),
                t("col.customers", lang),
                t("col.revenue", lang),
                t("col.contribution", lang),
            ],
            group_rows,
        )
    }
<h2>{_e(t("fn.step2", lang))}</h2>
{_table(["", ""], ice_rows)}
<h2>{_e(t("fn.step3", lang))}</h2>
{
        _table(
            [
                t("fn.date", lang),
                t("col.customer_name", lang),
                t("fn.attendees", lang),
                t("fn.topic", lang),
            ],
            appointment_rows,
        )
    }
<h2>{_e(t("fn.step4", lang))}</h2>
{budget_block}
</body></html>
"""
