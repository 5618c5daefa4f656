from django import forms

from api.models import ApiToken


class TokenForm(forms.ModelForm):
    """A new token: its name, and whether it may change anything."""

    read_only = forms.TypedChoiceField(
        label="Access",
        choices=[
            ("true", "Read-only: it can read everything and change nothing"),
            ("false", "Read and write: it can also add, change and delete"),
        ],
        coerce=lambda value: value == "true",
        initial="true",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ApiToken
        fields = ["name", "read_only"]
