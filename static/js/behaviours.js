// What inline attributes used to do, now that the Content-Security-Policy runs no inline handler and applies
// no style attribute (README, "Content-Security-Policy"):
// - <form data-confirm="question">: asks the question before the form is submitted (was onsubmit="confirm()");
// - <el data-width="40">: the element's width in percent, for progress bars (was style="width: 40%");
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

  // - <div class="table-responsive">: a table wider than the window scrolls inside it; when it does, the box
  //   takes the keyboard focus (tabindex=0, so the arrow keys scroll it) and is a named region (its table's
  //   caption or aria-label, else the nearest heading before it). A box that fits gets none of that.
  function nameOf(box) {
    var table = box.querySelector("table");
    var label = table && (table.getAttribute("aria-label") || (table.caption && table.caption.textContent));
    for (var el = box; !label && el && el !== document.body; el = el.parentElement) {
      for (var prev = el.previousElementSibling; prev && !label; prev = prev.previousElementSibling) {
        var heading = /^H[1-6]$/.test(prev.tagName) ? prev : prev.querySelector && prev.querySelector("h1,h2,h3,h4,h5,h6");
        if (heading) label = heading.textContent;
      }
    }
    return (label || "Table").replace(/\s+/g, " ").trim() + " (scrolls sideways)";
  }

  function scrollRegions(root) {
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1;
      if (overflows && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var named = box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby");
        if (!named) box.setAttribute("aria-label", nameOf(box));
        box.dataset.scrollRegion = named ? "named" : "labelled-here";
      } else if (!overflows && box.dataset.scrollRegion) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        if (box.dataset.scrollRegion === "labelled-here") box.removeAttribute("aria-label");
        delete box.dataset.scrollRegion;
      }
    });
  }

  // Checked again whenever a box or its table changes size (the window, a chart drawn beside it, fonts).
  var watcher = window.ResizeObserver ? new ResizeObserver(function () { scrollRegions(document); }) : null;
  function watch(root) {
    if (!watcher) return;
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      watcher.observe(box);
      if (box.firstElementChild) watcher.observe(box.firstElementChild);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    applyWidths(document);
    scrollRegions(document);
    watch(document);
  });
  // Content swapped in by htmx gets the same treatment.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.querySelectorAll) { applyWidths(event.target); scrollRegions(document); watch(event.target); }
  });
})();
