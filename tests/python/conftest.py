"""Shared fixtures: simulated data sets and dbt runs in their own DuckDB files and target folders."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import io
import json
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import dbt_var_tracking
import duckdb
import pytest
from dbt_common.tests import enable_test_caching

from predseg.dbt_command import PROJECT_DIR, dbt_invocation
from predseg.simulator import SimulationConfig, simulate, write

# The tests run two workers on two cores (pytest -n 2), and each build runs two models at a time: DuckDB at
# one thread per query, not one per core, spends less CPU on these small builds (no work split between
# threads), about 5 % of the suite's. Set it to test at other thread counts.
os.environ.setdefault("PREDSEG_DUCKDB_THREADS", "1")

# dbt's own test fixtures do this: the Jinja of macros, models and tests is parsed once per test process and
# kept by its source text (rendering, which reads the vars, still happens every call).
enable_test_caching()


def keep_compiled_jinja() -> None:
    """Jinja compiles every template dbt renders from a string (each model, test and macro, at parse time
    and again at run time) into Python code, at every dbt call. Here the code is kept, for this test
    process, by the template's source and everything of the environment its compilation reads (class,
    extensions, filters, tests, syntax and output options): what Jinja's own bytecode cache does for
    templates loaded from files. Rendering, which reads the vars, still happens every call. A dbt call's
    parse takes about 1.4 s instead of 1.8 s."""
    import jinja2

    compile_source = jinja2.Environment.compile
    compiled = {}

    def compile_once(self, source, name=None, filename=None, raw=False, defer_init=False):
        if not isinstance(source, str):
            return compile_source(self, source, name, filename, raw, defer_init)
        key = (
            type(self),
            source,
            name,
            filename,
            raw,
            defer_init,
            tuple(sorted(self.extensions)),
            tuple(sorted(self.filters)),
            tuple(sorted(self.tests)),
            self.finalize,
            self.autoescape,
            self.optimized,
            self.is_async,
            self.block_start_string,
            self.block_end_string,
            self.variable_start_string,
            self.variable_end_string,
            self.comment_start_string,
            self.comment_end_string,
            self.line_statement_prefix,
            self.line_comment_prefix,
            self.trim_blocks,
            self.lstrip_blocks,
            self.newline_sequence,
            self.keep_trailing_newline,
        )
        if key not in compiled:
            compiled[key] = compile_source(self, source, name, filename, raw, defer_init)
        return compiled[key]

    jinja2.Environment.compile = compile_once


keep_compiled_jinja()


def keep_validated_configs() -> None:
    """dbt checks each node's and each file's configuration against its JSON schema at every call, and
    most of them are the same at every call. Here data that passed once, byte for byte the same when
    pickled (so of the same types), passes again in this test process without the check; data that failed
    is checked, and fails, every time. A dbt call's parse takes about 0.3 s less."""
    import pickle

    from dbt_common.dataclass_schema import dbtClassMixin

    check = dbtClassMixin.validate.__func__
    passed = set()

    def validate_once(cls, data):
        try:
            key = (cls, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # data pickle cannot hold is checked every time
            return check(cls, data)
        if key not in passed:
            check(cls, data)
            passed.add(key)
        return None

    dbtClassMixin.validate = classmethod(validate_once)


keep_validated_configs()


def skip_unusable_saved_manifests() -> None:
    """Before a full parse, dbt reads the manifest it saved for partial parsing (about 0.1-0.2 s to decode)
    and only then finds that the vars changed, which most calls of a test process do. Here the vars hash of
    every manifest this process saved is kept with the file's size and time: a saved manifest of other
    vars, unchanged since, is not decoded (the full parse happens as it would have). Any file this process
    did not write, or that changed, is read by dbt as usual."""
    from dbt.parser.manifest import ManifestLoader

    read_saved = ManifestLoader.read_manifest_for_partial_parse
    write_saved = ManifestLoader.write_manifest_for_partial_parse
    saved_vars = {}  # path -> (size, mtime_ns, vars checksum)

    def saved_path(loader) -> str:
        from dbt.constants import PARTIAL_PARSE_FILE_NAME
        from dbt.flags import get_flags

        flags = get_flags()
        return flags.PARTIAL_PARSE_FILE_PATH or os.path.join(
            loader.root_project.project_target_path, PARTIAL_PARSE_FILE_NAME
        )

    def file_state(path: str):
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return stat.st_size, stat.st_mtime_ns

    def read_if_usable(self):
        if dbt_var_tracking.reuse_is_off():
            return None
        path = saved_path(self)
        known = saved_vars.get(path)
        manifest = None
        if known is None or known[:2] != file_state(path) or known[2] == self.manifest.state_check.vars_hash.checksum:
            manifest = read_saved(self)
        # none saved for these vars: the last parse of this process, the files that read changed vars parsed again
        return manifest if manifest is not None else dbt_var_tracking.latest_for(self)

    def write_and_remember(self):
        write_saved(self)
        path = saved_path(self)
        state = file_state(path)
        if state is not None:
            saved_vars[path] = (*state, self.manifest.state_check.vars_hash.checksum)
        from dbt.constants import PARTIAL_PARSE_FILE_NAME

        dbt_var_tracking.remember_saved(
            self, os.path.join(self.root_project.project_target_path, PARTIAL_PARSE_FILE_NAME)
        )

    ManifestLoader.read_manifest_for_partial_parse = read_if_usable
    ManifestLoader.write_manifest_for_partial_parse = write_and_remember


# a dbt call with new vars parses again only the files that read a var whose value changed (see the module;
# PREDSEG_TEST_PARSE_REUSE=0 turns it off, PREDSEG_TEST_CHECK_PARSE=1 checks each such parse against a full one)
if os.environ.get("PREDSEG_TEST_PARSE_REUSE", "1") != "0":
    dbt_var_tracking.install()
    dbt_var_tracking.set_checking(bool(os.environ.get("PREDSEG_TEST_CHECK_PARSE")))
skip_unusable_saved_manifests()


def freeze_long_lived_objects() -> None:
    """After this process's first dbt call, the objects still alive (dbt's and the adapters' modules,
    the compiled Jinja and checked configurations kept above) live as long as the process. Python's
    cyclic garbage collector would walk all of them at every full collection, many times per dbt call;
    frozen after that first call, it walks only what later calls create (and still collects that). A warm
    dbt call of a small build costs about 0.7 s (7 %) less CPU."""
    from dbt.cli.main import dbtRunner

    invoke = dbtRunner.invoke
    frozen = False

    def invoke_then_freeze(self, *args, **kwargs):
        nonlocal frozen
        try:
            return invoke(self, *args, **kwargs)
        finally:
            if not frozen:
                frozen = True
                gc.collect()
                gc.freeze()

    dbtRunner.invoke = invoke_then_freeze


freeze_long_lived_objects()


def skip_unlogged_debug_events() -> None:
    """dbt fires a debug event for each SQL statement (its text, then its status) and for much else, and
    builds each one whole: a protobuf message of its fields when it is created, another with the event's
    text, time and thread when it is fired, and a formatted line for every logger, which only then drops it
    by its level. The tests log at info (``DBT_LOG_LEVEL_FILE``, and dbt prints at info), so here a debug
    event is dropped when it is fired and no logger would write it, as long as no callback could read it
    (dbt's own reads only behaviour-change warnings), and its message is built only when something reads
    it. What dbt writes and prints is the same, line for line. Three warm builds of a 300-user project with
    its data tests took 20.3 and 22.4 CPU s instead of 28.2 and 28.0, and the suite 557 CPU s instead of 571
    (alternated).
    ``PREDSEG_TEST_ALL_EVENTS=1`` fires them as dbt does."""
    from dbt.tracking import track_behavior_change_warn
    from dbt_common.events.base_types import BaseEvent, EventLevel
    from dbt_common.events.event_manager import EventManager

    unlogged = (EventLevel.DEBUG, EventLevel.TEST)
    fire = EventManager.fire_event

    def fire_if_logged(self, e, level=None, node=None, force_warn_or_error_handling=False):
        if (
            not force_warn_or_error_handling
            and (level or e.level_tag()) in unlogged
            and all(logger.level not in unlogged for logger in self.loggers)
            and all(callback is track_behavior_change_warn for callback in self.callbacks)
        ):
            return None
        return fire(self, e, level, node, force_warn_or_error_handling)

    build = BaseEvent.__init__

    def keep_fields(self, *args, **kwargs):
        # BaseEvent sends every other attribute to its message, so the fields are set on the object itself
        object.__setattr__(self, "_fields", (args, kwargs))

    building = threading.Lock()  # an event read by two threads at once is built once

    def message(self):
        if "_pb_msg" not in self.__dict__:
            with building:
                fields = self.__dict__.pop("_fields", None)
                if fields is not None:
                    build(self, *fields[0], **fields[1])  # sets pb_msg, through the setter below
        return self.__dict__["_pb_msg"]

    def set_message(self, value):
        self.__dict__.pop("_fields", None)
        self.__dict__["_pb_msg"] = value

    EventManager.fire_event = fire_if_logged
    BaseEvent.__init__ = keep_fields
    BaseEvent.pb_msg = property(message, set_message)


if os.environ.get("PREDSEG_TEST_ALL_EVENTS", "0") != "1":
    skip_unlogged_debug_events()


def pytest_unconfigure(config) -> None:
    # frozen objects are never freed at exit, which the extension modules would report as leaks
    gc.unfreeze()


@dataclass
class DbtProject:
    """A dbt run of this project against its own database file, target folder and vars."""

    workdir: Path
    vars: dict

    @property
    def database(self) -> Path:
        return self.workdir / "predseg.duckdb"

    def invocation(
        self, *args: str, vars: dict | None = None, unit_tests: bool = False
    ) -> tuple[list[str], dict[str, str]]:
        """The command line and environment of ``dbt <args>`` on this project's database and folders. A
        ``build`` leaves out dbt's unit tests unless it names resource types or ``unit_tests`` is set: they do
        not read the data, and the demo-sized build (``medium_build``) runs every one of them."""
        args = list(args)
        naming_types = any(a in ("--resource-type", "--exclude-resource-type") for a in args)
        if args[:1] == ["build"] and not naming_types and not unit_tests:
            args += ["--exclude-resource-type", "unit_test"]
        return dbt_invocation(args, self.database, self.workdir, {**self.vars, **(vars or {})})

    def dbt(
        self,
        *args: str,
        vars: dict | None = None,
        check: bool = True,
        unit_tests: bool = False,
        write_json: bool = False,
    ) -> subprocess.CompletedProcess:
        """``dbt <args>`` in this process (no interpreter start-up, and dbt's parsing caches stay warm: about
        1.5 s instead of 5.5 s before the first node). dbt's JSON artefacts (manifest, run results) are
        written only with ``write_json`` or for ``docs``. Tests about the command itself run ``invocation()``."""
        if not write_json and args[:1] != ("docs",):
            args = (*args, "--no-write-json")
        cmd, env = self.invocation(*args, vars=vars, unit_tests=unit_tests)
        # dbt saves one parse (target/partial_parse.msgpack) and parses everything again when the vars change;
        # a copy is kept per set of vars, so that a test going back to vars it ran with finds their parse
        key = hashlib.md5(json.dumps({**self.vars, **(vars or {})}, sort_keys=True).encode()).hexdigest()
        saved = self.workdir / "target" / "partial_parse" / f"{key}.msgpack"
        if saved.exists():
            env["DBT_PARTIAL_PARSE_FILE_PATH"] = str(saved)
        result = run_dbt_in_process(cmd[1:], env)
        latest = self.workdir / "target" / "partial_parse.msgpack"
        if not saved.exists() and latest.exists():
            saved.parent.mkdir(exist_ok=True)
            shutil.copyfile(latest, saved)
        if check and result.returncode != 0:
            raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}")
        return result

    def build_models(self, *args: str, vars: dict | None = None) -> subprocess.CompletedProcess:
        """Seeds and models only (the data and unit tests run in the demo-sized build, ``medium_build``)."""
        return self.dbt("build", "--resource-type", "seed", "--resource-type", "model", *args, vars=vars)

    def build_selected(self, *selectors: str, vars: dict | None = None, check: bool = True):
        """dbt build of the selected models with only the tests whose parents are all selected."""
        return self.dbt("build", "--indirect-selection", "cautious", "--select", *selectors, vars=vars, check=check)

    def parse_in_process(self, vars: dict) -> tuple[bool, str]:
        """`dbt parse` in this process (no database, no start-up cost): (success, error message)."""
        from dbt.cli.main import dbtRunner

        os.environ.setdefault("DO_NOT_TRACK", "1")
        result = dbtRunner().invoke(
            [
                "parse",
                "--quiet",
                "--no-write-json",
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                str(PROJECT_DIR),
                "--target-path",
                str(self.workdir / "target"),
                "--log-path",
                str(self.workdir / "logs"),
                "--vars",
                json.dumps({**self.vars, **vars}),
            ]
        )
        return result.success, "" if result.exception is None else f"Compilation Error {result.exception}"

    def table(self, name: str, order: str):
        """A built table, ordered, without run_id and built_at (which name the dbt invocation and its start, so
        two builds differ)."""
        columns = self.query(f"select * from {name} limit 0").columns
        run_columns = [column for column in ("run_id", "built_at") if column in columns]
        chosen = f"* exclude ({', '.join(run_columns)})" if run_columns else "*"
        return self.query(f"select {chosen} from {name} order by {order}")

    def query(self, sql: str, params: list | None = None):
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(sql, params or []).df()


@contextlib.contextmanager
def dbt_in_process(env: dict[str, str]):
    """Run dbt in this process with the environment ``env`` (restored afterwards), from the project folder,
    capturing what it prints: yields the (stdout, stderr) buffers."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    # dbt's file log at info, not debug: the SQL of every statement is not logged (about 3 % of a small
    # build's CPU); what dbt prints, failures included, is captured as before
    env = {"DBT_LOG_LEVEL_FILE": "info", **env}
    changed = {key: value for key, value in env.items() if os.environ.get(key) != value}
    saved = {key: os.environ.get(key) for key in changed}
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.environ.update(changed)
    try:
        os.chdir(PROJECT_DIR)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            yield out, err
    finally:
        os.chdir(cwd)
        # dbt-duckdb keeps its database open for the process's next invocation; the tests then read the
        # file read-only, which DuckDB refuses while this process holds it read-write
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_dbt_in_process(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """dbt's CLI run in this process: the same arguments and environment, its output captured, and the exit
    code the command would give (0 success, 1 failed nodes, 2 an error before or outside the nodes)."""
    from dbt.cli.main import dbtRunner

    with dbt_in_process(env) as (out, err):
        result = dbtRunner().invoke([*args, "--no-use-colors"])
    stdout = out.getvalue()
    if result.exception is not None:
        stdout += f"\n{type(result.exception).__name__}: {result.exception}\n"
    code = 0 if result.success else (2 if result.exception is not None else 1)
    return subprocess.CompletedProcess(["dbt", *args], code, stdout, err.getvalue())


def simulate_to(out: Path, users: int, days: int, seed: int, start: dt.date | None = None) -> Path:
    cfg = SimulationConfig(users=users, days=days, seed=seed, **({"start": start} if start else {}))
    write(simulate(cfg), cfg, out)
    return out


def project_on(sim: Path, workdir: Path, **vars) -> DbtProject:
    """A project reading the simulated events and attributes in ``sim`` (demo-like data: the demo's
    campaigns and categorical attributes apply), with extra vars."""
    return DbtProject(
        workdir=workdir,
        vars={
            "demo": True,
            "events_path": str(sim / "events.parquet"),
            "user_attributes_path": str(sim / "user_attributes.parquet"),
            **vars,
        },
    )


@pytest.fixture(scope="session")
def small_sim(tmp_path_factory) -> Path:
    """3,000 users over 90 days: enough for exact recounts, quick to build."""
    return simulate_to(tmp_path_factory.mktemp("small_sim"), users=3000, days=90, seed=7)


# A churn question over every user seen (not only recent doers), on all the history there is.
LAPSING_ALL_USERS = {
    "name": "lapsing_all_users_14d",
    "target_event": "app_open",
    "direction": "will_not_do",
    "population": "all_users",
    "past_days": "all",
    "future_days": 14,
    "precision": 0.8,
}


@pytest.fixture(scope="session")
def small_build(small_sim, tmp_path_factory) -> DbtProject:
    project = project_on(
        small_sim,
        tmp_path_factory.mktemp("small_build"),
        training_panel_users=2000,
        segments=demo_segments() + [LAPSING_ALL_USERS],
    )
    project.build_models()
    return project


# The demo segments plus two that must not get a usable model: a target nobody reaches (too few positives)
# and a precision no threshold can deliver. They must not disturb the others.
EXTRA_SEGMENTS = [
    {
        "name": "whales_14d",
        "target_event": "purchase",
        "direction": "will_do",
        "min_value": 100000,
        "past_days": 30,
        "future_days": 14,
        "precision": 0.6,
    },
    {
        "name": "sure_buyers_7d",
        "target_event": "purchase",
        "direction": "will_do",
        "past_days": 30,
        "future_days": 7,
        "precision": 0.99,
    },
]


def demo_segments() -> list[dict]:
    import yaml

    config = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return config["vars"]["segments"]


@pytest.fixture(scope="session")
def medium_sim(tmp_path_factory) -> Path:
    """20,000 users over 120 days, the demo's size, with another seed: enough for stable AUCs."""
    return simulate_to(tmp_path_factory.mktemp("medium_sim"), users=20000, days=120, seed=11)


@pytest.fixture(scope="session")
def medium_build(medium_sim, tmp_path_factory) -> DbtProject:
    """The demo's build on demo-sized data: ``demo: true`` reading the files through the demo's own path
    vars, every model, seed, data test and unit test (what `make demo` builds), plus two extra segments."""
    project = DbtProject(
        workdir=tmp_path_factory.mktemp("medium_build"),
        vars={
            "demo": True,
            "demo_events_path": str(medium_sim / "events.parquet"),
            "demo_user_attributes_path": str(medium_sim / "user_attributes.parquet"),
            "segments": demo_segments() + EXTRA_SEGMENTS,
        },
    )
    result = project.dbt("build", unit_tests=True)
    assert "ERROR=0" in result.stdout and "PASS=" in result.stdout
    return project


# The modules are spread over both cores (pytest -n 2), each module on one worker, so its module fixtures
# are built once. Modules that read the same session build share a worker, so that build is made once too.
# The longest start first (test seconds measured on 2 cores: nightly 132, operations 62, real-data traps 57,
# the medium build's modules 49, bad input 50, personas 38, the small build's modules 34, incremental 28):
# a long module started last would run alone at the end.
SHARED_WORKER = {
    "test_best_time.py": "medium_build",
    "test_segment_models.py": "medium_build",
    "test_docs_and_report.py": "small_build",
    "test_feature_recount.py": "small_build",
    "test_segment_models_isolation.py": "small_build",
    "test_unit_tests_under_settings.py": "small_build",
}
LONGEST_FIRST = (
    "test_nightly.py",
    "test_operations.py",
    "test_real_data_traps.py",
    "test_segment_models.py",
    "test_best_time.py",
    "test_bad_input.py",
    "test_personas.py",
    "test_docs_and_report.py",
    "test_feature_recount.py",
    "test_segment_models_isolation.py",
    "test_unit_tests_under_settings.py",
    "test_incremental.py",
)


def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's per-file scheduling, with the files of SHARED_WORKER kept together (its own
    ``--dist loadgroup`` marks do not reach the scheduler under pytest 9), handed out in collection order
    (LONGEST_FIRST) rather than by their number of tests."""
    from xdist.scheduler import LoadScopeScheduling

    class ModuleGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return SHARED_WORKER.get(Path(module).name, module)

    config.option.loadscopereorder = False
    return ModuleGroups(config, log)


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        name = Path(str(item.fspath)).name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: each module keeps its own order
