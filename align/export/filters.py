"""Filters as generators: records stream through them, and a log counts what each dropped.

Record filters run first (confidence, divergence, bead type, review, speaker, event), then the
records become `Pair`s in the requested language order, then gaps and duplicates are dropped.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from align.errors import EmptyResultError, InputError
from align.export.pairs import Pair, clean_text, meta_of, review_status
from align.model import AlignedBead

REVIEWED = frozenset({"reviewed", "final"})


@dataclass(frozen=True)
class Filters:
    """What to keep; None or False means the filter is off."""

    min_confidence: float | None = None
    max_divergence: float | None = None
    bead_types: frozenset[str] | None = None
    reviewed_only: bool = False
    speakers: frozenset[str] | None = None
    events: frozenset[str] | None = None
    dedupe: bool = False
    include_gaps: bool = False

    def __post_init__(self) -> None:
        """Speaker names match case-insensitively: fold them once here."""
        if self.speakers is not None:
            object.__setattr__(self, "speakers", frozenset(s.casefold() for s in self.speakers))


@dataclass
class FilterLog:
    """Counts for the summary line and for clear errors when nothing is left."""

    read: int = 0
    written: int = 0
    cleaned: int = 0
    dropped: Counter[str] = field(default_factory=Counter)
    has_divergence: bool = False
    has_review: bool = False

    def summary(self) -> str:
        """One line: beads read, written, dropped by each filter."""
        drops = ", ".join(f"{name} {count}" for name, count in self.dropped.items())
        return f"read {self.read} beads, wrote {self.written}" + (
            f" (dropped: {drops})" if drops else ""
        )


def _score_rejection(record: AlignedBead, filters: Filters) -> str | None:
    """The name of the score filter that drops this bead, if any."""
    if filters.min_confidence is not None and record.confidence < filters.min_confidence:
        return "min-confidence"
    divergence = record.divergence
    if filters.max_divergence is not None and (
        divergence is None or divergence > filters.max_divergence
    ):
        return "max-divergence"
    return None


def _rejection(record: AlignedBead, filters: Filters) -> str | None:
    """The name of the first filter that drops this record, or None to keep it."""
    reason = _score_rejection(record, filters)
    if reason:
        return reason
    if filters.bead_types is not None and record.bead not in filters.bead_types:
        return "bead-types"
    if filters.reviewed_only and review_status(record) not in REVIEWED:
        return "reviewed-only"
    if filters.events is not None and record.event not in filters.events:
        return "event"
    if filters.speakers is not None and not _speaks(record, filters.speakers):
        return "speaker"
    return None


def _speaks(record: AlignedBead, speakers: frozenset[str]) -> bool:
    """Whether either side's speaker is one of the wanted (case-folded) names."""
    names = (record.src_speaker, record.tgt_speaker)
    return any(name is not None and name.casefold() in speakers for name in names)


def select(
    records: Iterable[AlignedBead], filters: Filters, log: FilterLog, source: str
) -> Iterator[AlignedBead]:
    """Records that pass every record filter; refuses score filters the input cannot serve."""
    for record in records:
        log.read += 1
        log.has_divergence |= record.divergence is not None
        log.has_review |= record.review is not None
        reason = _rejection(record, filters)
        if reason:
            log.dropped[reason] += 1
        else:
            yield record
    if filters.max_divergence is not None and not log.has_divergence:
        raise InputError("--max-divergence: no bead has a divergence score", path=source)
    if filters.reviewed_only and not log.has_review:  # nothing to keep: exit 4, as documented
        raise EmptyResultError(
            "--reviewed-only: no bead has been reviewed (review it first: interp-align review "
            "RUN_DIR)",
            path=source,
        )


def orient(
    records: Iterable[AlignedBead], langs: tuple[str, str] | None, log: FilterLog, source: str
) -> Iterator[Pair]:
    """Pairs in the requested language order (None: each bead's original first), XML-safe text."""
    wanted = langs
    for record in records:
        langs = wanted or (record.original_lang, record.rendering_lang)
        by_lang = {record.src_lang: record.src_text, record.tgt_lang: record.tgt_text}
        if langs[0] not in by_lang or langs[1] not in by_lang:
            where = f"{record.event}/{record.pair_index}/{record.bead_index}"
            found = f"{record.src_lang}-{record.tgt_lang}"
            raise InputError(
                f"bead {where} is {found}, not --direction {langs[0]}-{langs[1]}", path=source
            )
        first, dirty_first = clean_text(by_lang[langs[0]])
        second, dirty_second = clean_text(by_lang[langs[1]])
        meta = meta_of(record)
        for name, value in meta.items():  # event ids, speakers: metadata comes from names too
            if isinstance(value, str):
                meta[name], dirty = clean_text(value)
                dirty_first = dirty_first or dirty
        log.cleaned += dirty_first or dirty_second
        yield Pair(langs, (first, second), meta)


def drop_gaps(pairs: Iterable[Pair], log: FilterLog) -> Iterator[Pair]:
    """Pairs with text on both sides (0-1 and 1-0 beads have none on one side)."""
    for pair in pairs:
        if pair.texts[0].strip() and pair.texts[1].strip():
            yield pair
        else:
            log.dropped["gaps"] += 1


def dedupe(pairs: Iterable[Pair], log: FilterLog) -> Iterator[Pair]:
    """The first of each exactly repeated text pair; memory grows with distinct pairs."""
    seen: set[bytes] = set()
    for pair in pairs:
        key = "\0".join(pair.texts).encode("utf-8")
        digest = hashlib.blake2b(key, digest_size=16).digest()
        if digest in seen:
            log.dropped["dedupe"] += 1
            continue
        seen.add(digest)
        yield pair


def count(pairs: Iterable[Pair], log: FilterLog) -> Iterator[Pair]:
    """Count what reaches the writer."""
    for pair in pairs:
        log.written += 1
        yield pair


def pipeline(
    records: Iterable[AlignedBead],
    filters: Filters,
    langs: tuple[str, str] | None,
    log: FilterLog,
    source: str,
) -> Iterator[Pair]:
    """All filters chained, lazily, in their documented order."""
    pairs = orient(select(records, filters, log, source), langs, log, source)
    if not filters.include_gaps:
        pairs = drop_gaps(pairs, log)
    if filters.dedupe:
        pairs = dedupe(pairs, log)
    return count(pairs, log)


def ensure_some(log: FilterLog, source: str) -> None:
    """EmptyResultError (exit 4) when the filters left nothing to write."""
    if log.written == 0:
        raise EmptyResultError(f"no bead left to export: {log.summary()}", path=source)
