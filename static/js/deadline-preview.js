// The live Reg FD deadline on the incident form (regfd-deadlines.md): whenever T0 (learned_at), the zone the
// times are typed in, "intentional" or the disclosure time changes, ask GET /api/regfd/deadline/ and show
// the deadline under T0, in ET and in the user's zone, with a countdown. static/js/app.js keeps every
// [data-countdown] ticking afterwards. Times go to the server as wall clock plus zone
// ("2026-03-03T14:00[Asia/Tokyo]"): the server resolves the offset, DST included; nothing is guessed here.
(function () {
  "use strict";

  function remaining(ms) {
    var overdue = ms < 0, s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    var text = d ? d + " d " + h + " h" : h ? h + " h " + m + " min" : m + " min";
    return overdue ? "overdue by " + text : text + " left";
  }

  function node(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") el.textContent = attrs[key];
      else el.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { el.appendChild(child); });
    return el;
  }

  function when(instant, zone) {
    var parts = [node("strong", { text: instant.et_label })];
    if (zone !== "America/New_York") {
      parts.push(node("span", { class: "text-body-secondary", text: " (" + instant.local_label + ", your zone)" }));
    }
    return parts;
  }

  function init() {
    var form = document.querySelector("form[data-deadline-preview]");
    if (!form) return;
    var url = form.getAttribute("data-deadline-preview");
    var box = document.getElementById("deadline-preview");
    var body = box.querySelector("[data-preview-body]");
    var learned = form.elements.learned_at, zone = form.elements.time_zone;
    var disclosed = form.elements.disclosed_at, intentional = form.elements.intentional;
    if (!learned || !zone) return;
    var field = learned.closest(".mb-3");
    if (field) field.after(box);  // right under the T0 field

    var timer = null, latest = 0;

    function stamp(input) { return input.value + "[" + zone.value + "]"; }

    function show(children) {
      body.replaceChildren.apply(body, children);
      box.hidden = false;
    }

    function showResult(data) {
      var due = data.working_deadline;
      var ms = new Date(due.utc).getTime() - Date.now();
      var countdown = node("span", { "data-countdown": due.utc, text: remaining(ms) });
      countdown.classList.toggle("countdown-overdue", ms < 0);
      var rows = [
        ["Working deadline", due],
        ["Policy target", data.policy_target],
        ["Legal outer limit", data.outer_limit],
      ];
      var list = node("dl", { class: "row mb-1 small" });
      rows.forEach(function (row) {
        list.appendChild(node("dt", { class: "col-sm-4", text: row[0] }));
        list.appendChild(node("dd", { class: "col-sm-8" }, when(row[1], data.time_zone)));
      });
      var children = [node("p", { class: "fs-5 mb-1", "data-testid": "preview-countdown" }, [countdown]), list];
      if (data.intentional) {
        children.unshift(node("p", {
          class: "text-danger small mb-1", role: "alert",
          text: "Intentional disclosure: public disclosure had to be simultaneous; the deadline is the disclosure itself.",
        }));
      }
      children.push(node("p", {
        class: "small text-body-secondary mb-0",
        text: "As soon as reasonably practicable; no later than the legal outer limit. Calendar " +
          data.calendar_version + " · rule " + data.rule_version + ".",
      }));
      show(children);
    }

    function showError(message) {
      show([node("p", { class: "text-danger small mb-0", "data-testid": "preview-error", text: message })]);
    }

    function errorText(data) {
      var error = data && data.error;
      if (!error) return "The deadline could not be computed.";
      var fields = error.fields || {};
      var texts = [];
      Object.keys(fields).forEach(function (name) { texts = texts.concat(fields[name]); });
      return texts.length ? texts.join(" ") : error.message;
    }

    function update() {
      if (!learned.value) { box.hidden = true; return; }
      var params = new URLSearchParams({ learned_at: stamp(learned) });
      if (intentional && intentional.checked) params.set("intentional", "true");
      if (disclosed && disclosed.value) params.set("disclosed_at", stamp(disclosed));
      var mine = ++latest;
      fetch(url + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (result) {
          if (mine !== latest) return;  // a newer request is under way
          if (result.ok) showResult(result.data); else showError(errorText(result.data));
        })
        .catch(function () { if (mine === latest) showError("The deadline could not be computed right now."); });
    }

    function soon() {
      clearTimeout(timer);
      timer = setTimeout(update, 250);
    }

    [learned, zone, disclosed, intentional].forEach(function (input) {
      if (!input) return;
      input.addEventListener("input", soon);
      input.addEventListener("change", soon);
    });
    if (learned.value) update();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
