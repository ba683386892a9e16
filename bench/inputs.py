"""The benchmark's input files: the demo's invoice lines at a size, written once as a Dutch
export (CSV) or a workbook (xlsx) into ``bench/work/`` and kept between runs.

    python -m bench.inputs SIZE PATH    # what input_file runs in a child process
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.targets import CUSTOMERS, SEED

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"


def input_file(size: int, kind: str) -> Path:
    """The cached input file of ``size`` lines (``kind``: csv or xlsx), written once by a
    child process: a parent's memory counts in its children's ``ru_maxrss`` (Linux keeps
    the high-water mark across fork and exec), so the measuring parent stays small."""
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"lines_{size}_c{CUSTOMERS[size]}_s{SEED}.{kind}"
    if not path.exists():
        print(f"  writing {path.name} …", flush=True)
        cmd = [sys.executable, "-m", "bench.inputs", str(size), str(path)]
        subprocess.run(cmd, cwd=ROOT, check=True)
    return path


def write_input(size: int, path: Path) -> None:
    """The demo's lines at ``size`` written to ``path`` (its suffix says how), whole or not
    at all (a ``.part`` file renamed when complete)."""
    from portfolio import demo
    from portfolio.demo import dutch_files

    part = path.with_suffix(".part")
    if path.suffix == ".csv":
        chunks = demo.generate_line_chunks(CUSTOMERS[size], seed=SEED, target_lines=size)
        dutch_files.write_dutch_csv_chunks(chunks, part)
    else:
        lines = demo.generate_lines(CUSTOMERS[size], seed=SEED, target_lines=size)
        dutch_files.write_xlsx(lines, part)
    part.rename(path)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    write_input(int(sys.argv[1]), Path(sys.argv[2]))
