from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import regional, session_preferences
from accounts.forms import EmailChangeForm, PreferencesForm, SignInForm, SignupForm
from accounts.models import Preferences
from motovault.navigation import next_url
from motovault.request_types import AuthenticatedHttpRequest


class NextOnThisSite(auth_views.RedirectURLMixin):
    """For Django's sign-in and sign-out views: go on to `next` only when it is a path on this
    site, by the check every view uses. Django's own accepts a bare word ("evil"), which the
    browser reads relative to /accounts/login/, and percent-encoded slashes."""

    request: HttpRequest

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        # Also what the sign-in page's hidden `next` field carries; "" means the default page.
        return next_url(request or self.request) or ""


class SignInView(NextOnThisSite, auth_views.LoginView):
    authentication_form = SignInForm


class SignOutView(NextOnThisSite, auth_views.LogoutView):
    pass


@login_not_required
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(
        request.POST or None, accept_language=request.headers.get("Accept-Language", "")
    )
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to MotoVault, {user.username}.")
        return redirect("dashboard")
    return render(request, "registration/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account page: the owner's preferences, and the ways to change or delete the
    account."""
    saved, _ = Preferences.objects.get_or_create(user=request.user)
    # What the saved preferences look like, before a posted form changes the instance.
    example = regional.example(saved.regional, timezone.localdate())
    form = PreferencesForm(request.POST or None, instance=saved)
    if request.method == "POST" and form.is_valid():
        form.save()
        # Cached statistics and due dates record the day they were computed for, so the new
        # "today" makes them stale by itself.
        session_preferences.remember(request, saved)
        messages.success(request, "Saved your preferences.")
        return redirect("account")
    return render(request, "accounts/account.html", {"form": form, "example": example})


@require_http_methods(["GET", "POST"])
def change_email(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        request.user.email = form.cleaned_data["email"]
        request.user.save(update_fields=["email"])
        if request.user.email:
            messages.success(request, f"Your email address is now {request.user.email}.")
        else:
            messages.success(request, "Your account has no email address now.")
        return redirect("account")
    return render(request, "accounts/change_email.html", {"form": form})
