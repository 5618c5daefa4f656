// Add maintenance: show the fields for "scheduled" or "already done", whichever is chosen.
// Without this script both groups show and the server ignores the one that does not apply.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.maintenance-form");
  if (!form) return;
  relabelDistances(form);
  const radios = form.querySelectorAll('input[name="kind"]');
  if (!radios.length) return;
  const update = () => {
    const chosen = form.querySelector('input[name="kind"]:checked');
    form.querySelectorAll("fieldset[data-kind]").forEach((group) => {
      group.hidden = chosen !== null && group.dataset.kind !== chosen.value;
    });
  };
  radios.forEach((radio) => radio.addEventListener("change", update));
  update();
});

// The distance fields are in the chosen vehicle's unit ("Due at (km)"): relabel them when the
// owner picks another vehicle. The server labels them for the vehicle it knows of.
function relabelDistances(form) {
  const vehicle = form.querySelector('select[name="vehicle"]');
  if (!vehicle || !form.dataset.distanceLabels) return;
  const distance = JSON.parse(form.dataset.distanceLabels);
  vehicle.addEventListener("change", () => {
    const unit = distance.units[vehicle.value] ?? distance.fallback;
    const labels = distance.labels[unit];
    for (const [name, text] of Object.entries(labels.fields)) {
      const label = form.querySelector(`label[for="id_${name}"]`);
      if (label) label.textContent = text;
    }
    const help = form.querySelector("#id_interval_miles_helptext");
    if (help) help.textContent = labels.interval_help;
  });
}
