// Draw every chart of the page: each element with data-option holds its ECharts option as JSON; a chart with
// data-link lists the reports of a clicked year or region.
(function () {
  "use strict";
  var charts = [];
  document.querySelectorAll("[data-option]").forEach(function (element) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(JSON.parse(element.dataset.option));
    var link = element.dataset.link;
    if (link) {
      chart.on("click", function (params) { window.location.href = link + encodeURIComponent(params.name); });
    }
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
