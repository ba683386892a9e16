"""Every page on every shape of data that is not the demo (the matrix of shapes): no
exception, and no ``NaN``, ``None``, ``nan``, ``NaT``, ``null`` or ``<NA>`` where a figure
or a name should be. This is what keeps the product working on data its makers did not
choose; ``tests/shapes.py`` makes the files."""

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from portfolio import connect, read_customer_file, read_invoice_lines
from portfolio.store import save_dataset
from tests.app.conftest import ROOT, across_schemes, shown
from tests.shapes import SHAPES, make_shape, write_shape

PAGES = [
    "overview",
    "customers",
    "customer",
    "retention",
    "segments",
    "scenarios",
    "funnel",
    "upload",
]
BAD = re.compile(r"(?<![\w-])(nan|NaN|None|NaT|null|<NA>|inf|-inf)(?![\w-])")


def saved(shape_name: str, root) -> None:
    """The shape read and saved with the product's own readers, as the upload page does."""
    lines_file, customers_file = write_shape(make_shape(shape_name), root / "files")
    con = connect(root)
    lines = read_invoice_lines(con, lines_file, root / "staging")
    customers = (
        read_customer_file(con, customers_file, root / "staging") if customers_file else None
    )
    save_dataset(con, root, shape_name, lines, customers)
    con.close()


def texts(at: AppTest) -> list[str]:
    """Everything the page says in words and figures (tables: their text cells)."""
    out = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "info",
        "warning",
        "error",
        "success",
        "exception",
    ):
        out += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        out += [str(m.label), str(m.value), str(m.delta or "")]
    for frame in at.dataframe:
        value = frame.value
        if isinstance(value, pd.DataFrame):
            for column in value.columns:
                if value[column].dtype == object:
                    out += [str(v) for v in value[column].dropna()]
                out.append(str(column))
    return out


def opened(shape: str, tmp_path, monkeypatch) -> AppTest:
    """The app after its first run on ``shape``, saved in a data folder of the test's own."""
    store = tmp_path / "store"
    monkeypatch.setenv("PORTFOLIO_DATA_DIR", str(store))
    saved(shape, store)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=180)
    at.query_params["dataset"] = shape
    return at.run()


@pytest.mark.parametrize("shape", SHAPES)
def test_every_page_works_on_a_shape_of_data_unlike_the_demo(shape, tmp_path, monkeypatch):
    at = opened(shape, tmp_path, monkeypatch)
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert at.selectbox(key="dataset").value == shape
        said = sum(across_schemes(at, texts), []) if page == "segments" else texts(at)
        bad = [text for text in said if BAD.search(text)]
        assert not bad, (page, bad[:5])


def test_data_of_one_year_shows_that_year_and_no_change_against_a_year_it_lacks(
    tmp_path, monkeypatch
):
    at = opened("one_year", tmp_path, monkeypatch)
    assert at.radio(key="period_kind").value == "year"
    assert at.selectbox(key="year").value == 2024
    assert [(m.label, m.delta) for m in at.metric if m.delta] == []  # no arrow against 2023
    figures = {m.label: m.value for m in at.metric}
    assert figures["Klantbehoud"] == figures["Nieuwe klanten"] == "onbekend"
    assert figures["Klanten"] == "50"
    assert any("Geen vergelijking: de data begint op" in shown(c.value) for c in at.caption)


def test_without_a_customer_file_contribution_is_unknown_and_the_page_says_how_to_add_it(
    tmp_path, monkeypatch
):
    at = opened("no_customer_file", tmp_path, monkeypatch)
    figures = {m.label: m.value for m in at.metric}
    assert figures["Bijdrage"] == "onbekend"  # not the gross margin, not € 0
    assert figures["Brutomarge"].startswith("€")  # the cost price is there
    assert any("geen klantenbestand met uren" in shown(i.value) for i in at.info)
    at.switch_page("pages/funnel.py").run()
    assert not at.exception
    assert any("geen klantenbestand met uren" in shown(i.value) for i in at.info)
    at.switch_page("pages/scenarios.py").run()  # what stays known stays: price and volume
    captions = [shown(c.value) for c in at.caption]
    assert any("bijdragemarge onbekend" in c for c in captions)
    assert any("mogen vertrekken is onbekend" in c for c in captions)
    assert any(c.startswith("Zonder prijswijziging kost elk verloren volume") for c in captions)
