"""`interp-align terms ...`: check renderings, track drift, import and export the termbase."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import typer

from align.cli.app import app
from align.errors import LOW_CONFIDENCE, InputError

terms = typer.Typer(help="Security termbase: check renderings, drift over events, TBX/CSV.")
app.add_typer(terms, name="terms")

TERMBASE_HELP = "Termbase (.tbx or .csv); default: the shipped corpora/termbase/security.tbx."


def _load(path: Path | None):
    from align.terms import load_termbase

    termbase = load_termbase(path)
    for warning in termbase.warnings:
        typer.echo(f"interp-align: warning: {termbase.path}: {warning}", err=True)
    return termbase


def _is_run(target: Path) -> bool:
    return target.is_dir() or target.suffix == ".jsonl"


def _flag_line(flag) -> str:
    where = flag.context.get("event") or flag.context.get("document") or ""
    if flag.context.get("bead_index") is not None:
        where += f"#{flag.context['bead_index']}"
    span = flag.en_span or flag.ja_span
    return f"{flag.severity:<6} {flag.kind:<15} {flag.concept_id:<32} {where} {span}: {flag.reason}"


@terms.command("check")
def check(
    target: Path = typer.Argument(..., help="A run directory (alignment.jsonl) or a document."),
    termbase: Path = typer.Option(None, "--termbase", help=TERMBASE_HELP),
    as_json: bool = typer.Option(False, "--json", help="One JSON object on stdout."),
) -> None:
    """Flag missing, wrong and added renderings (English-only: known wrong terms)."""
    from align.terms.matcher import Matcher

    matcher = Matcher(_load(termbase))
    if not target.exists():
        raise InputError("no such file or directory", target)
    if _is_run(target):
        from align.terms.check import check_beads
        from align.terms.runs import read_beads

        beads = read_beads(target)
        flags, mode, units = check_beads(matcher, beads), "beads", len(beads)
    else:
        from align.terms.document import check_document, read_plain_document

        flags, mode, units = check_document(matcher, read_plain_document(target)), "document", 1
    if as_json:
        payload = {"target": str(target), "mode": mode, "checked": units,
                   "flags": [f.to_dict() for f in flags]}  # fmt: skip
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for flag in flags:
            typer.echo(_flag_line(flag))
    counts = Counter(f.severity for f in flags)
    summary = ", ".join(f"{counts[s]} {s}" for s in ("high", "medium", "low") if counts[s])
    typer.echo(f"{len(flags)} flag(s) in {units} {mode}" + (f" ({summary})" if summary else ""),
               err=True)  # fmt: skip


@terms.command("drift")
def drift(
    runs: list[Path] = typer.Argument(..., help="Run directories, one per event."),
    termbase: Path = typer.Option(None, "--termbase", help=TERMBASE_HELP),
    out: Path = typer.Option(None, "--out", help="Write CSV, Parquet, drift.html and plots here."),
    plots: bool = typer.Option(True, "--plots/--no-plots", help="Timeline PNG+SVG per concept."),
    include_gaps: bool = typer.Option(
        False, "--include-gaps", help="Count beads with an empty side (1-0, 0-1) too."
    ),
    min_pair_confidence: float = typer.Option(
        LOW_CONFIDENCE,
        min=0,
        max=1,
        help="Leave out document pairs whose confidence (run.json) is below this (0: keep all).",
    ),  # fmt: skip
) -> None:
    """Renderings per concept across events, most changed first; prints the changes as CSV."""
    from align.terms.drift import DriftOptions, drift_tables, read_runs, write_drift

    base = _load(termbase)
    options = DriftOptions(include_gaps=include_gaps, min_pair_confidence=min_pair_confidence)
    from align.terms.runs import pair_confidences

    tables = drift_tables(base, read_runs(runs), options, pair_confidences(runs))
    for row in tables["excluded"].itertuples():
        if row.beads:
            typer.echo(f"interp-align: drift leaves out {row.beads} beads: {row.reason}", err=True)
    if out is not None:
        written = write_drift(base, tables, out, plots=plots)
        typer.echo(f"wrote {len(written)} files to {out}", err=True)
    tables["changes"].to_csv(sys.stdout, index=False)


@terms.command("import")
def import_csv(
    csv_file: Path = typer.Argument(..., help="Termbase CSV (one row per term)."),
    out: Path = typer.Option(..., "--out", help="TBX file to write."),
    title: str = typer.Option("", "--title", help="Title for the TBX header."),
    description: str = typer.Option("", "--description", help="Source note for the header."),
) -> None:
    """Convert a spreadsheet CSV into TBX-Basic, validating it on the way."""
    from align.terms.csvio import read_csv
    from align.terms.tbx import write_tbx

    termbase = read_csv(csv_file)
    termbase.title, termbase.description = title, description
    for warning in termbase.warnings:
        typer.echo(f"interp-align: warning: {csv_file}: {warning}", err=True)
    write_tbx(termbase, out)
    typer.echo(f"wrote {len(termbase.concepts)} concepts to {out}", err=True)


@terms.command("export")
def export(
    fmt: str = typer.Option(..., "--format", help="tbx or csv."),
    termbase: Path = typer.Option(None, "--termbase", help=TERMBASE_HELP),
    out: Path = typer.Option(None, "--out", help="File to write; default stdout."),
) -> None:
    """Write the termbase as TBX-Basic or CSV."""
    from align.terms.csvio import csv_text
    from align.terms.tbx import tbx_bytes

    if fmt not in ("tbx", "csv"):
        raise InputError(f"unknown format {fmt!r} (use tbx or csv)", "--format")
    base = _load(termbase)
    data = tbx_bytes(base) if fmt == "tbx" else csv_text(base).encode("utf-8")
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out.write_bytes(data)
        typer.echo(f"wrote {len(base.concepts)} concepts to {out}", err=True)
