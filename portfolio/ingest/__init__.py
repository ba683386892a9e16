"""Reading an accounting export into DuckDB: which file and columns it is (``sniff``,
``columns``), how its numbers and dates are written (``parsing``), the file kinds
(``sources``: csv, xlsx, parquet), the checks each row must pass (``row_checks``), the
import itself (``read``), what it found (``quality``), files from the browser
(``uploads``) and prospect lists (``prospects``).
"""

from portfolio.ingest.read import Import, read_customer_file, read_invoice_lines, read_product_file
from portfolio.ingest.sniff import ReadOptions

__all__ = [
    "Import",
    "ReadOptions",
    "read_customer_file",
    "read_invoice_lines",
    "read_product_file",
]
