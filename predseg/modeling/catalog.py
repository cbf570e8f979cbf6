"""The model features as the ``feature_catalog`` table lists them (built by dbt from the feature_catalog()
macro, the one definition of the features): names, scopes, transforms, fill rules and words."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

CATALOG_TABLE = "feature_catalog"


@dataclass(frozen=True)
class Feature:
    name: str
    scope: str  # event | user
    transforms: tuple[str, ...]  # log1p and/or identity, in term order
    fill_rule: str  # past_days | history_days | constant
    fill_constant: float | None
    is_lifetime: bool
    description: str

    def fill(self, past_days: int, history_days: int) -> float:
        """What a missing value means, as a number (see the missing_features doc block)."""
        if self.fill_rule == "past_days":
            return float(past_days)  # not within the window: at least as long ago as the window is long
        if self.fill_rule == "history_days":
            return float(history_days)  # not within the history: as old as the history is long
        return float(self.fill_constant)


@dataclass(frozen=True)
class FeatureCatalog:
    features: tuple[Feature, ...]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> FeatureCatalog:
        frame = frame.sort_values("feature_order")
        return cls(
            tuple(
                Feature(
                    name=str(row.feature_name),
                    scope=str(row.feature_scope),
                    transforms=tuple(str(row.transforms).split(",")),
                    fill_rule=str(row.fill_rule),
                    fill_constant=None if pd.isna(row.fill_constant) else float(row.fill_constant),
                    is_lifetime=bool(row.is_lifetime),
                    description=str(row.description),
                )
                for row in frame.itertuples(index=False)
            )
        )

    @classmethod
    def load(cls, con) -> FeatureCatalog:
        """Read the catalog from a DuckDB connection to a built (or published) database."""
        return cls.from_frame(con.execute(f"select * from {CATALOG_TABLE}").df())

    def of_scope(self, scope: str) -> list[Feature]:
        return [f for f in self.features if f.scope == scope]

    def get(self, name: str) -> Feature | None:
        return next((f for f in self.features if f.name == name), None)
