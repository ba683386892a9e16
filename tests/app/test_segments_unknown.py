"""The segments page when the data lacks a figure ("unknown is not zero"): without
cost price the gross margin and contribution are unknown, without a customer file the
hours; the rules on them cannot be moved, one line says why and how to add it, the
figures say "onbekend" and an unknown does not count against a customer."""

import pandas as pd

from portfolio.decisions import load_decisions
from portfolio.segments import schemes as segmentation
from portfolio.segments.schemes import split_segments
from tests.app.conftest import across_schemes, open_page, open_scheme, sliders
from tests.app.test_matrix import BAD, opened, texts

MARGIN_SLIDERS = (
    "seg_margin_pct_from",
    "seg_contribution_per_hour_from",
    "segv_w_gross_margin",
    "segv_w_contribution",
    "segt_ambassador_margin_pct_from",
    "segt_price_buyer_margin_pct_below",
    "segt_disastrous_contribution_below",
)
CONTRIBUTION_SLIDERS = (
    "seg_contribution_per_hour_from",
    "segv_w_contribution",
    "segt_disastrous_contribution_below",
)
NO_COST = "Geen kostprijs in de export"
NO_HOURS = "Geen uren per klant"


def segments_page(shape: str, tmp_path, monkeypatch):
    at = opened(shape, tmp_path, monkeypatch)
    at.switch_page("pages/segments.py").run()
    assert not at.exception, at.exception
    return at


def per_segment_tables(at, treatment: str = "Aanpak") -> list[pd.DataFrame]:
    """The per-segment tables of the grid, value-based and customer types schemes (each
    in its own tab)."""
    return sum(across_schemes(at, lambda at: shown_tables(at, treatment)), [])


def shown_tables(at, treatment: str = "Aanpak") -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if treatment in d.value.columns]


def disabled(at) -> dict[str, bool]:
    """Per slider of every scheme: whether it is disabled."""
    return {k: v for s in across_schemes(at, slider_states) for k, v in s.items()}


def slider_states(at) -> dict[str, bool]:
    return {s.key: s.disabled for s in sliders(at) if s.key}


def lines_saying(at, start: str) -> list[str]:
    """The info lines of every scheme that start with ``start``."""
    said = sum(across_schemes(at, lambda at: [i.value for i in at.info]), [])
    return [line for line in said if line.startswith(start)]


def every_text(at) -> list[str]:
    return sum(across_schemes(at, texts), [])


def test_without_cost_price_the_margin_sliders_are_disabled_and_one_line_says_why(
    tmp_path, monkeypatch
):
    at = segments_page("no_cost", tmp_path, monkeypatch)
    state = disabled(at)
    assert all(state[key] for key in MARGIN_SLIDERS)
    assert not any(v for k, v in state.items() if k not in MARGIN_SLIDERS)  # the rest moves
    lines = lines_saying(at, NO_COST)
    assert len(lines) == 3  # one line in each scheme with margin rules: grid, value, types
    assert all("kostprijs toe" in line and "geschatte marge" in line for line in lines)
    assert any("telt niet tegen de klant" in line for line in lines)


def test_without_cost_price_the_segment_figures_say_unknown_never_zero(tmp_path, monkeypatch):
    at = segments_page("no_cost", tmp_path, monkeypatch)
    tables = per_segment_tables(at)
    assert len(tables) == 3
    for table in tables:
        for column in ("Brutomarge", "Aandeel brutomarge", "Bijdrage", "Aandeel bijdrage"):
            assert set(table[column]) == {"onbekend"}, (column, list(table[column]))
        assert table["Omzet"].str.startswith("€").all()  # revenue is known
        assert table["Uren"].str.match(r"^[\d.]+$").all()  # the customer file has hours
    bad = [text for text in every_text(at) if BAD.search(text)]
    assert not bad, bad[:5]


def test_without_cost_price_not_every_customer_lands_in_c(tmp_path, monkeypatch):
    at = segments_page("no_cost", tmp_path, monkeypatch)
    grid = per_segment_tables(at)[0]
    assert {s[0] for s in grid["Segment"]} != {"C"}


def test_without_a_customer_file_the_contribution_rules_are_disabled_and_hours_unknown(
    tmp_path, monkeypatch
):
    at = segments_page("no_customer_file", tmp_path, monkeypatch)
    state = disabled(at)
    assert all(state[key] for key in CONTRIBUTION_SLIDERS)
    assert not any(v for k, v in state.items() if k not in CONTRIBUTION_SLIDERS)
    assert not lines_saying(at, NO_COST)
    assert len(lines_saying(at, NO_HOURS)) == 4  # grid, value, types and fit
    for table in per_segment_tables(at):
        for column in ("Bijdrage", "Aandeel bijdrage", "Uren", "Aandeel uren"):
            assert set(table[column]) == {"onbekend"}, column
        assert table["Brutomarge"].str.startswith("€").all()  # the lines have cost price
    open_scheme(at, "fit")
    fit = next(d.value for d in at.dataframe if "Fitcode" in d.value.columns)
    assert set(fit["Uren"]) == set(fit["Aandeel uren"]) == {"onbekend"}
    bad = [text for text in every_text(at) if BAD.search(text)]
    assert not bad, bad[:5]


def test_with_cost_price_every_slider_is_enabled_and_no_line_about_unknowns(app):
    at = open_page(app, "segments")
    assert not any(disabled(at).values())
    assert not lines_saying(at, NO_COST) and not lines_saying(at, NO_HOURS)
    for table in per_segment_tables(at):
        assert "onbekend" not in set(table["Brutomarge"]) | set(table["Bijdrage"])


def test_in_english_the_line_and_the_unknown_figures_are_english(tmp_path, monkeypatch):
    at = segments_page("no_cost", tmp_path, monkeypatch)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert any(i.value.startswith("No cost price in the export") for i in at.info)
    assert set(shown_tables(at, "Treatment")[0]["Gross margin"]) == {"unknown"}


def test_without_cost_price_the_scenarios_and_five_steps_split_as_the_segments_page(
    tmp_path, monkeypatch
):
    """One place decides what an unknown margin means (``portfolio.segments.schemes``): the
    default splits the scenario page and the five steps run over give every customer the
    segment the segments page gives it, not C for a margin the export lacks."""
    seen = {}
    real = segmentation.default_split

    def spy(table, split, rules, sizes):
        seen["table"], seen["grid"] = table, real(table, split, rules, sizes)
        return seen["grid"]

    monkeypatch.setattr(segmentation, "default_split", spy)  # split_segments asks it
    at = opened("no_cost", tmp_path, monkeypatch)
    at.switch_page("pages/funnel.py").run()  # no split finalized: the grid's defaults
    assert not at.exception, at.exception
    table = seen["table"]
    buying = table[table["revenue"] > 0]
    assert buying["margin_pct"].isna().all() and len(buying) > 0

    def by_customer(segments: pd.Series) -> dict[str, str]:
        return dict(zip(table.loc[segments.index, "customer"].astype(str), segments, strict=True))

    at.switch_page("pages/segments.py").run()
    for scheme in ("grid", "value", "types"):
        open_scheme(at, scheme)  # the split as the page shows it
        at.button(key=f"finalize_{scheme}").click().run()
        assert not at.exception, at.exception
        final = load_decisions(tmp_path / "store", "no_cost").final
        assert final["scheme"] == scheme
        page = final["segments"]
        assert page == by_customer(split_segments(table, scheme, None)), scheme  # scenarios
        if scheme == "grid":
            assert page == by_customer(seen["grid"])  # the five steps
            assert set(page.values()) != {"C"}
