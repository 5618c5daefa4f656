"""Safety recalls: NHTSA's recorded answers (fixtures/, from ../shared/fixtures/recalls), the
daily refresh, and the vehicle page."""

import datetime
import io
import json
from pathlib import Path

import pytest
import requests
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from responses import matchers

from motovault.erase import delete_account
from recalls import nhtsa
from recalls.models import Campaign, RecallStatus, VehicleRecall
from recalls.services import refresh_all

FIXTURES = Path(__file__).parent / "fixtures"
URL = "https://api.nhtsa.gov/recalls/recallsByVehicle"
NO_RESULTS = {"Count": 0, "Message": "No results found for this request", "results": []}


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"recallsByVehicle.{name}.json").read_text())


def answer(mocked, make, model, year, **kwargs):
    params = {"make": make, "model": model, "modelYear": str(year)}
    mocked.get(URL, match=[matchers.query_param_matcher(params)], **kwargs)


@pytest.fixture
def accord(owner, make_vehicle):
    return make_vehicle(owner, nickname="Old Accord", make="Honda", model="Accord", year=2003)


@pytest.fixture
def refreshed(mocked, accord):
    answer(mocked, "HONDA", "ACCORD", 2003, json=fixture("honda-accord-2003"))
    refresh_all()
    return accord


def test_it_reads_the_campaigns_of_a_make_model_and_year(mocked):
    answer(mocked, "HONDA", "ACCORD", 2003, json=fixture("honda-accord-2003"))
    campaigns = nhtsa.campaigns_for("HONDA", "ACCORD", 2003)
    assert [c["campaign_number"] for c in campaigns] == ["19V901000", "07V123000"]
    air_bag = campaigns[0]
    assert air_bag["component"] == "AIR BAGS:FRONTAL:DRIVER SIDE:INFLATOR MODULE"
    assert air_bag["report_date"] == datetime.date(2019, 12, 12)  # day first
    assert (air_bag["park_it"], air_bag["park_outside"]) == (True, False)
    assert campaigns[1]["report_date"] == datetime.date(2007, 4, 3)
    assert air_bag["remedy"].startswith("Dealers will replace the driver air bag inflator")


def test_it_caches_the_answer_for_a_day_under_a_versioned_key(mocked):
    answer(mocked, "HONDA", "ACCORD", 2003, json=fixture("honda-accord-2003"))
    nhtsa.campaigns_for("HONDA", "ACCORD", 2003)
    assert len(nhtsa.campaigns_for("HONDA", "ACCORD", 2003)) == 2
    assert len(mocked.calls) == 1
    assert nhtsa.cache_key("HONDA", "ACCORD", 2003) == "recalls:v1:HONDA:ACCORD:2003"
    assert cache.get("recalls:v1:HONDA:ACCORD:2003") is not None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": fixture("none")},
        # NHTSA's answer for a vehicle it does not know.
        {"json": NO_RESULTS, "status": 400},
    ],
)
def test_it_takes_none_and_no_results_as_no_recalls(mocked, kwargs):
    answer(mocked, "FORD", "MODEL T", 1920, **kwargs)
    assert nhtsa.campaigns_for("FORD", "MODEL T", 1920) == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"body": requests.ReadTimeout("timed out")},
        {"body": "<html>Service Unavailable</html>", "content_type": "text/html"},
        {"body": "{not json", "content_type": "application/json"},
        {"json": {"results": "nope"}},
        {"status": 503, "json": {}},
        # A body beyond the seam's 2 MB cap.
        {"body": b'{"results": ["' + b"x" * (3 * 1024 * 1024) + b'"]}'},
    ],
    ids=["timeout", "html", "garbage JSON", "results not a list", "HTTP 503", "huge body"],
)
def test_it_reports_an_unusable_answer_and_caches_nothing(mocked, kwargs):
    answer(mocked, "HONDA", "ACCORD", 2003, **kwargs)
    with pytest.raises(nhtsa.RecallsUnavailable):
        nhtsa.campaigns_for("HONDA", "ACCORD", 2003)
    assert cache.get(nhtsa.cache_key("HONDA", "ACCORD", 2003)) is None


def test_refresh_recalls_stores_campaigns_once_and_goes_on_past_a_failure(
    mocked, owner, other_user, make_vehicle
):
    mine = make_vehicle(owner, make="Honda", model="Accord ", year=2003)
    theirs = make_vehicle(other_user, make="HONDA", model="accord", year=2003)
    make_vehicle(owner, make="Acura", model="TL", year=2004)  # NHTSA fails for this one
    make_vehicle(owner, make="Zastava", model="Yugo", year=1988)  # unknown to NHTSA
    make_vehicle(owner, make="Honda", model="", year=2003, vin="")  # no model: not asked
    answer(mocked, "HONDA", "ACCORD", 2003, json=fixture("honda-accord-2003"))
    answer(mocked, "ACURA", "TL", 2004, status=503, json={})
    answer(mocked, "ZASTAVA", "YUGO", 1988, status=400, json=NO_RESULTS)

    out, err = io.StringIO(), io.StringIO()
    call_command("refresh_recalls", stdout=out, stderr=err)
    assert out.getvalue().strip() == (
        "Checked 2 make/model/years: 2 new campaigns, 4 new recalls on vehicles, 1 failed."
    )
    assert "2004 ACURA TL" in err.getvalue()
    assert Campaign.objects.count() == 2
    assert set(VehicleRecall.objects.values_list("vehicle_id", flat=True)) == {mine.pk, theirs.pk}

    # Again, with the day's cache and without it: nothing new, nothing twice.
    call_command("refresh_recalls", stdout=(out := io.StringIO()), stderr=io.StringIO())
    assert "0 new campaigns, 0 new recalls on vehicles" in out.getvalue()
    cache.clear()
    call_command("refresh_recalls", stdout=(out := io.StringIO()), stderr=io.StringIO())
    assert "Checked 2 make/model/years: 0 new campaigns, 0 new recalls" in out.getvalue()
    assert VehicleRecall.objects.count() == 4


def test_the_vehicle_page_shows_open_recalls_with_park_it_first(owner_client, refreshed):
    page = owner_client.get(refreshed.get_absolute_url()).content.decode()
    assert "Safety recalls" in page
    assert "<strong>Park it:</strong> do not drive this vehicle" in page
    assert page.index("19V901000") < page.index("07V123000")
    assert "Park outside:" not in page
    assert "Air bags / Frontal / Driver side / Inflator module" in page
    assert "2 open" in page


def test_the_vehicle_page_never_calls_nhtsa(owner_client, mocked, accord):
    response = owner_client.get(accord.get_absolute_url())
    assert response.status_code == 200
    assert "have not been checked yet" in response.content.decode()
    assert len(mocked.calls) == 0


def test_the_vehicle_page_says_when_there_are_none(owner_client, mocked, accord):
    answer(mocked, "HONDA", "ACCORD", 2003, json=fixture("none"))
    refresh_all()
    page = owner_client.get(accord.get_absolute_url()).content.decode()
    assert "No open recalls for the 2003 Honda Accord (checked " in page


def test_the_owner_marks_a_recall_done_or_not_applicable_and_can_undo(owner_client, refreshed):
    air_bag = VehicleRecall.objects.get(campaign__campaign_number="19V901000")
    url = reverse("recalls:set_status", args=[air_bag.pk])
    response = owner_client.post(url, {"status": "done"}, follow=True)
    assert response.redirect_chain[-1][0] == refreshed.get_absolute_url()
    page = response.content.decode()
    assert "Recall 19V901000 is marked done." in page
    assert "Park it:" not in page
    assert "1 dealt with" in page
    air_bag.refresh_from_db()
    assert air_bag.status == RecallStatus.DONE
    assert air_bag.status_changed_at is not None

    owner_client.post(url, {"status": "not_applicable"})
    air_bag.refresh_from_db()
    assert air_bag.status == RecallStatus.NOT_APPLICABLE

    page = owner_client.post(url, {"status": "open"}, follow=True).content.decode()
    assert "Recall 19V901000 is open again." in page
    assert "Park it:" in page
    air_bag.refresh_from_db()
    assert air_bag.status == RecallStatus.OPEN


def test_it_refuses_an_unknown_status_and_a_get(owner_client, refreshed):
    recall = VehicleRecall.objects.first()
    url = reverse("recalls:set_status", args=[recall.pk])
    assert owner_client.get(url).status_code == 405
    page = owner_client.post(url, {"status": "gone"}, follow=True).content.decode()
    assert "Choose whether the recall is done or does not apply." in page
    recall.refresh_from_db()
    assert recall.status == RecallStatus.OPEN


def test_another_owners_recall_is_a_404(other_client, refreshed):
    recall = VehicleRecall.objects.first()
    url = reverse("recalls:set_status", args=[recall.pk])
    assert other_client.post(url, {"status": "done"}).status_code == 404
    recall.refresh_from_db()
    assert recall.status == RecallStatus.OPEN


def test_new_for_digest_lists_open_recalls_first_seen_since(
    refreshed, other_user, make_vehicle, owner, mocked
):
    theirs = make_vehicle(other_user, make="Honda", model="Accord", year=2003)
    refresh_all()
    before = timezone.now() - datetime.timedelta(hours=1)
    mine = VehicleRecall.objects.new_for_digest(owner, before)
    assert {r.campaign.campaign_number for r in mine} == {"19V901000", "07V123000"}
    assert {r.vehicle_id for r in mine} == {refreshed.pk}
    everything = VehicleRecall.objects.new_for_digest(owner, None)
    assert theirs.pk not in {r.vehicle_id for r in everything}
    assert not VehicleRecall.objects.new_for_digest(owner, timezone.now()).exists()
    VehicleRecall.objects.filter(campaign__campaign_number="19V901000").update(
        status=RecallStatus.DONE
    )
    still_open = VehicleRecall.objects.new_for_digest(owner, before)
    assert [r.campaign.campaign_number for r in still_open] == ["07V123000"]


@pytest.mark.parametrize("campaigns", [1, 12])
def test_the_vehicle_page_shows_recalls_in_fixed_queries(
    owner_client, accord, campaigns, django_assert_num_queries
):
    for number in range(campaigns):
        campaign = Campaign.objects.create(
            make="HONDA",
            model="ACCORD",
            model_year=2003,
            campaign_number=f"20V{number:03d}000",
            component="BRAKES",
            park_outside=number == 0,
        )
        VehicleRecall.objects.create(vehicle=accord, campaign=campaign)
    # session, user, vehicle, VIN details, fuel statistics, latest logs, maintenance: schedule,
    # readings, recent services, spending per type, per year; odometer readings; other costs:
    # the latest, their count and the year's total; recalls, their last check; the vehicle's
    # files (its photo among them); the cost of ownership (1)
    with django_assert_num_queries(18):
        page = owner_client.get(accord.get_absolute_url()).content.decode()
    assert page.count("Mark done") == campaigns
    assert "<strong>Park outside:</strong>" in page


def test_a_vehicle_edited_to_another_model_leaves_its_recalls_out_of_sight(
    owner_client, owner, refreshed
):
    refreshed.model = "Civic"
    refreshed.save()
    page = owner_client.get(refreshed.get_absolute_url()).content.decode()
    assert "19V901000" not in page
    assert "have not been checked yet" in page
    assert not VehicleRecall.objects.new_for_digest(owner, None).exists()
    assert VehicleRecall.objects.count() == 2  # kept, should the edit be undone


def test_deleting_the_account_deletes_its_recall_statuses(owner, refreshed):
    delete_account(owner)
    assert not VehicleRecall.objects.exists()
    assert Campaign.objects.count() == 2  # shared with every owner of the model
