"""Seeded fuzzing of the import: a few hundred generated CSV and xlsx files —
random bytes, cuts, wrong encodings, BOMs, huge fields, many columns, unbalanced quotes,
mixed delimiters, garbled dates and amounts — through the path of ``portfolio check``.

Each must end in a report or one ``InputError`` (never another exception), with
``rows_read == rows_used + rows_rejected``, in bounded time. ``python -m bench.fuzz``
runs thousands.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from bench.fuzz import check_file, make_file
from portfolio.db import connect

ROOT = Path(__file__).resolve().parents[2]
CHUNKS, FILES_PER_CHUNK = 6, 40  # 240 files; chunks let pytest-xdist share them out
MAX_SECONDS = 10.0  # per file; some hostile files once took minutes


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_generated_files_end_in_a_report_or_one_input_error(tmp_path, chunk):
    rng = random.Random(1300 + chunk)
    con = connect(tmp_path)
    failures = []
    for number in range(FILES_PER_CHUNK):
        path = make_file(rng, tmp_path, number)
        outcome = check_file(con, path, tmp_path / "staging")
        if outcome.kind == "bug" or outcome.seconds > MAX_SECONDS:
            failures.append(f"{path.name} ({outcome.seconds:.1f} s): {outcome.detail}")
        path.unlink()
    con.close()
    assert not failures, "\n".join(failures)


def test_generated_files_through_the_real_command_exit_0_or_2(tmp_path):
    rng = random.Random(1399)
    for number in range(3):  # each start of the command costs a few seconds
        path = make_file(rng, tmp_path, number)
        result = subprocess.run(
            [sys.executable, "-m", "portfolio", "check", str(path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
        assert result.returncode in (0, 2), result.stderr
        assert "Traceback" not in result.stderr
        if result.returncode == 2:
            assert result.stderr.count("\n") == 1 and str(tmp_path) not in result.stderr
