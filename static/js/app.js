// Progressive enhancement only: every page works without this file.
document.addEventListener("click", (event) => {
  // Close the account menu when clicking elsewhere.
  document.querySelectorAll("details.account-menu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});

// Sign-up sends the browser's time zone, so that "today" is the new owner's from the start.
document.querySelectorAll('input[type="hidden"][name="time_zone"]').forEach((input) => {
  if (!input.value) input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
});
