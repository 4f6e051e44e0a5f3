/* The power map: an org chart of the customer's people, coloured by stance, sized by influence, with their
   buying roles and a star for key people. Clicking a box opens the contact. */
(function () {
  "use strict";

  var STANCE = { supporter: "#1f7a4d", neutral: "#7d8896", opponent: "#c0392b" };
  var ROOT = "#12355b";
  var SLOT_WIDTH = 186;
  var LEVEL_HEIGHT = 100;
  var MIN_SCALE = 0.72;

  function boxSize(node, scale) {
    // Influence 1–5: a bigger box for a bigger say.
    return [(128 + node.influence * 8) * scale, 60 + node.influence * 2];
  }

  function dots(influence) {
    var text = "";
    for (var i = 1; i <= 5; i++) text += i <= influence ? "●" : "○";
    return text;
  }

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function fitText(text, width, font) {
    // Rich-text labels do not truncate by themselves: cut each line to the box.
    var format = window.echarts.format;
    return format && format.truncateText ? format.truncateText(text, width, font, "…") : text;
  }

  function rolesText(roles, width) {
    var font = "10px sans-serif";
    for (var shown = Math.min(roles.length, 2); shown > 0; shown--) {
      var text = roles.slice(0, shown).join(" · ") + (roles.length > shown ? " +" + (roles.length - shown) : "");
      if (shown === 1 || fitText(text, width, font) === text) return fitText(text, width, font);
    }
    return "";
  }

  function label(node, scale) {
    var width = boxSize(node, scale)[0] - 14;
    var lines = ["{name|" + fitText((node.key ? "★ " : "") + node.name, width, "bold 12.5px sans-serif") + "}"];
    if (node.title) lines.push("{title|" + fitText(node.title, width, "10.5px sans-serif") + "}");
    var roles = rolesText(node.roles, width);
    if (roles) lines.push("{roles|" + roles + "}");
    lines.push("{dots|" + dots(node.influence) + "}");
    return lines.join("\n");
  }

  function treeOf(data, scale) {
    var byId = {};
    data.nodes.forEach(function (node) {
      var size = boxSize(node, scale);
      var fill = node.inactive ? "#f4f5f7" : STANCE[node.stance] || STANCE.neutral;
      var ink = node.inactive ? "#7d8896" : "#ffffff";
      byId[node.id] = {
        name: node.name,
        contact: node,
        url: node.url,
        symbol: "roundRect",
        symbolSize: size,
        itemStyle: {
          color: fill,
          borderColor: node.inactive ? "#8a94a3" : node.key ? "#f0b400" : "rgba(0,0,0,0.08)",
          borderWidth: node.key || node.inactive ? 2.5 : 1,
          borderType: node.inactive ? "dashed" : "solid",
          opacity: node.inactive ? 0.75 : 1,
          shadowBlur: node.inactive ? 0 : 4,
          shadowColor: "rgba(18,53,91,0.18)",
        },
        label: {
          show: true,
          position: "inside",
          formatter: label(node, scale),
          width: size[0] - 12,
          overflow: "truncate",
          lineHeight: 14,
          rich: {
            name: { color: ink, fontWeight: "bold", fontSize: 12.5, lineHeight: 16, width: size[0] - 12, align: "center", overflow: "truncate" },
            title: { color: ink, fontSize: 10.5, opacity: 0.9, width: size[0] - 12, align: "center", overflow: "truncate" },
            roles: { color: node.inactive ? "#7d8896" : "#fff6d5", fontSize: 10, width: size[0] - 12, align: "center", overflow: "truncate" },
            dots: { color: ink, fontSize: 8, align: "center", lineHeight: 11 },
          },
        },
        children: [],
      };
    });
    var roots = [];
    data.nodes.forEach(function (node) {
      var item = byId[node.id];
      if (node.parent && byId[node.parent]) byId[node.parent].children.push(item);
      else roots.push(item);
    });
    // Several people may report to nobody on the map: the account sits above them all.
    return {
      name: data.account,
      symbol: "roundRect",
      symbolSize: [Math.min(220, 40 + data.account.length * 13), 30],
      itemStyle: { color: ROOT, borderColor: ROOT },
      label: { show: true, position: "inside", color: "#fff", fontWeight: "bold", fontSize: 12, width: 200, overflow: "truncate" },
      tooltip: { show: false },
      children: roots,
    };
  }

  // A tidy org chart: a manager sits centred over the people who report to them. People who report to
  // one manager and have no reports of their own are stacked in columns of up to STACK rows under them,
  // as org charts do, so a wide team stays narrow.
  var STACK = 3;

  function layout(tree) {
    var next = 0;
    var depth = 0;
    (function place(item, level) {
      item.level = level;
      depth = Math.max(depth, level);
      if (!item.children.length) {
        item.slot = next++;
        return;
      }
      var leaves = item.children.every(function (child) { return !child.children.length; });
      // Under the account itself only a crowd is stacked: a few people without a manager stay side by side.
      if (leaves && (item.level > 0 || item.children.length > STACK)) {
        var columns = Math.ceil(item.children.length / STACK);
        var rows = Math.ceil(item.children.length / columns);
        var first = next;
        next += columns;
        item.children.forEach(function (child, index) {
          child.slot = first + Math.floor(index / rows);
          child.level = level + 1 + (index % rows);
          child.stacked = true;
          depth = Math.max(depth, child.level);
        });
        item.slot = first + (columns - 1) / 2;
        return;
      }
      item.children.forEach(function (child) { place(child, level + 1); });
      item.slot = (item.children[0].slot + item.children[item.children.length - 1].slot) / 2;
    })(tree, 0);
    return { slots: Math.max(next, 1), depth: depth };
  }

  function flatten(tree) {
    var items = [];
    var lines = [];
    (function walk(item) {
      items.push(item);
      item.children.forEach(function (child) {
        if (child.stacked) {
          // A spine down the left of the column, a short branch to each box.
          var bus = item.level + 0.5;
          var spine = child.slot - 0.5;
          lines.push({ coords: [[item.slot, item.level], [item.slot, bus], [spine, bus], [spine, child.level], [child.slot, child.level]] });
        } else {
          var middle = (item.level + child.level) / 2 + 0.08;
          lines.push({ coords: [[item.slot, item.level], [item.slot, middle], [child.slot, middle], [child.slot, child.level]] });
        }
        walk(child);
      });
    })(tree);
    return { items: items, lines: lines };
  }

  function tooltip(data) {
    return function (params) {
      var node = params.data.contact;
      if (!node) return "";
      var l = data.labels;
      var rows = [
        "<strong>" + escapeHtml((node.key ? "★ " : "") + node.name) + "</strong>",
        node.title ? escapeHtml(node.title) + (node.department ? " · " + escapeHtml(node.department) : "") : escapeHtml(node.department),
        l.roles + ": " + escapeHtml(node.roles.join(", ") || "—"),
        l.stance + ": " + escapeHtml(node.stance_label) + " · " + l.influence + " " + node.influence + "/5",
        l.intimacy + ": " + escapeHtml(node.intimacy) + " · " + l.support + ": " + escapeHtml(node.support),
        l.owner + ": " + escapeHtml(node.owner || "—") + (node.no_backup ? ' <span style="color:#c0392b">(' + escapeHtml(l.no_backup) + ")</span>" : ""),
        l.last_met + ": " + escapeHtml(node.last_met || "—"),
      ];
      if (node.inactive) rows.push(l.status + ": " + escapeHtml(node.status_label));
      rows.push('<span style="color:#8a94a3">' + escapeHtml(l.open) + "</span>");
      return rows.filter(Boolean).join("<br>");
    };
  }

  function drawPowerMap(el) {
    if (!window.echarts || el.dataset.drawn) return;
    var source = document.getElementById(el.dataset.powerMap);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (!data.nodes.length) return;
    var scroller = el.parentElement;
    var size = layout(treeOf(data, 1));
    // Boxes narrow down (to MIN_SCALE) before the map has to scroll sideways.
    var scale = Math.min(1, Math.max(MIN_SCALE, (scroller.clientWidth || 600) / (size.slots * SLOT_WIDTH)));
    var tree = treeOf(data, scale);
    layout(tree);
    var parts = flatten(tree);

    function fit() {
      var available = scroller.clientWidth || 600;
      el.style.width = Math.max(available, size.slots * SLOT_WIDTH * scale) + "px";
      el.style.height = (size.depth + 1) * LEVEL_HEIGHT + "px";
    }
    fit();
    var axis = function (min, max, inverse) {
      return { type: "value", min: min, max: max, inverse: inverse, show: false };
    };
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 0, right: 0, top: 0, bottom: 0 },
      xAxis: axis(-0.6, size.slots - 0.4, false),
      yAxis: axis(-0.5, size.depth + 0.5, true),
      tooltip: { trigger: "item", confine: true, formatter: tooltip(data), extraCssText: "max-width: 22rem; white-space: normal;" },
      series: [
        {
          type: "lines",
          coordinateSystem: "cartesian2d",
          polyline: true,
          silent: true,
          z: 1,
          lineStyle: { color: "#b7c3d0", width: 1.5, opacity: 1 },
          data: parts.lines,
        },
        {
          type: "graph",
          coordinateSystem: "cartesian2d",
          layout: "none",
          z: 3,
          data: parts.items.map(function (item) {
            var copy = Object.assign({}, item, { value: [item.slot, item.level] });
            delete copy.children;
            return copy;
          }),
          emphasis: { scale: 1.04 },
        },
      ],
    });
    if (el.offsetWidth > scroller.clientWidth) {
      // A map wider than the screen opens centred on the top of the organisation.
      var root = chart.convertToPixel({ seriesIndex: 1 }, [tree.slot, 0]);
      if (root) scroller.scrollLeft = Math.max(0, root[0] - scroller.clientWidth / 2);
    }
    chart.on("click", function (params) {
      if (params.data && params.data.url) window.location.href = params.data.url;
    });
    chart.getZr().on("mousemove", function (event) {
      chart.getZr().setCursorStyle(event.target ? "pointer" : "default");
    });
    el.dataset.drawn = "1";
    window.addEventListener("resize", function () {
      fit();
      chart.resize();
    });
  }

  function drawAll(root) {
    if (root.matches && root.matches("[data-power-map]")) drawPowerMap(root);
    if (root.querySelectorAll) root.querySelectorAll("[data-power-map]").forEach(drawPowerMap);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
