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

Two kinds of text file that are not quite CSV are read too:

* delimiter ``whitespace``: fields split by runs of spaces or tabs, blanks at either end of a line ignored,
  no quoting (a fixed-width export whose columns are lined up with spaces); a line with more fields than
  the columns is unreadable, one with fewer is padded with nulls;
* a file without a header row: the pointer's ``csv_columns`` (a JSON list, from the ``*_csv_columns`` var)
  names its columns in order, and its first line is a row like the others.

The pointer's ``csv_encoding`` (var ``csv_encoding``) is ``utf-8`` or ``latin-1`` (ISO-8859-1, which also
reads Windows-1252 text but for the few characters it puts at 0x80-0x9F, such as the euro sign).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import duckdb

POINTER_COLUMNS = ["csv_path", "csv_delimiter"]  # and optionally csv_columns, csv_encoding
OPTIONAL_POINTER_COLUMNS = ["csv_columns", "csv_encoding"]
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "latin-1": "latin-1", "latin1": "latin-1", "iso-8859-1": "latin-1"}
WHITESPACE = "whitespace"  # the delimiter of files whose fields are split by runs of spaces or tabs
LINES = "predseg_input_lines"
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


def _line_of(session: duckdb.DuckDBPyConnection, file: str, encoding: str = "utf-8") -> str | None:
    """The first line of one file, or None when it is empty."""
    if Path(file).exists():  # a local file: read the line itself, so nothing below it matters
        opener = gzip.open if file.lower().endswith(".gz") else open
        with opener(file, "rb") as handle:
            raw = handle.readline()
        try:
            return raw.decode(encoding).lstrip("\ufeff").rstrip("\r\n") if raw else None
        except UnicodeDecodeError as error:
            raise CsvInputError(
                f"the header line of {file} is not UTF-8 text ({error}); if the file was written in Latin-1 or "
                "Windows-1252, set var csv_encoding: latin-1"
            ) from None
    row = session.execute(
        f"select line from read_csv({_literal(file)}, header = false, auto_detect = false, "
        "columns = {'line': 'VARCHAR'}, delim = chr(31), quote = '', escape = '', ignore_errors = true, "
        f"encoding = {_literal(encoding)}) limit 1"
    ).fetchone()
    return None if row is None else row[0]


def first_line(session: duckdb.DuckDBPyConnection, path: str, encoding: str = "utf-8") -> str | None:
    """The first line of the file (the first file of a glob), or None when it is empty."""
    return _line_of(session, _files(session, path)[0], encoding)


def _split(line: str, delimiter: str) -> list[str]:
    return re.split(r"[ \t]+", line.strip(" \t\r")) if delimiter == WHITESPACE else line.split(delimiter)


def _names(line: str, delimiter: str) -> list[str]:
    names: list[str] = []
    for i, written in enumerate(_split(line, delimiter)):
        name = written.strip().strip('"').strip() or f"column{i}"
        while name.lower() in (n.lower() for n in names):  # as DuckDB names repeated columns
            name = f"{name}_{i}"
        names.append(name)
    return names


def header_columns(session: duckdb.DuckDBPyConnection, path: str, delimiter: str, encoding: str = "utf-8") -> list[str]:
    """The column names of the file's first line (of the first file of a glob), as written there."""
    line = first_line(session, path, encoding)
    if line is None or not line.strip():
        raise CsvInputError(f"{path} is empty: a CSV input needs a header row naming its columns")
    return _names(line, delimiter)


def check_same_header(
    session: duckdb.DuckDBPyConnection, path: str, delimiter: str, names: list[str], encoding: str = "utf-8"
) -> None:
    """Every file of a glob is read with the first file's columns, by position: a file whose header names
    other columns, or the same in another order, would have its values read as the wrong columns (ids as
    event names, silently, when both read as text). Such a file stops the read, naming both headers.
    Files with nothing in them are left to the reader."""
    files = _files(session, path)
    for file in files[1:]:
        line = _line_of(session, file, encoding)
        if line is None or not line.strip():
            continue
        found = _names(line, delimiter)
        if [n.lower() for n in found] != [n.lower() for n in names]:
            raise CsvInputError(
                f"{file} has other columns than {files[0]} ({', '.join(found)} against {', '.join(names)}), "
                f"and the files of {path} are read with the first file's columns, in its order; give every "
                "file the same header, or point the path at the files that share one"
            )


def given_columns(written: str | None, var_name: str = "csv_columns") -> list[str] | None:
    """The column names of a file without a header row (the pointer's csv_columns, a JSON list), checked:
    None when the file has a header row."""
    if written is None:
        return None
    try:
        names = json.loads(written)
    except ValueError:
        names = None
    if (
        not isinstance(names, list)
        or not names
        or not all(isinstance(name, str) and name.strip() for name in names)
        or len({name.strip().lower() for name in names}) != len(names)
    ):
        raise CsvInputError(
            f"var '{var_name}' must list the names of the file's columns in order, each once, e.g. "
            f"[user_id, event_time, quantity, value]; got {written}"
        )
    return [name.strip() for name in names]


def read_with_rejects(
    session: duckdb.DuckDBPyConnection, source: duckdb.DuckDBPyRelation, columns_var: str = "csv_columns"
):
    """The CSV file's rows (``input_line`` null) and its unreadable lines (``input_line``, the reader's
    ``unreadable_reason`` and the ``raw_line``; the data columns null), as one relation. Empty when the
    source is not a CSV pointer (Parquet files and tables are read by staging directly). When the file
    cannot be read at all, one row with ``csv_input_error``: staging's column check reports it."""
    pointer = [c.lower() for c in source.columns]
    if pointer[:2] != POINTER_COLUMNS or not set(pointer[2:]) <= set(OPTIONAL_POINTER_COLUMNS):
        return session.sql(empty())
    settings = dict(zip(pointer, source.limit(1).fetchall()[0], strict=True))
    path, delimiter, written = settings["csv_path"], settings["csv_delimiter"], settings.get("csv_columns")
    try:
        encoding = ENCODINGS.get(str(settings.get("csv_encoding") or "utf-8").strip().lower())
        if encoding is None:
            raise CsvInputError(
                f"var csv_encoding is {settings['csv_encoding']!r}; it reads utf-8 or latin-1 (which also reads "
                "Windows-1252 text); convert a file in another encoding to UTF-8 first"
            )
        names = given_columns(written, columns_var)
        if names is None:
            names = header_columns(session, path, delimiter, encoding)
            check_same_header(session, path, delimiter, names, encoding)
        else:
            _files(session, path)
    except CsvInputError as error:
        return session.sql(f"select {_literal(str(error))} as csv_input_error")
    has_header = "false" if written is not None else "true"
    for table in (REJECT_ERRORS, REJECT_SCANS):
        session.execute(f"drop table if exists {table}")
    rejects = (
        f"store_rejects = true, rejects_table = '{REJECT_ERRORS}', rejects_scan = '{REJECT_SCANS}', "
        f"encoding = {_literal(encoding)}"
    )
    if delimiter == WHITESPACE:
        # every line as one text field, split on runs of blanks: no single separator can split such lines
        session.execute(
            f"""
            create or replace temp table {LINES} as
            select line, regexp_split_to_array(trim(line, ' ' || chr(9) || chr(13)), '[ \t]+') as fields
            from read_csv(
                {_literal(path)}, header = {has_header}, auto_detect = false, columns = {{'line': 'VARCHAR'}},
                delim = chr(31), quote = '', escape = '', strict_mode = false, {rejects}
            )
            where trim(line, ' ' || chr(9) || chr(13)) != ''
            """
        )
        fields = ", ".join(
            f"case when fields[{i}] != '' then fields[{i}] end as {_identifier(name)}"
            for i, name in enumerate(names, start=1)
        )
        too_many = f"len(fields) > {len(names)}"
        session.execute(
            f"""
            create or replace temp table {ROWS} as
            select {fields}, case when {too_many} then line end as {EXTRA}
            from {LINES}
            """
        )
    else:
        columns = "{" + ", ".join(f"{_literal(name)}: 'VARCHAR'" for name in [*names, EXTRA]) + "}"
        session.execute(
            f"""
            create or replace temp table {ROWS} as
            select * from read_csv(
                {_literal(path)}, header = {has_header}, auto_detect = false, columns = {columns},
                delim = {_literal(delimiter)}, quote = '"', escape = '"', strict_mode = false, null_padding = true,
                {rejects}
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
    # a whitespace file's line is kept whole in the extra column; a CSV line is put together again
    raw_line = EXTRA if delimiter == WHITESPACE else f"concat_ws({_literal(delimiter)}, {fields}, {EXTRA}) || '...'"
    return session.sql(
        f"""
        select
            * exclude ({EXTRA}),
            cast(null as bigint) as input_line,
            case when {EXTRA} is not null then 'too many fields' end as unreadable_reason,
            case when {EXTRA} is not null then {raw_line} end as raw_line
        from {ROWS}
        union all by name
        select * from {UNREADABLE}
        """
    )
