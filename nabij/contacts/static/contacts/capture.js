/* Quick capture: after an htmx save, move focus to the "saved as" notice (or the first error) so keyboard and
   screen-reader users know what happened. The page works without this file. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.detail && event.detail.target;
    if (!root || root.id !== "capture") return;
    var target = document.getElementById("form-errors") || document.getElementById("saved-notice");
    if (target) target.focus();
  });
})();
