"""One exported bead: the two texts in output order plus its metadata, typed and as text.

Every writer draws its columns, properties and notes from `META_FIELDS`, so all formats carry
the same metadata, and every reader turns text back into the same types with `meta_from_text`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from align.model import AlignedBead

# Metadata copied from each alignment record, in output order, with its type.
META_FIELDS: dict[str, type] = {
    "event": str,
    "date": str,
    "src_doc": str,
    "tgt_doc": str,
    "src_lang": str,
    "tgt_lang": str,
    "tgt_kind": str,
    "original_lang": str,  # the language of this bead's original (turns can go either way)
    "pair_index": int,
    "bead_index": int,
    "bead": str,
    "src_ids": list,
    "tgt_ids": list,
    "src_speaker": str,
    "tgt_speaker": str,
    "via_interpreter": bool,
    "confidence": float,
    "divergence": float,
    "scores_stale": bool,  # true: an edited bead whose scores could not be recomputed
    "labels": list,
    "reasons": list,
    "term_flags": list,
    "review_status": str,
    "note": str,
    "signature": str,
}
UNREVIEWED = "initial"  # the review status of a bead nobody has reviewed (never null)

# XML 1.0 `Char` production, negated: what no XML 1.0 document may carry (C0 controls other
# than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). Removed in every format so all hold the
# same pairs; hand-written because no maintained library exposes this exact class.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean_text(text: str) -> tuple[str, bool]:
    """Drop characters XML 1.0 cannot carry; say whether any were dropped."""
    cleaned = _NOT_XML_CHAR.sub("", text)
    return cleaned, len(cleaned) != len(text)


def review_status(bead: AlignedBead) -> str | None:
    """The bead's review status (None when it was never reviewed)."""
    return bead.review.status if bead.review else None


@dataclass(frozen=True, slots=True)
class Pair:
    """Texts in the export's language order (e.g. en, ja) and the bead's metadata."""

    langs: tuple[str, str]
    texts: tuple[str, str]
    meta: dict[str, Any]

    def row(self) -> dict[str, Any]:
        """A flat row: one column per language, then the metadata (tables, JSONL)."""
        return {self.langs[0]: self.texts[0], self.langs[1]: self.texts[1], **self.meta}


def meta_of(bead: AlignedBead) -> dict[str, Any]:
    """The metadata of one bead, every field present (None when absent)."""
    return {
        "event": bead.event, "date": bead.date, "src_doc": bead.src_doc, "tgt_doc": bead.tgt_doc,
        "src_lang": bead.src_lang, "tgt_lang": bead.tgt_lang, "tgt_kind": bead.tgt_kind,
        "original_lang": bead.original_lang, "pair_index": bead.pair_index,
        "bead_index": bead.bead_index, "bead": bead.bead,
        "src_ids": list(bead.src_ids), "tgt_ids": list(bead.tgt_ids),
        "src_speaker": bead.src_speaker, "tgt_speaker": bead.tgt_speaker,
        "via_interpreter": bead.via_interpreter, "confidence": bead.confidence,
        "divergence": bead.divergence,
        "scores_stale": True if bead.scores and bead.scores.stale else None,
        "labels": list(bead.labels), "reasons": list(bead.reasons),
        "term_flags": [f.reason for f in bead.term_flags or []],
        "review_status": review_status(bead) or UNREVIEWED,
        "note": bead.review.note if bead.review else None, "signature": bead.signature,
    }  # fmt: skip


def meta_to_text(name: str, value: Any) -> str | None:
    """Metadata value as text for XML properties and table cells; None stays None.

    Lists are JSON arrays (`["omission", "number"]`): reasons hold spaces and commas.
    """
    if value is None:
        return None
    kind = META_FIELDS[name]
    if kind is list:
        return json.dumps([str(item) for item in value], ensure_ascii=False)
    if kind is bool:
        return "true" if value else "false"
    return repr(float(value)) if kind is float else str(value)


def meta_from_text(name: str, text: str | None) -> Any:
    """Inverse of `meta_to_text`: empty or missing text reads as None (lists: as [])."""
    kind = META_FIELDS[name]
    if kind is list:
        if not text:
            return []
        return json.loads(text) if text.startswith("[") else text.split()  # older: spaces
    if not text:
        return None
    if kind is bool:
        return text == "true"
    return kind(text)
