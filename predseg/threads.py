"""One BLAS and one OpenMP thread for the model fits, for bit-for-bit reproducible results, and the fitting
libraries imported once.

dbt runs two models at a time in one process, so two Python models (segment_models and persona_models) can
fit at once. A multi-threaded BLAS then splits their matrix products differently from run to run, and the
sums come out different in the last bits. The fits are small (a bounded sample), so one BLAS thread costs
little; DuckDB keeps its own threads.

scikit-learn's k-means runs its loops on OpenMP threads, one per core. While DuckDB's queries hold both
cores, those threads wait on each other: the persona fit took 9.4 s beside the other models at 200k users,
against 2 s alone. So each fitting model also limits OpenMP to one thread; OpenMP's limit belongs to the
thread that sets it, so every model sets it in its own thread, each time.

Two models starting together would also import scikit-learn from two threads at once, which can fail with
"cannot import name ... from partially initialized module": the first call imports it under a lock, the
other waits.

Importing scikit-learn and SciPy takes about 2 s, which the first fitting model would spend on the build's
critical path. When a run includes a fitting model, the dbt plugin (predseg.dbt_plugin) starts that import
on a background thread as node execution begins, under the same lock, while the SQL models before the fits
run (they wait on DuckDB, which releases Python's lock); a model that starts fitting before it is done waits
for it. dbt itself has imported NumPy, pandas and PyArrow by then, so only these libraries, which nothing
but the fitting models imports, are imported concurrently.

The plugin also waits for that import when node execution ends (wait_for_background_import). A build
stopped by a signal soon after it began would otherwise exit with the import's daemon thread inside an
extension's initialisation, where Python's finalisation stopping it aborts the process ("FATAL: exception
not rethrown") instead of ending with the build's message.
"""

from __future__ import annotations

import threading

from threadpoolctl import threadpool_limits

_lock = threading.Lock()
_limit = None
_importer = None  # the background import's thread, once started


def _import_fitting_libraries() -> None:
    """Import the fitting libraries and limit BLAS to one thread, once per process (under the lock)."""
    global _limit
    with _lock:
        if _limit is None:
            import scipy.optimize  # noqa: F401
            import sklearn.cluster  # noqa: F401
            import sklearn.linear_model  # noqa: F401
            import sklearn.metrics  # noqa: F401

            _limit = threadpool_limits(limits=1, user_api="blas")


def import_fitting_libraries_in_background() -> None:
    """Start importing the fitting libraries on a daemon thread, unless they are imported or being imported."""
    global _importer
    with _lock:
        if _limit is not None or _importer is not None:
            return
        _importer = threading.Thread(target=_import_fitting_libraries, name="predseg-import-fitting", daemon=True)
        _importer.start()


def single_threaded_blas() -> None:
    """Import the fitting libraries (once per process), limit BLAS to one thread for the rest of the process
    (not restored: a restore in one model while another fits would undo it), and OpenMP to one thread in
    the calling thread. Call it first in every Python model that fits, in the thread that fits."""
    _import_fitting_libraries()  # waits for a background import under way
    threadpool_limits(limits=1, user_api="openmp")  # this thread's own limit


def wait_for_background_import() -> None:
    """Wait for the background import, if one was started, to finish."""
    importer = _importer
    if importer is not None and importer is not threading.current_thread():
        importer.join()
