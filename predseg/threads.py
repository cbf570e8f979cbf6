"""One BLAS thread for the model fits, for bit-for-bit reproducible results.

dbt runs two models at a time in one process, so two Python models (segment_models and persona_models) can
fit at once. A multi-threaded BLAS then splits their matrix products differently from run to run, and the
sums come out different in the last bits. The fits are small (a bounded sample), so one BLAS thread costs
little; DuckDB keeps its own threads.
"""

from __future__ import annotations

from threadpoolctl import threadpool_limits

_limit = None


def single_threaded_blas() -> None:
    """Limit BLAS to one thread for the rest of the process (not restored: a restore in one model while
    another fits would undo it)."""
    global _limit
    if _limit is None:
        _limit = threadpool_limits(limits=1, user_api="blas")
