"""What an owner asks to be reminded through, and what has been sent to them."""

import secrets
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

DEFAULT_DIGEST_HOUR = 8


def new_calendar_token() -> str:
    """A random secret for the calendar feed's address (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class NotificationSettings(models.Model):
    """One per owner, made on first need (the preferences page, send_reminders)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    # The digest goes out only to an account with an e-mail address (digest_by_email).
    email_digest = models.BooleanField("E-mail me a digest", default=True)
    digest_hour = models.PositiveSmallIntegerField(
        "Send it at",
        default=DEFAULT_DIGEST_HOUR,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text="The hour of day in your time zone.",
    )
    # A random token, not derived from anything: a new one makes the old address stop working.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)

    class Meta:
        verbose_name_plural = "notification settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest_hour__gte=0, digest_hour__lte=23),
                name="reminders_digest_hour_in_day",
            )
        ]

    def __str__(self) -> str:
        return f"Notification settings of {self.user}"

    @property
    def digest_by_email(self) -> bool:
        return self.email_digest and bool(self.user.email)

    def renew_calendar_token(self) -> None:
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])


class PushURLQuerySet(models.QuerySet["PushURL"]):
    def for_owner(self, user: Any) -> "PushURLQuerySet":
        return self.filter(user=user)


class PushURL(models.Model):
    """An Apprise notification URL. It holds the service's credentials, so it is shown only
    with Apprise's privacy mask and never logged."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_urls"
    )
    url = models.CharField("Notification URL", max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PushURLQuerySet.as_manager()

    class Meta:
        # The preferences page's list and the digest's channels, in the order they were added.
        indexes = [models.Index(fields=["user", "created_at"], name="reminders_push_user_idx")]
        constraints = [
            models.UniqueConstraint(fields=["user", "url"], name="reminders_push_url_once")
        ]

    def __str__(self) -> str:
        return f"Push URL of {self.user}"


class Digest(models.Model):
    """The one message of an owner's day (their local date), with the items it lists. A day
    with nothing new has a digest with no items: the day is decided, and nothing is sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField()
    items = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Never twice: one digest per owner and local day, whatever runs at once.
            models.UniqueConstraint(fields=["user", "day"], name="reminders_digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"Digest of {self.user} for {self.day}"


class Delivery(models.Model):
    """A digest sent through one channel ("email", or "push:<id>"); a channel without one is
    tried again on the next run."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=40)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "channel"], name="reminders_delivery_once_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} of {self.digest}"


class NotifiedItem(models.Model):
    """An item a digest listed, by its key ("maintenance:<uuid>"): listed again only when its
    status changes, or a week later while it stays overdue. Forgotten once it needs no
    attention, so that it is news again when it next does."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notified_items"
    )
    key = models.CharField(max_length=100)
    status = models.CharField(max_length=20)
    day = models.DateField(help_text="The owner's local date of the digest that last listed it.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="reminders_notified_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status}) for {self.user}"
