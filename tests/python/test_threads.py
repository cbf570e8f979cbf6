"""Two Python models start together in two dbt threads of one process: both import the fitting libraries at
once, possibly while the import the dbt plugin started in the background is under way. That must never fail
(scikit-learn imported from two threads at once can raise "cannot import name ... from partially initialized
module"), and each must then fit on one BLAS and one OpenMP thread. The plugin starts that import for the
runs that include a fitting model, which it tells by the model's code. And DuckDB's own threads come from
PREDSEG_DUCKDB_THREADS when it is set, or the build stops naming it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import DbtProject

from predseg.dbt_plugin import fits

PROJECT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
import threading

if sys.argv[1] == "background":  # as the dbt plugin does when node execution begins
    from predseg.threads import import_fitting_libraries_in_background

    import_fitting_libraries_in_background()

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


# a build starts the background import whenever it runs a fitting model; the models alone are the fallback
@pytest.mark.parametrize(("start", "runs"), [("background", 2), ("models only", 1)])
def test_two_models_importing_at_once_both_load_with_one_blas_and_openmp_thread(start, runs):
    for _ in range(runs):  # a fresh interpreter each time: the imports race only the first time
        result = subprocess.run([sys.executable, "-c", SCRIPT, start], capture_output=True, text=True)
        assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]


STOPPED_DURING_IMPORT = """
import atexit
import sys
from types import SimpleNamespace

from dbt.task.runnable import GraphRunnableTask

# atexit runs before Python stops the daemon threads at exit
atexit.register(lambda: print("imported" if "sklearn.linear_model" in sys.modules else "not imported"))


def stopped(self):
    raise KeyboardInterrupt  # as a build stopped by a signal right after node execution began


GraphRunnableTask.execute_nodes = stopped
from predseg.dbt_plugin import interrupt_handlers_around_node_execution

interrupt_handlers_around_node_execution("")
fitting = SimpleNamespace(language="python", raw_code="single_threaded_blas()")
try:
    GraphRunnableTask.execute_nodes(SimpleNamespace(_flattened_nodes=[fitting]))
except KeyboardInterrupt:
    sys.exit(2)
"""


def test_a_build_stopped_during_the_background_import_waits_for_it():
    """The plugin's wrapper waits for the import it started before the run ends: at exit, Python stopping the
    import's thread inside an extension's initialisation can abort the process (an interrupted build then
    ends in "FATAL: exception not rethrown", not its message)."""
    result = subprocess.run([sys.executable, "-c", STOPPED_DURING_IMPORT], capture_output=True, text=True)
    assert result.returncode == 2, result.stderr[-3000:]
    assert result.stdout.strip() == "imported", result.stderr[-3000:]


def test_the_plugin_tells_the_fitting_models_by_their_code():
    python_models = sorted(PROJECT.glob("python_models/*.py")) + sorted(PROJECT.glob("models/**/*.py"))
    fitting = {
        path.stem for path in python_models if fits(SimpleNamespace(language="python", raw_code=path.read_text()))
    }
    assert fitting == {"segment_models", "persona_models"}, fitting
    assert len(python_models) > len(fitting)  # the input models and the publication do not fit
    sql = SimpleNamespace(language="sql", raw_code="-- single_threaded_blas() in a comment")
    assert not fits(sql)


# neither the tests' own setting (1) nor DuckDB's default (one per core)
UNUSUAL_THREADS = str((os.cpu_count() or 1) + 2)


@pytest.mark.parametrize("value", [UNUSUAL_THREADS, "two", "0"])
def test_duckdb_threads_come_from_the_environment_or_the_build_stops_naming_it(tmp_path, monkeypatch, value):
    monkeypatch.setenv("PREDSEG_DUCKDB_THREADS", value)
    project = DbtProject(workdir=tmp_path, vars={"demo": True})
    result = project.dbt("show", "--inline", "select current_setting('threads') as threads", check=False)
    if value == UNUSUAL_THREADS:
        assert result.returncode == 0, result.stdout[-3000:]
        shown = re.search(r"\|\s*threads\s*\|\s*\n.*\n\|\s*(\d+)\s*\|", result.stdout)
        assert shown and shown.group(1) == value, result.stdout[-3000:]
    else:
        assert result.returncode != 0
        assert f"PREDSEG_DUCKDB_THREADS='{value}': it must be a whole number of threads" in result.stdout
