"""Two Python models start together in two dbt threads of one process: both import the fitting libraries at
once. That must never fail (scikit-learn imported from two threads at once can raise "cannot import name
... from partially initialized module"), and each must then fit on one BLAS and one OpenMP thread."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import threading

errors = []
openmp_threads = []


def openmp_limit():
    from threadpoolctl import threadpool_info

    pools = [pool for pool in threadpool_info() if pool["user_api"] == "openmp"]
    assert pools, threadpool_info()
    openmp_threads.extend(pool["num_threads"] for pool in pools)


def persona_model():
    try:
        from predseg.threads import single_threaded_blas

        single_threaded_blas()
        from predseg.personas import fit_personas  # noqa: F401

        openmp_limit()
    except Exception as error:
        errors.append(repr(error))


def segment_model():
    try:
        from predseg.threads import single_threaded_blas

        single_threaded_blas()
        from predseg.modeling import fit_segment  # noqa: F401

        openmp_limit()
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
# OpenMP's limit is per thread: each model's own thread has one
assert openmp_threads == [1, 1], openmp_threads
print("ok")
"""


def test_two_models_importing_at_once_both_load_with_one_blas_and_openmp_thread():
    for _ in range(3):  # a fresh interpreter each time: the imports race only the first time
        result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
        assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]
