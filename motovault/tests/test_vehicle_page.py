"""The vehicle page, composed here from the vehicle and its fuel and maintenance panels."""

from django.urls import reverse


def test_it_shows_the_vehicle_hub(owner_client, vehicle):
    page = owner_client.get(reverse("vehicles:detail", args=[vehicle.pk])).content.decode()
    assert "Daily driver" in page and "42,000 mi" in page and vehicle.vin in page
    back = f"next=/vehicles/{vehicle.pk}/"
    assert f'href="/fuel/add/?vehicle={vehicle.pk}&amp;{back}"' in page
    assert f'href="/maintenance/add/?vehicle={vehicle.pk}&amp;{back}"' in page


def test_it_passes_the_panels_to_the_detail_page(owner_client, vehicle):
    response = owner_client.get(reverse("vehicles:detail", args=[vehicle.pk]))
    assert "fuel" in response.context and "maintenance" in response.context
    assert "fuellogs/_vehicle_panel.html" in [t.name for t in response.templates]
    assert "maintenance/_vehicle_panel.html" in [t.name for t in response.templates]


def test_it_shows_a_german_owner_their_km_and_liters_vehicle(owner_client, owner, make_vehicle):
    car = make_vehicle(
        owner, nickname="Golf", distance_unit="km", fuel_unit="l", odometer_reading=123_456
    )
    session = owner_client.session
    session["regional"] = {"locale": "de-DE", "currency": "EUR", "economy_unit": "l_100km"}
    session.save()

    page = owner_client.get(reverse("vehicles:detail", args=[car.pk])).content.decode()

    assert "123.456 km" in page
    assert "<dt>Units</dt><dd>km · L · L/100 km</dd>" in page
    assert f"<dt>Added</dt><dd>{car.created_at:%d.%m.%Y}</dd>" in page


def test_it_shows_a_us_vehicle_in_its_units(owner_client, vehicle):
    page = owner_client.get(reverse("vehicles:detail", args=[vehicle.pk])).content.decode()
    assert "<dt>Units</dt><dd>mi · gal · MPG</dd>" in page
