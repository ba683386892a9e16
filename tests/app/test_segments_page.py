"""The segments page through AppTest: the grid partitions the customers whatever the
sliders say, and the fit codes add up."""

from portfolio.config import segment_rules
from tests.app.conftest import open_page, table_of


def segment_counts(at) -> dict[str, int]:
    frame = at.dataframe[0].value
    return {
        s: int(n.replace(".", "")) for s, n in zip(frame["Segment"], frame["Klanten"], strict=True)
    }


def test_every_customer_with_revenue_is_in_exactly_one_segment(app, demo):
    at = open_page(app, "segments")
    active = int((table_of(demo)["revenue"] > 0).sum())
    before = segment_counts(at)
    assert sum(before.values()) == active
    at.slider(key="seg_margin_pct_from").set_value(5.0).run()  # a lower bar: more A and B
    after = segment_counts(at)
    assert sum(after.values()) == active
    assert after.get("A", 0) >= before.get("A", 0)
    at.slider(key="seg_large_from").set_value(0.0).run()  # everyone large: nobody is C
    assert "C" not in segment_counts(at)


def test_reset_brings_back_the_defaults(app):
    at = open_page(app, "segments")
    at.slider(key="seg_days_late_max").set_value(30.0).run()
    at.button[0].click().run()  # "reset to defaults"
    assert at.slider(key="seg_days_late_max").value == segment_rules().grid.days_late_max


def test_the_fit_codes_cover_every_customer_with_revenue(app, demo):
    at = open_page(app, "segments")
    fit = at.dataframe[1].value
    active = int((table_of(demo)["revenue"] > 0).sum())
    assert sum(int(n.replace(".", "")) for n in fit["Klanten"]) == active
    assert list(fit["Fitcode"]) == ["1", "2", "3"]  # every demo customer has a code
