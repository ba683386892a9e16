"""The plain pandas script a user could write instead of ``portfolio summary``: the same
period (the last 12 months of the data), the same figures, nothing checked.

    python bench/pandas_summary.py verkoopregels.csv

Prints the summary as JSON. Timed as a whole process (imports included) by ``bench.run``.
"""

import json
import sys

import pandas as pd

lines = pd.read_csv(
    sys.argv[1],
    sep=";",
    decimal=",",
    thousands=".",
    encoding="cp1252",
    dtype={"Debiteurnummer": str, "Factuurnummer": str},
)
day = pd.to_datetime(lines["Factuurdatum"], format="%d-%m-%Y")
end = day.max()
start = end - pd.DateOffset(months=12) + pd.Timedelta(days=1)
before = start - pd.DateOffset(months=12)
lines["margin"] = lines["Bedrag excl. btw"] - lines["Kostprijs"].fillna(0)
now = lines[(day >= start) & (day <= end)]
prev = lines[(day >= before) & (day < start)]
per = now.groupby("Debiteurnummer").agg(
    revenue=("Bedrag excl. btw", "sum"),
    margin=("margin", "sum"),
    invoices=("Factuurnummer", "nunique"),
)
per["revenue_prev"] = prev.groupby("Debiteurnummer")["Bedrag excl. btw"].sum()
per = per.fillna({"revenue_prev": 0.0})
active = per[per["revenue"] > 0].sort_values("revenue", ascending=False)
top = max(1, round(0.2 * len(active)))
cumulative = active["revenue"].cumsum() / active["revenue"].sum()
before_customers = prev.groupby("Debiteurnummer")["Bedrag excl. btw"].sum()
before_customers = before_customers[before_customers > 0].index
kept = active.index.intersection(before_customers)
print(
    json.dumps(
        {
            "customers": len(active),
            "revenue": round(float(per["revenue"].sum()), 2),
            "gross_margin": round(float(per["margin"].sum()), 2),
            "top20_revenue_share": float(
                active["revenue"].head(top).sum() / active["revenue"].sum()
            ),
            "customers_for_80pct_revenue_share": int((cumulative < 0.8).sum() + 1) / len(active),
            "customer_retention": len(kept) / len(before_customers)
            if len(before_customers)
            else None,
            "new_customers": int(len(active.index.difference(before_customers))),
            "lost_customers": int(len(before_customers.difference(active.index))),
        }
    )
)
