"""Segment migration on Klantbehoud, on the demo: the matrix holds every customer of
either period once (its cells sum to the customers with revenue in the period or the one
before, computed apart), the lost and new have their own column and row, and a move's
customers are listed."""

from portfolio import months_ending
from tests.app.conftest import open_page, table_of


def _matrix(at):
    (frame,) = [f.value for f in at.dataframe if str(f.value.index[0]).startswith("van ")][:1]
    return frame


def _count(text: str) -> int:
    return int(str(text).replace(".", ""))


def test_the_matrix_holds_every_customer_of_both_periods_once(app, demo):
    at = open_page(app, "retention")
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
    captions = [c.value for c in at.caption]
    assert any("klik een rij voor de klantkaart" in c for c in captions)


def test_the_profit_split_names_its_segments_in_words(app):
    at = open_page(app, "retention")
    at.selectbox(key="mig_s_nl").select("Winstgevend of verliesgevend").run()
    assert not at.exception
    frame = _matrix(at)
    assert "van winstgevend" in frame.index
