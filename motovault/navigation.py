from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request) -> str | None:
    """The `next` address a form was opened with (e.g. the vehicle page), when it is a page of
    this site; None otherwise, so nobody can be sent elsewhere through a crafted link."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
