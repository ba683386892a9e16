"""The width check of an xlsx reads its sheets' first rows a piece at a time
(``sources.xlsx._first_rows``): the rows it finds are those of splitting the whole head at
once, however the pieces cut the XML."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.ingest.sources import xlsx as sources


def sheet_xml(widths: list[int], prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    rows = "".join(
        f'<{p}row r="{r}">' + "".join(f'<{p}c r="A{r}"><{p}v>1</{p}v></{p}c>' * w) + f"</{p}row>"
        for r, w in enumerate(widths, 1)
    )
    return f'<?xml version="1.0"?><{p}worksheet><{p}sheetData>{rows}</{p}sheetData>'.encode()


def widths_read(xml: bytes, count: int, limit: int = 2**22, piece: int = 2**16) -> list[int]:
    rows = sources._first_rows(io.BytesIO(xml), count, limit, piece)
    return [len(sources._XLSX_CELL.findall(r)) for r in rows]


def widths_of_the_whole_head(xml: bytes, count: int, limit: int = 2**22) -> list[int]:
    rows = sources._XLSX_ROW_END.split(xml[:limit])[:count]
    return [len(sources._XLSX_CELL.findall(r)) for r in rows]


@settings(max_examples=60, deadline=None)
@given(
    widths=st.lists(st.integers(0, 30), min_size=0, max_size=80),
    piece=st.integers(1, 200),
    count=st.integers(1, 60),
    prefix=st.sampled_from(["", "x"]),
)
def test_pieces_find_the_rows_the_whole_head_has(widths, piece, count, prefix):
    xml = sheet_xml(widths, prefix)

    read = widths_read(xml, count, piece=piece)

    # the same widths; a tail after the last row end holds no cells either way
    expected = widths_of_the_whole_head(xml, count)
    assert read[: len(widths)] == expected[: len(widths)]
    assert max(read, default=0) == max(expected, default=0)


def test_a_row_cut_off_at_the_head_limit_still_counts_its_cells():
    xml = sheet_xml([3, 4, 5000])  # the third row runs far past the limit

    read = widths_read(xml, 50, limit=2_000, piece=300)

    assert read[:2] == [3, 4]
    assert read[2] > 20  # the cut row's cells within the head are counted
    assert read == widths_of_the_whole_head(xml, 50, limit=2_000)


@pytest.mark.parametrize("count", [1, 2, 50])
def test_only_the_first_rows_are_returned(count):
    xml = sheet_xml([1] * 100 + [9])

    assert widths_read(xml, count) == [1] * count
