"""Fuzz every reader and loader with mutated inputs; count what each loader did with them.

    nice python scripts/fuzz_inputs.py [--total 100000] [--seed 0] [--save fuzz-escapes/]

Inputs are valid samples with a few random edits (bit flips, hostile tokens such as NUL, lone
surrogate escapes, Infinity, 2024-13-45, deep nesting; cuts and repeats), one in ten plain
random bytes. Per loader it prints inputs, accepted, refused (InputError) and escaped (any other
exception, or a sentence whose offsets do not map back), plus inputs slower than --slow seconds.
The goal is 0 escapes. Run from the repository root (it imports tests/fuzzing.py).
"""

from __future__ import annotations

import argparse
import logging
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzzing import (
    ACCEPTED,
    ESCAPED,
    REFUSED,
    Target,
    mutate,
    random_bytes,
    run_one,
    targets,
)


class Slow(BaseException):
    """An input ran past --slow seconds."""


def _alarm(signum: int, frame: object) -> None:
    raise Slow


def fuzz(target: Target, count: int, rng: random.Random, folder: Path, slow: float,
         save: Path | None) -> Counter[str]:  # fmt: skip
    """Feed `count` inputs to one target; counts by outcome."""
    counts: Counter[str] = Counter()
    for number in range(count):
        data = random_bytes(rng) if rng.random() < 0.1 else mutate(rng.choice(target.seeds), rng)
        signal.setitimer(signal.ITIMER_REAL, slow)
        try:
            outcome, detail = run_one(target, data, folder)
        except Slow:
            outcome, detail = "slow", ""
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        counts["inputs"] += 1
        counts[outcome] += 1
        if outcome in (ESCAPED, "slow"):
            print(f"  {outcome.upper()} {target.name} #{number}: {detail}", file=sys.stderr)
            if save:
                save.mkdir(parents=True, exist_ok=True)
                (save / f"{target.name.replace(' ', '_')}-{number}.bin").write_bytes(data)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=5.0, help="seconds before an input is slow")
    parser.add_argument("--save", type=Path, default=None, help="folder for escaping inputs")
    parser.add_argument("--only", default=None, help="fuzz only the loader with this name")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    logging.getLogger("align.ingest.decode").setLevel(logging.ERROR)  # replacement warnings
    chosen = [t for t in targets() if args.only in (None, t.name)]
    base, extra = divmod(args.total, len(chosen))
    shares = [base + (i < extra) for i in range(len(chosen))]
    rng = random.Random(args.seed)
    totals: Counter[str] = Counter()
    print(f"{'loader':<20} {'inputs':>7} {'accepted':>9} {'refused':>8} {'escaped':>8} {'slow':>5}"
          f" {'seconds':>8}")  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        for target, share in zip(chosen, shares, strict=True):
            started = time.perf_counter()
            counts = fuzz(target, share, rng, Path(scratch), args.slow, args.save)
            totals.update(counts)
            print(f"{target.name:<20} {counts['inputs']:>7} {counts[ACCEPTED]:>9} "
                  f"{counts[REFUSED]:>8} "
                  f"{counts['escaped']:>8} {counts['slow']:>5} "
                  f"{time.perf_counter() - started:>8.1f}", flush=True)  # fmt: skip
    print(f"{'total':<20} {totals['inputs']:>7} {'':>9} {'':>8} {totals['escaped']:>8} "
          f"{totals['slow']:>5}")  # fmt: skip


if __name__ == "__main__":
    main()
