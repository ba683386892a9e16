"""A dataset saved again with next month's export: the overview says what changed since
the version before (``tests/versions.py`` knows the changes), the sidebar opens an
earlier version, and the card still opens from the lists."""

import os
from pathlib import Path

from portfolio.store import dataset_versions
from tests.app.conftest import open_page
from tests.versions import save_both


def _save_two_versions(tmp_path: Path) -> None:
    save_both(Path(os.environ["PORTFOLIO_DATA_DIR"]), tmp_path)


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_overview_says_what_changed_since_the_version_before(app, tmp_path):
    _save_two_versions(tmp_path)
    at = app.run()  # the list of datasets now holds it
    at.selectbox(key="dataset").select("Verkoop").run()
    assert not at.exception
    assert "Wat veranderde sinds de vorige upload" in [s.value for s in at.subheader]
    metrics = _metrics(at)
    assert metrics["Nieuwe klanten"] == "1"
    assert metrics["Verloren klanten"] == "1"
    # Beta's margin turned negative: the grid's margin question now answers no
    assert metrics["Naar een ander segment"] == "1"
    tabs = [t.label for t in at.tabs]
    assert "Omzet omhoog" in tabs
    names = "\n".join(str(frame.value.to_string()) for frame in at.dataframe)
    for name in ("Delta BV", "Gamma BV", "Alfa BV", "Beta BV"):
        assert name in names


def test_an_earlier_version_is_opened_from_the_sidebar(app, tmp_path):
    _save_two_versions(tmp_path)
    at = app.run()  # the list of datasets now holds it
    at.selectbox(key="dataset").select("Verkoop").run()
    versions = at.selectbox(key="dataset_version_nl")
    assert len(versions.options) == 2 and "Bram" in versions.options[0]
    first = dataset_versions(Path(os.environ["PORTFOLIO_DATA_DIR"]), "Verkoop")[1].version
    versions.select(first).run()
    assert not at.exception
    assert any("eerdere versie" in w.value for w in at.warning)
    assert _metrics(at)["Omzet"] == "€ 18.800"  # the first export: 12 × 1.500 + 800
    # the first version has nothing before it
    assert "Wat veranderde sinds de vorige upload" not in [s.value for s in at.subheader]
    at = open_page(at, "customer")
    assert at.selectbox(key="dataset_version_nl").index == 1  # still the earlier version


def test_an_earlier_version_whose_files_are_damaged_is_named_not_a_traceback(app, tmp_path):
    _save_two_versions(tmp_path)
    store = Path(os.environ["PORTFOLIO_DATA_DIR"])
    earlier = dataset_versions(store, "Verkoop")[1]
    (earlier.path / "lines.parquet").write_bytes(b"not parquet any more")
    at = app.run()
    at.selectbox(key="dataset").select("Verkoop").run()
    assert not at.exception
    assert any("niet meer te openen" in w.value for w in at.warning)
    assert at.metric[0].value  # the version in use is shown as before
