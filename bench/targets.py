"""What the benchmark measures against: the targets and one measured
case. Imported by ``bench.run`` (which measures) and ``bench.report`` (which writes
bench/results.md); neither imports the other, so ``python -m bench.run`` runs once."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

SEED = 42
# customers grow with the lines: a few hundred to tens of thousands, as real portfolios
CUSTOMERS = {100_000: 2_000, 1_000_000: 10_000, 10_000_000: 50_000}
CSV_SIZES = (100_000, 1_000_000, 10_000_000)
XLSX_SIZES = (100_000, 1_000_000)

# ingest (imports excluded): not slower than the plain pandas pipeline that checks nothing,
# within 1.5× of DuckDB's own typed read_csv + the same per-customer table
TARGET_CSV_VS_PANDAS = 1.0
TARGET_CSV_VS_FLOOR = 1.5
# whole processes, interpreter start and imports included: `portfolio summary` against a
# pandas script computing the same summary
TARGET_PROCESS_VS_PANDAS = 2.0
TARGET_XLSX_VS_FASTEXCEL = 1.3  # ours within 1.3× of fastexcel's own typed load
TARGET_10M_PEAK_MIB = 2048
TARGET_RERUN_MS = 150  # AppTest: a new period on the overview, 10,000 customers
# the browser (bench.browser), 10,000 customers: key press or click to the app idle
TARGET_SLIDER_MEDIAN_MS = 300
TARGET_SLIDER_WORST_MS = 500
TARGET_FIRST_VISIT_MS = 1500
TARGET_CARD_MS = 500  # the customer card: its first visit, the largest customer
CARD_PAGE = "klant"
TARGET_DIFF_SECONDS = 3.0  # two saved 1M-line versions: what changed, and the migration matrix
TARGET_UPLOAD_1M_SECONDS = 5.0


@dataclass
class Measured:
    """One case (``ours-csv``, ``pandas-csv``, ``floor-csv``, ``process-ours`` …) at one size:
    the seconds of each run, the peak memory of the worst, and what it computed."""

    case: str
    size: int
    seconds: list[float]
    peak_mib: float
    result: dict

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)
