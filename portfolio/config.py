"""Configuration from ``config/*.yaml``, loaded once into frozen objects.

An unknown key, a missing key or a value of the wrong type is a ``ConfigError``
naming the file and the key. Each file is looked for, first found wins, in the folder
``PORTFOLIO_CONFIG_DIR`` names, in ``config/`` of the working directory (where a user
edits a copy), and last among the defaults: ``config/`` of the checkout, which a wheel
carries inside the package as ``portfolio/defaults/`` (``pyproject.toml`` maps it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import yaml

from portfolio.errors import ConfigError

CONFIG_ENV = "PORTFOLIO_CONFIG_DIR"
CHECKOUT_CONFIG = Path(__file__).resolve().parent.parent / "config"


def defaults_dir() -> Path:
    """The shipped defaults: inside the package when installed from a wheel, else the
    checkout's ``config/`` (an editable install, or the repository on ``sys.path``)."""
    packaged = Path(str(resources.files("portfolio") / "defaults"))
    return packaged if packaged.is_dir() else CHECKOUT_CONFIG


def config_file(name: str) -> Path:
    """Where configuration file ``name`` is read from: the first folder that has it."""
    folders = [Path("config"), defaults_dir()]
    if os.environ.get(CONFIG_ENV):
        folders.insert(0, Path(os.environ[CONFIG_ENV]))
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    return folders[-1] / name  # missing everywhere: the error names the defaults' place


@dataclass(frozen=True)
class PeriodDefaults:
    months: int


@dataclass(frozen=True)
class Pareto:
    revenue_share: float
    top_customer_share: float


@dataclass(frozen=True)
class SizeClass:
    medium_from: float
    large_from: float


@dataclass(frozen=True)
class CostToServe:
    hourly_rate: float


@dataclass(frozen=True)
class Ingest:
    max_file_mb: int
    header_search_lines: int
    sample_rows: int
    totals_labels: tuple[str, ...]
    max_columns: int
    max_overflow_mb: int
    max_xlsx_unpacked_mb: int
    max_xlsx_ratio: int
    upload_ttl_minutes: int  # an unsaved upload (its raw file) is removed after this long


@dataclass(frozen=True)
class Store:
    """What the data folder keeps, and when something left behind counts as an orphan."""

    keep_versions: int  # saved versions kept per dataset (the one in use always among them)
    orphan_minutes: int  # an unfinished save or delete this old was interrupted: removed
    sweep_seconds: int  # how often the server drops the unsaved imports of ended sessions


@dataclass(frozen=True)
class Scenarios:
    """The price scenario page's ranges, presets and sensitivity table."""

    price_change_limit: float
    unprofitable_price_rise: float
    unprofitable_leaving: float
    max_fewer_days: int
    sensitivity_price_changes: tuple[float, ...]
    sensitivity_leaving: tuple[float, ...]


@dataclass(frozen=True)
class MarginEstimate:
    """Where an export has no cost price: an average gross margin for every dataset
    (a fraction of revenue), or None to leave margin unknown until the user gives one."""

    average_margin_pct: float | None


@dataclass(frozen=True)
class Thresholds:
    period: PeriodDefaults
    pareto: Pareto
    size_class: SizeClass
    cost_to_serve: CostToServe
    margin_estimate: MarginEstimate
    ingest: Ingest
    scenarios: Scenarios
    store: Store


@dataclass(frozen=True)
class GridRules:
    """The grid: the four questions and where it is cut into A, B and C."""

    margin_pct_from: float
    contribution_per_hour_from: float
    days_late_max: float
    innovation_from: float
    network_from: float
    a_from: dict[str, int]  # size class -> lowest score (0–4) for A
    b_from: dict[str, int]
    channels: dict[str, str]  # segment -> channel


@dataclass(frozen=True)
class FitRules:
    code3_hours_warning: float


ValueMethod = Literal["value_share", "percentile"]  # cut by share of value, or by rank


@dataclass(frozen=True)
class ValueRules:
    """Value-based A/B/C/D: value elements with weights, and where the total value is cut."""

    weights: dict[str, float]
    method: ValueMethod
    cuts: tuple[float, ...]  # three rising bounds: A, B, C; the rest D


@dataclass(frozen=True)
class TypeRules:
    """The signals of the four customer types."""

    ambassador_top_share: float
    ambassador_margin_pct_from: float
    ambassador_months_from: int
    ambassador_days_late_max: float
    price_buyer_discount_from: float
    price_buyer_margin_pct_below: float
    disastrous_contribution_below: float
    disastrous_satisfaction_max: float


@dataclass(frozen=True)
class SegmentRules:
    grid: GridRules
    fit: FitRules
    value: ValueRules
    types: TypeRules


@dataclass(frozen=True)
class SelectRules:
    """Step 1, select: when a customer is profitable, and what makes one interesting
    (any one signal will do)."""

    profitable_from: float  # contribution above this (euro) is profitable
    strategic_from: float  # mean of the innovation, network and satisfaction scores (0–5)
    fit_code_max: int  # fit code at most this (1: only the perfect fits)
    growth_from: float  # revenue change against the previous period, at least this fraction
    interesting_segments: tuple[str, ...]  # segments interesting as such ("A")


@dataclass(frozen=True)
class Condition:
    """Step 2, remediate: a new condition for an unprofitable customer; what it does to
    the price, to the cost to serve and to the days the customer takes to pay."""

    price_change: float
    cost_to_serve_change: float
    fewer_days: float


@dataclass(frozen=True)
class ProspectRules:
    """Step 5, grow externally: how much a prospect looks like the best customers."""

    region_weight: float
    size_weight: float
    code1_from: float  # similarity at least this: fit code 1
    code2_from: float  # at least this: code 2; below: code 3


@dataclass(frozen=True)
class FunnelRules:
    select: SelectRules
    conditions: dict[str, Condition]
    acceptance: float  # share of the unprofitable customers expected to accept
    months_ahead: int  # the anchoring appointment: this many months ahead
    per_day: int  # at most this many appointments a working day
    soon_days: int  # an appointment within this many days is 'soon'
    calendar_weeks: int  # weeks shown in the calendar
    prospects: ProspectRules
    conversion: float  # share of the top prospects expected to become customers
    top_prospects: int


@dataclass(frozen=True)
class ColumnSynonyms:
    """Per shape ("lines", "customers", "products", "prospects"): field -> synonyms in
    priority order."""

    lines: dict[str, tuple[str, ...]]
    customers: dict[str, tuple[str, ...]]
    never_revenue: tuple[str, ...]
    prospects: dict[str, tuple[str, ...]]
    products: dict[str, tuple[str, ...]]


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError("config_unreadable", file=path, reason=exc) from exc
    if not isinstance(data, dict):
        raise ConfigError("config_wrong_type", file=path, key="(top)", expected="mapping")
    return data


def _build(cls: Any, data: Any, file: Path, prefix: str) -> Any:
    """Instantiate dataclass ``cls`` from ``data``, checking keys and types (read from the
    class's annotations with ``typing.get_type_hints``)."""
    if not isinstance(data, dict):
        raise ConfigError("config_wrong_type", file=file, key=prefix, expected="mapping")
    hints = get_type_hints(cls)
    names = [f.name for f in fields(cls)]
    unknown = set(data) - set(names)
    if unknown:
        raise ConfigError("config_unknown_key", file=file, key=f"{prefix}.{sorted(unknown)[0]}")
    values = {}
    for name in names:
        key = f"{prefix}.{name}".lstrip(".")
        if name not in data:
            raise ConfigError("config_missing_key", file=file, key=key)
        values[name] = _convert(hints[name], data[name], file, key)
    return cls(**values)


def _number(value: Any, kind: type) -> bool:
    """Whether ``value`` from YAML is a ``kind`` (a float may be written whole: 1)."""
    accepted = (int, float) if kind is float else kind
    return isinstance(value, accepted) and not isinstance(value, bool)


_EXPECTED = {int: "int", float: "float", str: "str"}
_MAPPING_OF = {
    int: "mapping of whole numbers",
    float: "mapping of numbers",
    str: "mapping of texts",
}
_LIST_OF = {float: "list of numbers", str: "list of text"}


def _convert(kind: Any, value: Any, file: Path, key: str) -> Any:
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, UnionType) and type(None) in args:  # optional: empty means not set
        (inner,) = [a for a in args if a is not type(None)]
        return None if value is None else _convert(inner, value, file, key)
    if kind in _EXPECTED:
        if not _number(value, kind):
            raise ConfigError("config_wrong_type", file=file, key=key, expected=_EXPECTED[kind])
        return float(value) if kind is float else value
    if origin is Literal:
        if value not in args:
            expected = " or ".join(repr(a) for a in args)
            raise ConfigError("config_wrong_type", file=file, key=key, expected=expected)
        return value
    if origin is dict and is_dataclass(args[1]):  # a named set of sections: conditions
        if not isinstance(value, dict) or not value:
            raise ConfigError("config_wrong_type", file=file, key=key, expected="mapping")
        return {str(k): _build(args[1], v, file, f"{key}.{k}") for k, v in value.items()}
    if origin is dict:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and _number(v, args[1]) for k, v in value.items()
        ):
            raise ConfigError(
                "config_wrong_type", file=file, key=key, expected=_MAPPING_OF[args[1]]
            )
        return dict(value)
    if origin is tuple:  # tuple[X, ...]
        item = args[0]
        if not isinstance(value, list) or not all(_number(v, item) for v in value):
            raise ConfigError("config_wrong_type", file=file, key=key, expected=_LIST_OF[item])
        return tuple(float(v) if item is float else v for v in value)
    if is_dataclass(kind):
        return _build(kind, value, file, key)
    raise TypeError(f"no reading of {kind} in the configuration")  # a bug in this module


@cache
def thresholds() -> Thresholds:
    """The analysis defaults from ``config/thresholds.yaml``."""
    file = config_file("thresholds.yaml")
    return _build(Thresholds, _load_yaml(file), file, "")


@cache
def segment_rules() -> SegmentRules:
    """The segmentation defaults from ``config/segments.yaml``."""
    file = config_file("segments.yaml")
    return _build(SegmentRules, _load_yaml(file), file, "")


@cache
def funnel_rules() -> FunnelRules:
    """The funnel's defaults from ``config/funnel.yaml``."""
    file = config_file("funnel.yaml")
    return _build(FunnelRules, _load_yaml(file), file, "")


@cache
def column_synonyms() -> ColumnSynonyms:
    """The header synonyms from ``config/columns.yaml``."""
    file = config_file("columns.yaml")
    data = _load_yaml(file)
    unknown = set(data) - {"lines", "customers", "prospects", "products", "never_revenue"}
    if unknown:
        raise ConfigError("config_unknown_key", file=file, key=sorted(unknown)[0])
    shapes = {}
    for shape in ("lines", "customers", "prospects", "products"):
        section = data.get(shape)
        if not isinstance(section, dict):
            raise ConfigError("config_missing_key", file=file, key=shape)
        shapes[shape] = {
            field: _convert(tuple[str, ...], synonyms, file, f"{shape}.{field}")
            for field, synonyms in section.items()
        }
    never = _convert(tuple[str, ...], data.get("never_revenue", []), file, "never_revenue")
    return ColumnSynonyms(
        shapes["lines"], shapes["customers"], never, shapes["prospects"], shapes["products"]
    )
