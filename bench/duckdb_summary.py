"""The floor of a whole process: DuckDB alone, without pandas, the demo export's columns
known (no detection, no checks, no rejects), the period's customers and revenue in SQL.

    python bench/duckdb_summary.py verkoopregels.csv

Not the product: it shows what interpreter start, the engine's import and its typed
read leave for everything else, next to ``portfolio summary`` and the pandas script
(``bench/pandas_summary.py``). Timed as a whole process by ``bench.run``.
"""

import json
import sys

import duckdb

COLUMNS = (
    "customer",
    "customer_name",
    "invoice_number",
    "invoice_date",
    "due_date",
    "paid_date",
    "product",
    "quantity",
    "discount",
    "amount",
    "cost",
    "region",
)
TYPES = ["VARCHAR"] * 3 + ["DATE"] * 3 + ["VARCHAR"] + ["DECIMAL(18,4)"] * 4 + ["VARCHAR"]

con = duckdb.connect()
columns = "{" + ", ".join(f"'{c}': '{t}'" for c, t in zip(COLUMNS, TYPES, strict=True)) + "}"
con.execute(
    f"""CREATE TABLE lines AS SELECT * FROM read_csv(?, delim = ';', header = false,
        skip = 1, encoding = 'latin-1', decimal_separator = ',', thousands = '.',
        dateformat = '%d-%m-%Y', columns = {columns}, auto_detect = false,
        strict_mode = true)""",
    [sys.argv[1]],
)
customers, revenue, margin = con.execute("""
    WITH p AS (SELECT max(invoice_date) AS last,
                      max(invoice_date) - INTERVAL 12 MONTH + INTERVAL 1 DAY AS start
               FROM lines),
    per AS (SELECT customer, sum(amount) AS revenue, sum(amount - coalesce(cost, 0)) AS margin
            FROM lines, p WHERE invoice_date BETWEEN p.start AND p.last GROUP BY customer)
    SELECT count(*) FILTER (WHERE revenue > 0), sum(revenue), sum(margin) FROM per
""").fetchone()
print(
    json.dumps(
        {
            "customers": customers,
            "revenue": round(float(revenue), 2),
            "gross_margin": round(float(margin), 2),
        }
    )
)
