/* IronTriangle page behaviour: charts, confirmations and htmx niceties. No framework, no build step. */
(function () {
  "use strict";

  // Charts: an element with data-chart="<id of a json_script>" gets a bar chart of that data.
  function drawCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var source = document.getElementById(el.dataset.chart);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var palette = ["#12355b", "#f2a541", "#5b8fd1", "#8aa1b9"];
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption({
        color: palette,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
        xAxis: { type: "category", data: data.categories, axisTick: { show: false } },
        yAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#e9edf3" } } },
        series: data.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "total", barMaxWidth: 48, data: s.data, emphasis: { focus: "series" } };
        }),
      });
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:load", function (event) { drawCharts(event.target); });
})();
