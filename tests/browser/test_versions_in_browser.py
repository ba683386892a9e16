"""Next month's export saved under the same name, in a real browser: the overview says
what changed since the upload before, a customer in its lists opens the card, and
Klantbehoud shows who moved between segments. The demo export is saved twice: without
its last month (last month's upload), then whole."""

import dataclasses

import pytest
from playwright.sync_api import expect

from portfolio import connect, read_customer_file, read_invoice_lines
from portfolio.store import save_dataset
from tests.browser.conftest import _serve, screenshot, wait_for_app
from tests.browser.test_card_in_browser import click_first_row
from tests.conftest import DEMO

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def two_uploads_url(tmp_path_factory):
    store = tmp_path_factory.mktemp("versions") / "store"
    con = connect(store)
    lines = read_invoice_lines(con, DEMO / "demo_verkoopregels.csv", store / "staging")
    customers = read_customer_file(con, DEMO / "demo_klanten.csv", store / "staging")
    con.execute(
        f"""CREATE TABLE november AS SELECT * FROM {lines.table}
            WHERE invoice_date < (SELECT date_trunc('month', max(invoice_date))
                                  FROM {lines.table})"""
    )
    earlier = dataclasses.replace(lines, table="november")
    save_dataset(con, store, "Verkoop", earlier, customers, by="Anna")
    save_dataset(con, store, "Verkoop", lines, customers, by="Bram")
    con.close()
    yield from _serve(store)


def test_the_second_upload_says_what_changed_and_who_moved(page, two_uploads_url):
    page.goto(f"{two_uploads_url}/?dataset=Verkoop")
    expect(page.get_by_role("heading", name="Wat veranderde sinds de vorige upload")).to_be_visible(
        timeout=60_000
    )
    wait_for_app(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Nieuwe klanten").last).to_be_visible()
    section = page.get_by_role("heading", name="Wat veranderde sinds de vorige upload")
    section.scroll_into_view_if_needed()
    screenshot(page, "changes-nl")

    page.get_by_role("tab", name="Omzet omhoog").click()
    wait_for_app(page)
    panel = page.get_by_role("tabpanel", name="Omzet omhoog")
    click_first_row(page, panel.get_by_test_id("stDataFrame"))
    expect(page.get_by_role("heading", name="Klantkaart")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    assert "customer=" in page.url

    page.goto(f"{two_uploads_url}/klantbehoud?dataset=Verkoop")
    expect(page.get_by_role("heading", name="Verschuivingen tussen segmenten")).to_be_visible(
        timeout=60_000
    )
    wait_for_app(page)
    page.get_by_text("Toon wie van segment wisselde").click()
    wait_for_app(page)
    page.get_by_role("heading", name="Verschuivingen tussen segmenten").scroll_into_view_if_needed()
    expect(main.get_by_text("van nieuw").first).to_be_attached()  # a cell of the grid
    screenshot(page, "migration-nl")
