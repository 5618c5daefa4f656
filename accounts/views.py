from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts import timezones
from accounts.forms import DeleteAccountForm, EmailChangeForm, PreferencesForm, SignupForm
from accounts.models import Preferences
from accounts.services import delete_account
from fuellogs.cache import invalidate_vehicle_stats
from vehicles.cache import invalidate_owner_caches


@login_not_required
def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to MotoVault, {user.username}.")
        return redirect("dashboard")
    return render(request, "registration/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def account(request):
    """The account page: the time zone, and the ways to change or delete the account."""
    saved, _ = Preferences.objects.get_or_create(user=request.user)
    form = PreferencesForm(request.POST or None, instance=saved)
    if request.method == "POST" and form.is_valid():
        form.save()
        timezones.remember(request, saved.time_zone)
        # What was cached for this owner counted days and months from their old "today".
        invalidate_owner_caches(request.user.pk)
        invalidate_vehicle_stats(*request.user.vehicles.values_list("pk", flat=True))
        messages.success(request, "Saved your time zone.")
        return redirect("account")
    return render(request, "accounts/account.html", {"form": form})


@require_http_methods(["GET", "POST"])
def change_email(request):
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


@require_http_methods(["GET", "POST"])
def delete(request):
    form = DeleteAccountForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        username = request.user.get_username()
        delete_account(request.user)
        logout(request)
        messages.success(request, f"The account {username} and everything in it are deleted.")
        return redirect("login")
    return render(request, "accounts/delete.html", {"form": form})
