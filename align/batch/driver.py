"""One batch from start to end: fetch, events on an engine, corpus steps, tables and index."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from align.batch import corpus, dataset, markers, tables
from align.batch.index import render_index, write_index
from align.batch.plan import Plan
from align.batch.progress import BatchProgress, Mode
from align.batch.results import Writer, building
from align.batch.spec import EventSpec
from align.batch.worker import EventResult, one_line


@dataclass
class BatchResult:
    """Per-event results, every failure (event, step, message) and the files written."""

    results: list[EventResult]
    errors: list[tuple[str, str, str]]
    outputs: dict[str, str] = field(default_factory=dict)
    corpus_steps: dict[str, str] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "events": len(self.results),
            "computed": sum(1 for r in self.results if r.computed and not r.failed),
            "skipped": sum(1 for r in self.results if not r.computed and not r.failed),
            "failed": sum(1 for r in self.results if r.failed),
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON that `interp-align batch --json` prints."""
        return {
            "counts": self.counts,
            "events": [
                {
                    "event": r.event,
                    "steps": r.steps,
                    "seconds": round(r.seconds, 4),
                    "cpu_seconds": round(r.cpu_seconds, 4),
                    "started": round(r.started, 4),
                }
                for r in self.results
            ],
            "corpus_steps": self.corpus_steps,
            "errors": [dict(zip(tables.ERROR_COLUMNS, e, strict=True)) for e in self.errors],
            "outputs": self.outputs,
        }


@contextlib.contextmanager
def _cluster(plan: Plan) -> Iterator[Any]:
    """The Dask client (None for the local engine), started before any thread of the batch:
    LocalCluster workers are forks of this process (see dask_engine.start_method)."""
    if plan.engine != "dask":
        yield None
        return
    from align.batch.dask_engine import connect

    with connect(plan.scheduler, plan.workers) as client:
        yield client


def _engine(plan: Plan, client: Any = None) -> Callable[..., list[EventResult]]:
    """engine(events, on_result, parts): every event's result in the events' order."""
    if plan.engine == "dask":
        from align.batch.dask_engine import run_dask

        return lambda events, on_result, parts: run_dask(
            events, plan.settings, plan.workers, plan.scheduler, on_result, client, parts
        )
    from align.batch.local import run_local

    return lambda events, on_result, parts: run_local(
        events, plan.settings, plan.workers, on_result, parts
    )


def _fetch(plan: Plan) -> tuple[list[EventSpec], list[EventResult]]:
    """Download the addresses events list (in this process, politely); failures cost the event."""
    if not any(event.urls for event in plan.events):
        return list(plan.events), []
    from align.batch.fetch import fetch_event_documents, make_client
    from align.batch.worker import failed_result

    ready, failed = [], []
    with make_client(plan.fetch) as client:  # one client: the rate limit spans events
        for event in plan.events:
            try:
                ready.append(fetch_event_documents(event, plan.out / "sources", client))
            except Exception as error:
                result = failed_result(event, plan.settings, error)
                result.errors = [("fetch", one_line(error))]
                result.steps = {"fetch": "failed"}
                result.row["failed_step"] = "fetch"
                failed.append(result)
    return ready, failed


def run_batch(plan: Plan, progress: Mode | bool | None = "auto") -> BatchResult:
    """Run the plan; never stops for one event's failure (see errors.csv).

    progress: "auto" (bars on a terminal, plain lines otherwise), "bar", "lines" or "quiet";
    True/False/None stand for bar/quiet/auto.
    """
    legacy: dict[bool | None, Mode] = {True: "bar", False: "quiet", None: "auto"}
    mode = legacy.get(progress, progress)  # type: ignore[call-overload]
    plan.out.mkdir(parents=True, exist_ok=True)
    # the database opens after the cluster has forked its workers (DuckDB starts threads)
    with _cluster(plan) as client, building(plan.out, tables.event_columns()) as database:
        batch = _run_events(plan, client, database, mode)
        aligned = [r for r in batch.results if _aligned(r)]
        _corpus_steps(plan, aligned, [plan.settings.run_dir(r.event) for r in aligned], batch)
        _write_tables(plan, batch, database)
    return batch


def _run_events(plan: Plan, client: Any, database: Writer, mode: Mode) -> BatchResult:
    """Every event on the engine; as each finishes, its rows go into the database (in the
    events' order) and its worker has written its part of the beads dataset."""
    events, unfetched = _fetch(plan)

    def add_rows(result: EventResult) -> None:
        if _aligned(result):
            database.add_run(plan.settings.run_dir(result.event), result.event)

    in_order = _InOrder([event.id for event in plan.events], add_rows)
    with BatchProgress(len(plan.events), mode) as bar:

        def finished(result: EventResult) -> None:
            bar.event_finished(result.failed, result.computed)
            in_order(result)
            tables.warm_up()

        for result in unfetched:  # events whose pages could not be fetched
            finished(result)
        with dataset.staged_folder(plan.out / dataset.DATASET) as parts:
            ran = _engine(plan, client)(events, finished, parts)
            dataset.number_parts(parts, (i for i, r in enumerate(ran) if _aligned(r)))
    order = {event.id: i for i, event in enumerate(plan.events)}
    results = sorted(unfetched + ran, key=lambda r: order[r.event])
    return BatchResult(results, [(r.event, step, text) for r in results for step, text in r.errors])


class _InOrder:
    """Calls `action` on each result in the events' order, as soon as every earlier one has
    arrived (results come back in any order; bead ids and rows follow the events' order)."""

    def __init__(self, ids: list[str], action: Callable[[EventResult], None]) -> None:
        self.position = {event: i for i, event in enumerate(ids)}
        self.action = action
        self.waiting: dict[int, EventResult] = {}
        self.next = 0

    def __call__(self, result: EventResult) -> None:
        self.waiting[self.position[result.event]] = result
        while self.next in self.waiting:
            self.action(self.waiting.pop(self.next))
            self.next += 1


def _aligned(result: EventResult) -> bool:
    """The event has an alignment (and so a part of the beads dataset and results rows)."""
    return bool(result.row) and result.row["beads"] is not None


def _corpus_steps(
    plan: Plan, aligned: list[EventResult], run_dirs: list[Path], batch: BatchResult
) -> None:
    """Export and drift over the aligned events; a failure is recorded, not raised."""
    after = "|".join(f"{r.event}={r.signature}" for r in aligned)
    work: dict[str, tuple[Path, dict[str, Any], Callable[[], list[Path]]]] = {}
    if "export" in plan.steps:
        options = plan.steps["export"]
        beads = [d for d, r in zip(run_dirs, aligned, strict=True) if r.row["beads"]]
        work["export"] = (
            plan.out / corpus.EXPORT_DIR, options,
            lambda: corpus.export_corpus(beads, plan.out, options),
        )  # fmt: skip
    terms = next((s for s in plan.settings.steps if s.name == "terms"), None)
    if terms is not None and terms.options.get("drift"):
        work["drift"] = (
            plan.out / corpus.TERMS_DIR, terms.options,
            lambda: corpus.drift_corpus(run_dirs, plan.out, terms.options),
        )  # fmt: skip
    for step, (folder, options, function) in work.items():
        signature = markers.step_signature(step, after, options)
        try:
            batch.corpus_steps[step] = corpus.run_marked(
                folder, step, signature, plan.settings.overwrite, function
            )
        except Exception as error:
            batch.corpus_steps[step] = "failed"
            batch.errors.append((tables.CORPUS, step, one_line(error)))


def _write_tables(plan: Plan, batch: BatchResult, database: Writer) -> None:
    """summary.parquet, flags, results.duckdb, errors.csv and (with the report step) index.html."""
    rows = [r.row for r in batch.results if r.row]
    flags = [f for r in batch.results for f in r.flags]
    written = tables.write_summary(plan.out, rows, flags, database, corpus.read_drift(plan.out))
    tables.write_errors(batch.errors, plan.out / tables.ERRORS)
    written.append(plan.out / tables.ERRORS)
    if (plan.out / dataset.DATASET).is_dir():
        written.append(plan.out / dataset.DATASET)
    if "report" in plan.steps:
        extra = sorted((plan.out / corpus.EXPORT_DIR).glob("[!.]*"))
        extra += [p for p in [plan.out / corpus.TERMS_DIR / "drift.html"] if p.is_file()]
        links = [(str(p.relative_to(plan.out)), str(p.relative_to(plan.out))) for p in written]
        links += [(str(p.relative_to(plan.out)), str(p.relative_to(plan.out))) for p in extra]
        html = render_index(
            plan.steps["report"]["title"], rows, batch.errors, list(plan.steps), links
        )
        written.append(write_index(plan.out, html))
    batch.outputs = {p.name: str(p) for p in written}
