"""Terminology flags from the termbase (align.terms), when it is installed and has a termbase.

The termbase helper owns matching and per-bead checks; this module only adapts its flags. A
missing term inside a clause judged omitted is reported as part of the omission (composite.py),
an accepted English term with no Japanese source counts toward an addition, and only wrong or
deprecated renderings, and key terms rendered away, make the terminology label.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path
from typing import Any

from align.errors import AlignError

log = logging.getLogger(__name__)

WRONG, MISSING, ADDITION = "wrong_rendering", "missing", "addition"


class TermChecker:
    """A compiled termbase matcher; `check(ja, en)` returns the termbase helper's flags."""

    def __init__(self, matcher: Any, name: str) -> None:
        self.matcher = matcher
        self.name = name

    def check(self, src: str, tgt: str) -> list[Any]:
        from align.terms.check import check_pair

        return check_pair(self.matcher, src, tgt)

    def analyse(self, src: str, tgt: str) -> tuple[list[Any], list[tuple[int, int]]]:
        """The flags, and the spans of JA terms the English renders or stands in for.

        A term with an accepted rendering, or with another key term in its place (a
        terminology slip, not an omission), shows that its words were rendered; lexical
        coverage (lexical.py) counts them as covered.
        """
        from align.terms.check import flags_for
        from align.terms.pairing import pair_texts

        pairing = pair_texts(self.matcher, src, tgt)
        covered = {u.concept_id for u in pairing.uses if u.renderings or u.stand_in}
        spans = [(m.start, m.end) for m in pairing.ja_matches if m.concept_ids & covered]
        return flags_for(pairing), spans


def load_checker(termbase: str | Path | None = None) -> TermChecker | None:
    """The checker for `termbase` (None: the shipped one); None when no termbase is shipped.

    The matcher is shared with `run`'s term flags (built once per process, not once per run).
    """
    from align.terms.annotate import term_matcher

    try:
        digest = _digest(Path(termbase)) if termbase is not None else None
        if digest:
            matcher = _matcher(str(termbase), digest)
        else:  # the shipped termbase, or a missing file (term_matcher names it in the error)
            matcher = term_matcher(Path(termbase) if termbase is not None else None)
    except AlignError:
        if termbase is not None:
            raise
        log.warning("terminology signal unavailable: no shipped termbase")
        return None
    path = getattr(matcher.termbase, "path", None)
    name = Path(path or "termbase").name
    if path and Path(path).is_file():  # the content, so an edited termbase shows in the signature
        name += "@" + _digest(Path(path))
    return TermChecker(matcher, name)


def _digest(path: Path) -> str | None:
    return hashlib.sha1(path.read_bytes()).hexdigest()[:10] if path.is_file() else None


@functools.lru_cache(maxsize=4)
def _matcher(path: str, digest: str | None) -> Any:
    """A user termbase's matcher, rebuilt when its content changes (keyed by the digest)."""
    from align.terms.load import load_termbase
    from align.terms.matcher import Matcher

    return Matcher(load_termbase(Path(path)))


def flag_dict(flag: Any) -> dict[str, Any]:
    """A JSON-ready view of one flag."""
    data = flag.to_dict() if hasattr(flag, "to_dict") else dict(flag)
    data.pop("context", None)
    return data
