"""`interp-align run`: align events or two documents and write run directories."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer

from align.cli.app import app
from align.errors import EXIT_LOW_CONFIDENCE
from align.limits import MAX_BEAD


def _print_summary(summary: dict) -> None:
    typer.echo(f"{summary['event']}  →  {summary['out']}")
    if not summary["pairs"]:
        docs = ", ".join(f"{d['id']} ({d['language']}, {d['kind']})" for d in summary["documents"])
        typer.echo(f"  no document pair to align: {docs}")
    for doc_id, flags in summary.get("document_term_flags", {}).items():
        for flag in flags:
            who = f"{doc_id} ({flag['speaker']})"
            typer.echo(f"  term [{flag['severity']}] {who}: {flag['reason']}")
    for pair in summary["pairs"]:
        types = " ".join(f"{k}×{v}" for k, v in pair["bead_types"].items())
        warn = "  LOW CONFIDENCE: not translations of each other?" if pair["low_confidence"] else ""
        typer.echo(
            f"  {pair['src_doc']} → {pair['tgt_doc']}: {pair['beads']} beads ({types}), "
            f"confidence {pair['confidence']:.3f}{warn}"
        )
        unmatched = pair["unmatched_turns"]
        if unmatched["src"] or unmatched["tgt"]:
            typer.echo(f"    unmatched turns: source {unmatched['src']}, target {unmatched['tgt']}")
    for doc in (summary.get("scores") or {}).get("aggregates", {}).get("documents", []):
        labels = ", ".join(f"{k} {v}" for k, v in doc["labels"].items()) or "none"
        typer.echo(
            f"  divergence: mean {doc['mean_divergence']:.3f}, max {doc['max_divergence']:.3f}; "
            f"labels: {labels}"
        )
    for share in summary.get("coverage", []):
        if share["comparable"]:
            typer.echo(
                f"  comparable documents: parallel islands cover {share['src_share']:.0%} of "
                f"{share['src_doc']} and {share['tgt_share']:.0%} of {share['tgt_doc']}"
            )
    for gold in summary.get("gold", []):
        typer.echo(
            f"  gold {gold['src']} → {gold['tgt']}: strict F1 {gold['f1_strict']:.3f}, "
            f"lax F1 {gold['f1_lax']:.3f}"
        )


@app.command()
def run(
    inputs: list[Path] = typer.Argument(
        ..., help="Event folders (with event.yaml), or a JA_FILE and an EN_FILE."
    ),
    out: Path = typer.Option(..., "--out", "-o", help="Run directory (a parent when several)."),
    embedder: str = typer.Option("use", help="'use' (default) or 'hf:/path/to/local/model'."),
    max_bead: int = typer.Option(
        3, min=1, max=MAX_BEAD, help="Largest number of sentences on one side of a bead."
    ),
    aligner: str = typer.Option(
        "band", help="Sentence search: 'band' (default) or 'twostep' (Bertalign's two steps)."
    ),
    cache_dir: Path = typer.Option(None, help="Embedding cache (default ~/.cache/interp-align)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the on-disk cache."),
    no_pictures: bool = typer.Option(False, "--no-pictures", help="Leave matrices out."),
    no_score: bool = typer.Option(False, "--no-score", help="Skip divergence scoring."),
    termbase: Path = typer.Option(None, help="Termbase (TBX or CSV); default: the shipped one."),
    strict: bool = typer.Option(False, help=f"Exit {EXIT_LOW_CONFIDENCE} on low confidence."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable summary on stdout."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines on stderr."),
) -> None:
    """Align turns and sentences; write alignment.jsonl, beads/ and report.html."""
    from align.aligners.sentences import METHODS
    from align.errors import InputError
    from align.runner import RunOptions
    from align.runner import run as run_all

    if aligner not in METHODS:
        raise InputError(f"unknown --aligner {aligner!r}; choose one of: {', '.join(METHODS)}")
    options = RunOptions(
        embedder, cache_dir, not no_cache, max_bead, not no_pictures, termbase, not no_score,
        aligner,
    )  # fmt: skip

    from align.runner import resolve_inputs

    total, started, done = len(resolve_inputs(inputs, out)), time.monotonic(), []

    def progress(name: str) -> None:
        """`aligning EVENT (2/5, 0:00:14 elapsed) …` on stderr, one line per event."""
        done.append(name)
        elapsed = int(time.monotonic() - started)
        clock = f"{elapsed // 3600}:{elapsed % 3600 // 60:02d}:{elapsed % 60:02d}"
        print(f"aligning {name} ({len(done)}/{total}, {clock} elapsed) …", file=sys.stderr,
              flush=True)  # fmt: skip

    summaries = run_all(inputs, out, options, progress=None if quiet else progress)
    for summary in summaries:
        for warning in summary.get("warnings", []):
            print(f"interp-align: warning: {warning}", file=sys.stderr)
    if as_json:
        typer.echo(json.dumps(summaries, ensure_ascii=False, indent=2))
    else:
        for summary in summaries:
            _print_summary(summary)
    low = [p for s in summaries for p in s["pairs"] if p["low_confidence"]]
    if low:
        print(
            f"interp-align: warning: low alignment confidence for {len(low)} document pair(s)",
            file=sys.stderr,
        )
        if strict:
            raise typer.Exit(EXIT_LOW_CONFIDENCE)
