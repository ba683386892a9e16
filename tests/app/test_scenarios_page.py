"""The price scenario page through AppTest: the break-even rule on the page, sliders
and presets against hand-worked figures, saved scenarios across a restart; without a cost
price or hours the figures that need them are unknown, never € 0."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from portfolio import connect, read_customer_file, read_invoice_lines
from portfolio.decisions import finalize
from portfolio.store import save_dataset
from tests.app.conftest import ROOT, open_page, shown, table_of
from tests.app.test_matrix import BAD, opened, texts
from tests.shapes import SHAPES


def euro(text: str) -> float:
    """'€ 1.234' or '-€ 1.234' as shown in Dutch -> 1234.0."""
    clean = text.replace("€", "").replace("\xa0", "").replace(" ", "").replace(".", "")
    return float(clean.replace(",", "."))


def metric(at, label: str):
    return next(m for m in at.metric if m.label == label)


def seed_dataset(store: Path) -> None:
    """Four customers, each € 1.000 revenue at € 700 cost and no hours to serve (a
    customer file that says 0; without one the hours would be unknown): contribution
    margin 30 %."""
    rows = ["Klantnummer;Klant;Factuurdatum;Bedrag;Kostprijs"]
    rows += [f"K{i};Klant {i};15-0{i}-2025;1.000,00;700,00" for i in range(1, 5)]
    file = store / "zaad.csv"
    file.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    people = store / "zaad_klanten.csv"
    people.write_text(
        "Klantnummer;Uren\r\n" + "".join(f"K{i};0\r\n" for i in range(1, 5)), encoding="utf-8"
    )
    con = connect(store)
    staging = store / "staging"
    save_dataset(
        con,
        store,
        "Zaad",
        read_invoice_lines(con, file, staging),
        read_customer_file(con, people, staging),
    )


def served_dataset(store: Path) -> None:
    """Four customers, each € 1.000 revenue at € 600 cost (gross margin 40 %) and one hour
    at € 100 to serve: contribution € 300 each, contribution margin 30 %."""
    rows = ["Klantnummer;Klant;Factuurdatum;Bedrag;Kostprijs"]
    rows += [f"K{i};Klant {i};15-0{i}-2025;1.000,00;600,00" for i in range(1, 5)]
    lines = store / "bediend.csv"
    lines.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    people = ["Klantnummer;Klant;Uren;Uurtarief"]
    people += [f"K{i};Klant {i};1;100" for i in range(1, 5)]
    side = store / "klanten.csv"
    side.write_text("\r\n".join(people) + "\r\n", encoding="utf-8")
    con = connect(store)
    staging = store / "staging"
    save_dataset(
        con,
        store,
        "Bediend",
        read_invoice_lines(con, lines, staging),
        read_customer_file(con, side, staging),
    )


@pytest.fixture
def seed_app(app, tmp_path):
    seed_dataset(tmp_path / "store")
    app.run()
    app.selectbox(key="dataset").set_value("Zaad").run()
    at = open_page(app, "scenarios")
    at.selectbox(key="sc_split").set_value("all").run()
    return at


def test_ten_percent_dearer_may_lose_a_quarter_on_the_page(seed_app):
    at = seed_app
    at.slider(key="sc_all_all_price_change").set_value(10).run()
    captions = [c.value for c in at.caption]
    assert "Break-even: u mag 25,0% van het volume verliezen." in captions
    at.slider(key="sc_all_all_leaving").set_value(25).run()
    assert not at.warning
    contribution = metric(at, "Bijdrage")
    assert euro(contribution.value) == 1200.0  # 4 × 300, as before the change
    assert euro(metric(at, "Omzet").value) == 3300.0  # 4.000 × 0,75 × 1,10
    at.slider(key="sc_all_all_leaving").set_value(26).run()
    assert "voorbij de break-even" in at.warning[0].value
    at.slider(key="sc_all_all_price_change").set_value(-10).run()
    at.slider(key="sc_all_all_leaving").set_value(0).run()
    assert "Break-even: er is 50,0% meer volume nodig." in [c.value for c in at.caption]


def test_moving_sliders_gives_the_hand_worked_segment_figures(app, demo):
    at = open_page(app, "scenarios")
    at.slider(key="sc_grid_C_price_change").set_value(8).run()
    at.slider(key="sc_grid_C_leaving").set_value(20).run()
    at.slider(key="sc_grid_C_fewer_days").set_value(10).run()
    assert not at.exception
    result = at.dataframe[0].value.set_index("Segment")
    # the grid's segments by letter and channel (a segment card says what it stands for)
    assert {"A · persoonlijk", "C · mail"} <= set(result.index)
    result = result.rename(index=lambda s: s.split(" · ")[0])
    table = table_of(demo)
    buying = table[table["revenue"] > 0]
    before_revenue = buying["revenue"].sum()
    row_c = result.loc["C"]
    c_revenue = euro(row_c["Omzet — Voor"])
    c_contribution = euro(row_c["Bijdrage — Voor"])
    assert euro(row_c["Omzet — Na"]) == pytest.approx(c_revenue * 0.8 * 1.08, abs=1)
    assert euro(row_c["Bijdrage — Na"]) == pytest.approx(
        0.8 * (c_contribution + 0.08 * c_revenue), abs=2
    )
    assert euro(result.loc["Totaal", "Omzet — Voor"]) == pytest.approx(before_revenue, abs=1)
    for segment in ("A", "B"):  # untouched
        assert result.loc[segment, "Omzet — Na"] == result.loc[segment, "Omzet — Voor"]
    assert euro(metric(at, "Vrijgekomen kas").value) > 0


def test_the_presets_set_the_sliders(app):
    at = open_page(app, "scenarios")
    at.selectbox(key="sc_split").set_value("profit").run()
    at.button(key="sc_p1_profit").click().run()
    assert at.slider(key="sc_profit_loss_making_price_change").value == 10
    assert at.slider(key="sc_profit_loss_making_leaving").value == 10
    assert at.slider(key="sc_profit_profitable_price_change").value == 0
    at.button(key="sc_p3_profit").click().run()
    assert at.slider(key="sc_profit_loss_making_price_change").value == 0
    at.button(key="sc_p2_profit").click().run()  # the demo has a discount column
    assert at.slider(key="sc_profit_profitable_price_change").value > 0


def test_a_saved_scenario_survives_a_restart_and_is_compared(app, tmp_path):
    at = open_page(app, "scenarios")
    at.slider(key="sc_grid_C_price_change").set_value(10).run()
    at.text_input(key="sc_name").set_value("C tien procent")
    at.button(key="FormSubmitter:sc_save-Bewaren").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Scenario ‘C tien procent’ is bewaard")
    fresh = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    fresh.run()  # a teammate, or the app after a restart
    fresh = open_page(fresh, "scenarios")
    assert fresh.multiselect(key="sc_compare").value == ["C tien procent"]
    comparison = fresh.dataframe[-1].value.set_index("Cijfer")
    assert list(comparison.columns) == ["Nu", "C tien procent"]
    assert euro(comparison.loc["Omzet", "C tien procent"]) > euro(comparison.loc["Omzet", "Nu"])
    fresh.button(key="sc_load").click().run()
    assert fresh.slider(key="sc_grid_C_price_change").value == 10


def test_the_page_speaks_english_with_english_numbers(app):
    at = open_page(app, "scenarios")
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Price scenarios"
    assert metric(at, "Revenue").value.startswith("€")
    assert "," in metric(at, "Revenue").value and "." not in metric(at, "Revenue").value


def test_the_finalized_split_is_the_default_and_names_its_segments(app, demo, tmp_path):
    table = table_of(demo)
    buying = table[table["revenue"] > 0]
    # finalized with all but one customer, as after a period change: that one is unassigned
    segments = pd.DataFrame(
        {
            "customer": buying["customer"].iloc[1:],
            "segment": ["A" if i % 2 else "D" for i in range(len(buying) - 1)],
        }
    )
    finalize(tmp_path / "store", "Demo", "types", {}, segments)
    at = open_page(app, "scenarios")
    assert at.selectbox(key="sc_split").value == "final"
    names = list(at.dataframe[0].value["Segment"])
    assert names == ["A · Ambassadeur", "D · Desastreus", "Niet ingedeeld", "Totaal"]


def test_customers_who_stay_and_buy_less_are_judged_by_the_gross_margin(app, tmp_path):
    served_dataset(tmp_path / "store")
    app.run()
    app.selectbox(key="dataset").set_value("Bediend").run()
    at = open_page(app, "scenarios")
    at.selectbox(key="sc_split").set_value("all").run()
    at.slider(key="sc_all_all_price_change").set_value(10).run()
    captions = [c.value for c in at.caption]
    # those who stay keep costing € 100 each: 0,1 / (0,4 + 0,1) = 20 % of volume may go;
    # those who leave take their cost with them: 0,1 / (0,3 + 0,1) = 25 %, the break-even rule
    assert "Break-even: u mag 20,0% van het volume verliezen." in captions
    assert any("25,0% van de klanten" in c for c in captions)
    at.slider(key="sc_all_all_volume_change").set_value(-25).run()
    # the page used to keep quiet here (the break-even rule at m = 30 % allows 25 %), while
    # contribution falls from 4 × 300 to 0,75 × (1.600 + 400) − 400 = 1.100
    assert euro(metric(at, "Bijdrage").value) == 1100.0
    assert "voorbij de break-even" in at.warning[0].value
    at.slider(key="sc_all_all_volume_change").set_value(-20).run()
    assert not at.warning
    assert euro(metric(at, "Bijdrage").value) == 1200.0  # 0,8 × 2.000 − 400
    # with a quarter leaving, +10 % is what keeps contribution: 0,75 × (1.600 + 400 − 400)
    at.slider(key="sc_all_all_volume_change").set_value(0).run()
    at.slider(key="sc_all_all_price_change").set_value(0).run()
    at.slider(key="sc_all_all_leaving").set_value(25).run()
    shown = [c.value.replace("\\", "") for c in at.caption]  # tr escapes markdown (+ as \+)
    assert any("prijswijziging van +10,0% de bijdrage gelijk" in c for c in shown)
    assert "voorbij de break-even" in at.warning[0].value


# --- unknown is not zero: no cost price, no customer file ------------------------------


def scenarios_on(shape: str, tmp_path, monkeypatch) -> AppTest:
    """The scenario page on one of ``tests/shapes.py``'s datasets, the whole portfolio as
    one segment (so the sliders' keys are known)."""
    at = opened(shape, tmp_path, monkeypatch)
    at.switch_page("pages/scenarios.py").run()
    at.selectbox(key="sc_split").set_value("all").run()
    assert not at.exception, at.exception
    return at


def results(at: AppTest) -> pd.Series:
    """The result table's total row: figure -> text."""
    return at.dataframe[0].value.set_index("Segment").loc["Totaal"]


def no_false_figures(at: AppTest) -> None:
    """No NaN, None, nan, NaT, null or <NA> anywhere on the page."""
    bad = [text for text in texts(at) if BAD.search(text)]
    assert not bad, bad[:5]


def test_without_a_cost_price_margin_and_contribution_are_unknown_not_zero(tmp_path, monkeypatch):
    at = scenarios_on("no_cost", tmp_path, monkeypatch)
    figures = {m.label: m.value for m in at.metric}
    assert figures["Brutomarge"] == figures["Bijdrage"] == "onbekend"
    assert figures["Omzet"].startswith("€")
    total = results(at)
    for figure in ("Brutomarge", "Bijdrage"):
        assert total[f"{figure} — Voor"] == total[f"{figure} — Na"] == "onbekend"
    assert total["Verschil bijdrage"] == "onbekend"
    assert total["Kosten om te bedienen — Voor"].startswith("€")  # the hours are there
    no_false_figures(at)
    # customers who leave still move revenue, customers, hours and cost to serve
    at.slider(key="sc_all_all_leaving").set_value(20).run()
    assert not at.exception
    assert euro(metric(at, "Omzet").value) == pytest.approx(
        0.8 * euro(total["Omzet — Voor"]), abs=1
    )
    assert metric(at, "Bijdrage").value == "onbekend" and not metric(at, "Bijdrage").delta
    assert results(at)["Bijdrage — Na"] == "onbekend"
    no_false_figures(at)


def test_without_a_cost_price_the_margin_sliders_and_charts_are_off_with_one_line_why(
    tmp_path, monkeypatch
):
    at = scenarios_on("no_cost", tmp_path, monkeypatch)
    why = [shown(i.value) for i in at.info if "kostprijs" in i.value]
    assert len(why) == 1
    assert why[0].startswith("Geen kostprijs in de export: brutomarge en bijdrage zijn onbekend")
    assert "Gegevens inlezen" in why[0] and "kolom kostprijs" in why[0]  # how to add it
    assert at.slider(key="sc_all_all_price_change").disabled
    assert at.slider(key="sc_all_all_volume_change").disabled
    assert not at.slider(key="sc_all_all_leaving").disabled
    assert not at.slider(key="sc_all_all_fewer_days").disabled
    assert at.button(key="sc_p1_all").disabled and at.button(key="sc_p2_all").disabled
    assert not at.get("vega_lite_chart")  # no chart on a € 0 axis
    assert "Gevoeligheid: prijs × klantverlies" not in [s.value for s in at.subheader]
    assert not any("Break-even" in c.value for c in at.caption)
    at.radio(key="lang").set_value("en").run()
    assert metric(at, "Contribution").value == "unknown"
    assert sum("No cost price in the export" in i.value for i in at.info) == 1


def test_a_price_left_on_a_slider_does_not_count_once_the_slider_is_off(tmp_path, monkeypatch):
    at = scenarios_on("no_cost", tmp_path, monkeypatch)
    before = metric(at, "Omzet").value
    at.session_state["sc_all_all_price_change"] = 10  # as from a loaded scenario
    at.run()
    assert at.slider(key="sc_all_all_price_change").value == 0
    assert metric(at, "Omzet").value == before


def test_without_a_customer_file_contribution_is_unknown_while_revenue_and_margin_show(
    tmp_path, monkeypatch
):
    at = scenarios_on("no_customer_file", tmp_path, monkeypatch)
    at.slider(key="sc_all_all_price_change").set_value(10).run()
    total = results(at)
    revenue, margin = euro(total["Omzet — Voor"]), euro(total["Brutomarge — Voor"])
    assert euro(total["Omzet — Na"]) == pytest.approx(1.1 * revenue, abs=1)
    assert euro(total["Brutomarge — Na"]) == pytest.approx(margin + 0.1 * revenue, abs=1)
    for figure in (
        "Kosten om te bedienen — Voor",
        "Kosten om te bedienen — Na",
        "Bijdrage — Voor",
        "Bijdrage — Na",
        "Vrijgekomen uren",
    ):
        assert total[figure] == "onbekend", figure
    # nobody leaves, so cost to serve stays whatever it is: the change is the margin's
    assert euro(total["Verschil bijdrage"]) == pytest.approx(0.1 * revenue, abs=1)
    contribution = metric(at, "Bijdrage")
    assert contribution.value == "onbekend"
    assert euro(contribution.delta) == pytest.approx(0.1 * revenue, abs=1)
    assert metric(at, "Vrijgekomen uren").value == "onbekend"
    assert not at.slider(key="sc_all_all_price_change").disabled  # the margin is known
    assert not at.get("vega_lite_chart")
    assert sum("geen klantenbestand met uren" in shown(i.value) for i in at.info) == 1
    no_false_figures(at)
    # customers leaving take their (unknown) cost to serve: the change is unknown too
    at.slider(key="sc_all_all_leaving").set_value(10).run()
    assert results(at)["Verschil bijdrage"] == "onbekend"
    assert not metric(at, "Bijdrage").delta
    sensitivity = at.dataframe[1].value
    assert sensitivity.iloc[:, 0].notna().all()  # nobody leaving: known
    assert sensitivity.iloc[:, 1:].isna().all().all()  # shown as the word for unknown
    no_false_figures(at)


@pytest.mark.parametrize("shape", SHAPES)
def test_the_scenario_page_shows_a_number_or_the_word_for_unknown_on_every_shape(
    shape, tmp_path, monkeypatch
):
    at = scenarios_on(shape, tmp_path, monkeypatch)
    for key, value in (("leaving", 10), ("fewer_days", 5)):
        at.slider(key=f"sc_all_all_{key}").set_value(value).run()
        assert not at.exception, at.exception
    no_false_figures(at)
    for column, text in results(at).items():
        assert text.startswith(("€", "-€", "onbekend")) or text[:1].isdigit(), (column, text)
