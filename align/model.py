"""The data model every stage shares: documents, turns, sentences, beads, alignments.

Everything here is plain dataclasses with a JSON round-trip (`to_dict` / `from_dict`), so a
run directory can be read back by any later stage without re-parsing the source files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

DocumentKind = Literal["original", "interpretation", "translation"]
TurnKind = Literal["speech", "heading", "narrative"]


@dataclass
class Sentence:
    """One sentence; `start`/`end` index the owning document's `text`."""

    id: str
    text: str
    start: int
    end: int
    kind: str = "speech"  # or a non-speech block: heading, caption, chrome, date, note

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sentence:
        return cls(**data)


@dataclass
class Paragraph:
    """A span of speech text inside a turn (offsets into the document text)."""

    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Turn:
    """What one speaker says without interruption, or a heading / narrative block."""

    index: int
    speaker: str | None
    label: str
    language: str
    via_interpreter: bool = False
    kind: TurnKind = "speech"
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def sentence_texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "speaker": self.speaker,
            "label": self.label,
            "language": self.language,
            "via_interpreter": self.via_interpreter,
            "kind": self.kind,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "sentences": [s.to_dict() for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        return cls(
            index=data["index"],
            speaker=data["speaker"],
            label=data["label"],
            language=data["language"],
            via_interpreter=data.get("via_interpreter", False),
            kind=data.get("kind", "speech"),
            paragraphs=[Paragraph(**p) for p in data.get("paragraphs", [])],
            sentences=[Sentence.from_dict(s) for s in data.get("sentences", [])],
        )


@dataclass
class Document:
    """A decoded, cleaned document: metadata, its full text and its turns."""

    id: str
    language: str
    kind: DocumentKind
    text: str
    turns: list[Turn] = field(default_factory=list)
    date: str | None = None
    title: str | None = None
    source: str | None = None
    licence: str | None = None
    path: str | None = None
    encoding: str | None = None
    note: str | None = None

    @property
    def sentences(self) -> list[Sentence]:
        return [s for t in self.turns for s in t.sentences]

    def speech_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.kind == "speech"]

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "turns"}
        data["turns"] = [t.to_dict() for t in self.turns]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        fields = {k: v for k, v in data.items() if k != "turns"}
        return cls(**fields, turns=[Turn.from_dict(t) for t in data.get("turns", [])])


@dataclass(frozen=True)
class Bead:
    """One alignment unit: source sentence indices aligned with target sentence indices.

    Indices are positions in the sentence lists handed to the aligner (Vecalign's bead model);
    an empty side is an omission (1-0) or an addition (0-1).
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float = 1.0

    @property
    def type(self) -> str:
        return f"{len(self.src)}-{len(self.tgt)}"

    def vecalign(self) -> str:
        """The Vecalign text form `[0]:[0, 1]`."""
        return f"[{', '.join(map(str, self.src))}]:[{', '.join(map(str, self.tgt))}]"


@dataclass(frozen=True)
class Signature:
    """Every setting that produced a number, printed like sacrebleu's signatures."""

    fields: tuple[tuple[str, str], ...]

    @classmethod
    def make(cls, **settings: Any) -> Signature:
        return cls(tuple((k, str(v)) for k, v in settings.items()))

    def as_dict(self) -> dict[str, str]:
        return dict(self.fields)

    def __str__(self) -> str:
        return "|".join(f"{k}:{v}" for k, v in self.fields)

    @classmethod
    def parse(cls, text: str) -> Signature:
        pairs = [part.split(":", 1) for part in text.split("|") if part]
        return cls(tuple((k, v) for k, v in pairs))
