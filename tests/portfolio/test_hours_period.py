"""The customer file's hours count for the period shown; where the file names another
year, or the period is not a year, the page says that this is an assumption."""

from datetime import date

from portfolio.estimates import hours_note
from portfolio.periods import Period, calendar_year, months_ending


def _meta(hours_column: str | None) -> dict:
    mapping = {"customer_id": "Debiteurnummer"} | ({"hours": hours_column} if hours_column else {})
    return {"files": {"customers": {"file": "klanten.csv", "mapping": mapping}}}


def test_hours_of_the_year_shown_need_no_note():
    assert hours_note(_meta("Uren 2025"), calendar_year(2025)) is None


def test_hours_of_another_year_are_said_to_be_assumed_for_the_period_shown():
    note = hours_note(_meta("Uren 2025"), calendar_year(2024), "nl")
    assert "'Uren 2025'" in note and "horen bij 2025" in note and "01-01-2024" in note
    assert "belong to 2025" in hours_note(
        _meta("Uren 2025"), months_ending(date(2025, 6, 30)), "en"
    )


def test_hours_without_a_year_count_for_any_twelve_months_but_not_for_a_shorter_period():
    assert hours_note(_meta("Uren"), months_ending(date(2025, 6, 30), 12)) is None
    note = hours_note(_meta("Uren"), Period(date(2025, 1, 1), date(2025, 3, 31), 3), "nl")
    assert "aangenomen als de uren van 01-01-2025 – 31-03-2025" in note


def test_no_hours_column_or_no_customer_file_needs_no_note():
    assert hours_note(_meta(None), calendar_year(2024)) is None
    assert hours_note({"files": {}}, calendar_year(2024)) is None
