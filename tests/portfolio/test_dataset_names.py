"""Dataset names (portfolio/store.py): look-alikes are one dataset, reserved names are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio import InputError, connect, read_invoice_lines
from portfolio.errors import ConflictError
from portfolio.store import (
    current_version,
    dataset_folder,
    list_datasets,
    normalise_dataset_name,
    resolve_dataset_name,
    save_dataset,
    suggest_name,
)

LINES = "Klant;Factuurdatum;Bedrag\r\nK1;15-01-2025;100,00\r\n"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Demo", "Demo"),
        ("Demo ", "Demo"),
        ("  Demo", "Demo"),
        ("Ｄｅｍｏ", "Demo"),  # fullwidth letters
        ("Demo\u00a0", "Demo"),  # a no-break space
        ("Verkoop   2025", "Verkoop 2025"),
        ("Verkoop\u3000 2025", "Verkoop 2025"),  # an ideographic space beside an ordinary one
        ("Cafe\u0301", "Café"),  # e + combining accent is é
        ("ＣＯＮＳＵＬＴ", "CONSULT"),  # contains a device name, is not one
        ("Console", "Console"),
        ("COM10", "COM10"),
    ],
)
def test_a_look_alike_name_is_normalised_to_its_plain_spelling(typed, kept):
    assert normalise_dataset_name(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "CON",
        "con",
        "Con ",
        "PRN",
        "AUX",
        "NUL",
        "nul",
        "COM1",
        "com9",
        "LPT1",
        "lpt9",
        "ＣＯＮ",
        "COM\u00b9",
        "CON.csv",
        "nul.txt",
        "_pending",
        "_",
        ".hidden",
        " .x",
    ],
)
def test_a_reserved_name_is_refused_with_its_own_message(typed):
    with pytest.raises(InputError) as caught:
        normalise_dataset_name(typed)

    assert caught.value.key == "dataset_name_reserved"
    assert "CON" in caught.value.message("en") and "_" in caught.value.message("nl")


@pytest.mark.parametrize("typed", ["", "   ", "Verkoop\n", "tab\there", "a/b", "x" * 61, None])
def test_a_name_with_other_characters_stays_invalid(typed):
    with pytest.raises(InputError) as caught:
        normalise_dataset_name(typed)

    assert caught.value.key == "dataset_name_invalid"


@pytest.mark.parametrize("file_name", ["CON.csv", "nul.xlsx", "_export.csv", "Lpt3.txt"])
def test_a_suggested_name_is_never_a_reserved_one(file_name):
    assert suggest_name(file_name) == "Upload"


def _import(tmp_path: Path):
    file = tmp_path / "verkoop.csv"
    file.write_text(LINES, encoding="utf-8")
    con = connect(tmp_path)
    return con, read_invoice_lines(con, file, tmp_path / "staging")


def test_saving_a_look_alike_name_saves_a_new_version_of_the_same_dataset(tmp_path):
    con, imp = _import(tmp_path)
    first = save_dataset(con, tmp_path, "Demo", imp, seen=None)

    second = save_dataset(con, tmp_path, "Ｄｅｍｏ ", imp, seen=first.version)

    assert second.name == "Demo"
    assert list_datasets(tmp_path) == ["Demo"]
    assert current_version(tmp_path, "Demo ") == second.version
    assert [p.name for p in (tmp_path / "datasets").iterdir()] == ["Demo"]


def test_a_look_alike_saved_as_if_new_meets_the_version_conflict_rule(tmp_path):
    con, imp = _import(tmp_path)
    first = save_dataset(con, tmp_path, "Demo", imp, seen=None)

    with pytest.raises(ConflictError) as caught:  # the user thought "Demo " was a new name
        save_dataset(con, tmp_path, "Demo ", imp, seen=None)

    assert caught.value.key == "dataset_conflict"
    assert current_version(tmp_path, "Demo") == first.version


def test_a_name_differing_only_in_case_is_the_existing_dataset(tmp_path):
    con, imp = _import(tmp_path)
    first = save_dataset(con, tmp_path, "Demo", imp, seen=None)

    assert resolve_dataset_name(tmp_path, "DEMO") == "Demo"
    assert dataset_folder(tmp_path, "demo") == tmp_path / "datasets" / "Demo"
    assert current_version(tmp_path, "demo") == first.version
    assert resolve_dataset_name(tmp_path, "Verkoop") == "Verkoop"  # a new one as typed


def test_a_folder_saved_under_a_now_reserved_name_is_not_listed(tmp_path):
    legacy = tmp_path / "datasets" / "CON"
    legacy.mkdir(parents=True)
    (legacy / "CURRENT").write_text("20250101T000000-abcdef")

    assert list_datasets(tmp_path) == []
