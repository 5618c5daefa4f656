import math
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction

from motovault.forms import LocalizedDecimalField
from motovault.text import SingleLineFormField
from stations.models import FavoriteStation, Station, name_key
from stations.places import Near

# A coordinate's precision as stored (Station.latitude): 8 decimals, about a millimeter.
COORDINATE_STEP = Decimal("1e-8")


class StationSearchForm(forms.Form):
    # Optional with a location: "Search near me" alone asks for the fuel stations around.
    q = SingleLineFormField(
        label="Search for gas stations",
        max_length=200,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "e.g. Shell, a street, or a town"}
        ),
    )
    # Filled by static/js/stations.js when the owner agrees to share their location.
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lng = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # The browser fills these, not the owner: a bad value means "no location", not an error.
        data["near"] = _near(data.get("lat"), data.get("lng"))
        if "q" in data and not data["q"] and data["near"] is None:
            self.add_error("q", "Enter a station name, brand or place to search for.")
        return data


def _near(lat: str | None, lng: str | None) -> Near | None:
    if not lat or not lng:
        return None
    try:
        latitude, longitude = float(lat), float(lng)
    except ValueError:
        return None
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return Near(latitude, longitude)


class FavoriteNoteForm(forms.ModelForm):
    class Meta:
        model = FavoriteStation
        fields = ["note"]


class CoordinateField(LocalizedDecimalField):
    """Decimal degrees within ±`limit`, as a map shows them; decimals beyond what is stored are
    rounded off rather than refused."""

    def __init__(self, *, limit: int, **kwargs: Any) -> None:
        message = f"Enter a number between -{limit} and {limit}, in decimal degrees."
        self.limit = limit
        super().__init__(
            required=False,
            validators=[MinValueValidator(-limit, message), MaxValueValidator(limit, message)],
            **kwargs,
        )

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        parsed = super().to_python(value)
        if parsed is None or abs(parsed) > self.limit:
            return parsed  # refused by the validators (and too large to round)
        return parsed.quantize(COORDINATE_STEP)


class StationForm(forms.ModelForm):
    """An owner's own station, added by hand or edited, with their note (kept on their
    FavoriteStation). Save with save_for()."""

    latitude = CoordinateField(limit=90, help_text="Optional, e.g. 39.7990175.")
    longitude = CoordinateField(limit=180, help_text="Optional, e.g. -89.6439575.")
    note = SingleLineFormField(
        max_length=200, required=False, help_text="Optional, e.g. “cheapest diesel in town”."
    )

    class Meta:
        model = Station
        fields = ["name", "address", "latitude", "longitude"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"name": "As you will type it on a fill-up, e.g. “Shell Main St”."}

    def __init__(
        self, *args: Any, user: User, favorite: FavoriteStation | None = None, **kwargs: Any
    ) -> None:
        """A new station of `user`'s, or the one of their `favorite` (their own station)."""
        station = favorite.station if favorite is not None else Station(owner=user)
        kwargs["instance"] = station
        super().__init__(*args, **kwargs)
        self.user = user
        self.favorite = favorite
        if favorite is not None:
            self.fields["note"].initial = favorite.note

    def clean_name(self) -> str:
        """The name with single spaces; unlike the owner's other stations' names, spaces and
        case aside, since a fill-up names its station by name (stations.linking)."""
        name = " ".join(self.cleaned_data["name"].split())
        others = Station.objects.filter(owner=self.user).exclude(pk=self.instance.pk)
        if others.filter(name_key=name_key(name)).exists():
            raise forms.ValidationError("You already have a station of this name.")
        return name

    def save_for(self) -> FavoriteStation:
        """Save the station and the owner's favorite of it, with the note."""
        with transaction.atomic():
            station = self.save()
            favorite = self.favorite or FavoriteStation(user=self.user, station=station)
            favorite.note = self.cleaned_data["note"]
            favorite.save()
        return favorite
