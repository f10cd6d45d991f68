// The entry form works without this; it only stops a second click while the first upload is sending.
// (The server also treats a repeated post of the same form as the same entry.)
document.querySelectorAll("form.entry-form").forEach((form) => {
  form.addEventListener("submit", (event) => {
    const button = form.querySelector("button[data-once]");
    if (!button) return;
    if (button.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    button.setAttribute("aria-busy", "true");
  });
});
