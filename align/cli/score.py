"""`interp-align score RUN_DIR` and `interp-align divergence SRC TGT`: divergence scores."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from align.cli.app import app


def _embedder(spec: str):
    from align.embed import load_embedder

    return load_embedder(spec)


@app.command()
def score(
    run_dir: Path = typer.Argument(..., help="A run directory written by `interp-align run`."),
    reference: Path = typer.Option(None, help="Official English translation of the Japanese."),
    mt: str = typer.Option(None, help="hf:/path/to/marian-model: MT-based chrF per bead."),
    termbase: Path = typer.Option(None, help="Termbase (.tbx/.csv); default: the shipped one."),
    embedder: str = typer.Option("use", help="'use' (default) or 'hf:/path/to/local/model'."),
    rescore: bool = typer.Option(
        False, "--rescore", help="Score a run of another version, or a reviewed run's review."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Score every bead of a run: alignment.jsonl gains scores; scores.csv/.parquet/.json."""
    from align.scoring.run import score_run

    print(f"scoring {run_dir} …", file=sys.stderr)
    summary = score_run(run_dir, embedder=_embedder(embedder), reference=reference, mt=mt,
                        termbase=termbase, rescore=rescore)  # fmt: skip
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{summary['beads']} beads scored  ({summary['scoring_signature']})")
    for doc in summary["aggregates"]["documents"]:
        labels = ", ".join(f"{k} {v}" for k, v in doc["labels"].items()) or "none"
        typer.echo(f"  {doc['key']}: mean divergence {doc['mean_divergence']:.3f}, "
                   f"{doc['divergent_share']:.0%} divergent; labels: {labels}")  # fmt: skip
    for name, ref in summary.get("reference", {}).get("documents", {}).items():
        typer.echo(f"  reference {name}: chrF {ref.get('chrf')}, BLEU {ref.get('bleu')}, "
                   f"TER {ref.get('ter')}")  # fmt: skip


@app.command()
def migrate(
    run_dir: Path = typer.Argument(..., help="A run directory written before bead schema 2."),
) -> None:
    """Rewrite a run's alignment.jsonl from the flat schema-1 records in the typed schema 2."""
    from align.rundir import migrate_run

    typer.echo(f"{migrate_run(run_dir)} beads migrated in {run_dir / 'alignment.jsonl'}")


@app.command()
def divergence(
    src: Path = typer.Argument(..., help="Source segments, one per line (the original)."),
    tgt: Path = typer.Argument(..., help="Target segments, one per line (the rendering)."),
    src_lang: str = typer.Option("ja", "--src-lang", help="Source language."),
    tgt_lang: str = typer.Option("en", "--tgt-lang", help="Target language."),
    mt: str = typer.Option(None, help="hf:/path/to/marian-model: MT-based chrF per line."),
    termbase: Path = typer.Option(None, help="Termbase (.tbx/.csv); default: the shipped one."),
    embedder: str = typer.Option("use", help="'use' (default) or 'hf:/path/to/local/model'."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Score line-aligned pairs; one result per input line (empty pairs reported as skipped)."""
    from align.scoring.pairs import score_pairs
    from align.scoring.terminology import load_checker

    results = score_pairs(src, tgt, _embedder(embedder), src_lang=src_lang, tgt_lang=tgt_lang,
                          terms=load_checker(termbase), mt=mt)  # fmt: skip
    for result in results:
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False))
        elif "skipped" in result:
            typer.echo(f"{result['line']}\t-\tskipped (empty)")
        else:
            labels = ",".join(result["labels"]) or "-"
            reasons = " | ".join(result["reasons"])
            typer.echo(f"{result['line']}\t{result['divergence']:.3f}\t{labels}\t{reasons}")
