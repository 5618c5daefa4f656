from django.apps import AppConfig


class MaintenanceConfig(AppConfig):
    name = "maintenance"

    def ready(self) -> None:
        # Services done are odometer readings (vehicles.readings: the projection reads them).
        from maintenance.models import odometer_readings
        from vehicles import readings

        readings.register(odometer_readings)
