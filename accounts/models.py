from django.conf import settings
from django.db import models

from motovault import l10n, units


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
    # Sign-up takes these from the browser's language (accounts.regional); owners from before
    # they existed read as MotoVault always did: en-US, dollars, MPG.
    # db_default: code that predates the fields (a rolling deploy) still inserts rows.
    locale = models.CharField(
        max_length=35,
        default=l10n.DEFAULT.locale,
        db_default=l10n.DEFAULT.locale,
        help_text="A BCP 47 tag (en-US, de-DE): separators and date style everywhere.",
    )
    currency = models.CharField(
        max_length=3,
        default=l10n.DEFAULT.currency,
        db_default=l10n.DEFAULT.currency,
        help_text="An ISO 4217 code (USD, EUR): every amount is in it.",
    )
    economy_unit = models.CharField(
        "economy shown as",
        max_length=8,
        choices=units.EconomyUnit.choices,
        default=l10n.DEFAULT.economy_unit,
        db_default=l10n.DEFAULT.economy_unit,
    )
    electric_economy_unit = models.CharField(
        "electric economy shown as",
        max_length=9,
        choices=units.ElectricEconomyUnit.choices,
        default=l10n.DEFAULT.electric_economy_unit,
        db_default=l10n.DEFAULT.electric_economy_unit,
    )

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"Preferences of {self.user}"

    @property
    def regional(self) -> l10n.Regional:
        return l10n.Regional(
            locale=self.locale,
            currency=self.currency,
            economy_unit=self.economy_unit,
            electric_economy_unit=self.electric_economy_unit,
        )
