"""Private compiled numerics (numba): not part of the student API.

_numba       the numba import, with a clear error when it is missing
intrinsics   e**x, x/(1-e**-x), ln x and an atomic counter written as LLVM instructions
hh           the HH rates and equations of hh_lib.hh, compiled (same code, primitives rebound)
rk4          one classical RK4 step for every model (state tuples of any length)
dopri        one Dormand-Prince 5(4) pair with one PI step-size control, on lanes
grid         the grid driver of hh_lib.simulate (dopri5, rk4, exponential Euler)
fi           the F-I lanes kernel of hh_lib.fi_curve
threads      the thread pool the kernels run on
"""
