"""The demo: a fictitious Dutch wholesaler's invoice lines and customer file
(``generate``, with its names and products in ``catalogue``), written the way Dutch
accounting packages export them (``dutch_files``). Tests and benchmarks use it; the app
only reads its files from ``data/``.

    python -m portfolio.demo data    # writes data/demo_verkoopregels.* and data/demo_klanten.csv
"""

from portfolio.demo.generate import (
    generate_customers,
    generate_line_chunks,
    generate_lines,
    write_demo,
)

__all__ = ["generate_customers", "generate_line_chunks", "generate_lines", "write_demo"]
