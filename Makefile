.PHONY: demo test bench lint clean

# The main job: simulate demo events, dbt build everything on DuckDB, print a summary.
demo:
	scripts/demo.sh

# Every test: dbt build with data and unit tests, pytest, sqlfluff, ruff.
test:
	scripts/test.sh

# 200k users / ~10M events: times and peak memory (not a test).
bench:
	scripts/bench.sh

lint:
	scripts/bootstrap.sh && . scripts/env.sh && sqlfluff lint models tests/intermediate tests/staging tests/marts && ruff check .

clean:
	rm -rf target logs data/demo
