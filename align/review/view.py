"""What the page shows for each bead: sentences with term highlights, scores, flags, status.

Scores and flags belong to the aligner's original beads. A bead the reviewer left as it was
shows them as they are; a restructured bead shows the weakest confidence and the highest
divergence of the beads its sentences came from, and their flags without highlights.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from align.model import AlignedBead, Scores
from align.review.store import Store, UnitInfo
from align.text.lang import base_language, joiner

Part = tuple[str, dict[str, Any] | None]


@dataclass
class SentenceView:
    """One sentence as shown: its pieces (with the flag that marks each) and any correction."""

    side: str
    pos: int
    parts: list[Part]
    original: str
    corrected: bool


@dataclass
class BeadView:
    """One bead row of the page."""

    id: int
    version: int
    status: str
    note: str | None
    src: list[SentenceView]
    tgt: list[SentenceView]
    confidence: float | None
    divergence: float | None
    labels: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    changed: bool = False
    updated_by: str | None = None
    stale: bool = False  # scores of an earlier state: the edit could not be rescored

    @property
    def type(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass
class UnitView:
    """One turn pair: its heading facts and beads."""

    id: int
    record: AlignedBead
    beads: list[BeadView]


def record_flags(record: AlignedBead) -> list[dict[str, Any]]:
    """Term flags of a bead as the page's highlighter reads them."""
    return [f.to_dict() for f in record.term_flags or []]


def _surfaces(flag: dict[str, Any], lang: str) -> list[str]:
    """The words a flag is about in one language, for flags stored without offsets."""
    value = flag.get("ja_term") if lang == "ja" else flag.get("found")
    return [w.strip() for w in str(value or "").split(";") if w.strip()]


def _flag_spans(flag: dict[str, Any], lang: str, text: str) -> list[tuple[int, int]]:
    """Where a flag points in the bead text: its stored span, else every use of its term."""
    span = flag.get(f"{lang}_span")
    if isinstance(span, (list, tuple)) and len(span) == 2:
        return [(int(span[0]), int(span[1]))]
    folded = text.casefold() if lang != "ja" else text
    found = []
    for word in _surfaces(flag, lang):
        needle = word.casefold() if lang != "ja" else word
        start = folded.find(needle)
        while needle and start >= 0:
            found.append((start, start + len(needle)))
            start = folded.find(needle, start + len(needle))
    return found


def _without_spans(flag: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in flag.items() if not k.endswith("_span")}


def _spans(flags: list[dict[str, Any]], lang: str, text: str) -> list[tuple[int, int, Any]]:
    """Non-overlapping flag spans in one language's bead text, in text order."""
    lang = base_language(lang)
    spans = sorted((s, e, f) for f in flags for s, e in _flag_spans(f, lang, text))
    kept: list[tuple[int, int, Any]] = []
    for start, end, flag in spans:
        if start < end and (not kept or start >= kept[-1][1]):
            kept.append((start, end, flag))
    return kept


def highlight(text: str, offset: int, spans: Iterable[tuple[int, int, Any]]) -> list[Part]:
    """Cut one sentence (starting at `offset` of the bead text) into plain and flagged parts."""
    parts: list[Part] = []
    cursor = 0
    for start, end, flag in spans:
        lo, hi = max(start - offset, cursor), min(end - offset, len(text))
        if lo >= hi:
            continue
        if lo > cursor:
            parts.append((text[cursor:lo], None))
        parts.append((text[lo:hi], flag))
        cursor = hi
    if cursor < len(text) or not parts:
        parts.append((text[cursor:], None))
    return parts


class Viewer:
    """Builds bead and unit views from a store's live state."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _sentences(
        self,
        unit: UnitInfo,
        side: str,
        positions: list[int],
        corrections: dict[tuple[int, str, int], str],
        flags: list[dict[str, Any]] | None,
    ) -> list[SentenceView]:
        """Sentence views of one side, flagged terms marked (not in corrected sentences)."""
        record = self.store.records[unit.first_record]
        lang = record.lang(side)
        originals = [self.store.originals[(unit.id, side, pos)][1] for pos in positions]
        spans = _spans(flags, lang, joiner(lang).join(originals)) if flags else []
        views, offset = [], 0
        for pos, original in zip(positions, originals, strict=True):
            text = corrections.get((unit.id, side, pos), original)
            corrected = (unit.id, side, pos) in corrections
            parts = [(text, None)] if corrected else highlight(text, offset, spans)
            views.append(SentenceView(side, pos, parts, original, corrected))
            offset += len(original) + len(joiner(lang))
        return views

    def bead(
        self, row: dict[str, Any], corrections: dict[tuple[int, str, int], str],
        scores: dict[int, Scores | None] | None = None,
    ) -> BeadView:  # fmt: skip
        """The view of one live bead row (with the reviewed state's scores where given)."""
        unit = self.store.units[row["unit"]]
        origin = unit.origins.get((tuple(row["src"]), tuple(row["tgt"])))
        sources = [origin] if origin is not None else self._contributors(unit, row)
        records = [self.store.records[i] for i in sources]
        flags = [f for r in records for f in record_flags(r)]
        # Offsets are only valid in the original bead text; elsewhere the terms are searched.
        shown = flags if origin is not None else [_without_spans(f) for f in flags]
        confidences = [r.confidence for r in records]
        divergences = [r.divergence for r in records if r.divergence is not None]
        view = BeadView(
            id=row["id"],
            version=row["version"],
            status=row["status"],
            note=row["note"],
            src=self._sentences(unit, "src", row["src"], corrections, shown),
            tgt=self._sentences(unit, "tgt", row["tgt"], corrections, shown),
            confidence=min(confidences) if confidences else None,
            divergence=max(divergences) if divergences else None,
            labels=list(dict.fromkeys(s for r in records for s in r.labels)),
            reasons=list(dict.fromkeys(s for r in records for s in r.reasons)),
            flags=flags,
            changed=origin is None,
            updated_by=row.get("updated_by"),
        )
        if scores is not None and row["id"] in scores:
            current = scores[row["id"]]
            view.divergence = current.divergence if current else None
            view.labels = list(current.labels) if current else []
            view.reasons = list(current.reasons) if current else []
            view.stale = bool(current and current.stale)
        return view

    @staticmethod
    def _contributors(unit: UnitInfo, row: dict[str, Any]) -> list[int]:
        """Original records whose sentences a restructured bead holds."""
        owners = [unit.owners[("src", p)] for p in row["src"]]
        owners += [unit.owners[("tgt", p)] for p in row["tgt"]]
        return sorted(set(owners))

    def units(
        self, unit: int | None = None, scores: dict[int, Scores | None] | None = None
    ) -> list[UnitView]:
        """Views of every unit (or one), in reading order."""
        corrections = self.store.corrections(unit)
        grouped: dict[int, list[BeadView]] = {}
        for row in self.store.beads(unit):
            grouped.setdefault(row["unit"], []).append(self.bead(row, corrections, scores))
        ids = [unit] if unit else list(self.store.units)
        return [
            UnitView(
                uid, self.store.records[self.store.units[uid].first_record], grouped.get(uid, [])
            )
            for uid in ids
        ]
