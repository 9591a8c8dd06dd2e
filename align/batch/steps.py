"""The per-event steps: each writes into the event's run directory and returns what it wrote.

Modules behind a step (scoring, terms) are imported when the step runs, never at import time;
the embedder is loaded once per worker process, on the first event that needs it.
"""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from align.batch import spec as specs
from align.batch.spec import EventSpec
from align.embed.base import Embedder
from align.rundir import atomic_write, read_beads

ALIGN_OUTPUTS = ["alignment.jsonl", "run.json", "report.html"]
TERM_FLAGS = "terms/flags.jsonl"
SCORE_OUTPUTS = ["scores.csv", "scores.parquet", "scores.json"]


@dataclass(frozen=True)
class StepPlan:
    """One step as every worker needs it: options for the library, extra signature fields."""

    name: str
    options: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    """What a worker needs besides the event; small and picklable (sent to every task)."""

    out: str
    steps: tuple[StepPlan, ...]
    embedder: str = "use"
    cache_dir: str | None = None
    overwrite: bool = False
    threads: int = 1
    event_timeout: float | None = None  # seconds per event; None: no limit

    def run_dir(self, event_id: str) -> Path:
        """The event's run directory."""
        return Path(self.out) / "events" / event_id


@functools.lru_cache(maxsize=1)
def limit_threads(threads: int) -> None:
    """One BLAS/OpenMP thread per worker process (as Dask does), set once per process.

    Parallelism comes from the workers. Idle BLAS threads spin between calls and took the
    cores other workers needed (measured: 2 workers on 2 cores ran 3x slower than 1), and a
    fixed thread count keeps sums, hence outputs, identical whatever the engine.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(threads)


@functools.lru_cache(maxsize=2)
def _embedder(spec: str, cache_dir: str | None, threads: int) -> Embedder:
    """One embedder per worker process, with the shared on-disk cache."""
    from align.embed import load_embedder

    embedder = load_embedder(spec, cache_dir, True)
    embedder.set_threads(threads)  # USE raises the BLAS pool to its own count while encoding
    return embedder


def align_step(event: EventSpec, run_dir: Path, step: StepPlan, settings: Settings) -> list[str]:
    """`interp-align run` for one event (scoring too when on) into a fresh run directory."""
    from align.runner import RunOptions, run_event

    loaded = specs.load(event)
    if run_dir.exists():  # a rerun: whatever is there is stale, downstream outputs included
        shutil.rmtree(run_dir)
    options = RunOptions(
        embedder=settings.embedder,
        cache_dir=Path(settings.cache_dir) if settings.cache_dir else None,
        max_bead=step.options["max_bead"],
        pictures=step.options["pictures"],
        termbase=Path(step.options["termbase"]),
        score=step.options["score"],
        aligner=step.options.get("aligner", "band"),
    )
    embedder = _embedder(settings.embedder, settings.cache_dir, settings.threads)
    run_event(loaded, run_dir, embedder, options)
    return ALIGN_OUTPUTS + [name for name in SCORE_OUTPUTS if (run_dir / name).is_file()]


@functools.lru_cache(maxsize=4)
def _matcher(termbase: str) -> Any:
    """The compiled termbase, once per worker process."""
    from align.terms import load_termbase
    from align.terms.matcher import Matcher

    return Matcher(load_termbase(termbase))


def terms_step(event: EventSpec, run_dir: Path, step: StepPlan, settings: Settings) -> list[str]:
    """Term flags for every bead, one JSON object per line."""
    from align.terms.check import check_beads

    flags = check_beads(_matcher(step.options["termbase"]), read_beads(run_dir))
    lines = "".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in flags)
    atomic_write(run_dir / TERM_FLAGS, lines)
    return [TERM_FLAGS]


EVENT_STEPS: dict[str, Callable[[EventSpec, Path, StepPlan, Settings], list[str]]] = {
    "align": align_step,
    "terms": terms_step,
}
