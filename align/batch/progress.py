"""A rich progress bar on stderr with counts and ETA; silent when stderr is not a terminal."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class BatchProgress:
    """Counts events as they finish: done (computed), skipped (already finished), failed."""

    def __init__(self, total: int, enabled: bool | None = None) -> None:
        console = Console(stderr=True)
        self.counts = {"done": 0, "skipped": 0, "failed": 0}
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
            disable=not (console.is_terminal if enabled is None else enabled),
        )
        self._task = self._progress.add_task("batch", total=total, **self.counts)

    def __enter__(self) -> BatchProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def event_finished(self, failed: bool, computed: bool) -> None:
        """Advance by one event."""
        key = "failed" if failed else "done" if computed else "skipped"
        self.counts[key] += 1
        self._progress.update(self._task, advance=1, **self.counts)
