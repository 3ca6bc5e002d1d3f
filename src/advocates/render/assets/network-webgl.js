  // sigma.js on graphology (WebGL): the renderer of views above a thousand accounts.
  function makeRenderer(container, spec) {
    var GraphClass = graphology.Graph || graphology;
    var graph = new GraphClass({type: "directed", multi: false, allowSelfLoops: false});
    var RING = 0.3, GAP = 0.1, SEED = 1.4, SEED_GAP = 1.08;
    function attrs(v) {
      // one disc of radius `size`: outer seed band, white, role ring, white, community fill
      var outer = v.seed ? v.size * SEED : v.size;
      var a = {
        x: v.x, y: -v.y, size: outer, label: v.label, color: v.color,
        type: "ringed", forceLabel: !!v.labelled, community: v.community,
        seedColor: v.seed || v.color, ringColor: v.ring || v.color,
        seedBand: 0, seedGap: 0, ringBand: 0, gapBand: 0
      };
      if (v.seed) {
        a.seedBand = (SEED - SEED_GAP) / SEED;
        a.seedGap = (SEED_GAP - 1) / SEED;
      }
      if (v.ring) {
        a.ringBand = RING * v.size / outer;
        a.gapBand = GAP * v.size / outer;
      }
      return a;
    }
    function addEdge(e) {
      if (graph.hasNode(e.from) && graph.hasNode(e.to) && !graph.hasEdge(e.from, e.to)) {
        graph.addDirectedEdgeWithKey(e.id, e.from, e.to, {size: 0.6 + e.width * 0.8});
      }
    }
    spec.nodes.forEach(function (v) { graph.addNode(v.id, attrs(v)); });
    spec.edges.forEach(addEdge);

    var hidden = new Set();
    var selectedId = null;
    var Ringed = Sigma.rendering.createNodeBorderProgram({
      borders: [
        {size: {attribute: "seedBand", defaultValue: 0}, color: {attribute: "seedColor"}},
        {size: {attribute: "seedGap", defaultValue: 0}, color: {value: "#ffffff"}},
        {size: {attribute: "ringBand", defaultValue: 0}, color: {attribute: "ringColor"}},
        {size: {attribute: "gapBand", defaultValue: 0}, color: {value: "#ffffff"}},
        {size: {fill: true}, color: {attribute: "color"}}
      ]
    });
    var renderer;
    try {
      renderer = new Sigma(graph, container, {
        nodeProgramClasses: {ringed: Ringed},
        defaultNodeType: "ringed",
        defaultEdgeType: "arrow",
        defaultEdgeColor: "#b8c0ca",
        itemSizesReference: "positions",
        zoomToSizeRatioFunction: function (ratio) { return ratio; },
        labelFont: spec.font,
        labelSize: 12,
        labelWeight: "600",
        labelColor: {color: "#1f2933"},
        labelRenderedSizeThreshold: 9,
        labelDensity: 0.5,
        labelGridCellSize: 90,
        minCameraRatio: 0.005,
        maxCameraRatio: 4,
        hideEdgesOnMove: false,
        zIndex: true,
        nodeReducer: function (id, data) {
          var out = Object.assign({}, data);
          if (hidden.has(id)) { out.hidden = true; }
          if (id === selectedId) { out.highlighted = true; out.zIndex = 2; out.forceLabel = true; }
          return out;
        },
        edgeReducer: function (id, data) {
          var ends = graph.extremities(id);
          if (hidden.has(ends[0]) || hidden.has(ends[1])) {
            return Object.assign({}, data, {hidden: true});
          }
          return data;
        }
      });
    } catch (err) {
      container.replaceChildren(document.createTextNode(
        "This browser cannot draw WebGL (" + String(err && err.message || err) + "). " +
        "Redraw the view with `advocates view RUN --renderer vis` (at most about 1,000 " +
        "accounts stay fluid there)."));
      spec.onReady();
      throw err;
    }
    window.advocatesSigma = renderer;
    window.advocatesGraph = graph;

    renderer.on("clickNode", function (e) {
      selectedId = e.node;
      renderer.refresh({skipIndexation: true});
      spec.onSelect(e.node);
    });
    renderer.on("clickStage", function () {
      if (selectedId !== null) {
        selectedId = null;
        renderer.refresh({skipIndexation: true});
        spec.onSelect(null);
      }
    });
    function client(p) {
      var box = container.getBoundingClientRect();
      return {x: box.left + p.x, y: box.top + p.y};
    }
    renderer.on("enterNode", function (e) {
      var p = client({x: e.event.x, y: e.event.y});
      spec.onHover(e.node, p.x, p.y);
    });
    renderer.on("leaveNode", function () { spec.onHover(null); });
    renderer.getCamera().on("updated", function () { spec.onHover(null); });

    var camera = renderer.getCamera();
    function centreOf(ids) {
      var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      ids.forEach(function (id) {
        var d = renderer.getNodeDisplayData(id);
        if (!d) { return; }
        x0 = Math.min(x0, d.x); x1 = Math.max(x1, d.x);
        y0 = Math.min(y0, d.y); y1 = Math.max(y1, d.y);
      });
      if (x0 === Infinity) { return null; }
      return {x: (x0 + x1) / 2, y: (y0 + y1) / 2,
              ratio: Math.min(1.1, Math.max(0.05, 1.25 * Math.max(x1 - x0, y1 - y0)))};
    }
    var FIT = 1.08;  // a little room around the picture for the node sizes and labels
    camera.setState({x: 0.5, y: 0.5, ratio: FIT, angle: 0});
    renderer.once("afterRender", function () { spec.onReady(); });
    renderer.refresh();

    return {
      kind: "webgl",
      select: function (id) {
        selectedId = id || null;
        renderer.refresh({skipIndexation: true});
      },
      selected: function () { return selectedId; },
      focus: function (id) {
        var d = renderer.getNodeDisplayData(id);
        if (d) { camera.setState({x: d.x, y: d.y, ratio: Math.min(camera.ratio, 0.25)}); }
      },
      fit: function (ids) {
        if (!ids) { camera.setState({x: 0.5, y: 0.5, ratio: FIT, angle: 0}); return; }
        var c = centreOf(ids);
        if (c) { camera.setState({x: c.x, y: c.y, ratio: c.ratio}); }
      },
      setVisible: function (keep) {
        var shown = [];
        hidden.clear();
        graph.forEachNode(function (id) {
          if (keep(id)) { shown.push(id); } else { hidden.add(id); }
        });
        renderer.refresh({skipIndexation: true});
        return shown;
      },
      addNodes: function (list) {
        list.forEach(function (v) { if (!graph.hasNode(v.id)) { graph.addNode(v.id, attrs(v)); } });
      },
      addEdges: function (list) { list.forEach(addEdge); },
      ids: function () { return graph.nodes(); },
      visibleIds: function () {
        return graph.nodes().filter(function (id) { return !hidden.has(id); });
      },
      nodeCount: function () { return graph.order; },
      edgeCount: function () { return graph.size; },
      positions: function (ids) {
        var out = {};
        ids.forEach(function (id) {
          if (graph.hasNode(id)) {
            out[id] = {x: graph.getNodeAttribute(id, "x"), y: -graph.getNodeAttribute(id, "y")};
          }
        });
        return out;
      },
      screenPoint: function (id) {
        var a = graph.getNodeAttributes(id);
        return client(renderer.graphToViewport({x: a.x, y: a.y}));
      },
      frameProbe: function () {
        return new Promise(function (resolve) {
          var frames = 0, t0 = performance.now(), s0 = camera.getState();
          function count() { frames += 1; }
          renderer.on("afterRender", count);
          function step() {
            var t = performance.now() - t0;
            if (t > 3000) {
              renderer.off("afterRender", count);
              camera.setState(s0);
              resolve(frames / (t / 1000));
              return;
            }
            camera.setState({x: s0.x + Math.sin(t / 500) * 0.1, y: s0.y,
                             ratio: s0.ratio / (1.5 + 0.3 * Math.sin(t / 700))});
            requestAnimationFrame(step);
          }
          requestAnimationFrame(step);
        });
      }
    };
  }
