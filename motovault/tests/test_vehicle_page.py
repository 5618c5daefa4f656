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
