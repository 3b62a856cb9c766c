// Generated documents: the progress bar polls /documents/<id>/status/ until the document is done or failed,
// then shows the download link. Dashboards: charts drawn with the vendored Chart.js from the JSON the page
// embeds (the same numbers are in the tables beside them).
(function () {
  "use strict";

  function updateStatus(box, s) {
    var bar = box.querySelector("[data-progress]");
    var inner = bar.querySelector(".progress-bar");
    bar.setAttribute("aria-valuenow", String(s.progress));
    inner.style.width = s.progress + "%";
    inner.textContent = s.progress + "%";
    box.querySelector("[data-state-label]").textContent = s.state_label;
    box.dataset.state = s.state;
    var pending = s.state === "queued" || s.state === "running";
    inner.classList.toggle("progress-bar-animated", pending);
    inner.classList.toggle("progress-bar-striped", pending);
    if (s.state === "failed") {
      inner.classList.add("bg-danger");
      var error = box.querySelector("[data-error]");
      error.textContent = s.error || "The document could not be generated.";
      error.hidden = false;
    }
    if (s.state === "done") {
      var download = box.querySelector("[data-download]");
      box.querySelector("[data-download-link]").href = s.download_url;
      box.querySelector("[data-filename]").textContent = s.filename;
      box.querySelector("[data-sha256]").textContent = s.sha256;
      download.hidden = false;
    }
    return pending;
  }

  function poll(box, delay) {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (s) {
        if (updateStatus(box, s)) { setTimeout(function () { poll(box, 1000); }, 1000); }
      })
      .catch(function () {
        // A dropped connection or a restarting server: back off, keep trying for a while.
        var next = Math.min(delay * 2, 15000);
        setTimeout(function () { poll(box, next); }, next);
      });
  }

  function money(value) {
    return Number(value).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function drawCharts() {
    if (typeof Chart === "undefined") { return; }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.source);
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      var stacked = canvas.dataset.chart === "stacked";
      var datasets = stacked
        ? data.series.map(function (s) { return { label: s.label, data: s.values, backgroundColor: s.color }; })
        : [{ label: canvas.dataset.label, data: data.values, backgroundColor: data.colors || "#0d6efd" }];
      var yScale = { beginAtZero: true, stacked: stacked };
      if (canvas.dataset.max) { yScale.max = Number(canvas.dataset.max); }
      if (data.money) { yScale.ticks = { callback: function (v) { return money(v); } }; }
      new Chart(canvas, {
        type: "bar",
        data: { labels: data.labels, datasets: datasets },
        options: {
          animation: false,
          responsive: true,
          plugins: { legend: { display: stacked } },
          scales: { x: { stacked: stacked }, y: yScale },
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("document-status");
    if (box && (box.dataset.state === "queued" || box.dataset.state === "running")) { poll(box, 1000); }
    drawCharts();
  });
})();
