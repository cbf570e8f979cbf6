"""Run the project night by night: one night for a given as_of, or a range of nights in order.

    python -m predseg.nightly night [--as-of YYYY-MM-DD] [--vars '{events_path: ...}']
    python -m predseg.nightly replay --from YYYY-MM-DD --to YYYY-MM-DD [--vars '{...}']

A night is `dbt build` (models, seeds and data tests; the unit tests are for development) with `as_of`
set, so the history tables gain (or, when the night ran before, replace) that night's slice and the
published file is replaced by it. Without --as-of a night uses the default as_of, the last complete day
of events: what a scheduler runs every night.

A replay runs the nights of a range in date order (backfilling history, or rehearsing on old data). dbt
parses the project once and every night reuses that parse with its own as_of, so a night costs its build,
not a parse. It stops at the first night that fails, because each night is compared with the one before.
Database, target and log folders are dbt's usual ones (PREDSEG_DUCKDB_PATH, DBT_TARGET_PATH, DBT_LOG_PATH).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from predseg.dbt_command import PROJECT_DIR

BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]


@dataclass(frozen=True)
class Night:
    as_of: dt.date | None
    seconds: float
    success: bool
    message: str


def nights_between(first: dt.date, last: dt.date) -> list[dt.date]:
    if last < first:
        raise ValueError(f"the replay ends ({last}) before it starts ({first})")
    return [first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)]


def _common_args() -> list[str]:
    return ["--project-dir", str(PROJECT_DIR), "--profiles-dir", os.environ.get("DBT_PROFILES_DIR", str(PROJECT_DIR))]


def _vars(base: dict, as_of: dt.date | None) -> str:
    return json.dumps({**base, **({"as_of": as_of.isoformat()} if as_of else {})})


def _failure(result) -> str:
    if result.exception is not None:
        return str(result.exception)
    failed = [r for r in (result.result or []) if str(getattr(r, "status", "")) in ("error", "fail")]
    return "; ".join(f"{r.node.name}: {r.message}" for r in failed[:5]) or "dbt reported a failure"


def run_nights(dates: list[dt.date | None], base_vars: dict, extra_args: list[str] | None = None) -> list[Night]:
    """Build each night in turn (stopping at the first failure), printing its time."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    from dbt.cli.main import dbtRunner

    common = _common_args()
    parsed = dbtRunner().invoke(["parse", "--quiet", *common, "--vars", _vars(base_vars, dates[0])])
    if not parsed.success:
        raise SystemExit(f"dbt parse failed: {parsed.exception}")
    runner = dbtRunner(manifest=parsed.result)
    nights: list[Night] = []
    already_frozen = gc.get_freeze_count() > 0
    try:
        for number, as_of in enumerate(dates, start=1):
            if len(dates) > 1 and number <= 2:
                # What is alive now (dbt's modules and the parsed project; after the first night, dbt's caches
                # too) lives as long as the replay: frozen, Python's cyclic garbage collector no longer walks it
                # at every collection (about 4 % of a replay's CPU on small data). Later garbage is collected.
                gc.collect()
                gc.freeze()
            started = time.perf_counter()
            result = runner.invoke([*BUILD_ARGS, *common, *(extra_args or []), "--vars", _vars(base_vars, as_of)])
            seconds = time.perf_counter() - started
            night = Night(as_of, seconds, result.success, "ok" if result.success else _failure(result))
            nights.append(night)
            label = as_of.isoformat() if as_of else "default as_of"
            print(
                f"night {number}/{len(dates)} ({label}): {'ok' if night.success else 'FAILED'} in {seconds:.1f} s",
                flush=True,
            )
            if not night.success:
                print(
                    f"night {label} failed: {night.message}\nLater nights are not run, because each night is "
                    "compared with the one before: fix the cause and replay from this night.",
                    file=sys.stderr,
                )
                break
    finally:
        if not already_frozen:
            gc.unfreeze()  # frozen objects are never freed, which DuckDB's module reports as leaks at exit
    return nights


def summary(nights: list[Night]) -> str:
    done = [n for n in nights if n.success]
    if not done:
        return "no night completed"
    lines = [f"{len(done)} night(s) completed in {sum(n.seconds for n in done):.1f} s"]
    lines.append(f"night 1 ({done[0].as_of}): {done[0].seconds:.1f} s")
    if len(done) > 1:
        lines.append(f"night {len(done)} ({done[-1].as_of}): {done[-1].seconds:.1f} s")
    return "\n".join(lines)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date written YYYY-MM-DD: {text!r}") from error


def _yaml_vars(text: str) -> dict:
    loaded = yaml.safe_load(text) if text.strip() else {}
    if not isinstance(loaded, dict):
        raise argparse.ArgumentTypeError(f"--vars must be a YAML mapping, got {text!r}")
    if "as_of" in loaded:
        raise argparse.ArgumentTypeError("give the night with --as-of (night) or --from/--to (replay), not in --vars")
    return loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m predseg.nightly", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    night = commands.add_parser("night", help="run one night")
    night.add_argument("--as-of", type=_date, default=None, help="the night (default: the last complete day)")
    replay = commands.add_parser("replay", help="run every night of a range, in order")
    replay.add_argument("--from", dest="first", type=_date, required=True, help="the first night")
    replay.add_argument("--to", dest="last", type=_date, required=True, help="the last night")
    for command in (night, replay):
        command.add_argument("--vars", type=_yaml_vars, default={}, help="dbt vars (YAML), as for dbt --vars")
        command.add_argument("--report", type=Path, default=None, help="also write the nights' times as JSON here")
        command.add_argument(
            "--build-args",
            type=shlex.split,
            default=[],
            help='more arguments for dbt build, e.g. "--exclude-resource-type test" (a rehearsal without data tests)',
        )
    args = parser.parse_args(argv)

    dates = [args.as_of] if args.command == "night" else nights_between(args.first, args.last)
    nights = run_nights(dates, args.vars, args.build_args)
    print(summary(nights))
    if args.report:
        args.report.write_text(
            json.dumps(
                [{"as_of": str(n.as_of), "seconds": round(n.seconds, 2), "success": n.success} for n in nights],
                indent=2,
            )
        )
    return 0 if nights and all(n.success for n in nights) and len(nights) == len(dates) else 1


if __name__ == "__main__":
    sys.exit(main())
