"""What the team enters in the funnel: kept with the dataset, checked whole before a
write; the prospect list read from a real file; the calendar file and the summary."""

import io
import json
from datetime import date, timedelta

import icalendar
import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from portfolio import connect
from portfolio.config import funnel_rules
from portfolio.errors import InputError
from portfolio.funnel.ics import appointments_ics
from portfolio.funnel.plan import (
    appointments_frame,
    load_plan,
    opportunities_frame,
    remediation_frame,
    save_appointments,
    save_opportunities,
    save_prospects,
    save_remediation,
    save_settings,
)
from portfolio.funnel.report import plan_summary, plan_summary_html, plan_summary_pdf, plan_workbook
from portfolio.funnel.steps import group_summary
from portfolio.ingest.prospects import read_prospects

CONDITIONS = funnel_rules().conditions
CUSTOMERS = pd.DataFrame(
    {"customer": ["K1", "K2"], "customer_name": ["Een", "Twee"], "revenue": [100.0, 200.0]}
)


def test_every_part_of_the_plan_survives_a_reload(tmp_path):
    save_settings(tmp_path, "Demo", {"acceptance": 60})
    save_remediation(
        tmp_path,
        "Demo",
        pd.DataFrame(
            {
                "customer": ["K1"],
                "condition": ["minimum_order"],
                "status": ["accepted"],
                "note": ["akkoord per mail"],
            }
        ),
        CONDITIONS,
    )
    save_appointments(
        tmp_path,
        "Demo",
        pd.DataFrame(
            {
                "customer": ["K2"],
                "date": [date(2027, 5, 3)],
                "attendees": ["Jan"],
                "topic": ["Evaluatie"],
                "done": [False],
            }
        ),
    )
    save_opportunities(
        tmp_path,
        "Demo",
        pd.DataFrame(
            {
                "customer": ["K1", None],
                "description": ["Koffiemachine", None],
                "kind": ["up_sell", None],
                "condition": ["bij contract van 2 jaar", None],
                "date": [date(2027, 2, 1), None],
                "revenue": [5000, None],
                "chance": [0.4, None],
            }
        ),
        {"K1", "K2"},
    )
    save_prospects(
        tmp_path,
        "Demo",
        pd.DataFrame(
            {
                "name": ["Nieuw BV"],
                "region": ["Gent"],
                "sector": [None],
                "revenue": [None],
                "fit_code": [2],
            }
        ),
    )
    plan = load_plan(tmp_path, "Demo")  # as a teammate or the app after a restart reads it
    assert plan.settings == {"acceptance": 60}
    framed = remediation_frame(plan, CUSTOMERS, "price_rise")
    assert framed[["condition", "status"]].values.tolist() == [
        ["minimum_order", "accepted"],
        ["price_rise", "proposed"],
    ]
    appointments = appointments_frame(plan, CUSTOMERS, [date(2027, 5, 23)] * 2)
    assert appointments["date"].tolist() == [date(2027, 5, 23), date(2027, 5, 3)]
    assert appointments["topic"].tolist() == ["", "Evaluatie"]
    opportunities = opportunities_frame(plan)
    assert len(opportunities) == 1  # the empty row the editor added is left out
    assert opportunities.loc[0, "date"] == date(2027, 2, 1)
    assert opportunities.loc[0, "revenue"] == 5000.0
    assert plan.prospects[0]["fit_code"] == 2


@pytest.mark.parametrize(
    ("save", "rows", "column"),
    [
        (
            save_remediation,
            {"customer": ["K1"], "condition": ["gratis"], "status": ["proposed"], "note": [""]},
            "condition",
        ),
        (
            save_remediation,
            {"customer": ["K1"], "condition": ["price_rise"], "status": ["weg"], "note": [""]},
            "status",
        ),
        (
            save_appointments,
            {
                "customer": ["K1"],
                "date": ["31-02-2027"],
                "attendees": [""],
                "topic": [""],
                "done": [False],
            },
            "date",
        ),
        (
            save_opportunities,
            {
                "customer": ["K9"],
                "description": ["x"],
                "kind": ["up_sell"],
                "condition": [""],
                "date": [None],
                "revenue": [1.0],
                "chance": [0.5],
            },
            "customer",
        ),
        (
            save_opportunities,
            {
                "customer": ["K1"],
                "description": ["x"],
                "kind": ["up_sell"],
                "condition": [""],
                "date": [None],
                "revenue": [1.0],
                "chance": [1.5],
            },
            "chance",
        ),
        (
            save_prospects,
            {"name": ["X"], "region": [None], "sector": [None], "revenue": [None], "fit_code": [4]},
            "fit_code",
        ),
    ],
)
def test_a_bad_value_names_row_and_column_and_saves_nothing(tmp_path, save, rows, column):
    extra = {save_remediation: (CONDITIONS,), save_opportunities: ({"K1"},)}.get(save, ())
    with pytest.raises(InputError) as caught:
        save(tmp_path, "Demo", pd.DataFrame(rows), *extra)
    assert caught.value.key == "plan_value_invalid"
    assert f"Rij 1, kolom {column}" in caught.value.message("nl")
    assert not (tmp_path / "datasets" / "Demo" / "plan.json").exists()


def test_the_plan_file_is_replaced_whole_never_half_written(tmp_path):
    save_settings(tmp_path, "Demo", {"conversion": 10})
    folder = tmp_path / "datasets" / "Demo"
    save_settings(tmp_path, "Demo", {"top_prospects": 5})
    assert json.loads((folder / "plan.json").read_text())["settings"] == {
        "conversion": 10,
        "top_prospects": 5,
    }
    assert not list(folder.glob("*.tmp"))  # no temporary file left


def test_a_prospect_list_is_read_with_unusable_rows_counted(tmp_path):
    file = tmp_path / "prospects.csv"
    file.write_bytes(
        (
            "Bedrijfsnaam;Plaats;Branche;Geschatte omzet\r\n"
            "Bakkerij Jansen;Amsterdam;Horeca;12.500,00\r\n"
            ";Utrecht;Horeca;1.000\r\n"
            "Café de Hoek;Enschede;Horeca;veel\r\n"
            '=HYPERLINK("http://x");Gent;;\r\n'
        ).encode("cp1252")
    )
    read = read_prospects(connect(tmp_path), file, tmp_path / "staging")
    assert read.rows_read == 4
    assert read.frame["name"].tolist() == [
        "Bakkerij Jansen",
        "Café de Hoek",
        '=HYPERLINK("http://x")',
    ]
    assert read.frame["revenue"].tolist()[0] == 12_500.0
    assert read.rejected == [(3, "prospect_no_name"), (4, "prospect_revenue_unreadable")]


def test_a_prospect_list_without_a_name_column_is_refused_with_its_columns(tmp_path):
    file = tmp_path / "lijst.csv"
    file.write_text("Plaats;Omzet\r\nGent;100\r\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_prospects(connect(tmp_path), file, tmp_path / "staging")
    assert caught.value.key == "no_prospect_name_column"
    assert "Plaats, Omzet" in caught.value.message("nl")


def test_the_calendar_file_has_one_event_per_open_appointment():
    appointments = pd.DataFrame(
        {
            "customer": ["K1", "K2", "K3"],
            "customer_name": ["Bakkerij; De Hoek, BV", "X", "Y"],
            "date": [date(2027, 5, 3), None, date(2027, 6, 1)],
            "attendees": ["Jan, Piet", "", ""],
            "topic": ["Evaluatie", "", ""],
            "done": [False, False, True],
        }
    )
    calendar = icalendar.Calendar.from_ical(appointments_ics(appointments, "{customer}: {topic}"))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "Bakkerij; De Hoek, BV: Evaluatie"
    assert str(event["uid"]) == "K1-2027-05-03@klantportfolio"
    assert event.decoded("dtstart").isoformat() == "2027-05-03T09:00:00+02:00"  # the first slot
    assert str(event["description"]) == "Jan, Piet"
    assert calendar.walk("VTIMEZONE")  # Outlook needs it


def test_a_days_appointments_are_spread_over_the_day_with_who_and_what():
    appointments = pd.DataFrame(
        {
            "customer": [f"K{i}" for i in range(6)],
            "customer_name": [f"Klant {i}" for i in range(6)],
            "date": [date(2027, 5, 24)] * 5 + [date(2027, 5, 25)],
            "attendees": ["Jan"] * 6,
            "topic": ["Jaarplan"] * 6,
            "done": [False] * 6,
        }
    )
    ics = appointments_ics(appointments, "{customer} {topic}", "Wie: {attendees}\n{topic}")
    events = list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))

    starts = [e.decoded("dtstart").strftime("%d %H:%M") for e in events]
    assert starts == ["24 09:00", "24 10:30", "24 13:00", "24 14:30", "24 16:00", "25 09:00"]
    assert len({e.decoded("dtstart") for e in events}) == 6  # no two at once
    assert str(events[0]["summary"]) == "Klant 0 Jaarplan"
    assert str(events[0]["description"]) == "Wie: Jan\nJaarplan"


def test_the_summary_escapes_names_and_the_workbook_has_no_formulas():
    selected = pd.DataFrame(
        {
            "customer": ["K1"],
            "customer_name": ["<script>alert(1)</script>"],
            "segment": ["A"],
            "revenue": [100.0],
            "contribution": [10.0],
            "profitable": [True],
            "interesting": [True],
            "group": ["grow"],
        }
    )
    appointments = pd.DataFrame(
        {
            "customer": ["K1"],
            "customer_name": ["=cmd|' /C calc'!A0"],
            "date": [date(2026, 12, 14)],
            "attendees": ["<b>Jan</b>"],
            "topic": [""],
            "done": [False],
        }
    )
    figures = {
        "revenue_now": 100.0,
        "revenue_after": 110.0,
        "margin_now": 0.1,
        "margin_after": 0.12,
        "contribution_now": 10.0,
        "contribution_after": 13.2,
    }
    ice = {
        "revenue": 0.0,
        "expected_revenue": 0.0,
        "revenue_at_risk": 0.0,
        "replacement_needed": 0.0,
        "contribution": 0.0,
        "expected_contribution": 0.0,
    }
    page = plan_summary_html(
        plan_summary(
            "nl",
            "Demo",
            "01-01-2025 – 31-12-2025",
            date(2026, 11, 23),
            figures,
            group_summary(selected),
            ice,
            appointments,
            None,
        )
    )
    assert "<script>" not in page and "&lt;b&gt;Jan&lt;/b&gt;" in page
    assert "€ 110" in page and "12,0%" in page
    budget = pd.DataFrame(
        {
            "quarter": ["2027-Q1", None],
            "opportunities": [2, 1],
            "revenue": [14_000.0, 1_000.0],
            "weighted": [6_000.0, 500.0],
        }
    )
    with_budget = plan_summary_html(
        plan_summary(
            "nl",
            "Demo",
            "2025",
            date(2026, 11, 23),
            figures,
            group_summary(selected),
            ice,
            appointments,
            budget,
        )
    )
    assert with_budget.count("<svg") == 2 and "€ 6.000" in with_budget
    assert "Zonder datum" in with_budget
    empty = pd.DataFrame(
        columns=["customer", "description", "kind", "condition", "date", "revenue", "chance"]
    )
    prospects = pd.DataFrame(
        {
            "name": ["@SUM(A1)"],
            "region": [None],
            "sector": [None],
            "revenue": [None],
            "fit_code": [1],
        }
    )
    data = plan_workbook("nl", selected, pd.DataFrame(), appointments, empty, prospects)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Samenvatting",
        "1. Selecteren",
        "2. Herstellen",
        "3. Verankeren",
        "4. Intern groeien",
        "5. Extern groeien",
    ]
    formulas = [
        c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []
    assert book["3. Verankeren"]["B2"].value == "'=cmd|' /C calc'!A0"


def test_the_plan_workbook_opens_with_a_summary_and_says_what_an_empty_step_needs():
    selected = pd.DataFrame(
        {
            "customer": ["K1", "K2"],
            "customer_name": ["Alfa", "Beta"],
            "segment": ["A", "C"],
            "revenue": [1000.0, 250.0],
            "contribution": [300.0, -20.0],
            "profitable": [True, False],
            "interesting": [True, False],
            "group": ["grow", "part"],
        }
    )
    appointments = pd.DataFrame(
        {
            "customer": ["K1"],
            "customer_name": ["Alfa"],
            "date": [date(2027, 5, 24)],
            "attendees": ["Jan"],
            "topic": ["Jaarplan"],
            "done": [False],
        }
    )
    empty = pd.DataFrame(
        columns=["customer", "description", "kind", "condition", "date", "revenue", "chance"]
    )
    prospects = pd.DataFrame(columns=["name", "region", "sector", "revenue", "fit_code"])
    figures = {
        "revenue_now": 1250.0,
        "revenue_after": 1000.0,
        "margin_now": 0.224,
        "margin_after": 0.3,
    }

    data = plan_workbook(
        "nl", selected, pd.DataFrame(), appointments, empty, prospects, figures=figures
    )
    book = openpyxl.load_workbook(io.BytesIO(data))

    summary = {r[0]: r[1] for r in book["Samenvatting"].iter_rows(min_row=2, values_only=True)}
    assert summary["Waterpeil (omzet) — Nu"] == "€ 1.250"
    assert summary["Temperatuur (bijdragemarge) — Na het plan"] == "30,0%"
    assert summary["Groeien"] == "1 · € 1.000"
    assert summary["Afscheid nemen"] == "1 · € 250"
    step1 = book["1. Selecteren"]
    header = [c.value for c in step1[1]]
    assert [c.value for c in step1[2]][header.index("Segment")] == "A"  # not True/False
    assert step1.cell(2, header.index("Omzet") + 1).number_format.startswith('"€"')
    step3 = book["3. Verankeren"]
    date_column = [c.value for c in step3[1]].index("Datum") + 1
    assert step3.cell(2, date_column).number_format == "dd-mm-yyyy"
    assert book["4. Intern groeien"]["A2"].value.startswith("Nog geen kansen")
    assert book["5. Extern groeien"]["A2"].value.startswith("Nog geen prospects")
    assert book["1. Selecteren"].freeze_panes == "A2"


def test_the_plan_says_what_rests_on_an_estimate_in_both_downloads():
    selected = pd.DataFrame(
        {
            "customer": ["K1"],
            "customer_name": ["Alfa"],
            "segment": ["A"],
            "revenue": [100.0],
            "contribution": [float("nan")],
            "profitable": [False],
            "interesting": [True],
            "group": ["grow"],
        }
    )
    appointments = pd.DataFrame(
        columns=["customer", "customer_name", "date", "attendees", "topic", "done"]
    )
    figures = dict.fromkeys(
        ("revenue_now", "revenue_after", "contribution_now", "contribution_after"), 100.0
    ) | {"margin_now": None, "margin_after": None}
    ice = dict.fromkeys(
        (
            "revenue",
            "expected_revenue",
            "revenue_at_risk",
            "replacement_needed",
            "contribution",
            "expected_contribution",
        ),
        0.0,
    )
    note = "Geschatte marge: <b>30 %</b> van de omzet"
    page = plan_summary_html(
        plan_summary(
            "nl",
            "Demo",
            "2025",
            date(2026, 12, 2),
            figures,
            group_summary(selected),
            ice,
            appointments,
            None,
            (note,),
        )
    )
    assert "Geschatte marge: &lt;b&gt;30 %&lt;/b&gt;" in page
    assert "onbekend" in page and "–" not in page.split("<h2>")[2]  # unknown, not a dash
    empty = pd.DataFrame(
        columns=["customer", "description", "kind", "condition", "date", "revenue", "chance"]
    )
    prospects = pd.DataFrame(columns=["name", "region", "sector", "revenue", "fit_code"])
    data = plan_workbook("nl", selected, pd.DataFrame(), appointments, empty, prospects, (note,))
    book = openpyxl.load_workbook(io.BytesIO(data))
    summary = book["Samenvatting"]
    assert book.sheetnames[0] == "Samenvatting"
    assert (summary["A2"].value, summary["B2"].value) == ("Let op", note)


def _summary_inputs():
    selected = pd.DataFrame(
        {
            "customer": ["K1", "K2"],
            "customer_name": ["Alfa", "Beta"],
            "segment": ["A", "C"],
            "revenue": [1000.0, 250.0],
            "contribution": [300.0, -20.0],
            "profitable": [True, False],
            "interesting": [True, False],
            "group": ["grow", "part"],
        }
    )
    days = [date(2026, 12, 7) + timedelta(days=i) for i in range(14)] + [date(2027, 6, 1)]
    appointments = pd.DataFrame(
        {
            "customer": [f"K{i}" for i in range(15)],
            "customer_name": [f"Klant {i} & Zn." for i in range(15)],
            "date": days,
            "attendees": ["Jan"] * 15,
            "topic": ["Jaarplan"] * 15,
            "done": [False] * 15,
        }
    )
    figures = {
        "revenue_now": 1250.0,
        "revenue_after": 1000.0,
        "margin_now": 0.224,
        "margin_after": 0.3,
    }
    ice = dict.fromkeys(
        (
            "revenue",
            "expected_revenue",
            "revenue_at_risk",
            "replacement_needed",
            "contribution",
            "expected_contribution",
        ),
        0.0,
    )
    prospects = pd.DataFrame(
        {
            "name": ["Groot BV", "Klein VOF", "Past niet"],
            "region": ["Gent", None, "Breda"],
            "sector": [None, None, None],
            "revenue": [50_000.0, 5_000.0, 90_000.0],
            "fit_code": [1, 1, 3],
        }
    )
    return selected, appointments, figures, ice, prospects


def _summary(dataset: str):
    selected, appointments, figures, ice, prospects = _summary_inputs()
    groups = group_summary(selected)
    today = date(2026, 12, 3)
    return plan_summary(
        "nl", dataset, "2025", today, figures, groups, ice, appointments, None, (), prospects
    )


def test_the_one_page_summary_holds_the_coming_quarter_and_the_best_prospects():
    summary = _summary("Demo")
    sections = {heading.split(" — ")[0]: (heading, rows) for heading, _h, rows in summary.sections}

    heading, rows = sections["3. Verankeren"]
    assert heading.endswith("14 afspraken in het komende kwartaal")  # not the one in June
    assert len(rows) == 11 and rows[-1][1] == "en nog 4"  # the first ten, and how many more
    heading, rows = sections["5. Extern groeien"]
    assert heading.endswith("3 prospects, de best passende")
    assert [r[0] for r in rows] == ["Groot BV", "Klein VOF", "Past niet"]  # fit 1 first
    assert sections["4. Intern groeien"][1] == "Nog geen kansen vastgelegd."
    page = plan_summary_html(summary)
    assert "Voeg een rij toe" not in page and "Klant 3 &amp; Zn." in page


def test_the_summary_pdf_is_one_a4_page_with_the_same_figures():
    summary = _summary("Demo <b>")

    pdf = PdfReader(io.BytesIO(plan_summary_pdf(summary)))

    assert len(pdf.pages) == 1
    width, height = (float(v) for v in pdf.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf.pages[0].extract_text()
    assert "Plan klantportefeuille" in text and "€ 1.250" in text and "30,0%" in text
    assert "Klant 3 & Zn." in text and "Demo <b>" in text  # names as text, never markup
    assert "Groot BV" in text
