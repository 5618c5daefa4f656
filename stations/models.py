import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Self

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from motovault.ownership import OwnedQuerySet
from motovault.text import MAX_TEXT_LENGTH, MultiLineField, SingleLineField

if TYPE_CHECKING:
    from stations.places import Place

# How many stored stations a search answers with when no provider can be asked.
LOCAL_RESULTS_LIMIT = 20
# The columns that hold a station's identity at a provider (Google Places, OpenStreetMap).
IdentityColumn = Literal["google_place_id", "osm_id"]
# Fields a provider's search refreshes on a stored station.
PLACE_FIELDS = ("name", "address", "latitude", "longitude", "phone", "website")


def name_key(name: str) -> str:
    """What two names that name one station share: " Shell  main st" and "shell Main St"."""
    return " ".join(name.split()).casefold()


class StationQuerySet(models.QuerySet["Station"]):
    def visible_to(self, user: User) -> Self:
        """The shared stations and the user's own: never another owner's private station."""
        return self.filter(Q(owner__isnull=True) | Q(owner=user))

    def with_favorite_of(self, user: User) -> Self:
        """Each station with `favorite_id`, the id of `user`'s saved entry for it (None if they
        have not saved it): a search page's stations and their "Saved" marks in one query."""
        saved = FavoriteStation.objects.filter(user=user, station=OuterRef("pk"))
        # Unordered: the default order (by the station's name) would join the stations again.
        return self.annotate(favorite_id=Subquery(saved.order_by().values("pk")[:1]))

    def in_order(self, ids: Sequence[object]) -> list["Station"]:
        """The stations with these ids, in the order given; ids no longer stored are skipped."""
        by_id = {str(station.pk): station for station in self.filter(pk__in=ids).order_by()}
        return [by_id[str(pk)] for pk in ids if str(pk) in by_id]

    def upsert_places(
        self, places: Sequence["Place"], column: IdentityColumn = "google_place_id"
    ) -> list["Station"]:
        """Store a provider's results by their identity there (`column`: Google's place id, or
        OpenStreetMap's `node/123`): new places are inserted, changed ones updated, unchanged
        ones left alone. Returns the stations in the order of `places`.

        Three queries at most (one SELECT, one INSERT, one UPDATE), in one transaction. If
        another request inserted the same new place in between, the unique constraint stops
        us and the second attempt finds that row and updates it instead."""
        unique = list({place.place_id: place for place in places}.values())
        try:
            with transaction.atomic():
                stations = self._upsert(unique, column)
        except IntegrityError:
            with transaction.atomic():
                stations = self._upsert(unique, column)
        by_place_id = {getattr(station, column): station for station in stations}
        return [by_place_id[place.place_id] for place in places]

    # `self` as the plain StationQuerySet: django-stubs types its methods over any subtype of
    # Station, and the rows this builds are Stations.
    def _upsert(
        self: "StationQuerySet", places: Sequence["Place"], column: IdentityColumn
    ) -> list["Station"]:
        existing = {
            getattr(station, column): station
            for station in self.filter(**{f"{column}__in": [p.place_id for p in places]})
        }
        now = timezone.now()
        to_create: list[Station] = []
        to_update: list[Station] = []
        stations: list[Station] = []
        for place in places:
            values = {field: getattr(place, field) for field in PLACE_FIELDS}
            station = existing.get(place.place_id)
            if station is None:
                station = Station(**{column: place.place_id}, **values)
                to_create.append(station)
            elif any(getattr(station, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(station, field, value)
                station.updated_at = now
                to_update.append(station)
            stations.append(station)
        if to_create:
            self.bulk_create(to_create)
        if to_update:
            self.bulk_update(to_update, [*PLACE_FIELDS, "updated_at"])
        return stations


class Station(models.Model):
    """A gas station. Shared by every user when found through Google Places or OpenStreetMap,
    or added by an admin (no owner); private to its owner when they added it by hand or named it
    on a fill-up (stations.linking): only they see it, and only they may change it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_stations",
        help_text="Empty for a shared station; set, only this user sees it.",
    )
    # Null for stations an admin adds by hand; unique among those that came from Google.
    google_place_id = SingleLineField(
        "Google place ID", max_length=255, unique=True, null=True, blank=True
    )
    # Null unless the station came from OpenStreetMap: its element, e.g. "node/123" or
    # "way/456", which stays the same when its tags change.
    osm_id = SingleLineField("OpenStreetMap ID", max_length=40, unique=True, null=True, blank=True)
    name = SingleLineField(max_length=200)
    # name_key(name), for an owner's own station: the unique constraint compares what the app
    # compares. SQL's LOWER() folds some letters otherwise (PostgreSQL's "İ", SQLite's "Ö"), so
    # a constraint on it would refuse names the app tells apart, or allow names it does not.
    # Folding can lengthen a name ("ß" is "ss"), three times at most.
    name_key = models.CharField(max_length=600, blank=True, default="", editable=False)
    address = MultiLineField(blank=True)
    latitude = models.DecimalField(
        max_digits=10,
        decimal_places=8,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        max_digits=11,
        decimal_places=8,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    phone = SingleLineField(max_length=20, blank=True)
    website = models.URLField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        db_table = "stations"
        ordering = ["name", "address"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="station_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="station_longitude_in_range",
            ),
            # A map link needs both coordinates; one alone is a data-entry mistake.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="station_coordinates_both_or_neither",
            ),
            # An address as long as any, not a megabyte from a forged post or a broken answer.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("address"), MAX_TEXT_LENGTH),
                name="station_address_length",
                violation_error_message=f"Keep the address to {MAX_TEXT_LENGTH:,} characters.",
            ),
            # A fill-up names its station by name (stations.linking), so an owner's own
            # stations differ in name; its index also serves the owner's look-ups.
            models.UniqueConstraint(
                fields=["owner", "name_key"],
                condition=Q(owner__isnull=False),
                name="unique_owner_station_name",
                violation_error_message="You already have a station of this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key(self.name) if self.owner_id else ""
        if (fields := kwargs.get("update_fields")) is not None and "name" in fields:
            kwargs["update_fields"] = {*fields, "name_key"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            # Shown beside the coordinate that is missing.
            missing = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({missing: "Enter both latitude and longitude, or neither."})

    @property
    def map_url(self) -> str:
        """An OpenStreetMap link centered on the station, or "" without coordinates."""
        if self.latitude is None or self.longitude is None:
            return ""
        lat, lon = self.latitude.normalize(), self.longitude.normalize()
        return f"https://www.openstreetmap.org/?mlat={lat:f}&mlon={lon:f}#map=17/{lat:f}/{lon:f}"


class FavoriteStationQuerySet(OwnedQuerySet["FavoriteStation"]):
    def for_owner(self, user: User) -> Self:
        """The user's saved stations: what every owner-facing page may show."""
        return self.filter(user=user)


class FavoriteStation(models.Model):
    """A station an owner saved, with an optional note (beyond the spec; per user): "your
    stations". Each private station is its owner's favorite, from its creation to its deletion."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorite_stations"
    )
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="favorites")
    note = SingleLineField(
        max_length=200, blank=True, help_text="Optional, e.g. “cheapest diesel in town”."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FavoriteStationQuerySet.as_manager()

    class Meta:
        db_table = "favorite_stations"
        ordering = ["station__name", "station__address"]
        constraints = [
            # Saving twice is one favorite; its index also serves for_owner(user).
            models.UniqueConstraint(fields=["user", "station"], name="unique_user_favorite"),
        ]

    def __str__(self) -> str:
        return f"{self.station} (saved by {self.user})"

    @property
    def is_own(self) -> bool:
        """The station is the owner's own (private): they may change it, and removing it from
        their stations deletes it."""
        return self.station.owner_id == self.user_id

    def remove(self) -> None:
        """Take the station out of the owner's stations: their own is deleted (no one else has
        it; fill-ups that named it keep the name), a shared one stays for everyone else."""
        if self.is_own:
            self.station.delete()
        else:
            self.delete()
