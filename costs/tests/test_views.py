"""The /costs/ pages: the list with its filters and total, the form, the delete confirmation and
the CSV export, each for the owner alone."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from costs.models import Cost
from vehicles.models import Vehicle


def form_data(vehicle, **fields) -> dict:
    return {
        "vehicle": str(vehicle.pk),
        "category": "insurance",
        "title": "",
        "date": "2026-03-01",
        "amount": "612.40",
        "odometer_reading": "",
        "repeat_months": "12",
        "notes": "",
        **fields,
    }


def german(client) -> None:
    session = client.session
    session["regional"] = {"locale": "de-DE", "currency": "EUR", "economy_unit": "l_100km"}
    session.save()


# The list ----------------------------------------------------------------------------------


def test_it_says_what_to_do_on_an_empty_list(owner_client):
    page = owner_client.get(reverse("costs:index")).content.decode()
    assert "Record your first cost" in page
    assert 'href="/costs/add/"' in page


def test_it_lists_the_owners_costs_newest_first_with_their_total(
    owner_client, vehicle, other_user, make_vehicle, make_cost
):
    make_cost(vehicle, "2026-01-10", category="parking", title="Airport", amount=Decimal("42"))
    make_cost(vehicle, "2026-03-01", amount=Decimal("612.40"), repeat_months=12)
    make_cost(make_vehicle(other_user), "2026-02-01", title="Not mine")

    page = owner_client.get(reverse("costs:index")).content.decode()

    assert page.index("Insurance") < page.index("Airport")
    assert "Not mine" not in page
    assert "Total of all your costs (2)" in page and "$654.40" in page
    assert "Every 12 months" in page


def test_it_filters_by_vehicle_category_and_dates(
    owner_client, vehicle, owner, make_vehicle, make_cost
):
    van = make_vehicle(owner, nickname="Van")
    make_cost(vehicle, "2026-01-10", category="parking", title="Airport", amount=Decimal("42"))
    make_cost(vehicle, "2026-02-10", category="parking", title="Garage", amount=Decimal("8"))
    make_cost(vehicle, "2026-03-01", title="Policy")
    make_cost(van, "2026-02-11", category="parking", title="Van parking")

    response = owner_client.get(
        reverse("costs:index"),
        {"vehicle": vehicle.pk, "category": "parking", "date_from": "2026-02-01"},
    )

    page = response.content.decode()
    assert "Garage" in page
    assert not {"Airport", "Policy", "Van parking"} & {w for w in page.split() if w}
    assert "Total of the costs that match (1)" in page and "$8.00" in page
    assert f"vehicle={vehicle.pk}&amp;category=parking&amp;date_from=2026-02-01" in page


def test_it_says_when_no_cost_matches(owner_client, vehicle, make_cost):
    make_cost(vehicle, "2026-01-10")
    page = owner_client.get(reverse("costs:index"), {"category": "fines"}).content.decode()
    assert "No costs match" in page and "Clear filters" in page


def test_it_reports_an_inverted_date_range(owner_client, vehicle, make_cost):
    make_cost(vehicle, "2026-01-10")
    response = owner_client.get(
        reverse("costs:index"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert "The end date is before the start date." in response.content.decode()


@pytest.mark.parametrize("count", [3, 60])
def test_its_queries_stay_flat_as_costs_grow(
    owner_client, vehicle, make_cost, count, django_assert_num_queries
):
    Cost.objects.bulk_create(
        Cost(
            user=vehicle.user,
            vehicle=vehicle,
            category="parking",
            date=dt.date(2026, 1, 1) + dt.timedelta(days=n),
            amount=Decimal(5),
        )
        for n in range(count)
    )
    # Session and user, the filter's vehicles, the count, the page, the total.
    with django_assert_num_queries(6):
        response = owner_client.get(reverse("costs:index"))
    assert response.context["page_obj"].paginator.count == count


# The form -----------------------------------------------------------------------------------


def test_it_adds_a_cost_for_the_sole_active_vehicle_dated_today(owner_client, vehicle):
    response = owner_client.get(reverse("costs:add"))
    form = response.context["form"]
    assert form["vehicle"].value() == vehicle.pk
    assert form["date"].value() == timezone.localdate()
    assert 'inputmode="decimal"' in response.content.decode()


def test_it_saves_a_cost_and_says_when_it_is_due_again(owner_client, vehicle):
    response = owner_client.post(reverse("costs:add"), form_data(vehicle), follow=True)

    cost = Cost.objects.get()
    assert (cost.vehicle, cost.category, cost.amount) == (vehicle, "insurance", Decimal("612.40"))
    assert cost.repeat_months == 12 and cost.user == vehicle.user
    page = response.content.decode()
    assert "Insurance of Mar 1, 2026 saved for Daily driver: $612.40." in page
    assert "You will be reminded of the next payment, due Mar 1, 2027." in page


def test_it_asks_what_an_other_cost_was(owner_client, vehicle):
    response = owner_client.post(reverse("costs:add"), form_data(vehicle, category="other"))
    assert response.status_code == 200
    assert "Say what this cost was: “Other” needs a title." in response.content.decode()
    assert not Cost.objects.exists()


def test_it_reads_amounts_and_odometers_the_owners_way(owner_client, vehicle):
    german(owner_client)
    owner_client.post(
        reverse("costs:add"),
        form_data(vehicle, amount="1.234,50", odometer_reading="43.210", category="tires"),
    )
    cost = Cost.objects.get()
    assert (cost.amount, cost.odometer_reading) == (Decimal("1234.50"), 43_210)
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 43_210


def test_it_refuses_an_unreadable_amount_quoting_it(owner_client, vehicle):
    response = owner_client.post(reverse("costs:add"), form_data(vehicle, amount="12,3,4"))
    assert "MotoVault cannot read “12,3,4” as a number." in response.content.decode()


def test_it_saves_a_double_submission_once(owner_client, vehicle):
    owner_client.post(reverse("costs:add"), form_data(vehicle))
    response = owner_client.post(reverse("costs:add"), form_data(vehicle), follow=True)
    assert Cost.objects.count() == 1
    assert "already saved a moment ago" in response.content.decode()


def test_it_prefills_the_form_from_its_address(owner_client, vehicle):
    german(owner_client)
    response = owner_client.get(
        reverse("costs:add"),
        {
            "vehicle": vehicle.pk,
            "category": "insurance",
            "title": "Allianz",
            "amount": "1612.40",
            "repeat_months": "12",
        },
    )
    form = response.context["form"]
    assert form["title"].value() == "Allianz" and form["repeat_months"].value() == 12
    # Dot decimals in the address; the owner's way in the field.
    assert 'value="1612,40"' in response.content.decode()


def test_it_ignores_an_address_it_cannot_read(owner_client, vehicle):
    response = owner_client.get(
        reverse("costs:add"), {"amount": "NaN", "repeat_months": "x", "vehicle": "nope"}
    )
    assert response.status_code == 200
    assert response.context["form"]["amount"].value() is None


@pytest.mark.parametrize("months", ["²", "١٢", "9" * 5000, "241"])
def test_it_ignores_an_interval_it_cannot_offer(owner_client, vehicle, months):
    # str.isdigit() holds for superscripts, which int() cannot read, and int() refuses more
    # than 4,300 digits.
    response = owner_client.get(reverse("costs:add"), {"repeat_months": months})
    assert response.status_code == 200
    assert response.context["form"]["repeat_months"].value() is None


def test_it_edits_a_cost(owner_client, vehicle, make_cost):
    cost = make_cost(vehicle, "2026-03-01", repeat_months=12)
    response = owner_client.post(
        reverse("costs:edit", args=[cost.pk]),
        form_data(vehicle, amount="700", repeat_months="", title="Allianz"),
        follow=True,
    )
    cost.refresh_from_db()
    assert (cost.amount, cost.repeat_months, cost.title) == (Decimal("700.00"), None, "Allianz")
    assert "Allianz of Mar 1, 2026 saved." in response.content.decode()


def test_it_shows_the_attachments_of_a_cost_on_its_form(owner_client, vehicle, make_cost):
    cost = make_cost(vehicle, "2026-03-01")
    page = owner_client.get(reverse("costs:edit", args=[cost.pk])).content.decode()
    assert f'action="/attachments/upload/cost/{cost.pk}/"' in page
    assert "No files yet: add a receipt or an invoice." in page


def test_it_does_not_bring_back_a_cost_deleted_meanwhile(owner_client, vehicle, make_cost):
    cost = make_cost(vehicle, "2026-03-01")
    page = owner_client.get(reverse("costs:edit", args=[cost.pk]))
    assert page.status_code == 200
    Cost.objects.filter(pk=cost.pk).delete()
    response = owner_client.post(reverse("costs:edit", args=[cost.pk]), form_data(vehicle))
    assert response.status_code == 404
    assert not Cost.objects.exists()


def test_it_refuses_a_cost_on_a_vehicle_deleted_meanwhile(
    owner_client, vehicle, owner, make_vehicle
):
    make_vehicle(owner, nickname="Van")
    data = form_data(vehicle)
    Vehicle.objects.filter(pk=vehicle.pk).update(deleted_at=timezone.now())
    response = owner_client.post(reverse("costs:add"), data)
    assert "Select a valid choice" in response.content.decode()
    assert not Cost.objects.exists()


# Delete and export -------------------------------------------------------------------------


def test_it_asks_before_deleting(owner_client, vehicle, make_cost):
    cost = make_cost(vehicle, "2026-03-01", repeat_months=12)
    page = owner_client.get(reverse("costs:delete", args=[cost.pk])).content.decode()
    assert "Delete Insurance?" in page and "the reminder goes back" in page
    assert Cost.objects.exists()

    response = owner_client.post(reverse("costs:delete", args=[cost.pk]), follow=True)

    assert not Cost.objects.exists()
    assert "Deleted Insurance of Mar 1, 2026." in response.content.decode()


def test_it_exports_what_the_list_shows(owner_client, vehicle, make_cost):
    make_cost(vehicle, "2026-01-10", category="parking", title="=cmd", amount=Decimal("42"))
    make_cost(
        vehicle, "2026-03-01", amount=Decimal("612.40"), repeat_months=12, odometer_reading=43_000
    )

    response = owner_client.get(reverse("costs:export"), {"vehicle": vehicle.pk})

    assert response["Content-Disposition"].startswith(
        'attachment; filename="motovault-costs-daily-driver-'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "vehicle", "vin", "date", "category", "title", "amount", "currency", "odometer",
        "distance_unit", "repeat_months", "notes",
    ]  # fmt: skip
    assert rows[1] == [
        "Daily driver", vehicle.vin, "2026-03-01", "insurance", "", "612.40", "USD", "43000",
        "mi", "12", "",
    ]  # fmt: skip
    assert rows[2][3:6] == ["parking", "'=cmd", "42.00"]
    filtered = owner_client.get(reverse("costs:export"), {"category": "parking"})
    assert len(b"".join(filtered.streaming_content).decode().splitlines()) == 2


# Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["costs:edit", "costs:delete"])
def test_it_answers_404_for_another_owners_cost(other_client, vehicle, make_cost, name):
    cost = make_cost(vehicle, "2026-03-01")
    assert other_client.get(reverse(name, args=[cost.pk])).status_code == 404
    assert other_client.post(reverse(name, args=[cost.pk]), {}).status_code == 404
    assert Cost.objects.filter(pk=cost.pk, amount=Decimal("100.00")).exists()


def test_it_answers_404_for_an_export_of_another_owners_vehicle(other_client, vehicle):
    response = other_client.get(reverse("costs:export"), {"vehicle": vehicle.pk})
    assert response.status_code == 404


def test_it_offers_another_owner_none_of_the_vehicles(
    other_client, vehicle, other_user, make_vehicle
):
    make_vehicle(other_user, nickname="Bob's van")
    response = other_client.post(reverse("costs:add"), form_data(vehicle))
    assert "Select a valid choice" in response.content.decode()
    assert not Cost.objects.exists()


@pytest.mark.parametrize("name", ["costs:index", "costs:add", "costs:export"])
def test_it_sends_anonymous_visitors_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
