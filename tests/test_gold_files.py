"""Structural checks of the hand-made gold alignments shipped under corpora/events/*/gold/.

A gold file is only useful while its indices still point at the sentences the reader produces,
so every check runs against the documents as `load_event` (i.e. `read_document`) reads them now:
a segmentation change that shifts, merges or splits sentences fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from align.ingest.event import load_event

EVENTS = Path(__file__).resolve().parents[1] / "corpora" / "events"
MAX_PER_SIDE = 4
# Vecalign's text form, one bead a line: "[0, 1]:[2]", either side may be empty.
_BEAD = re.compile(r"^\[(\d+(?:, \d+)*)?\]:\[(\d+(?:, \d+)*)?\]$")
EXPECTED = {
    "2011-06-21-2plus2-joint-statement",
    "2022-12-16-nss-statement",
    "2024-01-12-fm-meeting",
    "2024-07-23-mofa-press-conference",
}

Bead = tuple[tuple[int, ...], tuple[int, ...]]


def parse_gold(text: str) -> list[Bead]:
    """Parse Vecalign lines strictly, so a typo is an error rather than a silently skipped bead."""
    beads = []
    for number, line in enumerate(text.splitlines(), 1):
        match = _BEAD.match(line.strip())
        if not match:
            raise ValueError(f"line {number}: not a Vecalign bead: {line!r}")
        src, tgt = (tuple(int(i) for i in g.split(", ")) if g else () for g in match.groups())
        beads.append((src, tgt))
    return beads


def problems(beads: list[Bead], n_src: int, n_tgt: int) -> list[str]:
    """Every way the beads fail to be a monotone, exact cover of both sentence lists."""
    found = []
    next_src = next_tgt = 0
    for number, (src, tgt) in enumerate(beads, 1):
        if not src and not tgt:
            found.append(f"bead {number} is empty")
        if len(src) > MAX_PER_SIDE or len(tgt) > MAX_PER_SIDE:
            found.append(f"bead {number} has more than {MAX_PER_SIDE} sentences on a side")
        if src and src != tuple(range(next_src, next_src + len(src))):
            found.append(f"bead {number}: source {list(src)} does not continue at {next_src}")
        if tgt and tgt != tuple(range(next_tgt, next_tgt + len(tgt))):
            found.append(f"bead {number}: target {list(tgt)} does not continue at {next_tgt}")
        next_src = src[-1] + 1 if src else next_src
        next_tgt = tgt[-1] + 1 if tgt else next_tgt
    if next_src != n_src:
        found.append(f"source covers {next_src} of {n_src} sentences")
    if next_tgt != n_tgt:
        found.append(f"target covers {next_tgt} of {n_tgt} sentences")
    return found


def _gold_entries() -> list[tuple[Path, dict]]:
    """Gold entries straight from event.yaml (load_event skips missing files; we must not)."""
    if not EVENTS.is_dir():
        return []
    entries = []
    for meta in sorted(EVENTS.glob("*/event.yaml")):
        data = yaml.safe_load(meta.read_text(encoding="utf-8")) or {}
        entries += [(meta.parent, entry) for entry in data.get("gold") or []]
    return entries


def _sentence_count(document) -> int:
    return sum(len(turn.sentences) for turn in document.turns)


GOLD = _gold_entries()


def test_expected_events_ship_gold():
    assert EVENTS.is_dir(), "corpora/events is missing"
    assert EXPECTED.issubset(folder.name for folder, _ in GOLD)


@pytest.mark.parametrize(
    ("folder", "entry"), GOLD, ids=[f"{f.name}:{e.get('file')}" for f, e in GOLD]
)
def test_gold_file_covers_documents(folder: Path, entry: dict):
    assert {"src", "tgt", "file"} <= set(entry), f"gold entry needs src, tgt, file: {entry}"
    path = folder / entry["file"]
    assert path.is_file(), f"listed gold file missing: {path}"
    beads = parse_gold(path.read_text(encoding="utf-8"))
    event = load_event(folder)
    src, tgt = event.document(entry["src"]), event.document(entry["tgt"])
    assert src.id != tgt.id
    assert problems(beads, _sentence_count(src), _sentence_count(tgt)) == []


def test_checker_catches_shifted_and_bad_beads():
    good = parse_gold("[0]:[0]\n[1, 2]:[1]\n[]:[2]\n[3]:[]")
    assert problems(good, 4, 3) == []
    assert problems(good, 5, 3)  # one more source sentence: coverage broken
    assert problems(parse_gold("[0]:[0]\n[2]:[1]"), 3, 2)  # gap
    assert problems(parse_gold("[1]:[0]\n[0]:[1]"), 2, 2)  # not monotone
    assert problems(parse_gold("[0, 1, 2, 3, 4]:[0]"), 5, 1)  # too large
    assert problems(parse_gold("[]:[]\n[0]:[0]"), 1, 1)  # empty bead
    with pytest.raises(ValueError):
        parse_gold("[0]-[0]")
