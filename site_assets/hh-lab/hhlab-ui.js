/* hhlab-ui.js: the controls and plots of the in-page labs (needs hhlab.js and uPlot).
 *
 * Every <div data-hh-lab="KIND" data-knobs="[...]" data-presets="[...]"> written by the
 * hh-lab directive (scripts/sphinx_hh_lab.py) becomes a lab: one labelled range input per knob
 * (name = the knob's name), reset and preset buttons, a [data-readout] line and the plots.
 * A slider change recomputes once per animation frame.
 */
(function () {
  "use strict";
  var L = window.hhLab;
  var COLORS = {blue: "#3b82f6", red: "#ef4444", green: "#22c55e", orange: "#f59e0b", purple: "#a855f7", gray: "#94a3b8"};
  var GRID = "rgba(127,127,127,0.25)";
  var nf = L.fmt;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) if (attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function decimals(step) { var s = String(step); return s.indexOf(".") < 0 ? 0 : s.length - s.indexOf(".") - 1; }

  // ---------------------------------------------------------------------------------------
  // Controls

  function buildControls(root, knobs, presets, onChange) {
    var box = el("div", {"class": "hh-lab-controls"}), inputs = {};
    knobs.forEach(function (k) {
      var id = root.id + "-" + k.name, row = el("div", {"class": "hh-lab-knob"});
      var label = el("label", {"for": id}, k.label + (k.unit ? " (" + k.unit + ")" : ""));
      var input = el("input", {type: "range", id: id, name: k.name, min: k.min, max: k.max, step: k.step, value: k.value});
      var out = el("output", {"for": id, "aria-hidden": "true"});
      var show = function () {
        var text = nf(Number(input.value), decimals(k.step)) + (k.unit ? " " + k.unit : "");
        out.textContent = text; input.setAttribute("aria-valuetext", text);
      };
      input.addEventListener("input", function () { show(); onChange(k.name); });
      row.appendChild(label); row.appendChild(out); row.appendChild(input); box.appendChild(row);
      inputs[k.name] = {input: input, show: show, knob: k};
      show();
    });
    var buttons = el("div", {"class": "hh-lab-buttons"});
    var set = function (values) {
      knobs.forEach(function (k) { var v = values[k.name] !== undefined ? values[k.name] : k.value; inputs[k.name].input.value = v; inputs[k.name].show(); });
      onChange(null);
    };
    var reset = el("button", {type: "button", "class": "hh-lab-button", "data-reset": ""}, "기본값으로");
    reset.addEventListener("click", function () { set({}); });
    buttons.appendChild(reset);
    presets.forEach(function (p) {
      var b = el("button", {type: "button", "class": "hh-lab-button", "data-preset": p.label}, p.label);
      b.addEventListener("click", function () { set(p.values); });
      buttons.appendChild(b);
    });
    root.appendChild(box); root.appendChild(buttons);
    return {
      values: function () { var v = {}; for (var n in inputs) v[n] = Number(inputs[n].input.value); return v; },
      set: function (values) { for (var n in values) { inputs[n].input.value = values[n]; inputs[n].show(); } onChange(null); }
    };
  }

  // ---------------------------------------------------------------------------------------
  // Plots (uPlot), themed from the page's own text colour so they follow the dark mode.

  function textColor(node) { return getComputedStyle(node).color || "#444"; }

  function Plot(root, opts) {
    var wrap = el("figure", {"class": "hh-lab-plot"});
    var box = el("div", {"class": "hh-lab-canvas", role: "img", "aria-label": opts.alt});
    var legend = el("figcaption", {"class": "hh-lab-legend"});
    opts.series.forEach(function (s) {
      var item = el("span", {"class": "hh-lab-key"});
      var sw = el("span", {"class": "hh-lab-swatch", "aria-hidden": "true"}); sw.style.background = s.color;
      item.appendChild(sw); item.appendChild(document.createTextNode(s.label)); legend.appendChild(item);
    });
    wrap.appendChild(box); wrap.appendChild(legend); root.appendChild(wrap);
    var axisColor = function () { return textColor(root); };
    var axis = function (label) {
      return {label: label, stroke: axisColor, grid: {stroke: GRID, width: 1}, ticks: {stroke: GRID, width: 1},
              font: "11px sans-serif", labelFont: "12px sans-serif", labelSize: 18, size: 44};
    };
    var uopts = {
      width: Math.max(200, box.clientWidth || root.clientWidth || 300), height: opts.height || 180,
      legend: {show: false}, cursor: {show: false}, select: {show: false},
      scales: {x: {time: false}, y: opts.yRange ? {range: opts.yRange} : {}},
      axes: [axis(opts.xLabel), axis(opts.yLabel)],
      series: [{}].concat(opts.series.map(function (s) {
        return {label: s.label, stroke: s.color, width: s.width || 1.5, paths: s.paths,
                points: s.points ? {show: true, size: s.pointSize || 5, fill: s.color} : {show: false}};
      }))
    };
    this.box = box;
    this.u = new uPlot(uopts, [[0, 1]].concat(opts.series.map(function () { return [null, null]; })), box);
  }
  Plot.prototype.setData = function (data) { this.u.setData(data); };
  Plot.prototype.resize = function () {
    var w = Math.max(200, Math.floor(this.box.clientWidth));
    if (Math.abs(w - this.u.width) > 1) this.u.setSize({width: w, height: this.u.height});
  };
  Plot.prototype.redraw = function () { this.u.redraw(false, true); };

  /** [t, ys...] decimated for a plot about px wide, min and max per bin kept. */
  function thin(t, ys, px) {
    var idx = L.decimateIndices(t.length, ys, Math.max(100, Math.round(px)));
    return [L.pick(t, idx)].concat(ys.map(function (y) { return L.pick(y, idx); }));
  }

  function vRange(u, min, max) { return [Math.min(-90, min), Math.max(60, max)]; }

  // ---------------------------------------------------------------------------------------
  // The labs, one per kind: build(root, plots) returns update(values) which recomputes, redraws and
  // returns the readout text.

  var LABS = {};

  LABS["current-clamp"] = function (root) {
    var pV = new Plot(root, {alt: "막전위 V(t) 그래프", xLabel: "t (ms)", yLabel: "V (mV)", height: 200, yRange: vRange,
                             series: [{label: "V (mV)", color: COLORS.blue}]});
    var pG = new Plot(root, {alt: "게이팅 변수 m, h, n 그래프", xLabel: "t (ms)", yLabel: "게이트", height: 140, yRange: [0, 1],
                             series: [{label: "m", color: COLORS.red}, {label: "h", color: COLORS.green}, {label: "n", color: COLORS.orange}]});
    var pI = new Plot(root, {alt: "이온 전류 I_Na, I_K 그래프", xLabel: "t (ms)", yLabel: "I (µA/cm²)", height: 160,
                             series: [{label: "I_Na (µA/cm²)", color: COLORS.red}, {label: "I_K (µA/cm²)", color: COLORS.blue}]});
    var plots = [pV, pG, pI];
    var update = function (v) {
      var r = L.currentClamp({I: v.current, T: v.temperature, ttx: v.ttx / 100, tea: v.tea / 100, duration: v.duration});
      var px = pV.box.clientWidth || 300;
      pV.setData(thin(r.t, [r.V], px)); pG.setData(thin(r.t, [r.m, r.h, r.n], px)); pI.setData(thin(r.t, [r.INa, r.IK], px));
      return L.describeCurrentClamp(r, {ttx: v.ttx / 100, tea: v.tea / 100});
    };
    return {update: update, plots: plots};
  };

  LABS["cs-current-clamp"] = function (root) {
    var pV = new Plot(root, {alt: "Connor-Stevens 모델의 막전위 V(t) 그래프", xLabel: "t (ms)", yLabel: "V (mV)", height: 200, yRange: vRange,
                             series: [{label: "V (mV)", color: COLORS.blue}]});
    var pA = new Plot(root, {alt: "A형 K⁺ 전류 I_A(t) 그래프 (스파이크 꼭대기는 잘림)", xLabel: "t (ms)", yLabel: "I_A (µA/cm²)", height: 150,
                             yRange: L.CS.IA_RANGE.slice(), series: [{label: "I_A (µA/cm², 바깥 방향 +; 40 위는 잘림)", color: COLORS.orange}]});
    var update = function (v) {
      var r = L.csCurrentClamp({I: v.current, block: v.block / 100, duration: v.duration});
      var px = pV.box.clientWidth || 300;
      pV.setData(thin(r.t, [r.V], px)); pA.setData(thin(r.t, [r.IA], px));
      return L.describeCsCurrentClamp(r);
    };
    return {update: update, plots: [pV, pA]};
  };

  LABS["voltage-clamp"] = function (root) {
    var pI = new Plot(root, {alt: "전압 계단 동안의 I_Na, I_K, 총 전류 그래프", xLabel: "t (ms)", yLabel: "I (µA/cm²)", height: 220,
                             series: [{label: "I_Na", color: COLORS.red}, {label: "I_K", color: COLORS.blue},
                                      {label: "총 전류 (I_Na + I_K + I_L)", color: COLORS.purple, width: 1}]});
    var pIV = new Plot(root, {alt: "I–V 곡선: 계단 전위별 I_Na 최댓값과 계단 끝 I_K", xLabel: "계단 전위 (mV)", yLabel: "I (µA/cm²)", height: 200,
                              series: [{label: "I_Na 최댓값", color: COLORS.red, points: true}, {label: "계단 끝 I_K", color: COLORS.blue, points: true},
                                       {label: "현재 계단 (I_Na)", color: COLORS.orange, points: true, pointSize: 11, paths: function () { return null; }}]});
    var update = function (v) {
      var common = {hold: v.hold, T: v.temperature, ttx: v.ttx / 100, tea: v.tea / 100, duration: v.duration};
      var r = L.voltageClamp(Object.assign({Vc: v.vc}, common));
      var pre = L.voltageClamp(Object.assign({}, common, {Vc: v.hold, duration: 0.01}));
      var d = thin(r.t, [r.INa, r.IK, r.I], pI.box.clientWidth || 300);
      var lead = function (x, arr) { var out = new Float64Array(arr.length + 2); out.set([x[0], x[1]]); out.set(arr, 2); return out; };
      var t0 = -Math.max(1, 0.1 * v.duration);
      pI.setData([lead([t0, -1e-9], d[0]), lead([pre.INa[0], pre.INa[0]], d[1]), lead([pre.IK[0], pre.IK[0]], d[2]),
                  lead([pre.I[0], pre.I[0]], d[3])]);
      // the I–V curve: the exact peak I_Na of the closed form (not the largest sample) and I_K at the end
      var vs = [], na = [], k = [], here = [];
      for (var V = -100; V <= 60; V += 5) {
        var s = L.clampPeak(Object.assign({Vc: V}, common));
        vs.push(V); na.push(s.INa); k.push(s.IKend); here.push(null);
      }
      var iv = vs.indexOf(v.vc), cur = L.clampPeak(Object.assign({Vc: v.vc}, common));
      if (iv < 0) { vs.push(v.vc); vs.sort(function (a, b) { return a - b; }); iv = vs.indexOf(v.vc); na.splice(iv, 0, null); k.splice(iv, 0, null); here.splice(iv, 0, null); }
      here[iv] = cur.INa;
      pIV.setData([vs, na, k, here]);
      return L.describeVoltageClamp(Object.assign({Vc: v.vc}, common));
    };
    return {update: update, plots: [pI, pIV]};
  };

  LABS["fhn-phase-plane"] = function (root, controls) {
    var wrap = el("figure", {"class": "hh-lab-plot"});
    var canvas = el("canvas", {"class": "hh-lab-phase", role: "img",
      "aria-label": "FitzHugh-Nagumo 위상 평면: 널클라인, 평형점, 궤적. 평면을 누르면 그 점에서 궤적이 시작합니다 (시작점 슬라이더로도 바꿀 수 있습니다)."});
    var cap = el("figcaption", {"class": "hh-lab-legend"});
    [["v-널클라인", COLORS.red], ["w-널클라인", COLORS.green], ["궤적", COLORS.blue], ["시작점 (눌러서 바꾸기)", COLORS.orange]].forEach(function (s) {
      var item = el("span", {"class": "hh-lab-key"}), sw = el("span", {"class": "hh-lab-swatch", "aria-hidden": "true"});
      sw.style.background = s[1]; item.appendChild(sw); item.appendChild(document.createTextNode(s[0])); cap.appendChild(item);
    });
    wrap.appendChild(canvas); wrap.appendChild(cap); root.appendChild(wrap);
    var pT = new Plot(root, {alt: "v(t)와 w(t) 그래프", xLabel: "t (무차원)", yLabel: "v, w", height: 150,
                             series: [{label: "v", color: COLORS.blue}, {label: "w", color: COLORS.green}]});
    var X = [-2.5, 2.5], Y = [-1.0, 2.5], last = null, pad = {l: 40, r: 8, t: 8, b: 30};
    var geom = function () {
      var w = canvas.clientWidth || 300, h = Math.round(Math.min(360, Math.max(220, 0.75 * w)));
      return {w: w, h: h, sx: function (v) { return pad.l + (v - X[0]) / (X[1] - X[0]) * (w - pad.l - pad.r); },
              sy: function (y) { return pad.t + (Y[1] - y) / (Y[1] - Y[0]) * (h - pad.t - pad.b); }};
    };
    var draw = function () {
      if (!last) return;
      var g = geom(), dpr = window.devicePixelRatio || 1, ctx = canvas.getContext("2d"), fg = textColor(root);
      canvas.style.height = g.h + "px"; canvas.width = Math.round(g.w * dpr); canvas.height = Math.round(g.h * dpr);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0); ctx.clearRect(0, 0, g.w, g.h);
      ctx.font = "11px sans-serif"; ctx.fillStyle = fg; ctx.strokeStyle = GRID; ctx.lineWidth = 1;
      for (var v = -2; v <= 2; v += 1) { ctx.beginPath(); ctx.moveTo(g.sx(v), g.sy(Y[0])); ctx.lineTo(g.sx(v), g.sy(Y[1])); ctx.stroke(); ctx.fillText(String(v).replace("-", "−"), g.sx(v) - 4, g.h - pad.b + 14); }
      for (var w = -1; w <= 2; w += 1) { ctx.beginPath(); ctx.moveTo(g.sx(X[0]), g.sy(w)); ctx.lineTo(g.sx(X[1]), g.sy(w)); ctx.stroke(); ctx.fillText(String(w).replace("-", "−"), pad.l - 18, g.sy(w) + 4); }
      ctx.fillText("v", g.w - pad.r - 10, g.h - 4); ctx.fillText("w", 4, pad.t + 10);
      var line = function (xs, ys, color, width) {
        ctx.save(); ctx.beginPath(); ctx.rect(pad.l, pad.t, g.w - pad.l - pad.r, g.h - pad.t - pad.b); ctx.clip();
        ctx.strokeStyle = color; ctx.lineWidth = width; ctx.beginPath();
        for (var i = 0; i < xs.length; i++) { var px = g.sx(xs[i]), py = g.sy(ys[i]); if (i) ctx.lineTo(px, py); else ctx.moveTo(px, py); }
        ctx.stroke(); ctx.restore();
      };
      line(last.vs, last.nc.wV, COLORS.red, 2); line(last.vs, last.nc.wW, COLORS.green, 2);
      line(last.tr.v, last.tr.w, COLORS.blue, 1.5);
      var fp = last.fp; ctx.beginPath(); ctx.arc(g.sx(fp[0]), g.sy(fp[1]), 5, 0, 2 * Math.PI);
      ctx.strokeStyle = fg; ctx.lineWidth = 1.5; ctx.stroke(); if (last.stable) { ctx.fillStyle = fg; ctx.fill(); }
      ctx.beginPath(); ctx.arc(g.sx(last.tr.v[0]), g.sy(last.tr.w[0]), 5, 0, 2 * Math.PI); ctx.fillStyle = COLORS.orange; ctx.fill();
    };
    canvas.addEventListener("pointerdown", function (ev) {
      var g = geom(), rect = canvas.getBoundingClientRect(), x = ev.clientX - rect.left, y = ev.clientY - rect.top;
      var v = X[0] + (x - pad.l) / (g.w - pad.l - pad.r) * (X[1] - X[0]), w = Y[1] - (y - pad.t) / (g.h - pad.t - pad.b) * (Y[1] - Y[0]);
      var clamp = function (x, lo, hi) { return Math.min(hi, Math.max(lo, Math.round(x * 100) / 100)); };
      controls().set({v0: clamp(v, -2.5, 2.5), w0: clamp(w, -1, 2.5)});
    });
    var vs = []; for (var i = 0; i <= 200; i++) vs.push(X[0] + (X[1] - X[0]) * i / 200);
    var update = function (v) {
      var tr = L.fhn({I: v.current, v0: v.v0, w0: v.w0, duration: v.duration, dt: 0.01});
      var fp = L.fhnFixedPoint(v.current), tr_ = 1 - fp[0] * fp[0] - L.FHN.epsilon * L.FHN.b;
      var idx = L.decimateIndices(tr.t.length, [tr.v, tr.w], 600);
      last = {vs: vs, nc: L.fhnNullclines(v.current, vs), tr: {v: L.pick(tr.v, idx), w: L.pick(tr.w, idx)}, fp: fp, stable: tr_ < 0};
      draw();
      pT.setData(thin(tr.t, [tr.v, tr.w], pT.box.clientWidth || 300));
      return L.describeFhn(tr, v.current);
    };
    return {update: update, plots: [pT], redraw: draw};
  };

  LABS["izhikevich"] = function (root) {
    var pV = new Plot(root, {alt: "Izhikevich 모델의 막전위 v(t) 그래프", xLabel: "t (ms)", yLabel: "v (mV)", height: 200, yRange: [-90, 40],
                             series: [{label: "v (mV)", color: COLORS.blue}]});
    var pU = new Plot(root, {alt: "회복 변수 u(t) 그래프", xLabel: "t (ms)", yLabel: "u (mV/ms)", height: 130,
                             series: [{label: "u (mV/ms)", color: COLORS.orange}]});
    var update = function (v) {
      var r = L.izhikevich({a: v.a, b: v.b, c: v.c, d: v.d, I: v.current, duration: v.duration, onset: 10});
      // draw each spike up to v_peak (30 mV): the model resets between samples
      var n = r.t.length + 2 * r.spikes.length, t = new Float64Array(n), vv = new Float64Array(n), j = 0, s = 0;
      for (var i = 0; i < r.t.length; i++) {
        while (s < r.spikes.length && r.spikes[s] < r.t[i]) { t[j] = r.spikes[s]; vv[j++] = 30; t[j] = r.spikes[s] + 1e-6; vv[j++] = v.c; s++; }
        t[j] = r.t[i]; vv[j++] = r.v[i];
      }
      var px = pV.box.clientWidth || 300;
      pV.setData(thin(t.subarray(0, j), [vv.subarray(0, j)], px)); pU.setData(thin(r.t, [r.u], px));
      var k = r.spikes.length, text = "스파이크 " + k + "개 (" + v.duration + " ms, 전류는 10 ms부터)";
      if (k >= 2) text += ", 첫 간격 " + nf(r.spikes[1] - r.spikes[0], 1) + " ms, 마지막 간격 " + nf(r.spikes[k - 1] - r.spikes[k - 2], 1) + " ms";
      return text;
    };
    return {update: update, plots: [pV, pU]};
  };

  // ---------------------------------------------------------------------------------------

  function mount(root) {
    var kind = root.getAttribute("data-hh-lab"), make = LABS[kind];
    if (!make || root.getAttribute("data-ready")) return;
    var knobs = JSON.parse(root.getAttribute("data-knobs") || "[]"), presets = JSON.parse(root.getAttribute("data-presets") || "[]");
    var fallback = root.querySelector(".hh-lab-fallback"); if (fallback) fallback.remove();
    var pending = false, controls, lab;
    var run = function () {
      pending = false;
      var t0 = performance.now();
      try {
        readout.textContent = lab.update(controls.values());
        root.removeAttribute("data-error");
      } catch (err) {
        readout.textContent = "계산할 수 없습니다: " + err.message; root.setAttribute("data-error", err.message);
      }
      root.setAttribute("data-compute-ms", (performance.now() - t0).toFixed(2));
      root.setAttribute("data-updates", String(Number(root.getAttribute("data-updates") || 0) + 1));
    };
    var schedule = function () { if (!pending) { pending = true; requestAnimationFrame(run); } };
    controls = buildControls(root, knobs, presets, schedule);
    var readout = el("p", {"class": "hh-lab-readout", "data-readout": "", "aria-live": "polite"});
    root.appendChild(readout);
    lab = make(root, function () { return controls; });
    var resize = function () { lab.plots.forEach(function (p) { p.resize(); }); if (lab.redraw) lab.redraw(); schedule(); };
    if (window.ResizeObserver) {
      var lastW = root.clientWidth;
      new ResizeObserver(function () { if (Math.abs(root.clientWidth - lastW) > 1) { lastW = root.clientWidth; resize(); } }).observe(root);
    }
    // the theme's light/dark switch: redraw the axes in the new text colour
    new MutationObserver(function () { lab.plots.forEach(function (p) { p.redraw(); }); if (lab.redraw) lab.redraw(); })
      .observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme", "data-mode"]});
    root.setAttribute("data-ready", "true");
    run();
  }

  function init() { document.querySelectorAll("[data-hh-lab]").forEach(mount); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
