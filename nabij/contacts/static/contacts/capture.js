/* Quick capture: after an htmx save, move focus to the "saved as" notice (or the first error) so keyboard and
   screen-reader users know what happened; show the resident search (it needs htmx) and keep Enter in it from
   submitting the contact. The page works without this file. */
(function () {
  "use strict";
  function reveal(root) {
    root.querySelectorAll("[data-nabij-reveal]").forEach(function (element) {
      element.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    reveal(document);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target && event.target.id === "resident-search") {
      event.preventDefault();
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.detail && event.detail.target;
    if (!root || root.id !== "capture") return;
    reveal(root);
    var target = document.getElementById("form-errors") || document.getElementById("saved-notice");
    if (target) target.focus();
  });
})();
