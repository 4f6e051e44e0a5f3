/* The account 360 page: the customer-matrix quadrant chart, and tabs that follow the address (#potential). */
(function () {
  "use strict";

  var COLOURS = { core: "#1f7a4d", growth: "#2f6db5", traction: "#c07a12", problem: "#8a94a3" };
  // Where each quadrant sits on the 0–100 plane: the thresholds are drawn at 50 on both axes.
  var AREAS = {
    growth: [[50, 0], [100, 50], "insideBottomRight"],
    core: [[50, 50], [100, 100], "insideTopRight"],
    problem: [[0, 0], [50, 50], "insideBottomLeft"],
    traction: [[0, 50], [50, 100], "insideTopLeft"],
  };

  function drawMatrix(el) {
    if (!window.echarts || el.dataset.drawn) return;
    var source = document.getElementById(el.dataset.matrixChart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var areas = Object.keys(AREAS).map(function (code) {
      var area = AREAS[code];
      var current = code === data.current;
      return [
        {
          name: data.quadrants[code],
          xAxis: area[0][0], yAxis: area[0][1],
          itemStyle: { color: COLOURS[code], opacity: current ? 0.22 : 0.07 },
          label: { position: area[2], color: COLOURS[code], fontWeight: current ? "bold" : "normal", fontSize: 12 },
        },
        { xAxis: area[1][0], yAxis: area[1][1] },
      ];
    });
    var axis = function (name) {
      return {
        type: "value", min: 0, max: 100, name: name, nameLocation: "middle", nameGap: 8,
        nameTextStyle: { color: "#5b6b7f", fontSize: 11 },
        axisLabel: { show: false }, axisTick: { show: false }, splitLine: { show: false },
        axisLine: { lineStyle: { color: "#c5cfdb" } },
      };
    };
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 22, right: 8, top: 20, bottom: 22 },
      tooltip: { trigger: "item", confine: true, formatter: function () { return data.name + "<br>" + data.tooltip.join("<br>"); } },
      xAxis: axis(data.axes.x),
      yAxis: axis(data.axes.y),
      series: [{
        type: "scatter",
        symbolSize: 16,
        data: [{ value: data.point, name: data.name }],
        itemStyle: { color: COLOURS[data.current] || "#12355b", borderColor: "#fff", borderWidth: 2, shadowBlur: 6, shadowColor: "rgba(0,0,0,.25)" },
        markArea: { silent: true, data: areas },
        markLine: {
          silent: true, symbol: "none",
          lineStyle: { type: "dashed", color: "#7d8ea3" },
          label: { fontSize: 10, color: "#5b6b7f" },
          data: [
            { xAxis: 50, label: { formatter: data.thresholds.x, position: "end" } },
            { yAxis: 50, label: { formatter: data.thresholds.y, position: "insideEndTop" } },
          ],
        },
      }],
    });
    el.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
    // A chart drawn while hidden has no size; give it one when it shows.
    if (!el.offsetWidth) {
      document.addEventListener("shown.bs.tab", function () { chart.resize(); });
    }
  }

  function drawAll(root) {
    root.querySelectorAll("[data-matrix-chart]").forEach(drawMatrix);
  }

  function showTabFromAddress() {
    var hash = window.location.hash;
    if (!hash || !window.bootstrap) return;
    var button = document.querySelector('.account-tabs [data-bs-target="' + hash + '"]');
    if (button) window.bootstrap.Tab.getOrCreateInstance(button).show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll(document);
    showTabFromAddress();
    // The address follows the open tab, so a reload or a shared link opens the same one.
    document.querySelectorAll(".account-tabs [data-bs-toggle=tab]").forEach(function (button) {
      button.addEventListener("shown.bs.tab", function () {
        history.replaceState(null, "", button.dataset.bsTarget);
      });
    });
  });
  window.addEventListener("hashchange", showTabFromAddress);
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
  // An out-of-band swap replaces the matrix card; draw the new one.
  document.addEventListener("htmx:oobAfterSwap", function () { drawAll(document); });
})();
