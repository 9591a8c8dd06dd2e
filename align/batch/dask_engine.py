"""The Dask engine: the same per-event task (steps, then the event's beads part) on a cluster.

`--scheduler tcp://host:port` joins a running cluster (its workers must see the same files,
e.g. a shared file system); without it a LocalCluster of worker processes is started. Dask is
imported only here, so the local engine never needs it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import uuid
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from align.batch.dataset import event_part
from align.batch.local import exit_with_parent
from align.batch.spec import EventSpec
from align.batch.steps import Settings
from align.batch.worker import EventResult, collect, event_task
from align.errors import AlignError, ModelError

CONNECT_TIMEOUT_S = 5


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ModelError(
            "the dask engine needs Dask: pip install 'dask[distributed,dataframe]'"
        ) from None
    return distributed


async def _identity(address: str) -> dict:
    """Ask the scheduler who it is: a connection plus one answered message."""
    from distributed.comm import connect as open_comm
    from distributed.core import send_recv

    comm = await open_comm(address, timeout=CONNECT_TIMEOUT_S)
    try:
        return await send_recv(comm, op="identity")
    finally:
        comm.abort()


def probe(address: str) -> None:
    """Fail within seconds when nothing answers: Client() alone can wait forever on a socket
    that accepts connections but never speaks (a wrong port, a hung host)."""
    try:
        asyncio.run(asyncio.wait_for(_identity(address), CONNECT_TIMEOUT_S + 1))
    except (OSError, TimeoutError, ValueError) as error:
        reason = " ".join(str(error).split()) or "no answer"
        raise AlignError(
            f"no Dask scheduler answered within {CONNECT_TIMEOUT_S} s ({reason})", address
        ) from None
    except MemoryError:  # the first bytes read as a frame length of exabytes: not Dask's protocol
        raise AlignError(
            "something answered, but not a Dask scheduler (not the Dask protocol; a wrong port?)",
            address,
        ) from None


def start_method() -> str:
    """How LocalCluster workers start: fork on Linux, spawn elsewhere.

    A spawned worker starts a fresh interpreter and imports Dask again: 0.4-1.0 s before the
    first task and 0.15-0.2 s to close (measured), against 0.1 s and 0.02 s for a fork of this
    process, which has imported Dask already and holds no model, cache handle or thread of
    ours when the cluster starts (`run_batch` starts it first).
    """
    return "fork" if sys.platform.startswith("linux") else "spawn"


@contextmanager
def connect(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the given scheduler (failing within seconds), or of a new LocalCluster."""
    distributed = _import_distributed()
    if scheduler:
        probe(scheduler)
        with distributed.Client(scheduler, timeout=CONNECT_TIMEOUT_S) as client:
            yield client
        return
    import dask

    # Dask's nanny sets MALLOC_TRIM_THRESHOLD_ in its workers, which turns off glibc's adaptive
    # mmap threshold: every large numpy temporary of the forward pass is then mapped and unmapped
    # again (26x the page faults, +35% CPU measured). The worker's statistical profiler samples
    # the task thread every 10 ms. Neither helps a batch of events; both are switched off.
    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    # Every process's event loop also wakes every 20 ms to time itself (the "tick"), every
    # 500 ms to sample its CPU and memory and every 100 ms to check the memory limit: 0.2-0.3 s
    # CPU per worker and 0.5 s in the batch process over a 60-event batch (measured), taken
    # from the events on a small machine. A batch needs neither the dashboard's samples nor
    # a blocked-loop warning within 20 ms; the memory limit is still checked twice a second.
    settings = {"distributed.nanny.pre-spawn-environ": environ,
                "distributed.worker.profile.enabled": False,
                "distributed.worker.multiprocessing-method": start_method(),
                "distributed.admin.tick.interval": "1s",
                "distributed.admin.system-monitor.interval": "2s",
                "distributed.worker.memory.monitor-interval": "500ms"}  # fmt: skip
    with dask.config.set(settings), warnings.catch_warnings():
        # Python 3.12+ warns on any fork of a process with threads (here Dask's event loop).
        warnings.filterwarnings("ignore", message=".*fork", category=DeprecationWarning)
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    with cluster, distributed.Client(cluster) as client:
        # Dask's workers end when the pipe from their parent closes; the local pool's
        # parent-death signal is a second guard should that watcher be stuck.
        client.run(exit_with_parent, os.getpid())
        yield client


def run_dask(
    events: Sequence[EventSpec],
    settings: Settings,
    workers: int,
    scheduler: str | None,
    on_result: Callable[[EventResult], None],
    client: Any | None = None,
    parts: Path | None = None,
) -> list[EventResult]:
    """Every event's result in order; `parts`: the beads dataset's folder.

    `client`: one already connected (`run_batch` starts the cluster before anything else);
    without it a cluster is started and closed here.
    """
    if client is None:
        with connect(scheduler, workers) as own:
            return run_dask(events, settings, workers, scheduler, on_result, own, parts)
    distributed = _import_distributed()
    batch = uuid.uuid4().hex[:8]  # keys stay unique on a scheduler shared by several batches
    futures = {
        client.submit(
            event_task, event, settings, str(event_part(parts, i)) if parts else None,
            key=f"event-{batch}-{i}", pure=False,
        ): event
        for i, event in enumerate(events)
    }  # fmt: skip
    by_id = collect(distributed.as_completed(futures), futures, settings, on_result)
    return [by_id[event.id] for event in events]
