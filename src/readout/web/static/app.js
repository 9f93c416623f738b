// readout: a convenience on top of pages that work without JavaScript.
// On a meeting page, "j" and "k" step to the next and the previous statement.
"use strict";

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (
    target instanceof HTMLInputElement ||
    target instanceof HTMLSelectElement ||
    target instanceof HTMLTextAreaElement ||
    event.ctrlKey ||
    event.metaKey ||
    event.altKey
  ) {
    return;
  }
  if (event.key !== "j" && event.key !== "k") {
    return;
  }
  const all = Array.from(document.querySelectorAll(".readout .st"));
  if (all.length === 0) {
    return;
  }
  const current = all.findIndex((el) => "#" + el.id === window.location.hash);
  const next =
    event.key === "j" ? Math.min(current + 1, all.length - 1) : Math.max(current - 1, 0);
  window.location.hash = all[next].id;
});
