"""The configuration as a user edits it: a copy of one file in a folder of their own
(``PORTFOLIO_CONFIG_DIR``) wins over the defaults, and a mistake in it is a
``ConfigError`` that names the file, the key and what was expected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portfolio import config
from portfolio.errors import ConfigError

DEFAULTS = Path(__file__).resolve().parents[2] / "config"
READERS = (config.thresholds, config.segment_rules, config.funnel_rules, config.column_synonyms)


@pytest.fixture
def edited(tmp_path, monkeypatch):
    """Write an edited copy of a default file into the user's folder; the readers forget
    what they read before, and again afterwards."""
    monkeypatch.setenv(config.CONFIG_ENV, str(tmp_path))

    def edit(name: str, old: str, new: str) -> Path:
        text = (DEFAULTS / name).read_text(encoding="utf-8")
        assert re.search(old, text, flags=re.M), old
        (tmp_path / name).write_text(re.sub(old, new, text, flags=re.M), encoding="utf-8")
        for reader in READERS:
            reader.cache_clear()
        return tmp_path / name

    yield edit
    for reader in READERS:
        reader.cache_clear()


def _refused(reader) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        reader()
    return caught.value


def test_a_file_in_the_users_folder_wins_and_the_others_stay_the_defaults(edited):
    edited("thresholds.yaml", r"^  months: 12", "  months: 6")
    assert config.thresholds().period.months == 6
    assert config.segment_rules().value.method == "value_share"  # not in the folder: default


def test_a_whole_number_where_a_number_is_expected_is_read_as_a_number(edited):
    edited("thresholds.yaml", r"^  hourly_rate: .*$", "  hourly_rate: 80")
    rate = config.thresholds().cost_to_serve.hourly_rate
    assert rate == 80.0 and isinstance(rate, float)


@pytest.mark.parametrize(
    ("name", "old", "new", "key", "expected"),
    [
        ("thresholds.yaml", r"^  months: 12.*$", "  months: twelve", "period.months", "int"),
        ("thresholds.yaml", r"^  months: 12.*$", "  months: true", "period.months", "int"),
        (
            "segments.yaml",
            r"^  method: .*$",
            "  method: median",
            "value.method",
            "'value_share' or 'percentile'",
        ),
        (
            "segments.yaml",
            r"^  cuts: .*$",
            "  cuts: [0.5, high]",
            "value.cuts",
            "list of numbers",
        ),
    ],
)
def test_a_value_of_the_wrong_kind_names_the_file_the_key_and_what_was_expected(
    edited, name, old, new, key, expected
):
    file = edited(name, old, new)
    reader = config.thresholds if name == "thresholds.yaml" else config.segment_rules
    error = _refused(reader)
    assert error.key == "config_wrong_type"
    assert error.params["key"] == key and error.params["expected"] == expected
    assert error.params["file"] == file
    assert key in error.message("nl") and str(file) in error.message("nl")


def test_an_unknown_key_and_a_missing_key_are_named(edited):
    edited("thresholds.yaml", r"^  months: 12.*$", "  months: 12\n  weeks: 4")
    error = _refused(config.thresholds)
    assert (error.key, error.params["key"]) == ("config_unknown_key", "period.weeks")
    edited("thresholds.yaml", r"^  months: 12.*$", "  maanden: 12")
    error = _refused(config.thresholds)
    assert error.key == "config_unknown_key"  # maanden is not ours; months is then missing


def test_a_file_that_is_not_yaml_says_so_with_its_place(edited):
    file = edited("funnel.yaml", r"\A", "select: [unclosed\n")
    error = _refused(config.funnel_rules)
    assert error.key == "config_unreadable" and error.params["file"] == file
