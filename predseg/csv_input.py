"""Read a CSV input so that no line can fail the build and none is lost.

For a CSV file the source (models/staging/_staging__sources.yml) is only a pointer: one row with the
file's path and delimiter. :func:`read_with_rejects` reads the header line itself, then the file with
exactly the header's columns, all as text, with no type or dialect guessing (a guess made from the first
rows is what lets one bad cell far down a file fail a read):

* a line with invalid UTF-8 is skipped by DuckDB and recorded in a rejects table (``store_rejects``),
  which only this connection can see: that is why a dbt Python model runs the read;
* a line with more fields than the header fills one more column, which marks it as unreadable;
* a line with fewer fields is padded with nulls (staging then rejects the missing user, event or time);
* the reader is not strict, so mixed line endings or a stray quote never stop it (a stray quote may
  join the following lines into one field of one row, which staging then rejects, text and all).

The readable rows and one row per unreadable line come back as one relation, so staging rejects the
unreadable ones with a reason. The files of a glob are read with the first file's columns, so a file whose
header differs stops the read (:func:`check_same_header`).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb

POINTER_COLUMNS = ["csv_path", "csv_delimiter"]
ROWS = "predseg_input_rows"
UNREADABLE = "predseg_input_unreadable"
REJECT_ERRORS = "predseg_reject_errors"
REJECT_SCANS = "predseg_reject_scans"
EXTRA = "predseg_extra_fields"


class CsvInputError(RuntimeError):
    """The CSV file cannot be read at all (no file, no header, an unreadable header)."""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def empty() -> str:
    return (
        "select cast(null as bigint) as input_line, cast(null as varchar) as unreadable_reason, "
        "cast(null as varchar) as raw_line where false"
    )


def _files(session: duckdb.DuckDBPyConnection, path: str) -> list[str]:
    files = [row[0] for row in session.execute(f"select file from glob({_literal(path)}) order by file").fetchall()]
    if not files:
        raise CsvInputError(f"{path} matches no file")
    return files


def _line_of(session: duckdb.DuckDBPyConnection, file: str) -> str | None:
    """The first line of one file, or None when it is empty."""
    if Path(file).exists():  # a local file: read the line itself, so nothing below it matters
        opener = gzip.open if file.lower().endswith(".gz") else open
        with opener(file, "rb") as handle:
            raw = handle.readline()
        try:
            return raw.decode("utf-8").lstrip("\ufeff").rstrip("\r\n") if raw else None
        except UnicodeDecodeError as error:
            raise CsvInputError(f"the header line of {file} is not UTF-8 text ({error})") from None
    row = session.execute(
        f"select line from read_csv({_literal(file)}, header = false, auto_detect = false, "
        "columns = {'line': 'VARCHAR'}, delim = chr(31), quote = '', escape = '', ignore_errors = true) limit 1"
    ).fetchone()
    return None if row is None else row[0]


def first_line(session: duckdb.DuckDBPyConnection, path: str) -> str | None:
    """The first line of the file (the first file of a glob), or None when it is empty."""
    return _line_of(session, _files(session, path)[0])


def _names(line: str, delimiter: str) -> list[str]:
    names: list[str] = []
    for i, written in enumerate(line.split(delimiter)):
        name = written.strip().strip('"').strip() or f"column{i}"
        while name.lower() in (n.lower() for n in names):  # as DuckDB names repeated columns
            name = f"{name}_{i}"
        names.append(name)
    return names


def header_columns(session: duckdb.DuckDBPyConnection, path: str, delimiter: str) -> list[str]:
    """The column names of the file's first line (of the first file of a glob), as written there."""
    line = first_line(session, path)
    if line is None or not line.strip():
        raise CsvInputError(f"{path} is empty: a CSV input needs a header row naming its columns")
    return _names(line, delimiter)


def check_same_header(session: duckdb.DuckDBPyConnection, path: str, delimiter: str, names: list[str]) -> None:
    """Every file of a glob is read with the first file's columns, by position: a file whose header names
    other columns, or the same in another order, would have its values read as the wrong columns (ids as
    event names, silently, when both read as text). Such a file stops the read, naming both headers.
    Files with nothing in them are left to the reader."""
    files = _files(session, path)
    for file in files[1:]:
        line = _line_of(session, file)
        if line is None or not line.strip():
            continue
        found = _names(line, delimiter)
        if [n.lower() for n in found] != [n.lower() for n in names]:
            raise CsvInputError(
                f"{file} has other columns than {files[0]} ({', '.join(found)} against {', '.join(names)}), "
                f"and the files of {path} are read with the first file's columns, in its order; give every "
                "file the same header, or point the path at the files that share one"
            )


def read_with_rejects(session: duckdb.DuckDBPyConnection, source: duckdb.DuckDBPyRelation):
    """The CSV file's rows (``input_line`` null) and its unreadable lines (``input_line``, the reader's
    ``unreadable_reason`` and the ``raw_line``; the data columns null), as one relation. Empty when the
    source is not a CSV pointer (Parquet files and tables are read by staging directly). When the file
    cannot be read at all, one row with ``csv_input_error``: staging's column check reports it."""
    if [c.lower() for c in source.columns] != POINTER_COLUMNS:
        return session.sql(empty())
    ((path, delimiter),) = source.limit(1).fetchall()
    try:
        names = header_columns(session, path, delimiter)
        check_same_header(session, path, delimiter, names)
    except CsvInputError as error:
        return session.sql(f"select {_literal(str(error))} as csv_input_error")
    columns = "{" + ", ".join(f"{_literal(name)}: 'VARCHAR'" for name in [*names, EXTRA]) + "}"
    for table in (REJECT_ERRORS, REJECT_SCANS):
        session.execute(f"drop table if exists {table}")
    session.execute(
        f"""
        create or replace temp table {ROWS} as
        select * from read_csv(
            {_literal(path)}, header = true, auto_detect = false, columns = {columns},
            delim = {_literal(delimiter)}, quote = '"', escape = '"', strict_mode = false, null_padding = true,
            store_rejects = true, rejects_table = '{REJECT_ERRORS}', rejects_scan = '{REJECT_SCANS}'
        )
        """
    )
    session.execute(
        f"""
        create or replace temp table {UNREADABLE} as
        select
            cast(line as bigint) as input_line,
            string_agg(distinct lower(error_type), ', ' order by lower(error_type)) as unreadable_reason,
            trim(any_value(csv_line), chr(10) || chr(13)) as raw_line
        from {REJECT_ERRORS}
        group by line
        """
    )
    fields = ", ".join(f"coalesce({_identifier(name)}, '')" for name in names)
    return session.sql(
        f"""
        select
            * exclude ({EXTRA}),
            cast(null as bigint) as input_line,
            case when {EXTRA} is not null then 'too many fields' end as unreadable_reason,
            case when {EXTRA} is not null then concat_ws({_literal(delimiter)}, {fields}, {EXTRA}) || '...' end
                as raw_line
        from {ROWS}
        union all by name
        select * from {UNREADABLE}
        """
    )
