from django.apps import AppConfig


class CostsConfig(AppConfig):
    name = "costs"

    def ready(self) -> None:
        # Costs with an odometer are odometer readings (vehicles.readings: the projection).
        from costs import renewals
        from costs.models import odometer_readings
        from maintenance import upcoming
        from vehicles import readings

        readings.register(odometer_readings)
        # Repeating costs come due again (costs.renewals): the owner's reminders list them.
        upcoming.register(renewals.SOURCE)
