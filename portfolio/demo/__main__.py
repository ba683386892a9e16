"""``python -m portfolio.demo [folder]``: write the demo files (default: ``data``)."""

import sys
from pathlib import Path

from portfolio.demo.generate import write_demo

target = Path(sys.argv[1] if len(sys.argv) > 1 else "data")
for name, rows in write_demo(target).items():
    print(f"{target / name}: {rows} rows")
