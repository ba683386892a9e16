"""The segments page through AppTest: the grid partitions the customers whatever the
sliders say, and the fit codes add up."""

import json

import pytest

from app.ratings import CHOICES
from app.segments.common import OVERRIDE_CHOICES
from portfolio.config import segment_rules
from tests.app.conftest import open_page, open_scheme, shown, slider, table_of


def frames_with(at, column: str) -> list:
    return [d.value for d in at.dataframe if column in d.value.columns]


def segment_counts(at) -> dict[str, int]:
    """Customers per segment letter in the per-segment table of the open scheme."""
    (frame,) = [f for f in frames_with(at, "Segment") if "Aanpak" in f.columns]
    return {
        s[0]: int(n.replace(".", ""))
        for s, n in zip(frame["Segment"], frame["Klanten"], strict=True)
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
    slider(at, "seg_large_from").set_value(0.0).run()  # everyone large: nobody is C
    assert "C" not in segment_counts(at)


def test_reset_brings_back_the_defaults(app):
    at = open_page(app, "segments")
    at.slider(key="seg_days_late_max").set_value(30.0).run()
    at.button[0].click().run()  # "reset to defaults"
    assert at.slider(key="seg_days_late_max").value == segment_rules().grid.days_late_max


def test_the_fit_codes_cover_every_customer_with_revenue(app, demo):
    at = open_scheme(open_page(app, "segments"), "fit")
    fit = frames_with(at, "Fitcode")[0]
    active = int((table_of(demo)["revenue"] > 0).sum())
    assert sum(int(n.replace(".", "")) for n in fit["Klanten"]) == active
    assert list(fit["Fitcode"]) == ["1", "2", "3"]  # every demo customer has a code


def test_an_override_with_a_reason_moves_the_customer_and_can_be_undone(app, demo):
    at = open_page(app, "segments")
    before = segment_counts(at)
    customer = at.selectbox(key="ov_c_grid").options[0]  # the largest customer
    at.selectbox(key="ov_s_grid").set_value("C")
    at.text_input(key="ov_r_grid").set_value("Gaat over naar een concurrent")
    at.button(key="FormSubmitter:override_grid-Segment aanpassen").click().run()
    assert not at.exception
    after = segment_counts(at)
    assert after["C"] == before["C"] + 1
    assert "1 klant met de hand" in " ".join(c.value for c in at.caption)
    at = open_page(at, "segments")  # a reload reads the override back from the data folder
    assert segment_counts(at) == after
    at.button(key=f"undo_grid_{customer.split(' — ')[0]}").click().run()
    assert segment_counts(at) == before


def test_the_override_list_offers_the_largest_customers_and_a_search_finds_the_others(app, demo):
    table = table_of(demo)
    buying = table[table["revenue"] > 0]
    assert len(buying) > OVERRIDE_CHOICES  # the demo has more customers than the list
    at = open_page(app, "segments")
    offered = at.selectbox(key="ov_c_grid").options
    largest = buying["customer"].astype(str).head(OVERRIDE_CHOICES).tolist()
    assert [o.split(" — ")[0] for o in offered] == largest
    assert any("grootste" in c.value for c in at.caption)

    smallest = buying.iloc[-1]
    at.text_input(key="ov_q_grid").set_value(str(smallest["customer_name"]).upper()).run()
    offered = at.selectbox(key="ov_c_grid").options
    assert f"{smallest['customer']} — {smallest['customer_name']}" in offered
    assert all(str(smallest["customer_name"]).lower() in o.lower() for o in offered)
    before = segment_counts(at)
    at.selectbox(key="ov_c_grid").set_value(f"{smallest['customer']} — {smallest['customer_name']}")
    target = next(s for s in "ABCD" if s in before)
    at.selectbox(key="ov_s_grid").set_value(target)
    at.text_input(key="ov_r_grid").set_value("Zie verslag")
    at.button(key="FormSubmitter:override_grid-Segment aanpassen").click().run()
    assert not at.exception
    assert any(shown(t.value).startswith(str(smallest["customer"])) for t in at.text)

    at.text_input(key="ov_q_grid").set_value("geen-klant-heet-zo").run()
    assert at.selectbox(key="ov_c_grid").options == []
    assert any("Geen klant gevonden" in c.value for c in at.caption)


def test_an_override_without_a_reason_is_refused(app):
    at = open_page(app, "segments")
    before = segment_counts(at)
    at.selectbox(key="ov_s_grid").set_value("C")
    at.button(key="FormSubmitter:override_grid-Segment aanpassen").click().run()
    assert at.error and "reden" in at.error[0].value.lower()
    assert segment_counts(at) == before


def test_finalizing_keeps_the_split_with_the_dataset(app, tmp_path):
    at = open_page(app, "segments")
    at.button(key="finalize_grid").click().run()
    assert not at.exception
    assert any(shown(c.value).startswith("Vastgesteld door een teamgenoot op") for c in at.caption)
    saved = (tmp_path / "store" / "datasets" / "Demo" / "decisions.json").read_text()
    assert '"scheme": "grid"' in saved


def test_every_scheme_partitions_the_customers_with_revenue(app, demo):
    at = open_page(app, "segments")
    active = int((table_of(demo)["revenue"] > 0).sum())
    for scheme in ("grid", "value", "types"):
        assert sum(segment_counts(open_scheme(at, scheme)).values()) == active
    at = open_scheme(at, "value")
    at.radio(key="segv_method").set_value("percentile").run()
    at.slider(key="segv_cut_a").set_value(10.0).run()
    value = segment_counts(at)
    assert sum(value.values()) == active
    assert value["A"] == -(-active * 10 // 100) or value["A"] == active * 10 // 100


def test_each_customer_type_says_why(app):
    at = open_scheme(open_page(app, "segments"), "types")
    why = frames_with(at, "Waarom")[0]
    assert (why["Waarom"].str.len() > 0).all()
    ambassadors = why[why["Segment"] == "A"]
    assert ambassadors["Waarom"].str.contains("betaalt op tijd").all()


def fit_counts(at) -> dict[str, int]:
    fit = frames_with(at, "Fitcode")[0]
    return {c: int(n.replace(".", "")) for c, n in zip(fit["Fitcode"], fit["Klanten"], strict=True)}


def test_a_fit_code_given_to_several_customers_at_once_counts_everywhere(app, tmp_path):
    at = open_scheme(open_page(app, "segments"), "fit")
    before = fit_counts(at)
    options = at.multiselect(key="bulk_customers").options
    chosen = options[:5]
    at.multiselect(key="bulk_customers").set_value(chosen)
    at.selectbox(key="bulk_code").set_value(3)
    at.button(key="bulk_apply").click().run()
    assert not at.exception
    after = fit_counts(at)
    assert sum(after.values()) == sum(before.values())
    assert after["3"] >= before["3"] and after["3"] <= before["3"] + 5
    saved = (tmp_path / "store" / "datasets" / "Demo" / "decisions.json").read_text()
    assert saved.count('"fit_code": 3.0') == 5


def test_customers_chosen_for_a_fit_code_stay_chosen_while_searching_for_more(app, demo, tmp_path):
    buying = table_of(demo).query("revenue > 0")
    at = open_scheme(open_page(app, "segments"), "fit")
    offered = at.multiselect(key="bulk_customers").options
    assert len(offered) == CHOICES < len(buying)  # the largest, and a search for the rest
    largest = str(buying["customer"].iloc[0])
    at.multiselect(key="bulk_customers").set_value([largest]).run()

    smallest = buying.iloc[-1]
    at.text_input(key="rate_search").set_value(str(smallest["customer_name"])).run()
    bulk = at.multiselect(key="bulk_customers")
    assert bulk.value == [largest]
    assert f"{smallest['customer']} — {smallest['customer_name']}" in bulk.options
    bulk.set_value([largest, str(smallest["customer"])])
    at.selectbox(key="bulk_code").set_value(2)
    at.button(key="bulk_apply").click().run()
    assert not at.exception
    saved = json.loads((tmp_path / "store" / "datasets" / "Demo" / "decisions.json").read_text())
    assert {c for c, r in saved["ratings"].items() if r.get("fit_code") == 2} == {
        largest,
        str(smallest["customer"]),
    }


def test_the_finalized_split_shows_on_the_customers_page(app):
    at = open_page(app, "segments")
    at.button(key="finalize_grid").click().run()
    at = open_page(at, "customers")
    frame = at.dataframe[0].value
    assert set(frame["Segment"].dropna()) <= {"A", "B", "C"}
    assert frame["Segment"].notna().any()


@pytest.mark.parametrize(
    "key, value",
    [
        ("seg_medium_from", 0.0),
        ("seg_large_from", 1_000_000.0),
        ("seg_margin_pct_from", 100.0),
        ("seg_contribution_per_hour_from", 0.0),
        ("seg_days_late_max", 90.0),
        ("seg_innovation_from", 0.0),
        ("seg_network_from", 5.0),
    ],
)
def test_every_grid_slider_keeps_the_segments_a_partition(app, demo, key, value):
    at = open_page(app, "segments")
    active = int((table_of(demo)["revenue"] > 0).sum())
    slider(at, key).set_value(value).run()
    assert not at.exception
    assert sum(segment_counts(at).values()) == active


def test_only_the_open_scheme_is_drawn_and_each_keeps_its_settings_while_closed(app):
    at = open_page(app, "segments")
    at.slider(key="seg_days_late_max").set_value(30.0).run()
    assert "segv_cut_a" not in {s.key for s in at.slider}  # the value tab is closed
    at = open_scheme(at, "value")
    assert "seg_days_late_max" not in {s.key for s in at.slider}
    at.slider(key="segv_cut_a").set_value(10.0).run()
    at = open_scheme(at, "grid")
    assert at.slider(key="seg_days_late_max").value == 30.0
    at = open_scheme(at, "value")
    assert at.slider(key="segv_cut_a").value == 10.0


def test_the_open_scheme_stays_open_in_the_other_language(app):
    at = open_scheme(open_page(app, "segments"), "types")
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert frames_with(at, "Why")  # the customer types' list, now in English
    at.radio(key="lang").set_value("nl").run()
    assert frames_with(at, "Waarom")


def test_each_segments_treatment_can_be_read_in_full(app):
    at = open_page(app, "segments")
    (details,) = [e for e in at.expander if e.label == "De aanpak per segment, voluit"]
    texts = [m.value for m in details.markdown]
    full = "Persoonlijke aandacht en een vast contactschema"
    assert any(t.startswith("**A · persoonlijk** — ") and full in t for t in texts)
    assert len(texts) == len(segment_counts(at))  # one line per segment of the table
