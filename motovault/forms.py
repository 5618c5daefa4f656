from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.forms.renderers import TemplatesSetting

from motovault.models import Preferences
from motovault.timezones import zone_names


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs):
        site_default = ("", f"The server's time zone ({settings.TIME_ZONE})")
        choices = [site_default, *((name, name.replace("_", " ")) for name in zone_names())]
        super().__init__(choices=choices, required=False, **kwargs)


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        required=False, help_text="Optional. Only used to reset a forgotten password."
    )
    # Filled in by static/js/app.js with the browser's time zone; empty without JavaScript.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_time_zone(self) -> str:
        # Nobody can correct a hidden field: a zone this server does not know means its own.
        name = self.cleaned_data["time_zone"]
        return name if name in zone_names() else ""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            Preferences.objects.create(user=user, time_zone=self.cleaned_data["time_zone"])
        return user


class PreferencesForm(forms.ModelForm):
    time_zone = TimeZoneField(
        label="Your time zone",
        help_text="Decides what “today” is: the latest date a fill-up may have, what is due "
        "in how many days, and this month's spending.",
    )

    class Meta:
        model = Preferences
        fields = ["time_zone"]
