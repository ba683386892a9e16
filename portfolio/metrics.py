"""What each customer is worth: the per-customer table (domain.md section 1).

All heavy work runs in DuckDB SQL over the invoice lines; only the result,
one row per customer, comes back as a pandas DataFrame.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from portfolio.config import thresholds
from portfolio.db import first_row
from portfolio.periods import Period, history


@dataclass(frozen=True)
class Tables:
    """Where the data of one dataset lives in DuckDB (table or view names).

    ``lines``: one row per invoice line (see ``ingest.read_invoice_lines``).
    ``customers``: one row per customer from the customer file, or ``None``.
    ``products``: a margin or cost price per product (``ingest.read_product_file``), or
    ``None``. ``average_margin``: the gross margin on revenue (a fraction) assumed for
    lines without a cost price, or ``None``. Both are estimates, used only for lines
    without a cost price of their own (see ``margin_sql``).
    """

    lines: str
    customers: str | None = None
    products: str | None = None
    average_margin: float | None = None

    @property
    def estimates_margin(self) -> bool:
        """Whether some gross margin may be estimated rather than read from the export."""
        return self.products is not None or self.average_margin is not None


def data_range(con: duckdb.DuckDBPyConnection, tables: Tables):
    """(first date, last date) of the invoice lines."""
    return first_row(con, f"SELECT min(invoice_date), max(invoice_date) FROM {tables.lines}")


def period_case(periods: list[Period]) -> str:
    """SQL giving the index k of the period holding ``invoice_date`` (0 = P), NULL outside."""
    whens = " ".join(
        f"WHEN invoice_date >= DATE '{p.start}' THEN {k}" for k, p in enumerate(periods)
    )
    return f"CASE WHEN invoice_date > DATE '{periods[0].end}' THEN NULL {whens} END"


def _has_column_values(con, table: str, column: str) -> bool:
    return first_row(con, f"SELECT count({column}) > 0 FROM {table}")[0]


def _file_has_margins(con, customers: str | None) -> bool:
    """Whether the customer file gives a margin % (one saved before that column was read
    has no such column at all)."""
    if customers is None:
        return False
    names = {row[0] for row in con.execute(f"DESCRIBE {customers}").fetchall()}
    return "margin_pct" in names and _has_column_values(con, customers, "margin_pct")


def customer_table(con: duckdb.DuckDBPyConnection, tables: Tables, period: Period) -> pd.DataFrame:
    """One row per customer active in P or P-1, or listed in the customer file.

    Money in euro (float), shares as fractions 0–1, days as numbers. Columns:
    customer, customer_name, revenue, revenue_share, rank, cumulative_share,
    pareto_group, size_class, invoices, active_months (months of P with a purchase),
    first_date, last_date, discount (euro, when the data has it), discount_pct, gross_margin,
    margin_estimated (some of it estimated: lines without cost price), margin_pct, hours,
    hourly_rate, cost_to_serve, contribution,
    contribution_rank, cumulative_contribution, cumulative_contribution_share,
    revenue_prev, revenue_change, revenue_change_pct, status, years_active,
    years_in_a_row, days_to_pay, days_late, plus the customer file's scores.
    Sorted by revenue, largest first.

    revenue_share and cumulative_share are of the revenue of C(P), the customers with
    revenue above zero (the total of ``summary.concentration``); cumulative_share is
    empty outside C(P). contribution_rank and cumulative_contribution are empty where
    the contribution is unknown (no cost price in the data).
    """
    first, _last = data_range(con, tables)
    periods = history(period, first) if first else [period]
    sql = _customer_sql(con, tables, periods)
    return con.execute(sql).df()


def _file_columns(customers: str | None, default_rate: float) -> str:
    if customers is None:
        nulls = ("hours", "hourly_rate", "other_costs", "payment_term_days", "innovation",
                 "network", "satisfaction")  # fmt: skip
        return ", ".join(f"CAST(NULL AS DOUBLE) AS {n}" for n in nulls) + (
            ", CAST(NULL AS INTEGER) AS fit_code"
        )
    # cost to serve needs a rate: the file's, else the default from config/thresholds.yaml
    return (
        f"f.hours, CASE WHEN f.hours IS NOT NULL THEN coalesce(f.hourly_rate, {default_rate}) "
        "END AS hourly_rate, f.other_costs, f.payment_term_days, f.innovation, f.network, "
        "f.satisfaction, f.fit_code"
    )


def _file_keyed(con, tables: Tables) -> str:
    """The customer file keyed like the invoice lines.

    A customer file often has names only while the lines have customer numbers:
    then its rows are matched on the name (case-insensitive) to the lines' key.
    """
    file_has_ids = _has_column_values(con, tables.customers, "customer_id")
    lines_have_ids = _has_column_values(con, tables.lines, "customer_id")
    if file_has_ids or not lines_have_ids:
        return f"SELECT * FROM {tables.customers}"
    return f"""SELECT coalesce(m.customer, f.customer) AS customer, f.* EXCLUDE (customer)
        FROM {tables.customers} f
        LEFT JOIN (SELECT lower(customer_name) AS name, min(customer) AS customer
                   FROM {tables.lines} GROUP BY 1) m ON m.name = lower(f.customer_name)"""


def margin_sql(tables: Tables, has_cost: bool, file_margin: bool) -> str:
    """SQL of one line's gross margin (euro), NULL when unknown. In order: the line's own
    cost price; then the estimates: the product file's margin % or cost price per unit
    (``pe``), the customer file's margin % (``fm``), the average margin. Without any
    estimate, a missing cost on a line of an export that has a cost column counts as 0
    (a free item); without a cost column and without estimates the margin is unknown."""
    whens = ["WHEN cost IS NOT NULL THEN amount - cost"]
    if tables.products:
        whens += [
            "WHEN pe.margin_pct IS NOT NULL THEN amount * pe.margin_pct",
            "WHEN pe.unit_cost IS NOT NULL AND quantity IS NOT NULL "
            "THEN amount - quantity * pe.unit_cost",
        ]
    if file_margin:
        whens.append("WHEN fm.margin_pct IS NOT NULL THEN amount * fm.margin_pct")
    if tables.average_margin is not None:
        whens.append(f"ELSE amount * {float(tables.average_margin)!r}")
    elif has_cost and not (tables.products or file_margin):
        whens.append("ELSE amount")
    return f"CASE {' '.join(whens)} END"


def _estimate_joins(tables: Tables, file_margin: bool) -> str:
    joins = ""
    if tables.products:
        joins += (
            f" LEFT JOIN {tables.products} pe ON pe.product_key = "
            "lower(trim(CAST(l.product AS VARCHAR)))"
        )
    if file_margin:
        joins += (
            " LEFT JOIN (SELECT customer, margin_pct FROM file WHERE margin_pct IS NOT NULL)"
            " fm ON fm.customer = l.customer"
        )
    return joins


def _customer_sql(con, tables: Tables, periods: list[Period]) -> str:
    cfg = thresholds()
    has_cost = _has_column_values(con, tables.lines, "cost")
    has_invoice_no = _has_column_values(con, tables.lines, "invoice_number")
    file_margin = _file_has_margins(con, tables.customers)
    estimates = file_margin or tables.estimates_margin
    has_margin = has_cost or estimates
    margin = margin_sql(tables, has_cost, file_margin)
    # a line without cost price whose margin came from an estimate
    estimated = "cost IS NULL AND margin IS NOT NULL" if estimates else "false"
    gross_margin = "NULL"
    if has_margin:  # one line of P without a margin leaves the customer's margin unknown
        gaps = "coalesce(cur.margin_gaps, 0)"
        gross_margin = f"CASE WHEN {gaps} = 0 THEN coalesce(cur.gross_margin, 0) END"
    # distinct invoice numbers of P, counted from their own small distinct set: a DISTINCT
    # inside the per-customer aggregate is a fifth of the query's time at 10,000 customers
    invoices = "NULL" if has_invoice_no else "count(*) FILTER (WHERE k = 0)"
    c = tables.customers
    join_file = "LEFT JOIN file f ON f.customer = u.customer" if c else ""
    file_universe = "UNION SELECT customer FROM file" if c else ""
    file_name = "f.customer_name" if c else "NULL"
    paid = "k = 0 AND amount > 0 AND paid_date IS NOT NULL"
    file_cte = f"file AS ({_file_keyed(con, tables)})," if c else ""
    # without a customer file the hours are unknown, so cost to serve and contribution
    # are too: never a false 0 (a customer missing from a file has no recorded hours: 0)
    serve = (
        "(coalesce(hours * hourly_rate, 0) + coalesce(other_costs, 0))"
        if c
        else "CAST(NULL AS DOUBLE)"
    )
    return f"""
WITH {file_cte}
raw AS (
    SELECT l.*, {period_case(periods)} AS k, {margin} AS margin
    FROM {tables.lines} l{_estimate_joins(tables, file_margin)}
    WHERE invoice_date <= DATE '{periods[0].end}'
),
lines AS (SELECT *, {estimated} AS estimated FROM raw),
per_period AS (
    SELECT customer, k, sum(amount) AS revenue FROM lines WHERE k IS NOT NULL GROUP BY ALL
),
active AS (
    SELECT customer, k, row_number() OVER (PARTITION BY customer ORDER BY k) - 1 AS i
    FROM per_period WHERE revenue > 0
),
history AS (
    SELECT customer, count(*) AS years_active,
        count(*) FILTER (WHERE k = i) AS years_in_a_row,  -- unbroken run back from P
        bool_or(k >= 2) AS bought_before_prev
    FROM active GROUP BY customer
),
cur AS (
    SELECT customer,
        sum(amount) FILTER (WHERE k = 0) AS revenue,
        sum(amount) FILTER (WHERE k = 1) AS revenue_prev,
        sum(margin) FILTER (WHERE k = 0) AS gross_margin,
        count(*) FILTER (WHERE k = 0 AND margin IS NULL) AS margin_gaps,
        bool_or(estimated) FILTER (WHERE k = 0) AS margin_estimated,
        sum(discount) FILTER (WHERE k = 0) AS discount,
        {invoices} AS invoices,
        min(invoice_date) AS first_date, max(invoice_date) AS last_date,
        arg_max(customer_name, invoice_date) AS customer_name,
        sum(amount) FILTER (WHERE {paid}) AS w_paid,
        sum(amount * (paid_date - invoice_date)) FILTER (WHERE {paid}) AS s_pay,
        sum(amount) FILTER (WHERE {paid} AND due_date IS NOT NULL) AS w_due,
        sum(amount * (paid_date - due_date)) FILTER (WHERE {paid} AND due_date IS NOT NULL)
            AS s_due
    FROM lines GROUP BY customer
),
invoices AS (
    SELECT customer, count(*) AS n FROM (SELECT DISTINCT customer, invoice_number FROM lines
                                         WHERE k = 0 AND invoice_number IS NOT NULL)
    GROUP BY customer
),
months AS (  -- seed 000: does the customer buy regularly? months of P with a purchase
    SELECT customer, count(*) AS n FROM (SELECT DISTINCT customer, date_trunc('month', invoice_date)
                                         FROM lines WHERE k = 0 AND amount > 0)
    GROUP BY customer
),
universe AS (
    SELECT customer FROM cur WHERE revenue IS NOT NULL OR revenue_prev IS NOT NULL
    {file_universe}
),
base AS (
    SELECT u.customer,
        coalesce(cur.customer_name, {file_name}, u.customer) AS customer_name,
        CAST(coalesce(cur.revenue, 0) AS DOUBLE) AS revenue,
        CAST(coalesce(cur.revenue_prev, 0) AS DOUBLE) AS revenue_prev,
        CAST({gross_margin} AS DOUBLE) AS gross_margin,
        coalesce(cur.margin_estimated, false) AS margin_estimated,
        coalesce({"inv.n" if has_invoice_no else "cur.invoices"}, 0) AS invoices,
        coalesce(mon.n, 0) AS active_months, CAST(cur.discount AS DOUBLE) AS discount,
        cur.first_date, cur.last_date,
        {_file_columns(c, cfg.cost_to_serve.hourly_rate)},
        CAST(cur.s_pay / nullif(cur.w_paid, 0) AS DOUBLE) AS days_to_pay,
        CAST(cur.s_due / nullif(cur.w_due, 0) AS DOUBLE) AS days_late_due,
        coalesce(h.years_active, 0) AS years_active,
        CASE WHEN coalesce(cur.revenue, 0) > 0 THEN h.years_in_a_row ELSE 0 END
            AS years_in_a_row,
        coalesce(h.bought_before_prev, false) AS bought_before_prev
    FROM universe u
    LEFT JOIN cur USING (customer)
    LEFT JOIN history h USING (customer)
    LEFT JOIN invoices inv USING (customer)
    LEFT JOIN months mon USING (customer)
    {join_file}
),
valued AS (
    SELECT *,
        {serve} AS cost_to_serve,
        gross_margin - {serve} AS contribution,
        CASE WHEN revenue > 0 AND revenue_prev > 0 THEN 'retained'
             WHEN revenue > 0 AND bought_before_prev THEN 'reactivated'
             WHEN revenue > 0 THEN 'new'
             WHEN revenue_prev > 0 THEN 'lost'
             ELSE 'inactive' END AS status
    FROM base
),
ranked AS (
    SELECT *,
        row_number() OVER (ORDER BY revenue DESC, customer) AS rank,
        -- an unknown contribution (no cost price) has no place in the ranking
        CASE WHEN contribution IS NOT NULL THEN
            row_number() OVER (ORDER BY contribution DESC NULLS LAST, customer) END
            AS contribution_rank,
        sum(revenue) FILTER (WHERE revenue > 0) OVER () AS buying_revenue,
        sum(contribution) OVER () AS total_contribution,
        sum(revenue) OVER (ORDER BY revenue DESC, customer) AS cum_revenue,
        CASE WHEN contribution IS NOT NULL THEN
            sum(contribution) OVER (ORDER BY contribution DESC NULLS LAST, customer) END
            AS cumulative_contribution
    FROM valued
)
SELECT customer, customer_name, revenue,
    -- shares of the revenue of C(P) (customers with revenue > 0), the total of the summary's
    -- top-20 % and 80 % figures: credit notes of lost customers would otherwise shrink the
    -- total, and the cumulative share would pass 100 % before the last buying customer
    revenue / buying_revenue AS revenue_share,
    rank,
    CASE WHEN revenue > 0 THEN cum_revenue / buying_revenue END AS cumulative_share,
    -- seed 002: the customers that together bring 80 % of revenue form a group of their own
    revenue > 0 AND (cum_revenue - revenue) < {cfg.pareto.revenue_share} * buying_revenue
        AS pareto_group,
    CASE WHEN revenue >= {cfg.size_class.large_from} THEN 'large'
         WHEN revenue >= {cfg.size_class.medium_from} THEN 'medium'
         ELSE 'small' END AS size_class,
    invoices, active_months, first_date, last_date,
    discount,
    -- seed 000: price buyers; the discount as a share of the price before discount
    CASE WHEN revenue + discount > 0 THEN discount / (revenue + discount) END AS discount_pct,
    gross_margin, margin_estimated,
    CASE WHEN revenue > 0 THEN gross_margin / revenue END AS margin_pct,
    hours, hourly_rate, other_costs, cost_to_serve, contribution,
    contribution_rank, cumulative_contribution,
    CASE WHEN total_contribution > 0 THEN cumulative_contribution / total_contribution END
        AS cumulative_contribution_share,
    revenue_prev, revenue - revenue_prev AS revenue_change,
    CASE WHEN revenue_prev > 0 THEN revenue / revenue_prev - 1 END AS revenue_change_pct,
    status, years_active, years_in_a_row, days_to_pay,
    coalesce(days_late_due, days_to_pay - payment_term_days) AS days_late,
    payment_term_days, innovation, network, satisfaction, fit_code
FROM ranked
ORDER BY rank
"""


def customer_places_and_products(
    con: duckdb.DuckDBPyConnection, tables: Tables, period: Period, top_products: int = 3
) -> pd.DataFrame:
    """Where each customer is and what it buys in P (seed 004's profile of the best
    customers), one row per customer and product: customer, region (the one on most of
    its lines; None when the export has no region), product (one of its
    ``top_products`` largest by revenue; a customer without products has one row with
    None). Long rather than a list per customer: it is cached, and lists cost ten times
    as much to copy out of the cache."""
    return con.execute(f"""
WITH p AS (
    SELECT customer, region, product, amount FROM {tables.lines}
    WHERE invoice_date BETWEEN DATE '{period.start}' AND DATE '{period.end}'
),
regions AS (
    SELECT customer, arg_max(region, n) AS region
    FROM (SELECT customer, region, count(*) AS n FROM p WHERE region IS NOT NULL GROUP BY ALL)
    GROUP BY customer
),
products AS (
    SELECT customer, product, i
    FROM (SELECT *, row_number() OVER (PARTITION BY customer ORDER BY revenue DESC, product)
                        AS i
          FROM (SELECT customer, product, sum(amount) AS revenue FROM p
                WHERE product IS NOT NULL GROUP BY ALL))
    WHERE i <= {int(top_products)}
)
SELECT c.customer, r.region, pr.product
FROM (SELECT DISTINCT customer FROM p) c
LEFT JOIN regions r USING (customer) LEFT JOIN products pr USING (customer)
ORDER BY c.customer, pr.i
""").df()
