"""A retail purchase log with known truth: one acquisition cohort, date-only purchases, sparse buyers,
and a purchase rate that falls as the cohort ages.

Every customer joins (first purchase) within ``acquisition_days`` of the start. Each has a base purchase
rate (purchases per day, gamma distributed: most buy a few times a year, some monthly), which decays with
the customer's age as ``exp(-age / decay_days)``; after each purchase a customer drops out for good with
a personal probability. Purchases are Poisson per day, written as dates (no time of day), with a value.
One event name: ``purchase``. User ids are integers.

:func:`true_purchase_probability` gives each customer's exact chance of at least one purchase in a window,
knowing the truth (rate, and whether the customer has dropped out by the cutoff): an upper bound on what
any model can rank.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class RetailConfig:
    customers: int = 3000
    days: int = 450
    seed: int = 3
    start: dt.date = dt.date(2024, 1, 1)
    acquisition_days: int = 60
    mean_purchases_per_year: float = 6.0
    rate_shape: float = 0.8
    decay_days: float = 240.0
    dropout_alpha: float = 1.0
    dropout_beta: float = 8.0


def simulate_retail(cfg: RetailConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(events, truth): events ``user_id, event_name, event_time (YYYY-MM-DD text), value``; truth one row
    per customer with ``join_day``, ``base_rate`` (per day) and ``dropout_day`` (first day inactive)."""
    rng = np.random.default_rng(cfg.seed)
    n = cfg.customers
    join_day = rng.integers(0, cfg.acquisition_days, n)
    base_rate = rng.gamma(cfg.rate_shape, cfg.mean_purchases_per_year / 365.0 / cfg.rate_shape, n)
    p_drop = rng.beta(cfg.dropout_alpha, cfg.dropout_beta, n)
    days = np.arange(cfg.days)
    age = days[None, :] - join_day[:, None]
    rate = np.where(age > 0, base_rate[:, None] * np.exp(-np.maximum(age, 0) / cfg.decay_days), 0.0)
    counts = rng.poisson(rate)
    counts[np.arange(n), join_day] += 1  # the first purchase makes the customer
    dropout_day = np.full(n, cfg.days, dtype=np.int64)
    for i in range(n):
        for d in np.flatnonzero(counts[i]):
            if d >= dropout_day[i]:
                counts[i, d:] = 0
                break
            if (rng.random(counts[i, d]) < p_drop[i]).any():
                dropout_day[i] = d + 1
                counts[i, d + 1 :] = 0
                break
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
    truth = pd.DataFrame(
        {
            "user_id": np.arange(n) + 1000,
            "join_day": join_day,
            "base_rate": base_rate,
            "p_drop": p_drop,
            "dropout_day": dropout_day,
        }
    )
    return events.sort_values(["event_time", "user_id"], kind="stable").reset_index(drop=True), truth


def true_purchase_probability(truth: pd.DataFrame, cfg: RetailConfig, cutoff_day: int, future_days: int) -> np.ndarray:
    """Each customer's chance of at least one purchase on days ``[cutoff_day, cutoff_day + future_days)``,
    given the truth at the cutoff (dropped out before it or not). A customer still active may drop out at
    a purchase in the window, which does not change whether there was one."""
    days = np.arange(cutoff_day, cutoff_day + future_days)
    age = days[None, :] - truth["join_day"].to_numpy()[:, None]
    rate = np.where(age > 0, truth["base_rate"].to_numpy()[:, None] * np.exp(-np.maximum(age, 0) / cfg.decay_days), 0)
    active = truth["dropout_day"].to_numpy() > cutoff_day
    return np.where(active, 1.0 - np.exp(-rate.sum(axis=1)), 0.0)
