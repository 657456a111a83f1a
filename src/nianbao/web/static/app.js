// Small behaviours of every page: mark the table cell whose evidence is shown and bring that evidence on screen
// (below the tables on a phone); submit selects marked data-autosubmit.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeRequest", function (event) {
    var button = event.target;
    if (!button.classList || !button.classList.contains("cellbtn")) { return; }
    document.querySelectorAll("td.selected").forEach(function (cell) { cell.classList.remove("selected"); });
    button.parentElement.classList.add("selected");
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var pane = event.target;
    if (!pane || pane.id !== "evidence") { return; }
    var box = pane.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight - 80) { pane.scrollIntoView({block: "start"}); }
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
