"""Fuzz: random corruptions of a valid events CSV (bad cells, swapped columns, truncated lines, extra fields,
broken encodings, stray bytes, blank lines, CRLF) never fail the staging build, and every input line is
accounted for: rows kept in stg_events plus rows in stg_events_rejected equal the non-blank data lines.

The staging build's own compiled SQL (and the Python reader it uses for CSV files) runs once per corrupted
file inside one DuckDB process, which keeps 60 cases well under a minute; two of them also go through a
real `dbt run` to show the two agree."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import duckdb
import pytest
from conftest import DbtProject

from predseg.csv_input import read_with_rejects

CASES = 60
STAGING = ["base_events", "stg_events", "stg_events_rejected"]
BAD_CELLS = [
    b"",
    b"   ",
    b"not a time",
    b"NaN",
    b"inf",
    b"-Infinity",
    b"1e400",
    b"1e33",
    b"-5",
    b"2026-13-45 25:61:00",
    b"31/02/2026",
    "\u00e9t\u00e9 \u4e2d\u6587".encode(),  # valid UTF-8
    b"\xe9t\xe9",  # latin-1: invalid UTF-8
    b"\xff\xfe\xfd",
    b"\xef\xbb\xbfbom",
    b"nul\x00byte",
    b"x" * 5000,
    b"1772359200",
    b"17723592000000",
]


def valid_lines(rows: int, rng: random.Random) -> list[bytes]:
    lines = []
    for i in range(rows):
        user = f"u{rng.randrange(300)}"
        event = rng.choice(["app_open", "purchase", "search"])
        at = f"2026-03-{1 + i % 28:02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
        value = f"{rng.uniform(1, 200):.2f}" if event == "purchase" else ""
        lines.append(f"{user},{event},{at},{value}".encode())
    return lines


def corrupt(lines: list[bytes], rng: random.Random) -> list[bytes]:
    lines = list(lines)
    for _ in range(rng.randint(1, 12)):
        i = rng.randrange(len(lines))
        fields = lines[i].split(b",")
        kind = rng.choice(["cell", "swap", "truncate", "extra", "blank", "crlf", "drop_field"])
        if kind == "cell":
            fields[rng.randrange(len(fields))] = rng.choice(BAD_CELLS)
            lines[i] = b",".join(fields)
        elif kind == "swap" and len(fields) > 1:
            a, b = rng.sample(range(len(fields)), 2)
            fields[a], fields[b] = fields[b], fields[a]
            lines[i] = b",".join(fields)
        elif kind == "truncate":
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
        elif kind == "extra":
            lines[i] = lines[i] + b",extra" * rng.randint(1, 3)
        elif kind == "blank":
            lines.insert(i, b"")
        elif kind == "crlf":
            lines[i] = lines[i] + b"\r"
        elif kind == "drop_field":
            del fields[rng.randrange(len(fields))]
            lines[i] = b",".join(fields)
    return lines


def write(path: Path, lines: list[bytes]) -> int:
    """Writes header and lines; returns the data lines a reader sees as rows (blank lines are none)."""
    path.write_bytes(b"user_id,event_name,event_time,value\n" + b"\n".join(lines) + b"\n")
    return sum(1 for line in lines if line.strip(b"\r"))


@pytest.fixture(scope="module")
def compiled_staging(tmp_path_factory) -> tuple[dict[str, str], DbtProject]:
    """The staging models' SQL as dbt compiles it for a CSV events input."""
    workdir = tmp_path_factory.mktemp("fuzz")
    sample = workdir / "events.csv"
    write(sample, valid_lines(50, random.Random(0)))
    project = DbtProject(workdir=workdir, vars={"events_path": str(sample)})
    project.dbt("run", "--select", "base_events_input")  # input_columns describes its output
    project.dbt("compile", "--select", *STAGING)
    compiled = {}
    for name in STAGING:
        (path,) = (workdir / "target" / "compiled").rglob(f"{name}.sql")
        compiled[name] = re.sub(r'"predseg"\."main"\.', "", path.read_text())
    return compiled, project


def staging_counts(compiled: dict[str, str], csv_path: Path) -> tuple[int, int]:
    with duckdb.connect() as con:
        con.execute("set timezone = 'UTC'")
        pointer = con.sql(f"select '{csv_path}' as csv_path, ',' as csv_delimiter")
        read_with_rejects(con, pointer).to_table("base_events_input")
        con.execute(f"create view base_events as {compiled['base_events']}")
        con.execute(f"create table stg_events as {compiled['stg_events']}")
        con.execute(f"create table stg_events_rejected as {compiled['stg_events_rejected']}")
        kept = con.execute("select count(*) from stg_events").fetchone()[0]
        rejected = con.execute("select count(*) from stg_events_rejected").fetchone()[0]
    return kept, rejected


def test_random_corruptions_never_fail_staging_and_lose_no_line(compiled_staging, tmp_path):
    compiled, _ = compiled_staging
    rng = random.Random(20261129)
    base = valid_lines(1500, rng)
    started = time.perf_counter()
    total_rejected = 0
    for case in range(CASES):
        path = tmp_path / f"corrupt_{case}.csv"
        rows = write(path, corrupt(base, rng))
        kept, rejected = staging_counts(compiled, path)
        assert kept + rejected == rows, f"case {case}: {kept} kept + {rejected} rejected != {rows} lines"
        total_rejected += rejected  # some corruptions leave a valid row (a swap of two blanks, UTF-8 text)
    elapsed = time.perf_counter() - started
    print(f"{CASES} corruptions in {elapsed:.1f} s, {total_rejected} rows rejected")
    assert total_rejected > CASES
    assert elapsed < 60


def test_the_fast_path_agrees_with_a_real_dbt_run(compiled_staging, tmp_path):
    compiled, _ = compiled_staging
    rng = random.Random(7)
    for case in range(2):
        path = tmp_path / f"case_{case}" / "events.csv"
        path.parent.mkdir()
        rows = write(path, corrupt(valid_lines(300, rng), rng))
        project = DbtProject(workdir=path.parent, vars={"events_path": str(path)})
        project.dbt("run", "--select", "+stg_events", "+stg_events_rejected")
        kept = project.query("select count(*) as n from stg_events")["n"][0]
        rejected = project.query("select count(*) as n from stg_events_rejected")["n"][0]
        assert (kept, rejected) == staging_counts(compiled, path)
        assert kept + rejected == rows


def test_a_glob_of_files_reads_each_with_its_header_and_stops_at_another_column_order(compiled_staging, tmp_path):
    compiled, _ = compiled_staging
    rng = random.Random(7)
    january = write(tmp_path / "events_01.csv", valid_lines(40, rng))
    february = write(tmp_path / "events_02.csv", valid_lines(30, rng))
    # every file's header line is a header, not a row: nothing rejected, every line kept
    assert staging_counts(compiled, tmp_path / "events_*.csv") == (january + february, 0)

    # a monthly export whose columns came out in another order: read by the first file's columns, its ids
    # would become event names; the read stops instead, naming the file and both headers
    swapped = [
        b",".join([line.split(b",")[1], line.split(b",")[0], *line.split(b",")[2:]]) for line in valid_lines(5, rng)
    ]
    (tmp_path / "events_03.csv").write_bytes(b"event_name,user_id,event_time,value\n" + b"\n".join(swapped) + b"\n")
    with duckdb.connect() as con:
        pointer = con.sql(f"select '{tmp_path}/events_*.csv' as csv_path, ',' as csv_delimiter")
        ((error,),) = read_with_rejects(con, pointer).fetchall()
    assert error.startswith(f"{tmp_path}/events_03.csv has other columns than {tmp_path}/events_01.csv")
    assert "(event_name, user_id, event_time, value against user_id, event_name, event_time, value)" in error
