"""The segment_models dbt Python model, called directly: a segment whose fit raises gets status error
and a message, and the other segments are fitted as usual."""

from __future__ import annotations

import importlib.util

import duckdb
import pytest
from conftest import PROJECT_DIR

import predseg.modeling as modeling


class FakeConfig:
    def __init__(self, meta: dict):
        self.meta = meta

    def __call__(self, **kwargs) -> None:
        pass

    def meta_get(self, key, default=None):
        return self.meta.get(key, default)


class FakeDbt:
    def __init__(self, con: duckdb.DuckDBPyConnection, meta: dict):
        self.con = con
        self.config = FakeConfig(meta)
        self.is_incremental = False  # a first build: every segment is fit

    def ref(self, name: str):
        return self.con.table(name)


def load_model():
    spec = importlib.util.spec_from_file_location("segment_models", PROJECT_DIR / "python_models" / "segment_models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.model


META = {
    "min_class_rows": "50",
    "min_predicted_positives": "30",
    "regularization_c": "1.0",
    "threshold_rule": "wilson",
    "training_cutoffs": "6",
    "min_history_days": "28",
    "expected_precision_z": "1.6449",
    "calibration_rule": "newest",
    "max_feature_events": "30",
}


@pytest.fixture
def con(small_build):
    con = duckdb.connect()
    con.execute(f"attach '{small_build.database}' as built (read_only)")
    for table in [
        "int_segment_definitions",
        "int_cutoffs",
        "int_training_state",
        "int_segment_training_rows",
        "int_user_event_features",
        "int_user_features",
        "feature_catalog",
    ]:
        con.execute(f"create table {table} as select * from built.{table}")
    return con


def test_a_failing_segment_is_reported_and_the_others_still_fit(con, monkeypatch):
    real_fit = modeling.fit_segment

    def flaky_fit(rows, events, users, attributes, settings, catalog):
        if settings.past_days == 7:  # the cart abandoners segment
            raise ValueError("simulated failure")
        return real_fit(rows, events, users, attributes, settings, catalog)

    monkeypatch.setattr(modeling, "fit_segment", flaky_fit)
    result = load_model()(FakeDbt(con, META), con)
    statuses = result.drop_duplicates("segment_name").set_index("segment_name")["status"]
    messages = result.drop_duplicates("segment_name").set_index("segment_name")["status_message"]
    assert statuses["cart_abandoners_3d"] == "error"
    assert messages["cart_abandoners_3d"] == "ValueError: simulated failure"
    others = statuses.drop("cart_abandoners_3d")
    assert len(others) == 4
    assert (others != "error").all()
    assert (result[result["segment_name"] == "churn_risk_14d"]["term_kind"] == "event").any()


def test_kept_fits_keep_the_tables_column_types(con):
    """A night that keeps every fit returns the stored rows: a column null on every row (attribute_value,
    when no categorical attribute gives a term) must still come back as text, or the incremental table's
    schema check stops the build."""
    first = load_model()(FakeDbt(con, META), con)
    con.execute("update int_training_state set fit_key = 'key-' || segment_name")
    held = first.assign(fit_key="key-" + first["segment_name"].astype(str))
    con.register("held_frame", held)
    con.execute(
        "create table held_models as select * replace (cast(null as varchar) as attribute_value) from held_frame"
    )
    night = FakeDbt(con, META)
    night.is_incremental = True
    night.this = "held_models"
    kept = load_model()(night, con)
    assert len(kept) == len(first)
    con.register("kept_frame", kept)
    types = dict(con.execute("select column_name, column_type from (describe kept_frame)").fetchall())
    assert types["attribute_value"] == "VARCHAR"
    assert types["fit_key"] == "VARCHAR"
