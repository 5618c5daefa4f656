// Decode without leaving the add page. Without this file the Decode button submits the form
// and the server re-renders it with the decoded fields.
document.addEventListener("DOMContentLoaded", () => {
  // A new vehicle's odometers are typed in the distance unit chosen beside them.
  const distance = document.querySelector("select[name=distance_unit]");
  const odometer = document.querySelector("label[for=id_odometer_reading]");
  const bought = document.querySelector("label[for=id_purchase_odometer]");
  if (distance && odometer) {
    distance.addEventListener("change", () => {
      const unit = distance.selectedOptions[0].textContent.toLowerCase();
      odometer.textContent = `Odometer (${unit})`;
      if (bought) bought.textContent = `Odometer when bought (${unit})`;
    });
  }

  const button = document.querySelector("button[data-decode-url]");
  if (!button) return;
  const form = button.form;
  const status = document.getElementById("decode-status");
  const serial = form.elements.vin_is_serial;

  // An older serial number cannot be decoded: no button to press.
  const showDecode = () => {
    button.hidden = serial.checked;
  };
  serial.addEventListener("change", showDecode);
  showDecode();

  const show = (text, isNotice) => {
    status.replaceChildren();
    const p = document.createElement("p");
    p.className = isNotice ? "notice" : "decoded";
    text.split("\n").forEach((line, index) => {
      if (index) p.append(document.createElement("br"));
      p.append(line);
    });
    status.append(p);
  };

  button.addEventListener("click", async (event) => {
    event.preventDefault();
    const params = new URLSearchParams({ vin: form.elements.vin.value });
    if (form.elements.vin_check_digit_waived.checked) params.set("vin_check_digit_waived", "on");
    button.disabled = true;
    button.textContent = "Decoding…";
    try {
      const response = await fetch(`${button.dataset.decodeUrl}?${params}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json();
      if (!response.ok) {
        const messages = (data.errors.vin || data.errors.__all__ || []).map((e) => e.message);
        show(messages.join("\n") || "This VIN could not be decoded.", true);
        form.elements.vin.setAttribute("aria-invalid", "true");
        form.elements.vin.focus();
        return;
      }
      form.elements.vin.removeAttribute("aria-invalid");
      form.elements.vin.value = data.vin;
      for (const name of ["year", "make", "model"]) {
        if (data[name]) form.elements[name].value = data[name];
      }
      const found = [data.year, data.make, data.model].filter(Boolean).join(" ");
      const extras = [data.body_type, data.engine_type].filter(Boolean).join(" · ");
      const summary = found
        ? `Decoded: ${found}${extras ? " · " + extras : ""}. Correct anything below before saving.`
        : "Nothing could be decoded from this VIN; fill in the fields below.";
      show([summary, ...data.notes].join("\n"), data.notes.length > 0);
    } catch {
      // The endpoint is unreachable: fall back to the page's own decode.
      form.requestSubmit(button);
    } finally {
      button.disabled = false;
      button.textContent = "Decode";
    }
  });
});
