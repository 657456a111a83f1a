// Draw every chart of the page: each element with data-option holds its ECharts option as JSON.
(function () {
  "use strict";
  var charts = [];
  document.querySelectorAll("[data-option]").forEach(function (element) {
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(JSON.parse(element.dataset.option));
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
