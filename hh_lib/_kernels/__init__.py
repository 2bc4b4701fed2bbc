"""Private compiled numerics (numba): not part of the student API. Written once for every model;
a model plugs in with a :class:`hh_lib.core.model.ModelSpec` beside its equations.

_numba       the numba import, with a clear error when it is missing; helpers compiled for one signature
cache        numba's on-disk cache stamped with a hash of the library's sources (edits recompile)
intrinsics   e**x, x/(1-e**-x), ln x and an atomic counter written as LLVM instructions
physics      a model's rates and equations compiled from its own source; run-time replacement refused
model        a model's kernels: the drivers below specialised on its ModelSpec (generated adapters)
rk4          one classical RK4 step for every model (state tuples of any length)
dopri        one Dormand-Prince 5(4) attempt with PI step-size control, on lanes, any state length
lanes        the adaptive lanes kernel: dopri5 traces on a grid (simulate) and spike counts (fi_curve)
grid         the grid entry of simulate / simulate_cs (dopri5 through lanes; rk4, exponential Euler)
spikes       the event state machine of the spike definitions (sampled traces and the F-I kernel)
threads      the thread pool the kernels run on
"""
