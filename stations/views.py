from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motovault.navigation import back_url, redirect_back
from stations import places
from stations.forms import FavouriteNoteForm, StationSearchForm
from stations.models import FavouriteStation, Station

FAVOURITES_PER_PAGE = 25


@require_GET
def index(request):
    """The search page; without a query it lists the owner's favourites."""
    ctx = {"searched": "q" in request.GET}
    if ctx["searched"]:
        form = StationSearchForm(request.GET)
        if form.is_valid():
            results = places.find_stations(form.cleaned_data["q"], form.cleaned_data["near"])
            saved = dict(
                FavouriteStation.objects.for_owner(request.user)
                .filter(station__in=[s.pk for s in results.stations])
                .values_list("station_id", "pk")
            )
            ctx["results"] = [(station, saved.get(station.pk)) for station in results.stations]
            ctx["notice"] = results.notice
            ctx["near"] = form.cleaned_data["near"]
    else:
        form = StationSearchForm()
        favourites = FavouriteStation.objects.for_owner(request.user).select_related("station")
        ctx["page_obj"] = Paginator(favourites, FAVOURITES_PER_PAGE).get_page(
            request.GET.get("page")
        )
    ctx["form"] = form
    return render(request, "stations/index.html", ctx)


@require_POST
def save(request, station_id):
    station = get_object_or_404(Station, pk=station_id)
    _, created = FavouriteStation.objects.get_or_create(user=request.user, station=station)
    if created:
        messages.success(request, f"Saved {station.name} to your stations.")
    else:
        messages.info(request, f"{station.name} is already in your stations.")
    return redirect_back(request, "stations:index")


@require_http_methods(["GET", "POST"])
def edit(request, favourite_id):
    favourite = get_object_or_404(
        FavouriteStation.objects.for_owner(request.user).select_related("station"),
        pk=favourite_id,
    )
    form = FavouriteNoteForm(request.POST or None, instance=favourite)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Updated your note for {favourite.station.name}.")
        return redirect_back(request, "stations:index")
    return render(
        request,
        "stations/favourite_form.html",
        {"form": form, "favourite": favourite, "next": back_url(request, "stations:index")},
    )


@require_GET
def confirm_remove(request, favourite_id):
    favourite = get_object_or_404(
        FavouriteStation.objects.for_owner(request.user).select_related("station"),
        pk=favourite_id,
    )
    return render(
        request,
        "stations/favourite_confirm_remove.html",
        {"favourite": favourite, "next": back_url(request, "stations:index")},
    )


@require_POST
def remove(request, favourite_id):
    favourite = get_object_or_404(
        FavouriteStation.objects.for_owner(request.user).select_related("station"),
        pk=favourite_id,
    )
    favourite.delete()
    messages.success(request, f"Removed {favourite.station.name} from your stations.")
    return redirect_back(request, "stations:index")
