"""A small pool of Python threads for the compiled kernels (they release the GIL), which costs
nothing to compile, unlike numba's ``parallel=True``."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def n_threads() -> int:
    """Threads to use: NUMBA_NUM_THREADS if set, else the processors this process may run on."""
    env = os.environ.get("NUMBA_NUM_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_parallel(task: Callable[[int], None], n: int) -> None:
    """Run task(0), ..., task(n-1): task(0) in this thread, the others in the pool."""
    global _pool
    if n <= 1:
        task(0)
        return
    with _pool_lock:
        if _pool is None or _pool._max_workers < n - 1:
            _pool = ThreadPoolExecutor(max_workers=n - 1, thread_name_prefix="hh_lib")
    futures = [_pool.submit(task, w) for w in range(1, n)]
    try:
        task(0)
    finally:
        for f in futures:
            f.result()
