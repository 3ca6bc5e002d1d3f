(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("advocates-data").textContent);
  var FONT = __FONT_JSON__;
  var MARKS = __MARKS_JSON__;
  var BITS = __BITS_JSON__;
  var NEUTRAL = __NEUTRAL_JSON__;

  // ------------------------------------------------------------------ renderer adapter
  __RENDERER__

  // ------------------------------------------------------------------ helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function has(v) { return v !== undefined && v !== null && v !== ""; }
  function fixed(v, d) { return has(v) ? Number(v).toFixed(d) : "\u2014"; }
  function thousands(v) { return Number(v).toLocaleString("en-US"); }
  function commKey(c) { return c === null || c === undefined ? "none" : String(c); }
  function commName(c) { return c === null || c === undefined ? "No community" : "Community " + c; }
  function colorOf(c) {
    return c !== null && c !== undefined && c >= 0 && c < DATA.palette.length ?
      DATA.palette[c] : NEUTRAL;
  }
  var MARK = {};
  MARKS.forEach(function (m) { MARK[m.role] = m; });
  var RING_ORDER = ["brand", "detractor", "advocate", "prospect", "leader"];
  function ringOf(roles) {
    for (var i = 0; i < RING_ORDER.length; i++) {
      if (roles & BITS[RING_ORDER[i]]) { return MARK[RING_ORDER[i]].color; }
    }
    return null;
  }
  function roleWords(n) {
    var words = [];
    if (n.roles & BITS.brand) { words.push("brand's own account"); }
    if (n.roles & BITS.seed) { words.push(has(n.seed) ? "seed #" + n.seed : "seed"); }
    if (n.roles & BITS.advocate) { words.push("advocate" + (has(n.rank) ? " #" + n.rank : "")); }
    if (n.roles & BITS.prospect) {
      words.push("prospect" + (has(n.prospectRank) ? " #" + n.prospectRank : ""));
    }
    if (n.roles & BITS.detractor) {
      words.push("detractor" + (has(n.detractorRank) ? " #" + n.detractorRank : ""));
    }
    if (n.roles & BITS.leader) { words.push("leader of " + commName(n.community).toLowerCase()); }
    return words;
  }

  // ------------------------------------------------------------------ the accounts
  // numbers: drawn accounts 0 .. D-1, then the search index of the others, D ..
  var D = DATA.nodes.length;
  var U = DATA.undrawn;
  var byId = new Map();
  var byNumber = [];
  DATA.nodes.forEach(function (n, i) { n.number = i; byId.set(n.id, n); byNumber[i] = n; });
  function record(num) {
    if (num < D) { return byNumber[num]; }
    if (byNumber[num]) { return byNumber[num]; }
    var k = num - D;
    var handle = U.handle[k];
    var n = {
      id: "+" + num, number: num, handle: handle, name: U.name[k], label: handle,
      roles: U.roles[k], scoreRank: U.rank[k], community: U.community[k], ties: U.ties[k],
      undrawn: true, brand: false
    };
    n.color = colorOf(n.community);
    byNumber[num] = n;
    byId.set(n.id, n);
    return n;
  }
  function drawn(n) { return !n.undrawn || n.added; }
  function displayName(n) { return has(n.handle) ? "@" + n.handle : n.label; }
  function labelOf(n) {
    var text = n.label;
    return n.brand ? "\u2605 " + text : text;
  }
  function visual(n) {
    return {
      id: n.id, label: labelOf(n), x: n.x, y: n.y, size: n.size, color: n.color,
      ring: ringOf(n.roles), seed: (n.roles & BITS.seed) ? MARK.seed.color : null,
      labelled: !!n.labelled, community: commKey(n.community)
    };
  }
  function shortId(id) {
    var n = byId.get(id);
    return n ? displayName(n) : id;
  }

  // ------------------------------------------------------------------ tooltip
  var tooltip = document.getElementById("tooltip");
  function nodeTip(n) {
    var box = document.createDocumentFragment();
    box.appendChild(el("div", "adv-tip-title", displayName(n)));
    if (has(n.name)) { box.appendChild(el("div", "", n.name)); }
    var words = roleWords(n);
    var line = words.length ? words.join(" \u00b7 ") : (has(n.scoreRank) ?
      "rank " + thousands(n.scoreRank) + " by score" : "not ranked");
    if (!n.undrawn) { line += " \u00b7 score " + fixed(n.score, 1); }
    box.appendChild(el("div", "", line));
    var c = commName(n.community);
    if (has(n.communityLabel)) { c += " \u00b7 " + n.communityLabel; }
    box.appendChild(el("div", "", c));
    if (has(n.evidence)) { box.appendChild(el("div", "adv-tip-evidence", n.evidence)); }
    return box;
  }
  function showTip(id, x, y) {
    var n = byId.get(id);
    if (!n) { hideTip(); return; }
    tooltip.replaceChildren(nodeTip(n));
    tooltip.hidden = false;
    var host = document.querySelector(".adv-main").getBoundingClientRect();
    var left = Math.min(x - host.left + 14, host.width - tooltip.offsetWidth - 8);
    var top = Math.min(y - host.top + 14, host.height - tooltip.offsetHeight - 8);
    tooltip.style.left = Math.max(4, left) + "px";
    tooltip.style.top = Math.max(4, top) + "px";
    tooltip.setAttribute("data-account", id);
  }
  function hideTip() { tooltip.hidden = true; tooltip.removeAttribute("data-account"); }

  // ------------------------------------------------------------------ the renderer
  var readyDone = false;
  var addedNumbers = [];
  var container = document.getElementById("network");
  var view = makeRenderer(container, {
    nodes: DATA.nodes.map(visual),
    edges: DATA.edges.map(function (e, i) {
      return {id: "e" + i, from: e.from, to: e.to, width: e.width};
    }),
    font: FONT,
    onSelect: function (id) { if (id) { showDetails(id); } else { clearDetails(); } },
    onHover: function (id, x, y) { if (id) { showTip(id, x, y); } else { hideTip(); } },
    onReady: markReady
  });
  function markReady() {
    if (readyDone) { return; }
    readyDone = true;
    window.advocatesReady = true;
    document.documentElement.setAttribute("data-ready", "1");
  }

  // ------------------------------------------------------------------ details panel
  var details = document.getElementById("details");
  var detailsBody = document.getElementById("details-body");
  function clearDetails() {
    detailsBody.replaceChildren(el("p", "adv-muted",
      "Click an account or search for one (every account of the run, drawn or not)."));
    details.removeAttribute("data-account");
  }
  function whyNotDrawn(n) {
    var text = "Not drawn: ";
    if (has(n.scoreRank)) {
      text += "rank " + thousands(n.scoreRank) + " of " + thousands(DATA.scored) + " by score";
    } else {
      text += "not ranked by score";
    }
    var words = roleWords(n);
    if (words.length) { text += " (" + words.join(", ") + ")"; }
    return text + "; the view draws " + thousands(D) + " of " + thousands(DATA.accounts) +
      " accounts.";
  }
  function drawnBecause(n) {
    if (n.added) { return "added from search, with its strongest ties"; }
    if (n.drawnFor === "role") { return "its role (always drawn)"; }
    return "tied to the drawn accounts (their strongest neighbourhood)";
  }
  function showDetails(id) {
    var n = byId.get(id);
    if (!n) { clearDetails(); return; }
    var dl = el("dl");
    function row(k, v) { dl.appendChild(el("dt", "", k)); dl.appendChild(el("dd", "", v)); }
    row("Handle", has(n.handle) ? "@" + n.handle : "\u2014");
    row("Display name", has(n.name) ? n.name : "\u2014");
    var words = roleWords(n);
    row("Role", words.length ? words.join(" \u00b7 ") : "none of the lists");
    if (n.undrawn) {
      row("Rank by score", has(n.scoreRank) ? thousands(n.scoreRank) + " of " +
        thousands(DATA.scored) : "not ranked");
      row("Community", commName(n.community));
      row("Drawn", n.added ? drawnBecause(n) : "no");
    } else {
      row("Platform", has(n.platform) ? n.platform : "\u2014");
      row("Account id", n.id);
      row("Rank", n.brand ? "Brand-owned (not ranked)" :
        (has(n.scoreRank) ? thousands(n.scoreRank) + " of " + thousands(DATA.scored) +
          " by score" : "Not ranked"));
      row("Advocate score", has(n.score) ? fixed(n.score, 1) + " / 100" : "\u2014");
      row("Influence", fixed(n.influence, 3));
      row("Affinity", fixed(n.affinity, 3));
      row("Advocacy", fixed(n.advocacy, 3));
      row("PageRank", has(n.pagerank) ? String(n.pagerank) : "\u2014");
      if (has(n.stage)) { row("Stage", n.stage); }
      var c = commName(n.community);
      if (has(n.communityLabel)) { c += " \u00b7 " + n.communityLabel; }
      row("Community", c);
      row("Followers", has(n.followers) ? thousands(n.followers) : "\u2014");
      row("Drawn because", drawnBecause(n));
    }
    var parts = [dl];
    if (n.undrawn && !n.added) {
      var note = el("p", "adv-undrawn", whyNotDrawn(n));
      note.setAttribute("data-testid", "not-drawn");
      parts.push(note);
      var button = el("button", "adv-button", "Add it to the view, with its strongest ties");
      button.type = "button";
      button.setAttribute("data-testid", "add-account");
      button.addEventListener("click", function () { addAccount(n); });
      parts.push(button);
    } else {
      var evidence = el("div", "adv-evidence", has(n.evidence) ? n.evidence : "\u2014");
      evidence.setAttribute("data-testid", "details-evidence");
      parts.push(el("h3", "adv-muted", "Evidence"), evidence);
    }
    detailsBody.replaceChildren.apply(detailsBody, parts);
    details.setAttribute("data-account", n.id);
  }
  clearDetails();

  // ------------------------------------------------------------------ adding an account
  var GOLDEN = Math.PI * (3 - Math.sqrt(5));
  var addedCount = 0;
  var bounds = DATA.nodes.reduce(function (b, n) {
    return {x0: Math.min(b.x0, n.x), x1: Math.max(b.x1, n.x),
            y0: Math.min(b.y0, n.y), y1: Math.max(b.y1, n.y)};
  }, {x0: 0, x1: 0, y0: 0, y1: 0});
  function near(anchor, radius) {
    addedCount += 1;
    var a = addedCount * GOLDEN;
    return {x: Math.round(anchor.x + radius * Math.cos(a)),
            y: Math.round(anchor.y + radius * Math.sin(a))};
  }
  function place(n, anchor, radius) {
    var p = anchor ? near(anchor, radius) :
      {x: bounds.x0 + (addedCount++ % 20) * DATA.spacing * 1.5,
       y: bounds.y1 + DATA.spacing * 3};
    n.x = p.x; n.y = p.y;
    n.size = 6;
    n.labelled = true;
    n.added = true;
  }
  function addAccount(n) {
    if (n.added) { return; }
    var ties = n.ties || [];
    var anchor = null;
    ties.forEach(function (code) {
      var other = record(code >= 0 ? code : -code - 1);
      if (!anchor && drawn(other)) { anchor = other; }
    });
    place(n, anchor, DATA.spacing * 2);
    var newNodes = [n];
    var newEdges = [];
    ties.forEach(function (code, i) {
      var num = code >= 0 ? code : -code - 1;
      var other = record(num);
      if (!drawn(other)) {
        place(other, n, DATA.spacing * 1.5);
        newNodes.push(other);
      }
      var from = code >= 0 ? n.id : other.id;
      var to = code >= 0 ? other.id : n.id;
      newEdges.push({id: "a" + n.number + "-" + i, from: from, to: to, width: 1});
    });
    view.addNodes(newNodes.map(visual));
    view.addEdges(newEdges);
    addedNumbers.push(n.number);
    applyFilter();
    view.select(n.id);
    view.focus(n.id);
    showDetails(n.id);
    updateStats();
  }

  // ------------------------------------------------------------------ community filter
  var filter = document.getElementById("community-filter");
  function countText(c) {
    return thousands(c.drawn) + " drawn of " + thousands(c.members) + " members";
  }
  DATA.communities.forEach(function (c) {
    var o = el("option", "", commName(c.id) + (has(c.label) ? " \u00b7 " + c.label : "") +
                             " \u2014 " + countText(c));
    o.value = commKey(c.id);
    filter.appendChild(o);
  });
  function applyFilter() {
    var v = filter.value;
    var shown = view.setVisible(function (id) {
      var n = byId.get(id);
      return v === "all" || (n && commKey(n.community) === v);
    });
    var sel = view.selected();
    if (sel && shown.indexOf(sel) < 0) { view.select(null); clearDetails(); }
    if (shown.length) { view.fit(v === "all" ? null : shown); }
  }
  filter.addEventListener("change", applyFilter);

  // ------------------------------------------------------------------ search
  function norm(s) {
    return has(s) ? String(s).normalize("NFKC").toLocaleLowerCase() : "";
  }
  var index = null;
  function buildIndex() {
    var handles = [], names = [];
    DATA.nodes.forEach(function (n) {
      handles.push(norm(n.handle || n.label));
      names.push(norm(n.name) + "\u0000" + norm(n.label));
    });
    for (var k = 0; k < U.handle.length; k++) {
      handles.push(norm(U.handle[k]));
      names.push(norm(U.name[k]));
    }
    index = {handles: handles, names: names};
  }
  function find(q) {
    q = norm(q).trim().replace(/^[@\uff20]/, "");
    if (!q) { return -1; }
    if (!index) { buildIndex(); }
    var h = index.handles, nm = index.names, i;
    for (i = 0; i < h.length; i++) { if (h[i] === q) { return i; } }
    for (i = 0; i < h.length; i++) { if (h[i].indexOf(q) === 0) { return i; } }
    for (i = 0; i < h.length; i++) { if (h[i].indexOf(q) >= 0) { return i; } }
    for (i = 0; i < nm.length; i++) { if (nm[i].indexOf(q) >= 0) { return i; } }
    return -1;
  }
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  function runSearch() {
    if (!search.value.trim()) { status.textContent = ""; return; }
    var num = find(search.value);
    if (num < 0) { status.textContent = "No match"; return; }
    var n = record(num);
    if (!drawn(n)) {
      view.select(null);
      showDetails(n.id);
      status.textContent = "Found " + displayName(n) + " (not drawn)";
      return;
    }
    if (filter.value !== "all" && filter.value !== commKey(n.community)) {
      filter.value = "all";
      applyFilter();
    }
    view.select(n.id);
    view.focus(n.id);
    showDetails(n.id);
    status.textContent = "Found " + displayName(n);
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") { runSearch(); } });

  // ------------------------------------------------------------------ legend and stats
  var roles = document.getElementById("legend-roles");
  var drawnRoles = {};
  DATA.nodes.forEach(function (n) {
    Object.keys(BITS).forEach(function (r) {
      if (n.roles & BITS[r]) { drawnRoles[r] = (drawnRoles[r] || 0) + 1; }
    });
  });
  MARKS.forEach(function (m) {
    var total = DATA.roleTotals[m.role] || 0;
    if (!total) { return; }
    var li = el("li");
    var ring = el("span", "adv-ring" + (m.role === "seed" ? " adv-seed" : ""));
    if (m.role !== "seed") { ring.style.borderColor = m.color; } else {
      ring.style.borderColor = "#c9ced6";
    }
    li.appendChild(ring);
    var text = (m.role === "brand" ? "\u2605 " : "") + m.text + ": " +
      thousands(drawnRoles[m.role] || 0) + " drawn of " + thousands(total);
    li.appendChild(el("span", "", text));
    li.setAttribute("data-role", m.role);
    roles.appendChild(li);
  });
  var list = document.getElementById("legend-list");
  var others = {communities: 0, drawn: 0, members: 0};
  DATA.communities.forEach(function (c) {
    if (c.id !== null && c.id >= 0 && c.id < DATA.palette.length) {
      var li = el("li");
      var sw = el("span", "adv-swatch");
      sw.style.backgroundColor = c.color;
      li.appendChild(sw);
      li.appendChild(el("span", "", commName(c.id) + (has(c.label) ? " \u00b7 " + c.label : "") +
                                    " (" + countText(c) + ")"));
      li.setAttribute("data-community", commKey(c.id));
      list.appendChild(li);
    } else {
      others.communities += 1;
      others.drawn += c.drawn;
      others.members += c.members;
    }
  });
  if (others.communities) {
    var li = el("li");
    var sw = el("span", "adv-swatch");
    sw.style.backgroundColor = NEUTRAL;
    li.appendChild(sw);
    li.appendChild(el("span", "", "Other communities and none: " +
      thousands(others.communities) + " (" + countText(others) + ")"));
    li.setAttribute("data-community", "other");
    list.appendChild(li);
  }
  var sizes = DATA.nodes.map(function (n) { return n.influence; }).filter(has);
  document.getElementById("legend-notes").textContent =
    "Size: influence (smallest " + fixed(Math.min.apply(null, sizes.concat([1])), 2) +
    ", largest " + fixed(Math.max.apply(null, sizes.concat([0])), 2) + "). " +
    "Arrows point from the account giving attention to the one receiving it; width: tie " +
    "strength. Drawn: the role accounts and their strongest neighbourhood; search finds " +
    "the others.";
  function updateStats() {
    var extra = addedNumbers.length ? " (" + addedNumbers.length + " added)" : "";
    document.getElementById("stats").textContent =
      thousands(view.nodeCount()) + " of " + thousands(DATA.accounts) + " accounts drawn" +
      extra + " \u00b7 " + thousands(view.edgeCount()) + " ties shown \u00b7 " +
      {vis: "vis-network", canvas: "canvas", webgl: "WebGL"}[view.kind] + " renderer";
  }
  updateStats();

  // ------------------------------------------------------------------ for tests and scripts
  window.advocatesView = {
    renderer: view.kind,
    drawnIds: function () { return view.ids(); },
    visibleIds: function () { return view.visibleIds(); },
    selected: function () { return view.selected(); },
    screenPoint: function (id) { return view.screenPoint(id); },
    focus: function (id) { view.focus(id); },
    nodeCount: function () { return view.nodeCount(); },
    edgeCount: function () { return view.edgeCount(); },
    positions: function (ids) { return view.positions(ids); },
    frameProbe: function () { return view.frameProbe(); },
    fullDrawMs: function () { return view.fullDrawMs ? view.fullDrawMs() : null; }
  };
})();
