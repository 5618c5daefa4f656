from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Preferences
from motovault.replica import replica_view
from motovault.request_types import AuthenticatedHttpRequest
from reminders import calendar, push
from reminders.digest import unsubscribe_user_id
from reminders.forms import DigestForm, PushURLForm
from reminders.items import absolute, owner_context
from reminders.models import NotificationSettings, PushURL


def _settings_of(user: User) -> NotificationSettings:
    found, _ = NotificationSettings.objects.get_or_create(user=user)
    return found


def _page(
    request: AuthenticatedHttpRequest,
    notification_settings: NotificationSettings,
    *,
    digest_form: DigestForm | None = None,
    push_form: PushURLForm | None = None,
    status: int = 200,
) -> HttpResponse:
    push_urls = [
        (push_url, push.masked(push_url.url))
        for push_url in PushURL.objects.for_owner(request.user).order_by("created_at")
    ]
    feed = reverse("reminders:calendar", kwargs={"token": notification_settings.calendar_token})
    return render(
        request,
        "reminders/preferences.html",
        {
            "digest_form": digest_form or DigestForm(instance=notification_settings),
            "push_form": push_form or PushURLForm(user=request.user),
            "push_urls": push_urls,
            "feed_url": absolute(feed),
            "has_email": bool(request.user.email),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The owner's notification preferences: the e-mail digest, push URLs, the calendar."""
    notification_settings = _settings_of(request.user)
    form = DigestForm(request.POST or None, instance=notification_settings)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Saved your e-mail digest preferences.")
            return redirect("reminders:preferences")
        return _page(request, notification_settings, digest_form=form, status=400)
    return _page(request, notification_settings, digest_form=form)


@require_POST
def add_push(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PushURLForm(request.POST, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Added the notification URL. Send a test to check it.")
        return redirect("reminders:preferences")
    return _page(request, _settings_of(request.user), push_form=form, status=400)


@require_POST
def test_push(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    push_url = get_object_or_404(PushURL.objects.for_owner(request.user), pk=pk)
    try:
        push.send(
            push_url.url,
            title="MotoVault test",
            body="This is a test from MotoVault: your reminders will arrive here.",
        )
    except push.PushError as error:
        messages.error(request, f"The test did not arrive. {error}")
    else:
        messages.success(request, f"Sent a test to {push.masked(push_url.url)}.")
    return redirect("reminders:preferences")


@require_http_methods(["GET", "POST"])
def delete_push(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    push_url = get_object_or_404(PushURL.objects.for_owner(request.user), pk=pk)
    if request.method == "POST":
        push_url.delete()
        messages.success(request, "Removed the notification URL.")
        return redirect("reminders:preferences")
    return render(
        request,
        "reminders/delete_push.html",
        {"push_url": push_url, "masked": push.masked(push_url.url)},
    )


@require_POST
def renew_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    _settings_of(request.user).renew_calendar_token()
    messages.success(
        request, "Made a new calendar address. The old one no longer works: subscribe again."
    )
    return redirect("reminders:preferences")


@login_not_required
@require_safe
@replica_view
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The owner's maintenance as iCalendar, for calendar apps: no sign-in, the secret token in
    the address."""
    if wait := calendar.rate_limited(token):
        response = HttpResponse("Too many requests for this calendar.", status=429)
        response["Retry-After"] = str(wait)
        return response
    found = (
        NotificationSettings.objects.select_related("user", "user__preferences")
        .filter(calendar_token=token, user__is_active=True)
        .first()
    )
    if found is None:
        raise Http404("No such calendar.")
    preferences: Preferences | None = getattr(found.user, "preferences", None)
    with owner_context(preferences):
        body = calendar.feed_for(found.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_not_required
@csrf_exempt  # RFC 8058: mail clients POST without a form of ours; the signed token is the proof.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop the e-mail digest from a link in it, signed in or not: GET asks, POST (also the
    mail client's one-click) does it."""
    user_id = unsubscribe_user_id(token)
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None:
        return render(request, "reminders/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        NotificationSettings.objects.update_or_create(user=user, defaults={"email_digest": False})
        return render(request, "reminders/unsubscribe.html", {"done": True})
    return render(request, "reminders/unsubscribe.html", {"email": user.email})
