"""Errors a user can act on.

    PortfolioError          anything the product reports to a person
    ├── InputError          a file that cannot be read or used (bad format, no customer column, …)
    └── ConfigError         a config/*.yaml file with an unknown key or a wrong type

Each error carries a message key and parameters; ``message(lang)`` renders it
in Dutch ("nl") or English ("en") from the catalogue in ``messages.yaml``.
``str(error)`` is the Dutch text. Pages catch ``PortfolioError`` and show it;
anything else is a bug and stays visible.
"""

from __future__ import annotations

from portfolio.i18n import DEFAULT_LANG, t, t_markdown


class PortfolioError(Exception):
    """Base of every error shown to a user."""

    # ``key`` is positional only: a message may name a ``key`` of its own (the config's)
    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message(DEFAULT_LANG))

    def message(self, lang: str = DEFAULT_LANG, *, markdown: bool = False) -> str:
        """The message in ``lang``; ``markdown``: for a place that renders Markdown, with
        the values from the user's file (names, headers, cells) kept as text."""
        return (t_markdown if markdown else t)(self.key, lang, **self.params)


class InputError(PortfolioError):
    """A file that cannot be read or used as a whole."""


class ConflictError(PortfolioError):
    """A teammate saved the same thing first (a dataset, a split, a plan, a scenario's
    name): nothing of this save was written, and the caller shows their version."""


class ConfigError(PortfolioError):
    """A configuration file with an unknown key, a missing key or a wrong type."""


class Count(int):
    """A whole number in a message, grouped as the language writes it: ``{n:nl}`` gives
    4.000, ``{n:en}`` 4,000 (other format specs as for ``int``)."""

    def __format__(self, spec: str) -> str:
        if spec in ("nl", "en"):
            grouped = f"{int(self):,}"
            return grouped.replace(",", ".") if spec == "nl" else grouped
        return format(int(self), spec)


class Moment:
    """A saved moment (ISO 8601) in a message, as the language writes it: ``{at:nl}`` gives
    2-12-2026 15:05, ``{at:en}`` 2 Dec 2026, 15:05 (``formatting.moment``)."""

    def __init__(self, iso: str | None) -> None:
        self.iso = iso

    def __format__(self, spec: str) -> str:
        from portfolio.formatting import moment  # formatting needs babel: only when shown

        return moment(self.iso, spec if spec in ("nl", "en") else DEFAULT_LANG)

    def __str__(self) -> str:
        return format(self, DEFAULT_LANG)
