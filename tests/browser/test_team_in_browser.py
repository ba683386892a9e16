"""Team use with a real server and browsers: two teammates (two browser contexts) see
each other's saves but not each other's unsaved uploads, a share link reproduces the
view, a wrong team password is refused, and twenty sessions at once each keep their own
view without an error."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT, wait_for_app

pytestmark = pytest.mark.browser


def open_app(browser, url: str, path: str = ""):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.goto(url + "/")
    expect(page.get_by_text("Klantportfolio").first).to_be_visible(timeout=60_000)
    wait_for_app(page)
    if path:
        page.goto(f"{url}/{path}")
        wait_for_app(page)
    return context, page


def test_two_teammates_share_saves_and_links_but_not_unsaved_uploads(browser, app_url):
    anna_context, anna = open_app(browser, app_url)
    bram_context, bram = open_app(browser, app_url)
    try:
        # Anna uploads an export but does not save it: Bram's datasets stay as they were
        anna.get_by_role("link", name="Gegevens inlezen").click()
        expect(anna.get_by_role("heading", name="Gegevens inlezen")).to_be_visible()
        anna.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            ROOT / "data" / "demo_verkoopregels.csv"
        )
        expect(anna.get_by_text("Regels gelezen").first).to_be_visible(timeout=60_000)
        bram.reload()
        wait_for_app(bram)
        bram.get_by_role("combobox", name="Dataset").click()
        assert bram.get_by_role("option").all_inner_texts() == ["Demo"]
        bram.keyboard.press("Escape")

        # Anna saves a price scenario; Bram opens the page and finds it
        anna.get_by_role("link", name="Prijsscenario's").click()
        expect(anna.get_by_role("heading", name="Prijsscenario's")).to_be_visible()
        wait_for_app(anna)
        price = anna.get_by_role("slider", name="Prijswijziging").first
        price.focus()
        for _ in range(5):
            price.press("ArrowRight")
        expect(price).to_have_value("5")
        wait_for_app(anna)
        anna.get_by_role("textbox", name="Naam van dit scenario").fill("Van Anna")
        anna.get_by_role("button", name="Bewaren").click()
        expect(anna.get_by_text("Scenario ‘Van Anna’ is bewaard")).to_be_visible()
        wait_for_app(anna)

        link = anna.url  # the address bar holds the view
        assert re.search(r"sc_grid_A_price_change=5", link)
        bram.goto(link)
        wait_for_app(bram)
        expect(bram.get_by_role("slider", name="Prijswijziging").first).to_have_value("5")
        expect(bram.get_by_text("Van Anna").first).to_be_visible()  # in the comparison
    finally:
        anna_context.close()
        bram_context.close()


def test_twenty_sessions_at_once_each_keep_their_own_view(browser, app_url):
    context = browser.new_context(viewport={"width": 1200, "height": 800}, locale="nl-NL")
    try:
        first = context.new_page()
        first.goto(app_url + "/")
        wait_for_app(first)
        pages = []
        for months in range(1, 21):  # every tab is a session of its own
            page = context.new_page()
            page.goto(f"{app_url}/?months={months}")
            pages.append((months, page))
        deadline = time.monotonic() + 180
        for months, page in pages:
            wait_for_app(page, timeout=max(1.0, deadline - time.monotonic()) * 1000)
            slider = page.get_by_role("slider", name=re.compile("maanden tot de laatste"))
            expect(slider).to_have_value(str(months))
            assert page.locator('[data-testid="stException"]').count() == 0
            assert f"months={months}" in page.url
    finally:
        context.close()


def test_a_wrong_team_password_is_refused(browser, locked_app_url):
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(locked_app_url + "/")
        expect(page.get_by_role("heading", name="Klantportfolio — inloggen")).to_be_visible(
            timeout=60_000
        )
        page.get_by_label("Teamwachtwoord").fill("zomer2026")
        page.get_by_role("button", name="Binnenkomen").click()
        expect(page.get_by_text("Dat wachtwoord klopt niet")).to_be_visible(timeout=20_000)
        assert page.get_by_text("Omzet").count() == 0
        page.goto(locked_app_url + "/klanten")  # a page by its address: the door, no dialog
        expect(page.get_by_role("heading", name="Klantportfolio — inloggen")).to_be_visible()
        wait_for_app(page)
        expect(page.get_by_role("dialog")).to_have_count(0)
        assert page.get_by_text("Omzet").count() == 0
        page.get_by_label("Teamwachtwoord").fill("Zomer2026!")
        page.get_by_role("button", name="Binnenkomen").click()
        # the address asked for opens once the door does
        expect(page.get_by_role("heading", name="Klanten", exact=True)).to_be_visible(
            timeout=60_000
        )
    finally:
        context.close()
