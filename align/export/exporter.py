"""Run directories in, one corpus file (or file set) out: read, filter, write, lazily."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from align import __version__
from align.errors import InputError
from align.export.filters import FilterLog, Filters, ensure_some, pipeline
from align.export.formats import MIXED, ExportInfo, Format, get_format
from align.export.outputs import staged
from align.export.records import check_runs, first_record, iter_all, iter_records, run_signatures
from align.rundir import ALIGNMENT

DEFAULT_DIRECTION = "en-ja"  # OPUS orders a language pair alphabetically


@dataclass(frozen=True)
class ExportResult:
    """The files written and the counts behind them."""

    paths: list[Path]
    log: FilterLog
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (folder, why), warned


NO_BEADS = "no beads (no document pair was aligned)"
NOT_A_RUN = "not a run directory (no alignment.jsonl)"


def _has_beads(alignment: Path) -> bool:
    """Whether an alignment.jsonl holds at least one non-blank line (read up to it only)."""
    with alignment.open("rb") as handle:
        return any(line.strip() for line in handle)


def parse_direction(direction: str) -> tuple[str, str]:
    """'en-ja' -> ('en', 'ja'): the language order of the exported pairs."""
    first, _, second = direction.partition("-")
    if not first or not second or first == second or "-" in second:
        raise InputError(f"bad --direction {direction!r} (expected two languages, e.g. en-ja)")
    return first, second


def _usable_runs(run_dirs: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The alignment files to export, and what `runs/*` matched that holds none (skipped).

    A folder without alignment.jsonl (a batch's output folder) or with an empty one (an event
    with no pair) is skipped among several; alone, or when nothing is left, it is the error.
    """
    alignments, skipped = [], []
    for run_dir in run_dirs:
        if len(run_dirs) > 1 and run_dir.is_dir() and not (run_dir / ALIGNMENT).is_file():
            skipped.append((run_dir, NOT_A_RUN))
            continue
        alignment = check_runs([run_dir])[0]  # a missing folder is always an error
        if _has_beads(alignment):
            alignments.append(alignment)
        else:
            skipped.append((run_dir, NO_BEADS))
    if not alignments:  # nothing to export: the first problem is the error
        check_runs(run_dirs)
        first_record(check_runs(run_dirs[:1])[0])
    return alignments, skipped


def _original_first(alignments: Sequence[Path]) -> tuple[str, str]:
    """The runs' original -> rendering languages, over every bead (a transcript with turns
    both ways has beads of both directions)."""
    found = {(r.original_lang, r.rendering_lang) for path in alignments for r in iter_records(path)}
    return found.pop() if len(found) == 1 else (MIXED, MIXED)


def _languages(
    export_format: Format, direction: str | None, alignments: Sequence[Path], source: str
) -> tuple[tuple[str, str], tuple[str, str] | None]:
    """(the file's languages, each pair's order or None for the original's own order)."""
    if direction is not None:
        langs = parse_direction(direction)
        return langs, langs
    if not export_format.original_first:
        return parse_direction(DEFAULT_DIRECTION), parse_direction(DEFAULT_DIRECTION)
    langs = _original_first(alignments)
    if langs[0] == MIXED and not export_format.mixed_originals:
        raise InputError(
            f"{export_format.name} holds one source language, but these runs have originals in "
            "more than one: pass --direction (e.g. ja-en) or export them separately",
            path=source,
        )
    return langs, None


def _source(run_dirs: Sequence[Path], alignments: Sequence[Path]) -> str:
    """What error messages name: the one alignment file, or the run directories."""
    return str(alignments[0]) if len(alignments) == 1 else ", ".join(map(str, run_dirs))


def export_runs(
    run_dirs: Sequence[Path],
    fmt: str,
    out: Path,
    *,
    filters: Filters | None = None,
    direction: str | None = None,
    force: bool = False,
    moses_meta: bool = True,
    formula_guard: bool = True,
) -> ExportResult:
    """Export the beads of `run_dirs` as `fmt` to `out`, streaming; see README 'Export'.

    direction None: TMX and XLIFF put the original first (their source language); the other
    formats order pairs en-ja, as OPUS does.
    """
    if not run_dirs:
        raise InputError("no run directory given")
    export_format = get_format(fmt)
    if direction is not None:
        parse_direction(direction)  # a bad value is an error before any file is read
    alignments, skipped = _usable_runs([Path(d) for d in run_dirs])
    source = _source(run_dirs, alignments)
    langs, order = _languages(export_format, direction, alignments, source)
    info = ExportInfo(
        langs, tuple(run_signatures(alignments)), __version__, moses_meta, formula_guard
    )
    paths = export_format.outputs(Path(out), info)
    log = FilterLog()
    with staged(paths, force) as temps:
        pairs = pipeline(iter_all(alignments), filters or Filters(), order, log, source)
        export_format.write(pairs, temps, info)
        ensure_some(log, source)
    return ExportResult(paths, log, skipped)
