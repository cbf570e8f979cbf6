"""A dbt-duckdb plugin (named in profiles.yml) that turns two operational failures into one clear message
instead of a traceback:

* **Another process holds the database** (DuckDB allows one writer): before dbt opens the build database,
  the plugin tries it; when it is locked, the build stops with what holds the lock and what to do.
* **The build is interrupted** (SIGINT or SIGTERM): dbt cancels the running queries as for Ctrl-C (a
  connection that is already closed has nothing to cancel), and the build ends with one message saying
  what was and was not published.

dbt-duckdb creates plugins on a worker thread, where Python cannot set signal handlers, so the handlers
are installed by wrapping dbt's ``GraphRunnableTask.execute_nodes`` (which runs on the main thread) for
the duration of the node execution; tests/python/test_operations.py pins this against the dbt version in
requirements.txt.

The same wrapper also starts importing scikit-learn in the background when the run includes a model that
fits, so that the first fit does not spend that time on the build's critical path, and waits for that
import before the run ends (predseg.threads).

And it sets DuckDB's worker threads from ``PREDSEG_DUCKDB_THREADS`` when that is set (a bad value stops the
build naming it).
"""

from __future__ import annotations

import os
import re
import signal
import threading
from pathlib import Path

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError

from predseg.publish import published_path_for
from predseg.threads import import_fitting_libraries_in_background, wait_for_background_import


class BuildInterrupted(KeyboardInterrupt, DbtRuntimeError):
    """A KeyboardInterrupt (so dbt cancels its queries as for Ctrl-C) that dbt reports as a plain error."""

    def __init__(self, message: str):
        DbtRuntimeError.__init__(self, message)


class DatabaseLocked(DbtRuntimeError):
    """The build database is held by another process."""


def holder_of(message: str) -> str:
    """'PID 123: dbt build ...' from DuckDB's lock error, as far as the message and /proc tell."""
    match = re.search(r"\(PID (\d+)\)", message)
    if not match:
        return "another process"
    pid = match.group(1)
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        command = ""
    return f"process {pid}" + (f" ({command[:120]})" if command else "")


def lock_message(database: str, error: str) -> str:
    published = published_path_for(database, None)
    return (
        f"{database} is locked by {holder_of(error)}: DuckDB lets one process write a database at a time, "
        "so another build is probably running. Wait for it to finish (or stop it) and run this again; "
        f"meanwhile readers can open the last published run, {published}, read-only."
    )


def interrupted_message(signal_name: str, database: str) -> str:
    return (
        f"the build was stopped by {signal_name}. Tables it finished are in {database}; the published copy "
        f"({published_path_for(database, None)}) still holds the last complete run, so readers never see a "
        "mix. Run the build again to finish."
    )


def check_not_locked(database: str) -> None:
    """Raise DatabaseLocked with a clear message when another process holds ``database``."""
    if database in ("", ":memory:") or not Path(database).exists():
        return
    try:
        duckdb.connect(database).close()
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise DatabaseLocked(lock_message(database, str(error))) from None
        raise


def fits(node) -> bool:
    """Whether a node of the run is a Python model that fits (it calls predseg.threads.single_threaded_blas)."""
    return getattr(node, "language", None) == "python" and "single_threaded_blas(" in (
        getattr(node, "raw_code", "") or ""
    )


def interrupt_handlers_around_node_execution(database: str) -> None:
    """While dbt executes nodes, SIGINT and SIGTERM raise BuildInterrupted in the main thread; and when the run
    includes a model that fits, the fitting libraries are imported in the background meanwhile
    (predseg.threads)."""
    from dbt.task.runnable import GraphRunnableTask

    original = GraphRunnableTask.execute_nodes
    if getattr(original, "_predseg_wrapped", False):
        return

    def execute_nodes(self):
        if threading.current_thread() is not threading.main_thread():
            return original(self)

        def interrupt(number, frame):
            raise BuildInterrupted(interrupted_message(signal.Signals(number).name, database))

        previous = {number: signal.signal(number, interrupt) for number in (signal.SIGINT, signal.SIGTERM)}
        if any(fits(node) for node in getattr(self, "_flattened_nodes", None) or []):
            import_fitting_libraries_in_background()
        try:
            return original(self)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            # an interrupted run must not exit during the import (predseg.threads)
            wait_for_background_import()

    execute_nodes._predseg_wrapped = True
    GraphRunnableTask.execute_nodes = execute_nodes


def cancel_tolerates_closed_connections() -> None:
    """Cancelling the queries of an interrupted build must not fail on a connection a finished model has
    already closed (dbt-duckdb raises ConnectionException then, which would end the build in a
    traceback instead of the message): there is nothing to cancel on it."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    original = DuckDBConnectionManager.cancel
    if getattr(original, "_predseg_wrapped", False):
        return

    def cancel(self, connection):
        try:
            return original(self, connection)
        except duckdb.ConnectionException:
            return None

    cancel._predseg_wrapped = True
    DuckDBConnectionManager.cancel = cancel


THREADS_VARIABLE = "PREDSEG_DUCKDB_THREADS"


def duckdb_threads(value: str | None) -> int | None:
    """DuckDB's worker threads from ``PREDSEG_DUCKDB_THREADS`` (None when unset: DuckDB's default, one per
    core). Fewer threads help when other work shares the cores, e.g. two builds side by side."""
    if value is None or not value.strip():
        return None
    try:
        threads = int(value)
    except ValueError:
        threads = 0
    if threads < 1:
        raise DbtRuntimeError(
            f"{THREADS_VARIABLE}={value!r}: it must be a whole number of threads, 1 or more (unset: one per core)"
        )
    return threads


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict) -> None:
        interrupt_handlers_around_node_execution(str(getattr(self.creds, "path", "") or ""))
        cancel_tolerates_closed_connections()

    def update_connection_config(self, creds, config: dict) -> None:
        check_not_locked(str(creds.path))
        threads = duckdb_threads(os.environ.get(THREADS_VARIABLE))
        if threads is not None:
            config["threads"] = threads
