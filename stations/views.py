import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motovault.navigation import back_url, redirect_back
from motovault.pagecache import stations_page
from motovault.request_types import AuthenticatedHttpRequest
from stations import prices, search
from stations.forms import FavoriteNoteForm, StationForm, StationSearchForm
from stations.models import FavoriteStation, Station

FAVORITES_PER_PAGE = 25


def _made_from(request: HttpRequest) -> object:
    """What the search page is made from besides the rows the triggers count (see
    motovault.pagecache.stations_page); None keeps it out of the page cache."""
    if "q" not in request.GET:
        return "favorites"
    form = StationSearchForm(request.GET)
    if not form.is_valid():
        return None
    return search.cached_answer(form.cleaned_data["q"], form.cleaned_data["near"])


@require_safe
@stations_page(_made_from)
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The search page; without a query it lists the owner's favorites."""
    ctx: dict[str, Any] = {"searched": "q" in request.GET, "near_me": search.can_search_near()}
    if ctx["searched"]:
        form = StationSearchForm(request.GET)
        if form.is_valid():
            results = search.find_stations(
                form.cleaned_data["q"], form.cleaned_data["near"], request.user
            )
            # The owner's own stations show as theirs ("Yours", Edit, Delete), as in their list;
            # the ones they saved carry their favorite_id (search.find_stations).
            ctx["results"] = [
                (station, station.owner_id == request.user.pk) for station in results.stations
            ]
            ctx["notice"] = results.notice
            ctx["source"] = results.source
            ctx["near"] = form.cleaned_data["near"]
    else:
        form = StationSearchForm()
        favorites = FavoriteStation.objects.for_owner(request.user).select_related("station")
        page = Paginator(favorites, FAVORITES_PER_PAGE).get_page(request.GET.get("page"))
        paid = prices.latest_paid(request.user.pk, [favorite.station_id for favorite in page])
        ctx["page_obj"] = page
        ctx["favorites"] = [(favorite, paid.get(favorite.station_id)) for favorite in page]
        ctx["cheapest"] = prices.cheapest_paid(request.user.pk)
        ctx["cheapest_days"] = prices.CHEAPEST_DAYS
    ctx["form"] = form
    return render(request, "stations/index.html", ctx)


@require_http_methods(["GET", "POST"])
def add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A station of the owner's own, added by hand: private to them, and one of their stations."""
    form = StationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        favorite = form.save_for()
        messages.success(request, f"Added {favorite.station.name} to your stations.")
        return redirect("stations:index")
    return render(request, "stations/station_form.html", {"form": form, "favorite": None})


@require_POST
def save(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    station = get_object_or_404(Station.objects.visible_to(request.user), pk=pk)
    _, created = FavoriteStation.objects.get_or_create(user=request.user, station=station)
    if created:
        messages.success(request, f"Saved {station.name} to your stations.")
    else:
        messages.info(request, f"{station.name} is already in your stations.")
    return redirect_back(request, "stations:index")


@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The owner's own station: its name, address, coordinates and note. A shared station:
    only the owner's note, the rest being everyone's."""
    favorite = FavoriteStation.objects.select_related("station").owned_or_404(request.user, pk)
    if favorite.is_own:
        form: StationForm | FavoriteNoteForm = StationForm(
            request.POST or None, user=request.user, favorite=favorite
        )
        template, done = "stations/station_form.html", "Saved {}."
    else:
        form = FavoriteNoteForm(request.POST or None, instance=favorite)
        template, done = "stations/favorite_form.html", "Updated your note for {}."
    if request.method == "POST" and form.is_valid():
        if isinstance(form, StationForm):
            form.save_for()
        else:
            form.save()
        messages.success(request, done.format(favorite.station.name))
        return redirect_back(request, "stations:index")
    return render(
        request,
        template,
        {"form": form, "favorite": favorite, "next": back_url(request, "stations:index")},
    )


@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST removes the station from the owner's favorites (a shared
    station itself stays) or, for their own station, deletes it: no one else has it. Fill-ups
    that named it keep their station name."""
    favorite = FavoriteStation.objects.select_related("station").owned_or_404(request.user, pk)
    if request.method == "POST":
        favorite.remove()
        if favorite.is_own:
            messages.success(request, f"Deleted {favorite.station.name}.")
        else:
            messages.success(request, f"Removed {favorite.station.name} from your stations.")
        return redirect_back(request, "stations:index")
    return render(
        request,
        "stations/favorite_delete.html",
        {"favorite": favorite, "next": back_url(request, "stations:index")},
    )


@require_http_methods(["GET", "POST"])
def moved(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    """An address from before issue 13 (`/stations/favourites/...`), kept for bookmarks and for
    forms open at the time: a GET moves permanently (301) to the page's new address, query string
    and all; a POST is answered with 308, which has the browser post the same form (note, CSRF
    token, `next`) to the new address, where a 301 would turn it into a GET and lose it."""
    url = reverse(to, args=[pk])
    if query := request.META.get("QUERY_STRING"):
        url = f"{url}?{query}"
    return redirect(url, permanent=True, preserve_request=request.method == "POST")
