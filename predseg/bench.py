"""Benchmark: simulate a large event set, run the whole dbt build on it, print timings and peak memory, and
time a hand-written reference query per feature window on the same events, in the same run.

Not a test: it prints figures for docs/benchmarks.md. Usage:
    python -m predseg.bench --users 200000 --days 75            # ~10M events
    python -m predseg.bench --users 200000 --days 75 --chunks 9 --night   # ~100M events, then a second night
    python -m predseg.bench --retail-customers 2000000 --days 450       # ~12.5M purchases of 2M customers
    python -m predseg.bench --users 200000 --days 75 --vars '{training_panel_users: 25000}'   # other settings
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from statistics import median
from typing import NamedTuple

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from predseg.dbt_command import dbt_invocation, parse_vars
from predseg.retail import RetailConfig, simulate_retail
from predseg.simulator import SimulationConfig, simulate

PROJECT_DIR = Path(__file__).resolve().parents[1]
# the models that compute features: the daily rollup, the per-event and the per-user features
FEATURE_LAYER = ("int_user_event_days", "int_user_event_features", "int_user_features")

# The reference: one past window's count, recency, mean and longest gap per user and event, written by hand
# over the events (no rollup, no shared work), restricted to the users the build computes that window for.
# It is timed twice: into a temporary table (held in memory, never compressed or written out), and into a
# table of the database file, as every model's result is written.
REFERENCE_SQL = """
create or replace {table} as
with

events as (
    select events.user_id, events.event_name, events.event_at
    from stg_events as events
    {panel_join}
    where events.event_at >= ? and events.event_at < ?
),

sequenced as (
    select *, lag(event_at) over (partition by user_id, event_name order by event_at) as previous_at
    from events
)

select
    user_id,
    event_name,
    count(*) as event_count,
    date_diff('second', max(event_at), ?) / 86400.0 as days_since_last,
    case when count(*) >= 2 then date_diff('second', min(event_at), max(event_at)) / 86400.0 / (count(*) - 1) end
        as mean_gap_days,
    max(date_diff('second', previous_at, event_at)) / 86400.0 as max_gap_days
from sequenced
group by 1, 2
"""


def _sample_rss(proc: subprocess.Popen, peak: dict) -> None:
    """Poll the dbt process's resident memory (dbt runs every model, Python ones too, in-process); keeps the
    peak and when it was reached (a wall-clock time, to find the nodes running then)."""
    status = Path(f"/proc/{proc.pid}/status")
    while proc.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:") and int(line.split()[1]) > peak["kb"]:
                    peak["kb"], peak["at"] = int(line.split()[1]), dt.datetime.now(dt.timezone.utc)
        except (FileNotFoundError, ProcessLookupError):
            break
        time.sleep(0.1)


def _moment(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def running_at(results: list, moment: dt.datetime | None) -> list[str]:
    """The nodes whose execution spans ``moment`` (from run_results' timings)."""
    names = []
    for result in results:
        for timing in result.get("timing", []):
            if timing["name"] != "execute" or moment is None:
                continue
            if _moment(timing["started_at"]) <= moment <= _moment(timing["completed_at"]):
                names.append(result["unique_id"].split(".", 2)[-1])
    return names


def _wait_with_progress(proc: subprocess.Popen, log: Path, progress, every: float = 15.0) -> int:
    """Wait for dbt, saying every ``every`` seconds which node it finished last."""
    while True:
        try:
            return proc.wait(timeout=every)
        except subprocess.TimeoutExpired:
            done = [line for line in log.read_text(errors="replace").splitlines() if " OK " in line]
            if done:
                progress("dbt: " + " ".join(done[-1].split()[1:6]))


# A user id as many event sources write it: a UUID's 36 characters (here the simulator's id through md5, so
# one user keeps one id in the events and the attributes). Short ids such as the simulator's fit in 16 bytes,
# which DuckDB compares and hashes as one number; longer ones it handles as strings.
LONG_ID_SQL = "regexp_replace(md5(user_id), '^(.{8})(.{4})(.{4})(.{4})(.{12})$', '\\1-\\2-\\3-\\4-\\5')"


def with_long_ids(table: pa.Table) -> pa.Table:
    """``table`` with every user_id replaced by a UUID-shaped id derived from it (36 characters), its columns'
    types (dictionary-encoded text among them) and rows' order kept."""
    with duckdb.connect() as con:
        con.register("rows_with_ids", table)
        rows = con.sql(f"select * replace ({LONG_ID_SQL} as user_id) from rows_with_ids").to_arrow_table()
    return rows.cast(table.schema)


def generate(args, data: Path, progress) -> tuple[int, int, dt.date]:
    """Simulate ``args.chunks`` independent user populations (distinct ids and seeds) and write their events
    as Parquet parts: events/base-*.parquet, and with ``args.night`` the last day's events apart in
    pending/new-*.parquet (moved into events/ before the night: both builds read the same path); with
    ``args.long_ids`` every user id UUID-shaped. One part at a time, so memory stays that of one part.
    Returns the number of events, of them on the last day, and that day."""
    (data / "events").mkdir(parents=True, exist_ok=True)
    (data / "user_attributes").mkdir(parents=True, exist_ok=True)
    total = new = 0
    last_day = args.start or SimulationConfig().start
    for part in range(args.chunks):
        prefix = "u" if args.chunks == 1 else f"u{part:02d}_"
        start = {"start": args.start} if args.start else {}
        cfg = SimulationConfig(users=args.users, days=args.days, seed=args.seed + part, user_prefix=prefix, **start)
        result = simulate(cfg, progress if part == 0 else None)
        events = result["events"]
        attributes = pa.Table.from_pandas(result["user_attributes"], preserve_index=False)
        if args.long_ids:
            events, attributes = with_long_ids(events), with_long_ids(attributes)
        last_day = cfg.start + dt.timedelta(days=cfg.days - 1)
        if args.night:
            day_start = pa.scalar(dt.datetime.combine(last_day, dt.time()), events["event_time"].type)
            is_new = pc.greater_equal(events["event_time"], day_start)
            (data / "pending").mkdir(exist_ok=True)
            pq.write_table(events.filter(is_new), data / "pending" / f"new-{part:03d}.parquet")
            new += events.filter(is_new).num_rows
            events = events.filter(pc.invert(is_new))
        pq.write_table(events, data / "events" / f"base-{part:03d}.parquet")
        pq.write_table(attributes, data / "user_attributes" / f"part-{part:03d}.parquet")
        total += result["events"].num_rows
        del result, events
        if args.chunks > 1:
            progress(f"part {part + 1} of {args.chunks} written ({total:,} events so far)")
    return total, new, last_day


# A retail log's shape, as a first real file often has it: one CSV, date-only purchases, many customers with
# few purchases each. Built with the README's own two example segments (one of them over every customer).
RETAIL_PART = 250_000  # customers simulated at a time (the simulator's memory grows with them)
README_SEGMENTS = [
    {"name": "will_buy_90d", "target_event": "purchase", "direction": "will_do", "past_days": "all",
     "future_days": 90, "precision": 0.6},
    {"name": "lapsing_customers_90d", "target_event": "purchase", "direction": "will_not_do",
     "population": "all_users", "past_days": "all", "future_days": 90, "precision": 0.8},
]  # fmt: skip


def generate_retail(args, data: Path, progress) -> tuple[int, int, dt.date]:
    """``args.retail_customers`` customers' purchases over ``args.days`` days (predseg.retail), simulated in
    parts of RETAIL_PART customers (distinct ids and seeds) and appended to one CSV file, events.csv.
    Returns the number of events, 0 new ones and the last day."""
    data.mkdir(parents=True, exist_ok=True)
    path = data / "events.csv"
    total = 0
    last_day = RetailConfig().start
    for part, first in enumerate(range(0, args.retail_customers, RETAIL_PART)):
        customers = min(RETAIL_PART, args.retail_customers - first)
        start = {"start": args.start} if args.start else {}
        cfg = RetailConfig(customers=customers, days=args.days, seed=args.seed + part, **start)
        events, _ = simulate_retail(cfg)
        events["user_id"] = events["user_id"].astype("int64") + first  # ids distinct between parts
        events.to_csv(path, index=False, mode="a" if part else "w", header=not part)
        total += len(events)
        last_day = cfg.start + dt.timedelta(days=cfg.days - 1)
        progress(f"{first + customers:,} customers written ({total:,} events so far)")
    return total, 0, last_day


class DbtRun(NamedTuple):
    wall: float  # seconds, dbt's start-up and end included
    rss: float  # peak resident memory, MB
    results: list  # run_results.json's results
    cpu: float  # seconds, user and system
    began_at: dt.datetime  # when the dbt process started (UTC)
    parents: dict[str, list[str]]  # each node's parents, from the manifest


def run_dbt(
    args, workdir: Path, database: Path, dbt_vars: dict, log_name: str, progress, extra: tuple[str, ...] = ()
) -> DbtRun:
    """One dbt build (seeds and models; ``extra`` arguments added): its wall and CPU seconds, peak RSS, run
    results, start and the nodes' parents."""
    cmd, env = dbt_invocation([args.command, *extra], database, workdir, dbt_vars)
    if args.command == "build" and not args.with_tests:
        cmd += ["--resource-type", "seed", "--resource-type", "model"]
    if args.select:
        cmd += ["--select", args.select]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    log_path = workdir / log_name
    progress(f"dbt {args.command} running (log: {log_path})")
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    began_at = dt.datetime.now(dt.timezone.utc)
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        peak = {"kb": 0, "at": None}
        sampler = threading.Thread(target=_sample_rss, args=(proc, peak), daemon=True)
        sampler.start()
        returncode = _wait_with_progress(proc, log_path, progress)
    wall = time.perf_counter() - began
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    sampler.join()
    if returncode != 0:
        print(log_path.read_text()[-5000:])
        raise SystemExit(f"dbt {args.command} failed")
    results = json.loads((workdir / "target" / "run_results.json").read_text())["results"]
    manifest = json.loads((workdir / "target" / "manifest.json").read_text())
    parents = {uid: node.get("depends_on", {}).get("nodes", []) for uid, node in manifest["nodes"].items()}
    at_peak = running_at(results, peak["at"])
    progress(f"CPU {cpu:.1f} s (user and system) in {wall:.1f} s of wall time")
    progress(f"peak RSS {peak['kb'] / 1024:,.0f} MB while running: {', '.join(at_peak) or 'no model (dbt itself)'}")
    return DbtRun(wall, peak["kb"] / 1024, results, cpu, began_at, parents)


def critical_path(
    results: list, parents: dict[str, list[str]], began_at: dt.datetime
) -> list[tuple[str, float, float, float]]:
    """The chain of nodes that ended the run: from the node that finished last, back through the parent (in
    the manifest's dependencies) that finished last, to a node with none run. Each as (name, start, end,
    wait) in seconds since ``began_at``; wait is the time between its last parent's end (for the first node:
    ``began_at``, dbt's start-up) and its start, spent in dbt's queue or between nodes."""
    spans = {}
    for result in results:
        timings = {timing["name"]: timing for timing in result.get("timing", [])}
        if "execute" not in timings:
            continue
        start = min(_moment(timing["started_at"]) for timing in timings.values())
        spans[result["unique_id"]] = (start, _moment(timings["execute"]["completed_at"]))
    chain = []
    node = max(spans, key=lambda uid: spans[uid][1], default=None)
    while node is not None:
        ran = [parent for parent in parents.get(node, []) if parent in spans]
        last = max(ran, key=lambda uid: spans[uid][1], default=None)
        chain.append((node, last))
        node = last
    path = []
    for node, last in reversed(chain):
        start, end = spans[node]
        ready = spans[last][1] if last else began_at
        path.append(
            (
                node.split(".", 2)[-1],
                (start - began_at).total_seconds(),
                (end - began_at).total_seconds(),
                (start - ready).total_seconds(),
            )
        )
    return path


def print_critical_path(run: DbtRun, title: str) -> None:
    path = critical_path(run.results, run.parents, run.began_at)
    if not path:
        return
    print(
        f"critical path of {title} (the nodes that ended it, each after its parent that ended last; seconds since "
        "dbt's process started; wait: from that parent's end, or from dbt's start, to the node's start):"
    )
    print("   start     end   time   wait  node")
    for name, start, end, wait in path:
        print(f"  {start:6.1f}  {end:6.1f}  {end - start:5.1f}  {wait:5.1f}  {name}")
    print(f"  {path[-1][2]:6.1f}  {run.wall:6.1f}  {run.wall - path[-1][2]:5.1f}         dbt's end (run results, exit)")


def reference_windows(database: Path, persist: bool = False) -> list[tuple[str, int, str, float]]:
    """Time the hand-written reference query once per (cutoff, past window) the build computed, on the
    build's own events and users, with the build's DuckDB settings; its result in a temporary table, or
    (``persist``) in a table of the database file, dropped afterwards. Returns (cutoff, past_days, role, s)."""
    con = duckdb.connect(str(database), read_only=not persist)
    table = "table main.bench_reference_window" if persist else "temp table reference_window"
    con.execute("set threads = 2")
    con.execute(f"set memory_limit = '{os.environ.get('PREDSEG_DUCKDB_MEMORY_LIMIT', '1500MB')}'")
    con.execute("set preserve_insertion_order = false")
    windows = con.execute(
        "select distinct cutoff_at, past_days, features_start_at, cutoff_role from int_feature_windows order by 1, 2"
    ).fetchall()
    timings = []
    for cutoff_at, past_days, start_at, role in windows:
        panel = "" if role == "scoring" else "inner join int_training_panel as panel on events.user_id = panel.user_id"
        began = time.perf_counter()
        con.execute(REFERENCE_SQL.format(table=table, panel_join=panel), [start_at, cutoff_at, cutoff_at])
        timings.append((str(cutoff_at)[:10], int(past_days), role, time.perf_counter() - began))
    if persist:
        con.execute("drop table if exists main.bench_reference_window")
    con.close()
    return timings


def node_times(results: list) -> dict[str, float]:
    return {r["unique_id"].split(".", 2)[-1]: r["execution_time"] for r in results}


class LayerTiming(NamedTuple):
    """One timing of the feature layer against the reference: the ratios first, in the order printed."""

    rebuilt: float  # the layer, its rollup rebuilt from every event, / the reference in memory
    night: float  # the layer from the rollup (as a night computes it) / the reference in memory
    written: float  # the rebuilt layer / the reference written to the file, as the models' tables are
    per_event: float  # its per-event part / the reference in memory
    per_event_written: float  # its per-event part / the reference written
    reference: float  # the reference's seconds, every window, in memory


def reference_and_layer(args, workdir: Path, database: Path, dbt_vars: dict, progress, attempt: int) -> LayerTiming:
    """Time the reference queries (their results in memory, then written to the database file), then the
    feature layer alone (rebuilt with --full-refresh, one model at a time, like the reference queries), and
    print them."""
    progress("reference queries, one per (cutoff, past window)")
    timings = reference_windows(database)
    reference = sum(t for *_, t in timings)
    n = len(timings)
    if attempt == 0:
        print("reference (hand-written: count, recency, mean and longest gap per user x event, one window):")
        for cutoff, past_days, role, seconds in timings:
            print(f"  {seconds:7.2f}  {cutoff} past {past_days} days ({role})")
    print(f"  {reference:7.2f}  all {n} windows, each result in a temporary table (in memory)")
    progress("reference queries again, each result written to the database file")
    written = sum(t for *_, t in reference_windows(database, persist=True))
    print(f"  {written:7.2f}  all {n} windows, each result written to the database file (as a model's is)")
    progress("the feature layer alone (dbt run --full-refresh --threads 1)")
    alone = argparse.Namespace(**{**vars(args), "command": "run", "select": " ".join(FEATURE_LAYER), "threads": 1})
    layer_run = run_dbt(alone, workdir, database, dbt_vars, "layer.out", progress, ("--full-refresh",))
    layer_times = node_times(layer_run.results)
    for name in FEATURE_LAYER:
        print(f"  {layer_times[name]:7.2f}  {name}")
    windows_only = sum(layer_times[name] for name in FEATURE_LAYER[1:])
    layer = windows_only + layer_times[FEATURE_LAYER[0]]
    print(
        f"feature layer: {layer:.2f} s = {layer / n:.2f} s per (cutoff, window), {layer / reference:.2f}x the "
        f"reference in memory ({reference / n:.2f} s per window) and {layer / written:.2f}x the reference written "
        f"to the file ({written / n:.2f} s per window), with the rollup rebuilt from every event; "
        f"{windows_only:.2f} s = {windows_only / reference:.2f}x the reference in memory from the rollup (a night)"
    )
    # the part that computes what the reference does, per user and event (the user-level model adds tenure,
    # active days over every event and the attributes, which the reference has no counterpart for)
    per_event = layer_times[FEATURE_LAYER[0]] + layer_times[FEATURE_LAYER[1]]
    print(
        f"  per-event part ({' + '.join(FEATURE_LAYER[:2])}): {per_event:.2f} s = {per_event / reference:.2f}x the "
        f"reference in memory, {per_event / written:.2f}x written"
    )
    return LayerTiming(
        layer / reference, windows_only / reference, layer / written, per_event / reference, per_event / written,
        reference,
    )  # fmt: skip


def build_against_reference(walls: list[float], references: list[float]) -> str:
    """The whole build's median wall time as a multiple of the reference's (every window, in memory), both
    timed in the same bench: the machine's speed, which moves both, moves their ratio less."""
    build, reference = median(walls), median(references)
    return (
        f"whole build / reference: the build's {build:.1f} s (median) is {build / reference:.1f}x the reference's "
        f"{reference:.2f} s for all its windows in memory (median): a ratio the machine's speed moves less "
        "than either"
    )


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200_000, help="users per part")
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--chunks", type=int, default=1, help="independent parts of --users users each")
    parser.add_argument(
        "--start",
        type=dt.date.fromisoformat,
        default=None,
        help="first simulated day (default the simulator's); a long history must end before today, or its "
        "last days are rejected as events in the future",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--night", action="store_true", help="then a second, incremental night with one new day")
    parser.add_argument("--command", default="build", help="dbt command (default build: seeds and models)")
    parser.add_argument("--with-tests", action="store_true", help="also run data and unit tests")
    parser.add_argument("--select", default=None, help="dbt selection, default everything")
    parser.add_argument("--threads", type=int, default=None, help="dbt threads (default: the profile's)")
    parser.add_argument("--no-reference", action="store_true", help="skip the reference queries")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="build this many times, each into a fresh database, and time the reference and the feature layer as "
        "often; prints every run and the medians (one build varies by several seconds on a small machine)",
    )
    parser.add_argument(
        "--retail-customers",
        type=int,
        default=0,
        help="instead of the app simulation, a retail log of this many customers (date-only purchases over "
        "--days days, one CSV file) built with the README's two example segments; no reference queries",
    )
    parser.add_argument(
        "--vars",
        type=parse_vars,
        default={},
        help="dbt vars (a YAML mapping) for every build and the night, over the bench's own: e.g. "
        "'{training_panel_users: 25000}' to time another setting on the same events",
    )
    parser.add_argument(
        "--long-ids",
        action="store_true",
        help="user ids as UUIDs (36 characters, as many event sources write them) instead of the simulator's "
        "short ones: the same events and users otherwise",
    )
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.retail_customers and (args.night or args.chunks > 1 or args.long_ids):
        parser.error("--retail-customers makes one CSV file of numbered customers: no --night, --chunks or --long-ids")

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="predseg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / "data"
    began = time.perf_counter()

    def progress(step: str) -> None:
        print(f"  {time.perf_counter() - began:6.1f} s  {step}", flush=True)

    retail = args.retail_customers > 0
    n_events, n_new, last_day = (generate_retail if retail else generate)(args, data, progress)
    generated = time.perf_counter() - began
    sim_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    database = workdir / "bench.duckdb"
    dbt_vars = {
        "demo": True,  # the simulated data is the demo's kind: its campaigns and attributes apply
        "events_path": str(data / "events" / "*.parquet"),
        "user_attributes_path": str(data / "user_attributes" / "*.parquet"),
    }
    if retail:
        dbt_vars = {"events_path": str(data / "events.csv"), "segments": README_SEGMENTS}
    dbt_vars = {**dbt_vars, **args.vars}
    builds = []  # (wall, peak RSS, CPU) of each build
    for _ in range(args.repeat):
        # Every build into a fresh database, the first too: in a --workdir used before, the last run's
        # database would turn this build into an incremental night.
        for path in workdir.glob("bench*.duckdb*"):  # the databases, their WAL files and spill directories
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        build = run_dbt(args, workdir, database, dbt_vars, "dbt.out", progress)
        wall, rss, results, cpu = build.wall, build.rss, build.results, build.cpu
        builds.append((wall, rss, cpu))
    walls = [w for w, _, _ in builds]
    times = node_times(results)

    days = args.days - (1 if args.night else 0)
    users = args.retail_customers or args.users * args.chunks
    ids = " (UUID-shaped user ids)" if args.long_ids else ""
    print(f"events: {n_events - n_new:,} from {users:,} users{ids} over {days} days")
    written = "one CSV file" if retail else f"Parquet writing ({args.chunks} part(s))"
    print(f"simulator: {generated:.1f} s with {written}, peak RSS {sim_rss:,.0f} MB")
    limit = os.environ.get("PREDSEG_DUCKDB_MEMORY_LIMIT", "1500MB (default)")
    print(f"dbt {args.command}: wall {wall:.1f} s (dbt start-up included), peak RSS {rss:,.0f} MB")
    if args.repeat > 1:
        cpus = [c for _, _, c in builds]
        print(
            f"dbt {args.command}, {args.repeat} runs into fresh databases: wall "
            f"{', '.join(f'{w:.1f}' for w in walls)} s (median {median(walls):.1f} s), "
            f"CPU {', '.join(f'{c:.1f}' for c in cpus)} s, peak RSS at most {max(r for _, r, _ in builds):,.0f} MB"
        )
    print(f"DuckDB memory_limit: {limit}")
    if args.vars:
        print(f"vars over the bench's own: {json.dumps(args.vars)}")
    print(f"per node (seconds{', the last run' if args.repeat > 1 else ''}; nodes can overlap with threads: 2):")
    for name, seconds in sorted(times.items(), key=lambda item: -item[1]):
        if seconds >= 0.05:
            print(f"  {seconds:7.2f}  {name}")
    print_critical_path(build, "the last build" if args.repeat > 1 else "the build")

    if not args.no_reference and not retail and args.command == "build" and not args.select:
        timed = [
            reference_and_layer(args, workdir, database, dbt_vars, progress, attempt) for attempt in range(args.repeat)
        ]
        if args.repeat > 1:
            rebuilt, night, written, per_event, per_event_written = (
                ", ".join(f"{r[i]:.2f}x" for r in timed) + f" (median {median(r[i] for r in timed):.2f}x)"
                for i in range(5)  # the ratios, LayerTiming's first five fields
            )
            print(
                f"feature layer / reference, {args.repeat} runs: rebuilt {rebuilt}; from the rollup {night}; "
                f"rebuilt, against the reference written to the file {written}; its per-event part in memory "
                f"{per_event}, written {per_event_written}"
            )
        print(build_against_reference(walls, [t.reference for t in timed]))

    if args.night:
        # the new day arrives in the folder the build reads, with the same vars: as a scheduled night's build
        # sees it (and dbt parses the project only when its files or vars changed)
        for path in sorted((data / "pending").glob("new-*.parquet")):
            path.rename(data / "events" / path.name)
        night = run_dbt(args, workdir, database, dbt_vars, "night.out", progress)
        night_wall, night_rss, night_results = night.wall, night.rss, night.results
        print(
            f"second night ({last_day}, {n_new:,} new events, incremental): wall {night_wall:.1f} s, "
            f"peak RSS {night_rss:,.0f} MB: {night_wall / median(walls):.0%} of the full build"
            + (" (its median)" if args.repeat > 1 else "")
        )
        print("per node (seconds):")
        for name, seconds in sorted(node_times(night_results).items(), key=lambda item: -item[1])[:12]:
            print(f"  {seconds:7.2f}  {name}")
        print_critical_path(night, "the night")
        if not args.with_tests:
            # what a scheduled night (predseg.nightly, `dbt build`) runs after the models: the data tests
            tests = run_dbt(
                argparse.Namespace(**{**vars(args), "command": "test"}),
                workdir, database, dbt_vars, "night_tests.out", progress,
                ("--exclude-resource-type", "unit_test"),
            )  # fmt: skip
            print(
                f"the night's data tests (dbt test, after the night's models): wall {tests.wall:.1f} s, "
                f"CPU {tests.cpu:.1f} s, peak RSS {tests.rss:,.0f} MB; with the models {night_wall + tests.wall:.1f} s"
            )
            print("slowest data tests (seconds):")
            for name, seconds in sorted(node_times(tests.results).items(), key=lambda item: -item[1])[:6]:
                print(f"  {seconds:7.2f}  {name}")
    print(f"workdir: {workdir}")


if __name__ == "__main__":
    run()
