"""What the team enters in the funnel, kept with the dataset: settings of the steps, the
new conditions and their status, the appointments, the opportunities and the
prospects with their fit codes.

Kept per dataset name in ``datasets/<name>/plan.json`` under the data folder (so a
re-import keeps it), every write atomic (temporary file, then rename). Each part is
checked whole before anything is written: a bad value saves nothing and says which
row and value are wrong.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from portfolio.errors import ConflictError, InputError
from portfolio.funnel.steps import STATUSES
from portfolio.store import dataset_folder
from portfolio.workspace import UNCHECKED, read_json, require_finite, update_record

OPPORTUNITY_KINDS = ("cross_sell", "up_sell")
OPPORTUNITY_COLUMNS = ("customer", "description", "kind", "condition", "date", "revenue", "chance")
PROSPECT_COLUMNS = ("name", "region", "sector", "revenue", "fit_code")


@dataclass
class Plan:
    settings: dict = field(default_factory=dict)
    remediation: dict[str, dict] = field(default_factory=dict)  # customer -> condition, status
    appointments: dict[str, dict] = field(default_factory=dict)  # customer -> date, who, topic
    opportunities: list[dict] = field(default_factory=list)
    prospects: list[dict] = field(default_factory=list)
    revisions: dict[str, int] = field(default_factory=dict)  # per list: saves so far
    settings_saved: dict = field(default_factory=dict)  # by whom and when (ISO, UTC)


def _file(root: Path, name: str) -> Path:
    return dataset_folder(root, name) / "plan.json"


def _plan(data: dict) -> Plan:
    return Plan(**{k: data[k] for k in asdict(Plan()) if k in data})


def load_plan(root: Path, name: str) -> Plan:
    """The saved plan of dataset ``name`` (empty when there is none yet)."""
    return _plan(read_json(_file(root, name)))


def _update(root: Path, name: str, change: Callable[[Plan], None]) -> Plan:
    """Load, ``change`` and save the plan under the file's lock (``change`` may raise:
    then nothing is written); the plan as saved."""
    return update_record(_file(root, name), _plan, change)


def _merge(
    part: dict[str, dict], entries: dict[str, dict], base: dict | None, edited: set[str] | None
) -> None:
    """Put ``entries`` (per customer) into ``part``.

    ``base``: the entries the user saw; ``edited``: the customers the user changed. A
    changed customer whose entry a teammate changed since (to something else) is a
    conflict; an unchanged one is only written when nobody saved it yet (its default
    becomes fixed). Without ``base`` every entry is written.
    """
    if base is None:
        part.update(entries)
        return
    edited = edited or set()
    clashes = [
        c for c in edited & set(entries) if part.get(c) != base.get(c) and part.get(c) != entries[c]
    ]
    if clashes:
        raise ConflictError("plan_conflict", customers=", ".join(sorted(clashes)[:5]))
    for customer, entry in entries.items():
        if customer in edited or customer not in part:
            part[customer] = entry


def _check_revision(plan: Plan, part: str, seen: int | object) -> None:
    """``seen``: the list's revision the user saw (0: none saved yet)."""
    if seen is not UNCHECKED and plan.revisions.get(part, 0) != seen:
        raise ConflictError("plan_list_conflict")
    plan.revisions[part] = plan.revisions.get(part, 0) + 1


def _blank(value) -> bool:
    # an empty cell of the table editor arrives as NaN: blank, not a number
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT


def _text(value) -> str:
    return "" if _blank(value) else str(value).strip()


def _iso(value, row: int, column: str) -> str | None:
    if _blank(value) or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError as exc:
        raise InputError(
            "plan_value_invalid", row=row, column=column, value=value, expected="jjjj-mm-dd"
        ) from exc


def _number(value, row: int, column: str, low: float, high: float | None) -> float | None:
    if _blank(value) or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(
            "plan_value_invalid", row=row, column=column, value=value, expected=f"{low} …"
        ) from exc
    if not math.isfinite(number):  # "nan", "Infinity", 1e999: plan.json would be invalid JSON
        raise InputError("plan_value_not_finite", row=row, column=column, value=value)
    if number < low or (high is not None and number > high):
        expected = f"{low} … {high}" if high is not None else f"≥ {low}"
        raise InputError(
            "plan_value_invalid", row=row, column=column, value=value, expected=expected
        )
    return number


def save_settings(
    root: Path, name: str, settings: dict, seen: int | object = UNCHECKED, by: str = ""
) -> Plan:
    """The team's settings of the steps, saved on purpose (moving a slider changes only
    the user's own view). ``seen``: the settings' revision the user started from; when a
    teammate saved since, nothing is saved (``InputError``). A setting that is not a
    finite number (NaN, ±Infinity) is refused."""
    require_finite(settings)

    def change(plan: Plan) -> None:
        _check_revision(plan, "settings", seen)
        plan.settings.update(settings)
        plan.settings_saved = {"by": by, "at": datetime.now(UTC).isoformat(timespec="seconds")}

    return _update(root, name, change)


def save_remediation(
    root: Path,
    name: str,
    rows: pd.DataFrame,
    conditions,
    base: dict | None = None,
    edited: set[str] | None = None,
) -> Plan:
    """The condition and status per unprofitable customer (``rows``: customer, condition,
    status, note). ``base`` and ``edited``: see ``_merge``."""
    entries = {}
    for i, row in enumerate(rows.to_dict("records"), start=1):
        if row["condition"] not in conditions:
            raise InputError(
                "plan_value_invalid",
                row=i,
                column="condition",
                value=row["condition"],
                expected=", ".join(conditions),
            )
        if row["status"] not in STATUSES:
            raise InputError(
                "plan_value_invalid",
                row=i,
                column="status",
                value=row["status"],
                expected=", ".join(STATUSES),
            )
        entries[str(row["customer"])] = {
            "condition": row["condition"],
            "status": row["status"],
            "note": _text(row.get("note")),
        }
    return _update(root, name, lambda plan: _merge(plan.remediation, entries, base, edited))


def save_appointments(
    root: Path,
    name: str,
    rows: pd.DataFrame,
    base: dict | None = None,
    edited: set[str] | None = None,
) -> Plan:
    """The anchoring appointment per customer (``rows``: customer, date, attendees,
    topic, done). ``base`` and ``edited``: see ``_merge``."""
    entries = {}
    for i, row in enumerate(rows.to_dict("records"), start=1):
        entries[str(row["customer"])] = {
            "date": _iso(row["date"], i, "date"),
            "attendees": _text(row.get("attendees")),
            "topic": _text(row.get("topic")),
            "done": bool(row.get("done")) if not _blank(row.get("done")) else False,
        }
    return _update(root, name, lambda plan: _merge(plan.appointments, entries, base, edited))


def save_opportunities(
    root: Path, name: str, rows: pd.DataFrame, customers: set[str], seen: int | object = UNCHECKED
) -> Plan:
    """All opportunities (the table as edited: rows added, changed or removed); rows with
    nothing filled in are left out, a row without a known customer is refused. ``seen``:
    the list's revision the user edited; a teammate's save since is a conflict."""
    kept = []
    for i, row in enumerate(rows.to_dict("records"), start=1):
        if all(_blank(row.get(c)) or row.get(c) == "" for c in OPPORTUNITY_COLUMNS):
            continue  # an empty row the editor added
        customer = _text(row.get("customer"))
        if customer not in customers:
            raise InputError(
                "plan_value_invalid",
                row=i,
                column="customer",
                value=customer,
                expected="een klantnummer uit de lijst / a customer from the list",
            )
        kind = _text(row.get("kind")) or "cross_sell"
        if kind not in OPPORTUNITY_KINDS:
            raise InputError(
                "plan_value_invalid",
                row=i,
                column="kind",
                value=kind,
                expected=", ".join(OPPORTUNITY_KINDS),
            )
        kept.append(
            {
                "customer": customer,
                "description": _text(row.get("description")),
                "kind": kind,
                "condition": _text(row.get("condition")),
                "date": _iso(row.get("date"), i, "date"),
                "revenue": _number(row.get("revenue"), i, "revenue", 0, None) or 0.0,
                "chance": _number(row.get("chance"), i, "chance", 0, 1) or 0.0,
            }
        )

    def change(plan: Plan) -> None:
        _check_revision(plan, "opportunities", seen)
        plan.opportunities = kept

    return _update(root, name, change)


def save_prospects(
    root: Path, name: str, rows: pd.DataFrame, seen: int | object = UNCHECKED
) -> Plan:
    """The prospect list with the team's fit codes (1, 2, 3 or empty); ``seen`` as for
    ``save_opportunities``."""
    kept = []
    for i, row in enumerate(rows.to_dict("records"), start=1):
        code = _number(row.get("fit_code"), i, "fit_code", 1, 3)
        if code is not None and code != int(code):
            raise InputError(
                "plan_value_invalid", row=i, column="fit_code", value=code, expected="1, 2, 3"
            )
        kept.append(
            {
                "name": _text(row.get("name")),
                "region": _text(row.get("region")) or None,
                "sector": _text(row.get("sector")) or None,
                "revenue": _number(row.get("revenue"), i, "revenue", 0, None),
                "fit_code": int(code) if code is not None else None,
            }
        )

    def change(plan: Plan) -> None:
        _check_revision(plan, "prospects", seen)
        plan.prospects = kept

    return _update(root, name, change)


def remediation_frame(plan: Plan, customers: pd.DataFrame, default_condition: str) -> pd.DataFrame:
    """``customers`` (the unprofitable ones) with their saved condition, status and note;
    a customer without any gets ``default_condition`` and 'proposed'."""
    saved = plan.remediation
    keys = customers["customer"].astype(str)
    out = customers.copy()
    out["condition"] = keys.map(lambda c: saved.get(c, {}).get("condition", default_condition))
    out["status"] = keys.map(lambda c: saved.get(c, {}).get("status", "proposed"))
    out["note"] = keys.map(lambda c: saved.get(c, {}).get("note", ""))
    return out


def appointments_frame(plan: Plan, customers: pd.DataFrame, defaults: list[date]) -> pd.DataFrame:
    """``customers`` (the ones to anchor, in order) with their appointment: the saved one,
    else the next of ``defaults`` (one per customer; see ``funnel.steps.default_appointments``),
    with no attendees or topic yet."""
    saved = plan.appointments
    keys = customers["customer"].astype(str).tolist()

    def when(c: str, default: date):
        entry = saved.get(c)
        if entry is None:
            return default
        return date.fromisoformat(entry["date"]) if entry.get("date") else None

    out = customers[["customer", "customer_name"]].copy()
    out["date"] = [when(c, d) for c, d in zip(keys, defaults, strict=True)]
    out["attendees"] = [saved.get(c, {}).get("attendees", "") for c in keys]
    out["topic"] = [saved.get(c, {}).get("topic", "") for c in keys]
    out["done"] = [bool(saved.get(c, {}).get("done", False)) for c in keys]
    return out


def opportunities_frame(plan: Plan) -> pd.DataFrame:
    out = pd.DataFrame(plan.opportunities, columns=list(OPPORTUNITY_COLUMNS))
    out["date"] = out["date"].map(lambda d: date.fromisoformat(d) if d else None)
    out["revenue"] = out["revenue"].astype(float)
    out["chance"] = out["chance"].astype(float)
    return out


def prospects_frame(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame(plan.prospects, columns=list(PROSPECT_COLUMNS))
