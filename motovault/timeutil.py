import datetime

from django.utils import timezone


def seconds_until_midnight() -> int:
    """Seconds left in today, local time: the lifetime of anything that says "today"."""
    now = timezone.localtime()
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time.min, tzinfo=now.tzinfo
    )
    return max(1, int((midnight - now).total_seconds()))
