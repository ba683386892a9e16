"""Options and files the command line refused with a traceback: each now ends
with exit 2 and one line in the user's language, naming the value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portfolio.cli import main

ROOT = Path(__file__).resolve().parents[2]
LINES = (
    "Klant;Factuurdatum;Bedrag excl. btw;Kostprijs\r\n"
    "A;01-01-2025;1,00;0,50\r\nB;02-01-2025;3,00;1,00\r\n"
)


@pytest.fixture
def lines_file(tmp_path) -> Path:
    path = tmp_path / "verkoop.csv"
    path.write_text(LINES, encoding="utf-8")
    return path


BAD_OPTIONS = [
    (["--map", "amount=Nope"], ["'Nope'", "amount", "verkoop.csv"]),
    (["--map", "customer_name=Nope", "--map", "customer_id=Nope"], ["'Nope'"]),
    (["--map", "amount=Kostprijs", "--map", "cost=Kostprijs"], ["'Kostprijs'", "amount", "cost"]),
    (["--map", "omzet=Klant"], ["'omzet'"]),
    (["--encoding", "rot13"], ["'rot13'"]),
    (["--encoding", "utf-16"], ["verkoop.csv", "utf-16"]),
    (["--delimiter", ";;"], ["';;'"]),
    (["--decimal", "amount=foo"], ["'foo'", "amount"]),
    (["--decimal", "invoice_date=comma"], ["invoice_date"]),
    (["--date-format", "invoice_date=%Q"], ["'%Q'", "invoice_date"]),
    (["--date-format", "amount=%d-%m-%Y"], ["amount"]),
]


@pytest.mark.parametrize(("options", "mentions"), BAD_OPTIONS, ids=lambda v: " ".join(v))
def test_a_bad_option_gives_one_line_and_exit_2(lines_file, capsys, options, mentions):
    assert main(["check", str(lines_file), "--lang", "en", *options]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert all(m in err for m in mentions), err
    assert str(lines_file.parent) not in err


def test_a_date_format_of_the_users_own_is_used(lines_file, capsys):
    assert main(["check", str(lines_file), "--date-format", "invoice_date=%d-%m-%Y"]) == 0


def test_a_file_name_too_long_for_the_file_system_is_one_line(tmp_path, capsys):
    name = "数" * 150 + ".csv"  # 450 bytes: more than a file name may have
    assert main(["check", str(tmp_path / name), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("The file name 数") and "too long" in err and str(tmp_path) not in err


def test_rejects_written_to_a_folder_that_cannot_be_made_is_one_line(lines_file, capsys):
    assert main(["check", str(lines_file), "--rejects", "/proc/nee/fout.csv"]) == 2
    assert "fout.csv" in capsys.readouterr().err


def test_a_header_that_is_a_formula_is_neutralised_in_the_rejects_file(tmp_path):
    # the header of the user's own column comes back as a header of the rejects CSV
    path = tmp_path / "formule.csv"
    path.write_text(
        'Klant;Factuurdatum;Bedrag excl. btw;=HYPERLINK("http://x","y")\r\n'
        "A;01-01-2025;1,00;x\r\nB;01-01-2025;nope;y\r\n",
        encoding="utf-8",
    )
    out = tmp_path / "afgekeurd.csv"
    result = subprocess.run(
        [sys.executable, "-m", "portfolio", "check", str(path), "--rejects", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert "'=HYPERLINK" in header[-1] and not header[-1].lstrip('"').startswith("=")


def test_a_hostile_file_through_the_real_command_is_one_line(tmp_path):
    path = tmp_path / "breed.csv"
    path.write_text(";".join(f"k{i}" for i in range(4_000)) + "\r\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "portfolio", "check", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Het bestand breed.csv heeft 4.000 kolommen")


def test_running_the_command_line_in_process_leaves_sigpipe_to_the_process(lines_file):
    # a test worker or a server that ran main() must not die when a peer closes a socket
    import signal

    before = signal.getsignal(signal.SIGPIPE)
    assert main(["check", str(lines_file)]) == 0
    assert signal.getsignal(signal.SIGPIPE) == before
