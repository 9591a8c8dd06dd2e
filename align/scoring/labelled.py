"""The labelled evaluation set (tests/data/divergence/beads.jsonl) as segments and labels."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from align.scoring.segment import Segment

DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "divergence" / "beads.jsonl"


@dataclass
class Labelled:
    """One hand-labelled bead."""

    id: str
    segment: Segment
    labels: frozenset[str]
    split: str
    doubtful: bool
    edited: bool = False


def load_labelled(path: str | Path = DEFAULT_SET) -> list[Labelled]:
    """Every bead of the set; variants of one bead share an origin (never random pairs)."""
    items = []
    with Path(path).open(encoding="utf-8") as stream:
        for line in stream:
            if not line.strip():
                continue
            row = json.loads(line)
            segment = Segment(
                row["src_text"], row["tgt_text"], group=row["src_doc"], origin=row["base"],
                date=row.get("date"),
            )  # fmt: skip
            items.append(
                Labelled(row["id"], segment, frozenset(row["labels"]), row["split"],
                         bool(row.get("doubtful")), "edit" in row)
            )  # fmt: skip
    return items


FAITHFUL_SET = DEFAULT_SET.with_name("faithful.jsonl")


def load_faithful(path: str | Path = FAITHFUL_SET) -> list[tuple[str, Segment]]:
    """Hand-checked faithful official beads (no divergence): any label on them is a false flag."""
    out = []
    with Path(path).open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                row = json.loads(line)
                segment = Segment(row["src_text"], row["tgt_text"], group=row["doc"],
                                  origin=row["id"])  # fmt: skip
                out.append((row["id"], segment))
    return out


def injected_pairs(items: list[Labelled], split: str) -> list[tuple[int, int]]:
    """(edited, untouched) index pairs of one split: the same source, one rendering departing."""
    base = {x.segment.origin: i for i, x in enumerate(items) if not x.edited}
    return [
        (i, base[x.segment.origin]) for i, x in enumerate(items)
        if x.edited and x.split == split and not x.doubtful and x.segment.origin in base
    ]  # fmt: skip
