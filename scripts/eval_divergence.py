"""Precision and recall per divergence label on the labelled set (tests/data/divergence).

    python scripts/eval_divergence.py               # held-out (test) split, the figure to quote
    python scripts/eval_divergence.py --split all   # fit + test
    python scripts/eval_divergence.py --errors      # also list every wrong decision

Doubtful beads (see the set's README) are left out. Also printed: number flags raised on the
untouched official beads whose hand label has no number divergence (equivalent forms: must be 0),
and partial omissions (1-0 beads left out) separately, since a 1-0 bead is an omission by type.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.scoring.composite import LABELS, Weights, decide  # noqa: E402
from align.scoring.labelled import DEFAULT_SET, load_labelled  # noqa: E402


def _pr(pairs: list[tuple[bool, bool]]) -> tuple[float, float, int, int]:
    tp = sum(1 for t, p in pairs if t and p)
    predicted = sum(1 for _, p in pairs if p)
    truth = sum(1 for t, _ in pairs if t)
    precision = tp / predicted if predicted else float("nan")
    recall = tp / truth if truth else float("nan")
    return precision, recall, truth, predicted


def evaluate(split: str, show_errors: bool, embedder_spec: str = "use") -> dict:
    """Score the set and print per-label precision and recall for `split`."""
    from align.embed import load_embedder
    from align.scoring.features import measure
    from align.scoring.terminology import load_checker

    items = load_labelled()
    measured = measure([x.segment for x in items], load_embedder(embedder_spec), load_checker())
    weights = Weights.load()
    chosen = [
        (x, decide(m, weights)) for x, m in zip(items, measured, strict=True)
        if not x.doubtful and (split == "all" or x.split == split)
    ]  # fmt: skip
    results = {}
    print(f"split: {split}  beads: {len(chosen)}  weights: {weights.signature}")
    print(f"{'label':14s} {'P':>6s} {'R':>6s} {'gold':>5s} {'pred':>5s}")
    for label in LABELS:
        p, r, n_true, n_pred = _pr([(label in x.labels, label in v.labels) for x, v in chosen])
        results[label] = {"precision": p, "recall": r, "gold": n_true, "predicted": n_pred}
        print(f"{label:14s} {p:6.3f} {r:6.3f} {n_true:5d} {n_pred:5d}")
    partial = [(x, v) for x, v in chosen if x.segment.both]
    p, r, n_true, n_pred = _pr(
        [("omission" in x.labels, "omission" in v.labels) for x, v in partial]
    )
    print(f"{'omission (partial only)':24s} P {p:.3f} R {r:.3f} gold {n_true} pred {n_pred}")
    untouched = _untouched_ids()
    equivalent = [(x, v) for x, v in chosen if x.id in untouched and "number" not in x.labels]
    false_numbers = [x.id for x, v in equivalent if "number" in v.labels]
    print(f"number flags on untouched official beads without a number divergence: "
          f"{len(false_numbers)} of {len(equivalent)}")  # fmt: skip
    if show_errors:
        for x, v in chosen:
            if set(x.labels) != set(v.labels):
                print(f"- {x.id} gold={sorted(x.labels)} got={v.labels} {v.reasons}")
                print(f"    EN: {x.segment.tgt[:150]}")
    results["false_number_flags_on_equivalents"] = len(false_numbers)
    return results


def _untouched_ids() -> set[str]:
    rows = [json.loads(x) for x in DEFAULT_SET.read_text("utf-8").splitlines() if x.strip()]
    return {row["id"] for row in rows if "edit" not in row}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=["test", "fit", "all"], default="test")
    parser.add_argument("--errors", action="store_true", help="list every wrong decision")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    results = evaluate(args.split, args.errors)
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
