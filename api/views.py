"""The owner's API tokens, linked from the account page: the list with each token's last use,
making one (its secret shown once, on the page that answers the form), and revoking one."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from api.forms import TokenForm
from api.models import ApiToken
from motovault.request_types import AuthenticatedHttpRequest


@require_safe
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _tokens_page(request, TokenForm())


@never_cache
@require_http_methods(["POST"])
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make a token and show its secret on this response alone: it is stored hashed, so no
    page can show it again (and never_cache keeps it out of the browser's cache)."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _tokens_page(request, form)
    token, secret = ApiToken.issue(
        request.user, form.cleaned_data["name"], read_only=form.cleaned_data["read_only"]
    )
    return _tokens_page(request, TokenForm(), created=token, secret=secret)


@require_http_methods(["GET", "POST"])
def revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST revokes: the token stops working at once."""
    token = ApiToken.objects.owned_or_404(request.user, pk)
    if request.method == "POST":
        token.revoke()
        messages.success(request, f"Revoked the token “{token.name}”: it no longer works.")
        return redirect("api_tokens:index")
    return render(request, "api/token_revoke.html", {"token": token})


def _tokens_page(
    request: AuthenticatedHttpRequest,
    form: TokenForm,
    *,
    created: ApiToken | None = None,
    secret: str = "",
) -> HttpResponse:
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.for_owner(request.user),
            "created": created,
            "secret": secret,
        },
    )
