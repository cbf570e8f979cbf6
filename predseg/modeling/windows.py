"""What a segment's status message must say about the data its windows met."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DataWindow:
    """How a segment's windows met the data (read from int_cutoffs and int_segment_definitions)."""

    configured_past_days: int | None  # None: past_days all
    past_days: int
    history_days: int
    requested_training_cutoffs: int
    skipped_training_cutoffs: int
    data_start_date: str
    min_history_days: int


def window_notes(window: DataWindow) -> list[str]:
    """What the segment's status message must say about training cutoffs or windows the data cut short."""
    notes = []
    if window.skipped_training_cutoffs:
        first = window.requested_training_cutoffs - window.skipped_training_cutoffs + 1
        which = (
            f"cutoff {first}"
            if first == window.requested_training_cutoffs
            else f"cutoffs {first}-{window.requested_training_cutoffs}"
        )
        notes.append(
            f"the oldest {window.skipped_training_cutoffs} of the {window.requested_training_cutoffs} training "
            f"cutoffs ({which}) were skipped: they fall less than min_history_days ({window.min_history_days}) "
            f"days after the data starts on {window.data_start_date}; to use them, lower min_history_days, "
            "cutoff_stride_days or future_days, or load more history"
        )
    if window.configured_past_days is not None and window.configured_past_days > window.past_days:
        notes.append(
            f"past_days {window.configured_past_days} is longer than the {window.history_days} days of history "
            f"every training cutoff has; the features use the last {window.past_days} days (what past_days: all "
            "says)"
        )
    return notes
