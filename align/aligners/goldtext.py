"""Evaluation that survives segmentation: gold units located in a run's sentences by their text.

A text gold is two unit files (one unit a line, as the text appears in the documents) and a
Vecalign-format bead file over their line numbers. Each unit is found in the run's document
(NFKC, whitespace ignored, searched in order), so a gold made with any segmenter scores any run.
A link is a (source unit, target unit) pair: gold links come from the gold beads, run links from
every run bead whose sentences overlap both units. Precision, recall and F1 are over links.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from align.aligners.evaluate import Pair, read_alignments
from align.errors import InputError
from align.textfile import read_utf8

Link = tuple[int, int]


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def read_units(path: str | Path) -> list[str]:
    """One gold unit a line (blank lines kept so numbers stay line numbers)."""
    path = Path(path)
    lines = read_utf8(path, "gold unit file").splitlines()
    if not any(line.strip() for line in lines):
        raise InputError("empty gold unit file: expected one unit per line", path=path)
    return lines


def locate(units: Sequence[str], sentences: Sequence[str]) -> list[set[int]]:
    """For each unit, the indices of the sentences its text overlaps (empty if not found)."""
    owner: list[int] = []
    for index, sentence in enumerate(sentences):
        owner.extend([index] * len(_norm(sentence)))
    text = "".join(_norm(s) for s in sentences)
    owners = np.asarray(owner, dtype=np.int64)
    cursor, out = 0, []
    for unit in units:
        key = _norm(unit)
        start = text.find(key, cursor) if key else -1
        if start < 0 and key:
            start = text.find(key)
        if start < 0:
            out.append(set())
            continue
        end = start + len(key)
        out.append(set(owners[start:end].tolist()))
        cursor = end
    return out


def gold_links(beads: Iterable[Pair]) -> set[Link]:
    """Every (source unit, target unit) pair a gold bead joins."""
    return {(s, t) for src, tgt in beads for s in src for t in tgt}


def run_links(
    beads: Iterable[tuple[Sequence[int], Sequence[int]]],
    src_units: list[set[int]],
    tgt_units: list[set[int]],
) -> set[Link]:
    """Unit links implied by run beads over run sentence indices."""
    src_of = _inverse(src_units)
    tgt_of = _inverse(tgt_units)
    links: set[Link] = set()
    for src, tgt in beads:
        a = set().union(*(src_of.get(i, set()) for i in src))
        b = set().union(*(tgt_of.get(j, set()) for j in tgt))
        links.update((s, t) for s in a for t in b)
    return links


def _inverse(units: list[set[int]]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for unit, sentences in enumerate(units):
        for sentence in sentences:
            out.setdefault(sentence, set()).add(unit)
    return out


@dataclass
class LinkScore:
    """Link counts of one or more document pairs, and how many units could not be found."""

    hits: int = 0
    predicted: int = 0
    gold: int = 0
    units: int = 0
    unlocated: list[str] = field(default_factory=list)

    def __add__(self, other: LinkScore) -> LinkScore:
        return LinkScore(
            self.hits + other.hits,
            self.predicted + other.predicted,
            self.gold + other.gold,
            self.units + other.units,
            self.unlocated + other.unlocated,
        )

    def as_dict(self) -> dict[str, float | int | list[str]]:
        p = self.hits / self.predicted if self.predicted else 0.0
        r = self.hits / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": p,
            "recall": r,
            "f1": f1,
            "links_gold": self.gold,
            "links_run": self.predicted,
            "links_correct": self.hits,
            "units": self.units,
            "units_unlocated": len(self.unlocated),
            "unlocated": self.unlocated[:20],
        }


def score_links(
    src_units: Sequence[str],
    tgt_units: Sequence[str],
    gold: Sequence[Pair],
    src_sentences: Sequence[str],
    tgt_sentences: Sequence[str],
    beads: Iterable[tuple[Sequence[int], Sequence[int]]],
) -> LinkScore:
    """Link counts of run beads (over run sentences) against a text gold."""
    where_src = locate(src_units, src_sentences)
    where_tgt = locate(tgt_units, tgt_sentences)
    used = {s for src, _ in gold for s in src}, {t for _, tgt in gold for t in tgt}
    unlocated = [
        src_units[i] for i in sorted(used[0]) if i < len(where_src) and not where_src[i]
    ] + [tgt_units[j] for j in sorted(used[1]) if j < len(where_tgt) and not where_tgt[j]]
    expected = gold_links(gold)
    predicted = run_links(beads, where_src, where_tgt)
    return LinkScore(
        len(expected & predicted),
        len(predicted),
        len(expected),
        len(used[0]) + len(used[1]),
        unlocated,
    )


def check_gold(gold: Sequence[Pair], n_src: int, n_tgt: int, path: Path) -> None:
    """Gold beads must point at existing unit lines."""
    for src, tgt in gold:
        if any(i >= n_src for i in src) or any(j >= n_tgt for j in tgt):
            raise InputError(
                f"bead {list(src)}:{list(tgt)} points past the unit files "
                f"({n_src} source, {n_tgt} target lines)",
                path=path,
            )


def score_run(src_path: Path, tgt_path: Path, gold_path: Path, run_dir: Path) -> LinkScore:
    """Score one run directory against a text gold; picks the document pair the units fit."""
    from align.rundir import read_beads, read_documents

    src_units, tgt_units = read_units(src_path), read_units(tgt_path)
    gold = read_alignments(gold_path)
    check_gold(gold, len(src_units), len(tgt_units), gold_path)
    records = read_beads(run_dir)
    documents = read_documents(run_dir)
    pairs = sorted({(r.src_doc, r.tgt_doc) for r in records})
    if not pairs:
        raise InputError("run has no beads to score", path=run_dir)
    best: tuple[int, LinkScore] | None = None
    for a, b in pairs:
        for flip in (False, True):
            score = _score_pair(src_units, tgt_units, gold, documents, records, a, b, flip)
            located = score.units - len(score.unlocated)
            if best is None or located > best[0]:
                best = (located, score)
    assert best is not None
    return best[1]


def _score_pair(src_units, tgt_units, gold, documents, records, a, b, flip) -> LinkScore:
    """The gold's source side against run document a (or b when flipped)."""
    if a not in documents or b not in documents:
        raise InputError(f"run lacks documents/{a}.json or documents/{b}.json")
    index = {d: {s.id: k for k, s in enumerate(documents[d].sentences)} for d in (a, b)}
    beads = [
        ([index[a][i] for i in r.src_ids], [index[b][j] for j in r.tgt_ids])
        for r in records
        if r.src_doc == a and r.tgt_doc == b
    ]
    sa = [s.text for s in documents[a].sentences]
    sb = [s.text for s in documents[b].sentences]
    if flip:
        beads = [(t, s) for s, t in beads]
        sa, sb = sb, sa
    return score_links(src_units, tgt_units, gold, sa, sb, beads)
