  // vis-network (canvas 2D): the renderer of views up to a thousand accounts.
  function makeRenderer(container, spec) {
    var LABEL_PX = 12;       // labels of labelled accounts, on screen at any zoom
    var DETAIL_PX = 9;       // other labels show once their node is this big on screen
    var look = new Map();
    function remember(v) { look.set(v.id, v); }
    spec.nodes.forEach(remember);
    function outer(v) { return v.seed ? v.size * 1.4 : v.size; }
    var taken = [];  // label boxes drawn in this frame, on screen: labels never overlap
    function free(box) {
      for (var t = 0; t < taken.length; t++) {
        var o = taken[t];
        if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) { return false; }
      }
      taken.push(box);
      return true;
    }

    function draw(args) {
      var ctx = args.ctx, x = args.x, y = args.y, v = look.get(args.id);
      var scale = ctx.getTransform().a / (window.devicePixelRatio || 1);
      var r = v.size;
      return {
        drawNode: function () {
          if (v.seed) {
            ctx.beginPath();
            ctx.arc(x, y, r * 1.4, 0, 2 * Math.PI);
            ctx.fillStyle = v.seed;
            ctx.fill();
            ctx.beginPath();
            ctx.arc(x, y, r * 1.08, 0, 2 * Math.PI);
            ctx.fillStyle = "#ffffff";
            ctx.fill();
          }
          ctx.beginPath();
          ctx.arc(x, y, r, 0, 2 * Math.PI);
          ctx.fillStyle = v.ring || v.color;
          ctx.fill();
          if (v.ring) {
            ctx.beginPath();
            ctx.arc(x, y, r * 0.7, 0, 2 * Math.PI);
            ctx.fillStyle = "#ffffff";
            ctx.fill();
            ctx.beginPath();
            ctx.arc(x, y, r * 0.6, 0, 2 * Math.PI);
            ctx.fillStyle = v.color;
            ctx.fill();
          } else {
            ctx.lineWidth = 1 / scale;
            ctx.strokeStyle = "rgba(0,0,0,0.35)";
            ctx.stroke();
          }
          if (args.state.selected || args.state.hover) {
            ctx.beginPath();
            ctx.arc(x, y, outer(v) + 3 / scale, 0, 2 * Math.PI);
            ctx.lineWidth = (args.state.selected ? 3 : 2) / scale;
            ctx.strokeStyle = "#111111";
            ctx.stroke();
          }
        },
        drawExternalLabel: function () {
          var show = v.labelled || args.state.selected || args.state.hover ||
            r * scale >= DETAIL_PX;
          if (!show || !v.label) { return; }
          var px = LABEL_PX / scale;
          ctx.font = (v.ring ? "600 " : "") + px + "px " + spec.font;
          var ty0 = y + outer(v) + 2 / scale;
          var half = ctx.measureText(v.label).width / 2 + 2 / scale;
          var forced = args.state.selected || args.state.hover;
          if (!free([(x - half) * scale, ty0 * scale, (x + half) * scale,
                     (ty0 + px * 1.15) * scale]) && !forced) { return; }
          ctx.textAlign = "center";
          ctx.textBaseline = "top";
          ctx.lineWidth = 3 / scale;
          ctx.strokeStyle = "rgba(255,255,255,0.9)";
          ctx.lineJoin = "round";
          var ty = y + outer(v) + 2 / scale;
          ctx.strokeText(v.label, x, ty);
          ctx.fillStyle = "#1f2933";
          ctx.fillText(v.label, x, ty);
        },
        nodeDimensions: {width: 2 * outer(v), height: 2 * outer(v)}
      };
    }
    function toVis(v) {
      return {id: v.id, x: v.x, y: v.y, shape: "custom", ctxRenderer: draw, size: v.size,
              community: v.community};
    }
    function toVisEdge(e) {
      return {id: e.id, from: e.from, to: e.to, width: e.width};
    }
    var nodes = new vis.DataSet(spec.nodes.map(toVis));
    var edges = new vis.DataSet(spec.edges.map(toVisEdge));
    var net = new vis.Network(container, {nodes: nodes, edges: edges}, {
      autoResize: true,
      layout: {improvedLayout: false},
      physics: {enabled: false},
      nodes: {shape: "custom", ctxRenderer: draw},
      edges: {
        arrows: {to: {enabled: true, scaleFactor: 0.4}},
        color: {color: "#7b8794", highlight: "#1f2933", hover: "#1f2933", opacity: 0.45},
        smooth: false,
        selectionWidth: 1.5,
        hoverWidth: 1
      },
      interaction: {hover: true, tooltipDelay: 100, hideEdgesOnDrag: spec.nodes.length > 400,
                    keyboard: false, multiselect: false}
    });
    window.advocatesNetwork = net;
    window.advocatesNodes = nodes;
    window.advocatesEdges = edges;

    net.on("selectNode", function (e) { if (e.nodes.length) { spec.onSelect(e.nodes[0]); } });
    net.on("deselectNode", function () {
      var sel = net.getSelectedNodes();
      spec.onSelect(sel.length ? sel[0] : null);
    });
    function client(pointer) {
      var box = container.getBoundingClientRect();
      return {x: box.left + pointer.x, y: box.top + pointer.y};
    }
    net.on("hoverNode", function (e) {
      var p = client(e.pointer.DOM);
      spec.onHover(e.node, p.x, p.y);
    });
    net.on("blurNode", function () { spec.onHover(null); });
    net.on("dragStart", function () { spec.onHover(null); });
    net.on("zoom", function () { spec.onHover(null); });

    net.on("beforeDrawing", function () { taken = []; });
    net.once("afterDrawing", function () { spec.onReady(); });
    net.fit();
    net.redraw();

    var hidden = new Set();
    return {
      kind: "vis",
      select: function (id) { if (id) { net.selectNodes([id]); } else { net.unselectAll(); } },
      selected: function () { var s = net.getSelectedNodes(); return s.length ? s[0] : null; },
      focus: function (id) {
        net.focus(id, {scale: Math.max(net.getScale(), 1.2), animation: false});
      },
      fit: function (ids) {
        if (ids) { net.fit({nodes: ids, animation: false}); } else { net.fit(); }
      },
      setVisible: function (keep) {
        var updates = [], shown = [];
        nodes.forEach(function (n) {
          var ok = keep(n.id);
          if (ok) { shown.push(n.id); hidden.delete(n.id); } else { hidden.add(n.id); }
          updates.push({id: n.id, hidden: !ok});
        });
        nodes.update(updates);
        return shown;
      },
      addNodes: function (list) { list.forEach(remember); nodes.add(list.map(toVis)); },
      addEdges: function (list) { edges.add(list.map(toVisEdge)); },
      ids: function () { return nodes.getIds(); },
      visibleIds: function () {
        return nodes.getIds().filter(function (id) { return !hidden.has(id); });
      },
      nodeCount: function () { return nodes.length; },
      edgeCount: function () { return edges.length; },
      positions: function (ids) { return net.getPositions(ids); },
      screenPoint: function (id) {
        var p = net.canvasToDOM(net.getPositions([id])[id]);
        return client(p);
      },
      frameProbe: function () {
        return new Promise(function (resolve) {
          var frames = 0, t0 = performance.now();
          var s0 = net.getScale(), p0 = net.getViewPosition();
          function count() { frames += 1; }
          net.on("afterDrawing", count);
          function step() {
            var t = performance.now() - t0;
            if (t > 3000) {
              net.off("afterDrawing", count);
              resolve(frames / (t / 1000));
              return;
            }
            net.moveTo({position: {x: p0.x + Math.sin(t / 500) * 200, y: p0.y},
                        scale: s0 * (1.5 + 0.3 * Math.sin(t / 700))});
            requestAnimationFrame(step);
          }
          requestAnimationFrame(step);
        });
      }
    };
  }
