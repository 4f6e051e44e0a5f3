/* The opportunity board: drag a card (or pick "Move to…") to move the deal through its stage gate.
   The server decides; a refused move puts the card back and says why in a modal. */
(function () {
  "use strict";

  var board, modal, form, text, pending;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) { return values[key] == null ? "" : values[key]; });
  }

  function csrf() {
    var input = board.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function column(stage) {
    return board.querySelector('.board-column[data-stage="' + stage + '"]');
  }

  function stageName(stage) {
    var col = column(stage);
    return col ? col.querySelector("h2").firstChild.textContent.trim() : stage;
  }

  function say(message, kind) {
    var alert = document.getElementById("board-alert");
    alert.textContent = message;
    alert.className = "alert alert-" + (kind || "danger");
    if (kind === "success") {
      window.clearTimeout(say.timer);
      say.timer = window.setTimeout(function () { alert.className = "alert d-none"; }, 4000);
    }
  }

  function remember(card) {
    return { card: card, parent: card.parentNode, next: card.nextSibling };
  }

  function putBack(place) {
    if (place && place.parent) place.parent.insertBefore(place.card, place.next);
    place.card.classList.remove("board-card-moving");
  }

  function place(card, stage) {
    var body = column(stage).querySelector("[data-dropzone]");
    body.insertBefore(card, body.firstChild);
  }

  function updateColumns(figures) {
    Object.keys(figures).forEach(function (stage) {
      var col = column(stage);
      if (!col) return;
      col.querySelector("[data-testid=column-count]").textContent = figures[stage].count;
      col.querySelector("[data-testid=column-total]").textContent = figures[stage].total;
    });
  }

  // --- the modal: what a refused move still needs ---------------------------------------------------

  function part(name) { return form.querySelector('[data-part="' + name + '"]'); }

  function show(name, visible) { part(name).classList.toggle("d-none", !visible); }

  function openModal(move, answer) {
    var closing = column(move.stage).dataset.outcome;
    var unmet = answer && answer.code === "stage_gate_unmet" ? answer.unmet : [];
    var canOverride = unmet.length > 0 && answer.can_override;
    var name = move.card.dataset.name;
    pending = move;
    move.needReason = closing === "won" || closing === "lost";
    move.needOverride = canOverride;
    document.getElementById("move-modal-title").textContent = unmet.length
      ? format(text.gate_title, { stage: stageName(move.stage) })
      : format(closing === "won" ? text.won_title : text.lost_title, { name: name });
    var list = form.querySelector("[data-testid=unmet-list]");
    list.textContent = "";
    unmet.forEach(function (item) {
      var li = document.createElement("li");
      li.dataset.key = item.key;
      li.dataset.testid = "unmet-item";
      li.innerHTML = '<i class="bi bi-x-circle-fill text-danger me-2" aria-hidden="true"></i>';
      li.appendChild(document.createTextNode(item.label));
      list.appendChild(li);
    });
    show("unmet", unmet.length > 0);
    show("override", canOverride);
    show("no-override", unmet.length > 0 && !canOverride);
    show("reason", move.needReason && (!unmet.length || canOverride));
    var label = part("reason").querySelector("label");
    label.textContent = closing === "won" ? label.dataset.labelWon : label.dataset.labelLost;
    var submit = part("submit");
    submit.textContent = canOverride ? text.override : text.close;
    show("submit", canOverride || (move.needReason && !unmet.length));
    show("error", false);
    if (answer && answer.code !== "stage_gate_unmet" && answer.detail) {
      var messages = (answer.errors || []).map(function (error) { return error.message; });
      part("error").textContent = messages.length ? messages.join(" ") : answer.detail;
      show("error", true);
    }
    bootstrap.Modal.getOrCreateInstance(modal).show();
  }

  function submitModal(event) {
    event.preventDefault();
    if (!pending) return;
    var extra = {};
    var reason = form.querySelector("#move-reason").value.trim();
    var override = form.querySelector("#move-override-reason").value.trim();
    if (pending.needOverride) {
      if (!override) { part("error").textContent = text.override_required; show("error", true); return; }
      extra.override_reason = override;
    }
    if (pending.needReason) {
      if (!reason) { part("error").textContent = text.reason_required; show("error", true); return; }
      extra.reason = reason;
    }
    var move = pending;
    pending = null;
    bootstrap.Modal.getOrCreateInstance(modal).hide();
    send(move, extra);
  }

  // --- the move itself ---------------------------------------------------------------------------------

  function send(move, extra) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf());
    data.append("to_stage", move.stage);
    if (board.dataset.mine) data.append("mine", "1");
    Object.keys(extra || {}).forEach(function (key) { data.append(key, extra[key]); });
    var card = move.card;
    // Shown where it is going while the server decides; put back if it says no.
    var origin = remember(card);
    place(card, move.stage);
    card.classList.add("board-card-moving");
    fetch(card.dataset.moveUrl, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (answer) { return { status: response.status, answer: answer }; },
        function () { return { status: response.status, answer: {} }; });
    }).then(function (result) {
      var answer = result.answer;
      if (result.status === 200 && answer.ok) {
        var holder = document.createElement("div");
        holder.innerHTML = answer.card.trim();
        var fresh = holder.firstElementChild;
        card.replaceWith(fresh);
        updateColumns(answer.columns);
        say(format(text.moved, { name: fresh.dataset.name, stage: stageName(answer.stage) }), "success");
        return;
      }
      putBack(origin);
      if (result.status === 403) {
        say(answer.detail || text.forbidden);
      } else if (result.status === 422 && answer.code === "stage_gate_unmet") {
        openModal({ card: card, stage: move.stage }, answer);
      } else if (result.status === 422 && (answer.errors || []).some(function (e) { return e.field === "reason"; })) {
        openModal({ card: card, stage: move.stage }, answer);
      } else {
        say(answer.detail || text.failed);
      }
    }).catch(function () {
      putBack(origin);
      say(text.failed);
    });
  }

  function move(card, stage) {
    if (!stage || stage === card.dataset.stage || !column(stage)) return;
    var outcome = column(stage).dataset.outcome;
    if ((outcome === "won" || outcome === "lost") && column(card.dataset.stage).dataset.outcome === "") {
      // Closing asks why first; the gate is checked when the reason is sent.
      form.reset();
      openModal({ card: card, stage: stage }, null);
      return;
    }
    form.reset();
    send({ card: card, stage: stage }, {});
  }

  // --- drag and drop, and the "Move to…" list ------------------------------------------------------------

  var dragged = null;

  function init() {
    board = document.getElementById("board");
    modal = document.getElementById("move-modal");
    if (!board || !modal) return;
    form = document.getElementById("move-form");
    text = JSON.parse(document.getElementById("board-text").textContent);
    form.addEventListener("submit", submitModal);

    board.addEventListener("dragstart", function (event) {
      var card = event.target.closest && event.target.closest(".board-card");
      if (!card) return;
      dragged = card;
      card.classList.add("board-card-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.id);
    });
    board.addEventListener("dragend", function () {
      if (dragged) dragged.classList.remove("board-card-dragging");
      dragged = null;
      board.querySelectorAll(".board-drop-target").forEach(function (el) { el.classList.remove("board-drop-target"); });
    });
    board.addEventListener("dragover", function (event) {
      var col = event.target.closest && event.target.closest(".board-column");
      if (!col || !dragged) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      board.querySelectorAll(".board-drop-target").forEach(function (el) { if (el !== col) el.classList.remove("board-drop-target"); });
      col.classList.add("board-drop-target");
    });
    board.addEventListener("drop", function (event) {
      var col = event.target.closest && event.target.closest(".board-column");
      if (!col || !dragged) return;
      event.preventDefault();
      col.classList.remove("board-drop-target");
      var card = dragged;
      dragged = null;
      card.classList.remove("board-card-dragging");
      move(card, col.dataset.stage);
    });
    board.addEventListener("change", function (event) {
      if (!event.target.matches(".board-move-select")) return;
      var select = event.target;
      var stage = select.value;
      select.value = "";
      move(select.closest(".board-card"), stage);
    });
    modal.addEventListener("hidden.bs.modal", function () { pending = null; });
  }

  document.addEventListener("DOMContentLoaded", init);
})();
