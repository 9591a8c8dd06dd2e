"""The self-contained side-by-side HTML report (no server, no external assets)."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from align import __version__
from align.errors import LOW_CONFIDENCE
from align.model import AlignedBead
from align.pipeline import DocumentAlignment
from align.report.matrix import matrix_png
from align.report.profile import COLUMNS as PROFILE_COLUMNS
from align.report.profile import speaker_profiles
from align.text.lang import joiner

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    # Autoescape on: every document text is escaped, whatever it contains.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]))


def _css(confidence: float) -> str:
    return "low" if confidence < 0.5 else "mid" if confidence < 0.8 else "high"


def _label(document, turn_ids: list[int]) -> str:
    if not turn_ids:
        return "—"
    turn = document.turns[turn_ids[0]]
    who = turn.speaker or turn.kind
    return f"{who} (turn {', '.join(map(str, turn_ids))})"


def _annotations(bead: AlignedBead | None) -> dict[str, Any]:
    """Term flags and divergence (when scored) of one bead, for display."""
    if not bead:
        return {"flags": [], "divergence": None, "reasons": []}
    flags = [{"severity": f.severity, "reason": f.reason} for f in bead.term_flags or []]
    return {
        "flags": flags,
        "divergence": bead.divergence,
        "reasons": [r for r in bead.reasons if r],
    }


def _pair_view(
    alignment: DocumentAlignment, index: int, result: Any, pictures: bool, by_key: dict
) -> dict[str, Any]:
    src_join, tgt_join = joiner(alignment.src.language), joiner(alignment.tgt.language)
    rows = [
        {
            "index": i,
            "type": bead.type,
            "confidence": bead.confidence,
            "css": _css(bead.confidence) if bead.src and bead.tgt else "gap",
            "src": src_join.join(result.src_sentences[k].text for k in bead.src),
            "tgt": tgt_join.join(result.tgt_sentences[k].text for k in bead.tgt),
            **_annotations(by_key.get((alignment.src.id, alignment.tgt.id, index, i))),
        }
        for i, bead in enumerate(result.beads)
    ]
    png = None
    if pictures and result.similarity is not None:
        png = matrix_png(result.similarity, result.beads)
    from align.pipeline import original_side

    side = original_side(alignment.src, alignment.tgt, result.pair)
    original, rendering = (alignment.tgt, alignment.src) if side == "tgt" else (
        alignment.src, alignment.tgt)  # fmt: skip
    return {
        "direction": f"{original.language} original → {rendering.language} rendering",
        "reversed": side == "tgt",
        "src_label": _label(alignment.src, result.pair.src),
        "tgt_label": _label(alignment.tgt, result.pair.tgt),
        "matched": result.pair.matched,
        "rows": rows,
        "png": png,
    }


def render_report(
    event,
    alignments: list[DocumentAlignment],
    pictures: bool = True,
    beads: list[AlignedBead] | None = None,
    document_flags: dict[str, list[dict[str, Any]]] | None = None,
) -> str:
    """The report page for one event as an HTML string."""
    by_key = {(b.src_doc, b.tgt_doc, b.pair_index, b.bead_index): b for b in beads or []}
    paired = {a.src.id for a in alignments} | {a.tgt.id for a in alignments}
    docs = [
        {
            "src": a.src,
            "tgt": a.tgt,
            "confidence": a.confidence,
            "signature": str(a.signature),
            "types": sorted(Counter(b.type for p in a.pairs for b in p.beads).items()),
            "scored": any(b.scores is not None for b in beads or []),
            "pairs": [
                _pair_view(a, k, result, pictures, by_key) for k, result in enumerate(a.pairs)
            ],
        }
        for a in alignments
    ]
    unpaired = [
        {"doc": d, "flags": (document_flags or {}).get(d.id, [])}
        for d in event.documents
        if d.id not in paired
    ]
    template = _environment().get_template("report.html.j2")
    profiles = speaker_profiles(beads or [], pictures)
    return template.render(
        event=event, alignments=docs, unpaired=unpaired, low=LOW_CONFIDENCE, version=__version__,
        profiles=profiles, profile_columns=PROFILE_COLUMNS,
    )  # fmt: skip
