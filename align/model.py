"""The data model every stage shares: documents, turns, sentences, beads, alignments.

Everything here is plain dataclasses with a JSON round-trip (`to_dict` / `from_dict`), so a
run directory can be read back by any later stage without re-parsing the source files.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from align.errors import InputError

DocumentKind = Literal["original", "interpretation", "translation"]
TurnKind = Literal["speech", "heading", "narrative"]


@dataclass(slots=True)
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


@dataclass(slots=True)
class Paragraph:
    """A span of speech text inside a turn (offsets into the document text)."""

    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
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


def format_beads(beads: Iterable[Bead | tuple[Sequence[int], Sequence[int]]]) -> str:
    """The Vecalign bead-file text for beads or (source, target) pairs, one per line."""
    lines = []
    for bead in beads:
        src, tgt = (bead.src, bead.tgt) if isinstance(bead, Bead) else bead
        lines.append(Bead(tuple(src), tuple(tgt)).vecalign())
    return "".join(line + "\n" for line in lines)


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


# --- The aligned bead record: one unit from `run` to export (alignment.jsonl, schema 3) ---

BEAD_SCHEMA = 3  # alignment.jsonl layout; 1 = flat records before typed beads, 2 = no direction
_STR, _INT, _NUM, _BOOL, _LIST = (str,), (int,), (int, float), (bool,), (list,)
_NONE = (type(None),)


def _record_error(message: str, path: str | Path | None, line: int | None) -> InputError:
    """The one error for a malformed record: names the file and the line."""
    return InputError(f"line {line}: {message}" if line else message, path=path)


# What the lists of a record hold (other lists, such as term flags, are checked as records).
_ITEMS: dict[str, type] = {
    "src_idx": int, "tgt_idx": int, "src_ids": str, "tgt_ids": str, "labels": str,
    "reasons": str, "ja_span": int, "en_span": int,
}  # fmt: skip


def _items_are(values: list[Any], kind: type) -> bool:
    return all(isinstance(v, kind) and not isinstance(v, bool) for v in values)


def _check_keys(
    data: Any, kinds: dict[str, tuple[type, ...]], optional: frozenset[str], what: str,
    path: str | Path | None, line: int | None,
) -> None:  # fmt: skip
    """Refuse a non-object, unknown keys, missing keys and values of the wrong type."""
    if not isinstance(data, dict):
        raise _record_error(f"{what}: expected a JSON object", path, line)
    unknown = [k for k in data if k not in kinds]
    if unknown:
        raise _record_error(f"{what}: unknown key(s) {', '.join(map(str, unknown))}", path, line)
    missing = [k for k in kinds if k not in data and k not in optional]
    if missing:
        raise _record_error(f"{what}: missing {', '.join(missing)}", path, line)
    wrong = [
        k for k, v in data.items()
        if not isinstance(v, kinds[k]) or (isinstance(v, bool) and bool not in kinds[k])
        or (isinstance(v, list) and k in _ITEMS and not _items_are(v, _ITEMS[k]))
    ]  # fmt: skip
    if wrong:
        raise _record_error(f"{what}: wrong type for {', '.join(wrong)}", path, line)


@dataclass
class TermFlag:
    """One termbase finding on a bead (see terms/check.py for how it is found)."""

    kind: str
    severity: str
    concept_id: str
    ja_term: str | None
    expected: str | None
    found: str | None
    reason: str
    ja_span: list[int] | None = None  # offsets in the bead texts, where the check kept them
    en_span: list[int] | None = None

    _KINDS = {"kind": _STR, "severity": _STR, "concept_id": _STR, "ja_term": _STR + _NONE,
              "expected": _STR + _NONE, "found": _STR + _NONE, "reason": _STR,
              "ja_span": _LIST + _NONE, "en_span": _LIST + _NONE}  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: v for k, v in data.items() if not (k.endswith("_span") and v is None)}

    @classmethod
    def from_dict(
        cls, data: Any, path: str | Path | None = None, line: int | None = None
    ) -> TermFlag:
        _check_keys(data, cls._KINDS, frozenset({"ja_span", "en_span"}), "term flag", path, line)
        return cls(**data)


@dataclass
class Scores:
    """The divergence block: composite score, labels with one reason each, signals, signature.

    `stale` marks scores that belong to an earlier state of the bead (a review edit that could
    not be rescored); every view and export shows it.
    """

    divergence: float
    labels: list[str]
    reasons: list[str]
    signals: dict[str, Any]
    signature: str
    stale: bool = False

    _KINDS = {"divergence": _NUM, "labels": _LIST, "reasons": _LIST, "signals": (dict,),
              "signature": _STR, "stale": _BOOL}  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(
        cls, data: Any, path: str | Path | None = None, line: int | None = None
    ) -> Scores:
        _check_keys(data, cls._KINDS, frozenset({"stale"}), "scores", path, line)
        return cls(**data)


@dataclass
class Correction:
    """A reviewer's correction of one sentence; the original text is kept."""

    side: str
    pos: int
    id: str | None
    original: str
    corrected: str

    _KINDS = {"side": _STR, "pos": _INT, "id": _STR + _NONE, "original": _STR,
              "corrected": _STR}  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(
        cls, data: Any, path: str | Path | None = None, line: int | None = None
    ) -> Correction:
        _check_keys(data, cls._KINDS, frozenset(), "correction", path, line)
        return cls(**data)


REVIEWED_STATUSES = frozenset({"reviewed", "final"})


@dataclass
class Review:
    """The review state of a bead: status, note, who and when, corrections, store version."""

    status: str = "initial"
    note: str | None = None
    by: str | None = None
    at: str | None = None
    version: int | None = None
    corrections: list[Correction] = field(default_factory=list)

    _KINDS = {"status": _STR, "note": _STR + _NONE, "by": _STR + _NONE, "at": _STR + _NONE,
              "version": _INT + _NONE, "corrections": _LIST}  # fmt: skip

    @property
    def reviewed(self) -> bool:
        return self.status in REVIEWED_STATUSES

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["corrections"] = [c.to_dict() for c in self.corrections]
        return data

    @classmethod
    def from_dict(
        cls, data: Any, path: str | Path | None = None, line: int | None = None
    ) -> Review:
        optional = frozenset(cls._KINDS) - {"status"}
        _check_keys(data, cls._KINDS, optional, "review", path, line)
        corrections = [Correction.from_dict(c, path, line) for c in data.get("corrections", [])]
        return cls(**{**data, "corrections": corrections})


@dataclass
class AlignedBead:
    """One aligned bead with everything later stages add to it (after translate-toolkit's unit).

    Identity (event, documents, languages, turn pair, speakers, bead index, and which side's
    language is the original: a transcript with turns both ways has beads both ways), the alignment
    (positions in the turn pair, document sentence ids, joined texts, bead type, confidence,
    run signature) and optional typed blocks: term flags, scores, review. `run` is where the
    bead was read from (not stored).
    """

    event: str
    date: str | None
    src_doc: str
    tgt_doc: str
    src_lang: str
    tgt_lang: str
    tgt_kind: str
    original_lang: str
    pair_index: int
    src_turn: int | None
    tgt_turn: int | None
    src_speaker: str | None
    tgt_speaker: str | None
    via_interpreter: bool
    bead_index: int
    bead: str
    src_idx: list[int]
    tgt_idx: list[int]
    src_ids: list[str]
    tgt_ids: list[str]
    src_text: str
    tgt_text: str
    confidence: float
    signature: str
    term_flags: list[TermFlag] | None = None
    scores: Scores | None = None
    review: Review | None = None
    run: str | None = field(default=None, compare=False, repr=False)

    _KINDS = {
        "schema": _INT, "event": _STR, "date": _STR + _NONE, "src_doc": _STR, "tgt_doc": _STR,
        "src_lang": _STR, "tgt_lang": _STR, "tgt_kind": _STR, "original_lang": _STR,
        "pair_index": _INT,
        "src_turn": _INT + _NONE, "tgt_turn": _INT + _NONE, "src_speaker": _STR + _NONE,
        "tgt_speaker": _STR + _NONE, "via_interpreter": _BOOL, "bead_index": _INT,
        "bead": _STR, "src_idx": _LIST, "tgt_idx": _LIST, "src_ids": _LIST, "tgt_ids": _LIST,
        "src_text": _STR, "tgt_text": _STR, "confidence": _NUM, "signature": _STR,
        "term_flags": _LIST + _NONE, "scores": (dict,) + _NONE, "review": (dict,) + _NONE,
    }  # fmt: skip
    _OPTIONAL = frozenset({"term_flags", "scores", "review"})

    @property
    def divergence(self) -> float | None:
        return self.scores.divergence if self.scores else None

    @property
    def labels(self) -> list[str]:
        return self.scores.labels if self.scores else []

    @property
    def reasons(self) -> list[str]:
        return self.scores.reasons if self.scores else []

    @property
    def review_status(self) -> str | None:
        return self.review.status if self.review else None

    def text(self, side: str) -> str:
        """The joined text of one side ('src' or 'tgt')."""
        return self.src_text if side == "src" else self.tgt_text

    def lang(self, side: str) -> str:
        return self.src_lang if side == "src" else self.tgt_lang

    @property
    def original_side(self) -> str:
        """'src' or 'tgt': the side whose text is the original (the other is its rendering)."""
        return "tgt" if self.original_lang == self.tgt_lang != self.src_lang else "src"

    @property
    def rendering_lang(self) -> str:
        return self.tgt_lang if self.original_side == "src" else self.src_lang

    def ja_en(self) -> tuple[str, str]:
        """The Japanese and the English text, whichever side is the original."""
        if self.src_lang == "ja":
            return self.src_text, self.tgt_text
        return self.tgt_text, self.src_text

    def to_dict(self) -> dict[str, Any]:
        """The alignment.jsonl record (schema 3): flat identity and alignment, typed blocks."""
        data: dict[str, Any] = {"schema": BEAD_SCHEMA}
        for f in fields(self):
            if f.name in ("run", "term_flags", "scores", "review"):
                continue
            value = getattr(self, f.name)
            data[f.name] = list(value) if isinstance(value, (list, tuple)) else value
        if self.term_flags is not None:
            data["term_flags"] = [flag.to_dict() for flag in self.term_flags]
        if self.scores is not None:
            data["scores"] = self.scores.to_dict()
        if self.review is not None:
            data["review"] = self.review.to_dict()
        return data

    @classmethod
    def from_dict(
        cls, data: Any, path: str | Path | None = None, line: int | None = None
    ) -> AlignedBead:
        """A record read back; another schema, unknown or missing keys name the file and line.

        Schema 2 (no direction: the source was always the original) is read as schema 3.
        """
        if isinstance(data, dict) and data.get("schema") == 2:
            data = migrate_v2(data)
        if isinstance(data, dict) and data.get("schema") != BEAD_SCHEMA:
            found = data.get("schema", 1)
            raise _record_error(
                f"bead record of schema {found}, this interp-align reads schema {BEAD_SCHEMA}"
                + (" (run `interp-align migrate RUN_DIR`)" if found == 1 else ""),
                path, line,
            )  # fmt: skip
        _check_keys(data, cls._KINDS, cls._OPTIONAL, "bead record", path, line)
        values = {k: v for k, v in data.items() if k != "schema"}
        flags = data.get("term_flags")
        values["term_flags"] = (
            None if flags is None else [TermFlag.from_dict(f, path, line) for f in flags]
        )
        if data.get("scores") is not None:
            values["scores"] = Scores.from_dict(data["scores"], path, line)
        if data.get("review") is not None:
            values["review"] = Review.from_dict(data["review"], path, line)
        return cls(**values)


def migrate_v2(record: dict[str, Any]) -> dict[str, Any]:
    """A schema-2 record in schema 3: its source side was the original."""
    out = {**record, "schema": BEAD_SCHEMA}
    if isinstance(record.get("src_lang"), str):
        out.setdefault("original_lang", record["src_lang"])
    return out


# Keys of the flat records written before schema 2, and where they go now.
_V1_SCORES = {"divergence": "divergence", "labels": "labels", "reasons": "reasons",
              "signals": "signals", "scoring_signature": "signature",
              "scores_stale": "stale"}  # fmt: skip
_V1_REVIEW = {"review_status": "status", "note": "note", "reviewed_by": "by",
              "reviewed_at": "at", "corrections": "corrections"}  # fmt: skip
_V1_DROPPED = ("reviewed",)


def migrate_v1(record: dict[str, Any]) -> dict[str, Any]:
    """A schema-1 record (flat, no `schema` key) in the schema-3 layout (source = original)."""
    out = {"schema": BEAD_SCHEMA}
    scores, review = {}, {}
    for key, value in record.items():
        if key in _V1_SCORES:
            scores[_V1_SCORES[key]] = value
        elif key in _V1_REVIEW:
            review[_V1_REVIEW[key]] = value
        elif key == "flags":  # the termbase check's flags, with offsets
            out["term_flags"] = value
        elif key not in _V1_DROPPED:
            out[key] = value
    if isinstance(out.get("src_lang"), str):
        out.setdefault("original_lang", out["src_lang"])
    if scores.get("divergence") is not None:  # partial score sets (hand-made records) completed
        out["scores"] = {"labels": [], "reasons": [], "signals": {}, "signature": "", **scores}
    reviewed = record.get("reviewed") is True
    if review or reviewed:
        status = review.get("status") or ("reviewed" if reviewed else "initial")
        out["review"] = {**review, "status": status}
    return out
