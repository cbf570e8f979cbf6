"""Deterministic event simulator for an app with known ground truth.

Every user has a latent engagement level (expected sessions per day) that drifts week by week, a weekday
rhythm, a time zone and preferred local hours. Some users churn: over a decline phase their session rate
falls to a third (gaps stretch from about 2 days to about 6) and then stops. Sessions emit ``app_open``,
``screen_view``, ``search``, ``add_to_cart``, ``purchase`` (with a ``value``) and ``push_open`` events.

The simulator writes three Parquet files plus the ground truth it used:

- ``events.parquet``: ``user_id, event_name, event_time (UTC, naive), value``
- ``user_attributes.parquet``: ``user_id, plan, device, signup_date, timezone``
- ``truth_users.parquet``: per-user parameters (churn date, per-session event probabilities, preferred hours)
- ``truth_weekly_levels.parquet``: the drifting engagement level per user and week

:func:`expected_sessions` rebuilds the exact daily session rate the simulator sampled from, and
:func:`true_propensity` turns it into the probability that a user does an event within a window, which is
what a perfect model (the oracle) would rank users by.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

EVENT_NAMES = ("app_open", "screen_view", "search", "add_to_cart", "purchase", "push_open")
TIMEZONES = (
    "UTC",
    "Europe/London",
    "Europe/Istanbul",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
)
TIMEZONE_WEIGHTS = (0.10, 0.15, 0.25, 0.15, 0.10, 0.10, 0.10, 0.05)
PLANS = ("free", "plus", "pro")
PLAN_WEIGHTS = (0.7, 0.2, 0.1)
PLAN_MEAN_VALUE = (35.0, 55.0, 90.0)
DEVICES = ("ios", "android", "web")
DEVICE_WEIGHTS = (0.45, 0.4, 0.15)
# Local hours people favour: a morning, a lunch and an evening peak.
PREFERRED_HOURS = np.array([7, 8, 9, 12, 13, 18, 19, 20, 21, 22])
PREFERRED_HOUR_WEIGHTS = np.array([0.05, 0.1, 0.07, 0.1, 0.08, 0.1, 0.14, 0.16, 0.13, 0.07])

SHARE_AT_PREFERRED_HOUR = 0.55
SHARE_AT_SECOND_HOUR = 0.20
CHURN_SLOWDOWN = 3.0  # the session rate falls by this factor over the decline phase
LEVEL_PERSISTENCE = 0.8  # weekly AR(1) coefficient of the log engagement level
DECLINE_DAYS = (21, 42)  # a churning user's decline lasts this many days (uniform), then sessions stop
SCREENS_PER_SESSION = 0.4  # mean screen_view events per session (Poisson)
DECLINE_SCREENS_PER_SESSION = 0.05
DECLINE_PUSH_FACTOR = 0.2


@dataclass(frozen=True)
class SimulationConfig:
    users: int = 20_000
    days: int = 120
    seed: int = 42
    start: dt.date = dt.date(2026, 1, 5)
    churn_share: float = 0.65
    median_sessions_per_day: float = 0.5
    # Latent behaviour groups (0: none). Each user belongs to one of the first ``latent_groups`` entries of
    # BEHAVIOUR_GROUPS, which scale their session rate and purchase value and shift their shopping intent;
    # truth_users records it (latent_group). Off by default, so the demo's users are drawn as before.
    latent_groups: int = 0
    # User ids are this prefix and a 7-digit number: simulations with different prefixes (and seeds) can be
    # written side by side as the parts of one bigger event set (the benchmark's heavy size).
    user_prefix: str = "u"


# name, session-rate factor, shopping-intent shift, purchase-value factor: groups a clustering should find
BEHAVIOUR_GROUPS = (
    ("power_shoppers", 4.0, 3.0, 2.0),
    ("browsers", 4.0, -3.0, 0.5),
    ("occasional_big_spenders", 0.5, 3.0, 3.0),
    ("light_users", 0.5, -3.0, 0.5),
)


def _draw_users(cfg: SimulationConfig, rng: np.random.Generator) -> pd.DataFrame:
    n = cfg.users
    # More users join early than late, so most have history by the end of the period.
    signup_day = np.floor(cfg.days * 0.85 * rng.random(n) ** 1.6).astype(np.int32)
    base_rate = cfg.median_sessions_per_day * np.exp(rng.normal(0.0, 0.5, n))
    will_churn = rng.random(n) < cfg.churn_share
    decline_start = signup_day + np.floor(rng.exponential(25.0, n)).astype(np.int32) + 7
    decline_days = rng.integers(DECLINE_DAYS[0], DECLINE_DAYS[1] + 1, n).astype(np.int32)
    churn_day = decline_start + decline_days
    never = np.iinfo(np.int32).max // 2
    decline_start = np.where(will_churn, decline_start, never).astype(np.int32)
    churn_day = np.where(will_churn, churn_day, never).astype(np.int32)

    plan_idx = rng.choice(len(PLANS), n, p=PLAN_WEIGHTS)
    # One latent shopping intent drives both searching (frequent, so it reveals the intent) and carting.
    intent = rng.normal(0.0, 1.0, n)
    # Behaviour groups come from their own random stream, so the draws above are the same with or without.
    group = np.full(n, -1, dtype=np.int32)
    if cfg.latent_groups:
        if not 0 < cfg.latent_groups <= len(BEHAVIOUR_GROUPS):
            raise ValueError(f"latent_groups must be between 1 and {len(BEHAVIOUR_GROUPS)}")
        group = np.random.default_rng([cfg.seed, 7]).integers(0, cfg.latent_groups, n).astype(np.int32)
        table = np.array([g[1:] for g in BEHAVIOUR_GROUPS[: cfg.latent_groups]])
        base_rate = base_rate * table[group, 0]
        intent = intent + table[group, 1]
    p_search = 1.0 / (1.0 + np.exp(-(-0.4 + 1.2 * intent)))
    p_cart = np.clip((1.0 + 0.3 * plan_idx) / (1.0 + np.exp(-(-1.9 + 0.7 * intent))), 0.0, 0.9)
    users = pd.DataFrame(
        {
            "user_id": np.char.add(cfg.user_prefix, np.char.zfill(np.arange(1, n + 1).astype(str), 7)),
            "signup_day": signup_day,
            "base_sessions_per_day": base_rate,
            "decline_start_day": decline_start,
            "churn_day": churn_day,
            "timezone": np.array(TIMEZONES)[rng.choice(len(TIMEZONES), n, p=TIMEZONE_WEIGHTS)],
            "plan": np.array(PLANS)[plan_idx],
            "device": np.array(DEVICES)[rng.choice(len(DEVICES), n, p=DEVICE_WEIGHTS)],
            "mean_purchase_value": np.array(PLAN_MEAN_VALUE)[plan_idx]
            * np.exp(rng.normal(0.0, 0.3, n))
            * (np.array([g[3] for g in BEHAVIOUR_GROUPS])[np.maximum(group, 0)] if cfg.latent_groups else 1.0),
            "p_push": rng.beta(1.5, 6.0, n),
            "p_search": p_search,
            "p_cart": p_cart,
            "p_buy_given_cart": rng.beta(10.0, 20.0, n),
        }
    )
    hour_probs = PREFERRED_HOUR_WEIGHTS / PREFERRED_HOUR_WEIGHTS.sum()
    first = rng.choice(PREFERRED_HOURS, n, p=hour_probs)
    # The second favourite hour sits at least three hours away from the first.
    second = (first + rng.integers(3, 22, n)) % 24
    users["latent_group"] = group
    users["preferred_hour"] = first.astype(np.int32)
    users["second_hour"] = second.astype(np.int32)
    weekday = np.exp(rng.normal(0.0, 0.35, (n, 7)))
    weekday = weekday / weekday.mean(axis=1, keepdims=True)
    for d in range(7):
        users[f"weekday_weight_{d}"] = weekday[:, d]
    return users


def _draw_weekly_levels(cfg: SimulationConfig, rng: np.random.Generator) -> np.ndarray:
    """A mean-reverting random walk on the log engagement level, one step per week."""
    weeks = cfg.days // 7 + 1
    levels = np.zeros((cfg.users, weeks), dtype=np.float64)
    state = rng.normal(0.0, 0.2, cfg.users)
    for w in range(weeks):
        levels[:, w] = state
        state = LEVEL_PERSISTENCE * state + rng.normal(0.0, 0.12, cfg.users)
    return levels


def expected_sessions(
    users: pd.DataFrame, weekly_levels: np.ndarray, start: dt.date, day_from: int, day_to: int
) -> np.ndarray:
    """Expected sessions per user and day for simulation days ``[day_from, day_to)``.

    Day ``d`` is ``start + d`` in each user's local calendar. This is the rate the simulator sampled from.
    """
    days = np.arange(day_from, day_to)
    n_weeks = weekly_levels.shape[1]
    level = np.exp(weekly_levels[:, np.clip(days // 7, 0, n_weeks - 1)])
    weekday_index = np.array([(start + dt.timedelta(days=int(d))).weekday() for d in days])
    weekday_cols = users[[f"weekday_weight_{d}" for d in range(7)]].to_numpy()
    weekday = weekday_cols[:, weekday_index]
    base = users["base_sessions_per_day"].to_numpy()[:, None]
    signup = users["signup_day"].to_numpy()[:, None]
    decline = users["decline_start_day"].to_numpy()[:, None].astype(np.float64)
    churn = users["churn_day"].to_numpy()[:, None].astype(np.float64)
    into_decline = np.clip((days[None, :] - decline) / np.maximum(churn - decline, 1.0), 0.0, 1.0)
    churn_factor = np.exp(-np.log(CHURN_SLOWDOWN) * into_decline)
    alive = (days[None, :] >= signup) & (days[None, :] < churn)
    return np.where(alive, base * level * weekday * churn_factor, 0.0)


def per_session_probability(users: pd.DataFrame, event_name: str) -> np.ndarray:
    """Probability that one session contains at least one ``event_name`` (outside a churn decline, which
    makes sessions shallower: for screen_view and push_open this is then an upper bound)."""
    n = len(users)
    if event_name == "app_open":
        return np.ones(n)
    if event_name == "screen_view":
        return np.full(n, 1.0 - np.exp(-SCREENS_PER_SESSION))
    if event_name == "search":
        return users["p_search"].to_numpy()
    if event_name == "add_to_cart":
        return users["p_cart"].to_numpy()
    if event_name == "purchase":
        return (users["p_cart"] * users["p_buy_given_cart"]).to_numpy()
    if event_name == "push_open":
        return users["p_push"].to_numpy()
    raise ValueError(f"unknown event {event_name!r}; the simulator emits {', '.join(EVENT_NAMES)}")


def state_at_cutoff(
    users: pd.DataFrame, weekly_levels: np.ndarray, start: dt.date, cutoff: dt.date
) -> tuple[pd.DataFrame, np.ndarray]:
    """What could be known about each user at ``cutoff``: engagement levels up to the cutoff's week, the
    mean-reverting expectation after it, and a churn decline only if it has already begun."""
    cutoff_day = (cutoff - start).days
    known_weeks = (cutoff_day - 1) // 7 + 1
    levels = weekly_levels.copy()
    last = levels[:, known_weeks - 1]
    for w in range(known_weeks, levels.shape[1]):
        levels[:, w] = last * LEVEL_PERSISTENCE ** (w - known_weeks + 1)
    known = users.copy()
    not_begun = known["decline_start_day"] >= cutoff_day
    never = np.iinfo(np.int32).max // 2
    known.loc[not_begun, "decline_start_day"] = never
    known.loc[not_begun, "churn_day"] = never
    return known, levels


def true_propensity(
    users: pd.DataFrame,
    weekly_levels: np.ndarray,
    start: dt.date,
    cutoff: dt.date,
    future_days: int,
    event_name: str,
    information: str = "cutoff",
) -> np.ndarray:
    """P(user does ``event_name`` at least once in ``[cutoff, cutoff + future_days)``).

    Sessions are Poisson, and each contains the event independently, so the count of sessions with the
    event is Poisson with mean ``sum(rate) * p``. With ``information='cutoff'`` (the oracle a model could at
    best match) the rate uses only the latent state at the cutoff (see :func:`state_at_cutoff`); with
    ``'hindsight'`` it uses the realised future engagement too.
    """
    day_from = (cutoff - start).days
    p = per_session_probability(users, event_name)

    def chance(known: pd.DataFrame, levels: np.ndarray) -> np.ndarray:
        rate = expected_sessions(known, levels, start, day_from, day_from + future_days).sum(axis=1)
        return 1.0 - np.exp(-rate * p)

    if information == "hindsight":
        return chance(users, weekly_levels)
    if information != "cutoff":
        raise ValueError("information must be 'cutoff' or 'hindsight'")
    known, levels = state_at_cutoff(users, weekly_levels, start, cutoff)
    result = chance(known, levels)
    # A decline under way at the cutoff: how long it lasts is not known yet, only that it has not ended.
    # Average over the decline lengths still possible.
    decline_start = known["decline_start_day"].to_numpy()
    declining = (decline_start < day_from) & (known["churn_day"].to_numpy() > day_from)
    if declining.any():
        subset = known[declining].copy()
        elapsed = day_from - decline_start[declining]
        total = np.zeros(declining.sum())
        weight = np.zeros(declining.sum())
        for length in range(DECLINE_DAYS[0], DECLINE_DAYS[1] + 1):
            possible = length > elapsed
            subset["churn_day"] = decline_start[declining] + length
            rate = expected_sessions(subset, levels[declining], start, day_from, day_from + future_days).sum(axis=1)
            total += np.where(possible, 1.0 - np.exp(-rate * p[declining]), 0.0)
            weight += possible
        result[declining] = total / np.maximum(weight, 1)
    return result


def _local_to_utc(local: pd.Series, timezone: pd.Series) -> np.ndarray:
    out = np.empty(len(local), dtype="datetime64[us]")
    for tz in timezone.unique():
        mask = (timezone == tz).to_numpy()
        idx = pd.DatetimeIndex(local[mask].to_numpy())
        utc = idx.tz_localize(tz, nonexistent="shift_forward", ambiguous=np.zeros(mask.sum(), dtype=bool))
        out[mask] = utc.tz_convert("UTC").tz_localize(None).to_numpy().astype("datetime64[us]")
    return out


def simulate(
    cfg: SimulationConfig, progress: Callable[[str], None] | None = None
) -> dict[str, pd.DataFrame | pa.Table]:
    """Run the simulation. Returns the events as an Arrow table and the rest as pandas frames. ``progress``,
    when given, is called with a line at each step (for big sizes)."""
    say = progress or (lambda _: None)
    rng = np.random.default_rng(cfg.seed)
    say(f"drawing {cfg.users:,} users and their weekly engagement over {cfg.days} days")
    users = _draw_users(cfg, rng)
    levels = _draw_weekly_levels(cfg, rng)
    rate = expected_sessions(users, levels, cfg.start, 0, cfg.days)
    say("drawing sessions")
    sessions_per_day = rng.poisson(rate.astype(np.float64))
    user_idx, day_idx = np.nonzero(sessions_per_day)
    reps = sessions_per_day[user_idx, day_idx]
    s_user = np.repeat(user_idx, reps).astype(np.int64)
    s_day = np.repeat(day_idx, reps).astype(np.int64)
    n_sessions = len(s_user)

    # Session start in local time: mostly at the preferred hour, sometimes the second one, else anywhere
    # between 07:00 and 23:59.
    pick = rng.random(n_sessions)
    hour = np.where(
        pick < SHARE_AT_PREFERRED_HOUR,
        users["preferred_hour"].to_numpy()[s_user],
        np.where(
            pick < SHARE_AT_PREFERRED_HOUR + SHARE_AT_SECOND_HOUR,
            users["second_hour"].to_numpy()[s_user],
            rng.integers(7, 24, n_sessions),
        ),
    )
    second_of_hour = rng.integers(0, 3000, n_sessions)  # leave room for the session's events
    start64 = np.datetime64(cfg.start, "s")
    local = (
        start64
        + s_day.astype("timedelta64[D]").astype("timedelta64[s]")
        + (hour * 3600 + second_of_hour).astype("timedelta64[s]")
    )
    session_utc = _local_to_utc(pd.Series(local), users["timezone"].iloc[s_user].reset_index(drop=True))

    say(f"{n_sessions:,} sessions: drawing their events")
    # Events per session. A declining user's sessions are shallower and rarely come from a push: the
    # disengagement shows in session depth before the sessions stop.
    declining = s_day >= users["decline_start_day"].to_numpy()[s_user]
    push_factor = np.where(declining, DECLINE_PUSH_FACTOR, 1.0)
    from_push = rng.random(n_sessions) < users["p_push"].to_numpy()[s_user] * push_factor
    n_screens = rng.poisson(np.where(declining, DECLINE_SCREENS_PER_SESSION, SCREENS_PER_SESSION))
    has_search = rng.random(n_sessions) < users["p_search"].to_numpy()[s_user]
    n_search = np.where(has_search, 1 + rng.poisson(0.3, n_sessions), 0)
    has_cart = rng.random(n_sessions) < users["p_cart"].to_numpy()[s_user]
    has_purchase = has_cart & (rng.random(n_sessions) < users["p_buy_given_cart"].to_numpy()[s_user])

    parts: list[tuple[np.ndarray, np.ndarray, int]] = []  # (session index, position in session, event code)
    sessions = np.arange(n_sessions)
    parts.append((sessions[from_push], np.zeros(from_push.sum(), dtype=np.int64), EVENT_NAMES.index("push_open")))
    parts.append((sessions, np.ones(n_sessions, dtype=np.int64), EVENT_NAMES.index("app_open")))
    for count, code, offset in (
        (n_screens, EVENT_NAMES.index("screen_view"), 2),
        (n_search, EVENT_NAMES.index("search"), 20),
    ):
        s = np.repeat(sessions, count)
        within = np.arange(len(s)) - np.repeat(np.cumsum(count) - count, count)
        parts.append((s, offset + 2 * within, code))
    parts.append((sessions[has_cart], np.full(has_cart.sum(), 40, dtype=np.int64), EVENT_NAMES.index("add_to_cart")))
    parts.append(
        (
            sessions[has_purchase],
            np.full(has_purchase.sum(), 45, dtype=np.int64),
            EVENT_NAMES.index("purchase"),
        )
    )
    e_session = np.concatenate([p[0] for p in parts])
    e_pos = np.concatenate([p[1] for p in parts])
    e_code = np.concatenate([np.full(len(p[0]), p[2], dtype=np.int8) for p in parts])
    order = np.lexsort((e_pos, e_session))
    e_session, e_pos, e_code = e_session[order], e_pos[order], e_code[order]
    jitter = rng.integers(5, 25, len(e_session))
    e_time = (session_utc[e_session] + (e_pos * 30 + jitter).astype("timedelta64[s]")).astype("datetime64[us]")
    e_user = s_user[e_session]

    # The export ends at the UTC midnight after the last simulated day: later events (sessions of users west
    # of UTC on the last local day) are not in it, so every exported UTC day is complete.
    export_end = np.datetime64(cfg.start + dt.timedelta(days=cfg.days), "us")
    keep = e_time < export_end
    e_session, e_pos, e_code, e_time, e_user = (
        e_session[keep],
        e_pos[keep],
        e_code[keep],
        e_time[keep],
        e_user[keep],
    )

    is_purchase = e_code == EVENT_NAMES.index("purchase")
    mean_value = users["mean_purchase_value"].to_numpy()[e_user]
    raw_value = np.round(mean_value * rng.lognormal(-0.18, 0.6, len(e_user)), 2)
    value = pa.array(raw_value, mask=~is_purchase, type=pa.float64())

    events = pa.table(
        {
            "user_id": pa.DictionaryArray.from_arrays(pa.array(e_user.astype(np.int32)), pa.array(users["user_id"])),
            "event_name": pa.DictionaryArray.from_arrays(pa.array(e_code), pa.array(list(EVENT_NAMES))),
            "event_time": pa.array(e_time, type=pa.timestamp("us")),
            "value": value,
        }
    )

    start_ts = pd.Timestamp(cfg.start)
    attributes = pd.DataFrame(
        {
            "user_id": users["user_id"],
            "plan": users["plan"],
            "device": users["device"],
            "signup_date": (start_ts + pd.to_timedelta(users["signup_day"], unit="D")).dt.date,
            "timezone": users["timezone"],
        }
    )
    never = users["churn_day"] >= cfg.days * 1000
    truth_users = users.copy()
    truth_users["signup_date"] = attributes["signup_date"]
    truth_users["churn_date"] = (start_ts + pd.to_timedelta(users["churn_day"].where(~never), unit="D")).dt.date
    truth_users["decline_start_date"] = (
        start_ts + pd.to_timedelta(users["decline_start_day"].where(~never), unit="D")
    ).dt.date
    weeks = levels.shape[1]
    truth_levels = pd.DataFrame(
        {
            "user_id": np.repeat(users["user_id"].to_numpy(), weeks),
            "week_index": np.tile(np.arange(weeks), cfg.users),
            "week_start_date": np.tile([cfg.start + dt.timedelta(days=7 * w) for w in range(weeks)], cfg.users),
            "log_level": levels.reshape(-1),
        }
    )
    return {
        "events": events,
        "user_attributes": attributes,
        "truth_users": truth_users,
        "truth_weekly_levels": truth_levels,
    }


def write(result: dict[str, pd.DataFrame | pa.Table], cfg: SimulationConfig, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in result.items():
        table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
        pq.write_table(table, out / f"{name}.parquet")
    meta = {"users": cfg.users, "days": cfg.days, "seed": cfg.seed, "start": cfg.start.isoformat()}
    if cfg.latent_groups:
        meta |= {"latent_groups": cfg.latent_groups, "churn_share": cfg.churn_share}
    (out / "simulation.json").write_text(json.dumps(meta, indent=2) + "\n")


def load_truth(out: Path) -> tuple[pd.DataFrame, np.ndarray, dt.date]:
    """Read the ground truth written by :func:`write`: users, weekly log levels (users x weeks), start."""
    meta = json.loads((out / "simulation.json").read_text())
    users = pd.read_parquet(out / "truth_users.parquet")
    levels = pd.read_parquet(out / "truth_weekly_levels.parquet")
    order = {u: i for i, u in enumerate(users["user_id"])}
    levels = levels.assign(row=levels["user_id"].map(order)).sort_values(["row", "week_index"])
    matrix = levels["log_level"].to_numpy().reshape(len(users), -1)
    return users, matrix, dt.date.fromisoformat(meta["start"])


def main(argv: list[str] | None = None) -> None:
    import sys

    args_list = sys.argv[1:] if argv is None else list(argv)
    if "--scenario" in args_list and args_list[args_list.index("--scenario") + 1 :][:1] != ["app"]:
        from predseg.retail import main as retail_main  # the drift scenarios: retail purchase logs

        return retail_main(args_list)
    parser = argparse.ArgumentParser(
        description="Simulate app events with known ground truth (or, with --scenario ageing|growth|seasonal, "
        "a retail purchase log whose base rate moves; see predseg.retail)."
    )
    parser.add_argument("--scenario", choices=["app"], default="app")
    parser.add_argument("--users", type=int, default=SimulationConfig.users)
    parser.add_argument("--days", type=int, default=SimulationConfig.days)
    parser.add_argument("--seed", type=int, default=SimulationConfig.seed)
    parser.add_argument("--start", type=dt.date.fromisoformat, default=SimulationConfig.start)
    parser.add_argument("--out", type=Path, default=Path("data/demo"))
    parser.add_argument("--latent-groups", type=int, default=0, help="behaviour groups to plant (0-4)")
    parser.add_argument("--churn-share", type=float, default=SimulationConfig.churn_share)
    args = parser.parse_args(args_list)
    if args.users <= 0 or args.days <= 0:
        parser.error("--users and --days must be positive")
    cfg = SimulationConfig(
        users=args.users,
        days=args.days,
        seed=args.seed,
        start=args.start,
        latent_groups=args.latent_groups,
        churn_share=args.churn_share,
    )
    began = time.perf_counter()

    def progress(step: str) -> None:
        print(f"  {time.perf_counter() - began:6.1f} s  {step}", flush=True)

    result = simulate(cfg, progress if cfg.users >= 100_000 else None)
    if cfg.users >= 100_000:
        progress(f"writing Parquet files to {args.out}")
    write(result, cfg, args.out)
    events = result["events"]
    print(
        f"simulated {cfg.users:,} users over {cfg.days} days: {events.num_rows:,} events "
        f"({events.num_rows / cfg.users:.1f} per user) in {time.perf_counter() - began:.1f} s -> {args.out}"
    )


if __name__ == "__main__":
    main()
