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
  function fixed(v, d) { return has(v) ? Number(v).toFixed(d) : "\u2014"; }
  function commKey(c) { return c === null || c === undefined ? "none" : String(c); }
  function commName(c) { return c === null || c === undefined ? "No community" : "Community " + c; }
  var byId = new Map();
  DATA.nodes.forEach(function (n) { byId.set(n.id, n); });
  var commById = new Map();
  DATA.communities.forEach(function (c) { commById.set(commKey(c.id), c); });

  function nodeTip(n) {
    var box = el("div", "adv-tip");
    box.appendChild(el("div", "adv-tip-title", has(n.handle) ? "@" + n.handle : n.label));
    if (has(n.name)) { box.appendChild(el("div", "", n.name)); }
    var line = n.brand ? "Brand-owned account" : (has(n.rank) ? "Rank " + n.rank : "Not ranked");
    line += " \u00b7 score " + fixed(n.score, 1);
    if (has(n.seed)) { line += " \u00b7 seed " + n.seed; }
    box.appendChild(el("div", "", line));
    var c = commName(n.community);
    if (has(n.communityLabel)) { c += " \u00b7 " + n.communityLabel; }
    box.appendChild(el("div", "", c));
    if (has(n.evidence)) { box.appendChild(el("div", "adv-tip-evidence", n.evidence)); }
    return box;
  }
  function short(id) {
    var n = byId.get(id);
    return n ? (has(n.handle) ? "@" + n.handle : n.label) : id;
  }
  function edgeTip(e) {
    var box = el("div", "adv-tip");
    box.appendChild(el("div", "adv-tip-title", short(e.from) + " \u2192 " + short(e.to)));
    var parts = [];
    DATA.kinds.forEach(function (k, i) { if (e.counts[i]) { parts.push(k + " " + e.counts[i]); } });
    if (parts.length) { box.appendChild(el("div", "", parts.join(" \u00b7 "))); }
    box.appendChild(el("div", "", "weight " + e.weight));
    return box;
  }
  function shade(hex) {
    var v = parseInt(hex.slice(1), 16);
    var r = Math.round(((v >> 16) & 255) * 0.6);
    var g = Math.round(((v >> 8) & 255) * 0.6);
    var b = Math.round((v & 255) * 0.6);
    return "rgb(" + r + "," + g + "," + b + ")";
  }

  var visNodes = DATA.nodes.map(function (n) {
    var item = {
      id: n.id,
      label: n.label,
      shape: n.brand ? "star" : "dot",
      size: n.size,
      borderWidth: n.brand ? 3 : (has(n.seed) ? 5 : 1),
      color: {
        background: n.color,
        border: n.brand ? "#111111" : (has(n.seed) ? "#d4a017" : shade(n.color)),
        highlight: {background: n.color, border: "#111111"},
        hover: {background: n.color, border: "#111111"}
      },
      title: nodeTip(n),
      community: commKey(n.community)
    };
    if (!DATA.physics) { item.x = n.x; item.y = n.y; }
    return item;
  });
  var visEdges = DATA.edges.map(function (e, i) {
    return {id: "e" + i, from: e.from, to: e.to, width: e.width, title: edgeTip(e)};
  });
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var container = document.getElementById("network");
  var options = {
    autoResize: true,
    layout: {randomSeed: DATA.seed, improvedLayout: DATA.nodes.length <= 100},
    nodes: {
      font: {face: FONT, size: 14, color: "#1f2933", strokeWidth: 3, strokeColor: "#ffffff"}
    },
    edges: {
      arrows: {to: {enabled: true, scaleFactor: 0.45}},
      color: {inherit: "from", opacity: 0.5},
      smooth: DATA.physics ? {enabled: true, type: "continuous", roundness: 0.3} : false,
      selectionWidth: 1.5,
      hoverWidth: 1
    },
    interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: !DATA.physics,
                  keyboard: false},
    physics: DATA.physics ? {
      enabled: true,
      solver: "forceAtlas2Based",
      forceAtlas2Based: {gravitationalConstant: -60, centralGravity: 0.01, springLength: 110,
                         springConstant: 0.06, avoidOverlap: 0.3},
      maxVelocity: 60, minVelocity: 0.75,
      stabilization: {enabled: true, iterations: 500, updateInterval: 50, fit: true}
    } : {enabled: false}
  };
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  window.advocatesNetwork = network;
  window.advocatesNodes = nodes;
  window.advocatesEdges = edges;

  var readyDone = false;
  function markReady() {
    if (readyDone) { return; }
    readyDone = true;
    window.advocatesReady = true;
    document.documentElement.setAttribute("data-ready", "1");
  }
  if (DATA.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});
      network.fit();
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
    network.fit();
    network.redraw();
  }

  // details panel
  var details = document.getElementById("details");
  var detailsBody = document.getElementById("details-body");
  function clearDetails() {
    detailsBody.replaceChildren(el("p", "adv-muted", "Click a node or search for an account."));
    details.removeAttribute("data-account");
  }
  function showDetails(id) {
    var n = byId.get(id);
    if (!n) { clearDetails(); return; }
    var dl = el("dl");
    function row(k, v) { dl.appendChild(el("dt", "", k)); dl.appendChild(el("dd", "", v)); }
    row("Handle", has(n.handle) ? "@" + n.handle : "\u2014");
    row("Display name", has(n.name) ? n.name : "\u2014");
    row("Platform", has(n.platform) ? n.platform : "\u2014");
    row("Account id", n.id);
    row("Rank", n.brand ? "Brand-owned (not ranked)" : (has(n.rank) ? n.rank : "Not ranked"));
    if (has(n.seed)) { row("Seed", "#" + n.seed + " to approach first (advocates seed)"); }
    row("Advocate score", has(n.score) ? fixed(n.score, 1) + " / 100" : "\u2014");
    row("Influence", fixed(n.influence, 3));
    row("Affinity", fixed(n.affinity, 3));
    row("Advocacy", fixed(n.advocacy, 3));
    row("PageRank", has(n.pagerank) ? String(n.pagerank) : "\u2014");
    if (has(n.stage)) { row("Stage", n.stage); }
    var c = commName(n.community);
    if (has(n.communityLabel)) { c += " \u00b7 " + n.communityLabel; }
    row("Community", c);
    row("Followers", has(n.followers) ? Number(n.followers).toLocaleString("en-US") : "\u2014");
    var evidence = el("div", "adv-evidence", has(n.evidence) ? n.evidence : "\u2014");
    evidence.setAttribute("data-testid", "details-evidence");
    detailsBody.replaceChildren(dl, el("h3", "adv-muted", "Evidence"), evidence);
    details.setAttribute("data-account", n.id);
  }
  network.on("selectNode", function (e) { if (e.nodes.length) { showDetails(e.nodes[0]); } });
  network.on("deselectNode", function () {
    var sel = network.getSelectedNodes();
    if (sel.length) { showDetails(sel[0]); } else { clearDetails(); }
  });
  clearDetails();

  // community filter
  var filter = document.getElementById("community-filter");
  DATA.communities.forEach(function (c) {
    var o = el("option", "", commName(c.id) + (has(c.label) ? " \u00b7 " + c.label : "") +
                             " (" + c.count + ")");
    o.value = commKey(c.id);
    filter.appendChild(o);
  });
  function applyFilter() {
    var v = filter.value;
    var updates = visNodes.map(function (n) {
      return {id: n.id, hidden: v !== "all" && n.community !== v};
    });
    nodes.update(updates);
    var visible = updates.filter(function (u) { return !u.hidden; })
      .map(function (u) { return u.id; });
    var shown = new Set(visible);
    var sel = network.getSelectedNodes().filter(function (id) { return shown.has(id); });
    network.selectNodes(sel);
    if (!sel.length) { clearDetails(); }
    if (visible.length) { network.fit({nodes: visible, animation: false}); }
  }
  filter.addEventListener("change", applyFilter);

  // search
  function norm(s) {
    return has(s) ? String(s).normalize("NFKC").toLocaleLowerCase() : "";
  }
  var index = DATA.nodes.map(function (n) {
    return {id: n.id, community: commKey(n.community), handle: norm(n.handle),
            name: norm(n.name), label: norm(n.label)};
  });
  function find(q) {
    q = norm(q).trim().replace(/^@/, "");
    if (!q) { return null; }
    var tests = [
      function (r) { return r.handle === q; },
      function (r) { return r.handle.indexOf(q) === 0; },
      function (r) { return r.handle.indexOf(q) >= 0; },
      function (r) { return r.name.indexOf(q) >= 0 || r.label.indexOf(q) >= 0; }
    ];
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < index.length; i++) { if (tests[t](index[i])) { return index[i]; } }
    }
    return null;
  }
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  function runSearch() {
    if (!search.value.trim()) { status.textContent = ""; return; }
    var hit = find(search.value);
    if (!hit) { status.textContent = "No match"; return; }
    if (filter.value !== "all" && filter.value !== hit.community) {
      filter.value = "all";
      applyFilter();
    }
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: Math.max(network.getScale(), 1.0),
                           animation: {duration: 300, easingFunction: "easeInOutQuad"}});
    showDetails(hit.id);
    status.textContent = "Found " + short(hit.id);
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") { runSearch(); } });

  // legend and stats
  var list = document.getElementById("legend-list");
  var others = {communities: 0, accounts: 0};
  DATA.communities.forEach(function (c) {
    if (c.id !== null && c.id >= 0 && c.id < DATA.palette.length) {
      var li = el("li");
      var sw = el("span", "adv-swatch");
      sw.style.backgroundColor = c.color;
      li.appendChild(sw);
      li.appendChild(el("span", "", commName(c.id) + (has(c.label) ? " \u00b7 " + c.label : "") +
                                    " (" + c.count + ")"));
      li.setAttribute("data-community", commKey(c.id));
      list.appendChild(li);
    } else {
      others.communities += 1;
      others.accounts += c.count;
    }
  });
  if (others.communities) {
    var li = el("li");
    var sw = el("span", "adv-swatch");
    sw.style.backgroundColor = __NEUTRAL_JSON__;
    li.appendChild(sw);
    li.appendChild(el("span", "", "Other communities: " + others.communities + " (" +
                                  others.accounts + ")"));
    li.setAttribute("data-community", "other");
    list.appendChild(li);
  }
  var brands = DATA.nodes.filter(function (n) { return n.brand; }).length;
  if (brands) {
    var bl = el("li");
    bl.appendChild(el("span", "adv-star", "\u2605"));
    bl.appendChild(el("span", "", "Brand-owned account (" + brands + ")"));
    bl.setAttribute("data-community", "brand");
    list.appendChild(bl);
  }
  document.getElementById("stats").textContent =
    DATA.nodes.length + " accounts \u00b7 " + DATA.edges.length + " ties shown";
})();
