// The award form (templates/clawback/award_form.html) shows only the fields of the chosen "How it pays", and
// the units-only fields only for an award in shares or units. Each conditional group is a fieldset naming the
// choices it applies to, space-separated: data-formula="curve" (a formula_kind value, "none" for no formula)
// or data-unit="units" (a unit value). A group that does not apply gets the `hidden` attribute, so screen
// readers skip it too; a group holding an error (data-has-errors) is never hidden. Its fields stay in the
// form, and the server ignores those of a formula not chosen. Without JavaScript every group shows and its
// legend says when it applies.
(function () {
  "use strict";

  // data attribute of the groups -> name of the field whose value shows them
  var CHOICES = { "data-formula": "formula_kind", "data-unit": "unit" };

  function wire(form) {
    Object.keys(CHOICES).forEach(function (attribute) {
      var field = form.elements[CHOICES[attribute]];
      var groups = form.querySelectorAll("fieldset[" + attribute + "]");
      if (!field || !groups.length) return;

      function update() {
        var value = field.value || (attribute === "data-formula" ? "none" : "");
        groups.forEach(function (group) {
          var applies = group.getAttribute(attribute).split(/\s+/).indexOf(value) !== -1;
          group.hidden = !applies && !group.hasAttribute("data-has-errors");
        });
      }

      field.addEventListener("change", update);
      update();
    });
  }

  function init() {
    document.querySelectorAll("form[data-award-form]").forEach(wire);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
