"""The door of a shared deployment through AppTest: a wrong team password is refused
and nothing of the app shows; the right one lets the session in."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT


@pytest.fixture
def locked(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_DATA_DIR", str(tmp_path / "store"))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.secrets["team"] = {"password": "Zomer2026!"}
    at.run()
    return at


def test_a_wrong_password_is_refused_and_shows_nothing_of_the_app(locked):
    at = locked
    assert at.title[0].value == "Klantportfolio — inloggen"
    at.text_input(key="door_password").set_value("zomer2026")
    at.button[0].click().run()
    assert "Dat wachtwoord klopt niet" in at.error[0].value
    assert not at.metric and not at.dataframe  # no figure, no customer


def test_a_page_opened_by_its_address_before_the_door_shows_only_the_door(locked):
    at = locked
    at.switch_page("pages/customers.py").run()
    assert not at.exception
    assert at.title[0].value == "Klantportfolio — inloggen"
    assert not at.dataframe and not at.metric and not at.sidebar.button


@pytest.mark.parametrize(
    "page", ["overview", "customers", "retention", "segments", "scenarios", "funnel", "upload"]
)
def test_every_page_run_without_the_entry_script_shows_only_the_door(page, tmp_path, monkeypatch):
    # what Streamlit's old multipage mode does on a first request after a start
    monkeypatch.setenv("PORTFOLIO_DATA_DIR", str(tmp_path / "store"))
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=90)
    at.secrets["team"] = {"password": "Zomer2026!"}
    at.run()
    assert not at.exception
    assert at.title[0].value == "Klantportfolio — inloggen"
    assert not at.dataframe and not at.metric and not at.sidebar.radio
    assert not (tmp_path / "store" / "datasets").exists()  # not even the demo was read


def test_the_team_password_opens_the_app(locked):
    at = locked
    at.text_input(key="door_password").set_value("Zomer2026!")
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Klantportfolio"  # the overview
    assert at.metric
    assert [b.label for b in at.sidebar.button] == ["Uitloggen"]


def test_with_single_sign_on_configured_the_door_offers_the_sign_in(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTFOLIO_DATA_DIR", str(tmp_path / "store"))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "portfolio",
        "client_secret": "s",
        "server_metadata_url": "https://idp/.wk",
    }
    at.run()
    assert at.title[0].value == "Klantportfolio — inloggen"
    assert [b.label for b in at.button] == ["Inloggen"]
    assert not at.metric  # nothing of the app before signing in
    assert not at.text_input  # no password field: the organisation's account it is
