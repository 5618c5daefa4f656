// "Search near me": progressive enhancement for the stations search form. Without this file
// (or without a location) the search works by text alone. The browser asks the owner before
// sharing a position; only a rounded position is ever sent to Google or OpenStreetMap (see
// stations/places.py and stations/overpass.py).
(() => {
  const box = document.querySelector("[data-near-me]");
  const form = document.querySelector("form.station-search");
  if (!box || !form || !("geolocation" in navigator)) return;

  const lat = form.querySelector("input[name=lat]");
  const lng = form.querySelector("input[name=lng]");
  const use = box.querySelector("[data-near-me-use]");
  const forget = box.querySelector("[data-near-me-forget]");
  const status = box.querySelector("[data-near-me-status]");

  const show = () => {
    const on = Boolean(lat.value && lng.value);
    use.hidden = on;
    forget.hidden = !on;
    status.textContent = on ? "Searching near your location." : "";
  };

  use.addEventListener("click", () => {
    use.disabled = true;
    status.textContent = "Asking your browser for your location…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        lat.value = position.coords.latitude.toFixed(4);
        lng.value = position.coords.longitude.toFixed(4);
        use.disabled = false;
        show();
        // Search right away: with no text, for the fuel stations around.
        form.requestSubmit();
      },
      (error) => {
        use.disabled = false;
        status.textContent = error.code === error.PERMISSION_DENIED
          ? "Location not shared; searching by text only."
          : "Your location could not be found; searching by text only.";
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 },
    );
  });

  forget.addEventListener("click", () => {
    lat.value = "";
    lng.value = "";
    show();
  });

  box.hidden = false;
  show();
})();
