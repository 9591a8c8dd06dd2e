"""Plain data summaries for the terminal and for `--json`."""

from __future__ import annotations

from typing import Any

from align.model import Document


def inspect_summary(document: Document) -> dict[str, Any]:
    """What `inspect --json` prints: metadata and, per turn, speaker and sentence texts."""
    return {
        "id": document.id,
        "path": document.path,
        "language": document.language,
        "kind": document.kind,
        "encoding": document.encoding,
        "date": document.date,
        "title": document.title,
        "source": document.source,
        "turns": [
            {
                "index": turn.index,
                "kind": turn.kind,
                "speaker": turn.speaker,
                "label": turn.label,
                "via_interpreter": turn.via_interpreter,
                "sentences": [s.text for s in turn.sentences],
                "sentence_kinds": [s.kind for s in turn.sentences],
            }
            for turn in document.turns
        ],
    }
