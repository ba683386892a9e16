"""The funnel page through AppTest: each step on the demo data, what the team saved shown
again after a restart, and the bucket moving with the sliders."""

from datetime import date, timedelta

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from portfolio.config import funnel_rules
from portfolio.funnel.plan import (
    load_plan,
    save_appointments,
    save_opportunities,
    save_remediation,
    save_settings,
)
from portfolio.funnel.steps import default_appointments
from portfolio.store import data_dir
from tests.app.conftest import ROOT, open_page, shown, table_of


def metric(at, label: str):
    return next(m for m in at.metric if m.label == label)


def euro(text: str) -> float:
    clean = text.replace("€", "").replace("\xa0", "").replace(" ", "").replace(".", "")
    return float(clean.replace(",", "."))


def saved_settings() -> dict:
    return load_plan(data_dir(), "Demo").settings


def frame_with(at, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_groups_cover_every_customer_with_revenue(app, demo):
    at = open_page(app, "funnel")
    groups = frame_with(at, "Groep")
    buying = table_of(demo)
    buying = buying[buying["revenue"] > 0]
    assert groups["Groep"].tolist() == [
        "Houden en verankeren",
        "Herstellen",
        "Groeien",
        "Afscheid nemen",
    ]
    assert sum(int(n) for n in groups["Klanten"]) == len(buying)
    unprofitable = int((buying["contribution"] <= 0).sum())
    assert metric(at, "IJsblokjes").value == str(unprofitable)
    at.number_input(key="fn_profitable_from").set_value(-1_000_000.0).run()  # everyone profits
    assert not at.exception
    assert "IJsblokjes" not in [m.label for m in at.metric]
    assert "Geen verliesgevende klanten met deze instellingen." in [i.value for i in at.info]


def test_the_acceptance_rate_moves_the_ice_cubes_and_the_bucket(app):
    at = open_page(app, "funnel")
    at.slider(key="fn_acceptance").set_value(100).run()
    assert euro(metric(at, "Nodig om het waterpeil te houden").value) == 0  # all pay 10 % more
    level_all = euro(metric(at, "Waterpeil (omzet)").value)
    at.slider(key="fn_acceptance").set_value(0).run()
    revenue = euro(metric(at, "Hun omzet nu").value)
    # everyone refuses and leaves: all of their revenue must be replaced
    assert euro(metric(at, "Nodig om het waterpeil te houden").value) == revenue
    # every proposal is a 10 % price rise: accepted by all, the level holds 110 % of it
    level_none = euro(metric(at, "Waterpeil (omzet)").value)
    assert level_all - level_none == pytest.approx(revenue * 1.10, abs=2)
    assert saved_settings() == {}  # exploring is private: nothing written for the team


def test_settings_are_saved_for_the_team_only_on_purpose_with_who_and_when(app, tmp_path):
    at = open_page(app, "funnel")
    assert at.button(key="fn_save_settings").disabled  # nothing differs yet
    at.slider(key="fn_acceptance").set_value(90).run()
    at.select_slider(key="fn_strategic_from").set_value(4.5).run()
    assert saved_settings() == {}
    assert "alleen u ziet deze instellingen" in " ".join(c.value for c in at.caption)
    at.button(key="fn_save_settings").click().run()
    assert not at.exception
    plan = load_plan(tmp_path / "store", "Demo")
    assert plan.settings["acceptance"] == 90 and plan.settings["strategic_from"] == 4.5
    assert plan.settings_saved["at"]  # and when; who is the session's name (none given)
    assert "bewaard door een teamgenoot op" in " ".join(c.value for c in at.caption)
    # a teammate opening the page now starts from the team's settings
    fresh = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    fresh.run()
    other = open_page(fresh, "funnel")
    assert other.slider(key="fn_acceptance").value == 90


def test_a_teammates_newer_save_of_the_settings_is_not_overwritten(app, tmp_path):
    at = open_page(app, "funnel")
    at.slider(key="fn_acceptance").set_value(20).run()
    save_settings(tmp_path / "store", "Demo", {"acceptance": 70}, seen=0, by="Bram")
    at.button(key="fn_save_settings").click().run()
    assert not at.exception
    assert "Een teamgenoot heeft" in at.error[0].value
    plan = load_plan(tmp_path / "store", "Demo")
    assert plan.settings == {"acceptance": 70} and plan.settings_saved["by"] == "Bram"


def test_what_the_team_saved_is_shown_after_a_restart(app, demo, tmp_path):
    store = tmp_path / "store"
    table = table_of(demo)
    worst = table[table["revenue"] > 0].sort_values("contribution").iloc[0]
    save_remediation(
        store,
        "Demo",
        pd.DataFrame(
            {
                "customer": [worst["customer"]],
                "condition": ["minimum_order"],
                "status": ["refused"],
                "note": ["nee"],
            }
        ),
        funnel_rules().conditions,
    )
    best = table.sort_values("contribution", ascending=False).iloc[0]
    yesterday = date.today() - timedelta(days=1)
    save_appointments(
        store,
        "Demo",
        pd.DataFrame(
            {
                "customer": [best["customer"]],
                "date": [yesterday],
                "attendees": ["Eva"],
                "topic": ["Jaarplan"],
                "done": [False],
            }
        ),
    )
    save_opportunities(
        store,
        "Demo",
        pd.DataFrame(
            {
                "customer": [best["customer"]] * 2,
                "description": ["Koffie", "Thee"],
                "kind": ["cross_sell", "up_sell"],
                "condition": ["", ""],
                "date": [date(2027, 1, 10), date(2027, 4, 10)],
                "revenue": [10_000.0, 2_000.0],
                "chance": [0.5, 0.25],
            }
        ),
        set(table["customer"]),
    )
    fresh = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    fresh.run()
    at = open_page(fresh, "funnel")
    ice = frame_with(at, "if_accepted").set_index("customer")
    assert ice.loc[str(worst["customer"]), "status"] == "Geweigerd"
    assert ice.loc[str(worst["customer"]), "condition"] == "Minimale bestelling"
    anchored = frame_with(at, "attendees").set_index("customer")
    assert anchored.loc[str(best["customer"]), "state"] == "⚠️ Verlopen"
    assert anchored.loc[str(best["customer"]), "topic"] == "Jaarplan"
    overdue = [e.value for e in at.error]
    assert overdue and str(best["customer_name"]) in overdue[0]
    assert euro(metric(at, "Gewogen plan (budget)").value) == 5_500  # 5,000 + 500
    budget = frame_with(at, "Kwartaal")
    assert budget["Kwartaal"].tolist() == ["2027-Q1", "2027-Q2"]


def test_saving_the_appointments_keeps_the_defaults_from_six_months_ahead(app, tmp_path):
    at = open_page(app, "funnel")
    at.button(key="FormSubmitter:fn_anchor_form-Bewaren").click().run()
    assert not at.exception
    assert "Bewaard bij de dataset; uw team ziet het ook." in [s.value for s in at.success]
    plan = load_plan(tmp_path / "store", "Demo")
    groups = frame_with(at, "Groep").set_index("Groep")["Klanten"].astype(int)
    anchored = groups["Houden en verankeren"] + groups["Groeien"]
    assert len(plan.appointments) == anchored
    dates = sorted(a["date"] for a in plan.appointments.values())
    expected = default_appointments(anchored, date.today(), 6, 4)
    assert dates == [d.isoformat() for d in expected]


def test_a_prospect_list_uploaded_is_ranked_and_kept(app, tmp_path):
    at = open_page(app, "funnel")
    rows = (
        "Bedrijfsnaam;Plaats;Geschatte omzet\r\n"
        "Nieuw A;Amsterdam;50.000\r\nNieuw B;Nergenshuizen;\r\n"
    )
    at.file_uploader(key="fn_prospects_file").upload("prospects.csv", rows.encode(), "text/csv")
    at.run()
    assert not at.exception
    assert "2 prospects gelezen uit prospects.csv" in shown(at.success[0].value)
    ranked = frame_with(at, "similarity")
    assert ranked["name"].tolist() == ["Nieuw A", "Nieuw B"]  # Amsterdam and large: like the best
    assert ranked["similarity"].iloc[0] > 0 == ranked["similarity"].iloc[1]
    assert euro(metric(at, "Verwachte omzet van nieuwe klanten").value) > 0
    assert [p["name"] for p in load_plan(tmp_path / "store", "Demo").prospects] == [
        "Nieuw A",
        "Nieuw B",
    ]


def test_the_page_speaks_english(app):
    at = open_page(app, "funnel")
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Optimizing in five steps"
    assert metric(at, "Water level (revenue)").value.startswith("€")


def test_a_single_prospect_and_a_saved_top_larger_than_the_list_do_not_break_the_page(app):
    save_settings(data_dir(), "Demo", {"top_prospects": 50})
    at = open_page(app, "funnel")
    rows = "Bedrijfsnaam;Plaats\r\nNieuw A;Amsterdam\r\n"
    at.file_uploader(key="fn_prospects_file").upload("een.csv", rows.encode(), "text/csv")
    at.run()
    assert not at.exception
    assert "1 prospects gelezen uit een.csv" in shown(at.success[0].value)
    assert euro(metric(at, "Verwachte omzet van nieuwe klanten").value) >= 0
