"""Benchmark: simulate a large event set, run the whole dbt build on it, print timings and peak memory.

Not a test: it prints figures for docs/benchmarks.md. Usage:
    python -m predseg.bench --users 200000 --days 120 [--select ...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from predseg.dbt_command import dbt_invocation
from predseg.simulator import SimulationConfig, simulate, write

PROJECT_DIR = Path(__file__).resolve().parents[1]


def _sample_rss(proc: subprocess.Popen, peak: dict) -> None:
    """Poll the dbt process's resident memory (dbt runs every model, Python ones too, in-process)."""
    status = Path(f"/proc/{proc.pid}/status")
    while proc.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    peak["kb"] = max(peak["kb"], int(line.split()[1]))
        except (FileNotFoundError, ProcessLookupError):
            break
        time.sleep(0.1)


def _wait_with_progress(proc: subprocess.Popen, log: Path, progress, every: float = 15.0) -> int:
    """Wait for dbt, saying every ``every`` seconds which node it finished last."""
    while True:
        try:
            return proc.wait(timeout=every)
        except subprocess.TimeoutExpired:
            done = [line for line in log.read_text(errors="replace").splitlines() if " OK " in line]
            if done:
                progress("dbt: " + " ".join(done[-1].split()[1:6]))


def run(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200_000)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--command", default="build", help="dbt command (default build: seeds and models)")
    parser.add_argument("--with-tests", action="store_true", help="also run data and unit tests")
    parser.add_argument("--select", default=None, help="dbt selection, default everything")
    parser.add_argument("--threads", type=int, default=None, help="dbt threads (default: the profile's)")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="predseg-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / "data"
    began = time.perf_counter()

    def progress(step: str) -> None:
        print(f"  {time.perf_counter() - began:6.1f} s  {step}", flush=True)

    cfg = SimulationConfig(users=args.users, days=args.days, seed=args.seed)
    result = simulate(cfg, progress)
    simulated = time.perf_counter() - began
    progress(f"writing Parquet files to {data}")
    write(result, cfg, data)
    written = time.perf_counter() - began
    n_events = result["events"].num_rows
    del result
    sim_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    dbt_vars = {
        "demo": True,  # the simulated data is the demo's kind: its campaigns and attributes apply
        "events_path": str(data / "events.parquet"),
        "user_attributes_path": str(data / "user_attributes.parquet"),
    }
    cmd, env = dbt_invocation([args.command], workdir / "bench.duckdb", workdir, dbt_vars)
    if args.command == "build" and not args.with_tests:
        cmd += ["--resource-type", "seed", "--resource-type", "model"]
    if args.select:
        cmd += ["--select", args.select]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    began = time.perf_counter()
    progress(f"dbt {args.command} running (log: {workdir / 'dbt.out'})")
    log = (workdir / "dbt.out").open("w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    peak = {"kb": 0}
    sampler = threading.Thread(target=_sample_rss, args=(proc, peak), daemon=True)
    sampler.start()
    returncode = _wait_with_progress(proc, workdir / "dbt.out", progress)
    wall = time.perf_counter() - began
    sampler.join()
    dbt_rss = peak["kb"] / 1024
    if returncode != 0:
        print((workdir / "dbt.out").read_text()[-5000:])
        raise SystemExit(f"dbt {args.command} failed")

    results = json.loads((workdir / "target" / "run_results.json").read_text())["results"]
    print(f"events: {n_events:,} from {args.users:,} users over {args.days} days")
    print(f"simulator: {simulated:.1f} s to simulate, {written:.1f} s with Parquet writing, peak RSS {sim_rss:,.0f} MB")
    limit = os.environ.get("PREDSEG_DUCKDB_MEMORY_LIMIT", "1500MB (default)")
    print(f"dbt {args.command}: wall {wall:.1f} s (dbt start-up included), peak RSS {dbt_rss:,.0f} MB")
    print(f"DuckDB memory_limit: {limit}")
    print("per node (seconds; nodes can overlap with threads: 2):")
    for r in sorted(results, key=lambda r: -r["execution_time"]):
        if r["execution_time"] >= 0.05:
            print(f"  {r['execution_time']:7.2f}  {r['unique_id'].split('.', 2)[-1]}")
    print(f"workdir: {workdir}")


if __name__ == "__main__":
    run()
