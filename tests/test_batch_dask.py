"""The Dask engine: the local engine's outputs on a LocalCluster; a dead scheduler fails fast."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import distributed  # noqa: F401 - fails loudly if the install is broken
import pyarrow.dataset as ds
import pytest

from tests.test_batch_support import KAIKEN, NSS, cli, copy_event, write_config

NO_PICTURES = {"align": {"pictures": False}, "report": {}}


def _records(run_dir: Path) -> list[dict]:
    lines = (run_dir / "alignment.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_dask_local_cluster_matches_the_local_engine(tmp_path: Path) -> None:
    copy_event(NSS, tmp_path / "events")
    copy_event(KAIKEN, tmp_path / "events")
    config = write_config(
        tmp_path / "batch.yaml",
        {"out": "local", "events": {"glob": "events/*"}, "steps": NO_PICTURES},
    )
    on_dask = cli("batch", config, "--engine", "dask", "--workers", "2", "--out", tmp_path / "dask")
    assert on_dask.returncode == 0, on_dask.stdout + on_dask.stderr
    local = cli("batch", config)
    assert local.returncode == 0, local.stdout + local.stderr
    for event in (NSS, KAIKEN):  # one BLAS thread per worker on both engines: same bytes
        for name in ("alignment.jsonl", "run.json", "report.html"):
            on_cluster = (tmp_path / "dask" / "events" / event / name).read_bytes()
            assert on_cluster == (tmp_path / "local" / "events" / event / name).read_bytes()
    local_beads = ds.dataset(tmp_path / "local" / "beads", format="parquet").to_table()
    beads = ds.dataset(tmp_path / "dask" / "beads", format="parquet")
    assert sorted(p.name for p in (tmp_path / "dask" / "beads").iterdir()) == [
        "part.0.parquet",
        "part.1.parquet",
    ]
    table = beads.to_table(columns=["event", "confidence"])
    lines = [r for event in (NSS, KAIKEN) for r in _records(tmp_path / "local" / "events" / event)]
    assert table.num_rows == len(lines) > 20
    assert set(table.column("event").to_pylist()) == {NSS, KAIKEN}
    assert beads.to_table().equals(local_beads)


def test_a_scheduler_that_does_not_answer_fails_within_seconds(tmp_path: Path) -> None:
    copy_event(NSS, tmp_path / "events")
    config = write_config(
        tmp_path / "batch.yaml",
        {"out": "out", "events": {"glob": "events/*"}, "steps": NO_PICTURES},
    )
    with socket.socket() as silent:  # accepts connections (kernel backlog) but never speaks
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        result = cli("batch", config, "--engine", "dask", "--scheduler", address, timeout=60)
        elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert f"{address}: no Dask scheduler answered within" in result.stderr
    assert "Traceback" not in result.stderr
    assert elapsed < 45, f"took {elapsed:.1f} s"
    assert not (tmp_path / "out" / "events").exists()


def test_an_address_that_is_not_a_dask_scheduler_is_named_as_such() -> None:
    import threading

    from align.batch.dask_engine import probe
    from align.errors import AlignError

    with socket.socket() as server:  # a web server on the port: its bytes are no Dask frames
        server.bind(("127.0.0.1", 0))
        server.listen(1)

        def answer() -> None:
            connection, _ = server.accept()
            with connection:
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 4)
                time.sleep(1)

        threading.Thread(target=answer, daemon=True).start()
        address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
        with pytest.raises(AlignError, match="not a Dask scheduler") as caught:
            probe(address)
    assert "out of memory" not in str(caught.value) and address in str(caught.value)


def _worker_settings() -> tuple:
    import os
    import sys

    import dask

    return (
        os.environ.get("MALLOC_TRIM_THRESHOLD_"),
        dask.config.get("distributed.worker.profile.enabled"),
        os.environ.get("OMP_NUM_THREADS"),
        dask.config.get("distributed.admin.tick.interval"),
        sys.orig_argv,
    )


def test_local_cluster_workers_skip_malloc_trim_and_profiler() -> None:
    import sys

    from align.batch.dask_engine import connect

    with connect(None, 1) as client:
        (settings,) = client.run(_worker_settings).values()
    assert settings[:4] == (None, False, "1", "1s")  # adaptive mmap, no sampler, 1 BLAS thread
    if sys.platform.startswith("linux"):  # a fork runs this interpreter's command line, a spawn
        assert settings[4] == sys.orig_argv  # starts `python -c … spawn_main …` anew


DASK_PARENT = """
import os, sys, time
from align.batch.dask_engine import connect
if __name__ == "__main__":
    with connect(None, 2) as client:
        pids = sorted(client.run(os.getpid).values())
        print(" ".join(map(str, pids)), flush=True)
        client.submit(time.sleep, 60, pure=False)
        time.sleep(60)
"""


def test_dask_workers_exit_when_the_batch_process_is_killed(tmp_path: Path) -> None:
    import os
    import signal

    from tests.test_reliability import _alive, kill_and_wait, start_parent

    parent = start_parent(tmp_path, DASK_PARENT)
    workers: list[int] = []
    try:
        workers = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(workers) == 2 and parent.pid not in workers
        assert all(_alive(pid) for pid in workers)
        survivors = kill_and_wait(parent, workers, 10)  # no chance to close the cluster
        assert not survivors, f"Dask workers {survivors} outlived the batch process"
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
