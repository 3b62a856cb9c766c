// What inline attributes used to do, now that the Content-Security-Policy runs no inline handler and applies
// no style attribute (README, "Content-Security-Policy"):
// - <form data-confirm="question">: asks the question before the form is submitted (was onsubmit="confirm()");
// - <el data-width="40">: the element's width in percent, for progress bars (was style="width: 40%").
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute ? form.getAttribute("data-confirm") : null;
    if (question !== null && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });

  function applyWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      var value = parseFloat(el.getAttribute("data-width"));
      if (!isNaN(value)) el.style.width = Math.max(0, Math.min(100, value)) + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });
  // Content swapped in by htmx gets the same treatment.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.querySelectorAll) applyWidths(event.target);
  });
})();
