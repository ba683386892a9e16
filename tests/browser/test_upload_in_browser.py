"""A user uploads the Dutch demo export in a real browser, checks the columns, saves it,
sees the overview of their own data, switches to English, and looks at every page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, screenshot

pytestmark = pytest.mark.browser
DEMO_CSV = ROOT / "data" / "demo_verkoopregels.csv"
DEMO_CUSTOMERS = ROOT / "data" / "demo_klanten.csv"


def test_upload_check_save_and_see_the_overview(page, app_url):
    page.goto(app_url)
    expect(page.get_by_text("Klantportfolio").first).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="Gegevens inlezen").click()
    expect(page.get_by_role("heading", name="Gegevens inlezen")).to_be_visible()

    uploads = page.locator("input[type=file]")
    uploads.nth(0).set_input_files(DEMO_CSV)
    uploads.nth(1).set_input_files(DEMO_CUSTOMERS)
    expect(page.get_by_text("Alle regels zijn bruikbaar.").first).to_be_visible(timeout=60_000)
    read = page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Regels gelezen"))
    expect(read.first).to_contain_text("43.675")

    # the detected settings and the column mapping, as the user checks them
    page.get_by_text(re.compile(r"^Herkend: CSV \(tekst\), Windows-1252 \(ANSI\)")).first.click()
    form = page.get_by_test_id("stForm").first
    expect(form.get_by_role("combobox", name="Klantnummer")).to_have_value("Debiteurnummer")
    expect(form.get_by_role("combobox", name="Bedrag excl. btw", exact=True)).to_have_value(
        "Bedrag excl. btw"
    )
    screenshot(page, "upload-nl")

    page.get_by_role("textbox", name="Naam van de dataset").fill("Groothandel 2025")
    page.get_by_role("button", name="Opslaan en tonen").click()
    expect(page.get_by_text("dataset Groothandel 2025").first).to_be_visible(timeout=60_000)
    revenue = page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Omzet"))
    expect(revenue).to_contain_text(re.compile(r"€\s?9\.993\.291"))

    page.get_by_text("English").click()
    revenue = page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Revenue"))
    expect(revenue).to_contain_text("€9,993,291", timeout=30_000)
    screenshot(page, "overview-own-data-en")
    for name, title in (("Customers", "Customers"), ("Retention", "Retention per period")):
        page.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=30_000)
        expect(page.get_by_text("dataset Groothandel 2025").first).to_be_visible()
        screenshot(page, f"{name.lower()}-en")
