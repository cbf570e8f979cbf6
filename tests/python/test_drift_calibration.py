"""On drifting data with known truth (predseg.retail): today's calibrated probabilities add up to the base
rate the simulation really had after as_of, and the audience chosen by expected precision realises the
precision it promised. (Whether calibration beats no calibration is a question for many cells, not one:
`make drift-eval` measures it, docs/modeling.md records it; the last test runs that evaluation on a small
scenario.)"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import DbtProject, run_dbt_in_process

from predseg import drift_eval
from predseg.retail import RetailConfig, simulate_retail, true_purchase_probability, write_retail

SEGMENT = {
    "name": "buyers_30d",
    "target_event": "purchase",
    "direction": "will_do",
    "past_days": 90,
    "future_days": 30,
    "precision": "low",
}


@pytest.fixture(scope="module", params=["ageing", "growth"])
def drifting(request, tmp_path_factory):
    cfg = RetailConfig(scenario=request.param, customers=6000, days=450, seed=11)
    events, truth = simulate_retail(cfg)
    out = tmp_path_factory.mktemp(request.param)
    write_retail(events, truth, cfg, out)
    as_of_day = {"ageing": 300, "growth": 400}[request.param]
    as_of = cfg.start + dt.timedelta(days=as_of_day - 1)
    project = DbtProject(
        workdir=out, vars={"events_path": str(out / "events.csv"), "as_of": str(as_of), "segments": [SEGMENT]}
    )
    project.build_models("--select", "+segment_model_report", "+segment_members")  # the segment, not the rest
    return request.param, cfg, truth, events, as_of_day, project


def test_todays_calibrated_probabilities_add_up_to_the_true_base_rate(drifting):
    scenario, cfg, truth, _, as_of_day, project = drifting
    report = project.query("select * from segment_model_report").iloc[0]
    assert report.status == "ok", report.status_message
    assert report.precision_level == "low" and report.requested_precision == pytest.approx(0.65)
    scores = project.query("select user_id, logit, probability from int_segment_scores where model_role = 'scoring'")
    oracle = pd.Series(true_purchase_probability(truth, cfg, as_of_day, 30), index=truth["user_id"].astype(str))
    true_base_rate = oracle.loc[scores["user_id"]].mean()
    uncalibrated = float((1 / (1 + np.exp(-scores["logit"]))).mean())
    calibrated = float(scores["probability"].mean())
    print(
        f"{scenario}: offset {report.calibration_offset:.3f}, base rate today: uncalibrated {uncalibrated:.4f}, "
        f"calibrated {calibrated:.4f}, true {true_base_rate:.4f}"
    )
    assert calibrated == pytest.approx(report.expected_base_rate_today, rel=1e-9)
    assert calibrated == pytest.approx(true_base_rate, rel=0.05)


def test_the_audience_keeps_its_promise_after_as_of(drifting):
    scenario, cfg, _, events, as_of_day, project = drifting
    report = project.query("select * from segment_model_report").iloc[0]
    members = project.query("select user_id from segment_members")["user_id"]
    start = pd.Timestamp(cfg.start) + pd.Timedelta(days=as_of_day)
    window = events[
        (pd.to_datetime(events["event_time"]) >= start)
        & (pd.to_datetime(events["event_time"]) < start + pd.Timedelta(days=30))
    ]
    bought = set(window["user_id"].astype(str))
    realised = members.isin(bought).mean()
    print(f"{scenario}: {len(members)} members, promised {report.expected_precision:.3f}, realised {realised:.3f}")
    assert len(members) >= 30
    assert realised >= report.requested_precision - 0.02
    assert report.expected_precision_low <= report.expected_precision <= report.expected_precision_high


def test_the_drift_evaluation_judges_every_rule_on_every_cell(tmp_path, monkeypatch):
    """`make drift-eval` on one small scenario and one as_of date: its dbt run builds every table the
    evaluation reads, every rule is judged on each of the 8 cells (2 future windows x 4 precisions), and
    today's scores rank the buyers the simulation really made better than chance. Vars given to it (here a
    panel smaller than the customers) reach its dbt runs. With --refit-on-weekly-grid the date's database is
    first built as of its refit day on a weekly grid (6 days before this date), and the date's own run keeps
    that refit day, as a scheduled night between weekly refits does."""
    commands = []

    def run_dbt(cmd, env):
        commands.append(cmd)
        return run_dbt_in_process(cmd[1:], env)

    monkeypatch.setattr(drift_eval, "run_dbt", run_dbt)
    cells = drift_eval.run_scenario(
        "growth",
        1,
        tmp_path,
        days=200,
        seed=3,
        reuse=False,
        customers=1200,
        extra_vars={"training_panel_users": 900},
        refit_on_weekly_grid=True,
    )
    given = [json.loads(command[command.index("--vars") + 1]) for command in commands]
    assert [night["as_of"] for night in given] == ["2024-06-12", "2024-06-18"]
    assert all(night["training_panel_users"] == 900 for night in given)
    (database,) = (tmp_path / "growth").glob("as_of_*.duckdb")
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select count(*) from int_training_panel").fetchone()[0] == 900
        refit_days = con.execute(
            "select strftime(scoring_cutoff_at, '%Y-%m-%d'), strftime(refit_anchor_at, '%Y-%m-%d') "
            "from int_refit_days order by 1"
        ).fetchall()
        assert refit_days == [("2024-06-13", "2024-06-13"), ("2024-06-19", "2024-06-13")]
        newest = con.execute("select max(cutoff_at) from int_cutoffs where cutoff_role = 'training'").fetchone()[0]
        # the 7-day segments' newest training cutoff: 7 days before the refit day, not before 2024-06-19
        assert newest == dt.datetime(2024, 6, 6)
    assert sorted((c.future_days, c.precision) for c in cells) == sorted(
        (f, p) for f in drift_eval.FUTURE_DAYS for p in drift_eval.PRECISIONS
    )
    for cell in cells:
        assert set(drift_eval.RULES) <= set(cell.results), cell
        assert cell.auc is not None and cell.auc > 0.6, cell
        for result in cell.results.values():
            assert result is None or (0 <= result[0] <= 1 and 0 <= result[1] <= 1 and result[2] >= 1), cell
    summary = drift_eval.summarize(cells)
    print(summary.to_string())
    assert set(summary["rule"]) >= set(drift_eval.RULES)
    assert (summary.set_index("rule").loc[list(drift_eval.RULES), "cells"] == len(cells)).all()
    assert summary.set_index("rule").loc["expected", "non_empty"] >= 1


def test_arguments_the_evaluation_cannot_take_stop_it_before_it_simulates(monkeypatch, capsys):
    monkeypatch.setattr(drift_eval, "run_scenario", lambda *a, **k: pytest.fail("ran despite the vars"))
    with pytest.raises(SystemExit) as stopped:
        drift_eval.main(["--vars", "{as_of: 2025-01-01, training_panel_users: 900}"])
    assert stopped.value.code == 2
    assert "--vars cannot set as_of" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        drift_eval.main(["--precisions", "0.5", "0.3"])
    assert stopped.value.code == 2
    assert "--precisions must lie in [0.5, 0.99], as a segment's precision does: got [0.3]" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:
        drift_eval.main(["--as-of-spacing", "0"])
    assert stopped.value.code == 2
    assert "--as-of-spacing must be at least 1 day: got 0" in capsys.readouterr().err
