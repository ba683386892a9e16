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

from portfolio.i18n import DEFAULT_LANG, t


class PortfolioError(Exception):
    """Base of every error shown to a user."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message(DEFAULT_LANG))

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return t(self.key, lang, **self.params)


class InputError(PortfolioError):
    """A file that cannot be read or used as a whole."""


class ConfigError(PortfolioError):
    """A configuration file with an unknown key, a missing key or a wrong type."""
