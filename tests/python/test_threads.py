"""Two Python models start together in two dbt threads of one process: both import the fitting libraries at
once. That must never fail (scikit-learn imported from two threads at once can raise "cannot import name
... from partially initialized module")."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import threading

errors = []


def persona_model():
    try:
        from predseg.threads import single_threaded_blas

        single_threaded_blas()
        from predseg.personas import fit_personas  # noqa: F401
    except Exception as error:
        errors.append(repr(error))


def segment_model():
    try:
        from predseg.threads import single_threaded_blas

        single_threaded_blas()
        from predseg.modeling import fit_segment  # noqa: F401
    except Exception as error:
        errors.append(repr(error))


threads = [threading.Thread(target=persona_model), threading.Thread(target=segment_model)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
assert not errors, errors
from threadpoolctl import threadpool_info

assert all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas"), threadpool_info()
print("ok")
"""


def test_two_models_importing_at_once_both_load_with_one_blas_thread():
    for _ in range(3):  # a fresh interpreter each time: the imports race only the first time
        result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
        assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]
