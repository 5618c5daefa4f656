// Fuel-log form: keep the odometer hint on the chosen vehicle's current reading, and the
// amounts' labels on its units (an owner's vehicles may be in miles and gallons, or in km and
// liters). Progressive enhancement: the server renders both for the vehicle it pre-selected.
document.addEventListener("DOMContentLoaded", () => {
  const vehicle = document.getElementById("id_vehicle");
  const odometer = document.getElementById("id_odometer_reading");
  const hint = document.getElementById("id_odometer_reading_helptext");
  if (!vehicle || !odometer || !hint) return;
  const label = (id) => document.querySelector(`label[for="${id}"]`);
  const labels = {
    odometerLabel: label("id_odometer_reading"),
    quantityLabel: label("id_gallons"),
    priceLabel: label("id_price_per_gallon"),
  };
  vehicle.addEventListener("change", () => {
    const option = vehicle.selectedOptions[0];
    const reading = option && option.dataset.odometer;
    if (reading) {
      hint.textContent = `${option.textContent} currently reads ${reading} ${option.dataset.distanceUnit}.`;
      odometer.placeholder = reading.replace(/[^0-9]/g, "");
      for (const [key, element] of Object.entries(labels)) {
        if (element && option.dataset[key]) element.textContent = option.dataset[key];
      }
    } else {
      hint.textContent = "Choose the vehicle to see its current reading.";
      odometer.removeAttribute("placeholder");
    }
  });
});
