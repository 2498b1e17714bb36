"""Derived facts: years of experience, the current role, skill keywords."""

from __future__ import annotations

from datetime import date

import pytest

from api.resumes import facts

TODAY = date(2026, 11, 27)


def years(work: list[dict]) -> float:
    return facts.years_from_days(facts.experience_days(work, TODAY))


def test_partial_dates_cover_their_whole_period() -> None:
    assert facts.parse_partial_date("2019") == date(2019, 1, 1)
    assert facts.parse_partial_date("2019", end=True) == date(2019, 12, 31)
    assert facts.parse_partial_date("2020-02", end=True) == date(2020, 2, 29)
    assert facts.parse_partial_date("2020-02-10", end=True) == date(2020, 2, 10)
    with pytest.raises(facts.PartialDateError):
        facts.parse_partial_date("2020-13")
    with pytest.raises(facts.PartialDateError):
        facts.parse_partial_date("last year")


def test_month_only_dates_count_whole_months() -> None:
    assert years([{"startDate": "2019-01", "endDate": "2019-12"}]) == 1.0
    assert years([{"startDate": "2019-01", "endDate": "2020-06"}]) == 1.5


def test_year_only_dates() -> None:
    assert years([{"startDate": "2015", "endDate": "2016"}]) == 2.0


def test_overlapping_periods_are_merged() -> None:
    work = [
        {"startDate": "2018-01-01", "endDate": "2019-12-31"},
        {"startDate": "2019-01-01", "endDate": "2020-12-31"},  # overlaps the first by a year
        {"startDate": "2020-06", "endDate": "2020-08"},  # inside the second
    ]
    assert years(work) == 3.0


def test_gaps_are_not_counted() -> None:
    work = [
        {"startDate": "2010-01", "endDate": "2010-12"},
        {"startDate": "2012-01", "endDate": "2012-12"},
    ]
    assert years(work) == 2.0


def test_open_ended_roles_count_to_today() -> None:
    assert years([{"startDate": "2024-11-27"}]) == 2.0
    # a planned end in the future counts only up to today
    assert years([{"startDate": "2024-11-27", "endDate": "2030-01"}]) == 2.0


def test_open_ended_role_overlapping_a_closed_one() -> None:
    work = [
        {"startDate": "2020-11-27", "endDate": "2023-11-26"},
        {"startDate": "2022-11-27"},
    ]
    assert years(work) == 6.0


def test_entries_without_usable_dates_are_skipped() -> None:
    work = [
        {"position": "Intern"},
        {"startDate": "not a date", "endDate": "2020"},
        {"startDate": "2021-01", "endDate": "2020-01"},  # ends before it starts
        {"startDate": "2019-01", "endDate": "2019-12"},
    ]
    assert years(work) == 1.0


def test_current_role_is_the_latest_started_ongoing_one() -> None:
    work = [
        {"name": "Hooli", "position": "Engineer", "startDate": "2015", "endDate": "2018"},
        {"name": "Pied Piper", "position": "CEO", "startDate": "2019-03"},
        {"name": "Side gig", "position": "Advisor", "startDate": "2017-01"},
    ]
    role = facts.current_role(work, TODAY)
    assert role == facts.CurrentRole(title="CEO", employer="Pied Piper")
    assert facts.current_role(work[:1], TODAY) is None


def test_skill_keywords_are_normalized_and_deduplicated() -> None:
    skills = [
        {"name": "Web Development", "keywords": ["HTML", " CSS ", "JavaScript"]},
        {"name": "Compression", "keywords": ["Mpeg", "MP4", "GIF", "html"]},
        {"keywords": ["  Node.JS  "]},
    ]
    assert facts.skill_keywords(skills) == [
        "web development",
        "html",
        "css",
        "javascript",
        "compression",
        "mpeg",
        "mp4",
        "gif",
        "node.js",
    ]
