"""Export time and peak memory for N synthetic beads per format, against a plain JSONL copy.

    python scripts/bench_export.py --n 1000000

Writes a synthetic run (alignment.jsonl with N beads) into a temporary directory, then runs
the baseline (read each line, json.loads, json.dumps, write: the least any streaming export
must do) and every export format, each in a fresh child process of this script so that its
peak resident memory (ru_maxrss) is its own. Prints seconds, the ratio to the baseline
measured in the same run, peak RSS, RSS growth over the child's start (after imports), and
output size. Flat growth between --n 200000 and --n 1000000 shows bounded memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from align.model import migrate_v1

FORMATS = ["tmx", "moses", "jsonl", "csv", "tsv", "parquet", "xliff"]
EN_WORDS = [
    *["the", "alliance", "security", "defense", "Japan", "United", "States", "minister"],
    *["strategy", "deterrence", "region", "cooperation", "capability", "stand-off", "free"],
    *["open", "order", "rule", "law", "&", "<important>", "we", "will", "continue", "to"],
    *["strengthen", "our", "partnership", "across", "domains", "including", "space", "cyber"],
]
JA_TEXT = (
    "日米同盟の抑止力と対処力を一層強化していくことで一致しました。自由で開かれたインド太平洋の"
    "実現に向けて、両国は宇宙・サイバーを含む領域横断的な協力を進めます。スタンド・オフ防衛能力"
)
SIGNATURE = "interp-align:0.1.0|embedder:synthetic|max_bead:3"


def synthetic_record(index: int, rng: random.Random) -> dict:
    """One plausible bead: realistic text lengths and every metadata field filled."""
    start = rng.randrange(len(JA_TEXT) - 60)
    english = " ".join(rng.choices(EN_WORDS, k=rng.randint(12, 40)))
    return {
        "event": f"2024-07-{index % 28 + 1:02d}-synthetic",
        "date": f"2024-07-{index % 28 + 1:02d}",
        "src_doc": "ja_synthetic",
        "tgt_doc": "en_synthetic",
        "src_lang": "ja",
        "tgt_lang": "en",
        "tgt_kind": "interpretation",
        "pair_index": index // 20,
        "src_turn": index // 20,
        "tgt_turn": index // 20,
        "src_speaker": "Kamikawa",
        "tgt_speaker": "Kamikawa",
        "via_interpreter": True,
        "bead_index": index % 20,
        "bead": "1-1",
        "src_idx": [index % 20],
        "tgt_idx": [index % 20],
        "src_ids": [f"t{index // 20}s{index % 20}"],
        "tgt_ids": [f"t{index // 20}s{index % 20}"],
        "src_text": f"{index}番目：" + JA_TEXT[start : start + rng.randint(20, 60)],
        "tgt_text": f"{index}: {english} 🙂",
        "confidence": round(rng.random(), 4),
        "divergence": round(rng.random(), 4),
        "review_status": rng.choice(["initial", "reviewed", "final"]),
        "signature": SIGNATURE,
    }


def make_run(run_dir: Path, n: int) -> Path:
    """A synthetic run directory holding n beads."""
    run_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(6)
    with open(run_dir / "alignment.jsonl", "w", encoding="utf-8") as handle:
        for index in range(n):
            record = migrate_v1(synthetic_record(index, rng))  # the flat record as schema 2
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return run_dir


def rss_mb() -> float:
    """Current resident memory of this process in MB (Linux /proc)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def baseline(run_dir: Path, out: Path) -> None:
    """Plain JSON-lines copy: parse and re-serialise every record, nothing else."""
    source_path = run_dir / "alignment.jsonl"
    with open(source_path, encoding="utf-8") as source, open(out, "w", encoding="utf-8") as target:
        for line in source:
            target.write(json.dumps(json.loads(line), ensure_ascii=False) + "\n")


def child(task: str, run_dir: Path, out: Path) -> None:
    """Run one task in this (fresh) process and print its measurements as JSON."""
    from align.export import Filters, export_runs, get_format

    fmt, _, variant = task.partition("+")
    if fmt != "baseline":
        get_format(fmt)  # import the writer before measuring the starting memory
    start_mb = rss_mb()
    started = time.perf_counter()
    if fmt == "baseline":
        baseline(run_dir, out)
        paths = [out]
    else:
        filters = Filters(dedupe=variant == "dedupe")
        paths = export_runs([run_dir], fmt, out, filters=filters, force=True).paths
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = sum(p.stat().st_size for p in paths) / 2**20
    for path in paths:
        path.unlink()
    result = {"seconds": seconds, "peak_mb": peak_mb, "start_mb": start_mb, "size_mb": size_mb}
    print(json.dumps(result))


def measure(task: str, run_dir: Path, work: Path) -> dict:
    """Run one task in a child process and return its measurements."""
    out = work / f"out-{task.replace('+', '-')}"
    command = [sys.executable, __file__, "--child", task, "--run", str(run_dir), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{task} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Parse arguments; either run one child task or the whole benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of synthetic beads")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated formats")
    parser.add_argument("--no-dedupe", action="store_true", help="skip the jsonl --dedupe row")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--run", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.run, args.out)
        return
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        run_dir = make_run(work / "run", args.n)
        input_mb = (run_dir / "alignment.jsonl").stat().st_size / 2**20
        made = time.perf_counter() - started
        print(f"{args.n} synthetic beads, {input_mb:.0f} MB of JSONL (made in {made:.1f} s)")
        extra = [] if args.no_dedupe else ["jsonl+dedupe"]
        tasks = ["baseline", *args.formats.split(","), *extra]
        print(
            f"{'format':<14}{'seconds':>9}{'x base':>8}{'peak MB':>9}{'growth MB':>11}"
            f"{'out MB':>8}{'beads/s':>10}"
        )
        base = None
        for task in tasks:
            m = measure(task, run_dir, work)
            base = base or m["seconds"]
            print(
                f"{task:<14}{m['seconds']:>9.1f}{m['seconds'] / base:>8.2f}{m['peak_mb']:>9.0f}"
                f"{m['peak_mb'] - m['start_mb']:>11.0f}{m['size_mb']:>8.0f}"
                f"{args.n / m['seconds']:>10.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
