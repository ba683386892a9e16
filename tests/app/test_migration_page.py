"""Segment migration on Klantbehoud, on the demo: the matrix holds every customer of
either period once (its cells sum to the customers with revenue in the period or the one
before, computed apart), the lost and new have their own column and row, and a move's
customers are listed."""

from portfolio import months_ending
from portfolio.config import segment_rules, thresholds
from portfolio.decisions import finalize
from portfolio.segments.schemes import grid_segments
from portfolio.store import data_dir
from tests.app.conftest import open_page, table_of


def _matrix(at):
    (frame,) = [f.value for f in at.dataframe if str(f.value.index[0]).startswith("van ")][:1]
    return frame


def _count(text: str) -> int:
    return int(str(text).replace(".", ""))


def test_the_matrix_holds_every_customer_of_both_periods_once(app, demo):
    at = open_page(app, "retention")
    at.toggle(key="mig_on").set_value(True).run()
    frame = _matrix(at)
    last = demo[2]
    now = table_of(demo)
    before = table_of(demo, months_ending(last, 12).previous())
    buying = set(now.loc[now["revenue"] > 0, "customer"]) | set(
        before.loc[before["revenue"] > 0, "customer"]
    )
    total = sum(_count(v) for v in frame.to_numpy().ravel())
    assert total == len(buying)
    assert "naar verloren" in frame.columns and "van nieuw" in frame.index
    assert "naar nieuw" not in frame.columns and "van verloren" not in frame.index
    lost = sum(_count(v) for v in frame["naar verloren"])
    assert lost == len(
        set(before.loc[before["revenue"] > 0, "customer"])
        - set(now.loc[now["revenue"] > 0, "customer"])
    )


def test_a_moves_customers_are_listed(app):
    at = open_page(app, "retention")
    at.toggle(key="mig_on").set_value(True).run()
    captions = [c.value for c in at.caption]
    assert any("klik een rij voor de klantkaart" in c for c in captions)


def test_the_profit_split_names_its_segments_in_words(app):
    at = open_page(app, "retention")
    at.toggle(key="mig_on").set_value(True).run()
    at.selectbox(key="mig_s_nl").select("Winstgevend of verliesgevend").run()
    assert not at.exception
    frame = _matrix(at)
    assert "van winstgevend" in frame.index


def test_a_split_finalized_with_todays_thresholds_stays_on_the_diagonal(app, demo):
    sizes, grid = thresholds().size_class, segment_rules().grid
    segments = grid_segments(table_of(demo), grid, sizes.medium_from, sizes.large_from)
    saved = {"medium_from": sizes.medium_from, "large_from": sizes.large_from}
    finalize(data_dir(), "Demo", "grid", saved, segments[["customer", "segment"]])
    at = open_page(app, "retention")
    at.toggle(key="mig_on").set_value(True).run()
    assert "**De vastgestelde indeling tegen nu**" in [m.value for m in at.markdown]
    frames = [f.value for f in at.dataframe if str(f.value.index[0]).startswith("van ")]
    final = frames[-1]
    for segment in ("A", "B", "C"):
        row = final.loc[f"van {segment}"]
        off_diagonal = [v for column, v in row.items() if column != f"naar {segment}"]
        assert all(_count(v) == 0 for v in off_diagonal)
    assert sum(_count(v) for v in final.to_numpy().ravel()) == len(segments)
