"""A user puts one customer in another segment in a real browser, with a reason, and
downloads the list with segments: the override is in it, and no cell is a formula."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import choose, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_override_one_customer_and_download_the_segments(page, app_url, tmp_path):
    page.goto(app_url)
    expect(page.get_by_text("Klantportfolio").first).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="Segmenten").click()
    expect(page.get_by_role("heading", name="Segmenten")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Het raster: klanten per grootte en score")).to_be_visible()
    wait_for_app(page)  # a dropdown opened during a rerun is drawn anew and closes

    form = page.get_by_test_id("stForm").first
    customer = form.get_by_role("combobox", name="Klant").input_value()
    segment = form.get_by_role("combobox", name="Nieuw segment")
    # the option clicked, not typed: Enter on a list not yet filtered (a busy machine)
    # takes the option highlighted before, and the text typed still reads "C"
    choose(page, segment, "C")
    form.get_by_role("textbox", name="Reden (verplicht)").fill("Vertrekt naar een concurrent")
    form.get_by_role("button", name="Segment aanpassen").click()
    expect(page.get_by_text("1 klant met de hand in een ander segment gezet.").first).to_be_visible(
        timeout=30_000
    )
    screenshot(page, "segments-override-nl")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download klanten met segment (Excel)").first.click()
    path = tmp_path / "segmenten.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Segment", "Berekend segment", "Reden aanpassing")
    number = header.index("Klantnummer")
    moved = [r for r in rows[1:] if str(r[number]) == customer.split(" — ")[0]]
    assert moved and moved[0][0] == "C" and moved[0][2] == "Vertrekt naar een concurrent"
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert re.fullmatch(r"\d+", str(moved[0][number]))


def test_a_tab_shows_its_scheme_and_a_moved_slider_keeps_its_value_across_tabs(page, app_url):
    """Only the open tab is drawn (a click reruns the page): the tab clicked opens its
    scheme, the address names it, and a slider of a tab left keeps its value."""
    page.goto(f"{app_url}/segmenten")
    expect(page.get_by_text("Het raster: klanten per grootte en score")).to_be_visible(
        timeout=60_000
    )
    wait_for_app(page)
    slider = page.locator('.st-key-seg_days_late_max input[type="range"]')
    before = slider.input_value()
    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_for_app(page)
    moved = slider.input_value()
    assert float(moved) == float(before) + 1

    page.get_by_role("tab", name="Waarde A/B/C/D").click()
    expect(page.get_by_text("1. De groepen")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_text("Het raster: klanten per grootte en score")).to_have_count(0)
    assert "seg_scheme=value" in page.url

    page.get_by_role("tab", name="Omzet × kwaliteiten").click()
    expect(page.get_by_text("Het raster: klanten per grootte en score")).to_be_visible(
        timeout=30_000
    )
    wait_for_app(page)
    assert slider.input_value() == moved
    assert "seg_scheme=grid" in page.url
