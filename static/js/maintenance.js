// Add maintenance: show the fields for "scheduled" or "already done", whichever is chosen.
// Without this script both groups show and the server ignores the one that does not apply.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.maintenance-form");
  if (!form) return;
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
