"""`interp-align run`: events (or two loose files) through alignment to a run directory."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from align.aligners.evaluate import read_alignments, score_multiple
from align.aligners.sentences import AlignerSettings
from align.embed.base import Embedder
from align.errors import InputError
from align.ingest.event import Event, documents_as_event, load_event
from align.pipeline import DocumentAlignment, align_documents, choose_pairs, records
from align.report.html import render_report
from align.rundir import atomic_write, write_run
from align.scoring.profile import document_profile
from align.terms.annotate import annotate_term_flags, document_term_flags, term_matcher


@dataclass
class RunOptions:
    """What the user chose on the command line."""

    embedder: str = "use"
    cache_dir: Path | None = None
    use_cache: bool = True
    max_bead: int = 3
    pictures: bool = True
    termbase: Path | None = None
    score: bool = True
    aligner: str = "band"  # or "twostep" (Bertalign's anchors and windows)


def resolve_inputs(paths: list[Path], out: Path) -> list[tuple[Event | None, Path, Path | None]]:
    """Event folders (each to out/<event> when several) or a pair of files (to out)."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise InputError("not found", missing[0])
    if all(p.is_dir() for p in paths):
        if len(paths) == 1:
            return [(None, out, paths[0])]
        return [(None, out / p.name, p) for p in paths]
    if len(paths) == 2 and all(p.is_file() for p in paths):
        return [(documents_as_event(paths), out, None)]
    raise InputError("give event folders, or exactly two document files", paths[0])


def check_out(out: Path) -> None:
    """The run directory must be a directory (or not exist yet)."""
    if out.exists() and not out.is_dir():
        raise InputError("--out exists and is not a directory", out)


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A scratch directory beside `out`, moved into place only when the run completed.

    A failure anywhere (one signal, the report) leaves the previous run, or nothing, never a
    run without its scores or report. Files already in `out` that a run does not write (a
    review database) are kept.
    """
    check_out(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(work, 0o777 & ~umask)  # mkdtemp's 0700 would hide the run from others
    try:
        yield work
        if not out.exists():
            work.rename(out)
            return
        for item in sorted(work.iterdir()):
            target = out / item.name
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            os.replace(item, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_event(event: Event, out: Path, embedder: Embedder, options: RunOptions) -> dict[str, Any]:
    """Align every pair of one event; the run directory appears only when complete."""
    with staging(out) as work:
        summary = _run_event(event, work, out, embedder, options)
    summary["out"] = str(out)
    return summary


def _run_event(
    event: Event, work: Path, out: Path, embedder: Embedder, options: RunOptions
) -> dict[str, Any]:
    """Align, check terms and score one event in memory, then write it once into `work`."""
    settings = AlignerSettings(max_bead=options.max_bead, method=options.aligner)
    alignments = [
        align_documents(event, src, tgt, embedder, settings) for src, tgt in choose_pairs(event)
    ]
    matcher = term_matcher(options.termbase)
    beads = annotate_term_flags([b for a in alignments for b in records(a)], matcher)
    paired = {a.src.id for a in alignments} | {a.tgt.id for a in alignments}
    unpaired = {
        d.id: document_term_flags(d, matcher) for d in event.documents if d.id not in paired
    }
    scored = options.score and bool(beads)
    if scored:
        from align.scoring.run import score_all, scoring_context

        context = scoring_context(embedder, termbase=options.termbase)
        beads, documents = score_all(beads, context)
    profiles = {d.id: document_profile(d, unpaired[d.id]) for d in event.documents
                if d.id in unpaired}  # fmt: skip
    extra = {"document_term_flags": unpaired, "document_profile": profiles}
    summary = write_run(work, event, alignments, None, beads, extra)
    if scored:
        from align.scoring.run import write_scores

        scores = write_scores(work, beads, context, documents)
        scores["run_dir"] = str(out)  # as it will be once moved into place
        atomic_write(work / "scores.json", json.dumps(scores, ensure_ascii=False, indent=2))
        summary["scores"] = scores
    html = render_report(
        event, alignments, pictures=options.pictures, beads=beads, document_flags=unpaired
    )
    atomic_write(work / "report.html", html)
    summary["gold"] = _evaluate_gold(event, alignments)
    summary["warnings"] = _reading_warnings(event, alignments)
    summary["coverage"] = [
        {
            "src_doc": a.src.id,
            "tgt_doc": a.tgt.id,
            "src_share": a.coverage.src,
            "tgt_share": a.coverage.tgt,
            "comparable": a.coverage.comparable,
        }
        for a in alignments
        if a.coverage is not None
    ]
    return summary


def _reading_warnings(event: Event, alignments: list[DocumentAlignment]) -> list[str]:
    """Pages with no speech, transcripts in styles the readers do not know."""
    from align.ingest.blocks import speech_warning

    found = [w for d in event.documents if (w := speech_warning(d))]
    found += [w for a in alignments for w in a.warnings]
    return list(dict.fromkeys(found))


def _evaluate_gold(event: Event, alignments: list[DocumentAlignment]) -> list[dict[str, Any]]:
    """Scores against the event's hand-checked gold, where it has any."""
    results = []
    for gold in event.gold:
        for alignment in alignments:
            if (alignment.src.id, alignment.tgt.id) == (gold.src, gold.tgt):
                test = [(b.src, b.tgt) for b in alignment.beads()]
                scores = score_multiple([read_alignments(gold.path)], [test])
                results.append({"src": gold.src, "tgt": gold.tgt, **scores})
    return results


def run(paths: list[Path], out: Path, options: RunOptions, progress=None) -> list[dict[str, Any]]:
    """Every input to its run directory; returns one summary per event."""
    from align.embed import load_embedder

    jobs = resolve_inputs(paths, out)
    for _, target, _ in jobs:
        check_out(target)
    embedder = load_embedder(options.embedder, options.cache_dir, options.use_cache)
    summaries = []
    for event, target, folder in jobs:
        event = event or load_event(folder)
        if progress:
            progress(event.id)
        summaries.append(run_event(event, target, embedder, options))
    return summaries
