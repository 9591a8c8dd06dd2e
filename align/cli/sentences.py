"""Commands for pre-split text: `sentences` (align two files) and `evaluate` (score alignments)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import typer

from align.cli.app import app
from align.errors import LOW_CONFIDENCE, InputError, LowConfidenceError
from align.limits import MAX_BEAD
from align.textfile import read_utf8


def read_sentences(path: Path) -> list[str]:
    """One sentence per line (blank lines kept, so bead numbers are line numbers - 1)."""
    text = read_utf8(path)
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise InputError("empty file: expected one sentence per line", path=path)
    return [line.strip() for line in lines]


@app.command()
def sentences(
    src: Path = typer.Argument(..., help="Source sentences (the original), one per line."),
    tgt: Path = typer.Argument(..., help="Target sentences (the rendering), one per line."),
    src_lang: str = typer.Option("ja", "--src-lang", help="Source language code."),
    tgt_lang: str = typer.Option("en", "--tgt-lang", help="Target language code."),
    embedder: str = typer.Option("use", "--embedder", help="'use' or 'hf:/path/to/model'."),
    max_bead: int = typer.Option(
        3, "--max-bead", min=1, max=MAX_BEAD, help="Most sentences on a bead side."
    ),
    scoring: str = typer.Option("cosine", "--scoring", help="cosine or vecalign."),
    aligner: str = typer.Option(
        "band", "--aligner", help="'band' (default) or 'twostep' (Bertalign's two steps)."
    ),
    scores: bool = typer.Option(False, "--scores", help="Add each bead's confidence."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout."),
    strict: bool = typer.Option(
        False, "--strict", help=f"Exit 3 when the mean confidence is below {LOW_CONFIDENCE}."
    ),
) -> None:
    """Align two pre-split files; print beads in the Vecalign format ([0]:[0, 1])."""
    from align.aligners import align_sentences
    from align.aligners.sentences import METHODS
    from align.embed import load_embedder

    if scoring not in ("cosine", "vecalign"):
        raise InputError(f"unknown --scoring {scoring!r}; choose cosine or vecalign")
    if aligner not in METHODS:
        raise InputError(f"unknown --aligner {aligner!r}; choose one of: {', '.join(METHODS)}")
    src_lines, tgt_lines = read_sentences(src), read_sentences(tgt)
    model = load_embedder(embedder)
    result = align_sentences(
        src_lines,
        tgt_lines,
        model,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        max_bead=max_bead,
        scoring=scoring,
        method=aligner,
    )
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        for line in result.vecalign_lines(scores=scores):
            typer.echo(line)
    if result.confidence < LOW_CONFIDENCE:
        message = (
            f"mean alignment confidence {result.confidence:.2f} is low: "
            "the files may not be translations of each other"
        )
        if strict:
            raise LowConfidenceError(message, path=tgt)
        print(f"interp-align: warning: {tgt}: {message}", file=sys.stderr)


_EVALUATE_HELP = """Score test alignments against gold ones (Vecalign format, paired by position).

Usage: interp-align evaluate --gold G1 [G2 ...] --test T1 [T2 ...] [--json]
       interp-align evaluate --gold-text SRC_UNITS TGT_UNITS GOLD --run RUN_DIR [...] [--json]

Strict and lax precision, recall and F1 exactly as Vecalign's score.py, micro-averaged; with
--gold-text, gold units (one a line) are located in the run's sentences by text and link
precision, recall and F1 are reported (each --gold-text pairs with the --run at its position).
"""


@app.command(
    help=_EVALUATE_HELP,
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def evaluate(ctx: typer.Context) -> None:
    """Parsed with argparse: click options cannot take several values after one flag."""
    from align.aligners.evaluate import score_files

    parser = argparse.ArgumentParser(
        prog="interp-align evaluate", description=_EVALUATE_HELP.splitlines()[0]
    )
    parser.add_argument("-g", "--gold", nargs="+", action="extend", type=Path, default=[])
    parser.add_argument("-t", "--test", nargs="+", action="extend", type=Path, default=[])
    parser.add_argument(
        "--gold-text",
        nargs=3,
        action="append",
        type=Path,
        default=[],
        metavar=("SRC_UNITS", "TGT_UNITS", "GOLD"),
    )
    parser.add_argument("--run", action="append", type=Path, default=[])
    parser.add_argument("--json", action="store_true", dest="as_json")
    try:
        args = parser.parse_args(ctx.args)
    except SystemExit as stop:  # argparse printed usage / help itself
        raise typer.Exit(stop.code or 0) from None
    if args.gold_text or args.run:
        _evaluate_text(args.gold_text, args.run, args.as_json)
        return
    if not args.gold or not args.test:
        raise InputError("evaluate needs --gold and --test, or --gold-text and --run")
    result = score_files(args.gold, args.test)
    if args.as_json:
        typer.echo(json.dumps({**result, "files": len(args.gold)}))
        return
    _print_table(result, len(args.gold))


def _print_table(result: dict[str, float], files: int) -> None:
    """A small rich table, strict and lax side by side."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Alignment scores ({files} file pair{'s' * (files != 1)})")
    table.add_column("")
    table.add_column("Strict", justify="right")
    table.add_column("Lax", justify="right")
    for label, key in (("Precision", "precision"), ("Recall", "recall"), ("F1", "f1")):
        table.add_row(label, f"{result[key + '_strict']:.3f}", f"{result[key + '_lax']:.3f}")
    Console(soft_wrap=True).print(table)


def _evaluate_text(golds: list[list[Path]], runs: list[Path], as_json: bool) -> None:
    """Link P/R/F1 of run directories against text-located gold, micro-averaged."""
    from align.aligners.goldtext import LinkScore, score_run

    if len(golds) != len(runs):
        raise InputError(f"{len(golds)} --gold-text but {len(runs)} --run; pair them one to one")
    total = LinkScore()
    for (src, tgt, gold), run in zip(golds, runs, strict=True):
        total = total + score_run(src, tgt, gold, run)
    result = total.as_dict()
    if as_json:
        typer.echo(json.dumps({**result, "files": len(runs)}, ensure_ascii=False))
        return
    typer.echo(
        f"links: precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
        f"F1 {result['f1']:.3f}  ({result['links_correct']} of {result['links_gold']} gold, "
        f"{result['links_run']} in the run; {result['units_unlocated']} of {result['units']} "
        "gold units not found in the run)"
    )
    for unit in result["unlocated"]:
        print(
            f"interp-align: warning: gold unit not found in the run: {unit[:60]!r}", file=sys.stderr
        )
