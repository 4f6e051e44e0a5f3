/* The funnel chart: one ECharts funnel per sales process, from the figures of the table beside it. */
(function () {
  "use strict";

  var PALETTE = ["#12355b", "#1d4f91", "#3a6db3", "#5b8fd1", "#8fb1e0", "#b9cdea"];

  function amount(value) {
    return Math.round(value).toLocaleString(document.documentElement.lang || undefined);
  }

  function draw(el) {
    var data = JSON.parse(document.getElementById(el.dataset.funnelChart).textContent);
    var chart = echarts.init(el, null, { renderer: "svg" });
    var max = Math.max.apply(null, data.counts.concat([1]));
    var items = data.stages.map(function (name, index) {
      return {
        name: name,
        // An empty stage still shows as a thin band, so that the funnel keeps every step.
        value: Math.max(data.counts[index], max * 0.04),
        count: data.counts[index],
        amount: data.amounts[index],
        conversion: data.conversions[index],
        itemStyle: { color: PALETTE[index % PALETTE.length] },
      };
    });
    function describe(item) {
      var text = item.name + ": " + item.count + " · " + amount(item.amount) + (data.currency ? " " + data.currency : "");
      return text;
    }
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
      series: [{
        type: "funnel",
        sort: "none",
        left: "4%",
        right: "4%",
        top: 8,
        bottom: 8,
        minSize: "18%",
        maxSize: "100%",
        gap: 3,
        label: {
          show: true,
          position: "inside",
          color: "#fff",
          fontSize: 12,
          formatter: function (params) { return describe(params.data); },
        },
        labelLine: { show: false },
        data: items,
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
