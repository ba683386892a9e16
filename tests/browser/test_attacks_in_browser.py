"""The attack surface of a shared deployment, tried against a real server: a raw
websocket client clearing every cache, an unsaved upload after its session ends, a
teammate's sliders, and names that are Markdown."""

import json
import re
import shutil
import time
from datetime import date, timedelta

import pandas as pd
import pytest
from playwright.sync_api import expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from websockets.sync.client import connect

from portfolio.funnel.plan import load_plan, save_appointments
from tests.browser.conftest import ROOT, _serve, team_secrets, wait_for_app

pytestmark = pytest.mark.browser


def clear_every_cache(url: str) -> None:
    """What any client that can open a websocket can do, before any door."""

    address = url.replace("http://", "ws://") + "/_stcore/stream"
    with connect(address, subprotocols=["streamlit"]) as socket:
        message = BackMsg()
        message.clear_cache = True
        socket.send(message.SerializeToString())
        time.sleep(1.0)  # the server handles it before the socket closes


def upload(page, url: str, lines, customers=None) -> None:
    """On the import page: the file(s) read, every row usable."""
    page.goto(url + "/inlezen")
    page.locator("input[type=file]").nth(0).set_input_files(lines)
    if customers:
        page.locator("input[type=file]").nth(1).set_input_files(customers)
    expect(page.get_by_text("Alle regels zijn bruikbaar.").first).to_be_visible(timeout=60_000)
    wait_for_app(page)


def new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-NL")
    return context, context.new_page()


def test_clearing_the_caches_neither_resets_the_password_throttle_nor_an_unsaved_upload(
    browser, tmp_path
):
    for url in _serve(tmp_path / "store", secrets=team_secrets(tmp_path)):
        context, page = new_page(browser)
        try:
            page.goto(url + "/")
            for _ in range(5):  # the free attempts
                page.get_by_label("Teamwachtwoord").fill("raden")
                page.get_by_role("button", name="Binnenkomen").click()
                expect(page.get_by_text("Dat wachtwoord klopt niet")).to_be_visible()
                wait_for_app(page)
            page.get_by_label("Teamwachtwoord").fill("raden")
            page.get_by_role("button", name="Binnenkomen").click()
            expect(page.get_by_text("Te vaak een verkeerd wachtwoord")).to_be_visible()
            wait_for_app(page)

            clear_every_cache(url)
            page.get_by_label("Teamwachtwoord").fill("Zomer2026!")  # even the right one
            page.get_by_role("button", name="Binnenkomen").click()
            expect(page.get_by_text("Te vaak een verkeerd wachtwoord")).to_be_visible()
            wait_for_app(page)
            expect(page.get_by_role("heading", name="Klantportfolio — inloggen")).to_be_visible()
        finally:
            context.close()


def test_an_unsaved_upload_survives_a_cache_clear_and_goes_when_its_session_ends(browser, tmp_path):
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    thresholds = config / "thresholds.yaml"
    text = re.sub(r"sweep_seconds: \d+", "sweep_seconds: 1", thresholds.read_text())
    thresholds.write_text(text, encoding="utf-8")
    env = {"PORTFOLIO_CONFIG_DIR": str(config), "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": "2"}
    store = tmp_path / "store"
    for url in _serve(store, environ=env):
        context, page = new_page(browser)
        try:
            upload(page, url, ROOT / "data" / "demo_verkoopregels.csv")
            assert not list((store / "uploads").rglob("*.csv"))  # only while it was read

            clear_every_cache(url)
            page.get_by_role("textbox", name="Naam van de dataset").fill("Na het wissen")
            page.get_by_role("button", name="Opslaan en tonen").click()
            expect(page.get_by_text("dataset Na het wissen").first).to_be_visible(timeout=60_000)

            # a second upload, never saved: its rows go once the tab is closed
            upload(page, url, ROOT / "data" / "demo_verkoopregels.csv")
        finally:
            context.close()
        log = next(tmp_path.glob("server-*.log"))
        deadline = time.monotonic() + 30
        while "unsaved_dropped" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert re.search(r"unsaved_dropped tables=\d+", log.read_text())
        assert "Traceback" not in log.read_text()
        assert not list((store / "uploads").rglob("*.csv"))


def test_a_teammates_sliders_do_not_change_the_plan_the_team_sees(browser, app_url, tmp_path):
    anna_context, anna = new_page(browser)
    bram_context, bram = new_page(browser)
    try:
        anna.goto(app_url + "/stappenplan")
        wait_for_app(anna)
        strategic = anna.get_by_role("slider", name=re.compile("strategische score"))
        start = strategic.input_value()
        strategic.focus()
        for _ in range(3):
            strategic.press("ArrowRight")
        wait_for_app(anna)
        assert strategic.input_value() != start
        expect(anna.get_by_text("alleen u ziet deze instellingen")).to_be_visible()

        bram.goto(app_url + "/stappenplan")
        wait_for_app(bram)
        theirs = bram.get_by_role("slider", name=re.compile("strategische score"))
        assert theirs.input_value() == start  # the team's plan, unchanged
    finally:
        anna_context.close()
        bram_context.close()


NAMES = [
    "[Klik hier](https://example.org/x)",
    "![pixel](https://example.org/p.png)",
    "**Vet BV**",
    "<img src=https://example.org/i.png>",
]


def test_names_that_are_markdown_show_as_text_on_every_page(browser, tmp_path):
    store = tmp_path / "store"
    lines = tmp_path / "verkoop [x](https:__example.org).csv"
    rows = ["Klantnummer;Klantnaam;Factuurdatum;Bedrag excl. btw;Kostprijs"]
    for i, name in enumerate(NAMES):
        for month in range(1, 13):
            rows.append(f"{100 + i};{name};15-{month:02d}-2025;{1000 + i * 10},00;{600 + i},00")
    lines.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    customers = tmp_path / "klanten.csv"  # hours: a contribution, so profitable and anchored
    customers.write_text(
        "Klantnummer;Uren;Uurtarief\r\n"
        + "".join(f"{100 + i};2;75\r\n" for i in range(len(NAMES))),
        encoding="utf-8",
    )
    for url in _serve(store):
        context, page = new_page(browser)
        try:
            upload(page, url, lines, customers)
            page.get_by_role("textbox", name="Naam van de dataset").fill("Namen")
            page.get_by_role("button", name="Opslaan en tonen").click()
            expect(page.get_by_text("dataset Namen").first).to_be_visible(timeout=60_000)
            # an appointment of the past: the funnel's alert names the customers
            yesterday = date.today() - timedelta(days=1)
            save_appointments(
                store,
                "Namen",
                pd.DataFrame(
                    {
                        "customer": ["100", "101", "102", "103"],
                        "date": [yesterday] * 4,
                        "attendees": ["Eva"] * 4,
                        "topic": ["Jaarplan"] * 4,
                        "done": [False] * 4,
                    }
                ),
            )
            assert len(load_plan(store, "Namen").appointments) == 4
            for path in (
                "",
                "klanten",
                "klantbehoud",
                "segmenten",
                "prijsscenarios",
                "stappenplan",
                "inlezen",
            ):
                page.goto(f"{url}/{path}?dataset=Namen")
                wait_for_app(page)
                assert page.locator('[data-testid="stException"]').count() == 0, path
                outside = page.locator('a[href*="example.org"], img[src*="example.org"]')
                assert outside.count() == 0, (
                    path,
                    [
                        e.evaluate("e => e.parentElement.parentElement.outerHTML.slice(0, 400)")
                        for e in outside.all()
                    ],
                )
                assert page.locator("strong", has_text="Vet BV").count() == 0, path
            page.goto(f"{url}/stappenplan?dataset=Namen")
            wait_for_app(page)
            page.get_by_role("tab", name="3. Verankeren").click()
            expect(page.get_by_text("afspraken zijn verlopen").first).to_be_visible()
            text = page.locator("body").inner_text().replace("\u200b", "")
            assert "[Klik hier](https://example.org/x)" in text  # shown, as typed
        finally:
            context.close()
    assert json.loads((store / "datasets" / "Namen" / "plan.json").read_text())
