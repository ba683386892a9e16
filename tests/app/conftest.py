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


def shown(markdown: str) -> str:
    """A message as the browser shows it: AppTest gives the Markdown source, where a name
    or value from a file is backslash-escaped (``as_text``) so it stays text, and an
    address has a zero-width space that keeps it from becoming a link."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")
