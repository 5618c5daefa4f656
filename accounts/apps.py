from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from accounts.session_preferences import load_on_sign_in

        user_logged_in.connect(load_on_sign_in, dispatch_uid="motovault-preferences")
