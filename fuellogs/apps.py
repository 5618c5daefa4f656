from django.apps import AppConfig


class FuellogsConfig(AppConfig):
    name = "fuellogs"

    def ready(self) -> None:
        # Fill-ups are odometer readings (vehicles.readings: the maintenance projection), in
        # date order with the vehicle's other readings (vehicles.rules.check_odometer).
        from fuellogs.models import (
            cheapest_prices,
            latest_prices,
            odometer_conflicts,
            odometer_readings,
        )
        from stations import prices
        from vehicles import readings

        readings.register(odometer_readings, conflicts=odometer_conflicts)
        # Fill-ups are prices paid at the owner's stations (the stations page).
        prices.register(prices.Source(latest_prices, cheapest_prices))
