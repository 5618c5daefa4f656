from django.apps import AppConfig


class FuellogsConfig(AppConfig):
    name = "fuellogs"

    def ready(self) -> None:
        # Fill-ups are odometer readings (vehicles.readings: the maintenance projection).
        from fuellogs.models import odometer_readings
        from vehicles import readings

        readings.register(odometer_readings)
