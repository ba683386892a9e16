"""Decimal detection counts the sample in one pass over all values; it must count exactly
as the rule per value does (``clean_number_text``, then the style's pattern)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.ingest import parsing

MONEY_TEXT = st.text(alphabet="0123456789.,-+() €Ee\u00a0\t", max_size=12)


def _per_value(values: list[str]) -> dict[str, int]:
    fits = {parsing.COMMA: 0, parsing.POINT: 0}
    for value in values:
        text = parsing.clean_number_text(value).lstrip("-")
        for style, rx in parsing._NUMBER_RE.items():
            fits[style] += bool(rx.match(text))
    return fits


@settings(max_examples=400, deadline=None)
@given(st.lists(MONEY_TEXT, max_size=30), st.sampled_from([parsing.COMMA, parsing.POINT]))
def test_detect_decimal_chooses_as_the_rule_per_value(values, prefer):
    fits = _per_value(values)
    expected = prefer if fits["comma"] == fits["point"] else max(fits, key=fits.get)
    assert parsing.detect_decimal(values, prefer) == expected
