/* The opportunity page: rows added to the splits and quote editors, the running split total, and the live
   refresh that must never throw away what someone is typing. */
(function () {
  "use strict";

  // A form someone has typed into is "dirty" until it is sent; the pulse waits until then.
  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form) form.dataset.dirty = "1";
    if (form && form.classList.contains("splits-form")) splitTotal(form);
  });
  document.addEventListener("submit", function (event) {
    delete event.target.dataset.dirty;
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var body = event.detail.elt;
    if (!body || body.id !== "deal-body") return;
    var active = document.activeElement;
    var typing = active && body.contains(active) && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
    if (typing || body.querySelector("form[data-dirty]") || document.querySelector(".modal.show")) {
      event.preventDefault();
    }
  });

  // Who changed the deal, said for a few seconds in a corner.
  document.addEventListener("htmx:load", function (event) {
    var body = event.detail.elt;
    if (!body || body.id !== "deal-body" || !body.dataset.updatedMessage) return;
    var holder = document.getElementById("deal-toast");
    if (!holder) return;
    holder.innerHTML = "";
    var toast = document.createElement("div");
    toast.className = "toast align-items-center text-bg-dark border-0 show";
    toast.setAttribute("role", "status");
    toast.setAttribute("data-testid", "deal-updated");
    var inner = document.createElement("div");
    inner.className = "toast-body";
    inner.innerHTML = '<i class="bi bi-arrow-repeat me-1"></i>';
    inner.appendChild(document.createTextNode(body.dataset.updatedMessage));
    toast.appendChild(inner);
    holder.appendChild(toast);
    window.setTimeout(function () { if (toast.parentNode) toast.parentNode.removeChild(toast); }, 6000);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) return;
    var form = button.closest("form");
    var template = form.querySelector("template[data-row-template]");
    var rows = form.querySelector("[data-rows]");
    if (!template || !rows) return;
    rows.appendChild(template.content.cloneNode(true));
    var inputs = rows.lastElementChild && rows.lastElementChild.querySelectorAll("input, select");
    if (inputs && inputs.length) inputs[0].focus();
  });

  function splitTotal(form) {
    var out = form.querySelector("[data-split-total]");
    if (!out) return;
    var total = 0;
    form.querySelectorAll(".split-row").forEach(function (row) {
      var kind = row.querySelector("[name=split_kind]");
      var percent = parseFloat((row.querySelector("[name=split_percent]") || {}).value);
      if (kind && kind.value === "revenue" && !isNaN(percent)) total += percent;
    });
    out.textContent = "Σ " + (Math.round(total * 100) / 100) + "%";
    out.className = Math.abs(total - 100) < 0.001 || total === 0 ? "text-success fw-semibold" : "text-danger fw-semibold";
  }
})();
