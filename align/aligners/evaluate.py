"""Vecalign's alignment file format and its strict / lax precision, recall and F1.

The scoring replicates Vecalign's score.py (Thompson & Koehn 2019, after Véronis & Langlais's
W11-4624 measures) so numbers compare with published ones:
- precision: each distinct test bead (empty-on-both-sides beads ignored, omissions and additions
  included) is a strict hit if the identical bead is in the gold; else a lax hit if one of its
  target sentences is aligned, in some gold bead, with one of its source sentences;
- recall: the same with gold and test swapped, after removing 1-0 / 0-1 beads from both;
- counts are summed over all file pairs before dividing (micro-average); 0/0 gives 0.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from align.errors import InputError
from align.model import Bead, format_beads
from align.textfile import read_utf8

Pair = tuple[tuple[int, ...], tuple[int, ...]]


def parse_line(line: str) -> Pair:
    """`[0, 1]:[2]` (optionally `:score`) to a (source, target) pair; ValueError if malformed."""
    fields = [part.strip() for part in line.split(":") if part.strip()]
    if len(fields) < 2:
        raise ValueError("expected '[source ids]:[target ids]'")
    return _ids(fields[0]), _ids(fields[1])


def _ids(text: str) -> tuple[int, ...]:
    """A bracketed list of non-negative sentence numbers."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError) as error:
        raise ValueError(f"cannot parse {text!r}") from error
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value
    ):
        raise ValueError(f"{text!r} is not a list of sentence numbers")
    return tuple(value)


def read_alignments(path: str | Path) -> list[Pair]:
    """Read a Vecalign-format file; blank lines are skipped, anything else malformed is an error."""
    path = Path(path)
    lines = read_utf8(path, "alignment file").splitlines()
    pairs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            pairs.append(parse_line(line))
        except ValueError as error:
            raise InputError(f"line {number}: {error}: {line.strip()!r}", path=path) from error
    return pairs


def write_alignments(path: str | Path, beads: Iterable[Bead | Pair]) -> None:
    """Write beads in the Vecalign text format."""
    Path(path).write_text(format_beads(beads), encoding="utf-8")


@dataclass(frozen=True)
class Counts:
    """True and false positives, strict and lax (Vecalign's four counters)."""

    tp_strict: int = 0
    fp_strict: int = 0
    tp_lax: int = 0
    fp_lax: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.tp_strict + other.tp_strict,
            self.fp_strict + other.fp_strict,
            self.tp_lax + other.tp_lax,
            self.fp_lax + other.fp_lax,
        )


def _precision_counts(gold: Sequence[Pair], test: Sequence[Pair]) -> Counts:
    """Vecalign's _precision: classify each distinct test bead against the gold."""
    test_set = {(tuple(s), tuple(t)) for s, t in test if s or t}
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    gold_targets: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold_set:
        for s in src:
            gold_targets[s].update(tgt)
    tp_strict = fp_strict = tp_lax = fp_lax = 0
    for src, tgt in test_set:
        if (src, tgt) in gold_set:
            tp_strict += 1
            tp_lax += 1
            continue
        fp_strict += 1
        reachable = set().union(*(gold_targets.get(s, set()) for s in src))
        if reachable & set(tgt):
            tp_lax += 1
        else:
            fp_lax += 1
    return Counts(tp_strict, fp_strict, tp_lax, fp_lax)


def score_counts(gold: Sequence[Pair], test: Sequence[Pair]) -> tuple[Counts, Counts]:
    """(precision counts, recall counts) for one file pair."""
    precision = _precision_counts(gold, test)
    test_matched = [(s, t) for s, t in test if s and t]
    gold_matched = [(s, t) for s, t in gold if s and t]
    recall = _precision_counts(test_matched, gold_matched)
    return precision, recall


def score_multiple(
    gold_list: Sequence[Sequence[Pair]], test_list: Sequence[Sequence[Pair]]
) -> dict[str, float]:
    """Micro-averaged strict and lax precision, recall and F1 over file pairs."""
    if len(gold_list) != len(test_list):
        raise InputError(f"{len(gold_list)} gold alignments but {len(test_list)} test alignments")
    precision, recall = Counts(), Counts()
    for gold, test in zip(gold_list, test_list, strict=True):
        p, r = score_counts(gold, test)
        precision, recall = precision + p, recall + r
    p_strict = _ratio(precision.tp_strict, precision.fp_strict)
    p_lax = _ratio(precision.tp_lax, precision.fp_lax)
    r_strict = _ratio(recall.tp_strict, recall.fp_strict)
    r_lax = _ratio(recall.tp_lax, recall.fp_lax)
    return {
        "precision_strict": p_strict,
        "recall_strict": r_strict,
        "f1_strict": _f1(p_strict, r_strict),
        "precision_lax": p_lax,
        "recall_lax": r_lax,
        "f1_lax": _f1(p_lax, r_lax),
    }


def score_files(gold_paths: Sequence[str | Path], test_paths: Sequence[str | Path]) -> dict:
    """Score gold files against test files, pairing them by position."""
    if len(gold_paths) != len(test_paths):
        raise InputError(
            f"{len(gold_paths)} gold files but {len(test_paths)} test files; pair them one to one"
        )
    return score_multiple(
        [read_alignments(p) for p in gold_paths], [read_alignments(p) for p in test_paths]
    )


def _ratio(hits: int, misses: int) -> float:
    return hits / (hits + misses) if hits + misses else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
