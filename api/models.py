import hashlib
import secrets
from datetime import timedelta
from typing import Self

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.db.models import Q
from django.utils import timezone

from motovault.ownership import OwnedQuerySet
from motovault.text import SingleLineField

# Every secret starts with this, so a leaked one is recognizable (secret scanners, logs).
SECRET_PREFIX = "mvt_"
# How often last_used_at is written at most: a script polling every second costs one UPDATE a
# minute, not one per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    """The stored form of a secret. A plain SHA-256 suffices: the secret is 256 random bits, so
    nothing short of the secret itself finds it (a password needs a slow hash; this does not)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(OwnedQuerySet["ApiToken"]):
    def for_owner(self, user: User) -> Self:
        """The owner's tokens that still work."""
        return self.filter(user=user, revoked_at__isnull=True)

    def by_secret(self, secret: str) -> "ApiToken | None":
        """The working token with this secret, with its owner (one query on api_token_hash);
        None for a wrong or revoked one, or an owner who may no longer sign in."""
        if not secret.startswith(SECRET_PREFIX):
            return None
        return (
            self.select_related("user")
            .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
            .first()
        )


class ApiToken(models.Model):
    """A personal access token: a name the owner gave it, read-only or read-write, and the
    hash of its secret. The secret itself is shown once, when the token is made, and never
    stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = SingleLineField(max_length=100, help_text="E.g. “Home Assistant”, “iPhone shortcut”.")
    read_only = models.BooleanField(
        default=True, help_text="A read-only token can read everything, and change nothing."
    )
    # The first characters of the secret, so the owner can tell which token a script holds.
    prefix = models.CharField(max_length=16, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        db_table = "api_tokens"
        ordering = ["-created_at"]
        constraints = [
            # The secret's hash is unique by construction; the constraint's index serves every
            # API request's look-up (by_secret).
            models.UniqueConstraint(fields=["secret_hash"], name="api_token_hash"),
        ]
        indexes = [
            # The account page's list: the owner's working tokens.
            models.Index(
                fields=["user", "-created_at"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_owner_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str, *, read_only: bool) -> tuple["ApiToken", str]:
        """Make a token for `user` and return it with its secret, which exists only here."""
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            read_only=read_only,
            prefix=secret[: len(SECRET_PREFIX) + 6],
            secret_hash=hash_secret(secret),
        )
        return token, secret

    def mark_used(self) -> None:
        """Record that the token was used now, unless that was recorded less than
        LAST_USED_RESOLUTION ago (then nothing is written)."""
        now = timezone.now()
        if self.last_used_at is not None and now - self.last_used_at < LAST_USED_RESOLUTION:
            return
        self.last_used_at = now
        self.save(update_fields=["last_used_at"])

    def revoke(self) -> None:
        """The token stops working at once; it stays, revoked, out of the owner's list."""
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
