import math
from typing import Any

from django import forms

from motovault.text import SingleLineFormField
from stations.models import FavoriteStation
from stations.places import Near


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
