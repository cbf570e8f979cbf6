.PHONY: demo test test-spark report bench bench-100m bench-100m-long bench-100m-refit-night bench-wide drift-eval nightly replay lint clean

# The main job: simulate demo events, dbt build everything on DuckDB, print a summary.
demo:
	scripts/demo.sh

# The segment report (one self-contained HTML file, target/report.html) from the built database; make demo
# writes it too.
report:
	scripts/bootstrap.sh && . scripts/env.sh && python -m predseg.report --database target/predseg.duckdb --out target/report.html

# Every test: pytest (among its builds, the demo's on demo-sized data with every data and unit test),
# sqlfluff, ruff.
test:
	scripts/test.sh

# The project on a local Spark (Java from Debian's packages and .venv-spark installed when missing): the
# models that build there so far, compared table by table with the same build on DuckDB (docs/engines.md).
test-spark:
	scripts/spark_env.sh && .venv-spark/bin/python -m pytest -q -p no:cacheprovider tests/spark

# 200k users / ~10M events: the whole build's time and peak memory, per-model times, and the feature layer
# against a hand-written reference query (not a test). Three builds, each into a fresh database, and their
# medians: one build varies by several seconds on a small machine (about 4 minutes).
bench:
	scripts/bench.sh --users 200000 --days 75 --repeat 3

# ~100M events (9 parts of 200k users), then a second, incremental night with one new day and its data
# tests, as a scheduled night runs them (not a test; about 15 minutes, up to 7 GB of memory and 15 GB of
# disk under $TMPDIR for its workdir).
bench-100m:
	PREDSEG_DUCKDB_MEMORY_LIMIT=$${PREDSEG_DUCKDB_MEMORY_LIMIT:-6GB} scripts/bench.sh --users 200000 --days 76 --chunks 9 --night

# ~100M events the other way: 396k users over 701 days (a long history, most users long gone), ending
# before today; then the same incremental night (not a test; about 9 minutes, 7 GB of memory, 15 GB of disk).
bench-100m-long:
	PREDSEG_DUCKDB_MEMORY_LIMIT=$${PREDSEG_DUCKDB_MEMORY_LIMIT:-6GB} scripts/bench.sh --users 44000 --days 701 \
		--start 2024-12-01 --chunks 9 --night

# The same with a refit every night (refit_every_days: 1): its night is a refit day, as every seventh night
# is with the default weekly refits, so it computes the training windows' features and the fits again.
bench-100m-refit-night:
	PREDSEG_DUCKDB_MEMORY_LIMIT=$${PREDSEG_DUCKDB_MEMORY_LIMIT:-6GB} scripts/bench.sh --users 44000 --days 701 \
		--start 2024-12-01 --chunks 9 --night --vars '{refit_every_days: 1}'

# A first real file's shape: one CSV of date-only purchases by 2M customers (~12.5M rows) over 450 days, with
# the README's two example segments, one over every customer (not a test; about 6 minutes).
bench-wide:
	scripts/bench.sh --retail-customers 2000000 --days 450

# The threshold rules judged on drifting simulated data by what happened after each as_of (not a test;
# about 10 minutes). SEED picks the simulation.
drift-eval:
	scripts/bootstrap.sh && . scripts/env.sh && python -m predseg.drift_eval --seed $${SEED:-5}

# One night: dbt build with as_of (default: the last complete day of events) and the vars in VARS, e.g.
# make nightly AS_OF=2026-03-01 VARS='{demo: true}'. See the README's "Running it every night".
nightly:
	scripts/bootstrap.sh && . scripts/env.sh && python -m predseg.nightly night $(if $(AS_OF),--as-of $(AS_OF)) --vars '$(VARS)'

# Every night from FROM to TO, in order (a backfill, or a rehearsal on old data); prints each night's time.
replay:
	scripts/bootstrap.sh && . scripts/env.sh && python -m predseg.nightly replay --from $(FROM) --to $(TO) --vars '$(VARS)'

lint:
	scripts/bootstrap.sh && . scripts/env.sh && python scripts/sqlfluff_lint.py && ruff check .

clean:
	rm -rf target logs data/demo
