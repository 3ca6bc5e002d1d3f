(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("advocates-data").textContent);
  var FONT = __FONT_JSON__;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function has(v) { return v !== undefined && v !== null && v !== ""; }
  function thousands(v) { return Number(v).toLocaleString("en-US"); }
  function pct(v) { return (100 * Number(v)).toFixed(1) + "%"; }
  var T = DATA.totals;
  var byId = new Map();
  DATA.communities.forEach(function (c) { byId.set(c.id, c); });
  function title(c) {
    return c.community === null ? c.label : "Community " + c.community;
  }
  function subtitle(c) {
    return thousands(c.members) + (c.members === 1 ? " member" : " members") +
      " \u00b7 brand " + pct(c.brandShare);
  }

  // ------------------------------------------------------------------ drawing
  var taken = [];  // label boxes drawn in this frame, on screen: labels never overlap
  function free(box) {
    for (var t = 0; t < taken.length; t++) {
      var o = taken[t];
      if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) { return false; }
    }
    taken.push(box);
    return true;
  }
  var maxTies = DATA.links.reduce(function (m, l) { return Math.max(m, l.ties); }, 1);
  function draw(args) {
    var ctx = args.ctx, x = args.x, y = args.y, c = byId.get(args.id);
    var scale = ctx.getTransform().a / (window.devicePixelRatio || 1);
    var r = c.radius;
    return {
      drawNode: function () {
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fillStyle = c.color;
        ctx.globalAlpha = c.community === null ? 0.55 : 0.9;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.lineWidth = (args.state.selected ? 3 : (c.community === null ? 2 : 1)) / scale;
        ctx.strokeStyle = args.state.selected || args.state.hover ? "#111111" : "rgba(0,0,0,.45)";
        if (c.community === null) { ctx.setLineDash([8 / scale, 5 / scale]); }
        ctx.stroke();
        ctx.setLineDash([]);
        if (c.whiteSpace) {
          ctx.beginPath();
          ctx.arc(x, y, r + 6 / scale, 0, 2 * Math.PI);
          ctx.setLineDash([6 / scale, 4 / scale]);
          ctx.lineWidth = 3 / scale;
          ctx.strokeStyle = "#c62828";
          ctx.stroke();
          ctx.setLineDash([]);
        }
      },
      drawExternalLabel: function () {
        var px = 12 / scale;
        ctx.textAlign = "center";
        ctx.textBaseline = "top";
        ctx.lineJoin = "round";
        var lines = c.community === null ? [c.label, subtitle(c)] :
          [title(c) + " \u00b7 " + c.label, subtitle(c)];
        var ty = y + r + 4 / scale;
        var cut = lines.map(function (text) {
          return text.length > 34 ? text.slice(0, 33) + "\u2026" : text;
        });
        ctx.font = "600 " + px + "px " + FONT;
        var half = Math.max.apply(null, cut.map(function (t) {
          return ctx.measureText(t).width;
        })) / 2;
        var box = [(x - half) * scale, ty * scale, (x + half) * scale,
                   (ty + px * 1.25 * cut.length) * scale];
        if (!free(box) && !args.state.selected && !args.state.hover) { return; }
        cut.forEach(function (shown, i) {
          ctx.font = (i === 0 ? "600 " : "") + px + "px " + FONT;
          ctx.lineWidth = 3 / scale;
          ctx.strokeStyle = "rgba(255,255,255,0.9)";
          ctx.strokeText(shown, x, ty);
          ctx.fillStyle = "#1f2933";
          ctx.fillText(shown, x, ty);
          ty += px * 1.25;
        });
      },
      nodeDimensions: {width: 2 * r, height: 2 * r}
    };
  }
  var nodes = new vis.DataSet(DATA.communities.map(function (c) {
    return {id: c.id, x: c.x, y: c.y, shape: "custom", ctxRenderer: draw, size: c.radius};
  }));
  var drawnLinks = DATA.links.filter(function (l) { return l.drawn; });
  var edges = new vis.DataSet(drawnLinks.map(function (l, i) {
    return {id: "l" + i, from: l.a, to: l.b,
            width: 1 + 9 * Math.sqrt(l.ties / maxTies)};
  }));
  var container = document.getElementById("network");
  var net = new vis.Network(container, {nodes: nodes, edges: edges}, {
    autoResize: true,
    layout: {improvedLayout: false},
    physics: {enabled: false},
    nodes: {shape: "custom", ctxRenderer: draw},
    edges: {color: {color: "#7b8794", highlight: "#1f2933", hover: "#1f2933", opacity: 0.35},
            smooth: false, selectionWidth: 1, hoverWidth: 0.5},
    interaction: {hover: true, keyboard: false, multiselect: false}
  });
  window.advocatesNetwork = net;
  window.advocatesNodes = nodes;
  net.on("beforeDrawing", function () { taken = []; });
  net.once("afterDrawing", function () {
    document.documentElement.setAttribute("data-ready", "1");
    window.advocatesReady = true;
  });
  net.fit();
  net.redraw();

  // ------------------------------------------------------------------ tooltip
  var tooltip = document.getElementById("tooltip");
  function showTip(id, pointer) {
    var c = byId.get(id);
    var box = document.createDocumentFragment();
    box.appendChild(el("div", "adv-tip-title", title(c)));
    if (c.community !== null && has(c.label)) { box.appendChild(el("div", "", c.label)); }
    box.appendChild(el("div", "", subtitle(c)));
    if (c.whiteSpace) { box.appendChild(el("div", "", "White space")); }
    tooltip.replaceChildren(box);
    tooltip.hidden = false;
    tooltip.style.left = (pointer.x + 14) + "px";
    tooltip.style.top = (pointer.y + 14) + "px";
  }
  net.on("hoverNode", function (e) { showTip(e.node, e.pointer.DOM); });
  net.on("blurNode", function () { tooltip.hidden = true; });
  net.on("zoom", function () { tooltip.hidden = true; });
  net.on("dragStart", function () { tooltip.hidden = true; });

  // ------------------------------------------------------------------ details
  var details = document.getElementById("details");
  var body = document.getElementById("details-body");
  function clear() {
    body.replaceChildren(el("p", "adv-muted", "Click a community or search for one."));
    details.removeAttribute("data-community");
  }
  function linksOf(c) {
    return DATA.links.filter(function (l) { return l.a === c.id || l.b === c.id; })
      .sort(function (p, q) { return q.ties - p.ties || (p.a + p.b < q.a + q.b ? -1 : 1); });
  }
  function show(id) {
    var c = byId.get(id);
    if (!c) { clear(); return; }
    var dl = el("dl");
    function row(k, v) { dl.appendChild(el("dt", "", k)); dl.appendChild(el("dd", "", v)); }
    row("Community", c.community === null ? "the rest, grouped" : String(c.community));
    row("Label", has(c.label) ? c.label : "\u2014");
    if (c.community === null) { row("Communities", thousands(c.communities)); }
    row("Members", thousands(c.members) + " accounts");
    row("Brand share", pct(c.brandShare) + " of members brand-owned or with a brand act");
    row("Brand acts", thousands(c.brandActs));
    row("White space", c.whiteSpace ?
      "yes: many people, little brand presence (go where your customers gather)" : "no");
    row("Leaders", c.leaders.length ? c.leaders.map(function (h) {
      return h.indexOf(":") >= 0 ? h : "@" + h;
    }).join(" ") : "\u2014");
    row("Top tags", has(c.topTags) ? c.topTags : "\u2014");
    row("Stages", has(c.stageMix) ? c.stageMix : "\u2014");
    row("Bridges", thousands(c.bridges) + " members linking communities");
    row("Ties inside", thousands(c.internalTies));
    var parts = [dl, el("h3", "adv-muted", "Links to other communities (ties, both ways)")];
    var list = el("ol");
    list.setAttribute("data-testid", "links");
    linksOf(c).slice(0, 8).forEach(function (l) {
      var other = byId.get(l.a === c.id ? l.b : l.a);
      var out = l.a === c.id ? l.aToB : l.bToA;
      var inn = l.a === c.id ? l.bToA : l.aToB;
      list.appendChild(el("li", "", title(other) + ": " + thousands(l.ties) + " ties (" +
        thousands(out) + " out, " + thousands(inn) + " in; weight " + l.weight + ")"));
    });
    if (!list.childNodes.length) { list.appendChild(el("li", "", "none")); }
    parts.push(list);
    body.replaceChildren.apply(body, parts);
    details.setAttribute("data-community", c.id);
  }
  net.on("selectNode", function (e) { if (e.nodes.length) { show(e.nodes[0]); } });
  net.on("deselectNode", function () {
    var s = net.getSelectedNodes();
    if (s.length) { show(s[0]); } else { clear(); }
  });
  clear();

  // ------------------------------------------------------------------ search
  function norm(s) { return has(s) ? String(s).normalize("NFKC").toLocaleLowerCase() : ""; }
  var index = DATA.communities.map(function (c) {
    return {id: c.id, text: [title(c), c.label, c.topTags, c.leaders.join(" ")].map(norm)
      .join("\u0000")};
  });
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  function runSearch() {
    var q = norm(search.value).trim().replace(/^[@\uff20]/, "");
    if (!q) { status.textContent = ""; return; }
    var hit = null;
    for (var i = 0; i < index.length; i++) {
      if (index[i].text.indexOf(q) >= 0) { hit = index[i]; break; }
    }
    if (!hit) { status.textContent = "No match"; return; }
    net.selectNodes([hit.id]);
    net.focus(hit.id, {scale: Math.max(net.getScale(), 0.8), animation: false});
    show(hit.id);
    status.textContent = "Found " + title(byId.get(hit.id));
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") { runSearch(); } });

  // ------------------------------------------------------------------ legend and stats
  var legend = document.getElementById("legend-list");
  function item(mark, text, key) {
    var li = el("li");
    li.appendChild(mark);
    li.appendChild(el("span", "", text));
    li.setAttribute("data-legend", key);
    legend.appendChild(li);
  }
  var named = DATA.communities.filter(function (c) { return c.community !== null; });
  var rest = DATA.communities.filter(function (c) { return c.community === null; });
  var sizes = named.map(function (c) { return c.members; });
  var sw = el("span", "adv-swatch");
  sw.style.backgroundColor = named.length ? named[0].color : "#A0A7B0";
  item(sw, "A coloured circle: one named community. " + thousands(named.length) + " drawn of " +
    thousands(T.communities) + " communities; they hold " + thousands(T.namedAccounts) +
    " of " + thousands(T.accounts) + " accounts.", "named");
  if (rest.length) {
    var grey = el("span", "adv-swatch");
    grey.style.backgroundColor = rest[0].color;
    grey.style.borderStyle = "dashed";
    item(grey, "The dashed grey circle: " + rest[0].label + ", " + thousands(rest[0].members) +
      " accounts in all, drawn as one.", "other");
  }
  var beyond = named.filter(function (c) { return c.community >= 12; }).length;
  if (beyond) {
    var plain = el("span", "adv-swatch");
    plain.style.backgroundColor = rest.length ? rest[0].color : "#A0A7B0";
    item(plain, "Grey, solid outline: " + thousands(beyond) + " named communities beyond the " +
      "twelve colours.", "grey");
  }
  item(el("span", "adv-swatch adv-white"), "Dashed red ring: white space (" +
    thousands(T.whiteSpace) + " of the communities drawn): many people, little brand " +
    "presence.", "white");
  item(el("span", "adv-line"), "Line: ties between the members of two circles (width: how " +
    "many). Each circle's three strongest links are drawn: " + thousands(drawnLinks.length) +
    " of " + thousands(DATA.links.length) + " links; a circle's details list all of its.",
    "links");
  if (sizes.length) {
    item(el("span", "adv-swatch"), "Area: members (largest " + thousands(Math.max.apply(null,
      sizes)) + ", smallest named " + thousands(Math.min.apply(null, sizes)) + ").", "size");
  }
  if (T.unassigned) {
    item(el("span", ""), thousands(T.unassigned) + " accounts have no community and are " +
      "not on the map.", "unassigned");
  }
  document.getElementById("stats").textContent = thousands(DATA.communities.length) +
    " circles for " + thousands(T.communities) + " communities \u00b7 " +
    thousands(drawnLinks.length) + " of " + thousands(DATA.links.length) + " links drawn";
})();
