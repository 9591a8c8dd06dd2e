"""Steps over the whole corpus, after every event: export and terminology drift.

Each has a marker like the per-event steps, signed with the signatures of the events it read,
so a resumed batch whose events did not change does not redo them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from align.batch import markers
from align.batch.dataset import staged_folder

EXPORT_DIR = "export"
TERMS_DIR = "terms"
DRIFT_TABLES = {"occurrences": "drift", "changes": "drift_changes", "concepts": "drift_concepts"}
EXTENSIONS = {"tmx": "tmx", "jsonl": "jsonl", "csv": "csv", "tsv": "tsv", "parquet": "parquet",
              "xliff": "xlf", "moses": None}  # fmt: skip


def run_marked(
    folder: Path, step: str, signature: str, overwrite: bool, work: Callable[[], list[Path]]
) -> str:
    """Run `work` unless its marker matches; returns 'done' or 'skipped'."""
    if not overwrite and markers.is_done(folder, step, signature):
        return "skipped"
    markers.clear(folder, step)
    outputs = work()
    markers.mark_done(folder, step, signature, [str(p.relative_to(folder)) for p in outputs])
    return "done"


def export_corpus(run_dirs: Sequence[Path], out: Path, options: dict[str, Any]) -> list[Path]:
    """One file (set) per format over every aligned event, streamed by align.export."""
    from align.export import Filters, export_runs

    filters = Filters(
        min_confidence=options["min_confidence"],
        max_divergence=options["max_divergence"],
        bead_types=frozenset(options["bead_types"]) if options["bead_types"] else None,
        reviewed_only=options["reviewed_only"],
        dedupe=options["dedupe"],
        include_gaps=options["include_gaps"],
    )
    folder = out / EXPORT_DIR
    paths: list[Path] = []
    for fmt in options["formats"]:
        extension = EXTENSIONS.get(fmt)
        target = folder / (f"{options['name']}.{extension}" if extension else options["name"])
        result = export_runs(
            run_dirs, fmt, target, filters=filters, direction=options["direction"], force=True
        )
        paths.extend(result.paths)
    return paths


def drift_corpus(run_dirs: Sequence[Path], out: Path, options: dict[str, Any]) -> list[Path]:
    """Renderings of each concept across events (align.terms.drift): CSV, Parquet, HTML, plots."""
    from align.terms import load_termbase
    from align.terms.drift import DriftOptions, drift_tables, read_runs, write_drift

    termbase = load_termbase(options["termbase"])
    chosen = DriftOptions(
        include_gaps=options.get("include_gaps", False),
        min_pair_confidence=options.get("min_pair_confidence", DriftOptions.min_pair_confidence),
    )
    from align.terms.runs import pair_confidences

    tables = drift_tables(termbase, read_runs(run_dirs), chosen, pair_confidences(run_dirs))
    target = out / TERMS_DIR
    with staged_folder(target) as temporary:
        written = write_drift(termbase, tables, temporary, plots=options["plots"])
    return [target / path.relative_to(temporary) for path in written]


def read_drift(out: Path) -> dict[str, list[dict[str, Any]]]:
    """The drift tables for the results database (drift, drift_changes, drift_concepts)."""
    import pyarrow.parquet as pq

    found = {}
    for name, table in DRIFT_TABLES.items():
        path = out / TERMS_DIR / f"{name}.parquet"
        if path.is_file():
            found[table] = pq.read_table(path).to_pylist()
    return found
