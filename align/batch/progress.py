"""Batch progress on stderr: rich bars on a terminal, a plain line every few seconds in a log.

A log file (stderr redirected, a cluster job) gets `batch: 3/10 events ...` lines, so a long
batch is never silent until it ends; `quiet` prints nothing.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import Literal, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

Mode = Literal["auto", "bar", "lines", "quiet"]
INTERVAL = 5.0  # seconds between plain-text lines


def _clock(seconds: float) -> str:
    """H:MM:SS, like the rich bar's columns."""
    whole = int(round(seconds))
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


class BatchProgress:
    """Counts events as they finish: done (computed), skipped (already finished), failed."""

    def __init__(
        self,
        total: int,
        mode: Mode = "auto",
        stream: TextIO | None = None,
        interval: float = INTERVAL,
    ) -> None:
        self.total, self.interval = total, interval
        self.counts = {"done": 0, "skipped": 0, "failed": 0}
        self._stream = stream
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._started = time.monotonic()
        console = Console(stderr=True) if stream is None else Console(file=stream)
        if mode == "auto":
            mode = "bar" if console.is_terminal else "lines"
        self.mode = mode
        self._progress = Progress(
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(
                "done {task.fields[done]} · skipped {task.fields[skipped]} · "
                "[red]failed {task.fields[failed]}"
            ),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            disable=mode != "bar",
        )
        self._task = self._progress.add_task("batch", total=total, **self.counts)

    @property
    def finished(self) -> int:
        return sum(self.counts.values())

    def line(self) -> str:
        """`batch: 3/10 events (done 2, skipped 1, failed 0), elapsed 0:00:12, ETA 0:00:28`."""
        elapsed = time.monotonic() - self._started
        finished = self.finished
        if finished and finished < self.total:
            eta = _clock(elapsed / finished * (self.total - finished))
        else:
            eta = "0:00:00" if finished >= self.total else "unknown"
        counts = ", ".join(f"{k} {v}" for k, v in self.counts.items())
        return (
            f"batch: {finished}/{self.total} events ({counts}), "
            f"elapsed {_clock(elapsed)}, ETA {eta}"
        )

    def _print(self) -> None:
        stream = self._stream or sys.stderr
        with self._lock:
            print(self.line(), file=stream, flush=True)

    def _tick(self) -> None:
        while not self._stopped.wait(self.interval):
            self._print()

    def __enter__(self) -> BatchProgress:
        self._started = time.monotonic()
        if self.mode == "bar":
            self._progress.start()
        elif self.mode == "lines":
            self._print()
            self._thread = threading.Thread(target=self._tick, name="progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.mode == "bar":
            self._progress.stop()
        elif self._thread is not None:
            self._stopped.set()
            self._thread.join()
            self._print()

    def event_finished(self, failed: bool, computed: bool) -> None:
        """Advance by one event."""
        key = "failed" if failed else "done" if computed else "skipped"
        with self._lock:
            self.counts[key] += 1
        self._progress.update(self._task, advance=1, **self.counts)
