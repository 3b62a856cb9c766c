// Live countdowns: any <span data-countdown="ISO instant"> shows the time left, updated every 30 s.
(function () {
  function fmt(ms) {
    var overdue = ms < 0, s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    var text = d ? d + " d " + h + " h" : h ? h + " h " + m + " min" : m + " min";
    return overdue ? "overdue by " + text : text + " left";
  }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var ms = new Date(el.dataset.countdown).getTime() - Date.now();
      el.textContent = fmt(ms);
      el.classList.toggle("countdown-overdue", ms < 0);
      el.classList.toggle("countdown-soon", ms >= 0 && ms < 4 * 3600 * 1000);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 30000); });
  document.addEventListener("htmx:afterSwap", tick);
})();
