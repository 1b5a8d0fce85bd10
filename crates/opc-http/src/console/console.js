// Open Partner Center console: progressive enhancement only; every page works without it.
// - forms with data-confirm ask before they are sent (freeze, reject, revoke, ...);
// - a request that takes over a second shows the "Working…" indicator;
// - a "copy" button copies the text of the element its data-copy names.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  const busy = document.getElementById("busy");
  if (busy) setTimeout(() => { busy.hidden = false; }, 1000);
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.getAttribute("data-copy"));
  if (source && navigator.clipboard) {
    navigator.clipboard.writeText(source.textContent.trim()).then(() => { button.textContent = "Copied"; });
  }
});
window.addEventListener("pageshow", () => { const busy = document.getElementById("busy"); if (busy) busy.hidden = true; });
