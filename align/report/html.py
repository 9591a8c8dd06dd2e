"""The self-contained side-by-side HTML report (no server, no external assets)."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from align import __version__
from align.pipeline import LOW_CONFIDENCE, DocumentAlignment
from align.report.matrix import matrix_png

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment():  # noqa: ANN202 - jinja2 types are not needed by callers
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    # Autoescape on: every document text is escaped, whatever it contains.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]))


def _css(confidence: float) -> str:
    return "low" if confidence < 0.5 else "mid" if confidence < 0.8 else "high"


def _label(document, turn_ids: list[int]) -> str:  # noqa: ANN001
    if not turn_ids:
        return "—"
    turn = document.turns[turn_ids[0]]
    who = turn.speaker or turn.kind
    return f"{who} (turn {', '.join(map(str, turn_ids))})"


def _pair_view(alignment: DocumentAlignment, result: Any, pictures: bool) -> dict[str, Any]:
    src_join = "" if alignment.src.language == "ja" else " "
    tgt_join = "" if alignment.tgt.language == "ja" else " "
    rows = [
        {
            "index": i,
            "type": bead.type,
            "confidence": bead.confidence,
            "css": _css(bead.confidence) if bead.src and bead.tgt else "gap",
            "src": src_join.join(result.src_sentences[k].text for k in bead.src),
            "tgt": tgt_join.join(result.tgt_sentences[k].text for k in bead.tgt),
        }
        for i, bead in enumerate(result.beads)
    ]
    png = None
    if pictures and result.similarity is not None:
        png = matrix_png(result.similarity, result.beads)
    return {
        "src_label": _label(alignment.src, result.pair.src),
        "tgt_label": _label(alignment.tgt, result.pair.tgt),
        "matched": result.pair.matched,
        "rows": rows,
        "png": png,
    }


def render_report(event, alignments: list[DocumentAlignment], pictures: bool = True) -> str:  # noqa: ANN001
    """The report page for one event as an HTML string."""
    paired = {a.src.id for a in alignments} | {a.tgt.id for a in alignments}
    docs = [
        {
            "src": a.src,
            "tgt": a.tgt,
            "confidence": a.confidence,
            "signature": str(a.signature),
            "types": sorted(Counter(b.type for p in a.pairs for b in p.beads).items()),
            "pairs": [_pair_view(a, result, pictures) for result in a.pairs],
        }
        for a in alignments
    ]
    unpaired = [d for d in event.documents if d.id not in paired]
    template = _environment().get_template("report.html.j2")
    return template.render(
        event=event, alignments=docs, unpaired=unpaired, low=LOW_CONFIDENCE, version=__version__
    )
