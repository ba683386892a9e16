"""The door of a shared deployment holds whatever the first request after a start is:
a page's address, an address of an earlier version, a helper module's name or a share
link. Each case gets a server of its own, started as ``make serve`` starts it (and one
with a bare ``streamlit run``, which Streamlit starts in its old multipage mode)."""

import csv

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, _serve, team_secrets, wait_for_app

pytestmark = pytest.mark.browser

APP_PAGES = ["Overzicht", "Klanten", "Klantkaart", "Klantbehoud", "Segmenten"]
APP_PAGES += ["Prijsscenario's", "Vijf stappen", "Gegevens inlezen"]


def demo_customer_names(count: int = 40) -> list[str]:
    with open(ROOT / "data" / "demo_klanten.csv", encoding="cp1252") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return [row["Klantnaam"] for row in rows[:count]]


def assert_only_the_door(page) -> None:
    expect(page.get_by_role("heading", name="Klantportfolio — inloggen")).to_be_visible(
        timeout=60_000
    )
    wait_for_app(page)
    text = page.locator("body").inner_text()
    assert "Page not found" not in text
    assert "€" not in text and "Omzet" not in text
    assert not any(name in text for name in demo_customer_names())
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0


def sidebar_pages(page) -> list[str]:
    links = page.locator('[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]')
    return [text.strip().splitlines()[-1] for text in links.all_inner_texts()]  # after the icon


def enter(page) -> None:
    page.get_by_label("Teamwachtwoord").fill("Zomer2026!")
    page.get_by_role("button", name="Binnenkomen").click()


@pytest.mark.parametrize(
    ("first_request", "heading", "check"),
    [
        ("/klanten", "Klanten", None),
        ("/overzicht", "Klantportfolio", None),  # the first page's name; it is served at /
        ("/customers", "Klanten", None),  # the page's file name, an address of old
        ("/_ui", "Klantportfolio", None),  # a helper that used to live in pages/
        ("/access", "Klantportfolio", None),
        (
            "/prijsscenarios?sc_split=grid&sc_grid_A_price_change=7&months=6",
            "Prijsscenario's",
            ("slider", "Prijswijziging", "7"),
        ),
    ],
)
def test_the_first_request_after_a_start_shows_the_door_then_the_linked_page(
    browser, tmp_path, first_request, heading, check
):
    for url in _serve(tmp_path / "store", secrets=team_secrets(tmp_path)):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
        page = context.new_page()
        try:
            page.goto(url + first_request)
            assert_only_the_door(page)
            enter(page)
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(
                timeout=60_000
            )
            wait_for_app(page)
            assert "Page not found" not in page.locator("body").inner_text()
            assert sidebar_pages(page) == APP_PAGES
            if check:
                kind, name, value = check
                expect(page.get_by_role(kind, name=name).first).to_have_value(value)
                assert "months=6" in page.url
        finally:
            context.close()


def test_a_bare_streamlit_run_holds_the_door_on_an_old_address_too(browser, tmp_path):
    for url in _serve(tmp_path / "store", secrets=team_secrets(tmp_path), bare=True):
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
        page = context.new_page()
        try:
            page.goto(url + "/customers")  # Streamlit runs pages/customers.py alone
            assert_only_the_door(page)
            enter(page)
            expect(page.get_by_role("heading", name="Klanten", exact=True)).to_be_visible(
                timeout=60_000
            )
            wait_for_app(page)
            assert sidebar_pages(page) == APP_PAGES
        finally:
            context.close()
