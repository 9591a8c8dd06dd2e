"""The local engine: events one after another, or on a pool of worker processes.

Each worker loads the embedder once; all of them share the on-disk embedding cache (SQLite
in WAL mode), so a sentence embedded by one worker is read, not recomputed, by the others.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path

from align.batch.dataset import event_part
from align.batch.spec import EventSpec
from align.batch.steps import Settings
from align.batch.worker import EventResult, collect, event_task

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def exit_with_parent(parent: int) -> None:
    """Worker initialiser: die when the batch process dies (SIGKILL leaves no chance to stop us).

    Linux delivers SIGKILL on the parent's death (prctl); elsewhere, and as a backstop, a
    daemon thread exits as soon as the parent process id changes.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def skip_teardown() -> None:
    """Leave this process's objects (the model, the dictionaries) to the system at exit.

    Python frees them one by one as it exits, which cost 0.2-0.35 s of a batch's tail per
    process after the last event (measured); objects moved to the permanent generation
    are not collected then, and the system takes the memory back at once.
    """
    gc.freeze()


def _start_worker(parent: int) -> None:
    """Pool worker initialiser: die with the batch process, exit without a teardown."""
    exit_with_parent(parent)
    atexit.register(skip_teardown)


def run_local(
    events: Sequence[EventSpec],
    settings: Settings,
    workers: int,
    on_result: Callable[[EventResult], None],
    parts: Path | None = None,
) -> list[EventResult]:
    """Every event's result, in the events' order; `parts`: the beads dataset's folder."""

    def part(position: int) -> str | None:
        return str(event_part(parts, position)) if parts else None

    if workers <= 1:
        results = []
        for position, event in enumerate(events):
            results.append(event_task(event, settings, part(position)))
            on_result(results[-1])
        return results
    # spawn, not fork: the parent may hold threads (progress bar) and open SQLite handles.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(),),
    ) as pool:
        futures: dict[Future, EventSpec] = {
            pool.submit(event_task, event, settings, part(i)): event
            for i, event in enumerate(events)
        }
        try:
            by_id = collect(as_completed(futures), futures, settings, on_result)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return [by_id[event.id] for event in events]
