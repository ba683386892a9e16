"""Texts as the reader's language writes them: every message in both languages, its fields
filled in, a count that agrees with its noun (1 klant, 2 klanten), a saved moment, and the
import preview's numbers."""

import re

import pandas as pd
import pytest

from portfolio.errors import Count, InputError, Moment
from portfolio.i18n import LANGUAGES, SINGULAR, catalogue, t
from portfolio.ingest.quality import preview_texts


@pytest.mark.parametrize(
    ("n", "nl", "en"),
    [
        (1, "1 klant met de hand", "1 customer put"),
        (Count(1), "1 klant met de hand", "1 customer put"),
        ("1", "1 klant met de hand", "1 customer put"),
        (2, "2 klanten met de hand", "2 customers put"),
        (0, "0 klanten met de hand", "0 customers put"),
        ("1.234", "1.234 klanten met de hand", "1.234 customers put"),
        (Count(11), "11 klanten met de hand", "11 customers put"),
    ],
)
def test_a_count_agrees_with_its_noun(n, nl, en):
    assert t("seg.overrides_count", "nl", n=n).startswith(nl)
    assert t("seg.overrides_count", "en", n=n).startswith(en)


def test_a_count_with_a_format_spec_agrees_too():
    text = {
        lang: t("seg.finalized", lang, who="x", at="y", scheme="z", n=Count(1))
        for lang in LANGUAGES
    }
    assert text["nl"].endswith(", 1 klant.")
    assert text["en"].endswith(", 1 customer.")


def test_no_message_says_one_with_a_plural_noun_for_any_count():
    plural = "|".join(SINGULAR)
    for key, texts in catalogue().items():
        for lang in LANGUAGES:
            fields = set(re.findall(r"\{(\w+)(?::[^{}]*)?\}", texts[lang]))
            params = {f: 1 for f in fields}
            try:
                text = t(key, lang, **params)
            except (ValueError, KeyError, IndexError, TypeError):
                continue  # a message whose fields are not counts
            assert not re.search(rf"(?<![\d.,])1 ({plural})\b", text), (key, lang, text)


def test_a_saved_moment_in_a_message_reads_as_the_language_writes_it():
    error = InputError("finalize_conflict", at=Moment("2026-12-02T14:05:21.123+00:00"))

    assert "(2-12-2026 15:05)" in error.message("nl")
    assert "(2-12-2026 15:05)" in error.message("nl", markdown=True)
    assert "(2 Dec 2026, 15:05)" in error.message("en")
    assert "+00:00" not in str(error)


def test_the_import_preview_writes_numbers_as_the_language_does_and_empty_cells_empty():
    frame = pd.DataFrame(
        {
            "row": [2, 1003],
            "amount": [1983.93, None],
            "quantity": [2.5, 3.0],
            "invoice_number": ["F1", None],
            "payment_term_days": [30.0, None],
        }
    )

    nl, en = preview_texts(frame, "nl"), preview_texts(frame, "en")

    assert nl["row"].tolist() == ["2", "1.003"]
    assert nl["amount"].tolist() == ["€\u00a01.983,93", ""]
    assert en["amount"].tolist() == ["€1,983.93", ""]
    assert nl["quantity"].tolist() == ["2,50", "3,00"]
    assert nl["invoice_number"].tolist() == ["F1", ""]
    assert nl["payment_term_days"].tolist() == ["30", ""]
