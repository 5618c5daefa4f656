from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from motovault.urls import handler500, urlpatterns  # noqa: F401 (the 500 handler is reused)


@login_not_required
def ceiling(request):
    """Every middleware runs, no database or cache is touched: the most a page can reach."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ceiling", ceiling), *urlpatterns]
