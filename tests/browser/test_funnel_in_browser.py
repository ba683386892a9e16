"""A user walks the five steps on the demo data in a real browser and downloads the
appointments (.ics), the plan (xlsx) and the one-page summary (HTML)."""

import icalendar
import openpyxl
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser

STEPS = {
    "1. Selecteren": "Markeer elke klant als winstgevend",
    "2. Herstellen": "De ijsblokjes",
    "3. Verankeren": "Winstgevende klanten krijgen een vaste afspraak",
    "4. Intern groeien": "Per klant die wil uitbreiden",
    "5. Extern groeien": "Nieuwe klanten komen vaak uit de buurt",
}


def test_walk_the_five_steps_and_download_the_plan(page, app_url, tmp_path):
    page.goto(app_url)
    expect(page.get_by_text("Klantportfolio").first).to_be_visible(timeout=60_000)
    page.get_by_role("link", name="Vijf stappen").click()
    heading = page.get_by_role("heading", name="Optimaliseren in vijf stappen")
    expect(heading).to_be_visible(timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_text("Waterpeil (omzet)").first).to_be_visible()
    screenshot(page, "funnel-nl")
    for tab, text in STEPS.items():
        page.get_by_role("tab", name=tab).click()
        intro = page.get_by_text(text).first
        expect(intro).to_be_visible(timeout=10_000)
        intro.evaluate("e => e.scrollIntoView({block: 'start'})")  # the step at the top
        screenshot(page, f"funnel-step{tab[0]}-nl")

    page.get_by_role("tab", name="3. Verankeren").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Afspraken in uw agenda (.ics)").click()
    ics = tmp_path / "afspraken.ics"
    download.value.save_as(ics)
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    assert events and all(str(e["uid"]).endswith("@klantportfolio") for e in events)
    wait_for_app(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Het plan voor het verkoopoverleg (Excel)").click()
    xlsx = tmp_path / "plan.xlsx"
    download.value.save_as(xlsx)
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Samenvatting", *STEPS]
    step1 = book["1. Selecteren"]
    segment = [c.value for c in step1[1]].index("Segment")
    assert {row[segment] for row in step1.iter_rows(min_row=2, values_only=True)} <= set("ABCD")
    assert book["3. Verankeren"].max_row - 1 == len(events)  # every appointment, each in .ics
    wait_for_app(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Samenvatting (PDF, A4)").click()
    pdf = tmp_path / "plan.pdf"
    download.value.save_as(pdf)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1  # the demo's plan on one A4 page
    assert "Plan klantportefeuille" in reader.pages[0].extract_text()
    wait_for_app(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Samenvatting (HTML, om te printen)").click()
    summary = tmp_path / "plan.html"
    download.value.save_as(summary)
    page.goto(summary.as_uri())
    expect(page.get_by_role("heading", name="Plan klantportefeuille")).to_be_visible()
    expect(page.get_by_text("Waterpeil (omzet)")).to_be_visible()
    screenshot(page, "funnel-summary-nl")
