"""Dataset names (portfolio/store.py): a name suggested from an upload is always one we accept."""

from __future__ import annotations

import pytest

from portfolio import InputError, store
from portfolio.store import dataset_info, suggest_name


def test_suggested_name_drops_the_extension_and_brackets():
    assert suggest_name("Verkoop 2025 (Exact).csv") == "Verkoop 2025 Exact"


@pytest.mark.parametrize(
    ("file_name", "name"),
    [
        ("verkoopregels.xlsx", "verkoopregels"),
        ("Verkoop_2025-Q1.csv", "Verkoop_2025-Q1"),
        ("Café Überzicht.xlsx", "Café Überzicht"),
        ("Omzet  &  marge   2024.csv", "Omzet marge 2024"),
        ("../../etc/passwd", "passwd"),
        ("C:\\exports\\klanten.csv", "C exports klanten"),
        ("verkoop\n2025.csv", "verkoop 2025"),
    ],
)
def test_suggested_name_keeps_words_digits_dashes_and_underscores(file_name, name):
    assert suggest_name(file_name) == name


def test_suggested_name_is_cut_to_sixty_characters():
    name = suggest_name("Verkoopregels " * 10 + ".csv")

    assert len(name) <= 60
    assert name == ("Verkoopregels " * 5)[:60].strip()


@pytest.mark.parametrize("file_name", ["", "...", "((())).csv", "   .csv", "€€€.xlsx", "---.csv"])
def test_a_name_with_nothing_usable_falls_back_to_upload(file_name):
    assert suggest_name(file_name) == "Upload"


@pytest.mark.parametrize(
    "file_name",
    [
        "Verkoop 2025 (Exact).csv",
        "",
        ".",
        "..",
        ".csv",
        "-" * 80 + ".csv",
        "_" * 80 + ".csv",
        "a" * 59 + " -.csv",
        "x\ny.csv",
        "naam\n",
        "tab\tgescheiden.txt",
        "€ 1.234,56.csv",
        "日本語ファイル.csv",
        "  spaties  .csv",
        'a/b\\c:d*e?f"g<h>i|j.csv',
    ],
)
def test_every_suggested_name_is_a_valid_dataset_name(tmp_path, file_name):
    name = suggest_name(file_name)

    assert store._NAME.match(name), name
    assert name == name.strip()
    assert "\n" not in name
    # the store accepts it: a missing dataset, not an invalid name
    with pytest.raises(InputError) as caught:
        dataset_info(tmp_path, name)
    assert caught.value.key == "dataset_missing"


def test_a_dataset_name_ending_in_a_newline_is_invalid(tmp_path):
    with pytest.raises(InputError) as caught:
        dataset_info(tmp_path, "Verkoop\n")

    assert caught.value.key == "dataset_name_invalid"
