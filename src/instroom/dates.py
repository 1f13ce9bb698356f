"""Calendar months, the one place they are counted (python-dateutil), and the local day of a
moment.

Months are calendar months: 31 January + 1 month is the last day of February, as in a lease or
a support period; never 30 days."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later (negative: earlier), or the month's last day if shorter."""
    return day + relativedelta(months=months)


def local_date(moment: datetime | str) -> date:
    """The calendar day in the site's time zone (Europe/Amsterdam) of a moment: an aware
    datetime, or a naive one or text as the database keeps it (UTC, as Django stores them)."""
    from django.conf import settings

    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def days_since(moment: datetime, today: date) -> int:
    """Whole calendar days from `moment` (its day in the site's time zone) to `today`: what a
    page shows as "days waiting", never a duration in minutes; 0 on the day itself."""
    return max((today - local_date(moment)).days, 0)


def add_working_days(day: date, days: int) -> date:
    """The working day (Monday to Friday) `days` working days after `day`."""
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days (Monday to Friday) after `start` up to and including `end`; 0 if none."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    return count
