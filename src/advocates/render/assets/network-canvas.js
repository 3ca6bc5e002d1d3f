  // Canvas 2D with a cached frame: the renderer of large views. The whole picture is drawn
  // once into an offscreen canvas (edges and discs batched by colour, labels that do not
  // overlap); panning and zooming move that picture (one drawImage a frame), and the picture
  // is drawn sharp again once the motion stops. It stays fluid without a graphics card.
  function makeRenderer(container, spec) {
    var SETTLE_MS = 120;   // sharp redraw this long after the last motion
    var LABEL_PX = 12;     // label size on screen
    var DETAIL_PX = 9;     // other labels show once their node is this big on screen
    var canvas = document.createElement("canvas");
    canvas.setAttribute("data-testid", "canvas");
    canvas.style.display = "block";
    canvas.style.width = "100%";
    canvas.style.height = "100%";
    canvas.style.cursor = "grab";
    container.appendChild(canvas);
    var ctx = canvas.getContext("2d");
    var cache = document.createElement("canvas");
    var cctx = cache.getContext("2d");
    var dpr = Math.max(1, Math.min(2, window.devicePixelRatio || 1));
    var W = 0, H = 0;

    var nodes = [];          // visual records, with .i
    var byId = new Map();
    var edges = [];          // {from, to, a, b, width}
    var hidden = new Set();
    var selectedId = null, hoverId = null;
    var cam = {x: 0, y: 0, k: 1};
    var cacheCam = null;
    var settle = null;
    var lastFullMs = 0;
    var maxSize = 1;

    function addNode(v) {
      if (byId.has(v.id)) { return; }
      var n = Object.assign({}, v);
      n.outer = n.seed ? n.size * 1.4 : n.size;
      n.i = nodes.length;
      nodes.push(n);
      byId.set(n.id, n);
      maxSize = Math.max(maxSize, n.outer);
    }
    function addEdge(e) {
      var a = byId.get(e.from), b = byId.get(e.to);
      if (a && b) { edges.push({id: e.id, a: a, b: b, width: e.width}); }
    }
    spec.nodes.forEach(addNode);
    spec.edges.forEach(addEdge);

    // ---------------------------------------------------------------- hit grid
    var CELL = 0, grid = new Map();
    function buildGrid() {
      CELL = Math.max(40, maxSize * 2);
      grid = new Map();
      nodes.forEach(function (n) {
        var key = Math.floor(n.x / CELL) + "," + Math.floor(n.y / CELL);
        var cell = grid.get(key);
        if (cell) { cell.push(n); } else { grid.set(key, [n]); }
      });
    }
    buildGrid();
    function nodeAt(px, py) {
      var wx = (px - W / 2) / cam.k + cam.x, wy = (py - H / 2) / cam.k + cam.y;
      var cx = Math.floor(wx / CELL), cy = Math.floor(wy / CELL), best = null, bestD = Infinity;
      var slack = 3 / cam.k;
      for (var dx = -1; dx <= 1; dx++) {
        for (var dy = -1; dy <= 1; dy++) {
          (grid.get((cx + dx) + "," + (cy + dy)) || []).forEach(function (n) {
            if (hidden.has(n.id)) { return; }
            var d = Math.hypot(n.x - wx, n.y - wy);
            if (d <= n.outer + slack && d - n.outer < bestD) { best = n; bestD = d - n.outer; }
          });
        }
      }
      return best;
    }

    // ---------------------------------------------------------------- drawing
    function resize() {
      W = Math.max(1, container.clientWidth);
      H = Math.max(1, container.clientHeight);
      canvas.width = cache.width = Math.round(W * dpr);
      canvas.height = cache.height = Math.round(H * dpr);
    }
    function visible(n) { return !hidden.has(n.id); }
    function discs(g, list, radius, color) {
      var groups = new Map();
      list.forEach(function (n) {
        var c = color(n);
        if (!c) { return; }
        var arr = groups.get(c);
        if (arr) { arr.push(n); } else { groups.set(c, [n]); }
      });
      groups.forEach(function (arr, c) {
        g.beginPath();
        arr.forEach(function (n) {
          var r = radius(n);
          g.moveTo(n.x + r, n.y);
          g.arc(n.x, n.y, r, 0, 2 * Math.PI);
        });
        g.fillStyle = c;
        g.fill();
      });
    }
    function drawScene(g) {
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.fillStyle = "#ffffff";
      g.fillRect(0, 0, W, H);
      var k = cam.k;
      g.setTransform(dpr * k, 0, 0, dpr * k, dpr * (W / 2 - cam.x * k), dpr * (H / 2 - cam.y * k));
      var x0 = cam.x - W / 2 / k - maxSize, x1 = cam.x + W / 2 / k + maxSize;
      var y0 = cam.y - H / 2 / k - maxSize, y1 = cam.y + H / 2 / k + maxSize;
      function inView(n) { return n.x >= x0 && n.x <= x1 && n.y >= y0 && n.y <= y1; }
      // ties, by width class; arrowheads once they are big enough to see
      var classes = [[], [], []];
      edges.forEach(function (e) {
        if (!visible(e.a) || !visible(e.b)) { return; }
        if (Math.max(e.a.x, e.b.x) < x0 || Math.min(e.a.x, e.b.x) > x1 ||
            Math.max(e.a.y, e.b.y) < y0 || Math.min(e.a.y, e.b.y) > y1) { return; }
        classes[e.width < 1.5 ? 0 : (e.width < 3 ? 1 : 2)].push(e);
      });
      var arrows = k > 0.35;
      classes.forEach(function (list, c) {
        if (!list.length) { return; }
        g.beginPath();
        list.forEach(function (e) { g.moveTo(e.a.x, e.a.y); g.lineTo(e.b.x, e.b.y); });
        g.lineWidth = Math.max([0.6, 1.6, 3.2][c], 0.8 / k);
        g.strokeStyle = "rgba(123,135,148,0.45)";
        g.stroke();
        if (!arrows) { return; }
        g.beginPath();
        list.forEach(function (e) {
          var dx = e.b.x - e.a.x, dy = e.b.y - e.a.y, len = Math.hypot(dx, dy);
          if (len * k < 24 || !inView(e.b)) { return; }
          var ux = dx / len, uy = dy / len, tip = e.b.outer, head = 7 / k;
          var tx = e.b.x - ux * tip, ty = e.b.y - uy * tip;
          g.moveTo(tx, ty);
          g.lineTo(tx - ux * head - uy * head * 0.45, ty - uy * head + ux * head * 0.45);
          g.lineTo(tx - ux * head + uy * head * 0.45, ty - uy * head - ux * head * 0.45);
          g.closePath();
        });
        g.fillStyle = "rgba(82,96,109,0.7)";
        g.fill();
      });
      // discs: seed band, white, role ring, white, community fill
      var shown = nodes.filter(function (n) { return visible(n) && inView(n); });
      shown.sort(function (p, q) { return p.outer - q.outer || p.i - q.i; });
      discs(g, shown, function (n) { return n.outer; },
            function (n) { return n.seed || n.ring || n.color; });
      discs(g, shown.filter(function (n) { return n.seed; }),
            function (n) { return n.size * 1.08; }, function () { return "#ffffff"; });
      discs(g, shown.filter(function (n) { return n.seed; }), function (n) { return n.size; },
            function (n) { return n.ring || n.color; });
      var ringed = shown.filter(function (n) { return n.ring; });
      discs(g, ringed, function (n) { return n.size * 0.7; }, function () { return "#ffffff"; });
      discs(g, ringed, function (n) { return n.size * 0.6; }, function (n) { return n.color; });
      // labels that fit: the labelled accounts first, biggest first, none over another
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.textAlign = "center";
      g.textBaseline = "top";
      g.lineJoin = "round";
      var taken = [];
      var candidates = shown.filter(function (n) {
        return n.label && (n.labelled || n.outer * k >= DETAIL_PX);
      }).sort(function (p, q) {
        return (q.labelled - p.labelled) || (q.outer - p.outer) || (p.i - q.i);
      });
      candidates.forEach(function (n) {
        var sx = (n.x - cam.x) * k + W / 2, sy = (n.y - cam.y) * k + H / 2 + n.outer * k + 2;
        g.font = (n.ring ? "600 " : "") + LABEL_PX + "px " + spec.font;
        var w = g.measureText(n.label).width;
        var box = [sx - w / 2 - 2, sy, sx + w / 2 + 2, sy + LABEL_PX + 2];
        for (var t = 0; t < taken.length; t++) {
          var o = taken[t];
          if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) { return; }
        }
        taken.push(box);
        g.lineWidth = 3;
        g.strokeStyle = "rgba(255,255,255,0.9)";
        g.strokeText(n.label, sx, sy);
        g.fillStyle = "#1f2933";
        g.fillText(n.label, sx, sy);
      });
    }
    function overlay() {
      [selectedId, hoverId].forEach(function (id, i) {
        var n = id ? byId.get(id) : null;
        if (!n || hidden.has(n.id)) { return; }
        var sx = (n.x - cam.x) * cam.k + W / 2, sy = (n.y - cam.y) * cam.k + H / 2;
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        ctx.beginPath();
        ctx.arc(sx, sy, n.outer * cam.k + 3, 0, 2 * Math.PI);
        ctx.lineWidth = i === 0 ? 3 : 2;
        ctx.strokeStyle = "#111111";
        ctx.stroke();
        if (!n.labelled) {
          ctx.font = "600 " + LABEL_PX + "px " + spec.font;
          ctx.textAlign = "center";
          ctx.textBaseline = "bottom";
          ctx.lineWidth = 3;
          ctx.strokeStyle = "rgba(255,255,255,0.95)";
          ctx.strokeText(n.label, sx, sy - n.outer * cam.k - 4);
          ctx.fillStyle = "#111111";
          ctx.fillText(n.label, sx, sy - n.outer * cam.k - 4);
        }
      });
    }
    var frames = 0;
    function blit() {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      if (cacheCam) {
        var s = cam.k / cacheCam.k;
        var tx = W / 2 * (1 - s) + (cacheCam.x - cam.x) * cam.k;
        var ty = H / 2 * (1 - s) + (cacheCam.y - cam.y) * cam.k;
        ctx.setTransform(dpr * s, 0, 0, dpr * s, dpr * tx, dpr * ty);
        ctx.drawImage(cache, 0, 0, W, H);
      }
      overlay();
      frames += 1;
    }
    function full() {
      var t0 = performance.now();
      drawScene(cctx);
      cacheCam = {x: cam.x, y: cam.y, k: cam.k};
      blit();
      lastFullMs = performance.now() - t0;
    }
    var pending = false;
    function moved() {
      if (!pending) {
        pending = true;
        requestAnimationFrame(function () { pending = false; blit(); });
      }
      clearTimeout(settle);
      settle = setTimeout(full, SETTLE_MS);
    }
    function fitTo(list) {
      if (!list.length) { return; }
      var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      list.forEach(function (n) {
        x0 = Math.min(x0, n.x - n.outer); x1 = Math.max(x1, n.x + n.outer);
        y0 = Math.min(y0, n.y - n.outer); y1 = Math.max(y1, n.y + n.outer);
      });
      cam.x = (x0 + x1) / 2;
      cam.y = (y0 + y1) / 2;
      cam.k = Math.min(W / (x1 - x0 + 80), H / (y1 - y0 + 80), 3);
    }

    // ---------------------------------------------------------------- interaction
    var drag = null;
    canvas.addEventListener("mousedown", function (e) {
      drag = {x: e.clientX, y: e.clientY, cx: cam.x, cy: cam.y, moved: false};
      canvas.style.cursor = "grabbing";
    });
    window.addEventListener("mousemove", function (e) {
      var box = canvas.getBoundingClientRect();
      if (drag) {
        var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; }
        if (drag.moved) {
          cam.x = drag.cx - dx / cam.k;
          cam.y = drag.cy - dy / cam.k;
          spec.onHover(null);
          moved();
        }
        return;
      }
      if (e.target !== canvas) { return; }
      var n = nodeAt(e.clientX - box.left, e.clientY - box.top);
      var id = n ? n.id : null;
      if (id !== hoverId) {
        hoverId = id;
        canvas.style.cursor = id ? "pointer" : "grab";
        blit();
      }
      if (id) { spec.onHover(id, e.clientX, e.clientY); } else { spec.onHover(null); }
    });
    window.addEventListener("mouseup", function (e) {
      if (!drag) { return; }
      var wasMoved = drag.moved;
      drag = null;
      canvas.style.cursor = "grab";
      if (wasMoved || e.target !== canvas) { return; }
      var box = canvas.getBoundingClientRect();
      var n = nodeAt(e.clientX - box.left, e.clientY - box.top);
      selectedId = n ? n.id : null;
      blit();
      spec.onSelect(selectedId);
    });
    canvas.addEventListener("wheel", function (e) {
      e.preventDefault();
      var box = canvas.getBoundingClientRect();
      var px = e.clientX - box.left, py = e.clientY - box.top;
      var wx = (px - W / 2) / cam.k + cam.x, wy = (py - H / 2) / cam.k + cam.y;
      cam.k = Math.min(20, Math.max(0.005, cam.k * Math.exp(-e.deltaY * 0.0015)));
      cam.x = wx - (px - W / 2) / cam.k;
      cam.y = wy - (py - H / 2) / cam.k;
      spec.onHover(null);
      moved();
    }, {passive: false});
    window.addEventListener("resize", function () { resize(); full(); });

    resize();
    fitTo(nodes);
    full();
    requestAnimationFrame(function () { spec.onReady(); });

    return {
      kind: "canvas",
      select: function (id) { selectedId = id || null; blit(); },
      selected: function () { return selectedId; },
      focus: function (id) {
        var n = byId.get(id);
        if (!n) { return; }
        cam.x = n.x;
        cam.y = n.y;
        cam.k = Math.max(cam.k, 1.2);
        full();
      },
      fit: function (ids) {
        fitTo(ids ? ids.map(function (id) { return byId.get(id); }).filter(Boolean) :
          nodes.filter(visible));
        full();
      },
      setVisible: function (keep) {
        var shown = [];
        hidden.clear();
        nodes.forEach(function (n) {
          if (keep(n.id)) { shown.push(n.id); } else { hidden.add(n.id); }
        });
        full();
        return shown;
      },
      addNodes: function (list) { list.forEach(addNode); buildGrid(); full(); },
      addEdges: function (list) { list.forEach(addEdge); full(); },
      ids: function () { return nodes.map(function (n) { return n.id; }); },
      visibleIds: function () {
        return nodes.filter(visible).map(function (n) { return n.id; });
      },
      nodeCount: function () { return nodes.length; },
      edgeCount: function () { return edges.length; },
      positions: function (ids) {
        var out = {};
        ids.forEach(function (id) { var n = byId.get(id); if (n) { out[id] = {x: n.x, y: n.y}; } });
        return out;
      },
      screenPoint: function (id) {
        var n = byId.get(id), box = canvas.getBoundingClientRect();
        return {x: box.left + (n.x - cam.x) * cam.k + W / 2,
                y: box.top + (n.y - cam.y) * cam.k + H / 2};
      },
      frameProbe: function () {
        return new Promise(function (resolve) {
          var t0 = performance.now(), f0 = frames, s0 = {x: cam.x, y: cam.y, k: cam.k};
          function step() {
            var t = performance.now() - t0;
            if (t > 3000) {
              var fps = (frames - f0) / (t / 1000);
              cam.x = s0.x; cam.y = s0.y; cam.k = s0.k;
              clearTimeout(settle);
              full();
              resolve(fps);
              return;
            }
            cam.x = s0.x + Math.sin(t / 500) * 200 / s0.k;
            cam.k = s0.k * (1.5 + 0.3 * Math.sin(t / 700));
            moved();
            requestAnimationFrame(step);
          }
          requestAnimationFrame(step);
        });
      },
      fullDrawMs: function () { return lastFullMs; }
    };
  }
