/* The lead conversion report: one horizontal bar chart of rates per breakdown, with the SMB baseline. */
(function () {
  "use strict";

  function draw(el) {
    var source = document.getElementById(el.dataset.conversionChart);
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    // The first category on top: a category axis draws from the bottom, so hand it the lists reversed
    // (rather than inverting the axis, which would also put the baseline's label at the bottom).
    ["categories", "rates", "created", "converted"].forEach(function (key) { data[key] = data[key].slice().reverse(); });
    var highest = Math.max.apply(null, data.rates.map(function (rate) { return rate || 0; }).concat([data.baseline]));
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      color: ["#12355b"],
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: function (items) {
          var i = items[0].dataIndex;
          var rate = data.rates[i] === null ? "—" : data.rates[i].toFixed(1) + "%";
          return data.categories[i] + "<br>" + data.labels.rate + ": " + rate + "<br>" +
            data.labels.converted + " / " + data.labels.created + ": " + data.converted[i] + " / " + data.created[i];
        },
      },
      grid: { left: 8, right: 48, bottom: 8, top: 28, containLabel: true },
      xAxis: {
        type: "value",
        min: 0,
        max: Math.min(100, Math.ceil((highest * 1.15) / 10) * 10 || 20),
        axisLabel: { formatter: "{value}%" },
        splitLine: { lineStyle: { color: "#e9edf3" } },
      },
      yAxis: { type: "category", data: data.categories, axisTick: { show: false } },
      series: [{
        name: data.labels.rate,
        type: "bar",
        barMaxWidth: 22,
        data: data.rates.map(function (rate) {
          return { value: rate, itemStyle: { color: rate !== null && rate < data.baseline ? "#f2a541" : "#12355b" } };
        }),
        label: {
          show: true,
          position: "right",
          formatter: function (p) { return p.value === null || p.value === undefined ? "" : p.value.toFixed(1) + "%"; },
        },
        markLine: {
          symbol: "none",
          silent: true,
          lineStyle: { type: "dashed", color: "#c0392b", width: 1.5 },
          label: { formatter: data.labels.baseline, position: "end", color: "#c0392b" },
          data: [{ xAxis: data.baseline }],
        },
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-conversion-chart]").forEach(draw);
  });
})();
