"""Customer portfolio optimizer: the domain package (never imports Streamlit).

Read an accounting export, keep it as a dataset, and compute what each
customer is worth (the method: docs/method.md).
"""

from portfolio.db import connect
from portfolio.errors import ConfigError, ConflictError, InputError, PortfolioError
from portfolio.ingest import Import, read_customer_file, read_invoice_lines, read_product_file
from portfolio.ingest.sniff import ReadOptions
from portfolio.metrics import Tables, customer_table, data_range
from portfolio.periods import Period, between, calendar_year, months_ending
from portfolio.summary import portfolio_summary

__all__ = [
    "ConfigError",
    "ConflictError",
    "Import",
    "InputError",
    "Period",
    "PortfolioError",
    "ReadOptions",
    "Tables",
    "between",
    "calendar_year",
    "connect",
    "customer_table",
    "data_range",
    "months_ending",
    "portfolio_summary",
    "read_customer_file",
    "read_invoice_lines",
    "read_product_file",
]
