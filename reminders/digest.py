"""The daily digest: which items are news, the message, and sending it once per owner and day.

`send_due_digests` is what `manage.py send_reminders` runs every 15 minutes. For each owner, the
first run at or after their chosen hour (in their time zone) decides the day's digest: items
that became due soon or overdue since the last one, and overdue items last listed a week ago or
more. The decision (Digest, NotifiedItem) and each delivery (Delivery) are stored, under the
owner's row lock, so two runs at once, or one run twice, send each message once; a channel that
failed is tried again on the next run, and one owner's failure never stops the others."""

import datetime
import email.policy
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Preferences
from reminders import push
from reminders.items import OVERDUE, RECALL, Item, absolute, items_for, owner_context
from reminders.models import Delivery, Digest, NotificationSettings, NotifiedItem, PushURL

logger = logging.getLogger(__name__)

REPEAT_OVERDUE_DAYS = 7
EMAIL = "email"
UNSUBSCRIBE_SALT = "reminders.unsubscribe"


def is_news(item: Item, last: NotifiedItem | None, today: datetime.date) -> bool:
    """Whether a digest on `today` lists `item`, given when it was last listed."""
    if last is None or last.status != item.status:
        return True
    return item.status == OVERDUE and (today - last.day).days >= REPEAT_OVERDUE_DAYS


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_user_id(token: str) -> int | None:
    """The owner a signed unsubscribe token names, or None for a tampered or foreign one."""
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user_id = value.get("user") if isinstance(value, dict) else None
    return user_id if isinstance(user_id, int) else None


def subject(items: list[Item]) -> str:
    overdue = sum(item.status == OVERDUE for item in items)
    recalls = sum(item.status == RECALL for item in items)
    count = len(items) - recalls
    noun = "reminder" if count == 1 else "reminders"
    parts = [f"{count} maintenance {noun}"] if count else []
    if overdue:
        parts[-1] += f", {overdue} overdue"
    if recalls:
        parts.append(f"{recalls} safety recall{'' if recalls == 1 else 's'}")
    return "MotoVault: " + " and ".join(parts)


def text_body(items: list[Item]) -> str:
    return "\n".join(
        f"- {item.title} · {item.vehicle_name}: {item.reason}\n  {item.url}" for item in items
    )


class DigestEmail(EmailMultiAlternatives):
    def message(self, *, policy: Any = email.policy.default) -> Any:
        # RFC 8058's List-Unsubscribe must stay a literal <https://…>: the default 78-character
        # lines fold a long unbreakable address into RFC 2047 encoded words, which mail clients
        # do not read as a link. 998 is the limit RFC 5322 sets.
        return super().message(policy=policy.clone(max_line_length=998))


def email_message(user: User, items: list[Item]) -> EmailMultiAlternatives:
    unsubscribe = absolute(
        reverse("reminders:unsubscribe", kwargs={"token": unsubscribe_token(user)})
    )
    context = {
        "user": user,
        "items": items,
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute(reverse("reminders:preferences")),
    }
    message = DigestEmail(
        subject=subject(items),
        body=render_to_string("reminders/digest_email.txt", context),
        to=[user.email],
        headers={
            # RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the link.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(
        render_to_string("reminders/digest_email.html", context), "text/html"
    )
    return message


@dataclass
class Outcome:
    """What one owner's turn did, for the command's report."""

    username: str
    items: list[Item] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def channels(prefs: NotificationSettings) -> dict[str, Callable[[list[Item]], object]]:
    """The owner's channels by name, each a function that delivers a digest or raises."""
    user = prefs.user
    found: dict[str, Callable[[list[Item]], object]] = {}
    if prefs.digest_by_email:
        found[EMAIL] = lambda items: email_message(user, items).send()
    for push_url in PushURL.objects.for_owner(user).order_by("created_at"):
        found[f"push:{push_url.pk}"] = _push_sender(push_url.url)
    return found


def _push_sender(url: str) -> Callable[[list[Item]], object]:
    def deliver(items: list[Item]) -> None:
        push.send(url, title=subject(items), body=text_body(items))

    return deliver


def ensure_settings() -> None:
    """Every active owner has notification settings (the defaults), so each has a row to lock."""
    missing = User.objects.filter(is_active=True, notification_settings__isnull=True)
    NotificationSettings.objects.bulk_create(
        [NotificationSettings(user=user) for user in missing.only("pk")], ignore_conflicts=True
    )


def send_due_digests(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> list[Outcome]:
    """One turn for every active owner whose hour has come; what each sent (or would send)."""
    now = now or timezone.now()
    if not dry_run:
        ensure_settings()
    outcomes = []
    for user_id in User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True):
        try:
            outcome = owner_turn(user_id, now=now, dry_run=dry_run)
        except Exception:
            # Never one owner's trouble for everybody: logged (no URL, no address), retried.
            logger.exception("Reminders for owner %s failed; retried on the next run", user_id)
            continue
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def owner_turn(user_id: int, *, now: datetime.datetime, dry_run: bool) -> Outcome | None:
    """Decide and send one owner's digest for their local day, under their row lock; None when
    it is not their hour yet, another run holds them, or nothing is left to send."""
    with transaction.atomic():
        locked = NotificationSettings.objects.select_for_update(skip_locked=True, of=("self",))
        prefs = locked.select_related("user").filter(pk=user_id).first()
        if prefs is None:
            # Another run is on this owner (or, in a dry run, none was ever made).
            if not dry_run:
                return None
            prefs = NotificationSettings(user=User.objects.get(pk=user_id))
        preferences = Preferences.objects.filter(user_id=user_id).first()
        with owner_context(preferences) as zone:
            local_now = now.astimezone(zone)
            if local_now.hour < prefs.digest_hour:
                return None
            today = local_now.date()
            pending = channels(prefs)
            if not pending:
                return None
            digest = Digest.objects.filter(user_id=user_id, day=today).first()
            if digest is None:
                everything = items_for(prefs.user)
                items = news(prefs.user, everything, today)
                if not dry_run:
                    digest = record_digest(prefs.user, today, items, everything)
            else:
                items = [Item(**entry) for entry in digest.items]
                done = set(digest.deliveries.values_list("channel", flat=True))
                pending = {name: send for name, send in pending.items() if name not in done}
            if not items or not pending:
                return None
            outcome = Outcome(prefs.user.get_username(), items)
            for name, deliver in pending.items():
                if dry_run or digest is None:
                    outcome.sent.append(name)
                    continue
                try:
                    deliver(items)
                except Exception as error:
                    logger.warning(
                        "The %s reminder of owner %s failed (%s); retried on the next run",
                        name.split(":")[0],
                        user_id,
                        type(error).__name__,
                    )
                    outcome.failed.append(name)
                    continue
                Delivery.objects.create(digest=digest, channel=name)
                outcome.sent.append(name)
            return outcome


def news(user: User, everything: list[Item], today: datetime.date) -> list[Item]:
    """The items of `everything` that a digest on `today` lists."""
    known = {entry.key: entry for entry in NotifiedItem.objects.filter(user=user)}
    return [item for item in everything if is_news(item, known.get(item.key), today)]


def record_digest(
    user: User, today: datetime.date, items: list[Item], everything: list[Item]
) -> Digest:
    """Store the day's decision: the digest, what it lists, and that each item was listed;
    items that need no attention any more are forgotten."""
    digest = Digest.objects.create(user=user, day=today, items=[item.as_dict() for item in items])
    NotifiedItem.objects.filter(user=user).exclude(key__in=[i.key for i in everything]).delete()
    NotifiedItem.objects.bulk_create(
        [NotifiedItem(user=user, key=item.key, status=item.status, day=today) for item in items],
        update_conflicts=True,
        unique_fields=["user", "key"],
        update_fields=["status", "day"],
    )
    return digest


def describe(outcome: Outcome) -> str:
    """One line per owner for the command's output."""
    parts = [f"{outcome.username}: {len(outcome.items)} item(s)"]
    if outcome.sent:
        parts.append("via " + ", ".join(channel_label(name) for name in outcome.sent))
    if outcome.failed:
        parts.append("failed: " + ", ".join(channel_label(name) for name in outcome.failed))
    return "; ".join(parts)


def channel_label(name: str) -> str:
    return "e-mail" if name == EMAIL else f"push URL #{name.split(':', 1)[1]}"


def summary_lines(outcome: Outcome) -> list[str]:
    return [describe(outcome)] + [
        f"  - {item.title} · {item.vehicle_name}: {item.reason}" for item in outcome.items
    ]
