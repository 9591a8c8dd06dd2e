"""The batch's own tables: summary (Parquet and SQLite), flags, drift and errors.csv.

Every file is written to a temporary sibling and renamed, like the run directories.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from align.batch.summary import COLUMNS, FLAG_COLUMNS
from align.rundir import atomic_write

ERRORS = "errors.csv"
SUMMARY = "summary.parquet"
FLAGS = "flags.parquet"
DATABASE = "summary.sqlite"
ERROR_COLUMNS = ("event", "step", "message")
CORPUS = "(corpus)"  # the event column of a failure that concerns the whole batch


def _types() -> dict[str, Any]:
    import pyarrow as pa

    text, integer, real = pa.string(), pa.int64(), pa.float64()
    types = dict.fromkeys(COLUMNS, text)
    types.update(dict.fromkeys(("documents", "pairs", "beads", "low_confidence_pairs"), integer))
    types.update(dict.fromkeys((c for c in COLUMNS if "flags" in c), integer))
    types.update(mean_confidence=real, mean_divergence=real, count=integer)
    return types


def _schema(columns: Sequence[str]) -> Any:
    import pyarrow as pa

    types = _types()
    return pa.schema([(name, types.get(name, pa.string())) for name in columns])


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


def _sql_type(name: str, rows: list[dict[str, Any]]) -> str:
    """The column's SQL type: ours by name, others (drift tables) by their first value."""
    kinds = _types()
    if name in kinds:
        return {"int64": "INTEGER", "double": "REAL"}.get(str(kinds[name]), "TEXT")
    value = next((row[name] for row in rows if row.get(name) is not None), None)
    if isinstance(value, bool | int):
        return "INTEGER"
    return "REAL" if isinstance(value, float) else "TEXT"


def write_sqlite(tables: dict[str, tuple[Sequence[str], list[dict[str, Any]]]], path: Path) -> None:
    """Each table created and filled with parameterised inserts, in a file renamed into place."""
    temporary = path.with_name(f".{path.name}.partial")  # a killed run's is replaced here
    temporary.unlink(missing_ok=True)
    try:
        with sqlite3.connect(temporary) as conn:
            for name, (columns, rows) in tables.items():
                # names are the toolkit's own constants, never user text; values go through '?'
                spec = ", ".join(f'"{c}" {_sql_type(c, rows)}' for c in columns)
                conn.execute(f'CREATE TABLE "{name}" ({spec})')
                marks = ", ".join("?" * len(columns))
                conn.executemany(
                    f'INSERT INTO "{name}" VALUES ({marks})',
                    [tuple(row.get(c) for c in columns) for row in rows],
                )
        conn.close()
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
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


def write_summary(
    out: Path,
    rows: list[dict[str, Any]],
    flags: list[dict[str, Any]],
    drift: dict[str, tuple[Sequence[str], list[dict[str, Any]]]],
) -> list[Path]:
    """summary.parquet, flags.parquet and summary.sqlite (events, flags and any drift tables)."""
    write_parquet(rows, COLUMNS, out / SUMMARY)
    write_parquet(flags, FLAG_COLUMNS, out / FLAGS)
    tables = {"events": (COLUMNS, rows), "flags": (FLAG_COLUMNS, flags), **drift}
    write_sqlite(tables, out / DATABASE)
    return [out / SUMMARY, out / FLAGS, out / DATABASE]
