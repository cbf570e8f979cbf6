"""The tests' dbt calls start from an earlier call's parse when only the vars changed, parsing again only the
files that read a changed var (dbt_var_tracking.py). These check that such a parse is the full parse's,
node for node, and that the check would see one that missed a var."""

from __future__ import annotations

import os

import dbt_var_tracking
import pytest
from conftest import DbtProject

pytestmark = pytest.mark.skipif(
    os.environ.get("PREDSEG_TEST_PARSE_REUSE", "1") == "0", reason="parses are not reused (PREDSEG_TEST_PARSE_REUSE=0)"
)

# each read at parse time by other files: a source's location (a schema file's entry), the materialization
# of the user-level features, the columns of the features and the model input, an argument of a schema
# file's generic test, the staging of event names, a singular test's and the best hours' thresholds
CHANGED_VARS = {
    "events_path": "events.parquet",
    "refit_every_days": 1,
    "categorical_attributes": ["country"],
    "max_event_value": 5,
    "single_event_name": "purchase",
    "min_best_hour_active_days": 4,
}


def test_a_parse_started_from_other_vars_equals_a_full_parse_and_parses_only_what_read_them(tmp_path):
    checked = dbt_var_tracking.set_checking(True)
    try:
        base = {"events_path": str(tmp_path / "events.csv")}
        DbtProject(workdir=tmp_path / "first", vars=base).dbt("parse")
        for name, value in CHANGED_VARS.items():
            value = str(tmp_path / value) if name == "events_path" else value
            DbtProject(workdir=tmp_path / name, vars={**base, name: value}).dbt("parse")
    finally:
        dbt_var_tracking.set_checking(False)
    # every call after the first started from the one before (and, checked, parsed as a full parse does)
    assert len(checked) >= len(CHANGED_VARS), checked
    for parsed, full in checked[-len(CHANGED_VARS) :]:
        assert 0 < parsed < full / 4, checked


def test_the_check_fails_a_parse_that_missed_a_var_read(tmp_path, monkeypatch):
    # the nodes' reads go unrecorded: a changed materialization is not parsed again
    monkeypatch.setattr(dbt_var_tracking, "record_node_read", lambda node, config, name: None)
    checked = dbt_var_tracking.set_checking(True)
    try:
        DbtProject(workdir=tmp_path / "weekly", vars={"refit_every_days": 7}).dbt("parse")
        result = DbtProject(workdir=tmp_path / "daily", vars={"refit_every_days": 1}).dbt("parse", check=False)
    finally:
        dbt_var_tracking.set_checking(False)
        dbt_var_tracking.forget_saved_parses()  # they lack the reads: no later call may start from them
    assert result.returncode != 0
    assert "differs from a full parse" in result.stdout, result.stdout[-2000:]
    assert "int_user_features" in result.stdout, result.stdout[-2000:]
    assert checked, "the call with other vars started from the first call's parse"
