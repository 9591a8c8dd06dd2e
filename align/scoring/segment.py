"""What the scorer works on: one bead's two texts, the group it is calibrated in, its context."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Segment:
    """One bead to score: source (original) and target (rendering) texts.

    `group` is the unit of calibration (a document pair); `origin` marks segments that render
    the same source (variants of one bead) so they are never used as each other's random pairs.
    """

    src: str
    tgt: str
    group: str = "document"
    origin: str | None = None
    date: str | None = None
    src_lang: str = "ja"
    tgt_lang: str = "en"
    reference: str | None = None  # an official translation of the same source, when known
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def ref_year(self) -> int | None:
        text = str(self.date or "")
        return int(text[:4]) if text[:4].isdigit() else None

    @property
    def has_src(self) -> bool:
        return bool(self.src.strip())

    @property
    def has_tgt(self) -> bool:
        return bool(self.tgt.strip())

    @property
    def both(self) -> bool:
        """Both sides hold text (one check: every signal asks for every bead)."""
        return bool(self.src.strip() and self.tgt.strip())
