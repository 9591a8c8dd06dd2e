"""The batch's own tables: summary and flags (Parquet), results.duckdb and errors.csv.

Every file is written to a temporary sibling and renamed, like the run directories.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from align.batch.summary import COLUMNS, FLAG_COLUMNS, PROFILE_COLUMNS
from align.rundir import atomic_write

if TYPE_CHECKING:
    from align.batch.results import Writer

ERRORS = "errors.csv"
SUMMARY = "summary.parquet"
FLAGS = "flags.parquet"
ERROR_COLUMNS = ("event", "step", "message")
CORPUS = "(corpus)"  # the event column of a failure that concerns the whole batch


def _types() -> dict[str, Any]:
    import pyarrow as pa

    text, integer, real = pa.string(), pa.int64(), pa.float64()
    types = dict.fromkeys(COLUMNS, text)
    types.update(dict.fromkeys(("documents", "pairs", "beads", "low_confidence_pairs"), integer))
    types.update(dict.fromkeys((c for c in COLUMNS if "flags" in c), integer))
    types.update(mean_confidence=real, mean_divergence=real, count=integer)
    types.update(dict.fromkeys(PROFILE_COLUMNS, real))  # the interpretation profile's figures
    return types


def _schema(columns: Sequence[str]) -> Any:
    import pyarrow as pa

    types = _types()
    return pa.schema([(name, types.get(name, pa.string())) for name in columns])


@functools.cache
def warm_up() -> None:
    """Build one Arrow array: pyarrow imports pandas on the first (0.2-0.3 s, measured), which
    the batch process then does while its workers run, not after the last event."""
    import pyarrow as pa

    pa.array([0])


def write_parquet(rows: list[dict[str, Any]], columns: Sequence[str], path: Path) -> None:
    """Rows as one Parquet file with a fixed schema (so an empty table still has columns)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], _schema(columns))
    temporary = path.with_name(f".{path.name}.partial")
    try:
        pq.write_table(table, temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_errors(errors: list[tuple[str, str, str]], path: Path) -> None:
    """errors.csv: event, step, message (a header only when nothing failed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ERROR_COLUMNS)
    writer.writerows(errors)
    atomic_write(path, buffer.getvalue())


def read_errors(path: Path) -> list[dict[str, str]]:
    """errors.csv back as dictionaries (for tests and reports)."""
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def event_columns() -> list[tuple[str, str]]:
    """The events table's SQL columns: the summary's, with the date typed."""
    sql = {"int64": "BIGINT", "double": "DOUBLE"}
    types = _types()
    return [(c, "DATE" if c == "date" else sql.get(str(types[c]), "VARCHAR")) for c in COLUMNS]


def write_summary(
    out: Path,
    rows: list[dict[str, Any]],
    flags: list[dict[str, Any]],
    database: Writer,
    drift: dict[str, list[dict[str, Any]]],
) -> list[Path]:
    """summary.parquet, flags.parquet and results.duckdb, whose writer already holds every
    aligned event's rows (pairs, beads, …): the events and drift tables finish it."""
    from align.batch.results import finish

    write_parquet(rows, COLUMNS, out / SUMMARY)
    write_parquet(flags, FLAG_COLUMNS, out / FLAGS)
    path = finish(database, rows, drift)
    (out / "summary.sqlite").unlink(missing_ok=True)  # an older batch's, superseded
    return [out / SUMMARY, out / FLAGS, path]
