"""The customer card in a real browser: a click on a customer's row on Klanten, and in a
segment's list on Segmenten, opens that customer's card; the card's address opens it
again in a new session."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app

pytestmark = pytest.mark.browser


def click_first_row(page, grid, attempts: int = 3) -> None:
    """Click the first row's marker (the selection column at the grid's left edge) until
    the card opens: on a busy machine the grid may still move (an expander opening, a
    rerun drawing it again) when the click lands."""
    for attempt in range(attempts):
        wait_for_app(page)
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)
        try:
            page.wait_for_url("**/klant?**", timeout=10_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def _card_heading(page) -> str:
    expect(page.get_by_role("heading", name="Klantkaart")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    expect(page.get_by_test_id("stMetricValue").first).to_be_visible()  # drawn, not pending
    return page.locator('[data-testid="stMain"] h3').first.inner_text()


def test_a_row_on_klanten_opens_that_customers_card(page, app_url):
    page.goto(f"{app_url}/klanten")
    expect(page.get_by_role("heading", name="Klanten")).to_be_visible(timeout=60_000)
    wait_for_app(page)
    grid = page.get_by_test_id("stDataFrame").first
    first_name = page.get_by_test_id("stMain").inner_text()  # the page as it was
    click_first_row(page, grid)
    heading = _card_heading(page)
    assert "(" in heading and heading.split("(")[-1].rstrip(")").isdigit()
    number = heading.split("(")[-1].rstrip(")")
    assert f"customer={number}" in page.url
    assert first_name  # the list page had been drawn
    screenshot(page, "card-nl")

    # the address opens the same card in a new session
    context = page.context.browser.new_context(viewport={"width": 1400, "height": 1000})
    other = context.new_page()
    other.goto(page.url)
    assert _card_heading(other) == heading
    context.close()


def test_a_customer_in_a_segments_list_opens_its_card(page, app_url):
    page.goto(f"{app_url}/segmenten")
    expect(page.get_by_text("Het raster: klanten per grootte en score")).to_be_visible(
        timeout=60_000
    )
    wait_for_app(page)
    page.get_by_text("Klanten per segment (klik een rij voor de klantkaart)").click()
    wait_for_app(page)
    lists = page.get_by_test_id("stExpander").filter(has_text="Klanten per segment")
    grid = lists.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    click_first_row(page, grid)
    heading = _card_heading(page)
    assert "customer=" in page.url and heading
