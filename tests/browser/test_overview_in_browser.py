"""A user opens the app in a real browser and sees the demo portfolio, in Dutch, then English."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_overview_shows_demo_figures_and_switches_language(page, app_url):
    page.goto(app_url)
    expect(page.get_by_text("Klantportfolio").first).to_be_visible(timeout=60_000)
    revenue = page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Omzet"))
    expect(revenue).to_contain_text(re.compile(r"€\s?\d{1,3}(\.\d{3})+"))
    expect(page.get_by_text("van de klanten brengt 80% van de omzet")).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    screenshot(page, "overview-nl")

    page.get_by_text("English").click()
    expect(page.get_by_text("Customer portfolio").first).to_be_visible(timeout=30_000)
    revenue = page.get_by_test_id("stMetric").filter(has_text=re.compile(r"^Revenue"))
    expect(revenue).to_contain_text(re.compile(r"€\d{1,3}(,\d{3})+"))
    screenshot(page, "overview-en")

    page.get_by_role("link", name="Customers").click()
    expect(page.get_by_test_id("stDataFrame")).to_be_visible(timeout=30_000)
    page.get_by_role("textbox", name=re.compile("Search a customer")).fill("bakker")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"^\d+ of \d{3} customers found"))).to_be_visible()
    screenshot(page, "customers-search-en")
