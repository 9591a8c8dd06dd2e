"""The number signal: dates, times, amounts and counts compared across a bead (text/numbers)."""

from __future__ import annotations

from typing import Any

from align.scoring.segment import Segment
from align.text.numbers import NumberCheck, check_numbers, compare, find_en, find_ja


def check(segment: Segment) -> NumberCheck:
    """Compare the numbers of both sides; one-sided beads are left to omission/addition."""
    finders = {"ja": find_ja, "en": find_en}
    src_find = finders.get(segment.src_lang, find_ja)
    tgt_find = finders.get(segment.tgt_lang, find_en)
    if segment.src_lang == "ja" and segment.tgt_lang == "en":
        return check_numbers(segment.src, segment.tgt, segment.ref_year)
    return compare(src_find(segment.src, segment.ref_year), tgt_find(segment.tgt, segment.ref_year))


def signal(result: NumberCheck) -> dict[str, Any]:
    """A JSON-ready summary: what was found on each side and what did not match."""
    return {
        "src": [f"{m.text}={m.describe()}" for m in result.src],
        "tgt": [f"{m.text}={m.describe()}" for m in result.tgt],
        "missing": [m.text for m in result.missing],
        "added": [m.text for m in result.added],
    }
