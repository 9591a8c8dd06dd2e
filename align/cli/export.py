"""Command `export`: run directories to a parallel corpus (TMX, Moses, JSONL, CSV, ...)."""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path

import typer

from align.cli.app import app
from align.export import Filters, export_runs

BEAD_TYPE = re.compile(r"\d+-\d+")


class ExportFormat(str, Enum):
    """Formats `export` writes (the choices a usage error lists)."""

    tmx = "tmx"
    moses = "moses"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    parquet = "parquet"
    xliff = "xliff"


class Direction(str, Enum):
    """Language order of the exported pairs."""

    en_ja = "en-ja"
    ja_en = "ja-en"


def _bead_types(value: str | None) -> frozenset[str] | None:
    """'1-1,1-2' -> {'1-1', '1-2'}; a usage error for anything else."""
    if value is None:
        return None
    types = frozenset(part.strip() for part in value.split(",") if part.strip())
    bad = sorted(t for t in types if not BEAD_TYPE.fullmatch(t))
    if bad or not types:
        raise typer.BadParameter(
            f"expected types like 1-1,1-2,2-1, got {value!r}", param_hint="--bead-types"
        )
    return types


def _names(values: list[str] | None) -> frozenset[str] | None:
    """Repeatable option values as a set (None when not given)."""
    return frozenset(values) if values else None


@app.command("export")
def export_command(
    run_dirs: list[Path] = typer.Argument(..., help="Run directories (each with alignment.jsonl)."),
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="Output format."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file (moses: name prefix)."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing output."),
    min_confidence: float | None = typer.Option(
        None, min=0.0, max=1.0, help="Keep beads with confidence >= this."
    ),
    max_divergence: float | None = typer.Option(
        None, min=0.0, max=1.0, help="Keep beads with divergence <= this (needs scores)."
    ),
    bead_types: str | None = typer.Option(
        None, "--bead-types", help="Keep these bead types, e.g. 1-1,1-2,2-1."
    ),
    reviewed_only: bool = typer.Option(
        False, "--reviewed-only", help="Keep beads whose review status is reviewed or final."
    ),
    speaker: list[str] | None = typer.Option(
        None, "--speaker", help="Keep beads by this speaker (either side; repeatable)."
    ),
    event: list[str] | None = typer.Option(None, "--event", help="Keep this event (repeatable)."),
    dedupe: bool = typer.Option(False, "--dedupe", help="Drop exact duplicate text pairs."),
    include_gaps: bool = typer.Option(
        False, "--include-gaps", help="Keep 0-1/1-0 beads (one side empty); skipped by default."
    ),
    direction: Direction | None = typer.Option(
        None,
        "--direction",
        help="Language order of the pairs (default: tmx/xliff the original first, others en-ja).",
    ),
    moses_meta: bool = typer.Option(
        True, "--moses-meta/--no-moses-meta", help="moses: also write NAME.meta.tsv."
    ),
    formula_guard: bool = typer.Option(
        True,
        "--formula-guard/--no-formula-guard",
        help="csv/tsv: prefix cells starting with = + - @ with ' (CSV injection).",
    ),
) -> None:
    """Export aligned beads as a parallel corpus; prints the files written."""
    filters = Filters(
        min_confidence=min_confidence,
        max_divergence=max_divergence,
        bead_types=_bead_types(bead_types),
        reviewed_only=reviewed_only,
        speakers=_names(speaker),
        events=_names(event),
        dedupe=dedupe,
        include_gaps=include_gaps,
    )
    result = export_runs(
        run_dirs,
        fmt.value,
        out,
        filters=filters,
        direction=direction.value if direction else None,
        force=force,
        moses_meta=moses_meta,
        formula_guard=formula_guard,
    )
    for run_dir, why in result.skipped:
        typer.echo(f"interp-align: warning: {run_dir}: {why}; skipped", err=True)
    typer.echo(result.log.summary(), err=True)
    if result.log.cleaned:
        typer.echo(
            f"removed characters XML 1.0 cannot carry from {result.log.cleaned} beads", err=True
        )
    for path in result.paths:
        typer.echo(str(path))
