"""A user plays one price scenario in a real browser: raises segment A's price with
the keyboard, sees the break-even beside the slider, saves the scenario by name and
downloads the comparison as xlsx (no cell a formula)."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_raise_a_price_save_the_scenario_and_download_the_comparison(page, app_url, tmp_path):
    page.goto(app_url)
    expect(page.get_by_text("Klantportfolio").first).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="Prijsscenario's").click()
    expect(page.get_by_role("heading", name="Prijsscenario's")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    expect(
        page.get_by_text("Zonder prijswijziging kost elk verloren volume bijdrage.").first
    ).to_be_visible()

    price_a = page.get_by_role("slider", name="Prijswijziging").first  # segment A comes first
    price_a.focus()
    for _ in range(10):
        price_a.press("ArrowRight")
    expect(price_a).to_have_value("10", timeout=10_000)
    breakeven = page.get_by_text(re.compile(r"Break-even: u mag \d+,\d% van het volume"))
    expect(breakeven).to_be_visible(timeout=30_000)
    wait_for_app(page)
    screenshot(page, "scenarios-nl")
    page.get_by_role("heading", name="Voor en na").scroll_into_view_if_needed()
    screenshot(page, "scenarios-results-nl")
    page.get_by_role(
        "heading", name="Gevoeligheid: prijs × klantverlies"
    ).scroll_into_view_if_needed()
    screenshot(page, "scenarios-sensitivity-nl")

    page.get_by_role("textbox", name="Naam van dit scenario").fill("A tien procent")
    page.get_by_role("button", name="Bewaren").click()
    expect(page.get_by_text("Scenario ‘A tien procent’ is bewaard bij de dataset.")).to_be_visible(
        timeout=30_000
    )
    wait_for_app(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Vergelijking downloaden (xlsx)").click()
    path = tmp_path / "prijsscenarios.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Vergelijking", "Scenario 1"]
    rows = list(book["Vergelijking"].iter_rows(values_only=True))
    assert rows[0] == ("Cijfer", "Nu", "A tien procent")
    revenue = next(r for r in rows if r[0] == "Omzet")
    assert revenue[2] > revenue[1]  # a price rise with nobody leaving brings in more
    sheet = book["Scenario 1"]
    header = [c.value for c in sheet[1]]
    words = {"Segment", "Omzet", "Omzet (na)", "Brutomarge", "Prijswijziging", "Klanten (na)"}
    assert words | {"Kosten om te bedienen"} <= set(header)
    assert not any("_" in str(h) for h in header)  # no gross_margin, cost_to_serve
    rows_after = sheet.iter_rows(min_row=2, values_only=True)
    customers_after = [r[header.index("Klanten (na)")] for r in rows_after]
    assert all(float(n).is_integer() for n in customers_after)  # whole customers
    assert sheet.cell(2, header.index("Omzet") + 1).number_format.startswith('"€"')
    formulas = [
        c.coordinate for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []
