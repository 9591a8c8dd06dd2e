"""The per-event function every engine runs: its steps in order, skipping finished ones.

It never raises for a bad event: failures come back in the result, so one unreadable file
costs one event, not the batch.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from align.batch import markers
from align.batch.spec import EventSpec, input_digest
from align.batch.steps import EVENT_STEPS, Settings, limit_threads
from align.batch.summary import event_row
from align.errors import AlignError

DONE, SKIPPED, FAILED, RUNNING = "done", "skipped", "failed", "running"
DATASET_STEP = "dataset"  # the step named in errors.csv when an event's beads part failed


@dataclass
class EventResult:
    """What happened to one event: each step's status, the failures, its summary row."""

    event: str
    steps: dict[str, str] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    row: dict[str, Any] | None = None
    flags: list[dict[str, Any]] = field(default_factory=list)
    signature: str | None = None
    seconds: float = 0.0  # wall time in the worker
    cpu_seconds: float = 0.0  # CPU time of the worker thread that ran the event
    started: float = 0.0  # epoch seconds: engines' start-up and tail costs are measured by it

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    @property
    def computed(self) -> bool:
        """True when at least one step ran (rather than being skipped)."""
        return DONE in self.steps.values()


def one_line(error: BaseException) -> str:
    """An error as one line: the toolkit's own message, or the exception type and text."""
    text = str(error) if isinstance(error, AlignError) else f"{type(error).__name__}: {error}"
    return " ".join(text.split()) or type(error).__name__


class EventTimeout(BaseException):
    """An event ran past the batch's `event_timeout` (a BaseException: no step swallows it)."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise EventTimeout after `seconds`: SIGALRM in a main thread, else an async exception.

    Dask runs tasks in worker threads, where no signal can be used; there a timer raises the
    exception in the task's thread (CPython's PyThreadState_SetAsyncExc), which like SIGALRM
    takes effect at the next Python bytecode.
    """
    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        with _thread_time_limit(seconds):
            yield
        return

    def expired(signum: int, frame: object) -> None:
        raise EventTimeout(f"event time limit of {seconds:g} s exceeded")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _thread_time_limit(seconds: float) -> Iterator[None]:
    """EventTimeout raised in this thread after `seconds`, unless the block has ended."""
    target, lock, state = threading.get_ident(), threading.Lock(), {"inside": True}

    def expire() -> None:
        with lock:
            if state["inside"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(target), ctypes.py_object(EventTimeout)
                )

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except EventTimeout:
        raise EventTimeout(f"event time limit of {seconds:g} s exceeded") from None
    finally:
        with lock:
            state["inside"] = False
        timer.cancel()


def process_event(event: EventSpec, settings: Settings) -> EventResult:
    """Run every step of one event within its time limit; a timeout fails the running step."""
    started, cpu = time.perf_counter(), time.thread_time()
    result = EventResult(event.id, started=time.time())
    limit_threads(settings.threads)
    try:
        with time_limit(settings.event_timeout):
            _run_steps(event, settings, result)
    except EventTimeout as timeout:
        running = (n for n, status in result.steps.items() if status == RUNNING)
        step = next(running, settings.steps[0].name)
        result.steps[step] = FAILED
        result.errors.append((step, str(timeout)))
    result.row, result.flags = event_row(event, settings.run_dir(event.id), result)
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.thread_time() - cpu
    return result


def event_task(event: EventSpec, settings: Settings, part: str | None = None) -> EventResult:
    """What an engine runs per event: its steps, then (`part`: a path) its part of the beads
    dataset, so the batch process has nothing per event left to do after the last one."""
    result = process_event(event, settings)
    if part and result.row and result.row["beads"] is not None:
        from align.batch.dataset import write_part

        try:
            write_part(settings.run_dir(event.id), part)
        except Exception as error:  # the event stays done; the dataset lacks it (errors.csv)
            result.errors.append((DATASET_STEP, one_line(error)))
    return result


def _run_steps(event: EventSpec, settings: Settings, result: EventResult) -> None:
    """The event's steps in order, skipping finished ones, stopping at the first failure."""
    run_dir = settings.run_dir(event.id)
    try:
        previous = input_digest(event)
    except Exception as error:
        result.errors.append((settings.steps[0].name, one_line(error)))
        result.steps[settings.steps[0].name] = FAILED
        previous = None
    for step in settings.steps if previous is not None else ():
        signature = markers.step_signature(step.name, previous, step.options, **step.keys)
        if not settings.overwrite and markers.is_done(run_dir, step.name, signature):
            result.steps[step.name] = SKIPPED
        else:
            try:
                result.steps[step.name] = RUNNING
                markers.clear(run_dir, step.name)
                outputs = EVENT_STEPS[step.name](event, run_dir, step, settings)
                markers.mark_done(run_dir, step.name, signature, outputs)
                result.steps[step.name] = DONE
            except Exception as error:
                result.steps[step.name] = FAILED
                result.errors.append((step.name, one_line(error)))
                break
        previous = result.signature = signature


def failed_result(event: EventSpec, settings: Settings, error: BaseException) -> EventResult:
    """The result of an event whose worker died or whose task could not run at all."""
    from align.batch.summary import empty_row

    step = settings.steps[0].name
    result = EventResult(event.id, steps={step: FAILED}, errors=[(step, one_line(error))])
    result.row = empty_row(event)
    result.row["failed_step"] = step
    return result


def collect(
    finished: Iterable[Any], futures: dict[Any, EventSpec], settings: Settings,
    on_result: Callable[[EventResult], None],
) -> dict[str, EventResult]:  # fmt: skip
    """Each event's result as its future finishes (an exception: a failed result), handed on."""
    by_id: dict[str, EventResult] = {}
    for future in finished:
        event = futures[future]
        try:
            result = future.result()
        except Exception as error:
            result = failed_result(event, settings, error)
        by_id[event.id] = result
        on_result(result)
    return by_id
