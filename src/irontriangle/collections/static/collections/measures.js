/* Collection measures: money planned against collected per month, and ageing per group as stacked bars.
   Each element with data-measures-chart="<id of a json_script>" is drawn from that data. */
(function () {
  "use strict";

  var SERIES_COLOURS = ["#8fb1e0", "#12355b"];
  var BUCKET_COLOURS = {
    not_due: "#5b8fd1",
    "0_30": "#e8b43a",
    "31_90": "#e8833a",
    "91_180": "#d9534f",
    "180_plus": "#8e1b1b",
  };

  function language() {
    return document.documentElement.lang || undefined;
  }

  function money(value) {
    return Math.round(value).toLocaleString(language());
  }

  // Axis labels stay short: 30万 in Chinese, 300K in English.
  function compact(value) {
    try {
      return new Intl.NumberFormat(language(), { notation: "compact", maximumFractionDigits: 1 }).format(value);
    } catch (error) {
      return money(value);
    }
  }

  function tooltip(params) {
    var lines = ["<strong>" + echarts.format.encodeHTML(params[0].axisValueLabel) + "</strong>"];
    params.forEach(function (item) {
      if (!item.value) return;
      lines.push(item.marker + echarts.format.encodeHTML(item.seriesName) + ": " + money(item.value));
    });
    return lines.join("<br>");
  }

  function monthly(data) {
    var ahead = data.current + 1 < data.categories.length;
    return {
      color: SERIES_COLOURS,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true, formatter: tooltip },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.categories, axisTick: { show: false }, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", axisLabel: { formatter: compact }, splitLine: { lineStyle: { color: "#e9edf3" } } },
      series: data.series.map(function (s, index) {
        var series = { name: s.name, type: "bar", barMaxWidth: 26, barGap: "10%", data: s.data };
        if (index === 0 && ahead) {
          // The months still to come are shaded: what is planned there is not late yet.
          series.markArea = {
            silent: true,
            itemStyle: { color: "rgba(29, 79, 145, 0.05)" },
            label: { color: "#5b6b7f", fontSize: 11, position: "insideTop" },
            data: [[{ name: data.ahead, xAxis: data.categories[data.current + 1] }, { xAxis: data.categories[data.categories.length - 1] }]],
          };
        }
        return series;
      }),
    };
  }

  function stacked(data, el) {
    // One horizontal bar per group, longest first at the top; the height follows the number of groups.
    el.style.height = Math.max(220, data.categories.length * 44 + 90) + "px";
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true, formatter: tooltip },
      legend: { top: 0 },
      grid: { left: 8, right: 24, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: compact }, splitLine: { lineStyle: { color: "#e9edf3" } } },
      yAxis: { type: "category", inverse: true, data: data.categories, axisTick: { show: false }, axisLabel: { color: "#12355b", width: 120, overflow: "truncate" } },
      series: data.series.map(function (s) {
        return {
          name: s.name,
          type: "bar",
          stack: "ageing",
          barMaxWidth: 28,
          data: s.data,
          itemStyle: { color: BUCKET_COLOURS[s.code] },
          emphasis: { focus: "series" },
        };
      }),
    };
  }

  function draw(el) {
    var source = document.getElementById(el.dataset.measuresChart);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var option = data.stack ? stacked(data, el) : monthly(data);
    var chart = echarts.init(el, null, { renderer: "svg" });
    option.animation = false;
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-measures-chart]:not([data-drawn])").forEach(function (el) {
      el.dataset.drawn = "1";
      draw(el);
    });
  });
})();
