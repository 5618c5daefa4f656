from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User

from reminders import push
from reminders.models import NotificationSettings, PushURL

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class DigestForm(forms.ModelForm):
    digest_hour = forms.TypedChoiceField(
        label="Send it at",
        choices=HOURS,
        coerce=int,
        help_text="The hour of day, in your time zone.",
    )

    class Meta:
        model = NotificationSettings
        fields = ["email_digest", "digest_hour"]


class PushURLForm(forms.ModelForm):
    class Meta:
        model = PushURL
        fields = ["url"]
        widgets = {"url": forms.TextInput(attrs={"placeholder": "ntfy://ntfy.example.com/car"})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["url"].help_text = (
            "An Apprise URL: ntfy, Gotify, Pushover, Telegram, Discord, Matrix, Slack, webhooks "
            "and more. "
            + (
                "Addresses on private networks are allowed on this server."
                if settings.NOTIFY_ALLOW_PRIVATE_ADDRESSES
                else "Loopback, link-local and private network addresses are refused."
            )
        )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        try:
            push.parse(url)
        except push.PushError as error:
            raise forms.ValidationError(str(error)) from None
        if PushURL.objects.for_owner(self.user).filter(url=url).exists():
            raise forms.ValidationError("You have added this URL already.")
        return url

    def save(self, commit: bool = True) -> PushURL:
        self.instance.user = self.user
        return super().save(commit)
