"""Publish one run's consumer tables together, so readers never see a mix of two runs.

The build writes into its own DuckDB file, table by table; a build that is interrupted leaves some tables
from the new run and some from the old. Consumers therefore read a separate *published* file, which is
replaced in one step (a rename) at the end of a build whose consumer tables all carry the same run_id.
A reader that opened the published file before the rename keeps reading the previous run, one that opens
it after reads the new one; DuckDB lets any number of read-only readers open it while a build runs.

History tables keep every night, each night's rows written by the run of that night: there the check is
that the run's own night holds rows of this run only (and the first history table, written for every
segment on every night, holds some).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

SCHEMA = "predseg_publish"


@dataclass(frozen=True)
class Publication:
    status: str  # published | not_published
    message: str
    run_id: str | None
    as_of_date: dt.date | None
    published_at: dt.datetime | None
    published_path: str
    tables: tuple[str, ...]
    history_tables: tuple[str, ...] = ()

    def frame(self) -> pd.DataFrame:
        # pandas is imported here, not with the module: the dbt plugin imports this module as every build
        # opens its database, where pandas's import (about a quarter of a second) would delay the first model
        import pandas as pd

        return pd.DataFrame(
            {
                "status": [self.status],
                "message": [self.message],
                "run_id": pd.Series([self.run_id], dtype="object"),
                "as_of_date": pd.Series([self.as_of_date], dtype="object"),
                "published_at": pd.Series([self.published_at], dtype="datetime64[us]"),
                "published_path": [self.published_path],
                "tables": [", ".join(self.tables)],
                "history_tables": [", ".join(self.history_tables)],
            }
        )


class MixedRunsError(RuntimeError):
    """The consumer tables in the build database do not all come from one run."""


def published_path_for(database_path: str, configured: str | None) -> Path:
    """The configured path, or ``<build database>.published.duckdb`` beside the build database."""
    if configured:
        return Path(configured)
    build = Path(database_path)
    return build.with_name(build.stem + ".published.duckdb")


def one_run(session, tables: list[str]) -> tuple[str, dt.date | None]:
    """The run_id and as_of_date every consumer table holds; raises MixedRunsError if they differ."""
    seen: dict[str, set[tuple]] = {}
    for table in tables:
        rows = session.execute(f'select distinct run_id, as_of_date from main."{table}"').fetchall()
        seen[table] = set(rows)
    runs = {row for rows in seen.values() for row in rows}
    if len({run for run, _ in runs}) != 1:
        detail = "; ".join(f"{t}: {sorted(str(r) for r, _ in rows) or 'empty'}" for t, rows in seen.items())
        raise MixedRunsError(
            "the consumer tables do not all come from one run, so they are not published (readers keep the "
            f"last complete run): {detail}. Run a full `dbt build` to publish."
        )
    (run_id, as_of), *_ = runs
    return str(run_id), as_of


def one_night(session, history: dict[str, str], run_id: str, as_of: dt.date | None) -> None:
    """Checks that the history tables' rows of the night ``as_of`` (by each table's night column) all come
    from ``run_id``, and that the first table has some; raises MixedRunsError if not."""
    problems = []
    for position, (table, night_column) in enumerate(history.items()):
        runs = {
            str(run)
            for (run,) in session.execute(
                f'select distinct run_id from main."{table}" where "{night_column}" = ?', [as_of]
            ).fetchall()
        }
        if runs - {run_id} or (position == 0 and not runs):
            problems.append(f"{table} ({night_column} {as_of}): {sorted(runs) or 'no rows'}")
    if problems:
        raise MixedRunsError(
            f"the history tables' rows of the night {as_of} do not all come from run {run_id}, so nothing is "
            f"published (readers keep the last complete run): {'; '.join(problems)}. Run a full `dbt build`."
        )


def _comments(session, tables: list[str]) -> list[tuple[str, str | None, str]]:
    """The descriptions of ``tables`` and their columns, as (table, column or None, description)."""
    return session.execute(
        """
        select table_name, null as column_name, comment from duckdb_tables()
        where database_name = current_database() and schema_name = 'main' and comment is not null
            and list_contains(?, table_name)
        union all
        select table_name, column_name, comment from duckdb_columns()
        where database_name = current_database() and schema_name = 'main' and comment is not null
            and list_contains(?, table_name)
        """,
        [tables, tables],
    ).fetchall()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _copy(
    session, tables: list[str], destination: Path, run_id: str, as_of: dt.date | None, history: dict[str, str]
) -> Publication:
    """Copies ``tables``, their descriptions and the publication's row into the attached file."""
    for table in tables:
        session.execute(f'create table {SCHEMA}.main."{table}" as select * from main."{table}"')
    described = []
    for table, column, comment in _comments(session, tables):
        if column is None:
            described.append(f'comment on table {SCHEMA}.main."{table}" is {_quote(comment)}')
        else:
            described.append(f'comment on column {SCHEMA}.main."{table}"."{column}" is {_quote(comment)}')
    if described:
        session.execute(";\n".join(described))
    publication = Publication(
        "published",
        f"published run {run_id} (as_of {as_of})",
        run_id,
        as_of,
        dt.datetime.now(dt.UTC).replace(tzinfo=None),
        str(destination),
        tuple(tables),
        tuple(history),
    )
    session.register("predseg_publication_row", publication.frame())
    session.execute(f"create table {SCHEMA}.main.publication as select * from predseg_publication_row")
    session.unregister("predseg_publication_row")
    return publication


def publish(
    session, tables: list[str], configured_path: str | None = None, history: dict[str, str] | None = None
) -> Publication:
    """Copy ``tables`` and the ``history`` tables (name -> night column) with their descriptions into a new
    file and rename it over the published one, or, when they do not all come from one run (a partial
    build), leave the published file alone and say so (status not_published)."""
    history = history or {}
    everything = [*tables, *history]
    database_path = session.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    destination = published_path_for(database_path, configured_path)
    try:
        run_id, as_of = one_run(session, tables)
        one_night(session, history, run_id, as_of)
    except MixedRunsError as error:
        return Publication(
            "not_published", str(error), None, None, None, str(destination), tuple(everything), tuple(history)
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = destination.with_name(destination.name + ".next")
    for leftover in (staging, Path(str(staging) + ".wal")):
        leftover.unlink(missing_ok=True)
    session.execute(f"attach {_quote(str(staging))} as {SCHEMA}")
    try:
        # one transaction for the copy: each statement on its own would commit (and sync) the new file
        session.execute("begin transaction")
        try:
            publication = _copy(session, everything, destination, run_id, as_of, history)
        except BaseException:
            session.execute("rollback")
            raise
        session.execute("commit")
        session.execute(f"checkpoint {SCHEMA}")
    finally:
        session.execute(f"detach {SCHEMA}")
    os.replace(staging, destination)
    return publication
