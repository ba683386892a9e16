"""An export without cost price in a real browser: the import page offers to estimate the
margin (a file per product and an average), and the overview then says the margin is an
estimate and shows the estimated figure."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NO_COST = (
    "Klant;Factuurdatum;Artikel;Bedrag excl. btw\r\n"
    "Alfa;01-03-2025;A-1;1.000,00\r\nBeta;02-03-2025;B-2;500,00\r\n"
)


def test_a_margin_estimated_on_the_import_page_is_shown_as_an_estimate(page, app_url, tmp_path):
    lines, products = tmp_path / "verkoop.csv", tmp_path / "marges.csv"
    lines.write_bytes(NO_COST.encode("cp1252"))
    products.write_text("Artikel;Marge %\r\nA-1;40\r\n", encoding="utf-8")
    page.goto(f"{app_url}/inlezen")
    expect(page.get_by_role("heading", name="Gegevens inlezen")).to_be_visible(timeout=60_000)
    page.locator("input[type=file]").nth(0).set_input_files(lines)
    expect(page.get_by_text(re.compile("Deze export heeft geen kostprijs"))).to_be_visible(
        timeout=60_000
    )
    page.locator("input[type=file]").nth(2).set_input_files(products)  # the product file
    expect(
        page.get_by_text(re.compile(r"Niet in het bestand \(grootste eerst\): B-2"))
    ).to_be_visible(timeout=60_000)
    average = page.get_by_role("spinbutton", name=re.compile("Gemiddelde brutomarge"))
    average.fill("10")
    average.press("Enter")
    page.get_by_role("textbox", name="Naam van de dataset").fill("Zonder kostprijs")
    page.get_by_role("button", name="Opslaan en tonen").click()
    expect(page.get_by_text("dataset Zonder kostprijs").first).to_be_visible(timeout=60_000)
    # by hand: 40 % of 1.000 from the file, the average 10 % of 500 for B-2
    margin = page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Brutomarge"))
    expect(margin.first).to_contain_text(re.compile(r"€\s?450"))
    expect(page.get_by_text(re.compile(r"Geschatte marge: .*marges\.csv"))).to_be_visible()
