"""The funnel plan on paper: an Excel workbook for the weekly sales meeting and a
one-page summary as print-ready HTML (the browser prints it, or saves it as PDF).

Customer names come from uploaded files: in the workbook they stay text (no
formulas, see ``portfolio.export``), in the HTML every text is escaped. The charts
in the summary are plain inline SVG, so the page prints the same without a network.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import jinja2
import pandas as pd
from markupsafe import Markup

from portfolio.export import xlsx_workbook
from portfolio.formatting import money, number, percent
from portfolio.funnel.steps import (
    TEMPERATURE_COLORS,
    UNKNOWN_COLOR,
    group_summary,
    temperature,
    weighted_budget,
)
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
    ``figures`` from ``funnel.steps.bucket``), then one sheet per step, headers in ``lang``,
    numbers as numbers formatted as amounts, shares and dates; a step with nothing in it
    says what to fill in. ``notes`` (what rests on an estimate) on the summary."""
    sheets = {
        t("fn.step1", lang): pd.DataFrame(
            {
                t("col.customer", lang): selected["customer"],
                t("col.customer_name", lang): selected["customer_name"],
                t("seg.segment", lang): selected["segment"],
                t("col.revenue", lang): selected["revenue"],
                t("col.contribution", lang): selected["contribution"],
                t("fn.profitable", lang): selected["profitable"],
                t("fn.interesting", lang): selected["interesting"],
                t("fn.group", lang): selected["group"].map(lambda g: t(f"fn.group.{g}", lang)),
            }
        ),
        t("fn.step2", lang): pd.DataFrame(
            {
                t("col.customer", lang): remedied.get("customer"),
                t("col.customer_name", lang): remedied.get("customer_name"),
                t("col.revenue", lang): remedied.get("revenue"),
                t("col.contribution", lang): remedied.get("contribution"),
                t("fn.condition", lang): remedied.get("condition", pd.Series(dtype=object)).map(
                    lambda c: t(f"fn.condition.{c}", lang)
                ),
                t("fn.if_accepted", lang): remedied.get("contribution_if_accepted"),
                t("fn.status", lang): remedied.get("status", pd.Series(dtype=object)).map(
                    lambda s: t(f"fn.status.{s}", lang)
                ),
                t("fn.note", lang): remedied.get("note"),
            }
        ),
        t("fn.step3", lang): pd.DataFrame(
            {
                t("col.customer", lang): appointments["customer"],
                t("col.customer_name", lang): appointments["customer_name"],
                t("fn.date", lang): appointments["date"],
                t("fn.attendees", lang): appointments["attendees"],
                t("fn.topic", lang): appointments["topic"],
                t("fn.done", lang): appointments["done"],
            }
        ),
        t("fn.step4", lang): pd.DataFrame(
            {
                t("col.customer", lang): opportunities["customer"],
                t("fn.description", lang): opportunities["description"],
                t("fn.kind", lang): opportunities["kind"].map(lambda k: t(f"fn.kind.{k}", lang)),
                t("fn.opportunity_condition", lang): opportunities["condition"],
                t("fn.expected_date", lang): opportunities["date"],
                t("fn.estimated_revenue", lang): opportunities["revenue"],
                t("fn.chance", lang): opportunities["chance"],
            }
        ),
        t("fn.step5", lang): pd.DataFrame(
            {
                t("fn.prospect", lang): prospects["name"],
                t("fn.region", lang): prospects["region"],
                t("fn.sector", lang): prospects["sector"],
                t("fn.estimated_revenue", lang): prospects["revenue"],
                t("seg.fit_code", lang): prospects["fit_code"],
            }
        ),
    }
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
    """The colour of the margin's temperature band, as the bucket on screen has it."""
    band = temperature(margin)
    return TEMPERATURE_COLORS[band] if band else UNKNOWN_COLOR


@dataclass(frozen=True)
class Summary:
    """What the one-page summary says, in ``lang``, for the HTML and the PDF alike:
    sections of a heading and a table (headers, rows) or a sentence."""

    lang: str
    title: str
    meta: str
    notes: tuple[str, ...]
    figures: dict
    level: list[list[str]]  # the bucket: water level and temperature, now and after
    sections: list[tuple[str, list[str] | None, list[list[str]] | str]]
    budget: pd.DataFrame | None = None  # for the HTML's chart of the weighted budget


def plan_summary(
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
    prospects: pd.DataFrame | None = None,
) -> Summary:
    """The plan on one page: the bucket before and after, then a block per step: the
    groups, the ice cubes, the appointments of the coming quarter (the first ten, and how
    many), the weighted budget, the best prospects. Nothing meant for the screen."""
    unknown = t("ui.unknown", lang)
    group_rows = [
        [t(f"fn.group.{g}", lang), number(n, lang), money(r, lang, 0), money(c, lang, 0) or unknown]
        for g, n, r, c in zip(
            groups["group"],
            groups["customers"],
            groups["revenue"],
            groups["contribution"],
            strict=True,
        )
    ]
    ice_rows = [
        [t(f"fn.{k}", lang), money(ice[v], lang, 0)]
        for k, v in (
            ("ice_revenue", "revenue"),
            ("expected_revenue", "expected_revenue"),
            ("revenue_at_risk", "revenue_at_risk"),
            ("replacement_needed", "replacement_needed"),
            ("ice_contribution", "contribution"),
            ("expected_contribution", "expected_contribution"),
        )
    ]
    level = [
        [
            t("fn.water_level", lang),
            money(figures["revenue_now"], lang, 0),
            money(figures["revenue_after"], lang, 0),
        ],
        [
            t("fn.temperature", lang),
            percent(figures["margin_now"], lang) or unknown,
            percent(figures["margin_after"], lang) or unknown,
        ],
    ]
    sections = [
        (
            t("fn.step1", lang),
            [
                t("fn.group", lang),
                t("col.customers", lang),
                t("col.revenue", lang),
                t("col.contribution", lang),
            ],
            group_rows,
        ),
        (t("fn.step2", lang), ["", ""], ice_rows),
        _appointments_section(lang, today, appointments),
        _budget_section(lang, budget),
        _prospects_section(lang, prospects),
    ]
    meta = t("fn.summary_meta", lang, dataset=dataset, period=period, today=f"{today:%d-%m-%Y}")
    title = t("fn.summary_title", lang)
    return Summary(lang, title, meta, notes, figures, level, sections, budget)


QUARTER_DAYS = 91


def _appointments_section(lang: str, today: date, appointments: pd.DataFrame):
    heading = t("fn.step3", lang)
    open_ = appointments[appointments["date"].notna() & ~appointments["done"].astype(bool)]
    open_ = open_.sort_values("date")
    end = today + timedelta(days=QUARTER_DAYS)
    quarter = open_[[d <= end for d in open_["date"]]]
    if quarter.empty:
        if open_.empty:
            return heading, None, t("fn.summary_no_appointments", lang)
        first = open_["date"].iloc[0]
        return heading, None, t("fn.summary_appointments_later", lang, date=f"{first:%d-%m-%Y}")
    shown = quarter.head(10)
    rows = [
        [f"{d:%d-%m-%Y}", n, w or "", p or ""]
        for d, n, w, p in zip(
            shown["date"], shown["customer_name"], shown["attendees"], shown["topic"], strict=True
        )
    ]
    if len(quarter) > len(shown):
        rows.append(
            ["", t("fn.summary_more", lang, n=number(len(quarter) - len(shown), lang)), "", ""]
        )
    heading += f" — {t('fn.summary_quarter', lang, n=number(len(quarter), lang))}"
    headers = [
        t("fn.date", lang),
        t("col.customer_name", lang),
        t("fn.attendees", lang),
        t("fn.topic", lang),
    ]
    return heading, headers, rows


def _budget_section(lang: str, budget: pd.DataFrame | None):
    heading = t("fn.step4", lang)
    if budget is None or not len(budget):
        return heading, None, t("fn.summary_no_opportunities", lang)
    headers = [
        t("fn.quarter", lang),
        t("fn.opportunities", lang),
        t("fn.estimated_revenue", lang),
        t("fn.weighted", lang),
    ]
    rows = [
        [_quarter(q, lang), number(o, lang), money(r, lang, 0), money(w, lang, 0)]
        for q, o, r, w in zip(
            budget["quarter"],
            budget["opportunities"],
            budget["revenue"],
            budget["weighted"],
            strict=True,
        )
    ]
    return heading, headers, rows


def _prospects_section(lang: str, prospects: pd.DataFrame | None):
    heading = t("fn.step5", lang)
    if prospects is None or not len(prospects):
        return heading, None, t("fn.summary_no_prospects", lang)
    # the best fit first (code 1), then the largest estimated revenue
    best = prospects.assign(_fit=prospects["fit_code"].fillna(9), _rev=prospects["revenue"])
    best = best.sort_values(["_fit", "_rev"], ascending=[True, False], na_position="last")
    shown = best.head(5)
    rows = [
        [str(n), str(r or ""), money(v, lang, 0), "" if pd.isna(f) else str(int(f))]
        for n, r, v, f in zip(
            shown["name"], shown["region"], shown["revenue"], shown["fit_code"], strict=True
        )
    ]
    heading += f" — {t('fn.summary_prospects', lang, n=number(len(prospects), lang))}"
    headers = [
        t("fn.prospect", lang),
        t("fn.region", lang),
        t("fn.estimated_revenue", lang),
        t("seg.fit_code", lang),
    ]
    return heading, headers, rows


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("portfolio.funnel", "templates"),
        autoescape=True,  # the user's names are text, never markup
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def plan_summary_html(summary: Summary) -> str:
    """The summary as print-ready HTML (A4, print margins; the charts inline SVG), from
    ``templates/plan_summary.html``."""
    lang = summary.lang
    has_budget = summary.budget is not None and len(summary.budget)
    return (
        _templates()
        .get_template("plan_summary.html")
        .render(
            summary=summary,
            texts={
                "bucket": t("fn.bucket", lang),
                "now": t("fn.bucket_now", lang),
                "after": t("fn.bucket_after", lang),
                "intro": t("fn.bucket_intro", lang),
                "step4": t("fn.step4", lang),
            },
            # our own SVG, its texts escaped where it is drawn
            bucket_svg=Markup(_bucket_svg(summary.figures, lang)),
            budget_svg=Markup(_budget_svg(summary.budget, lang)) if has_budget else "",
        )
    )


def plan_summary_pdf(summary: Summary) -> bytes:
    """The summary as a PDF: one A4 page with print margins (ReportLab's own fonts, which
    have the euro sign), the same sections as the HTML."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)
    heading = styles["Heading3"].clone("step", spaceBefore=6, spaceAfter=2)

    def text(value: str, style=body) -> Paragraph:  # the user's names: text, never markup
        return Paragraph(html.escape(str(value)), style)

    def table(headers: list[str], rows: list[list[str]]) -> Table:
        data = [[text(h, small) for h in headers]] + [[text(c, small) for c in r] for r in rows]
        grid = Table(data, repeatRows=1, hAlign="LEFT")
        grid.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return grid

    lang = summary.lang
    story = [text(summary.title, styles["Heading1"]), text(summary.meta, small)]
    story += [text(note, small) for note in summary.notes]
    story += [
        text(t("fn.bucket", lang), heading),
        table(["", t("fn.bucket_now", lang), t("fn.bucket_after", lang)], summary.level),
        text(t("fn.bucket_intro", lang), small),
    ]
    for title, headers, content in summary.sections:
        story.append(text(title, heading))
        if isinstance(content, str):  # a sentence
            story.append(text(content, small))
        else:
            story.append(table(headers or [], content))
    story.append(Spacer(1, 2 * mm))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=summary.title,
        author="Klantportfolio",
    )
    document.build(story)
    return buffer.getvalue()
