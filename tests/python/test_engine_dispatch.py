"""Engine-specific SQL lives in dispatched macros: a model calls a macro (with a `duckdb__` and a `spark__`
body) rather than a function only DuckDB has, and every `default__` body is portable SQL or stops the
compile naming the adapter. The models' DuckDB-only SQL not yet moved behind a macro is listed here, so
that new DuckDB-only SQL in a model fails this test, and moving one out means taking it off the list."""

from __future__ import annotations

import re

from conftest import PROJECT_DIR

# Functions and syntax that DuckDB has and Spark SQL (the other engine the project targets) does not, or
# has under another name or meaning.
DUCKDB_ONLY = {
    "generate_series": r"\bgenerate_series\b",
    "median": r"\bmedian\s*\(",
    "string_agg": r"\bstring_agg\s*\(",
    "select * exclude": r"\*\s*exclude\s*\(",
    "isodow": r"\bisodow\s*\(",
    "arg_max / arg_min": r"\barg_(max|min)\s*\(",
    "unnest": r"\bunnest\s*\(",
    "range": r"\brange\s*\(",
    "hash": r"\bhash\s*\(",
    "error": r"\berror\s*\(",
    "timezone": r"\btimezone\s*\(",
    "pg_timezone_names": r"\bpg_timezone_names\b",
    "regexp_full_match": r"\bregexp_full_match\b",
    "try_strptime / strptime": r"\b(try_)?strptime\s*\(",
    "list functions": r"\blist_[a-z_]+\s*\(",
    "list type": r"\]\s*\[\]|\b(varchar|text|string|integer|bigint|double)\s*\[\]",
    "list literal": r"(\(|,|\bas|\bin|=)\s*\[\s*'",
    "isfinite / isinf": r"\bis(finite|inf)\s*\(",
    "varchar without a length": r"\bas\s+varchar\s*\)",
    "cast with ::": r"::",
}

# Not yet behind a macro: (model file, construct). Empty: every model is engine-neutral SQL.
REMAINING: set[tuple[str, str]] = set()


def sql_only(text: str) -> str:
    """The SQL of a model or macro without Jinja (expressions, statements, comments) and SQL comments."""
    text = re.sub(r"\{#.*?#\}", " ", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", " ", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}", " ", text, flags=re.S)
    return re.sub(r"--[^\n]*", " ", text)


def constructs(sql: str) -> set[str]:
    return {name for name, pattern in DUCKDB_ONLY.items() if re.search(pattern, sql, flags=re.I)}


def test_models_and_data_tests_use_no_duckdb_only_sql_outside_dispatched_macros():
    found = set()
    sql_files = [*(PROJECT_DIR / "models").rglob("*.sql"), *(PROJECT_DIR / "tests").rglob("*.sql")]
    for path in sorted(sql_files):
        relative = str(path.relative_to(PROJECT_DIR))
        found |= {(relative, name) for name in constructs(sql_only(path.read_text()))}
    assert found - REMAINING == set(), "DuckDB-only SQL in a model or data test: call a dispatched macro instead"
    assert REMAINING - found == set(), "moved behind a macro: take it off REMAINING"


def test_the_detector_sees_duckdb_only_sql():
    assert constructs(sql_only("select isodow(d), arg_max(h, k) from t -- unnest(x)")) == {
        "isodow",
        "arg_max / arg_min",
    }
    assert constructs(sql_only("select {{ iso_weekday('d') }}, cast(null as varchar[]) from t")) == {"list type"}
    assert constructs(sql_only("select case when not isfinite(v) then 1 end, ['a', 'b'] from t")) == {
        "isfinite / isinf",
        "list literal",
    }


DEFAULT_BODY = re.compile(r"\{%-?\s*macro\s+default__(\w+)\s*\(.*?\)\s*-?%\}(.*?)\{%-?\s*endmacro", re.S)


def test_default_macro_bodies_are_portable_or_say_the_adapter_is_not_supported():
    checked = 0
    for path in sorted((PROJECT_DIR / "macros").rglob("*.sql")):
        for name, body in DEFAULT_BODY.findall(path.read_text()):
            checked += 1
            if "is not implemented for adapter" in body:
                continue
            assert constructs(sql_only(body)) == set(), f"default__{name} ({path.name}) uses DuckDB-only SQL"
    assert checked >= 15
