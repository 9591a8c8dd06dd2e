"""One event through the pipeline: documents → turn pairs → sentence beads → records.

The same per-event function serves `interp-align run`, and later the batch runners.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from align.aligners.confidence import document_evidence
from align.aligners.islands import Coverage, coverage, keep_islands
from align.aligners.length import char_ratio
from align.aligners.sentences import AlignerSettings, align_sentences, document_null
from align.aligners.turns import TurnPair, TurnParams, align_turns
from align.embed.base import Embedder
from align.ingest.event import Event
from align.model import AlignedBead, Bead, Document, Sentence, Signature, Turn
from align.text.lang import joiner


@dataclass
class PairResult:
    """A turn pair with its sentence beads (indices within the pair's sentence lists)."""

    pair: TurnPair
    src_sentences: list[Sentence]
    tgt_sentences: list[Sentence]
    beads: list[Bead]
    similarity: np.ndarray | None = None
    diagnostics: dict[str, list[float]] | None = None  # per bead: margin, z, room (calibration)


@dataclass
class DocumentAlignment:
    """Everything aligned between one original and one rendering."""

    event: Event
    src: Document
    tgt: Document
    pairs: list[PairResult]
    signature: Signature
    confidence: float
    warnings: list[str] = field(default_factory=list)
    coverage: Coverage | None = None  # share of each side in sure beads; comparable if low

    @property
    def name(self) -> str:
        return f"{self.src.id}__{self.tgt.id}"

    def beads(self) -> list[Bead]:
        """Beads over document-level sentence indices, for evaluation against gold."""
        src_index = {s.id: i for i, s in enumerate(self.src.sentences)}
        tgt_index = {s.id: i for i, s in enumerate(self.tgt.sentences)}
        out = []
        for result in self.pairs:
            for bead in result.beads:
                src = tuple(src_index[result.src_sentences[i].id] for i in bead.src)
                tgt = tuple(tgt_index[result.tgt_sentences[j].id] for j in bead.tgt)
                out.append(Bead(src, tgt, bead.confidence))
        return out


def choose_pairs(event: Event) -> list[tuple[Document, Document]]:
    """Originals paired with each rendering in another language (source = the original)."""
    originals = [d for d in event.documents if d.kind == "original"]
    renderings = [d for d in event.documents if d.kind != "original"]
    if not originals and len(renderings) == 2:  # two renderings: the Japanese side leads
        originals = [d for d in renderings if d.language == "ja"][:1]
        renderings = [d for d in renderings if d not in originals]
    return [(o, r) for o in originals for r in renderings if o.language != r.language]


def _has_speakers(document: Document) -> bool:
    return any(t.speaker for t in document.turns if t.kind == "speech")


def _turn_pairs(
    src: Document, tgt: Document, vectors: dict[str, np.ndarray], warnings: list[str]
) -> list[TurnPair]:
    """Turn DP when both sides label speakers; otherwise the whole documents form one pair,
    or, when only one side labels speakers, the unlabelled side meets its interpreted turns."""
    src_turns = [t for t in src.turns if t.sentences]
    tgt_turns = [t for t in tgt.turns if t.sentences]
    if _has_speakers(src) != _has_speakers(tgt):
        return _one_side_labelled(src, tgt, src_turns, tgt_turns, warnings)
    if not (_has_speakers(src) and _has_speakers(tgt)):
        return [TurnPair([t.index for t in src_turns], [t.index for t in tgt_turns])]

    def turn_vector(turn: Turn) -> np.ndarray:
        return np.mean([vectors[s.id + turn.language] for s in turn.sentences], axis=0)

    pairs = align_turns(src_turns, tgt_turns, turn_vector, TurnParams())
    indexed = [
        TurnPair([src_turns[i].index for i in p.src], [tgt_turns[j].index for j in p.tgt], p.score)
        for p in pairs
    ]
    return _merge_non_speech(indexed, src, tgt)


def _one_side_labelled(
    src: Document,
    tgt: Document,
    src_turns: list[Turn],
    tgt_turns: list[Turn],
    warnings: list[str],
) -> list[TurnPair]:
    """One unlabelled document against a transcript: only the turns that can correspond.

    An original (no labels) corresponds to the transcript's interpreted turns; the other
    speakers' turns stay unmatched. Without interpreted turns the documents align whole.
    """
    plain, labelled = (src, tgt) if _has_speakers(tgt) else (tgt, src)
    warnings.append(
        f"{plain.path or plain.id}: no speaker labels recognised (a transcript style the "
        f"readers do not know?): read as one turn by an unknown speaker"
    )
    plain_turns, labelled_turns = (src_turns, tgt_turns) if plain is src else (tgt_turns, src_turns)
    interpreted = [t.index for t in labelled_turns if t.via_interpreter]
    if not interpreted:
        return [TurnPair([t.index for t in src_turns], [t.index for t in tgt_turns])]
    whole = [t.index for t in plain_turns]
    pairs, placed = [], False
    for turn in labelled_turns:
        if turn.via_interpreter and not placed:
            pairs.append(
                TurnPair(whole, interpreted) if plain is src else TurnPair(interpreted, whole)
            )
            placed = True
        elif not turn.via_interpreter:
            pairs.append(TurnPair([], [turn.index]) if plain is src else TurnPair([turn.index], []))
    return pairs


def _merge_non_speech(pairs: list[TurnPair], src: Document, tgt: Document) -> list[TurnPair]:
    """Headings and narrative between two speech anchors are aligned together, sentence-wise.

    Short headings ("冒頭発言" / "Opening Remarks") carry too little content for the turn
    score; the sentence aligner, which may skip, places them better as one unit.
    """

    def is_speech(pair: TurnPair) -> bool:
        turns = [src.turns[i] for i in pair.src] + [tgt.turns[j] for j in pair.tgt]
        return any(t.kind == "speech" for t in turns)

    merged: list[TurnPair] = []
    for pair in pairs:
        if not is_speech(pair) and merged and not is_speech(merged[-1]):
            last = merged[-1]
            merged[-1] = TurnPair(last.src + pair.src, last.tgt + pair.tgt, last.score + pair.score)
        else:
            merged.append(pair)
    return merged


def _embed_documents(embedder: Embedder, *documents: Document) -> dict[str, np.ndarray]:
    vectors: dict[str, np.ndarray] = {}
    for document in documents:
        sentences = document.sentences
        rows = embedder.embed([s.text for s in sentences]) if sentences else []
        for sentence, row in zip(sentences, rows, strict=True):
            vectors[sentence.id + document.language] = row
    return vectors


def align_documents(
    event: Event,
    src: Document,
    tgt: Document,
    embedder: Embedder,
    settings: AlignerSettings | None = None,
) -> DocumentAlignment:
    """Turns first, then sentences inside every matched turn pair."""
    settings = settings or AlignerSettings()
    embedder.check_languages(src.language, tgt.language)
    ratio = settings.char_ratio or char_ratio(
        [s.text for s in src.sentences], [s.text for s in tgt.sentences], settings.ratio_clamp
    )
    settings = AlignerSettings(**{**settings.__dict__, "char_ratio": ratio})
    vectors = _embed_documents(embedder, src, tgt)
    null = document_null(  # short turn pairs are judged against the whole documents' pairs
        [s.text for s in src.sentences],
        [s.text for s in tgt.sentences],
        embedder,
        src_lang=src.language,
        tgt_lang=tgt.language,
        settings=settings,
    )
    results, signature, confidences, warnings = [], None, [], []
    for pair in _turn_pairs(src, tgt, vectors, warnings):
        src_sents = [s for i in pair.src for s in src.turns[i].sentences]
        tgt_sents = [s for j in pair.tgt for s in tgt.turns[j].sentences]
        aligned = align_sentences(
            [s.text for s in src_sents],
            [s.text for s in tgt_sents],
            embedder,
            src_lang=src.language,
            tgt_lang=tgt.language,
            settings=settings,
            null=null,
            src_kinds=[s.kind for s in src_sents],
            tgt_kinds=[s.kind for s in tgt_sents],
            anchored=_one_speaker(src, tgt, pair),
        )
        signature = signature or aligned.signature
        if pair.matched:
            confidences.extend(
                (b.confidence, bool(b.src and b.tgt) and src_sents[b.src[0]].kind)
                for b in aligned.beads
            )
        similarity = _similarity(src_sents, tgt_sents, vectors, src.language, tgt.language)
        results.append(
            PairResult(pair, src_sents, tgt_sents, aligned.beads, similarity, aligned.diagnostics)
        )
    signature = Signature(
        (signature.fields if signature else ())
        + (("islands", _island_signature()), ("turns", _turn_signature()))
    )
    covered = _islands(results, src, tgt, null)
    confidence = document_evidence(
        [c for c, _ in confidences],
        [k == "speech" for _, k in confidences],
        [k == "heading" for _, k in confidences],
    )
    return DocumentAlignment(event, src, tgt, results, signature, confidence, warnings, covered)


def _one_speaker(src: Document, tgt: Document, pair: TurnPair) -> bool:
    """A matched pair of labelled turns, one speaker a side (its beads are pinned by it): the
    same id, or ids that differ but were paired by content (turns.py)."""
    src_speakers = {src.turns[i].speaker for i in pair.src}
    tgt_speakers = {tgt.turns[j].speaker for j in pair.tgt}
    return (
        pair.matched and len(src_speakers) == len(tgt_speakers) == 1
        and None not in src_speakers | tgt_speakers
    )  # fmt: skip


def _content(document: Document) -> list[bool]:
    """Speech sentences, or the headings of a document without speech (a table of contents)."""
    speech = [s.kind == "speech" for s in document.sentences]
    return speech if any(speech) else [s.kind == "heading" for s in document.sentences]


def _islands(
    results: list[PairResult], src: Document, tgt: Document, null: tuple[float, float] | None
) -> Coverage:
    """A comparable pair (sure beads cover under half of a side) keeps only its islands."""
    src_index = {s.id: k for k, s in enumerate(src.sentences)}
    tgt_index = {s.id: k for k, s in enumerate(tgt.sentences)}
    beads = [
        Bead(
            tuple(src_index[r.src_sentences[i].id] for i in b.src),
            tuple(tgt_index[r.tgt_sentences[j].id] for j in b.tgt),
            b.confidence,
        )
        for r in results
        if r.pair.matched
        for b in r.beads
    ]
    covered = coverage(beads, _content(src), _content(tgt))
    if covered.comparable:
        for result in results:
            if result.pair.matched:
                result.beads = keep_islands(result.beads, result.similarity, null)
                result.diagnostics = None  # the beads are no longer the search's
    return covered


def _island_signature() -> str:
    from align.aligners import islands

    return f"sure={islands.SURE},below={islands.COMPARABLE_BELOW},z={islands.ISLAND_Z}"


def _turn_signature() -> str:
    """Every setting of the turn DP (each changes which turns pair up)."""
    params = TurnParams()
    return (
        f"dp(speaker={params.speaker_bonus},offset={params.content_offset},"
        f"length={params.length_weight},skip={params.skip},group={params.max_group},"
        f"mismatch={params.mismatch_penalty},floor={params.content_floor},"
        f"mutual={params.mutual_only})"
    )


def _similarity(
    src: list[Sentence], tgt: list[Sentence], vectors: dict[str, np.ndarray], src_lang: str,
    tgt_lang: str,
) -> np.ndarray | None:  # fmt: skip
    if not src or not tgt:
        return None
    a = np.stack([vectors[s.id + src_lang] for s in src])
    b = np.stack([vectors[s.id + tgt_lang] for s in tgt])
    return a @ b.T


def _role(turns: list[Turn], document: Document) -> str | None:
    """'rendering' (interpreted turns), 'original' (a transcript's own speakers) or unknown."""
    speech = [t for t in turns if t.kind == "speech"]
    if any(t.via_interpreter for t in speech):
        return "rendering"
    mixed = any(t.via_interpreter for t in document.turns)
    return "original" if speech and mixed else None


_COUNTRY_LANGUAGE = {"JP": "ja", "US": "en"}  # the language an official of the registry speaks


def _speaker_language(turns: list[Turn]) -> str | None:
    """The language the registry's one speaker of these turns speaks in office, if known."""
    from align.ingest.speakers import default_registry

    speakers = {t.speaker for t in turns if t.kind == "speech"}
    if len(speakers) != 1 or None in speakers:
        return None
    entry = default_registry().speakers.get(next(iter(speakers)))
    return _COUNTRY_LANGUAGE.get(entry.country) if entry else None


def original_side(src: Document, tgt: Document, pair: TurnPair) -> str:
    """'tgt' when the pair's target turns are the original and its source turns a rendering.

    A transcript with turns both ways (MOD's Japanese holds the U.S. speakers' interpreted
    Japanese; State's English the Japanese ministers' interpreted English) has pairs whose
    original is the target document's turn. Interpreter marks decide first; then the language
    the registry's speaker speaks (Blinken's English against a Japanese summary that does not
    mark his part as rendered); otherwise the source document is the original.
    """
    src_turns = [src.turns[i] for i in pair.src]
    tgt_turns = [tgt.turns[j] for j in pair.tgt]
    src_role, tgt_role = _role(src_turns, src), _role(tgt_turns, tgt)
    if src_role == "rendering" and tgt_role != "rendering":
        return "tgt"
    if tgt_role == "rendering" and src_role != "rendering":
        return "src"
    spoken = _speaker_language(src_turns + tgt_turns)
    if spoken and spoken == tgt.language != src.language:
        return "tgt"
    if spoken == src.language:
        return "src"
    return "tgt" if not pair.src and tgt_role == "original" else "src"


def records(alignment: DocumentAlignment) -> list[AlignedBead]:
    """One typed bead per aligned bead, in document order (what alignment.jsonl holds)."""
    src, tgt, event = alignment.src, alignment.tgt, alignment.event
    out = []
    for pair_index, result in enumerate(alignment.pairs):
        src_turn = src.turns[result.pair.src[0]] if result.pair.src else None
        tgt_turn = tgt.turns[result.pair.tgt[0]] if result.pair.tgt else None
        side = original_side(src, tgt, result.pair)
        rendering = (
            [src.turns[i] for i in result.pair.src]
            if side == "tgt"
            else [tgt.turns[j] for j in result.pair.tgt]
        )
        for bead_index, bead in enumerate(result.beads):
            src_s = [result.src_sentences[i] for i in bead.src]
            tgt_s = [result.tgt_sentences[j] for j in bead.tgt]
            out.append(AlignedBead(
                event=event.id,
                date=event.date or src.date or tgt.date,
                src_doc=src.id,
                tgt_doc=tgt.id,
                src_lang=src.language,
                tgt_lang=tgt.language,
                tgt_kind=tgt.kind,
                original_lang=tgt.language if side == "tgt" else src.language,
                pair_index=pair_index,
                src_turn=src_turn.index if src_turn else None,
                tgt_turn=tgt_turn.index if tgt_turn else None,
                src_speaker=src_turn.speaker if src_turn else None,
                tgt_speaker=tgt_turn.speaker if tgt_turn else None,
                via_interpreter=any(t.via_interpreter for t in rendering),
                bead_index=bead_index,
                bead=bead.type,
                src_idx=list(bead.src),
                tgt_idx=list(bead.tgt),
                src_ids=[s.id for s in src_s],
                tgt_ids=[s.id for s in tgt_s],
                src_text=joiner(src.language).join(s.text for s in src_s),
                tgt_text=joiner(tgt.language).join(s.text for s in tgt_s),
                confidence=round(float(bead.confidence), 4),
                signature=str(alignment.signature),
            ))  # fmt: skip
    return out
