// Fill the prefecture and the city from a Japanese postal code while the
// person types. The form works without this: the server fills them on save.
(function () {
  "use strict";
  document.querySelectorAll("input[data-postal-lookup]").forEach(function (input) {
    var form = input.form;
    var last = "";
    input.addEventListener("input", function () {
      var digits = input.value.normalize("NFKC").replace(/[^0-9]/g, "");
      if (digits.length !== 7 || digits === last) return;
      last = digits;
      fetch(input.dataset.postalLookup + digits + "/", { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (area) {
          if (!area || !form) return;
          var prefecture = form.elements.namedItem("prefecture");
          var city = form.elements.namedItem("city");
          if (prefecture && (!prefecture.value || prefecture.dataset.filled)) {
            prefecture.value = String(area.prefecture);
            prefecture.dataset.filled = "1";
          }
          if (city && (!city.value || city.dataset.filled)) {
            city.value = area.city;
            city.dataset.filled = "1";
          }
        })
        .catch(function () { /* the server fills them on save */ });
    });
  });
})();
