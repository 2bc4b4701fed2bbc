"""What a user sees when the compiled-kernel dependency cannot be imported."""

from __future__ import annotations

import subprocess
import sys

from helpers import ROOT

BLOCK_NUMBA = """
import sys
sys.modules["numba"] = None  # as if numba were not installed
try:
    import hh_lib
except ImportError as exc:
    print(exc)
else:
    print("imported")
"""


def test_missing_numba_gives_a_clear_import_error():
    out = subprocess.run([sys.executable, "-c", BLOCK_NUMBA], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    message = out.stdout
    assert "hh_lib needs numba" in message
    assert "pip install numba" in message and "Colab" in message
