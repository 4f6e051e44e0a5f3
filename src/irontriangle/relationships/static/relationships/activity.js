/* Relationship activity pages: people chips, account pickers, the agreement fields, cadence and score charts. */
(function () {
  "use strict";

  var INK = "#1d4f91";
  var PALETTE = ["#1d4f91", "#f2a541", "#5b8fd1", "#1f7a4d", "#8a5cc2", "#c0504d", "#8aa1b9"];

  // A person ticked among the suggestions joins the chosen ones, so a new search does not drop them.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("#people-suggestions input[type=checkbox]") || !box.checked) return;
    var chosen = document.getElementById("people-chosen");
    if (!chosen) return;
    var wrap = box.closest(".chip-wrap");
    var icon = wrap.querySelector(".bi");
    if (icon) icon.className = "bi bi-person";
    wrap.querySelector(".chip").classList.remove("chip-add");
    box.id = "person-" + box.value;
    wrap.querySelector("label").setAttribute("for", box.id);
    chosen.appendChild(wrap);
  });

  // The picker's search swaps new options into its select and picks the first: act as if it was chosen.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.target;
    if (target && target.tagName === "SELECT" && target.closest(".picker")) {
      target.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  // Strategic agreements have terms (key projects, exclusivity, validity); other kinds do not.
  function showAgreementFields() {
    var kind = document.querySelector("[data-activity-kind]");
    var fields = document.querySelector("[data-agreement-fields]");
    if (!kind || !fields) return;
    fields.hidden = kind.value !== fields.dataset.agreementFields;
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-activity-kind]")) showAgreementFields();
  });

  function cadenceChart(el) {
    var data = JSON.parse(document.getElementById(el.dataset.cadenceChart).textContent);
    var chart = echarts.init(el, null, { renderer: "svg" });
    var series = data.series.map(function (serie, index) {
      return {
        name: serie.name, type: data.series.length > 1 ? "line" : "bar", data: serie.data,
        barMaxWidth: 36, smooth: false, symbolSize: 7, color: PALETTE[index % PALETTE.length],
      };
    });
    series.push({
      name: data.target_label, type: "line", data: data.categories.map(function () { return data.target; }),
      symbol: "none", color: "#b42318", lineStyle: { type: "dashed", width: 2 }, tooltip: { show: true },
    });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", confine: true },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisTick: { show: false } },
      yAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#e9edf3" } } },
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function scoreGauge(el) {
    var data = JSON.parse(document.getElementById(el.dataset.scoreGauge).textContent);
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      series: [{
        type: "gauge", min: 0, max: 100, startAngle: 200, endAngle: -20, radius: "95%", center: ["50%", "60%"],
        progress: { show: true, width: 16, itemStyle: { color: data.score >= 67 ? "#1f7a4d" : data.score >= 34 ? "#c07a12" : "#b42318" } },
        axisLine: { lineStyle: { width: 16, color: [[1, "#e9edf3"]] } },
        axisTick: { show: false }, splitLine: { show: false }, axisLabel: { show: false }, pointer: { show: false },
        anchor: { show: false }, title: { offsetCenter: [0, "32%"], fontSize: 13, color: "#5b6b7f" },
        detail: { valueAnimation: false, offsetCenter: [0, "-2%"], fontSize: 40, fontWeight: 600, color: INK, formatter: "{value}" },
        data: [{ value: data.score, name: data.label }],
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function draw(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-cadence-chart]:not([data-drawn])").forEach(function (el) { el.dataset.drawn = "1"; cadenceChart(el); });
    root.querySelectorAll("[data-score-gauge]:not([data-drawn])").forEach(function (el) { el.dataset.drawn = "1"; scoreGauge(el); });
  }

  document.addEventListener("DOMContentLoaded", function () { showAgreementFields(); draw(document); });
  document.addEventListener("htmx:load", function (event) { draw(event.target); });
})();
