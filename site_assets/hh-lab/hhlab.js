/* hhlab.js: the numerics of the course site's in-page labs (no DOM), as window.hhLab.
 *
 * The same models and parameters as hh_lib (Python), written once here for the browser:
 *   - Hodgkin-Huxley membrane (squid axon, 6.3 °C reference, Q10 = 3, TTX/TEA as blocked fractions),
 *     integrated by an adaptive Dormand-Prince 5(4) with dense output; action potentials
 *     by the course's definition (state rule: 20-mV events in which g_Na/(g_K + g_L) rises by >= 0.5),
 *     each at its peak located on the integrator's interpolant;
 *   - the Connor-Stevens membrane (Dayan & Abbott 2001; A-type K⁺ current, type I excitability) from
 *     rest, by the same integrator and the same definition (g_Na/(g_K + g_A + g_L) here);
 *   - the ideal voltage clamp in closed form (gates relax exponentially towards x_inf(Vc));
 *   - FitzHugh-Nagumo (classical RK4, as hh_lib.simulate_fhn);
 *   - Izhikevich (RK4 with the spike cut-off located on the step, as hh_lib.simulate_izhikevich).
 * Units: t in ms (FHN: dimensionless), V in mV, currents in µA/cm² (Izhikevich: mV/ms),
 * conductances in mS/cm², temperature in °C; ttx, tea and block (the A-current's) are fractions 0..1.
 */
(function (global) {
  "use strict";

  var HH = Object.freeze({C_m: 1.0, g_Na: 120.0, g_K: 36.0, g_L: 0.3, E_Na: 50.0, E_K: -77.0, E_L: -54.4,
                          T_ref: 6.3, q10: 3.0, V0: -65.0});
  // The course's definition of an action potential (hh_lib.core.spikes; issue 21):
  var SPIKE_RISE = 20.0;       // mV: hysteresis of an event (opens at trough + 20, closes at peak - 20)
  var SPIKE_NA_RATIO = 0.5;    // state rule: g_Na/(g_K + g_L) rises by >= 0.5 from the trough in the event
  var SPIKE_ACCEL = 1.0;       // voltage rule: dV/dt rose by 1 mV/ms above its minimum since the trough
  var SPIKE_AMPLITUDE = 35.0;  // voltage rule: peak - trough >= 35 mV
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
    // the six rates of hh_lib.rates with four transcendental calls instead of six (the integrator's
    // inner loop): exp(-(V+65)/20) = exp(-(V+65)/80)⁴, and beta_h's exp(-(V+35)/10) =
    // e^0.5·exp(-(V+40)/10) from alpha_m's expm1 (no cancellation there: it is added to 1)
    var xm = (V + 40.0) / 10.0, em = -Math.expm1(-xm), xn = (V + 55.0) / 10.0, en = -Math.expm1(-xn);
    var e80 = Math.exp(-(V + 65.0) / 80.0), e20 = (e80 * e80) * (e80 * e80);
    var am = em === 0 ? 1.0 : xm / em, bm = 4.0 * Math.exp(-(V + 65.0) / 18.0);
    var ah = 0.07 * e20, bh = 1.0 / (1.0 + E_HALF * (1.0 - em));
    var an = 0.1 * (en === 0 ? 1.0 : xn / en), bn = 0.125 * e80;
    ionic(p, V, m, h, n, c);
    out[0] = (I - c[0] - c[1] - c[2]) / p.C_m;
    out[1] = phi * (am * (1 - m) - bm * m);
    out[2] = phi * (ah * (1 - h) - bh * h);
    out[3] = phi * (an * (1 - n) - bn * n);
  }
  var E_HALF = Math.exp(0.5);

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
    var self = this;   // f counted: evals, the integrator's work (the tests compare it with scipy's)
    this.f = function (y, out) { self.evals++; f(y, out); }; this.evals = 0; this.dim = dim; this.rtol = rtol; this.atol = atol; this.hMax = hMax;
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
  // Spike detection: the course's definition of an action potential (issue 21, state rule), as
  // hh_lib.core.state_rule / hh_lib._kernels.spikes.
  //
  // An EVENT: walking along the samples, ARMED with trough = V[0]; a new minimum moves the trough
  // and resets the event's trackers; V >= trough + SPIKE_RISE opens the event (RISING); there the
  // peak (max V) is tracked, and V <= peak - SPIKE_RISE closes it, after which the walk is ARMED
  // again with trough = that V. An event still open at the end of the run is not counted (a plateau).
  // An event is an ACTION POTENTIAL iff g_Na/(g_K + g_L) RISES by at least SPIKE_NA_RATIO from its
  // value at the trough to its largest value before the close: the membrane's own Na⁺ conductance
  // regenerated by at least half of all the conductance opposing it (a rise, so that the decaying
  // g_Na of a previous spike does not count). Its time is the time of the peak, on the interpolant.

  /** The walk above, fed sample by sample: feed(i, V, ratio) with i the sample index. On closing
   *  an event, refine(iPeak) gives [time, V] of the peak; events collects
   *  {time, peak, trough, rise, spike} (rise: of g_Na/(g_K + g_L) from the trough). */
  function EventDetector(V0, ratio0, refine) {
    this.armed = true; this.trough = V0; this.rTrough = ratio0; this.rMax = ratio0; this.peak = V0; this.iPeak = 0;
    this.refine = refine; this.events = [];
  }
  EventDetector.prototype.feed = function (i, V, ratio) {
    if (ratio > this.rMax) this.rMax = ratio;
    if (this.armed) {
      if (V < this.trough) { this.trough = V; this.rTrough = this.rMax = ratio; return; }
      if (V >= this.trough + SPIKE_RISE) { this.armed = false; this.peak = V; this.iPeak = i; }
      return;
    }
    if (V > this.peak) { this.peak = V; this.iPeak = i; }
    else if (V <= this.peak - SPIKE_RISE) {
      var pk = this.refine(this.iPeak), rise = this.rMax - this.rTrough;
      this.events.push({time: pk[0], peak: pk[1], trough: this.trough, rise: rise, spike: rise >= SPIKE_NA_RATIO});
      this.armed = true; this.trough = V; this.rTrough = this.rMax = ratio;
    }
  };
  /** True while an event is open (rising, or a plateau that has not come down by SPIKE_RISE). */
  EventDetector.prototype.open = function () { return !this.armed; };

  /** Maximum on [ta, tb] of the cubic Hermite of a step e = [t0, h, V0, dV, bspl, c3] (the
   *  Dormand-Prince dense output without its 4th-order term: the cubic through V and dV/dt at both
   *  ends of the step): [t, V]. V(θ) = V0 + θ(dV + (1 - θ)(bspl + θ c3)), θ = (t - t0)/h. */
  function hermiteMax(e, ta, tb) {
    var t0 = e[0], h = e[1], c0 = e[2], c1 = e[3], c2 = e[4], c3 = e[5];
    var lo = Math.max(0, (ta - t0) / h), hi = Math.min(1, (tb - t0) / h);
    if (!(hi >= lo)) return null;
    var val = function (th) { return c0 + th * (c1 + (1 - th) * (c2 + th * c3)); };
    // dV/dθ = (c1 + c2) + 2 (c3 - c2) θ - 3 c3 θ²
    var A = -3 * c3, B = 2 * (c3 - c2), C = c1 + c2, cands = [lo, hi];
    if (A !== 0) {
      var disc = B * B - 4 * A * C;
      if (disc >= 0) { var sq = Math.sqrt(disc); cands.push((-B + sq) / (2 * A), (-B - sq) / (2 * A)); }
    } else if (B !== 0) cands.push(-C / B);
    var best = lo, bv = -Infinity;
    for (var k = 0; k < cands.length; k++) {
      var th = cands[k];
      if (th >= lo && th <= hi) { var v = val(th); if (v > bv) { bv = v; best = th; } }
    }
    return [t0 + best * h, bv];
  }

  /** Action potentials of a bare voltage trace (t in ms, V in mV) by the course's VOLTAGE rule
   *  (hh_lib.spike_times(t, V)): the same 20-mV events, an action potential when the upstroke
   *  accelerated (dV/dt rose by SPIKE_ACCEL above its minimum since the trough, tracked while V
   *  rises) and peak - trough >= SPIKE_AMPLITUDE; its time = the vertex of the parabola through
   *  the highest sample and its neighbours (uniform sampling). Returns the peak times (ms). */
  function spikeTimes(t, V) {
    var out = [], armed = true, trough = V[0], sMin = Infinity, acc = false, peak = V[0], ip = 0;
    for (var i = 1; i < V.length; i++) {
      var s = (V[i] - V[i - 1]) / (t[i] - t[i - 1]);
      if (armed) {
        if (V[i] < trough) { trough = V[i]; sMin = Infinity; acc = false; continue; }
        if (s < sMin) sMin = s;
        if (s - sMin >= SPIKE_ACCEL) acc = true;
        if (V[i] >= trough + SPIKE_RISE) { armed = false; peak = V[i]; ip = i; }
      } else if (V[i] > peak) {
        peak = V[i]; ip = i;
        if (s < sMin) sMin = s;
        if (s - sMin >= SPIKE_ACCEL) acc = true;
      } else if (V[i] <= peak - SPIKE_RISE) {
        if (acc && peak - trough >= SPIKE_AMPLITUDE) {
          var y0 = V[ip - 1], y1 = V[ip], y2 = V[ip + 1], den = y0 - 2 * y1 + y2, tp = t[ip];
          if (den < 0) tp += 0.5 * (y0 - y2) / den * (0.5 * (t[ip + 1] - t[ip - 1]));
          out.push(tp);
        }
        armed = true; trough = V[i]; sMin = Infinity; acc = false;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // A membrane from a start state under a constant current, sampled every dt ms, its 20-mV
  // events found on the way (shared by the HH and the Connor-Stevens current clamps).

  /** Integrates y' = ode.f(y) from the state y (V first) at t = 0 and samples it every dt ms up to
   *  sample N - 1 (the dense output): put(i, t, x) stores sample i (state x, reused) and returns
   *  the state rule's ratio g_Na/(opposing conductances) there; V is the array put fills with the
   *  voltage. The events are found sample by sample, each peak located on the cubic Hermite of the
   *  accepted step (as hh_lib's F-I kernel). Returns {events, spikes, open, steps, evals}: every closed
   *  20-mV event ({time, peak, trough, rise, spike}), the peak times (ms) of the action potentials
   *  among them, whether an event is still open at the end (a plateau, not counted), and the
   *  integrator's accepted steps and its right-hand-side evaluations (evals: its work, rejected steps included). */
  function sampleRun(ode, y, N, dt, V, put) {
    var tEnd = (N - 1) * dt, dim = ode.dim, x = new Float64Array(dim), d;
    // hist: the accepted steps [t0, h, V0, dV, bspl, c3] that may hold the open event's peak
    var hist = [];
    var refine = function (ip) {   // the peak near sample ip: the interpolant's maximum between its neighbours
      var ta = Math.max(0, ip - 1) * dt, tb = Math.min(N - 1, ip + 1) * dt, best = [ip * dt, V[ip]];
      for (var j = 0; j < hist.length; j++) {
        var e = hist[j];
        if (e[0] + e[1] < ta - 1e-12 || e[0] > tb + 1e-12) continue;
        var mx = hermiteMax(e, ta, tb);
        if (mx && mx[1] > best[1]) best = mx;
      }
      return best;
    };
    ode.f(y, ode.k[0]);
    x.set(y);
    var det = new EventDetector(y[0], put(0, 0, x), refine);
    var t0 = 0, h = 0.01, i = 1;
    while (i < N) {
      var taken = ode.step(y, Math.min(h, tEnd - t0 + 1e-12)), t1 = t0 + taken, rc = ode.rc;
      hist.push([t0, taken, rc[0][0], rc[1][0], rc[2][0], rc[3][0]]);
      for (; i < N && i * dt <= t1 + 1e-12; i++) {
        var th = Math.min(1, (i * dt - t0) / taken);
        for (d = 0; d < dim; d++) x[d] = ode.dense(d, th);
        det.feed(i, x[0], put(i, i * dt, x));
      }
      // with no event open, only steps reaching back to the last sample's neighbour can matter
      if (!det.open()) {
        var keepFrom = (i - 2) * dt - 1e-12, drop = 0;
        while (drop < hist.length - 1 && hist[drop][0] + hist[drop][1] < keepFrom) drop++;
        if (drop) hist.splice(0, drop);
      }
      y.set(ode.ynew); t0 = t1; h = ode.hNext;
    }
    return {events: det.events, spikes: det.events.filter(function (e) { return e.spike; }).map(function (e) { return e.time; }),
            open: det.open(), steps: ode.steps, evals: ode.evals};
  }

  /** The options every current clamp shares, checked, with the sample count: {I, duration, dt, rtol, atol, N}. */
  function clampOptions(o, I0, duration0) {
    var duration = num("duration", opt(o, "duration", duration0), 0.1, 1e5, "ms");
    var dt = num("dt", opt(o, "dt", 0.01), 1e-4, duration, "ms");
    return {I: num("I", opt(o, "I", I0), -1000, 1000, "µA/cm²"), duration: duration, dt: dt,
            rtol: num("rtol", opt(o, "rtol", 2e-7), 1e-13, 0.1), atol: num("atol", opt(o, "atol", 2e-7), 1e-15, 1),
            N: Math.floor(duration / dt + 1e-9) + 1};
  }

  // ---------------------------------------------------------------------------------------
  // Current clamp: the HH membrane from rest under a constant injected current.

  /** currentClamp({I, T, ttx, tea, duration, dt, rtol, atol}) →
   *  {t, V, m, h, n, INa, IK, ratio, events, spikes, open, steps, evals, phi}: samples every dt ms
   *  (default 0.01) from 0 to duration (rtol = atol = 2e-7 by default: peak times a few 1e-6 ms from
   *  hh_lib's tight solution, up to 3e-3 ms on the flat tops of fully TEA-blocked spikes); ratio = g_Na/(g_K + g_L) at each sample;
   *  events, spikes, open, steps, evals: as sampleRun. */
  function currentClamp(o) {
    var c0 = clampOptions(o, 10.0, 100.0), I = c0.I, N = c0.N, p = membrane(o);
    var out = {t: new Float64Array(N), V: new Float64Array(N), m: new Float64Array(N), h: new Float64Array(N),
               n: new Float64Array(N), INa: new Float64Array(N), IK: new Float64Array(N), ratio: new Float64Array(N),
               events: null, spikes: null, open: false, steps: 0, evals: 0, phi: p.phi};
    var ss = steadyState(HH.V0), y = new Float64Array([HH.V0, ss[0], ss[1], ss[2]]);
    var c = new Float64Array(3), ode = new Dopri(function (yy, dy) { hhRhs(p, I, yy, dy, c); }, 4, c0.rtol, c0.atol, 1.0);
    var put = function (i, t, x) {
      var V = x[0], m = x[1], h = x[2], n = x[3];
      out.t[i] = t; out.V[i] = V; out.m[i] = m; out.h[i] = h; out.n[i] = n;
      conductances(p, m, h, n, c);
      out.INa[i] = c[0] * (V - p.E_Na); out.IK[i] = c[1] * (V - p.E_K);
      return (out.ratio[i] = c[0] / (c[1] + p.g_L));
    };
    var run = sampleRun(ode, y, N, c0.dt, out.V, put);
    out.events = run.events; out.spikes = run.spikes; out.open = run.open; out.steps = run.steps; out.evals = run.evals;
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // Connor-Stevens (Dayan & Abbott 2001, section 6.2, per cm²), as hh_lib.cs: Na⁺, delayed-
  // rectifier K⁺, A-type K⁺ and leak; state (V, m, h, n, a, b); no temperature factor.

  var CS = Object.freeze({C_m: 1.0, g_Na: 120.0, g_K: 20.0, g_A: 47.7, g_L: 0.3, E_Na: 55.0, E_K: -72.0, E_A: -75.0,
                          E_L: -17.0, REST_NUDGE: 1e-3, IA_RANGE: Object.freeze([0.0, 40.0])});
  // IA_RANGE (µA/cm²): the lab's I_A plot (hh_lib.labs.CS_IA_RANGE): between spikes I_A lies between
  // about 3 and 25 µA/cm²; its peaks in the spikes (up to about 300) are cut off.
  // REST_NUDGE (mV): a run starts 1 µV above the resting potential, every gate at its steady state
  // there (hh_lib: simulate_cs(V0=equilibrium_potential(0, p) + 1e-3)). A stable rest forgets it in
  // a few ms; an unstable one (the A-current blocked by more than about 60 %) is left as a real
  // membrane's noise would leave it, instead of being held for ever by exact arithmetic.

  /** The ten gating functions of hh_lib.cs.rates at V (mV) into r: [α_m, β_m, α_h, β_h, α_n, β_n
   *  (1/ms), a∞, τ_a (ms), b∞, τ_b (ms)]. Eight transcendental calls instead of eleven (the
   *  integrator's inner loop): β_h's e^{-0.1(V+18)} = e^{1.17}·e^{-0.1(V+29.7)} from α_m's expm1 (no
   *  cancellation there: it is added to 1), and α_h's e^{-0.05(V+48)} = e^{0.385}·(e^{-0.0125(V+55.7)})⁴
   *  from β_n's. α_m and α_n keep their finite limits at the 0/0 points (V = -29.7 and -45.7 mV). */
  function csRates(V, r) {
    var xm = 0.1 * (V + 29.7), em = -Math.expm1(-xm), xn = 0.1 * (V + 45.7), en = -Math.expm1(-xn);
    var e80 = Math.exp(-0.0125 * (V + 55.7)), u = 0.0346 * (V + 1.17), s = 1.0 / (1.0 + Math.exp(0.0688 * (V + 53.3)));
    r[0] = 3.8 * (em === 0 ? 1.0 : xm / em);                     // 0.38 (V+29.7) / (1 - e^{-0.1(V+29.7)})
    r[1] = 15.2 * Math.exp(-0.0556 * (V + 54.7));
    r[2] = 0.266 * E_0385 * ((e80 * e80) * (e80 * e80));         // 0.266 e^{-0.05(V+48)}
    r[3] = 3.8 / (1.0 + E_117 * (1.0 - em));                     // 3.8 / (1 + e^{-0.1(V+18)})
    r[4] = 0.2 * (en === 0 ? 1.0 : xn / en);                     // 0.02 (V+45.7) / (1 - e^{-0.1(V+45.7)})
    r[5] = 0.25 * e80;                                           // 0.25 e^{-0.0125(V+55.7)}
    // (0.0761 e^{0.0314(V+94.22)} / (1 + e^{0.0346(V+1.17)}))^{1/3}, the exponentials combined as in hh_lib
    r[6] = Math.cbrt(0.0761 * Math.exp(0.0314 * (V + 94.22) - u) / (Math.exp(-u) + 1.0));
    r[7] = 0.3632 + 1.158 / (1.0 + Math.exp(0.0497 * (V + 55.96)));
    r[8] = (s * s) * (s * s);                                    // (1 / (1 + e^{0.0688(V+53.3)}))⁴
    r[9] = 1.24 + 2.678 / (1.0 + Math.exp(0.0624 * (V + 50.0)));
    return r;
  }
  var E_117 = Math.exp(1.17), E_0385 = Math.exp(0.385);

  /** Steady states [m∞, h∞, n∞, a∞, b∞] at V (mV). */
  function csSteadyState(V) {
    var r = csRates(V, new Float64Array(10));
    return [r[0] / (r[0] + r[1]), r[2] / (r[2] + r[3]), r[4] / (r[4] + r[5]), r[6], r[8]];
  }

  /** Parameters with a fraction `block` (0..1) of the A-type channels blocked (CSParameters().with_block). */
  function csMembrane(block) {
    num("block", block, 0, 1);
    return {C_m: CS.C_m, g_Na: CS.g_Na, g_K: CS.g_K, g_A: CS.g_A * (1 - block), g_L: CS.g_L,
            E_Na: CS.E_Na, E_K: CS.E_K, E_A: CS.E_A, E_L: CS.E_L};
  }

  /** Ionic currents [I_Na, I_K, I_A, I_L] (µA/cm², positive outward) into out, and the state
   *  rule's ratio g_Na/(g_K + g_A + g_L) as the return value. */
  function csIonic(p, V, m, h, n, a, b, out) {
    var gNa = p.g_Na * m * m * m * h, gK = p.g_K * (n * n) * (n * n), gA = p.g_A * (a * a * a) * b;
    out[0] = gNa * (V - p.E_Na); out[1] = gK * (V - p.E_K); out[2] = gA * (V - p.E_A); out[3] = p.g_L * (V - p.E_L);
    return gNa / (gK + gA + p.g_L);
  }

  /** dy/dt of y = [V, m, h, n, a, b] under a constant current I (µA/cm²), into out (hh_lib.cs.cs_rhs);
   *  r (10) and c (4) are scratch arrays. */
  function csRhs(p, I, y, out, r, c) {
    var V = y[0];
    csRates(V, r);
    csIonic(p, V, y[1], y[2], y[3], y[4], y[5], c);
    out[0] = (I - c[0] - c[1] - c[2] - c[3]) / p.C_m;
    out[1] = r[0] * (1 - y[1]) - r[1] * y[1];
    out[2] = r[2] * (1 - y[2]) - r[3] * y[2];
    out[3] = r[4] * (1 - y[3]) - r[5] * y[3];
    out[4] = (r[6] - y[4]) / r[7];
    out[5] = (r[8] - y[5]) / r[9];
  }

  /** The resting potential (mV) of the membrane p: where the steady-state current vanishes in
   *  [-100, 0] mV (hh_lib.cs.equilibrium_potential; unique there for every A-current block),
   *  by bisection to the last bit. */
  function csRest(p) {
    var c = new Float64Array(4), iss = function (V) {
      var x = csSteadyState(V); csIonic(p, V, x[0], x[1], x[2], x[3], x[4], c); return c[0] + c[1] + c[2] + c[3];
    };
    var lo = -100.0, hi = 0.0;
    if (!(iss(lo) < 0 && iss(hi) > 0)) throw new Error("no resting potential between -100 and 0 mV");
    for (var k = 0; k < 200; k++) {
      var mid = 0.5 * (lo + hi);
      if (mid <= lo || mid >= hi) break;
      if (iss(mid) < 0) lo = mid; else hi = mid;
    }
    return 0.5 * (lo + hi);
  }

  /** csCurrentClamp({I, block, duration, dt, rtol, atol}) → {t, V, IA, ratio, events, spikes, open,
   *  steps, evals, rest}: the Connor-Stevens membrane from rest (rest: its resting potential, mV; the run
   *  starts REST_NUDGE above it) under a constant current I (µA/cm²) with a fraction `block` (0..1)
   *  of the A-current blocked; samples every dt ms (default 0.01) from 0 to duration (ms); IA: the
   *  A-type K⁺ current (µA/cm², outward +); ratio = g_Na/(g_K + g_A + g_L); events, spikes (peak
   *  times, ms, by the state rule), open, steps, evals: as sampleRun. */
  function csCurrentClamp(o) {
    var c0 = clampOptions(o, 10.0, 1000.0), I = c0.I, N = c0.N, p = csMembrane(opt(o, "block", 0));
    var out = {t: new Float64Array(N), V: new Float64Array(N), IA: new Float64Array(N), ratio: new Float64Array(N),
               events: null, spikes: null, open: false, steps: 0, evals: 0, rest: csRest(p)};
    var V0 = out.rest + CS.REST_NUDGE, y = new Float64Array([V0].concat(csSteadyState(V0)));
    var r = new Float64Array(10), c = new Float64Array(4);
    var ode = new Dopri(function (yy, dy) { csRhs(p, I, yy, dy, r, c); }, 6, c0.rtol, c0.atol, 1.0);
    var put = function (i, t, x) {
      var q = csIonic(p, x[0], x[1], x[2], x[3], x[4], x[5], c);
      out.t[i] = t; out.V[i] = x[0]; out.IA[i] = c[2];
      return (out.ratio[i] = q);
    };
    var run = sampleRun(ode, y, N, c0.dt, out.V, put);
    out.events = run.events; out.spikes = run.spikes; out.open = run.open; out.steps = run.steps; out.evals = run.evals;
    return out;
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

  /** clampPeak({Vc, hold, T, ttx, tea, duration}) → {t, gNa, INa, IKend}: the exact maximum of
   *  g_Na(t) = ḡ_Na m(t)³ h(t) of the closed form on [0, duration] (so the peak of |I_Na| =
   *  g_Na |Vc - E_Na|), not read off samples: the largest value on a grid dense near t = 0, then
   *  bisection on the sign of dg/dt ∝ 3 m' h + m h' between the grid point's neighbours.
   *  IKend: I_K at the end of the step. */
  function clampPeak(o) {
    var Vc = num("Vc", opt(o, "Vc", 0.0), -200, 200, "mV"), hold = num("hold", opt(o, "hold", -65.0), -200, 200, "mV");
    var duration = num("duration", opt(o, "duration", 20.0), 0.01, 1e5, "ms");
    var p = membrane(o);
    var x0 = steadyState(hold), xi = steadyState(Vc), tau = timeConstants(Vc, p.phi);
    var dm = x0[0] - xi[0], dh = x0[1] - xi[1];
    var gate = function (t) {   // [m, h, 3 m' h + m h'] at t
      var em = Math.exp(-t / tau[0]), eh = Math.exp(-t / tau[1]);
      var m = xi[0] + dm * em, h = xi[1] + dh * eh;
      return [m, h, 3 * (-dm * em / tau[0]) * h + m * (-dh * eh / tau[1])];
    };
    var g = function (t) { var x = gate(t); return p.g_Na * x[0] * x[0] * x[0] * x[1]; };
    var K = 400, ts = [], best = 0, gBest = -1;
    for (var k = 0; k <= K; k++) {
      var t = duration * Math.pow(k / K, 3), gk = g(t);
      ts.push(t);
      if (gk > gBest) { gBest = gk; best = k; }
    }
    var tPeak = ts[best];
    if (best > 0 && best < K) {
      var lo = ts[best - 1], hi = ts[best + 1];
      if (gate(lo)[2] > 0 && gate(hi)[2] < 0) {
        for (var it = 0; it < 100 && hi - lo > 1e-13 * (1 + hi); it++) {
          var mid = 0.5 * (lo + hi);
          if (gate(mid)[2] > 0) lo = mid; else hi = mid;
        }
        tPeak = 0.5 * (lo + hi);
      }
    }
    var gP = g(tPeak), n = xi[2] + (x0[2] - xi[2]) * Math.exp(-duration / tau[2]);
    return {t: tPeak, gNa: gP, INa: gP * (Vc - p.E_Na), IKend: p.g_K * n * n * n * n * (Vc - p.E_K)};
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
  // Readouts: what a run shows, in one Korean line that says what happened (issue 21).

  /** x with `digits` decimals and a true minus sign. */
  function fmt(x, digits) {
    return (Math.round(x * Math.pow(10, digits)) / Math.pow(10, digits)).toFixed(digits).replace("-", "−");
  }
  function signed(x, digits) { return (x > 0 ? "+" : "") + fmt(x, digits); }
  function mean(a) { var s = 0; for (var i = 0; i < a.length; i++) s += a[i]; return s / a.length; }
  function swing(arr, i0, i1) {
    var lo = Infinity, hi = -Infinity;
    for (var i = i0; i < i1; i++) { if (arr[i] < lo) lo = arr[i]; if (arr[i] > hi) hi = arr[i]; }
    return hi - lo;
  }

  /** Does repetitive firing with these event times last to the end of the run (tEnd)?
   *  "Lasts" means: at least two events, and the time since the last one is at most 1.5 mean
   *  intervals (the mean of the last three intervals at most), i.e. the next event is not overdue.
   *  A neuron that stopped firing (heat block, depolarisation block, a transient) fails this as
   *  soon as 1.5 intervals have passed; a run too short to tell is read as still firing. */
  function lasting(times, tEnd) {
    var n = times.length;
    if (n < 2) return null;
    var isis = []; for (var k = Math.max(1, n - 3); k < n; k++) isis.push(times[k] - times[k - 1]);
    var isi = mean(isis);
    return tEnd - times[n - 1] <= 1.5 * isi ? {isi: isi, last: times[n - 1] - times[n - 2]} : null;
  }

  /** The longest interval (ms) of repetitive firing of the squid membrane at temperature factor
   *  phi: about 18 ms at 6.3 °C (the period at the fold of limit cycles, just above the threshold
   *  of repetitive firing), 34 ms at 0 °C, 7-8 ms at 20 °C with TEA 50 % (measured with hh_lib over
   *  0-100 µA/cm² and TTX/TEA 0-50 %); 22 ms·phi^-0.7 bounds those. After a single spike, a
   *  silence longer than 1.5 times this means the membrane has stopped firing. */
  function longestInterval(phi) { return 22.0 * Math.pow(phi, -0.7); }

  /** The rate (Hz) of an interval (ms): one decimal below 10 Hz (type I fires that slowly), none above. */
  function rateText(isi) { var hz = 1000 / isi; return fmt(hz, hz < 10 ? 1 : 0); }

  /** What the action potentials (peak times s, ms) of a run from rest sampled at times t did, the
   *  first part of a current-clamp readout: {text, going, undecided, after}. A rate only for firing
   *  that lasts to the end (lasting); a single spike followed by at most `quiet` ms of silence is
   *  undecided (the run may be too short to see the next one); otherwise how many spikes and when
   *  they stopped. first: also say when the first spike came (type I: its long delay). after: the
   *  sample after the last spike (where the tail starts). */
  function firingPart(s, t, quiet, first) {
    var N = t.length, tEnd = t[N - 1], n = s.length, going = lasting(s, tEnd), undecided = false, after = 0;
    var head = "스파이크 " + n + "개" + (first && n >= 2 ? " (첫 스파이크 t = " + fmt(s[0], 1) + " ms)" : ""), text;
    if (going) {
      text = head + ", 끝까지 반복 발화: " + rateText(going.last) + " Hz (마지막 간격 " + fmt(going.last, 2) + " ms)";
    } else if (n === 0) {
      text = "활동전위 없음";
    } else {
      var tLast = s[n - 1];
      after = Math.min(N - 1, Math.ceil(tLast / (t[1] - t[0])));
      undecided = n === 1 && tEnd - tLast <= quiet;
      text = undecided ? "스파이크 1개 (t = " + fmt(tLast, 1) + " ms): 발화가 이어지는지 보려면 시간을 늘리세요"
                       : head + ", t = " + fmt(tLast, 1) + " ms에 멈춤";
    }
    return {text: text, going: going, undecided: undecided, after: after};
  }

  /** What the membrane did after its last spike (from sample `after`; n spikes before), or "": the
   *  tail is the second half of what follows the last spike (at least the last 10 % of the run); an
   *  oscillation crosses its mid-level at least 4 times there (two cycles), and it is sustained when
   *  its second half swings at least 70 % as far as its first half (a damped oscillation of the
   *  resting membrane shrinks to a third or less; near the Hopf point, above about 155 µA/cm², to a
   *  half); its size is the swing of that second half, the latest. label: the state rule's ratio. */
  function tailPart(V, ratio, after, n, label) {
    var N = V.length, i0 = after + Math.floor((N - after) / 2);
    if (N - i0 < N / 10) i0 = Math.floor(0.9 * N);
    var mid = (i0 + N) >> 1, sw = swing(V, i0, N), sw1 = swing(V, i0, mid), sw2 = swing(V, mid, N);
    var lo = Infinity, rmax = -Infinity, rmin = Infinity, cross = 0, i;
    for (i = i0; i < N; i++) {
      if (V[i] < lo) lo = V[i];
      if (ratio[i] > rmax) rmax = ratio[i];
      if (ratio[i] < rmin) rmin = ratio[i];
    }
    var level = lo + sw / 2;
    for (i = i0 + 1; i < N; i++) if ((V[i - 1] < level) !== (V[i] < level)) cross++;
    var lead = n ? "그 뒤 " : "";
    if (sw >= 2.0 && cross >= 4 && sw2 >= 0.7 * sw1) {
      // a sustained oscillation without action potentials (the limit cycle near its Hopf end): the
      // ratio rises by at most its swing over the tail, below the 0.5 of an action potential
      return lead + "작은 진동 ±" + fmt(sw2 / 2, 1) + " mV, 활동전위 아님 (" + label + "가 " + fmt(rmax - rmin, 2) +
             "만 오름 < " + SPIKE_NA_RATIO + ")";
    }
    return sw >= 2.0 && cross >= 4 ? lead + "잦아드는 진동 (끝 무렵 ±" + fmt(sw2 / 2, 1) + " mV)" : "";
  }

  /** The readout of a current-clamp run r = currentClamp(o) (o: the same options). */
  function describeCurrentClamp(r, o) {
    var N = r.t.length, f = firingPart(r.spikes, r.t, 1.5 * longestInterval(r.phi), false), parts = [f.text];
    if (!f.going && !f.undecided) {
      var tail = tailPart(r.V, r.ratio, f.after, r.spikes.length, "g_Na/(g_K+g_L)");
      if (tail) parts.push(tail);
    }
    var Vend = r.V[N - 1], text = parts.join("; ") + "; 끝의 V = " + signed(Vend, 1) + " mV";
    var Vmax = -Infinity; for (var j = 0; j < N; j++) if (r.V[j] > Vmax) Vmax = r.V[j];
    if (Vmax > HH.E_Na) {
      // only the injected current can charge the membrane beyond E_Na: no ionic current pushes past it
      text += ". 주의: V가 " + signed(Vmax, 0) + " mV까지 오름. E_Na(+50 mV)보다 높은 전위는 이온 전류로는 생기지 않고 주입 전류만이 만든 것" +
              (opt(o, "tea", 0) >= 0.9 ? "(K⁺ 통로가 막혀 작은 누설 전류만 주입 전류에 맞섬)" : "") +
              "입니다. 실제 막은 이런 전위를 견디지 못하므로 모델이 성립하지 않는 조건입니다";
    } else if (!f.going && Vend > -50 && r.h[N - 1] < 0.1 && opt(o, "ttx", 0) < 1) {
      text += " (h = " + fmt(r.h[N - 1], 2) + ": Na⁺ 통로 대부분 불활성화)";
    }
    return text;
  }

  /** The readout of a Connor-Stevens run r = csCurrentClamp(o): as describeCurrentClamp, with the
   *  first spike's time (type I: a long delay near the onset of firing). A single spike is
   *  undecided until the silence after it is 1.5 times the time the first spike took from rest
   *  (type I has no longest interval: it grows without bound towards the onset; the interval
   *  after a spike is shorter than the way from rest to the first one: tests/unit/test_lab_figures.py). */
  function describeCsCurrentClamp(r) {
    var s = r.spikes, f = firingPart(s, r.t, s.length ? 1.5 * s[0] : 0, true), parts = [f.text];
    if (!f.going && !f.undecided) {
      var tail = tailPart(r.V, r.ratio, f.after, s.length, "g_Na/(g_K+g_A+g_L)");
      if (tail) parts.push(tail);
    }
    return parts.join("; ") + "; 끝의 V = " + signed(r.V[r.V.length - 1], 1) + " mV";
  }

  /** The readout of a voltage-clamp step: the exact peak I_Na (clampPeak), I_K at the end, and
   *  the fraction of Na⁺ channels the holding potential leaves available (h_inf(hold)). */
  function describeVoltageClamp(o) {
    var pk = clampPeak(o), hold = opt(o, "hold", -65.0), Vc = opt(o, "Vc", 0.0), hAvail = steadyState(hold)[1];
    var na = !(pk.gNa > 0) ? "I_Na = 0 (TTX 100 %: Na⁺ 통로가 모두 막힘)"
      : Math.abs(Vc - HH.E_Na) < 0.5 ? "I_Na ≈ 0 (E_Na = +50 mV: 구동력이 없음)"
      : "I_Na 최댓값 " + fmt(pk.INa, 1) + " µA/cm² (t = " + fmt(pk.t, 3) + " ms" + (Vc > HH.E_Na ? ", E_Na보다 높아 바깥 방향" : "") + ")";
    return "계단 " + fmt(hold, 0) + " → " + fmt(Vc, 0) + " mV: " + na + ", 계단 끝 I_K = " + fmt(pk.IKend, 1) +
           " µA/cm²; 유지 전위의 h∞ = " + fmt(hAvail, 2) + ": 불활성화되지 않은 Na⁺ 통로 " + fmt(100 * hAvail, 0) + " %";
  }

  /** FitzHugh-Nagumo: the full excursions of a trajectory tr = fhn(o), the model's action
   *  potentials. An excursion starts with a jump to the right branch (v reaches 1.5, beyond the
   *  right knee v = 1 of the cubic nullcline) from the left (a start at v < 1, or after the last
   *  excursion) and is full when the trajectory comes back past the left knee (v <= -1).
   *  Returns {times: start times of the full excursions, open: start time of one that has not
   *  come back by the end (a jump into depolarisation block, or one under way), else null}.
   *  Damped wiggles around a fixed point near a knee (I = 1.45: v* = 0.99) cross v = 1 without
   *  being excursions. */
  function fhnExcursions(tr) {
    var times = [], armed = tr.v[0] < 1, start = null;
    for (var k = 0; k < tr.v.length; k++) {
      if (armed && tr.v[k] >= 1.5) { start = tr.t[k]; armed = false; }
      else if (!armed && tr.v[k] <= -1) { if (start !== null) times.push(start); start = null; armed = true; }
    }
    return {times: times, open: start};
  }

  /** The readout of a FitzHugh-Nagumo run tr = fhn(o) at current I. */
  function describeFhn(tr, I) {
    var fp = fhnFixedPoint(I), pr = fhnParams(), stable = 1 - fp[0] * fp[0] - pr.epsilon * pr.b < 0;
    var ex = fhnExcursions(tr), N = tr.v.length, tEnd = tr.t[N - 1];
    var going = lasting(ex.open === null ? ex.times : ex.times.concat([ex.open]), tEnd);
    var text = "평형점 (v*, w*) = (" + fmt(fp[0], 3) + ", " + fmt(fp[1], 3) + "): " + (stable ? "안정" : "불안정") +
               "; 완전한 흥분(오른쪽 가지에 갔다 돌아옴) " + ex.times.length + "번 (t = 0–" + fmt(tEnd, 0) + ")";
    if (going) return text + ", 끝까지 반복: 극한 주기, 주기 ≈ " + fmt(going.isi, 1);
    if (ex.open !== null) text += "; t = " + fmt(ex.open, 1) + "에 오른쪽 가지로 건너가 돌아오지 않음";
    var dist = Math.max(Math.abs(tr.v[N - 1] - fp[0]), Math.abs(tr.w[N - 1] - fp[1]));
    var i0 = Math.floor(0.75 * N), sw = swing(tr.v, i0, N);
    if (stable && dist < 0.01 && sw < 0.02) return text + ", 평형점으로 수렴";
    if (stable) return text + ", 평형점으로 수렴하는 중 (끝에서 v − v* = " + fmt(tr.v[N - 1] - fp[0], 3) + ")";
    return text + (sw >= 0.02 ? ", 작은 진동 (v 폭 ±" + fmt(sw / 2, 2) + ", 완전한 흥분 아님)" : "");
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
    HH: HH, FHN: FHN, SPIKE_RISE: SPIKE_RISE, SPIKE_NA_RATIO: SPIKE_NA_RATIO, SPIKE_ACCEL: SPIKE_ACCEL,
    SPIKE_AMPLITUDE: SPIKE_AMPLITUDE, IZHIKEVICH_PRESETS: IZHIKEVICH_PRESETS,
    rates: Object.freeze({alphaM: alphaM, betaM: betaM, alphaH: alphaH, betaH: betaH, alphaN: alphaN, betaN: betaN}),
    steadyState: steadyState, timeConstants: timeConstants, membrane: membrane,
    currentClamp: currentClamp, voltageClamp: voltageClamp, clampPeak: clampPeak, spikeTimes: spikeTimes,
    CS: CS, csRates: csRates, csSteadyState: csSteadyState, csMembrane: csMembrane, csRest: csRest, csCurrentClamp: csCurrentClamp,
    fhn: fhn, fhnFixedPoint: fhnFixedPoint, fhnNullclines: fhnNullclines, izhikevich: izhikevich,
    describeCurrentClamp: describeCurrentClamp, describeCsCurrentClamp: describeCsCurrentClamp, describeVoltageClamp: describeVoltageClamp, describeFhn: describeFhn,
    fhnExcursions: fhnExcursions, lasting: lasting, fmt: fmt, decimateIndices: decimateIndices, pick: pick
  });
})(typeof window !== "undefined" ? window : globalThis);
