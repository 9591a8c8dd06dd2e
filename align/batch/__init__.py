"""Batch runs: many events from one YAML config, resumable, on local processes or a Dask cluster.

    plan = build_plan(Path("batch.yaml"), workers=2)   # validated before any work
    result = run_batch(plan)                          # never stops for one bad event

Nothing heavy is imported here: the embedder, Dask and httpx load when they are used.
"""

from __future__ import annotations

from align.batch.driver import BatchResult, run_batch
from align.batch.plan import Plan, build_plan

__all__ = ["BatchResult", "Plan", "build_plan", "run_batch"]
