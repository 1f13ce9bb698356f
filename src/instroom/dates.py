"""Calendar months, the one place they are counted (python-dateutil).

Months are calendar months: 31 January + 1 month is the last day of February, as in a lease or
a support period; never 30 days."""

from datetime import date

from dateutil.relativedelta import relativedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later (negative: earlier), or the month's last day if shorter."""
    return day + relativedelta(months=months)
