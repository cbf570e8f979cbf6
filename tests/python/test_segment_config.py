"""Invalid segment configuration fails at compile time with a message naming the segment and the field;
event names are data, never SQL; a segment naming an event that never occurs gets status error with the
list of events that do occur, and the other segments are built as usual."""

from __future__ import annotations

import pytest
from conftest import DbtProject, project_on

VALID = {
    "name": "buyers_7d",
    "target_event": "purchase",
    "direction": "will_do",
    "past_days": 30,
    "future_days": 7,
    "precision": 0.6,
}


def with_changes(**changes) -> dict:
    segment = {**VALID, **changes}
    return {k: v for k, v in segment.items() if v is not None}


CASES = {
    "duplicate name": ([VALID, with_changes(target_event="app_open")], ["buyers_7d", "name", "duplicates"]),
    "name not an identifier": (
        [with_changes(name="Likely Buyers")],
        ["Likely Buyers", "'name'", "identifier"],
    ),
    "name with a quote": ([with_changes(name="x'; drop table y")], ["'name'", "identifier"]),
    "unknown direction": ([with_changes(direction="will_maybe")], ["buyers_7d", "'direction'", "will_maybe"]),
    "zero past window": ([with_changes(past_days=0)], ["buyers_7d", "'past_days'", "> 0"]),
    "negative future window": ([with_changes(future_days=-3)], ["buyers_7d", "'future_days'", "> 0"]),
    "fractional window": ([with_changes(future_days=2.5)], ["buyers_7d", "'future_days'", "whole number"]),
    "precision too low": ([with_changes(precision=0.3)], ["buyers_7d", "'precision'", "[0.5, 0.99]"]),
    "precision too high": ([with_changes(precision=1.0)], ["buyers_7d", "'precision'", "[0.5, 0.99]"]),
    "precision not a number": ([with_changes(precision="very high")], ["buyers_7d", "'precision'", "high, low"]),
    "unknown key": ([{**VALID, "precison": 0.8}], ["buyers_7d", "unknown field 'precison'"]),
    "missing field": ([with_changes(target_event=None)], ["buyers_7d", "'target_event' is required"]),
    "negative min_value": ([with_changes(min_value=-1)], ["buyers_7d", "'min_value'"]),
    "empty feature_events": ([with_changes(feature_events=[])], ["buyers_7d", "'feature_events'"]),
    "blank eligible_event": ([with_changes(eligible_event="  ")], ["buyers_7d", "'eligible_event'"]),
    # YAML reads event codes and yes / no unquoted as numbers and booleans: the error says to quote them
    "event code read as a number": (
        [with_changes(target_event=3)],
        ["buyers_7d", "'target_event'", "got 3 (YAML reads an unquoted 3 as a number", "in quotes, '3')"],
    ),
    "feature event read as a boolean": (
        [with_changes(feature_events=["purchase", True])],
        ["buyers_7d", "'feature_events'", "unquoted yes, no, on, off, true or false as a boolean"],
    ),
    "not a list": ({"name": "x"}, ["'segments' must be a non-empty list"]),
    "past_days neither days nor all": ([with_changes(past_days="forever")], ["buyers_7d", "'past_days'", "'all'"]),
    "unknown population": ([with_changes(population="everyone")], ["buyers_7d", "'population'", "all_users"]),
    "did_eligible_event without an eligible_event": (
        [with_changes(population="did_eligible_event")],
        ["buyers_7d", "'population' is did_eligible_event", "no 'eligible_event'"],
    ),
    "eligible_event with another population": (
        [with_changes(eligible_event="add_to_cart", population="all_users")],
        ["buyers_7d", "'eligible_event' only applies to population did_eligible_event"],
    ),
}


@pytest.fixture(scope="module")
def project(small_sim, tmp_path_factory) -> DbtProject:
    return project_on(small_sim, tmp_path_factory.mktemp("config"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_invalid_segment_config_fails_at_compile_time(project, case):
    segments, fragments = CASES[case]
    success, message = project.parse_in_process(vars={"segments": segments})
    assert not success, f"{case}: parse succeeded"
    assert "Compilation Error" in message
    for fragment in fragments:
        assert fragment in message, f"{case}: {fragment!r} missing from:\n{message[-2000:]}"


def test_valid_segment_config_parses(project):
    segments = [
        VALID,
        with_changes(name="other"),
        with_changes(name="lapsing", direction="will_not_do", population="all_users", past_days="all"),
        with_changes(name="abandoners", direction="will_not_do", eligible_event="add_to_cart"),
        with_changes(name="sure_buyers", precision="high"),
        with_changes(name="broad_buyers", precision="low"),
    ]
    success, message = project.parse_in_process(vars={"segments": segments})
    assert success, message


@pytest.mark.parametrize(("as_of", "fragment"), [("2026-13-01", "not a calendar date"), ("yesterday", "YYYY-MM-DD")])
def test_invalid_as_of_fails_at_compile_time(project, as_of, fragment):
    result = project.dbt("compile", "--select", "int_cutoffs", vars={"as_of": as_of}, check=False)
    assert result.returncode != 0
    assert fragment in result.stdout + result.stderr


def test_a_segment_naming_an_event_that_never_occurs_gets_status_error_and_the_others_are_built(project):
    segments = [
        with_changes(name="churn_14d", target_event="app_open", direction="will_not_do", future_days=14, precision=0.8),
        with_changes(name="ghost", target_event="purchse"),
        with_changes(name="ghost_features", feature_events=["purchase", "serch"]),
        with_changes(name="cased", target_event="Purchase", feature_events=["add-to-cart", "app_open"]),
    ]
    # with the data tests of every model built: a segment without a model must not fail them
    result = project.build_selected("+segment_model_report", "warn_segment_fit_failed", vars={"segments": segments})
    occur = "Event names that occur: add_to_cart, app_open, purchase, push_open, screen_view, search"
    output = result.stdout
    assert (
        f"segment ghost has no model (status error): target_event 'purchse' never occurs in the events. {occur}"
        in output
    )
    assert "segment ghost_features has no model (status error): feature_events 'serch' never occurs" in output
    # a name that occurs written otherwise is suggested
    assert (
        "segment cased has no model (status error): feature_events 'add-to-cart' never occurs in the events "
        "(did you mean 'add_to_cart'?); target_event 'Purchase' never occurs in the events (did you mean "
        "'purchase'?). Event names" in output
    )
    assert "Warning in test warn_segment_fit_failed" in output
    report = project.query("select segment_name, status, training_rows from segment_model_report").set_index(
        "segment_name"
    )
    assert report.loc["ghost", "status"] == "error" and report.loc["ghost_features", "status"] == "error"
    # the valid segment is fitted and scored
    assert report.loc["churn_14d", "status"] == "ok" and report.loc["churn_14d", "training_rows"] > 0
    scored = project.query(
        "select segment_name, count(*) as n, count_if(is_member) as members from segment_scores group by 1"
    )
    scored = scored.set_index("segment_name")
    assert scored.loc["churn_14d", "members"] > 0
    assert "ghost" not in scored.index or scored.loc["ghost", "members"] == 0


def test_event_names_with_sql_metacharacters_are_data(tmp_path):
    odd = 'it\'s "odd"; drop table stg_events; --'
    path = tmp_path / "events.csv"
    path.write_text(
        "user_id,event_name,event_time,value\n"
        + "".join(f'u{i},"{odd.replace(chr(34), chr(34) * 2)}",2026-03-0{1 + i % 5} 10:00:00,\n' for i in range(20))
    )
    project = DbtProject(workdir=tmp_path, vars={"events_path": str(path), "user_attributes_path": None})
    segments = [with_changes(name="odd", target_event=odd, direction="will_not_do", past_days=2, future_days=1)]
    project.dbt(
        "run",
        "--select",
        "+int_segment_labels",
        vars={"segments": segments, "training_cutoffs": 2, "min_history_days": 1},
    )
    definitions = project.query("select target_event from int_segment_definitions")
    assert definitions["target_event"].tolist() == [odd]
    assert project.query("select count(*) as n from stg_events")["n"][0] == 20
    assert project.query("select count(*) as n from int_segment_labels")["n"][0] > 0
