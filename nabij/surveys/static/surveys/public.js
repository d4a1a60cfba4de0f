/* Public questionnaire: skip logic in the browser, so a dependent question appears the moment its condition is
   answered. The page works without this file (the server then goes page by page); the server stays the authority
   and validates every answer again. No inline scripts (CSP). */
(function () {
  "use strict";

  var form = document.querySelector("form.nabij-survey__form");
  if (!form) return;

  // Tell the server that this browser handles skip logic: a page is then a whole section.
  var flag = document.createElement("input");
  flag.type = "hidden";
  flag.name = "_js";
  flag.value = "1";
  form.appendChild(flag);

  var blocks = Array.prototype.slice.call(form.querySelectorAll(".nabij-question[data-key]"));
  var byKey = {};
  blocks.forEach(function (block) {
    byKey[block.dataset.key] = block;
  });

  function answered(key, value) {
    var fields = form.querySelectorAll('[name="' + key + '"]');
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.disabled) continue;
      if ((field.type === "checkbox" || field.type === "radio") ? field.checked && field.value === value
        : field.value === value) {
        return true;
      }
    }
    return false;
  }

  function setShown(block, shown) {
    block.hidden = !shown;
    // Answers of a hidden question are not sent (the server would refuse them).
    Array.prototype.forEach.call(block.querySelectorAll("input, select, textarea"), function (field) {
      field.disabled = !shown;
    });
  }

  function update() {
    // Blocks are in question order and a condition is always an earlier question, so one pass suffices.
    blocks.forEach(function (block) {
      var key = block.dataset.showIfKey;
      if (key) {
        var condition = byKey[key];
        setShown(block, !!condition && !condition.hidden && answered(key, block.dataset.showIfValue));
      } else if (block.hasAttribute("data-js-extra")) {
        setShown(block, true);
      }
    });
  }

  var progress = document.querySelector(".nabij-survey__progress[data-js-text]");
  if (progress) progress.textContent = progress.dataset.jsText;
  var next = form.querySelector("button[data-js-send]");
  if (next) {
    next.value = "verstuur";
    next.textContent = next.dataset.jsSend;
  }
  form.addEventListener("change", update);
  update();
})();
