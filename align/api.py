"""The public Python API (re-exported by `align`): read, align, load a run, batch, terms, drift.

Every function loads what it needs when called (the embedder on the first alignment), so
`import align` stays light. Errors are the toolkit's own: `align.errors.InputError` for bad
input, naming the file or argument and the problem.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.errors import LOW_CONFIDENCE, InputError
from align.model import AlignedBead, Document
from align.terms.model import Termbase

if TYPE_CHECKING:
    import pandas as pd

    from align.batch.driver import BatchResult
    from align.embed.base import Embedder

BEAD_COLUMNS = (
    "event", "date", "src_doc", "tgt_doc", "src_lang", "tgt_lang", "tgt_kind", "original_lang",
    "pair_index",
    "bead_index", "bead", "src_speaker", "tgt_speaker", "via_interpreter", "src_text",
    "tgt_text", "confidence", "divergence", "labels", "reasons", "term_flags", "term_concepts",
    "review_status", "note", "src_ids", "tgt_ids",
)  # fmt: skip


def read(path: str | Path, *, language: str | None = None, kind: str | None = None) -> Document:
    """One document (text or HTML, any common encoding) with its turns and sentences."""
    from align.ingest import read_document

    return read_document(Path(path), language=language, kind=kind)


def _document(value: Document | str | Path, side: str, language: str | None) -> Document:
    """A Document from a Document, a path, or (a str that names no file) the text itself."""
    from align.ingest import parse_text

    if isinstance(value, Document):
        return value
    if isinstance(value, Path) or (isinstance(value, str) and "\n" not in value and value.strip()
                                   and Path(value).is_file()):  # fmt: skip
        return read(value, language=language)
    if not isinstance(value, str):
        raise InputError(f"expected a Document, a path or a text, not {type(value).__name__}", side)
    return parse_text(value, doc_id=side, language=language, origin=f"<{side} text>")


@dataclass
class Alignment:
    """Typed beads (with scores and term flags) of one or more document pairs, and their documents.

    `pairs` summarises each document pair (confidence, low_confidence, signature); `signature`
    records every setting that produced the beads.
    """

    beads: list[AlignedBead]
    documents: dict[str, Document] = field(default_factory=dict)
    pairs: list[dict[str, Any]] = field(default_factory=list)
    run_dir: Path | None = None

    def __len__(self) -> int:
        return len(self.beads)

    def __iter__(self) -> Iterator[AlignedBead]:
        return iter(self.beads)

    @property
    def signature(self) -> str | None:
        """The run signature (sacrebleu style) of the first document pair."""
        return self.pairs[0].get("signature") if self.pairs else None

    @property
    def confidence(self) -> float | None:
        """Mean bead confidence of the first document pair (below 0.3: not translations?)."""
        return self.pairs[0].get("confidence") if self.pairs else None

    def to_pandas(self) -> pd.DataFrame:
        """One row per bead; labels, reasons, term flags and sentence ids as list columns."""
        import pandas as pd

        return pd.DataFrame([_bead_row(b) for b in self.beads], columns=list(BEAD_COLUMNS))


def _bead_row(bead: AlignedBead) -> dict[str, Any]:
    row = {name: getattr(bead, name, None) for name in BEAD_COLUMNS[:18]}
    flags = bead.term_flags or []
    row.update(
        labels=list(bead.labels), reasons=list(bead.reasons),
        term_flags=[f.reason for f in flags], term_concepts=[f.concept_id for f in flags],
        review_status=bead.review_status or "initial",
        note=bead.review.note if bead.review else None,
        src_ids=list(bead.src_ids), tgt_ids=list(bead.tgt_ids),
    )  # fmt: skip
    return row


def _embedder(embedder: str | Embedder, cache_dir: str | Path | None) -> Embedder:
    if not isinstance(embedder, str):
        return embedder
    from align.embed import load_embedder

    return load_embedder(embedder, Path(cache_dir) if cache_dir else None, True)


def align(
    src: Document | str | Path,
    tgt: Document | str | Path,
    *,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    embedder: str | Embedder = "use",
    max_bead: int = 3,
    aligner: str = "band",
    score: bool = True,
    termbase: str | Path | None = None,
    cache_dir: str | Path | None = None,
) -> Alignment:
    """Align a rendering (tgt) with its original (src): turns, then sentences; scored in memory.

    src and tgt are Documents, paths, or texts (a str that names no file). Nothing is written.
    """
    from align.aligners.sentences import AlignerSettings
    from align.ingest.event import Event
    from align.pipeline import align_documents, records
    from align.terms.annotate import annotate_term_flags, term_matcher

    if not isinstance(max_bead, int) or not 1 <= max_bead <= 8:
        raise InputError(f"max_bead must be an integer from 1 to 8, not {max_bead!r}", "max_bead")
    if aligner not in ("band", "twostep"):
        raise InputError(f"aligner must be 'band' or 'twostep', not {aligner!r}", "aligner")
    source, rendering = _document(src, "src", src_lang), _document(tgt, "tgt", tgt_lang)
    if source.id == rendering.id:
        rendering.id = f"{rendering.id}-tgt"
    source.kind = "original"
    if rendering.kind == "original":
        interpreted = any(t.via_interpreter for t in rendering.turns)
        rendering.kind = "interpretation" if interpreted else "translation"
    event = Event(f"{source.id}__{rendering.id}", source.date or rendering.date, source.title,
                  None, [source, rendering])  # fmt: skip
    model = _embedder(embedder, cache_dir)
    settings = AlignerSettings(max_bead=max_bead, method=aligner)
    result = align_documents(event, source, rendering, model, settings)
    path = Path(termbase) if termbase else None
    beads = annotate_term_flags(records(result), term_matcher(path))
    if score and beads:
        from align.scoring.run import score_beads, scoring_context

        documents = {source.id: source, rendering.id: rendering}
        context = scoring_context(model, termbase=path, documents=documents)
        beads = score_beads(beads, context)
    pair = {
        "src_doc": source.id, "tgt_doc": rendering.id, "confidence": round(result.confidence, 4),
        "low_confidence": result.confidence < LOW_CONFIDENCE, "signature": str(result.signature),
    }  # fmt: skip
    return Alignment(beads, {source.id: source, rendering.id: rendering}, [pair])


def load_run(run_dir: str | Path, reviewed: bool = True) -> Alignment:
    """A run directory (written by `run` or a batch) back as an Alignment.

    With `reviewed` (the default) the review's state is applied (merges, splits, corrections,
    statuses) when the run has one. A run of another schema version is an InputError.
    """
    from align.review.records import has_review, reviewed_records
    from align.rundir import alignment_path, read_beads, read_documents

    folder = Path(run_dir)
    alignment_path(folder)
    if reviewed and has_review(folder):
        beads = list(reviewed_records(folder))
    else:
        beads = read_beads(folder)
    meta_path = folder / "run.json"
    pairs: list[dict[str, Any]] = []
    if meta_path.is_file():
        try:
            pairs = json.loads(meta_path.read_text(encoding="utf-8")).get("pairs") or []
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
            raise InputError("unreadable run metadata", meta_path) from None
    return Alignment(beads, read_documents(folder), pairs, folder)


@dataclass
class Summary:
    """A finished batch: counts, failures, files written, and its results database."""

    out: Path
    result: BatchResult

    @property
    def counts(self) -> dict[str, int]:
        return self.result.counts

    @property
    def errors(self) -> list[tuple[str, str, str]]:
        """(event, step, message) for every failure, as in OUT/errors.csv."""
        return list(self.result.errors)

    @property
    def database(self) -> Path:
        from align.batch.results import DATABASE

        return self.out / DATABASE

    def query(self, sql: str) -> pd.DataFrame:
        """One read-only SQL query on results.duckdb (tables events, pairs, beads, …)."""
        from align.batch.results import query

        return query(self.database, sql)

    def to_pandas(self, table: str = "events") -> pd.DataFrame:
        """A whole table of the results database (events by default)."""
        from align.batch.results import Writer

        if table not in {"events", *Writer.TABLES}:
            known = ", ".join(["events", *Writer.TABLES])
            raise InputError(f"unknown table {table!r} (known: {known})", self.database)
        return self.query(f'SELECT * FROM "{table}"')  # a name from the fixed list above


def run_batch(
    config: str | Path | Mapping[str, Any],
    *,
    out: str | Path | None = None,
    workers: int | None = None,
    engine: str | None = None,
    overwrite: bool = False,
    progress: str = "auto",
) -> Summary:
    """Run a batch config (a YAML file, or the same keys as a mapping); returns its Summary.

    A mapping's relative paths are relative to the working directory, a file's to the file.
    progress: "auto" (bars on a terminal, lines otherwise), "bar", "lines" or "quiet".
    """
    from align.batch import build_plan
    from align.batch import run_batch as run_plan

    if isinstance(config, Mapping):
        return _run_mapping(config, out=out, workers=workers, engine=engine,
                            overwrite=overwrite, progress=progress)  # fmt: skip
    plan = build_plan(
        Path(config), workers=workers, engine=engine, overwrite=overwrite,
        out=Path(out) if out else None,
    )  # fmt: skip
    return Summary(plan.out, run_plan(plan, progress))  # type: ignore[arg-type]


def _run_mapping(config: Mapping[str, Any], **options: Any) -> Summary:
    """A config given as a mapping: written to a hidden file in the working directory."""
    import tempfile

    import yaml

    with tempfile.NamedTemporaryFile(
        "w", suffix=".yaml", prefix=".interp-align-batch-", dir=Path.cwd(), encoding="utf-8",
        delete=False,
    ) as handle:  # fmt: skip
        yaml.safe_dump(dict(config), handle, allow_unicode=True, sort_keys=False)
    try:
        return run_batch(Path(handle.name), **options)
    finally:
        Path(handle.name).unlink(missing_ok=True)


def load_termbase(path: str | Path | None = None) -> Termbase:
    """The termbase (TBX or CSV; default: the shipped security termbase); `.to_pandas()`."""
    from align.terms import load_termbase as load

    return load(path)


@dataclass
class Drift:
    """Terminology drift across runs: ranked concepts, occurrences, per-event table, changes."""

    tables: dict[str, pd.DataFrame]
    termbase: Termbase

    @property
    def concepts(self) -> pd.DataFrame:
        return self.tables["concepts"]

    @property
    def changes(self) -> pd.DataFrame:
        return self.tables["changes"]

    def to_pandas(self, table: str = "concepts") -> pd.DataFrame:
        """One of the tables: concepts (ranked), occurrences, renderings, events, changes."""
        if table not in self.tables:
            raise InputError(f"unknown drift table {table!r} (known: {', '.join(self.tables)})")
        return self.tables[table]

    def write(self, out_dir: str | Path, plots: bool = True) -> list[Path]:
        """CSV and Parquet per table, plots and drift.html, as `interp-align terms drift`."""
        from align.terms.drift import write_drift

        return write_drift(self.termbase, self.tables, out_dir, plots=plots)


def drift(
    runs: Iterable[str | Path] | Sequence[Alignment],
    *,
    termbase: Termbase | str | Path | None = None,
    include_gaps: bool = False,
    min_pair_confidence: float = LOW_CONFIDENCE,
) -> Drift:
    """Drift over run directories (or Alignments); gaps and weak pairs left out by default."""
    from align.terms.drift import DriftOptions, drift_tables, read_runs

    base = termbase if isinstance(termbase, Termbase) else load_termbase(termbase)
    from align.terms.runs import pair_confidences

    runs = list(runs)
    if runs and all(isinstance(r, Alignment) for r in runs):
        beads: list[Any] = [b for r in runs for b in r.beads]  # type: ignore[union-attr]
        pairs = {
            (b.run, p["src_doc"], p["tgt_doc"]): p["confidence"]
            for r in runs for p in r.pairs for b in r.beads[:1]  # type: ignore[union-attr]
            if "confidence" in p
        }  # fmt: skip
    else:
        beads = read_runs([Path(r) for r in runs])  # type: ignore[arg-type]
        pairs = pair_confidences(runs)  # type: ignore[arg-type]
    options = DriftOptions(include_gaps=include_gaps, min_pair_confidence=min_pair_confidence)
    return Drift(drift_tables(base, beads, options, pairs), base)
