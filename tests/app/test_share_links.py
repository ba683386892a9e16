"""Share links through AppTest: the address holds the view, and opening it in a new
session reproduces the view; a link to a dataset that is not there says so."""

from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT, open_page, open_tab, shown


def fresh(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_address_holds_the_view_and_reproduces_it(app):
    at = open_page(app, "scenarios")
    at.slider(key="months").set_value(6).run()
    at.slider(key="sc_grid_C_price_change").set_value(8).run()
    # last: AppTest keeps a select box's label, and the labels change with the language
    at.radio(key="lang").set_value("en").run()
    params = {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}
    assert params["lang"] == "en" and params["months"] == "6"
    assert params["sc_grid_C_price_change"] == "8"
    revenue = next(m.value for m in at.metric if m.label == "Revenue")

    teammate = fresh(params)  # the link opened by someone else
    teammate = open_page(teammate, "scenarios")  # the link's page (the address path)
    assert teammate.slider(key="months").value == 6
    assert teammate.slider(key="sc_grid_C_price_change").value == 8
    assert next(m.value for m in teammate.metric if m.label == "Revenue") == revenue
    assert teammate.title[0].value == "Price scenarios"


def test_a_link_to_a_dataset_that_is_not_here_says_so_and_shows_no_figures(app):
    at = fresh({"dataset": "Verkoop van een ander team", "months": "999"})
    assert at.title[0].value == "Dataset niet gevonden"
    message = shown(at.main.warning[0].value)
    assert "‘Verkoop van een ander team’" in message and "bestaat hier niet" in message
    assert not at.metric and not at.dataframe  # nothing of the demo passed off as theirs
    assert any("(months)" in w.value for w in at.sidebar.warning)
    at.button(key="link_missing_ok").click().run()  # then the demo, by choice
    assert at.selectbox(key="dataset").value == "Demo"
    assert at.slider(key="months").value == 12
    assert at.metric


def test_a_dataset_name_in_a_link_is_shown_as_text_never_as_a_link_or_image(app):
    at = fresh({"dataset": "[Sessie verlopen](https://example.org/login)"})
    message = at.main.warning[0].value
    assert "\\[Sessie verlopen\\]\\(" in message and "https://" not in message
    assert "[Sessie verlopen](https://example.org/login)" in shown(message)  # as typed
    at = fresh({"dataset": "![x](https://example.org/pixel.png)"})
    assert "\\!\\[x\\]" in at.main.warning[0].value


def test_a_link_sets_the_segment_thresholds_and_opens_the_scheme_it_was_made_on(app):
    link = {"seg_margin_pct_from": "5.0", "segv_method": "percentile", "seg_scheme": "value"}
    at = open_page(fresh(link), "segments")
    assert at.radio(key="segv_method").value == "percentile"  # the value tab is open
    assert at.query_params["seg_scheme"] in ("value", ["value"])
    at = open_tab(at, "seg_tab", "Omzet × kwaliteiten")
    assert at.slider(key="seg_margin_pct_from").value == 5.0  # kept while its tab was shut
    assert at.query_params["seg_margin_pct_from"] in ("5.0", ["5.0"])
