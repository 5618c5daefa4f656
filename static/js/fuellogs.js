// Fuel-log form: keep the odometer hint on the chosen vehicle's current reading.
// Progressive enhancement: the server renders the hint for the vehicle it pre-selected.
document.addEventListener("DOMContentLoaded", () => {
  const vehicle = document.getElementById("id_vehicle");
  const odometer = document.getElementById("id_odometer_reading");
  const hint = document.getElementById("id_odometer_reading_helptext");
  if (!vehicle || !odometer || !hint) return;
  vehicle.addEventListener("change", () => {
    const option = vehicle.selectedOptions[0];
    const reading = option && option.dataset.odometer;
    if (reading) {
      hint.textContent = `${option.textContent} currently reads ${reading} mi.`;
      odometer.placeholder = reading.replaceAll(",", "");
    } else {
      hint.textContent = "Choose the vehicle to see its current reading.";
      odometer.removeAttribute("placeholder");
    }
  });
});
