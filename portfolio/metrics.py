"""What each customer is worth: the per-customer table (docs/method.md).

All heavy work runs in DuckDB SQL over the invoice lines; only the result,
one row per customer, comes back as a pandas DataFrame.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from portfolio.config import thresholds
from portfolio.db import first_row
from portfolio.ingest.columns import CUSTOMER_FIGURES
from portfolio.periods import Period, shared_history
from portfolio.segments.schemes import size_classes


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
    """SQL giving the index k of the period holding ``invoice_date`` (0 = P), NULL outside;
    its dates are the parameters ``period_params(periods)``."""
    whens = " ".join(
        f"WHEN invoice_date >= $period_start_{k} THEN {k}" for k in range(len(periods))
    )
    return f"CASE WHEN invoice_date > $period_end THEN NULL {whens} END"


def period_params(periods: list[Period]) -> dict[str, date]:
    """The parameters of ``period_case``: where P ends and where each period starts."""
    starts = {f"period_start_{k}": p.start for k, p in enumerate(periods)}
    return {"period_end": periods[0].end, **starts}


@dataclass(frozen=True)
class _Facts:
    """What the per-customer query needs to know of the data before it is written."""

    first: date | None  # the first invoice date (None: no lines)
    has_cost: bool
    has_invoice_no: bool
    lines_have_ids: bool  # customer numbers
    file_has_ids: bool = False
    file_margin: bool = False  # the customer file gives a margin %


def _facts(con, tables: Tables) -> _Facts:
    """``_Facts`` in one query per table: a query costs more than the counting in it."""
    lines = first_row(
        con,
        "SELECT min(invoice_date), count(cost) > 0, count(invoice_number) > 0,"
        f" count(customer_id) > 0 FROM {tables.lines}",
    )
    if tables.customers is None:
        return _Facts(*lines)
    names = {row[0] for row in con.execute(f"DESCRIBE {tables.customers}").fetchall()}
    # a customer file saved before the margin column was read has no such column at all
    margin = "count(margin_pct) > 0" if "margin_pct" in names else "false"
    file = first_row(con, f"SELECT count(customer_id) > 0, {margin} FROM {tables.customers}")
    return _Facts(*lines, *file)


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
    return customer_tables(con, tables, period, 1)[0]


def customer_tables(
    con: duckdb.DuckDBPyConnection, tables: Tables, period: Period, count: int = 2
) -> list[pd.DataFrame]:
    """``customer_table`` of P and of the ``count - 1`` periods before it: [P, P-1, …].

    One pass over the lines serves them all (the overview compares P with P-1): each
    table equals the one ``customer_table`` gives for its own period.
    """
    facts = _facts(con, tables)
    periods = shared_history(period, facts.first, count)
    if periods is None:  # the periods before P-1 are not those before P: one pass each
        return [
            customer_table(con, tables, period.previous(b) if b else period) for b in range(count)
        ]
    sql = _customer_sql(tables, facts, periods, count) + "ORDER BY back, rank"
    frame = con.execute(sql, period_params(periods)).df()
    after = frame.columns.get_loc("pareto_group") + 1
    frame.insert(after, "size_class", size_classes(frame["revenue"], thresholds().size_class))
    return [_typed_alone(frame[frame["back"] == b]) for b in range(count)]


def _typed_alone(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of one table as DuckDB gives a result of their own: whole numbers and
    booleans come as pandas' nullable types only when the table has an empty cell."""
    rows = rows.drop(columns="back").reset_index(drop=True)
    masked = {
        column: dtype.numpy_dtype
        for column, dtype in rows.dtypes.items()
        if isinstance(dtype, pd.api.extensions.ExtensionDtype)
        and dtype.kind in "iub"
        and not rows[column].isna().any()
    }
    return rows.astype(masked) if masked else rows


def _file_columns(customers: str | None, default_rate: float) -> str:
    if customers is None:
        nulls = CUSTOMER_FIGURES
        return ", ".join(f"CAST(NULL AS DOUBLE) AS {n}" for n in nulls) + (
            ", CAST(NULL AS INTEGER) AS fit_code"
        )
    # cost to serve needs a rate: the file's, else the default from config/thresholds.yaml
    return (
        f"f.hours, CASE WHEN f.hours IS NOT NULL THEN coalesce(f.hourly_rate, {default_rate}) "
        "END AS hourly_rate, f.other_costs, f.payment_term_days, f.innovation, f.network, "
        "f.satisfaction, f.fit_code"
    )


def _file_keyed(tables: Tables, facts: _Facts) -> str:
    """The customer file keyed like the invoice lines.

    A customer file often has names only while the lines have customer numbers:
    then its rows are matched on the name (case-insensitive) to the lines' key.
    """
    if facts.file_has_ids or not facts.lines_have_ids:
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


def _customer_sql(tables: Tables, facts: _Facts, periods: list[Period], count: int) -> str:
    """The tables of periods[0 .. count-1], told apart by ``back`` (0 = P, 1 = P-1, …)."""
    cfg = thresholds()
    has_cost, has_invoice_no, file_margin = facts.has_cost, facts.has_invoice_no, facts.file_margin
    estimates = file_margin or tables.estimates_margin
    has_margin = has_cost or estimates
    margin = margin_sql(tables, has_cost, file_margin)
    # a line without cost price whose margin came from an estimate
    estimated = "cost IS NULL AND margin IS NOT NULL" if estimates else "false"
    gross_margin = "NULL"
    if has_margin:  # one line of P without a margin leaves the customer's margin unknown
        gaps = "coalesce(d.margin_gaps, 0)"
        gross_margin = f"CASE WHEN {gaps} = 0 THEN coalesce(d.gross_margin, 0) END"
    c = tables.customers
    join_file = "LEFT JOIN file f ON f.customer = u.customer" if c else ""
    file_universe = "UNION SELECT back, customer FROM file, backs" if c else ""
    file_name = "f.customer_name" if c else "NULL"
    file_cte = f"file AS ({_file_keyed(tables, facts)})," if c else ""
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
    WHERE invoice_date <= $period_end
),
lines AS (SELECT *, {estimated} AS estimated FROM raw),
backs AS (SELECT unnest(range({int(count)})) AS back),
{_period_ctes(count)},
universe AS (
    SELECT back, customer FROM cur WHERE revenue IS NOT NULL OR revenue_prev IS NOT NULL
    {file_universe}
),
base AS (
    SELECT u.back, u.customer,
        coalesce(cur.customer_name, {file_name}, u.customer) AS customer_name,
        CAST(coalesce(cur.revenue, 0) AS DOUBLE) AS revenue,
        CAST(coalesce(cur.revenue_prev, 0) AS DOUBLE) AS revenue_prev,
        CAST({gross_margin} AS DOUBLE) AS gross_margin,
        coalesce(d.margin_estimated, false) AS margin_estimated,
        coalesce({"inv.n" if has_invoice_no else "d.line_count"}, 0) AS invoices,
        coalesce(mon.n, 0) AS active_months, CAST(d.discount AS DOUBLE) AS discount,
        cur.first_date, cur.last_date,
        {_file_columns(c, cfg.cost_to_serve.hourly_rate)},
        CAST(d.s_pay / nullif(d.w_paid, 0) AS DOUBLE) AS days_to_pay,
        CAST(d.s_due / nullif(d.w_due, 0) AS DOUBLE) AS days_late_due,
        coalesce(h.years_active, 0) AS years_active,
        CASE WHEN coalesce(cur.revenue, 0) > 0 THEN h.years_in_a_row ELSE 0 END
            AS years_in_a_row,
        coalesce(h.bought_before_prev, false) AS bought_before_prev
    FROM universe u
    LEFT JOIN cur USING (back, customer)
    LEFT JOIN detail d USING (back, customer)
    LEFT JOIN history h USING (back, customer)
    LEFT JOIN invoices inv USING (back, customer)
    LEFT JOIN months mon USING (back, customer)
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
        row_number() OVER (PARTITION BY back ORDER BY revenue DESC, customer) AS rank,
        -- an unknown contribution (no cost price) has no place in the ranking
        CASE WHEN contribution IS NOT NULL THEN
            row_number() OVER (PARTITION BY back ORDER BY contribution DESC NULLS LAST,
                               customer) END
            AS contribution_rank,
        sum(revenue) FILTER (WHERE revenue > 0) OVER (PARTITION BY back) AS buying_revenue,
        sum(contribution) OVER (PARTITION BY back) AS total_contribution,
        sum(revenue) OVER (PARTITION BY back ORDER BY revenue DESC, customer) AS cum_revenue,
        CASE WHEN contribution IS NOT NULL THEN
            sum(contribution) OVER (PARTITION BY back ORDER BY contribution DESC NULLS LAST,
                                    customer) END
            AS cumulative_contribution
    FROM valued
)
SELECT back, customer, customer_name, revenue,
    -- shares of the revenue of C(P) (customers with revenue > 0), the total of the summary's
    -- top-20 % and 80 % figures: credit notes of lost customers would otherwise shrink the
    -- total, and the cumulative share would pass 100 % before the last buying customer
    revenue / buying_revenue AS revenue_share,
    rank,
    CASE WHEN revenue > 0 THEN cum_revenue / buying_revenue END AS cumulative_share,
    -- the 20/80 rule: the customers that together bring 80 % of revenue form a group
    revenue > 0 AND (cum_revenue - revenue) < {cfg.pareto.revenue_share} * buying_revenue
        AS pareto_group,
    invoices, active_months, first_date, last_date,
    discount,
    -- a price buyer's signal: the discount as a share of the price before discount
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
"""


def _period_ctes(count: int) -> str:
    """The per-customer aggregates of every table (``back``), from ``lines`` (with its
    period ``k``). Each line is aggregated once: revenue and dates per customer and
    period for all periods, the other measures only from the lines of the tables' own
    periods (k < count); table ``back`` then sees the periods k >= back, with k - back as
    their index, as a table of that period alone would."""
    paid = "amount > 0 AND paid_date IS NOT NULL"
    return f"""
per_period AS (  -- k NULL: lines before the oldest period (they still count for the dates)
    SELECT customer, k, sum(amount) AS revenue,
        min(invoice_date) AS first_date, max(invoice_date) AS last_date,
        arg_max(customer_name, invoice_date) AS customer_name
    FROM lines GROUP BY customer, k
),
detail AS (
    SELECT customer, k AS back,
        sum(margin) AS gross_margin,
        count(*) FILTER (WHERE margin IS NULL) AS margin_gaps,
        bool_or(estimated) AS margin_estimated,
        sum(discount) AS discount,
        count(*) AS line_count,
        sum(amount) FILTER (WHERE {paid}) AS w_paid,
        sum(amount * (paid_date - invoice_date)) FILTER (WHERE {paid}) AS s_pay,
        sum(amount) FILTER (WHERE {paid} AND due_date IS NOT NULL) AS w_due,
        sum(amount * (paid_date - due_date)) FILTER (WHERE {paid} AND due_date IS NOT NULL)
            AS s_due
    FROM lines WHERE k < {int(count)} GROUP BY customer, k
),
-- distinct invoice numbers counted from their own small distinct set: a DISTINCT inside
-- the per-customer aggregate is a fifth of the query's time at 10,000 customers
invoices AS (
    SELECT customer, k AS back, count(*) AS n
    FROM (SELECT DISTINCT customer, k, invoice_number FROM lines
          WHERE k < {int(count)} AND invoice_number IS NOT NULL)
    GROUP BY customer, k
),
months AS (  -- does the customer buy regularly (Ambassadors do)? months of P with a purchase
    SELECT customer, k AS back, count(*) AS n
    FROM (SELECT DISTINCT customer, k, date_trunc('month', invoice_date) FROM lines
          WHERE k < {int(count)} AND amount > 0)
    GROUP BY customer, k
),
seen AS (SELECT b.back, p.* FROM backs b JOIN per_period p ON p.k >= b.back OR p.k IS NULL),
cur AS (
    SELECT back, customer,
        sum(revenue) FILTER (WHERE k = back) AS revenue,
        sum(revenue) FILTER (WHERE k = back + 1) AS revenue_prev,
        min(first_date) AS first_date, max(last_date) AS last_date,
        arg_max(customer_name, last_date) AS customer_name
    FROM seen GROUP BY back, customer
),
active AS (
    SELECT back, customer, k - back AS k,
        row_number() OVER (PARTITION BY back, customer ORDER BY k) - 1 AS i
    FROM seen WHERE revenue > 0 AND k IS NOT NULL
),
history AS (
    SELECT back, customer, count(*) AS years_active,
        count(*) FILTER (WHERE k = i) AS years_in_a_row,  -- unbroken run back from P
        bool_or(k >= 2) AS bought_before_prev
    FROM active GROUP BY back, customer
)"""


def customer_places_and_products(
    con: duckdb.DuckDBPyConnection, tables: Tables, period: Period, top_products: int = 3
) -> pd.DataFrame:
    """Where each customer is and what it buys in P (the best customers' profile, for
    growing externally), one row per customer and product: customer, region (the one on
    most of its lines; None when the export has no region), product (one of its
    ``top_products`` largest by revenue; a customer without products has one row with
    None). Long rather than a list per customer: it is cached, and lists cost ten times
    as much to copy out of the cache."""
    return con.execute(
        f"""
WITH p AS (
    SELECT customer, region, product, amount FROM {tables.lines}
    WHERE invoice_date BETWEEN $start AND $end
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
    WHERE i <= $top_products
)
SELECT c.customer, r.region, pr.product
FROM (SELECT DISTINCT customer FROM p) c
LEFT JOIN regions r USING (customer) LEFT JOIN products pr USING (customer)
ORDER BY c.customer, pr.i
""",
        {"start": period.start, "end": period.end, "top_products": int(top_products)},
    ).df()


def _one_customer_lines(tables: Tables, facts: _Facts) -> str:
    """The CTEs of one customer's lines (``$customer``) with each line's gross margin by
    ``margin_sql``: the same margin as in the per-customer table."""
    file_cte = f"file AS ({_file_keyed(tables, facts)})," if tables.customers else ""
    margin = margin_sql(tables, facts.has_cost, facts.file_margin)
    return f"""WITH {file_cte}
mine AS (
    SELECT l.*, {margin} AS margin
    FROM {tables.lines} l{_estimate_joins(tables, facts.file_margin)}
    WHERE l.customer = $customer
)"""


def customer_months(con: duckdb.DuckDBPyConnection, tables: Tables, customer: str) -> pd.DataFrame:
    """One customer's revenue and gross margin per calendar month over the whole history:
    month (its first day), revenue, gross_margin (unknown, NULL, in a month with a line
    without a margin, as for a period in ``customer_table``)."""
    facts = _facts(con, tables)
    sql = (
        _one_customer_lines(tables, facts)
        + """
SELECT CAST(date_trunc('month', invoice_date) AS DATE) AS month,
    CAST(sum(amount) AS DOUBLE) AS revenue,
    CAST(CASE WHEN count(*) FILTER (WHERE margin IS NULL) = 0 THEN sum(margin) END AS DOUBLE)
        AS gross_margin
FROM mine GROUP BY 1 ORDER BY 1"""
    )
    return con.execute(sql, {"customer": str(customer)}).df()


def customer_lines(
    con: duckdb.DuckDBPyConnection, tables: Tables, customer: str, period: Period, top: int = 20
) -> pd.DataFrame:
    """One customer's largest invoice lines of ``period`` (by amount, credit notes by their
    size too): invoice_date, invoice_number, product, quantity, amount, gross_margin."""
    facts = _facts(con, tables)
    sql = (
        _one_customer_lines(tables, facts)
        + f"""
SELECT invoice_date, invoice_number, product, CAST(quantity AS DOUBLE) AS quantity,
    CAST(amount AS DOUBLE) AS amount, CAST(margin AS DOUBLE) AS gross_margin
FROM mine
WHERE invoice_date BETWEEN $start AND $end
ORDER BY abs(amount) DESC, invoice_date, "row"
LIMIT {int(top)}"""
    )
    params = {"customer": str(customer), "start": period.start, "end": period.end}
    return con.execute(sql, params).df()
