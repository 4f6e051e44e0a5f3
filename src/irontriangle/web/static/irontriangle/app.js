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

  // Copy buttons: data-copy="<selector>" copies that element's text, then says so for a moment.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyBySelection(text); });
    }
    return copyBySelection(text);
  }

  // Plain-HTTP intranet servers have no Clipboard API: fall back to a selection and execCommand.
  function copyBySelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.dataset.copy);
    if (!source) return;
    copyText(source.textContent.trim()).then(function () {
      var label = button.querySelector("span");
      var icon = button.querySelector(".bi");
      if (!label || !button.dataset.copiedLabel) return;
      var before = label.textContent;
      label.textContent = button.dataset.copiedLabel;
      if (icon) icon.classList.replace("bi-clipboard", "bi-clipboard-check");
      window.setTimeout(function () {
        label.textContent = before;
        if (icon) icon.classList.replace("bi-clipboard-check", "bi-clipboard");
      }, 2000);
    }, function () {
      // Nothing could be copied: select the text so that the reader can copy it by hand.
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    });
  });

  // Confirmations: one modal marked data-confirm-action serves many buttons; the button that opens
  // it says where its form posts (data-action) and what it is about (data-subject).
  document.addEventListener("show.bs.modal", function (event) {
    var modal = event.target;
    var trigger = event.relatedTarget;
    if (!modal.hasAttribute("data-confirm-action") || !trigger || !trigger.dataset.action) return;
    modal.querySelector("form").setAttribute("action", trigger.dataset.action);
    var subject = modal.querySelector("[data-subject]");
    if (subject) subject.textContent = trigger.dataset.subject || "";
  });

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:load", function (event) { drawCharts(event.target); });
})();
