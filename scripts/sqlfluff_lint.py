"""`sqlfluff lint` of the project's SQL (or of the paths given), in one process, without DuckDB's report at
interpreter exit. Other sqlfluff options may follow the paths.

One process: beside pytest, which keeps both cores busy, a second sqlfluff process only adds CPU (each
process compiles the dbt project and loads the rules again): on this project `--processes 2` took 95-102
CPU seconds where one process took 77-90.

In one process the dbt templater's DuckDB objects live in the main process, and when Python shuts down,
DuckDB's module (nanobind) prints every object still alive as "leaked", some forty lines after sqlfluff's
"All Finished!", at every run. sqlfluff's output and exit code are complete before the shutdown, so the
shutdown's messages go to /dev/null; the shutdown itself runs as usual.

Four layout rules (LT01, LT02, LT05, LT14) each build the same reflow sequence of a whole file from its
parse tree, about a third of the lint's CPU. Linting changes no tree, and the sequence is immutable (its
methods return new ones), so here the last file's sequence is kept for the next rule that asks for it: the
same findings (checked on the project and on files with spacing, indentation, case and long-line faults), in
about three quarters of the CPU (38-40 s instead of 51-56 s)."""

import os
import sys

from sqlfluff.cli.commands import cli
from sqlfluff.utils.reflow.sequence import ReflowSequence

# every SQL file of the project: the models and the singular tests (the generic tests are macros)
PROJECT_SQL = ["models", "tests/intermediate", "tests/staging", "tests/marts"]


def reuse_reflow_sequences() -> None:
    """ReflowSequence.from_root, kept for the last (file tree, config) it was built from: lint only, as a
    fix would change the tree between rules."""
    build = ReflowSequence.from_root.__func__
    last: list[tuple] = []

    def from_root(cls, root_segment, config):
        if last and last[0][0] is root_segment and last[0][1] is config:
            return last[0][2]
        sequence = build(cls, root_segment, config)
        last[:] = [(root_segment, config, sequence)]
        return sequence

    ReflowSequence.from_root = classmethod(from_root)


def main() -> None:
    reuse_reflow_sequences()
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
