"""`sqlfluff lint` of the project's SQL (or of the paths given), in one process, without DuckDB's report at
interpreter exit. Other sqlfluff options may follow the paths.

One process: beside pytest, which keeps both cores busy, a second sqlfluff process only adds CPU (each
process compiles the dbt project and loads the rules again): on this project `--processes 2` took 95-102
CPU seconds where one process took 77-90.

In one process the dbt templater's DuckDB objects live in the main process, and when Python shuts down,
DuckDB's module (nanobind) prints every object still alive as "leaked", some forty lines after sqlfluff's
"All Finished!", at every run. sqlfluff's output and exit code are complete before the shutdown, so the
shutdown's messages go to /dev/null; the shutdown itself runs as usual."""

import os
import sys

from sqlfluff.cli.commands import cli

# every SQL file of the project: the models and the singular tests (the generic tests are macros)
PROJECT_SQL = ["models", "tests/intermediate", "tests/staging", "tests/marts"]


def main() -> None:
    try:
        cli.main(args=["lint", "--processes", "1", *(sys.argv[1:] or PROJECT_SQL)], prog_name="sqlfluff")
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stderr.fileno())
    sys.exit(code)


if __name__ == "__main__":
    main()
