"""Per-event tail work done as each event finishes: dataset parts, results rows, quick exits."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from align.batch import dataset, driver, local, results, tables, worker
from align.batch.plan import build_plan
from tests.test_batch_support import NSS, copy_event, write_config


def _two_events(folder: Path) -> Path:
    """A config of two copies of a real event, a and b, aligned only."""
    for event in ("a", "b"):
        copy_event(NSS, folder / "events", event)
    data = {"out": "out", "events": {"glob": "events/*"}, "steps": {"align": {"pictures": False}}}
    return write_config(folder / "batch.yaml", data)


def test_each_events_part_and_rows_are_written_before_the_next_event_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _two_events(tmp_path)
    calls: list[tuple[str, str]] = []

    def recorded(kind: str, function: Callable, name: Callable) -> Callable:
        def call(*args: Any, **kwargs: Any) -> Any:
            calls.append((kind, name(*args)))
            return function(*args, **kwargs)

        return call

    monkeypatch.setattr(
        worker, "process_event", recorded("event", worker.process_event, lambda e, s: e.id)
    )
    monkeypatch.setattr(
        dataset, "write_part", recorded("part", dataset.write_part, lambda d, p: Path(d).name)
    )
    add_run = results.Writer.add_run
    monkeypatch.setattr(results.Writer, "add_run", recorded("rows", add_run, lambda self, d, e: e))
    monkeypatch.setattr(tables, "warm_up", recorded("warm", tables.warm_up, lambda: "arrow"))
    batch = driver.run_batch(build_plan(config, workers=1), progress="quiet")
    assert not batch.errors
    assert calls == [("event", "a"), ("part", "a"), ("rows", "a"), ("warm", "arrow"),
                     ("event", "b"), ("part", "b"), ("rows", "b"), ("warm", "arrow")]  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "out" / "beads").iterdir()) == [
        "part.0.parquet",
        "part.1.parquet",
    ]


def test_the_results_database_is_created_with_the_first_rows(tmp_path: Path) -> None:
    writer = results.Writer(tmp_path / results.DATABASE, tables.event_columns())
    assert not writer.temporary.exists()  # DuckDB is not even imported before an event ends
    writer.insert("events", [{"event": "a"}])
    assert writer.close().is_file()


def test_results_are_taken_in_the_events_order_whatever_order_they_arrive_in() -> None:
    taken: list[str] = []
    in_order = driver._InOrder(["a", "b", "c", "d"], lambda r: taken.append(r.event))
    for event, expected in (("c", []), ("a", ["a"]), ("d", ["a"]), ("b", ["a", "b", "c", "d"])):
        in_order(worker.EventResult(event))
        assert taken == expected


def test_parts_are_numbered_in_the_events_order_and_strays_dropped(tmp_path: Path) -> None:
    for position in (0, 2, 5):
        dataset.event_part(tmp_path, position).write_text(str(position))
    (tmp_path / ".event.7.parquet.partial").write_text("a killed worker's")
    dataset.number_parts(tmp_path, [5, 0])  # event 2 failed after writing its part
    found = {p.name: p.read_text() for p in tmp_path.iterdir()}
    assert found == {"part.0.parquet": "0", "part.1.parquet": "5"}


def _frozen_by_exit_handlers() -> int:
    import atexit
    import gc

    atexit._run_exitfuncs()
    return gc.get_freeze_count()


def test_pool_workers_leave_their_objects_to_the_system_at_exit() -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=local._start_worker, initargs=(os.getpid(),)
    ) as pool:
        assert pool.submit(_frozen_by_exit_handlers).result() > 0


def _open_store_at(path: str, start: float) -> str:
    import time

    from align.embed.cache import VectorStore

    while time.time() < start:  # both processes open the new file at the same moment
        pass
    try:
        VectorStore(Path(path)).count()
    except Exception as error:
        return str(error)
    return "ok"


def test_two_workers_opening_a_new_cache_at_once_both_keep_it(tmp_path: Path) -> None:
    import time

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        for trial in range(20):  # unguarded, 8 of 30 such starts failed (measured)
            start = time.time() + 0.05
            path = str(tmp_path / f"{trial}.sqlite3")
            opened = pool.map(_open_store_at, [path, path], [start, start])
            assert list(opened) == ["ok", "ok"]


def test_an_event_whose_part_cannot_be_written_is_listed_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _two_events(tmp_path)
    write_part = dataset.write_part

    def full_disk_for_a(run_dir: str | Path, path: str | Path) -> None:
        if Path(run_dir).name == "a":
            raise OSError(28, "No space left on device")
        write_part(run_dir, path)

    monkeypatch.setattr(dataset, "write_part", full_disk_for_a)
    batch = driver.run_batch(build_plan(config, workers=1), progress="quiet")
    assert [(e, step) for e, step, _ in batch.errors] == [("a", worker.DATASET_STEP)]
    assert "No space left" in batch.errors[0][2]
    parts = sorted((tmp_path / "out" / "beads").iterdir())
    assert [p.name for p in parts] == ["part.0.parquet"]  # event b's beads
    import pyarrow.parquet as pq

    assert set(pq.read_table(parts[0]).column("event").to_pylist()) == {"b"}
