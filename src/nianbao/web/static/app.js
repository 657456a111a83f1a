// Small behaviours of every page: mark the table cell whose evidence is shown; submit selects marked data-autosubmit.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeRequest", function (event) {
    var button = event.target;
    if (!button.classList || !button.classList.contains("cellbtn")) { return; }
    document.querySelectorAll("td.selected").forEach(function (cell) { cell.classList.remove("selected"); });
    button.parentElement.classList.add("selected");
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
