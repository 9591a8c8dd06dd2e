"""False flags on real faithful translations that nothing was fitted on.

    python scripts/eval_faithful.py           # hand-checked tests/data/divergence/faithful.jsonl
    python scripts/eval_faithful.py --bsd 20  # also the first 20 BSD dialogues (../shared, 1-1)
    python scripts/eval_faithful.py --bsd 20 --bsd-from 20   # dialogues 21-40 (not inspected)

Every bead of the faithful set was read in both languages and judged a faithful, correctly
aligned rendering, so every label on it is a false flag; the figure is the share of beads
labelled. BSD (professional translations of business dialogues, 1-1 sentence pairs) is a larger,
unchecked set in another register: its share is an upper bound on the false-flag rate there.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from align.scoring.labelled import load_faithful  # noqa: E402
from align.scoring.segment import Segment  # noqa: E402

BSD = ROOT.parent / "shared" / "dialogue" / "bsd" / "dev.json"


def bsd_segments(dialogues: int, start: int = 0) -> list[tuple[str, Segment]]:
    """1-1 sentence pairs of `dialogues` BSD dialogues from `start`, grouped by dialogue."""
    data = json.loads(BSD.read_text(encoding="utf-8"))[start : start + dialogues]
    return [
        (f"{d['id']}#{turn['no']}",
         Segment(turn["ja_sentence"], turn["en_sentence"], group=d["id"],
                 origin=f"{d['id']}#{turn['no']}"))
        for d in data for turn in d["conversation"]
        if turn["ja_sentence"].strip() and turn["en_sentence"].strip()
    ]  # fmt: skip


def flagged(items: list[tuple[str, Segment]], show: bool) -> dict:
    """Score the beads; the share with any label and the count per label."""
    from align.embed import load_embedder
    from align.scoring.engine import score_segments
    from align.scoring.terminology import load_checker

    results = score_segments([s for _, s in items], load_embedder("use"), load_checker())
    labels = Counter(label for r in results for label in r["labels"])
    hit = [(i, s, r) for (i, s), r in zip(items, results, strict=True) if r["labels"]]
    if show:
        for i, s, r in hit:
            print(
                f"- {i} {r['labels']} {r['reasons']}\n    JA: {s.src[:120]}\n    EN: {s.tgt[:120]}"
            )
    return {"beads": len(items), "labelled": len(hit),
            "share": round(len(hit) / max(len(items), 1), 3), "labels": dict(labels)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bsd", type=int, default=0, help="also score this many BSD dialogues")
    parser.add_argument("--bsd-from", type=int, default=0, help="first BSD dialogue (0-based)")
    parser.add_argument("--errors", action="store_true", help="list every labelled bead")
    args = parser.parse_args()
    out = {"faithful": flagged(load_faithful(), args.errors)}
    if args.bsd and BSD.is_file():
        out["bsd"] = flagged(bsd_segments(args.bsd, args.bsd_from), args.errors)
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
