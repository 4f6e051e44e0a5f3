/* The contract page: the payment modal left open after a refusal, the schedule editor's rows and running
   total, confirmations, and htmx letting the payment form show its refusal (422) in place. */
(function () {
  "use strict";

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 422 && target && target.classList.contains("payment-form")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function syncRow(row) {
    var trigger = row.querySelector("[data-trigger]");
    if (!trigger) return;
    row.classList.toggle("after-event", trigger.value !== "");
    row.classList.toggle("fixed-date", trigger.value === "");
  }

  function total(form) {
    var out = form.querySelector("[data-schedule-total]");
    if (!out) return;
    var sum = 0;
    form.querySelectorAll("[data-rows] [data-percent]").forEach(function (input) {
      var value = parseFloat((input.value || "").replace(",", "."));
      if (!isNaN(value)) sum += value;
    });
    sum = Math.round(sum * 100) / 100;
    out.textContent = out.getAttribute("data-label-total") + ": " + sum + "%";
    out.classList.toggle("off", sum !== 100 && sum !== 0);
  }

  function setUpSchedule(form) {
    var rows = form.querySelector("[data-rows]");
    var template = form.querySelector("template[data-row-template]");
    rows.querySelectorAll("[data-row]").forEach(syncRow);
    form.addEventListener("change", function (event) {
      var row = event.target.closest("[data-row]");
      if (row) syncRow(row);
      total(form);
    });
    form.addEventListener("input", function () { total(form); });
    form.addEventListener("click", function (event) {
      if (event.target.closest("[data-add-row]")) {
        var fresh = template.content.firstElementChild.cloneNode(true);
        rows.appendChild(fresh);
        syncRow(fresh);
        fresh.querySelector("select, input:not([type=hidden])").focus();
      } else if (event.target.closest("[data-remove-row]")) {
        event.target.closest("[data-row]").remove();
        total(form);
      }
    });
    total(form);
  }

  function ready() {
    document.querySelectorAll("[data-testid=schedule-form]").forEach(setUpSchedule);
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
    var waiting = document.querySelector(".modal[data-open-on-load]");
    if (waiting && window.bootstrap) window.bootstrap.Modal.getOrCreateInstance(waiting).show();
    var invalid = document.querySelector("details[open] .is-invalid, .modal[data-open-on-load] .is-invalid");
    if (invalid && !waiting) invalid.scrollIntoView({ block: "center" });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
