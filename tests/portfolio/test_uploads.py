"""Uploaded files kept in the data folder (portfolio/ingest/uploads.py), as real files."""

from __future__ import annotations

import dataclasses
import hashlib
import re

import pytest

import portfolio.ingest.uploads
from portfolio import InputError
from portfolio.config import thresholds
from portfolio.ingest.uploads import file_hash, keep_upload, safe_file_name

DATA = "Klantnummer;Bedrag\r\n1001;10,00\r\n".encode("cp1252")
SAFE = re.compile(r"^[\w .,()-]{1,100}$")


def _inside(path, folder) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


# --- file_hash ------------------------------------------------------------------------------


def test_file_hash_is_the_sha256_of_the_bytes():
    assert file_hash(b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert file_hash(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert file_hash(b"abc") != file_hash(b"abd")


# --- safe_file_name -------------------------------------------------------------------------


def test_an_ordinary_file_name_is_kept():
    assert safe_file_name("Verkoop 2025 (Exact).csv") == "Verkoop 2025 (Exact).csv"
    assert safe_file_name("Café Überzicht_v2.xlsx") == "Café Überzicht_v2.xlsx"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("/etc/passwd", "passwd"),
        ("C:\\x\\evil.csv", "evil.csv"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("uploads/../../secret.csv", "secret.csv"),
    ],
)
def test_path_parts_are_dropped_from_the_file_name(name, safe):
    assert safe_file_name(name) == safe


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ('verkoop "2025".csv', "verkoop _2025_.csv"),
        ("o'brien.csv", "o_brien.csv"),
        ("regel1\nregel2.csv", "regel1_regel2.csv"),
        ("tab\there;semi.csv", "tab_here_semi.csv"),
        ("nul\x00byte.csv", "nul_byte.csv"),
    ],
)
def test_quotes_and_control_characters_become_underscores(name, safe):
    assert safe_file_name(name) == safe


@pytest.mark.parametrize("name", ["", ".", "..", "...", " ", "/", "../", " . "])
def test_a_name_with_nothing_left_becomes_upload(name):
    assert safe_file_name(name) == "upload"


def test_a_long_name_is_cut_to_100_characters_keeping_its_extension():
    name = "a" * 300 + ".xlsx"

    safe = safe_file_name(name)

    assert len(safe) == 100
    assert safe == "a" * 95 + ".xlsx"


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "C:\\x\\evil.csv", "a\"b'c\nd.csv", "..", "x" * 500, "€ 100%?*<>|.csv"],
)
def test_every_safe_name_is_a_plain_file_name(name):
    safe = safe_file_name(name)

    assert SAFE.match(safe), safe
    assert safe not in {".", ".."}
    assert not safe.startswith((".", " "))


# --- keep_upload ----------------------------------------------------------------------------


def test_an_upload_lands_under_its_hash_with_its_own_name(tmp_path):
    path = keep_upload(tmp_path, "verkoop.csv", DATA)

    assert path == tmp_path / "uploads" / file_hash(DATA) / "verkoop.csv"
    assert path.read_bytes() == DATA


def test_the_same_bytes_land_in_the_same_path_and_are_not_rewritten(tmp_path):
    first = keep_upload(tmp_path, "verkoop.csv", DATA)
    before = first.stat()

    second = keep_upload(tmp_path, "verkoop.csv", DATA)

    assert second == first
    after = second.stat()
    # an atomic rewrite would put a new file (inode) in place
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert [p.name for p in first.parent.iterdir()] == ["verkoop.csv"]  # no temporary left


def test_different_bytes_land_in_a_different_folder(tmp_path):
    first = keep_upload(tmp_path, "verkoop.csv", DATA)
    second = keep_upload(tmp_path, "verkoop.csv", DATA + b"1002;20,00\r\n")

    assert first != second
    assert first.parent != second.parent
    assert first.read_bytes() == DATA


def test_a_truncated_copy_of_the_same_upload_is_written_again(tmp_path):
    path = keep_upload(tmp_path, "verkoop.csv", DATA)
    path.write_bytes(DATA[:5])  # e.g. a crash of an older version, or a damaged disk

    again = keep_upload(tmp_path, "verkoop.csv", DATA)

    assert again == path
    assert again.read_bytes() == DATA


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "C:\\x\\evil.csv", "a\"b'c\nd.csv", "..", "/tmp/x.csv"]
)
def test_hostile_names_stay_inside_the_uploads_folder(tmp_path, name):
    root = tmp_path / "data"

    path = keep_upload(root, name, DATA)

    assert _inside(path, root / "uploads")
    assert path.parent == root / "uploads" / file_hash(DATA)
    assert path.name == safe_file_name(name)
    assert path.read_bytes() == DATA
    assert not (tmp_path / "etc").exists()


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(InputError) as caught:
        keep_upload(tmp_path, "../leeg.csv", b"")

    assert caught.value.key == "file_empty"
    assert caught.value.params["file"] == "leeg.csv"
    assert not (tmp_path / "uploads").exists()


@pytest.fixture
def one_mb_limit(monkeypatch):
    """``ingest.max_file_mb`` set to 1 for ``keep_upload``; the rest of the config as it is."""
    real = thresholds()
    limited = dataclasses.replace(real, ingest=dataclasses.replace(real.ingest, max_file_mb=1))
    monkeypatch.setattr(portfolio.ingest.uploads, "thresholds", lambda: limited)
    return 1024 * 1024


def test_a_file_over_the_size_limit_is_refused(tmp_path, one_mb_limit):
    with pytest.raises(InputError) as caught:
        keep_upload(tmp_path, "groot.csv", b"x" * (one_mb_limit + 1))

    assert caught.value.key == "file_too_large"
    assert caught.value.params == {"file": "groot.csv", "size_mb": 1, "limit_mb": 1}
    assert not (tmp_path / "uploads").exists()


def test_a_file_of_exactly_the_size_limit_is_kept(tmp_path, one_mb_limit):
    data = b"x" * one_mb_limit

    path = keep_upload(tmp_path, "precies.csv", data)

    assert path.stat().st_size == one_mb_limit


def test_a_long_name_in_chinese_fits_the_file_system_and_is_kept_whole(tmp_path):
    name = "销售" * 75 + ".csv"  # 150 characters, 450 bytes in UTF-8
    safe = safe_file_name(name)
    assert len(safe.encode()) <= 255 and safe.endswith(".csv") and safe.startswith("销售")
    path = keep_upload(tmp_path, name, DATA)
    assert path.read_bytes() == DATA
