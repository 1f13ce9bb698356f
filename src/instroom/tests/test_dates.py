"""Calendar months: the lease, support and retention periods a user reads on the pages."""

import calendar
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from instroom.dates import add_months, add_working_days, working_days_between


def test_the_end_of_a_month_stays_in_the_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)  # leap year
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 5, 15), 24) == date(2028, 5, 15)


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)), st.integers(-600, 600))
def test_months_against_a_counting_oracle(day: date, months: int) -> None:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    expected = date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
    assert add_months(day, months) == expected


def test_working_days_skip_the_weekend() -> None:
    friday = date(2026, 3, 6)
    assert add_working_days(friday, 1) == date(2026, 3, 9)  # Monday
    assert add_working_days(date(2026, 3, 2), 3) == date(2026, 3, 5)
    assert working_days_between(friday, date(2026, 3, 8)) == 0  # the weekend only
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 9)) == 5


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), st.integers(0, 60))
def test_counting_back_gives_the_working_days_added(day: date, days: int) -> None:
    later = add_working_days(day, days)
    assert working_days_between(day, later) == days
    assert later == day or later.weekday() < 5
