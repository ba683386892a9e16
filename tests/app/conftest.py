"""AppTest fixtures: the real app on the demo data, in a data folder of the test's own."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from portfolio import customer_table, months_ending
from tests.conftest import read_demo

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"  # the demo files


@pytest.fixture
def app(tmp_path, monkeypatch):
    """The app after its first run (the overview), with the demo imported into tmp_path."""
    monkeypatch.setenv("PORTFOLIO_DATA_DIR", str(tmp_path / "store"))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def demo(tmp_path):
    """The demo dataset read independently of the app: (connection, tables, last date)."""
    return read_demo(tmp_path / "check")


def table_of(demo, period=None):
    con, tables, last = demo
    return customer_table(con, tables, period or months_ending(last, 12))


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Open the tab ``label`` of the tabs with ``key`` (tabs that rerun the page on a
    switch and draw only the open tab), as a click in the browser does."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, at.exception
    return at


# the segments page's tabs (Dutch labels): only the open one is drawn
SEGMENT_TABS = {
    "grid": "Omzet × kwaliteiten",
    "value": "Waarde A/B/C/D",
    "types": "Klanttypes",
    "fit": "Fitcode 1/2/3",
}


def slider(at: AppTest, key: str):
    """The slider ``key``, a plain one or one with words for its steps (``select_slider``:
    amounts and decimals as the language writes them)."""
    found = [s for s in (*at.slider, *at.select_slider) if s.key == key]
    assert found, f"no slider {key}"
    return found[0]


def sliders(at: AppTest) -> list:
    return [*at.slider, *at.select_slider]


def open_scheme(at: AppTest, scheme: str) -> AppTest:
    """The segments page with ``scheme``'s tab open."""
    return open_tab(at, "seg_tab", SEGMENT_TABS[scheme])


def across_schemes(at: AppTest, read) -> list:
    """``read(at)`` with each scheme's tab open in turn (the segments page is open), in the
    order of the tabs; the first tab is open again after."""
    found = [read(open_scheme(at, scheme)) for scheme in SEGMENT_TABS]
    open_scheme(at, next(iter(SEGMENT_TABS)))
    return found


def shown(markdown: str) -> str:
    """A message as the browser shows it: AppTest gives the Markdown source, where a name
    or value from a file is backslash-escaped (``as_text``) so it stays text, and an
    address has a zero-width space that keeps it from becoming a link."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")
