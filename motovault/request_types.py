"""Request types for type checking, which Django's HttpRequest leaves too wide."""

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthenticatedHttpRequest(HttpRequest):
    """A request to a view behind LoginRequiredMiddleware: its user has signed in. Only an
    annotation; Django never builds one."""

    user: User
