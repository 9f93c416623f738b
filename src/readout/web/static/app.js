// readout: small conveniences on top of pages that work without JavaScript.
// - In the meeting page's statement list, "j"/"k" move between statements.
// - A correction form saves without leaving the page when fetch is available,
//   and falls back to the normal form post otherwise.
"use strict";

document.addEventListener("keydown", (event) => {
  if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) {
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
  const next = event.key === "j" ? Math.min(current + 1, all.length - 1) : Math.max(current - 1, 0);
  window.location.hash = all[next].id;
});

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains("correction")) {
    return;
  }
  if (event.submitter && event.submitter.name === "clear") {
    return; // undoing goes through the plain form post
  }
  event.preventDefault();
  const body = new FormData(form);
  const response = await fetch(form.action, {
    method: "POST",
    body,
    credentials: "same-origin",
    redirect: "follow",
  });
  if (response.ok) {
    window.location.reload();
  } else {
    const text = await response.text();
    const match = text.match(/<p class="error"[^>]*>([^<]*)<\/p>/);
    window.alert(match ? match[1] : "The correction was not saved (" + response.status + ").");
  }
});
