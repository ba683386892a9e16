"""The message catalogue: every sentence the domain package says, in Dutch and English.

Messages live in ``messages.yaml`` beside this module, one key per message with
an ``nl`` and an ``en`` text using ``str.format`` fields. Dutch is the default:
most of our users are Dutch and Flemish.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

LANGUAGES = ("nl", "en")
DEFAULT_LANG = "nl"
_CATALOGUE = Path(__file__).with_name("messages.yaml")


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """All messages: key -> {"nl": text, "en": text}."""
    data = yaml.safe_load(_CATALOGUE.read_text(encoding="utf-8"))
    for key, texts in data.items():
        missing = [lang for lang in LANGUAGES if lang not in texts]
        if missing:
            raise ValueError(f"{_CATALOGUE.name}: message {key!r} has no text for {missing}")
    return data


def t(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """The message ``key`` in ``lang``, with ``params`` filled in. A count followed by its
    noun agrees with it: ``{n} klanten`` reads "1 klant" when ``n`` is one (``SINGULAR``)."""
    texts = catalogue()[key]
    return _agreeing(texts.get(lang, texts[DEFAULT_LANG]), params).format(**params)


# the nouns messages count, plural -> singular
SINGULAR = {
    "klanten": "klant",
    "regels": "regel",
    "rijen": "rij",
    "dagen": "dag",
    "maanden": "maand",
    "weken": "week",
    "afspraken": "afspraak",
    "jaren": "jaar",
    "facturen": "factuur",
    "kolommen": "kolom",
    "customers": "customer",
    "lines": "line",
    "rows": "row",
    "days": "day",
    "months": "month",
    "weeks": "week",
    "appointments": "appointment",
    "years": "year",
    "invoices": "invoice",
    "columns": "column",
}
_COUNTED = re.compile(r"\{(\w+)(?::[^{}]*)?\} (" + "|".join(SINGULAR) + r")\b")


def _agreeing(text: str, params: dict) -> str:
    def noun(match: re.Match) -> str:
        if not _is_one(params.get(match[1])):
            return match[0]
        return match[0][: -len(match[2])] + SINGULAR[match[2]]

    return _COUNTED.sub(noun, text)


def _is_one(value: object) -> bool:
    """Whether a count is one, given as a number or as the text of one ("1")."""
    if isinstance(value, str):
        return value.strip() == "1"
    return isinstance(value, int | float) and not isinstance(value, bool) and value == 1


# Characters that make Markdown (as Streamlit renders it: links, images, emphasis, code,
# tables, LaTeX, colour directives, autolinked addresses) or HTML out of plain text
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|$~:.=-])")


_AUTOLINK = re.compile(r"(?i)https?:|ftp:|mailto:|www\.")


def as_text(value: object) -> str:
    """``value`` written so that a Markdown renderer shows it as it is: a customer name
    like ``[x](https://…)``, ``![x](…)``, ``**x**`` or ``<img …>`` stays text, never
    a link, an image or emphasis. For any user or file text in a rendered message."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    # an escaped address is still turned into a link (GFM's autolinks): a zero-width
    # space after its first letter, and before an @, keeps it plain text
    text = _AUTOLINK.sub(lambda m: m.group(0)[0] + "\u200b" + m.group(0)[1:], text)
    return _MARKDOWN.sub(r"\\\1", text.replace("@", "\u200b@"))


def t_markdown(key: str, lang: str = DEFAULT_LANG, /, **params: object) -> str:
    """``t`` for a place that renders Markdown: every text parameter as text (``as_text``);
    numbers keep their format specs (``{n:nl}``)."""
    safe = {k: as_text(v) if isinstance(v, str) else v for k, v in params.items()}
    return t(key, lang, **safe)


def template(key: str, lang: str = DEFAULT_LANG) -> str:
    """The message ``key`` in ``lang`` with its ``{fields}`` left in, to fill in later."""
    texts = catalogue()[key]
    return texts.get(lang, texts[DEFAULT_LANG])
