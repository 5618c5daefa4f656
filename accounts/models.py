from django.conf import settings
from django.db import models


class Preferences(models.Model):
    """What an owner sets once for every page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preferences",
    )
    # An IANA name ("Europe/Berlin"); empty means the site's TIME_ZONE. It decides what "today"
    # is: the newest date a fill-up may have, "due in 9 days", this month's spending.
    time_zone = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"Preferences of {self.user}"
