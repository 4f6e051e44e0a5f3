/* The funnel chart: open deals per stage as horizontal bars, one chart per sales process, from the figures of the table beside it. */
(function () {
  "use strict";

  var PALETTE = ["#12355b", "#1d4f91", "#3a6db3", "#5b8fd1", "#8fb1e0", "#b9cdea"];

  function amount(value) {
    return Math.round(value).toLocaleString(document.documentElement.lang || undefined);
  }

  function draw(el) {
    var data = JSON.parse(document.getElementById(el.dataset.funnelChart).textContent);
    var chart = echarts.init(el, null, { renderer: "svg" });
    var items = data.stages.map(function (name, index) {
      return {
        name: name,
        value: data.counts[index],
        count: data.counts[index],
        amount: data.amounts[index],
        conversion: data.conversions[index],
        itemStyle: { color: PALETTE[index % PALETTE.length] },
      };
    });
    chart.setOption({
      animation: false,
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: function (params) {
          var item = params.data;
          var lines = [
            "<strong>" + echarts.format.encodeHTML(item.name) + "</strong>",
            echarts.format.encodeHTML(data.labels.count) + ": " + item.count,
            echarts.format.encodeHTML(data.labels.amount) + ": " + amount(item.amount) + (data.currency ? " " + data.currency : ""),
          ];
          if (item.conversion !== null) lines.push(echarts.format.encodeHTML(data.labels.conversion) + ": " + item.conversion + "%");
          return lines.join("<br>");
        },
      },
      // Horizontal bars, widest stage first: readable on a phone, where a funnel's narrow end hides its labels.
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#e9edf3" } }, max: function (v) { return Math.max(1, Math.ceil(v.max * 1.35)); } },
      yAxis: { type: "category", inverse: true, data: data.stages, axisTick: { show: false }, axisLabel: { color: "#12355b", width: 110, overflow: "truncate" } },
      series: [{
        type: "bar",
        barMaxWidth: 34,
        data: items.map(function (item) { return Object.assign({}, item, { value: item.count }); }),
        label: {
          show: true,
          position: "right",
          color: "#12355b",
          formatter: function (params) {
            var item = params.data;
            return item.count + " · " + amount(item.amount) + (data.currency ? " " + data.currency : "");
          },
        },
      }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-funnel-chart]:not([data-drawn])").forEach(function (el) {
      el.dataset.drawn = "1";
      draw(el);
    });
  });
})();
