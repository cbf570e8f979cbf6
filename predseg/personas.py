"""Discovered personas: k-means on a few behaviour features, with k chosen by silhouette, a stability check
(reproducible under bootstrap refits, and better separated than k-means splits of structureless data of
the same spread), and persona ids matched to the previous night's so they do not swap.

The clustering is fit on a bounded sample of users; the result is data (per persona and feature: the
transform, the centre and scale that standardize it, and the persona's centre), and SQL assigns every user
to the nearest centre (int_user_personas), so memory does not grow with the number of users.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, pairwise_distances, silhouette_score

# Each behaviour feature goes through log1p before it is standardized. The features are the columns of
# int_user_behaviour after its keys (the persona_features macro lists them for SQL).
KEY_COLUMNS = ("cutoff_at", "user_id", "cutoff_role", "past_days")
TRANSFORM = "log1p"
N_INIT = 10


@dataclass(frozen=True)
class KScore:
    k: int
    silhouette: float
    inertia: float


@dataclass
class PersonaFit:
    status: str  # ok | unstable | insufficient_data | error
    message: str
    sample_users: int
    features: tuple[str, ...] = ()
    center: np.ndarray = field(default_factory=lambda: np.zeros(0))
    scale: np.ndarray = field(default_factory=lambda: np.ones(0))
    centroids: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # standardized
    persona_ids: list[int] = field(default_factory=list)
    k_scores: list[KScore] = field(default_factory=list)
    chosen_k: int | None = None
    stability_ari: float | None = None
    reference_silhouette: float | None = None

    @property
    def raw_centroids(self) -> np.ndarray:
        """The centres in transformed, unstandardized units (comparable across nights)."""
        return self.centroids * self.scale + self.center


def behaviour_features(frame: pd.DataFrame) -> tuple[str, ...]:
    return tuple(c for c in frame.columns if c not in KEY_COLUMNS)


def transform(frame: pd.DataFrame, features: tuple[str, ...]) -> np.ndarray:
    values = frame[list(features)].astype(float).fillna(0.0).to_numpy()
    return np.log1p(np.maximum(values, 0.0))


def _kmeans(k: int, seed: int, n_init: int = N_INIT) -> KMeans:
    return KMeans(n_clusters=k, n_init=n_init, random_state=seed)


def choose_k(z: np.ndarray, k_min: int, k_max: int, silhouette_users: int, seed: int) -> list[KScore]:
    """Every k tried: silhouette on the first ``silhouette_users`` rows (the sample is already in a fixed
    random order) and the within-cluster sum of squares."""
    scores = []
    part = z[:silhouette_users]
    # the distances between those rows, computed once for every k: the values silhouette_score would compute
    # from the rows at each k (the same memory: it holds the whole matrix too)
    distances = pairwise_distances(part)
    for k in range(k_min, k_max + 1):
        model = _kmeans(k, seed).fit(z)
        labels = model.labels_[: len(part)]
        silhouette = float(silhouette_score(distances, labels, metric="precomputed")) if len(set(labels)) > 1 else -1.0
        scores.append(KScore(k, silhouette, float(model.inertia_)))
    return scores


def bootstrap_stability(z: np.ndarray, k: int, labels: np.ndarray, runs: int, seed: int) -> float:
    """Mean adjusted Rand index between the fit's labels and those of k-means refit on bootstrap samples
    (each refit labels every sampled user)."""
    rng = np.random.default_rng(seed)
    scores = []
    for run in range(runs):
        rows = rng.integers(0, len(z), len(z))
        refit = _kmeans(k, seed + 1 + run, n_init=3).fit(z[rows])
        scores.append(adjusted_rand_score(labels, refit.predict(z)))
    return float(np.mean(scores))


def reference_silhouette(z: np.ndarray, k: int, seed: int) -> float:
    """The silhouette k-means reaches with k clusters on structureless data of the same spread: a Gaussian
    with the covariance of ``z`` (as many rows). Clusters worth naming must separate better than that."""
    rng = np.random.default_rng(seed)
    reference = rng.multivariate_normal(np.zeros(z.shape[1]), np.cov(z.T), size=len(z))
    labels = _kmeans(k, seed, n_init=3).fit_predict(reference)
    return float(silhouette_score(reference, labels))


def fit_personas(
    frame: pd.DataFrame,
    k_min: int,
    k_max: int,
    silhouette_users: int,
    bootstrap_runs: int,
    min_stability: float,
    seed: int,
    min_silhouette_gain: float = 0.0,
) -> PersonaFit:
    """Cluster the sample ``frame`` (behaviour features and keys, rows in a fixed random order)."""
    n = len(frame)
    features = behaviour_features(frame)
    if n < max(50, 10 * k_max):
        return PersonaFit(
            "insufficient_data",
            f"{n} users in the sample; at least {max(50, 10 * k_max)} are needed",
            n,
            features,
        )
    x = transform(frame, features)
    center = x.mean(axis=0)
    scale = x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    z = (x - center) / scale
    k_scores = choose_k(z, k_min, k_max, silhouette_users, seed)
    best = max(k_scores, key=lambda s: (round(s.silhouette, 10), -s.k))
    model = _kmeans(best.k, seed).fit(z)
    stability = bootstrap_stability(z, best.k, model.labels_, bootstrap_runs, seed) if bootstrap_runs else 1.0
    reference = reference_silhouette(z[:silhouette_users], best.k, seed)
    # a fixed order of the centres: by size, largest first, then by coordinates
    sizes = np.bincount(model.labels_, minlength=best.k)
    order = sorted(range(best.k), key=lambda c: (-sizes[c], tuple(np.round(model.cluster_centers_[c], 9))))
    centroids = model.cluster_centers_[order]
    problems = []
    if stability < min_stability:
        problems.append(f"the bootstrap adjusted Rand index is below persona_min_stability {min_stability}")
    if best.silhouette - reference < min_silhouette_gain:
        problems.append(
            f"the clusters separate no better than k-means splits structureless data of the same spread "
            f"(silhouette {reference:.3f}; persona_min_silhouette_gain {min_silhouette_gain})"
        )
    stable = not problems
    message = (
        f"k = {best.k} (silhouette {best.silhouette:.3f}, structureless reference {reference:.3f}); "
        f"bootstrap adjusted Rand index {stability:.3f}"
        + ("" if stable else ": " + "; ".join(problems) + ": the personas are not assigned")
    )
    return PersonaFit(
        "ok" if stable else "unstable",
        message,
        n,
        features,
        center,
        scale,
        centroids,
        list(range(1, best.k + 1)),
        k_scores,
        best.k,
        stability,
        reference,
    )


def match_ids(fit: PersonaFit, previous: dict[int, np.ndarray], max_distance: float) -> list[int]:
    """Persona ids for tonight's centres: a centre within ``max_distance`` (in tonight's standardized units)
    of a previous night's centre (raw units) takes its id, matched one to one by the Hungarian method;
    the others get new ids above every id used before."""
    raw = fit.raw_centroids
    if not previous or not len(raw):
        return list(range(1, len(raw) + 1))
    old_ids = sorted(previous)
    old = np.array([previous[i] for i in old_ids])
    distance = np.sqrt((((raw[:, None, :] - old[None, :, :]) / fit.scale) ** 2).sum(axis=2))
    # pairs too far apart cost the same large amount, so they never pull a close pair apart
    rows, cols = linear_sum_assignment(np.where(distance <= max_distance, distance, 1e9))
    ids: list[int | None] = [None] * len(raw)
    for r, c in zip(rows, cols, strict=True):
        if distance[r, c] <= max_distance:
            ids[r] = old_ids[c]
    next_id = max(old_ids) + 1
    for r in range(len(raw)):
        if ids[r] is None:
            ids[r] = next_id
            next_id += 1
    return [int(i) for i in ids]


COLUMNS = {
    "as_of_date": "object",
    "record_number": "int64",
    "record_type": "string",
    "persona_id": "Int64",
    "feature_name": "string",
    "transform": "string",
    "center": "float64",
    "scale": "float64",
    "centroid": "float64",
    "raw_centroid": "float64",
    "k": "Int64",
    "silhouette": "float64",
    "inertia": "float64",
    "is_chosen": "boolean",
    "status": "string",
    "status_message": "string",
    "chosen_k": "Int64",
    "stability_ari": "float64",
    "reference_silhouette": "float64",
    "sample_users": "int64",
    "fitted_as_of_date": "object",
    "settings_key": "string",
}


def settings_key(settings: dict) -> str:
    """The md5 of the settings a fit is a function of (besides the data), which a later night compares."""
    return hashlib.md5(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


def kept_rows(held: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The rows of the latest night in ``held`` (earlier nights' rows of persona_models), as tonight's: the
    same fit, its night (fitted_as_of_date) kept, as_of_date tonight's. Empty when ``held`` is."""
    if held.empty:
        return held
    nights = pd.to_datetime(held["as_of_date"]).dt.date
    latest = held[nights == nights.max()].sort_values("record_number").reset_index(drop=True)
    latest["as_of_date"] = as_of
    latest["fitted_as_of_date"] = pd.to_datetime(latest["fitted_as_of_date"]).dt.date
    return latest[list(COLUMNS)].astype(COLUMNS)


def rows(fit: PersonaFit, as_of: dt.date, key: str | None = None) -> pd.DataFrame:
    """The fit as data: a row per persona and feature (record_type centroid), a row per k tried (k_score),
    or one row (none) when there is no clustering; every row repeats the status, the night it was fit
    (``as_of``) and the key of its settings."""
    records = []
    for p, persona_id in enumerate(fit.persona_ids):
        for f, feature in enumerate(fit.features):
            records.append(
                {
                    "record_type": "centroid",
                    "persona_id": persona_id,
                    "feature_name": feature,
                    "transform": TRANSFORM,
                    "center": fit.center[f],
                    "scale": fit.scale[f],
                    "centroid": fit.centroids[p, f],
                    "raw_centroid": fit.raw_centroids[p, f],
                }
            )
    for score in fit.k_scores:
        records.append(
            {
                "record_type": "k_score",
                "k": score.k,
                "silhouette": score.silhouette,
                "inertia": score.inertia,
                "is_chosen": score.k == fit.chosen_k,
            }
        )
    if not records:
        records.append({"record_type": "none"})
    frame = pd.DataFrame.from_records(records)
    for column in COLUMNS:
        if column not in frame:
            frame[column] = None
    frame["as_of_date"] = as_of
    frame["record_number"] = np.arange(1, len(frame) + 1)
    frame["status"] = fit.status
    frame["status_message"] = fit.message
    frame["chosen_k"] = fit.chosen_k
    frame["stability_ari"] = fit.stability_ari
    frame["reference_silhouette"] = fit.reference_silhouette
    frame["sample_users"] = fit.sample_users
    frame["fitted_as_of_date"] = as_of
    frame["settings_key"] = key
    return frame[list(COLUMNS)].astype(COLUMNS)
