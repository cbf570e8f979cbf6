"""Retail purchase logs whose base rate moves, with known truth: the drift scenarios.

One event name, ``purchase``, written as dates (no time of day), with a value; integer user ids. Every
customer has a base purchase rate (purchases per day, gamma distributed: most buy a few times a year, some
monthly) and a personal chance of dropping out for good after each purchase. What moves the base rate is
the scenario:

- ``ageing``: one acquisition cohort (everyone joins in the first ``acquisition_days``); each customer's
  rate decays with their age, ``exp(-age / decay_days)``, so the cohort's purchase rate falls month by
  month (the public retail log the project was measured on looks like this).
- ``growth``: customers keep joining over the whole period and everyone's rate rises with calendar time,
  ``exp(t / growth_days)``: the purchase rate climbs.
- ``seasonal``: customers keep joining; the rate follows a yearly cycle (peak around day ``season_peak_day``
  of the year, amplitude ``season_amplitude``) and a weekly one (weekends busier).

:func:`daily_rates` is the exact rate every customer was simulated with on every day, and
:func:`true_purchase_probability` the chance of at least one purchase in a window given the truth at a
cutoff (whether the customer has dropped out): an upper bound on what any model can rank.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SCENARIOS = ("ageing", "growth", "seasonal")


@dataclass(frozen=True)
class RetailConfig:
    customers: int = 3000
    days: int = 450
    seed: int = 3
    start: dt.date = dt.date(2024, 1, 1)
    scenario: str = "ageing"
    acquisition_days: int = 60
    mean_purchases_per_year: float = 12.0
    rate_shape: float = 0.6
    decay_days: float = 300.0
    growth_days: float = 400.0
    season_amplitude: float = 0.5
    season_peak_day: int = 330
    weekend_factor: float = 1.4
    dropout_alpha: float = 1.0
    dropout_beta: float = 20.0


def _join_days(cfg: RetailConfig, rng: np.random.Generator) -> np.ndarray:
    if cfg.scenario == "ageing":
        return rng.integers(0, cfg.acquisition_days, cfg.customers)
    return rng.integers(0, max(cfg.days - 30, 1), cfg.customers)  # a steady inflow


def calendar_factor(cfg: RetailConfig, days: np.ndarray) -> np.ndarray:
    """The scenario's multiplier of every rate on each simulation day (1 for ageing)."""
    if cfg.scenario == "growth":
        return np.exp(days / cfg.growth_days)
    if cfg.scenario == "seasonal":
        day_of_year = np.array([(cfg.start + dt.timedelta(days=int(d))).timetuple().tm_yday for d in days])
        weekday = np.array([(cfg.start + dt.timedelta(days=int(d))).weekday() for d in days])
        yearly = 1.0 + cfg.season_amplitude * np.cos(2 * np.pi * (day_of_year - cfg.season_peak_day) / 365.25)
        weekly = np.where(weekday >= 5, cfg.weekend_factor, (7 - 2 * cfg.weekend_factor) / 5)
        return yearly * weekly
    return np.ones(len(days))


def daily_rates(truth: pd.DataFrame, cfg: RetailConfig, day_from: int, day_to: int) -> np.ndarray:
    """The rate (expected purchases) of every customer on simulation days ``[day_from, day_to)``, before
    dropout: base rate x ageing decay (ageing only) x the scenario's calendar factor, 0 before joining."""
    days = np.arange(day_from, day_to)
    age = days[None, :] - truth["join_day"].to_numpy()[:, None]
    rate = truth["base_rate"].to_numpy()[:, None] * calendar_factor(cfg, days)[None, :]
    if cfg.scenario == "ageing":
        rate = rate * np.exp(-np.maximum(age, 0) / cfg.decay_days)
    return np.where(age > 0, rate, 0.0)


def simulate_retail(cfg: RetailConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(events, truth): events ``user_id, event_name, event_time (YYYY-MM-DD text), value``; truth one row
    per customer with ``join_day``, ``base_rate`` (per day), ``p_drop`` and ``dropout_day`` (first day
    inactive; ``days`` when never)."""
    if cfg.scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {cfg.scenario!r}; use one of {SCENARIOS}")
    rng = np.random.default_rng(cfg.seed)
    n = cfg.customers
    truth = pd.DataFrame(
        {
            "user_id": np.arange(n) + 1000,
            "join_day": _join_days(cfg, rng),
            "base_rate": rng.gamma(cfg.rate_shape, cfg.mean_purchases_per_year / 365.0 / cfg.rate_shape, n),
            "p_drop": rng.beta(cfg.dropout_alpha, cfg.dropout_beta, n),
        }
    )
    counts = rng.poisson(daily_rates(truth, cfg, 0, cfg.days))
    join_day = truth["join_day"].to_numpy()
    counts[np.arange(n), join_day] += 1  # the first purchase makes the customer
    dropout_day = np.full(n, cfg.days, dtype=np.int64)
    p_drop = truth["p_drop"].to_numpy()
    for i in range(n):
        for d in np.flatnonzero(counts[i]):
            if (rng.random(counts[i, d]) < p_drop[i]).any():
                dropout_day[i] = d + 1
                counts[i, d + 1 :] = 0
                break
    truth["dropout_day"] = dropout_day
    user, day = np.nonzero(counts)
    repeats = counts[user, day]
    user, day = np.repeat(user, repeats), np.repeat(day, repeats)
    dates = pd.to_datetime(cfg.start) + pd.to_timedelta(day, unit="D")
    events = pd.DataFrame(
        {
            "user_id": (user + 1000).astype(np.int64),
            "event_name": "purchase",
            "event_time": dates.strftime("%Y-%m-%d"),
            "value": np.round(np.exp(rng.normal(3.5, 0.6, len(user))), 2),
        }
    )
    return events.sort_values(["event_time", "user_id"], kind="stable").reset_index(drop=True), truth


def true_purchase_probability(truth: pd.DataFrame, cfg: RetailConfig, cutoff_day: int, future_days: int) -> np.ndarray:
    """Each customer's chance of at least one purchase on days ``[cutoff_day, cutoff_day + future_days)``,
    given the truth at the cutoff (dropped out before it or not). A customer still active may drop out at
    a purchase in the window, which does not change whether there was one."""
    rate = daily_rates(truth, cfg, cutoff_day, cutoff_day + future_days)
    active = truth["dropout_day"].to_numpy() > cutoff_day
    return np.where(active, 1.0 - np.exp(-rate.sum(axis=1)), 0.0)


def write_retail(events: pd.DataFrame, truth: pd.DataFrame, cfg: RetailConfig, out: Path) -> None:
    """events.csv (date-only text, as such logs come), truth.parquet and scenario.json into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    events.to_csv(out / "events.csv", index=False)
    truth.to_parquet(out / "truth.parquet", index=False)
    (out / "scenario.json").write_text(json.dumps({**asdict(cfg), "start": cfg.start.isoformat()}, indent=2))


def load_retail(out: Path) -> tuple[pd.DataFrame, RetailConfig]:
    meta = json.loads((out / "scenario.json").read_text())
    meta["start"] = dt.date.fromisoformat(meta["start"])
    return pd.read_parquet(out / "truth.parquet"), RetailConfig(**meta)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Simulate a retail purchase log whose base rate moves.")
    parser.add_argument("--scenario", choices=SCENARIOS, default="ageing")
    parser.add_argument("--customers", type=int, default=RetailConfig.customers)
    parser.add_argument("--days", type=int, default=RetailConfig.days)
    parser.add_argument("--seed", type=int, default=RetailConfig.seed)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    cfg = RetailConfig(customers=args.customers, days=args.days, seed=args.seed, scenario=args.scenario)
    events, truth = simulate_retail(cfg)
    write_retail(events, truth, cfg, args.out)
    print(
        f"{cfg.scenario}: {len(events):,} purchases by {cfg.customers:,} customers over {cfg.days} days -> {args.out}"
    )


if __name__ == "__main__":
    main()
