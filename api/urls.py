"""/api/v1/. The API answers for itself who may call it (api.auth: 401 in JSON, never the
sign-in page's redirect), so its routes are exempt from the site's LoginRequiredMiddleware; its
description and documentation are public, as they hold no owner's data."""

from django.urls import URLPattern, URLResolver

from api.v1 import api


def _answering_for_themselves(
    patterns: list[URLPattern | URLResolver],
) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _answering_for_themselves(pattern.url_patterns)
        else:
            # What django.contrib.auth.decorators.login_not_required sets.
            pattern.callback.login_required = False  # type: ignore[attr-defined]
    return patterns


patterns, app_name, _namespace = api.urls
urlpatterns = _answering_for_themselves(patterns)
