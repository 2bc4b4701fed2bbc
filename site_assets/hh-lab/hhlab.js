/* hhlab.js: the numerics of the course site's in-page labs (no DOM), as window.hhLab.
 *
 * The same models and parameters as hh_lib (Python), written once here for the browser:
 *   - Hodgkin-Huxley membrane (squid axon, 6.3 °C reference, Q10 = 3, TTX/TEA as blocked fractions),
 *     integrated by an adaptive Dormand-Prince 5(4) with dense output; spikes are the course's
 *     "regenerative events" (SPIKE_RISE, SPIKE_ACCEL), their times located on the interpolant;
 *   - the ideal voltage clamp in closed form (gates relax exponentially towards x_inf(Vc));
 *   - FitzHugh-Nagumo (classical RK4, as hh_lib.simulate_fhn);
 *   - Izhikevich (RK4 with the spike cut-off located on the step, as hh_lib.simulate_izhikevich).
 * Units: t in ms (FHN: dimensionless), V in mV, currents in µA/cm² (Izhikevich: mV/ms),
 * conductances in mS/cm², temperature in °C; ttx and tea are fractions 0..1.
 */
(function (global) {
  "use strict";

  var HH = Object.freeze({C_m: 1.0, g_Na: 120.0, g_K: 36.0, g_L: 0.3, E_Na: 50.0, E_K: -77.0, E_L: -54.4,
                          T_ref: 6.3, q10: 3.0, V0: -65.0});
  var SPIKE_RISE = 20.0;   // mV: hysteresis amplitude of a regenerative event
  var SPIKE_ACCEL = 1.0;   // mV/ms: rise of dV/dt above its minimum since the trough
  var TEMPERATURE_RANGE = [0.0, 50.0];

  // ---------------------------------------------------------------------------------------
  // Argument checks: a clear error naming the argument.

  function num(name, value, lo, hi, unit) {
    if (typeof value !== "number" || !isFinite(value)) {
      throw new TypeError(name + " must be a finite number" + (unit ? " (" + unit + ")" : "") + ", got " + value);
    }
    if ((lo !== undefined && value < lo) || (hi !== undefined && value > hi)) {
      throw new RangeError(name + " must lie in [" + lo + ", " + hi + "]" + (unit ? " " + unit : "") + ", got " + value);
    }
    return value;
  }

  function opt(o, key, fallback) {
    return o && o[key] !== undefined && o[key] !== null ? o[key] : fallback;
  }

  // ---------------------------------------------------------------------------------------
  // HH rates (1/ms at 6.3 °C, V in mV), as hh_lib.rates.

  function xOver1MinusExpNeg(x) {   // x / (1 - e^-x), its limit 1 at x = 0
    var d = -Math.expm1(-x);
    return d === 0 ? 1.0 : x / d;
  }
  function alphaM(V) { return 1.0 * xOver1MinusExpNeg((V + 40.0) / 10.0); }
  function betaM(V) { return 4.0 * Math.exp(-(V + 65.0) / 18.0); }
  function alphaH(V) { return 0.07 * Math.exp(-(V + 65.0) / 20.0); }
  function betaH(V) { return 1.0 / (1.0 + Math.exp(-(V + 35.0) / 10.0)); }
  function alphaN(V) { return 0.1 * xOver1MinusExpNeg((V + 55.0) / 10.0); }
  function betaN(V) { return 0.125 * Math.exp(-(V + 65.0) / 80.0); }

  /** Steady states [m_inf, h_inf, n_inf] at V (mV). */
  function steadyState(V) {
    var am = alphaM(V), ah = alphaH(V), an = alphaN(V);
    return [am / (am + betaM(V)), ah / (ah + betaH(V)), an / (an + betaN(V))];
  }

  /** Time constants [tau_m, tau_h, tau_n] (ms) at V (mV) with temperature factor phi. */
  function timeConstants(V, phi) {
    return [1.0 / (phi * (alphaM(V) + betaM(V))), 1.0 / (phi * (alphaH(V) + betaH(V))),
            1.0 / (phi * (alphaN(V) + betaN(V)))];
  }

  /** Membrane parameters for a temperature (°C) and drug block (fractions), as
   *  hh_lib.HHParameters(temperature=T).with_block(ttx, tea). */
  function membrane(o) {
    var T = num("T", opt(o, "T", HH.T_ref), TEMPERATURE_RANGE[0], TEMPERATURE_RANGE[1], "°C");
    var ttx = num("ttx", opt(o, "ttx", 0), 0, 1), tea = num("tea", opt(o, "tea", 0), 0, 1);
    return {C_m: HH.C_m, g_Na: HH.g_Na * (1 - ttx), g_K: HH.g_K * (1 - tea), g_L: HH.g_L,
            E_Na: HH.E_Na, E_K: HH.E_K, E_L: HH.E_L, phi: Math.pow(HH.q10, (T - HH.T_ref) / 10.0)};
  }

  /** Conductances (mS/cm²) into out: out[0] = g_Na m³h, out[1] = g_K n⁴. */
  function conductances(p, m, h, n, out) {
    out[0] = p.g_Na * m * m * m * h; out[1] = p.g_K * (n * n) * (n * n);
    return out;
  }

  /** Ionic currents (µA/cm², positive outward) into out: [I_Na, I_K, I_L]. */
  function ionic(p, V, m, h, n, out) {
    conductances(p, m, h, n, out);
    out[0] *= V - p.E_Na; out[1] *= V - p.E_K; out[2] = p.g_L * (V - p.E_L);
    return out;
  }

  /** dy/dt of y = [V, m, h, n] under a constant injected current I (µA/cm²), into out;
   *  c is a scratch array of 3 for the currents. */
  function hhRhs(p, I, y, out, c) {
    var V = y[0], m = y[1], h = y[2], n = y[3], phi = p.phi;
    ionic(p, V, m, h, n, c);
    out[0] = (I - c[0] - c[1] - c[2]) / p.C_m;
    out[1] = phi * (alphaM(V) * (1 - m) - betaM(V) * m);
    out[2] = phi * (alphaH(V) * (1 - h) - betaH(V) * h);
    out[3] = phi * (alphaN(V) * (1 - n) - betaN(V) * n);
  }

  // ---------------------------------------------------------------------------------------
  // Dormand-Prince 5(4) with Hairer's continuous extension (dense output of order 4).

  var A21 = 1 / 5, A31 = 3 / 40, A32 = 9 / 40, A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9,
      A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729,
      A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656,
      A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;   // A7j = b_j
  var E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;
  var D1 = -12715105075 / 11282082432, D3 = 87487479700 / 32700410799, D4 = -10690763975 / 1880347072,
      D5 = 701980252875 / 199316789632, D6 = -1453857185 / 822651844, D7 = 69997945 / 29380423;

  /** An integrator of y' = f(y) (autonomous) with dense output. f(y, out) writes y' into out. */
  function Dopri(f, dim, rtol, atol, hMax) {
    this.f = f; this.dim = dim; this.rtol = rtol; this.atol = atol; this.hMax = hMax;
    this.k = []; for (var s = 0; s < 7; s++) this.k.push(new Float64Array(dim));
    this.ytmp = new Float64Array(dim); this.ynew = new Float64Array(dim);
    this.rc = []; for (var r = 0; r < 5; r++) this.rc.push(new Float64Array(dim));
    this.steps = 0; this.rejected = 0;
  }

  /** One accepted step from (t, y) with trial size h; y' at y must be in k[0] (FSAL).
   *  Returns the size taken; afterwards ynew holds y(t + taken), k[0] holds y' there,
   *  rc the dense-output coefficients of the step, and hNext the proposed next size. */
  Dopri.prototype.step = function (y, h) {
    var k = this.k, dim = this.dim, yt = this.ytmp, yn = this.ynew, f = this.f, i;
    var k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5], k6 = k[6];
    for (var attempt = 0; attempt < 200; attempt++) {
      for (i = 0; i < dim; i++) yt[i] = y[i] + h * (A21 * k0[i]);
      f(yt, k1);
      for (i = 0; i < dim; i++) yt[i] = y[i] + h * (A31 * k0[i] + A32 * k1[i]);
      f(yt, k2);
      for (i = 0; i < dim; i++) yt[i] = y[i] + h * (A41 * k0[i] + A42 * k1[i] + A43 * k2[i]);
      f(yt, k3);
      for (i = 0; i < dim; i++) yt[i] = y[i] + h * (A51 * k0[i] + A52 * k1[i] + A53 * k2[i] + A54 * k3[i]);
      f(yt, k4);
      for (i = 0; i < dim; i++) yt[i] = y[i] + h * (A61 * k0[i] + A62 * k1[i] + A63 * k2[i] + A64 * k3[i] + A65 * k4[i]);
      f(yt, k5);
      for (i = 0; i < dim; i++) yn[i] = y[i] + h * (A71 * k0[i] + A73 * k2[i] + A74 * k3[i] + A75 * k4[i] + A76 * k5[i]);
      f(yn, k6);   // at the 5th-order solution (FSAL)
      var err = 0;
      for (i = 0; i < dim; i++) {
        var e = h * (E1 * k0[i] + E3 * k2[i] + E4 * k3[i] + E5 * k4[i] + E6 * k5[i] + E7 * k6[i]);
        var sc = this.atol + this.rtol * Math.max(Math.abs(y[i]), Math.abs(yn[i]));
        err += (e / sc) * (e / sc);
      }
      err = Math.sqrt(err / dim);
      if (err <= 1.0 && isFinite(err)) {
        var rc = this.rc;
        for (i = 0; i < dim; i++) {
          var dy = yn[i] - y[i], bspl = h * k0[i] - dy;
          rc[0][i] = y[i]; rc[1][i] = dy; rc[2][i] = bspl; rc[3][i] = dy - h * k6[i] - bspl;
          rc[4][i] = h * (D1 * k0[i] + D3 * k2[i] + D4 * k3[i] + D5 * k4[i] + D6 * k5[i] + D7 * k6[i]);
        }
        k[0] = k6; k[6] = k0;   // FSAL
        this.steps++;
        this.hNext = Math.min(this.hMax, h * Math.min(5.0, Math.max(0.2, 0.9 * Math.pow(err || 1e-10, -0.2))));
        return h;
      }
      this.rejected++;
      h *= isFinite(err) ? Math.max(0.2, 0.9 * Math.pow(err, -0.2)) : 0.25;
      if (!(h > 1e-12)) break;
    }
    throw new Error("the adaptive integrator could not meet its tolerance (step size underflow)");
  };

  /** Component i of the last step's interpolant at theta in [0, 1] (fraction of the step). */
  Dopri.prototype.dense = function (i, th) {
    var rc = this.rc, th1 = 1 - th;
    return rc[0][i] + th * (rc[1][i] + th1 * (rc[2][i] + th * (rc[3][i] + th1 * rc[4][i])));
  };
  /** d/dtheta of that interpolant (divide by the step size for d/dt). */
  Dopri.prototype.denseDeriv = function (i, th) {
    var rc = this.rc, th1 = 1 - th;
    var C = rc[3][i] + th1 * rc[4][i], dC = -rc[4][i];
    var B = rc[2][i] + th * C, dB = C + th * dC;
    var Aa = rc[1][i] + th1 * B, dA = -B + th1 * dB;
    return Aa + th * dA;
  };

  // ---------------------------------------------------------------------------------------
  // Spike detection: the regenerative-event state machine (course criterion), fed sample by sample.

  function SpikeDetector(V0) {
    this.armed = true; this.trough = V0; this.sMin = Infinity; this.acc = false;
    this.peak = 0; this.cand = 0; this.spikes = [];
  }
  /** Feed the sample (t, V) with slope s = dV/dt (mV/ms). locate(level) returns the upward
   *  crossing time of level between the previous sample and this one. */
  SpikeDetector.prototype.feed = function (V, s, locate) {
    if (this.armed) {
      if (V < this.trough) { this.trough = V; this.sMin = Infinity; this.acc = false; return; }
      this.track(s);
      if (V >= this.trough + SPIKE_RISE) { this.cand = locate(this.trough + SPIKE_RISE); this.peak = V; this.armed = false; }
    } else if (V > this.peak) {
      this.peak = V; this.track(s);
    } else if (V <= this.peak - SPIKE_RISE) {
      if (this.acc) this.spikes.push(this.cand);
      this.armed = true; this.trough = V; this.sMin = Infinity; this.acc = false;
    }
  };
  SpikeDetector.prototype.track = function (s) {
    if (s < this.sMin) this.sMin = s;
    if (s - this.sMin >= SPIKE_ACCEL) this.acc = true;
  };

  /** Regenerative events of a sampled trace (t in ms, V in mV), slopes of the interval ending at
   *  each sample and linear interpolation of the crossing, as hh_lib on a sampled trace. */
  function spikeTimes(t, V) {
    var det = new SpikeDetector(V[0]);
    for (var i = 1; i < V.length; i++) {
      var a = i;
      det.feed(V[i], (V[i] - V[i - 1]) / (t[i] - t[i - 1]), function (level) {
        return t[a - 1] + (level - V[a - 1]) / (V[a] - V[a - 1]) * (t[a] - t[a - 1]);
      });
    }
    return det.spikes.slice();
  }

  function bisect(g, lo, hi) {   // g(lo) < 0 <= g(hi)
    for (var it = 0; it < 60 && hi - lo > 1e-13; it++) {
      var mid = 0.5 * (lo + hi);
      if (g(mid) < 0) lo = mid; else hi = mid;
    }
    return 0.5 * (lo + hi);
  }

  // ---------------------------------------------------------------------------------------
  // Current clamp: the membrane from rest under a constant injected current.

  /** currentClamp({I, T, ttx, tea, duration, dt, rtol, atol}) →
   *  {t, V, m, h, n, INa, IK, spikes, steps}: samples every dt ms (default 0.01) from 0 to duration;
   *  spikes: times (ms) of the regenerative events, each crossing located on the interpolant. */
  function currentClamp(o) {
    var I = num("I", opt(o, "I", 10.0), -1000, 1000, "µA/cm²");
    var duration = num("duration", opt(o, "duration", 100.0), 0.1, 1e5, "ms");
    var dt = num("dt", opt(o, "dt", 0.01), 1e-4, duration, "ms");
    var rtol = num("rtol", opt(o, "rtol", 1e-7), 1e-13, 0.1), atol = num("atol", opt(o, "atol", 1e-7), 1e-15, 1);
    var p = membrane(o);
    var N = Math.floor(duration / dt + 1e-9) + 1, tEnd = (N - 1) * dt;
    var out = {t: new Float64Array(N), V: new Float64Array(N), m: new Float64Array(N), h: new Float64Array(N),
               n: new Float64Array(N), INa: new Float64Array(N), IK: new Float64Array(N), spikes: null, steps: 0};
    var ss = steadyState(HH.V0), y = new Float64Array([HH.V0, ss[0], ss[1], ss[2]]);
    var c = new Float64Array(3), ode = new Dopri(function (yy, dy) { hhRhs(p, I, yy, dy, c); }, 4, rtol, atol, 1.0);
    ode.f(y, ode.k[0]);
    var det = new SpikeDetector(HH.V0), hist = [], tA = 0, tB = 0;
    var locate = function (level) { return locateOnSteps(hist, level, tA, tB); };
    var put = function (i, t, V, m, h, n) {
      out.t[i] = t; out.V[i] = V; out.m[i] = m; out.h[i] = h; out.n[i] = n;
      ionic(p, V, m, h, n, c); out.INa[i] = c[0]; out.IK[i] = c[1];
    };
    put(0, 0, y[0], y[1], y[2], y[3]);
    var t0 = 0, h = 0.01, i = 1;
    while (i < N) {
      var taken = ode.step(y, Math.min(h, tEnd - t0 + 1e-12)), t1 = t0 + taken, rc = ode.rc;
      hist.push([t0, taken, rc[0][0], rc[1][0], rc[2][0], rc[3][0], rc[4][0]]);
      var emitted = false;
      for (; i < N && i * dt <= t1 + 1e-12; i++) {
        var th = Math.min(1, (i * dt - t0) / taken), V = ode.dense(0, th);
        tB = i * dt;
        put(i, tB, V, ode.dense(1, th), ode.dense(2, th), ode.dense(3, th));
        det.feed(V, ode.denseDeriv(0, th) / taken, locate);
        tA = tB; emitted = true;
      }
      if (emitted) hist.splice(0, hist.length - 1);   // later crossings lie after tA, in this step or later
      y.set(ode.ynew); t0 = t1; h = ode.hNext;
    }
    out.spikes = det.spikes.slice(); out.steps = ode.steps;
    return out;
  }

  function stepV(e, t) {   // V on the interpolant of a recorded step e = [t0, h, rc0..rc4] at time t
    var th = Math.max(0, Math.min(1, (t - e[0]) / e[1])), th1 = 1 - th;
    return e[2] + th * (e[3] + th1 * (e[4] + th * (e[5] + th1 * e[6])));
  }

  /** Upward crossing time of level between the samples tA < tB, on the interpolant of the step
   *  holding it (the latest recorded step that starts below the level). */
  function locateOnSteps(hist, level, tA, tB) {
    for (var j = hist.length - 1; j >= 0; j--) {
      var e = hist[j];
      if (e[2] < level || j === 0 || e[0] <= tA) {
        var lo = Math.max(tA, e[0]), hi = Math.min(tB, e[0] + e[1]);
        return bisect(function (t) { return stepV(e, t) - level; }, lo, hi);
      }
    }
    return tB;
  }

  // ---------------------------------------------------------------------------------------
  // Voltage clamp, closed form: x(t) = x_inf(Vc) + (x_inf(hold) - x_inf(Vc)) exp(-t / tau_x(Vc)).

  /** voltageClamp({Vc, hold, T, ttx, tea, duration, dt}) → {t, V, INa, IK, IL, I, gNa, gK, m, h, n}:
   *  the membrane held at `hold` (mV) until t = 0, then at Vc (mV) for `duration` ms. */
  function voltageClamp(o) {
    var Vc = num("Vc", opt(o, "Vc", 0.0), -200, 200, "mV"), hold = num("hold", opt(o, "hold", -65.0), -200, 200, "mV");
    var duration = num("duration", opt(o, "duration", 20.0), 0.01, 1e5, "ms");
    var dt = num("dt", opt(o, "dt", 0.01), 1e-4, duration, "ms");
    var p = membrane(o);
    var x0 = steadyState(hold), xi = steadyState(Vc), tau = timeConstants(Vc, p.phi);
    var N = Math.floor(duration / dt + 1e-9) + 1, keys = ["t", "V", "INa", "IK", "IL", "I", "gNa", "gK", "m", "h", "n"];
    var out = {};
    keys.forEach(function (k) { out[k] = new Float64Array(N); });
    var g = new Float64Array(2), c = new Float64Array(3);
    for (var i = 0; i < N; i++) {
      var t = i * dt;
      var m = xi[0] + (x0[0] - xi[0]) * Math.exp(-t / tau[0]);
      var h = xi[1] + (x0[1] - xi[1]) * Math.exp(-t / tau[1]);
      var n = xi[2] + (x0[2] - xi[2]) * Math.exp(-t / tau[2]);
      conductances(p, m, h, n, g); ionic(p, Vc, m, h, n, c);
      out.t[i] = t; out.V[i] = Vc; out.m[i] = m; out.h[i] = h; out.n[i] = n; out.gNa[i] = g[0]; out.gK[i] = g[1];
      out.INa[i] = c[0]; out.IK[i] = c[1]; out.IL[i] = c[2]; out.I[i] = c[0] + c[1] + c[2];
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // FitzHugh-Nagumo (dimensionless), as hh_lib.fitzhugh_nagumo.

  var FHN = Object.freeze({a: 0.7, b: 0.8, epsilon: 0.08});

  function fhnParams(o) {
    var b = num("b", opt(o, "b", FHN.b), 1e-12, 1);
    return {a: num("a", opt(o, "a", FHN.a)), b: b, epsilon: num("epsilon", opt(o, "epsilon", FHN.epsilon), 1e-12, 1e3)};
  }

  /** The unique fixed point [v*, w*] for a constant current I (Cardano, then one Newton step). */
  function fhnFixedPoint(I, o) {
    var pr = fhnParams(o), p = 3 * (1 / pr.b - 1), q = 3 * (pr.a / pr.b - num("I", I));
    var sd = Math.sqrt((q / 2) * (q / 2) + Math.pow(p / 3, 3));
    var v = Math.cbrt(-q / 2 + sd) + Math.cbrt(-q / 2 - sd), slope = 3 * v * v + p;
    if (slope > 0) v -= (v * v * v + p * v + q) / slope;
    return [v, (v + pr.a) / pr.b];
  }

  /** Nullclines at the voltages v: {wV: v - v³/3 + I (dv/dt = 0), wW: (v + a)/b (dw/dt = 0)}. */
  function fhnNullclines(I, v, o) {
    var pr = fhnParams(o), wV = new Float64Array(v.length), wW = new Float64Array(v.length);
    for (var i = 0; i < v.length; i++) { wV[i] = v[i] - v[i] * v[i] * v[i] / 3 + I; wW[i] = (v[i] + pr.a) / pr.b; }
    return {wV: wV, wW: wW};
  }

  /** fhn({I, duration, dt, v0, w0, a, b, epsilon}) → {t, v, w}: classical RK4 with step dt
   *  (default 0.01), from the resting state (fixed point at I = 0) unless v0/w0 are given. */
  function fhn(o) {
    var pr = fhnParams(o), I = num("I", opt(o, "I", 0.0), -100, 100);
    var duration = num("duration", opt(o, "duration", 200.0), 1e-3, 1e6), dt = num("dt", opt(o, "dt", 0.01), 1e-6, duration);
    var rest = fhnFixedPoint(0, o);
    var v = num("v0", opt(o, "v0", rest[0]), -10, 10), w = num("w0", opt(o, "w0", rest[1]), -10, 10);
    var N = Math.floor(duration / dt + 1e-9) + 1, a = pr.a, b = pr.b, eps = pr.epsilon;
    var out = {t: new Float64Array(N), v: new Float64Array(N), w: new Float64Array(N)};
    var fv = function (v, w) { return v - v * v * v / 3 - w + I; }, fw = function (v, w) { return eps * (v + a - b * w); };
    out.v[0] = v; out.w[0] = w;
    for (var k = 1; k < N; k++) {
      var k1v = fv(v, w), k1w = fw(v, w);
      var k2v = fv(v + 0.5 * dt * k1v, w + 0.5 * dt * k1w), k2w = fw(v + 0.5 * dt * k1v, w + 0.5 * dt * k1w);
      var k3v = fv(v + 0.5 * dt * k2v, w + 0.5 * dt * k2w), k3w = fw(v + 0.5 * dt * k2v, w + 0.5 * dt * k2w);
      var k4v = fv(v + dt * k3v, w + dt * k3w), k4w = fw(v + dt * k3v, w + dt * k3w);
      v += dt / 6 * (k1v + 2 * k2v + 2 * k3v + k4v); w += dt / 6 * (k1w + 2 * k2w + 2 * k3w + k4w);
      out.t[k] = k * dt; out.v[k] = v; out.w[k] = w;
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // Izhikevich (2003), as hh_lib.izhikevich: RK4, the step that reaches v_peak is cut there.

  var IZHIKEVICH_PRESETS = Object.freeze({
    RS: [0.02, 0.2, -65, 8], IB: [0.02, 0.2, -55, 4], CH: [0.02, 0.2, -50, 2], FS: [0.1, 0.2, -65, 2],
    LTS: [0.02, 0.25, -65, 2]});

  function izhRk4(v, u, I, a, b, h) {
    var f = function (v, u) { return 0.04 * v * v + 5 * v + 140 - u + I; }, g = function (v, u) { return a * (b * v - u); };
    var k1v = f(v, u), k1u = g(v, u);
    var k2v = f(v + 0.5 * h * k1v, u + 0.5 * h * k1u), k2u = g(v + 0.5 * h * k1v, u + 0.5 * h * k1u);
    var k3v = f(v + 0.5 * h * k2v, u + 0.5 * h * k2u), k3u = g(v + 0.5 * h * k2v, u + 0.5 * h * k2u);
    var k4v = f(v + h * k3v, u + h * k3u), k4u = g(v + h * k3v, u + h * k3u);
    return [v + h / 6 * (k1v + 2 * k2v + 2 * k3v + k4v), u + h / 6 * (k1u + 2 * k2u + 2 * k3u + k4u)];
  }

  /** Step size s in (0, h] at which the RK4 step from (v, u) reaches vPeak (Illinois regula falsi). */
  function izhCrossing(v, u, I, a, b, vPeak, h, gHi) {
    var lo = 0, hi = h, gLo = v - vPeak, side = 0, s = h, g = gHi;
    for (var it = 0; it < 100; it++) {
      s = isFinite(gHi) ? (lo * gHi - hi * gLo) / (gHi - gLo) : 0.5 * (lo + hi);
      if (!(lo < s && s < hi)) s = 0.5 * (lo + hi);
      g = izhRk4(v, u, I, a, b, s)[0] - vPeak;
      if (g >= 0 || !isFinite(g)) { hi = s; gHi = g; if (side === 1) gLo *= 0.5; side = 1; }
      else { lo = s; gLo = g; if (side === -1 && isFinite(gHi)) gHi *= 0.5; side = -1; }
      if (hi - lo <= 1e-13 * (1 + hi) || Math.abs(g) < 1e-11) break;
    }
    return Math.abs(g) >= 1e-11 ? hi : s;
  }

  /** izhikevich({I, a, b, c, d, vPeak, duration, dt, onset, v0, u0}) → {t, v, u, spikes}: RK4 with
   *  step dt (default 0.025 ms); the current I (mV/ms) is on from t = onset (ms, default 0). */
  function izhikevich(o) {
    var a = num("a", opt(o, "a", 0.02), 1e-9, 100, "1/ms"), b = num("b", opt(o, "b", 0.2), -100, 100, "1/ms");
    var vPeak = num("vPeak", opt(o, "vPeak", 30), -200, 200, "mV"), c = num("c", opt(o, "c", -65), -200, vPeak - 1e-9, "mV");
    var d = num("d", opt(o, "d", 8), -1000, 1000, "mV/ms"), I = num("I", opt(o, "I", 10), -1000, 1000, "mV/ms");
    var duration = num("duration", opt(o, "duration", 200), 0.1, 1e6, "ms"), dt = num("dt", opt(o, "dt", 0.025), 1e-4, 0.5, "ms");
    var onset = num("onset", opt(o, "onset", 0), 0, 1e6, "ms");
    var v = num("v0", opt(o, "v0", -65), -200, vPeak, "mV"), u = num("u0", opt(o, "u0", b * v), -1e6, 1e6, "mV/ms");
    var N = Math.floor(duration / dt + 1e-9) + 1, out = {t: new Float64Array(N), v: new Float64Array(N), u: new Float64Array(N), spikes: []};
    out.v[0] = v; out.u[0] = u;
    for (var k = 0; k + 1 < N; k++) {
      var Ik = k * dt >= onset ? I : 0, tc = 0;
      for (var mm = 0; mm <= 50; mm++) {
        if (mm === 50) throw new Error("the Izhikevich integration ran away (more than 50 spikes in one step)");
        var r = dt - tc, nx = izhRk4(v, u, Ik, a, b, r);
        if (nx[0] < vPeak) { v = nx[0]; u = nx[1]; break; }
        var s = izhCrossing(v, u, Ik, a, b, vPeak, r, nx[0] - vPeak);
        var us = izhRk4(v, u, Ik, a, b, s)[1];
        out.spikes.push(k * dt + tc + s);
        v = c; u = us + d; tc += s;
        if (tc >= dt * (1 - 1e-12)) break;
      }
      if (!(isFinite(v) && isFinite(u))) throw new Error("the Izhikevich integration diverged");
      out.t[k + 1] = (k + 1) * dt; out.v[k + 1] = v; out.u[k + 1] = u;
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // Plotting helper: keep the first, min, max and last sample of every bin (spike peaks survive).

  /** Indices of the samples to plot: per bin of the x range, those of the min and max of each
   *  series in ys (plus the bin's first and last), in order. At most ~4·bins·ys.length indices. */
  function decimateIndices(n, ys, bins) {
    if (n <= 4 * bins) { var all = new Uint32Array(n); for (var q = 0; q < n; q++) all[q] = q; return all; }
    var keep = [], size = n / bins;
    for (var b = 0; b < bins; b++) {
      var i0 = Math.floor(b * size), i1 = Math.min(n, Math.floor((b + 1) * size));
      if (i1 <= i0) continue;
      var set = [i0, i1 - 1];
      for (var s = 0; s < ys.length; s++) {
        var y = ys[s], iMin = i0, iMax = i0;
        for (var i = i0 + 1; i < i1; i++) { if (y[i] < y[iMin]) iMin = i; if (y[i] > y[iMax]) iMax = i; }
        set.push(iMin, iMax);
      }
      set.sort(function (x, z) { return x - z; });
      for (var j = 0; j < set.length; j++) if (j === 0 || set[j] !== set[j - 1]) keep.push(set[j]);
    }
    return Uint32Array.from(keep);
  }

  function pick(arr, idx) { var out = new Float64Array(idx.length); for (var i = 0; i < idx.length; i++) out[i] = arr[idx[i]]; return out; }

  global.hhLab = Object.freeze({
    HH: HH, FHN: FHN, SPIKE_RISE: SPIKE_RISE, SPIKE_ACCEL: SPIKE_ACCEL, IZHIKEVICH_PRESETS: IZHIKEVICH_PRESETS,
    rates: Object.freeze({alphaM: alphaM, betaM: betaM, alphaH: alphaH, betaH: betaH, alphaN: alphaN, betaN: betaN}),
    steadyState: steadyState, timeConstants: timeConstants, membrane: membrane,
    currentClamp: currentClamp, voltageClamp: voltageClamp, spikeTimes: spikeTimes,
    fhn: fhn, fhnFixedPoint: fhnFixedPoint, fhnNullclines: fhnNullclines, izhikevich: izhikevich,
    decimateIndices: decimateIndices, pick: pick
  });
})(typeof window !== "undefined" ? window : globalThis);
