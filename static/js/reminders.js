// Notification preferences: copy the calendar address, confirm a new one.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      button.textContent = "Copied";
    } catch {
      field.select();
      button.textContent = "Press Ctrl+C";
    }
  });
});

document.querySelectorAll("button[data-confirm]").forEach((button) => {
  button.form?.addEventListener("submit", (event) => {
    if (!window.confirm(button.dataset.confirm)) event.preventDefault();
  });
});
