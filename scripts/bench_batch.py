"""Benchmark `interp-align batch`: 1 vs N workers vs Dask, peak memory, and kill-and-resume.

    python scripts/bench_batch.py                       # 240 events, 1 and 2 workers, Dask
    python scripts/bench_batch.py --events 60 --workers 2 --no-dask --repeat 1

Each mode runs `python -m align batch` in a subprocess on the same corpus (built by
scripts/make_batch_corpus.py) with its own empty embedding cache, so every mode embeds every
sentence; the wall time is compared with the 1-worker run of the same invocation, and peak
memory is the largest summed RSS of the batch's process tree (main + workers), sampled every
50 ms with psutil. Then a 1-worker batch is killed (SIGKILL to its process group) once half
its events are done, resumed, and compared file by file with the uninterrupted 1-worker run.
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # a worker may exit between the two calls
            total += proc.memory_info().rss
    return total


def run_batch(config: Path, out: Path, cache: Path, *extra: str) -> dict:
    """One batch in a subprocess: wall and CPU seconds, peak tree RSS, its --json result."""
    env = {**os.environ, "INTERP_ALIGN_CACHE": str(cache)}
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable, "-m", "align", "batch", str(config), "--out", str(out), "--json"]
    started, launched = time.perf_counter(), time.time()
    process = subprocess.Popen(command + list(extra), cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    watched, peak = psutil.Process(process.pid), 0
    while process.poll() is None:
        peak = max(peak, tree_rss(watched))
        time.sleep(0.05)
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers are waited for: included
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode not in (0, 1):
        raise SystemExit(f"batch failed ({process.returncode}): {stderr[-2000:]}")
    result = json.loads(stdout)
    return {"wall": wall, "cpu": cpu, "load": load, "peak": peak, "result": result,
            **phases(result["events"], launched, wall)}  # fmt: skip


def phases(events: list[dict], launched: float, wall: float) -> dict[str, float]:
    """Start-up (launch to the first event), tail (last event to exit) and per-event costs
    from the workers' own clocks: figures a busy machine disturbs less than the wall time."""
    timed = [e for e in events if e.get("started")]
    if not timed:
        return {}
    first = min(e["started"] for e in timed)
    last = max(e["started"] + e["seconds"] for e in timed)
    cpu = sorted(e["cpu_seconds"] for e in timed)
    return {"start": first - launched, "tail": launched + wall - last,
            "event_cpu": cpu[len(cpu) // 2], "work": sum(e["seconds"] for e in timed)}  # fmt: skip


def kill_when_half_done(config: Path, out: Path, cache: Path, events: int) -> int:
    """Start a 1-worker batch and SIGKILL it once half the events have their align marker."""
    env = {**os.environ, "INTERP_ALIGN_CACHE": str(cache)}
    command = [sys.executable, "-m", "align", "batch", str(config), "--out", str(out)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    while process.poll() is None:
        done = len(list(out.glob("events/*/.batch/align.json")))
        if done >= events // 2:
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    process.wait()
    return len(list(out.glob("events/*/.batch/align.json")))


def differing(left: Path, right: Path) -> list[str]:
    """Files that differ in bytes or exist on one side only."""
    names = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    names |= {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    return sorted(
        str(n) for n in names
        if not ((left / n).is_file() and (right / n).is_file())
        or not filecmp.cmp(left / n, right / n, shallow=False)
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=240)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-dask", action="store_true")
    parser.add_argument("--repeat", type=int, default=2, help="runs per mode (fastest kept)")
    parser.add_argument("--work", type=Path, default=None, help="keep outputs here")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    corpus = work / "corpus"
    if not corpus.is_dir():
        maker = ROOT / "scripts" / "make_batch_corpus.py"
        subprocess.run([sys.executable, str(maker), "--out", str(corpus),
                        "--events", str(args.events)], check=True)  # fmt: skip
    config = work / "batch.yaml"
    config.write_text(yaml.safe_dump({"out": "out", "events": {"glob": "corpus/*"},
                                      "steps": {"align": {}, "report": {}}}))  # fmt: skip
    modes = [("local, 1 worker", "1", "local"), (f"local, {args.workers} workers",
             str(args.workers), "local")]  # fmt: skip
    if not args.no_dask:
        modes.append((f"dask LocalCluster, {args.workers} workers", str(args.workers), "dask"))
    runs: dict[str, dict] = {}
    for attempt in range(args.repeat):  # modes interleaved; the fastest of each is kept
        for name, workers, engine in modes:
            tag = f"{engine}{workers}"
            for stale in (work / f"out-{tag}", work / f"cache-{tag}"):
                shutil.rmtree(stale, ignore_errors=True)
            run = run_batch(config, work / f"out-{tag}", work / f"cache-{tag}",
                            "--workers", workers, "--engine", engine)  # fmt: skip
            print(f"[{attempt + 1}] {name}: {run['wall']:.1f} s (load {run['load']:.1f}), "
                  f"counts {run['result']['counts']}", flush=True)  # fmt: skip
            if name not in runs or run["wall"] < runs[name]["wall"]:
                runs[name] = run
    base = runs["local, 1 worker"]["wall"]
    print(f"\n{args.events} events, {os.cpu_count()} CPUs")
    print(f"{'mode':<34}{'wall s':>8}{'speedup':>9}{'events/s':>10}{'CPU s':>8}"
          f"{'peak RSS MiB':>14}{'load':>6}")  # fmt: skip
    for name, run in runs.items():
        print(f"{name:<34}{run['wall']:>8.1f}{base / run['wall']:>9.2f}"
              f"{args.events / run['wall']:>10.2f}{run['cpu']:>8.1f}{run['peak'] / 2**20:>14.0f}"
              f"{run['load']:>6.1f}")  # fmt: skip
    print(
        "fastest of --repeat runs per mode; load: the 1-minute load average when it started "
        "(other work on the machine); CPU s: user+sys of the whole process tree"
    )
    reference = work / "out-local1"
    for name, tag in ((n, f"{e}{w}") for n, w, e in modes[1:]):
        diff = differing(reference / "events", work / f"out-{tag}" / "events")
        print(f"event outputs differing from 1 worker ({name}): {len(diff)}")
    killed = work / "out-killed"
    finished = kill_when_half_done(config, killed, work / "cache-killed", args.events)
    resumed = run_batch(config, killed, work / "cache-killed", "--workers", "1")
    steps = [e["steps"]["align"] for e in resumed["result"]["events"]]
    recomputed = steps.count("done")
    print(f"\nkill-and-resume: killed with {finished} of {args.events} events finished; "
          f"resume recomputed {recomputed} (expected {args.events - finished}), "
          f"skipped {steps.count('skipped')}, in {resumed['wall']:.1f} s")  # fmt: skip
    diff = differing(reference, killed)
    print(f"files differing from the uninterrupted run: {len(diff)} {diff[:10]}")
    print(f"outputs kept in {work}")


if __name__ == "__main__":
    main()
