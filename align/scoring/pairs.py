"""Line-aligned input (one segment per line, e.g. a parallel corpus) scored line by line.

The two files must have the same number of lines. A line pair where both sides are empty is
skipped (reported as such, so output lines still match input lines); a pair with one side empty
is scored as an omission (1-0) or an addition (0-1). All lines form one calibration group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from align.embed.base import Embedder
from align.errors import InputError
from align.scoring.engine import score_segments
from align.scoring.segment import Segment
from align.scoring.terminology import TermChecker
from align.textfile import read_utf8


def read_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 text file (a final newline does not make an extra line)."""
    return read_utf8(Path(path)).splitlines()


def read_pairs(src: Path, tgt: Path) -> tuple[list[str], list[str]]:
    """Both files' lines, refused when their counts differ (the message names both counts)."""
    left, right = read_lines(src), read_lines(tgt)
    if len(left) != len(right):
        raise InputError(
            f"line counts differ: {src} has {len(left)} lines, {tgt} has {len(right)} lines", src
        )
    if not any(a.strip() or b.strip() for a, b in zip(left, right, strict=True)):
        raise InputError("no non-empty line pairs to score", src)
    return left, right


def score_pairs(
    src: Path, tgt: Path, embedder: Embedder, *, src_lang: str = "ja", tgt_lang: str = "en",
    terms: TermChecker | None = None, mt: str | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """One result per input line: {"line", "divergence", "labels", "reasons", "signals"}."""
    left, right = read_pairs(src, tgt)
    keep = [i for i, (a, b) in enumerate(zip(left, right, strict=True)) if a.strip() or b.strip()]
    segments = [
        Segment(
            left[i].strip(), right[i].strip(), group=str(src), src_lang=src_lang, tgt_lang=tgt_lang
        )  # fmt: skip
        for i in keep
    ]
    results = score_segments(segments, embedder, terms)
    if mt:
        from align.scoring.mt import MarianScorer

        both = [k for k, s in enumerate(segments) if s.both]
        scores = MarianScorer(mt).score([segments[k].src for k in both],
                                        [segments[k].tgt for k in both])  # fmt: skip
        for k, score in zip(both, scores, strict=True):
            results[k]["signals"]["mt"] = score
    by_line = dict(zip(keep, results, strict=True))
    return [
        {"line": i + 1, **by_line[i]} if i in by_line else {"line": i + 1, "skipped": "empty"}
        for i in range(len(left))
    ]
