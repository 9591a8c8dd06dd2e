"""OUT/results.duckdb: the batch's results as one queryable database (DuckDB, typed columns).

Tables: events (one row per event), pairs (one per aligned document pair: confidence,
coverage, divergence), beads (one per bead; labels and reasons as lists), labels and
term_flags (one row each, keyed by bead_id), drift (one row per rendering occurrence),
drift_changes, drift_concepts, and meta (schema_version). Every batch rebuilds the file from
the run directories, each event's rows as soon as it and the events before it have finished
(the batch process waits on its workers meanwhile), written beside and renamed into place.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from align import __version__
from align.errors import InputError
from align.model import AlignedBead

DATABASE = "results.duckdb"
SCHEMA_VERSION = 2  # 2: beads.original_lang
TEXT, INT, REAL, BOOL, DATE = "VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "DATE"
TEXTS = "VARCHAR[]"

PAIRS = (
    ("event", TEXT), ("date", DATE), ("src_doc", TEXT), ("tgt_doc", TEXT), ("src_lang", TEXT),
    ("tgt_lang", TEXT), ("tgt_kind", TEXT), ("beads", INT), ("confidence", REAL),
    ("low_confidence", BOOL), ("src_coverage", REAL), ("tgt_coverage", REAL),
    ("mean_divergence", REAL), ("max_divergence", REAL), ("flagged_beads", INT),
    ("signature", TEXT),
)  # fmt: skip
BEADS = (
    ("bead_id", INT), ("event", TEXT), ("date", DATE), ("src_doc", TEXT), ("tgt_doc", TEXT),
    ("src_lang", TEXT), ("tgt_lang", TEXT), ("tgt_kind", TEXT), ("original_lang", TEXT),
    ("pair_index", INT), ("bead_index", INT), ("bead", TEXT), ("src_turn", INT), ("tgt_turn", INT),
    ("src_speaker", TEXT), ("tgt_speaker", TEXT), ("via_interpreter", BOOL),
    ("src_ids", TEXTS), ("tgt_ids", TEXTS), ("src_text", TEXT), ("tgt_text", TEXT),
    ("confidence", REAL), ("divergence", REAL), ("labels", TEXTS), ("reasons", TEXTS),
    ("review_status", TEXT), ("note", TEXT), ("signature", TEXT),
)  # fmt: skip
LABELS = (("bead_id", INT), ("event", TEXT), ("label", TEXT))
TERM_FLAGS = (
    ("bead_id", INT), ("event", TEXT), ("document", TEXT), ("speaker", TEXT),
    ("concept_id", TEXT), ("kind", TEXT), ("severity", TEXT), ("ja_term", TEXT),
    ("expected", TEXT), ("found", TEXT), ("reason", TEXT),
)  # fmt: skip
DRIFT = (
    ("event", TEXT), ("date", DATE), ("bead_index", INT), ("tgt_kind", TEXT),
    ("src_speaker", TEXT), ("tgt_speaker", TEXT), ("concept_id", TEXT), ("ja_term", TEXT),
    ("rendering", TEXT), ("status", TEXT), ("surface", TEXT), ("rendering_concept", TEXT),
    ("aligned", BOOL),
)  # fmt: skip
DRIFT_CHANGES = (
    ("concept_id", TEXT), ("kind", TEXT), ("date", DATE), ("event", TEXT), ("rendering", TEXT),
    ("status", TEXT), ("previous", TEXT), ("side", TEXT), ("speaker", TEXT), ("count", INT),
)  # fmt: skip
DRIFT_CONCEPTS = (
    ("rank", INT), ("concept_id", TEXT), ("ja", TEXT), ("en", TEXT), ("score", REAL),
    ("change_size", REAL), ("change_date", DATE), ("change_event", TEXT), ("changes", INT),
    ("events", INT), ("occurrences", INT), ("renderings", INT),
)  # fmt: skip


def _arrow_type(sql: str) -> Any:
    import pyarrow as pa

    return {
        TEXT: pa.string(), INT: pa.int64(), REAL: pa.float64(), BOOL: pa.bool_(),
        DATE: pa.date32(), TEXTS: pa.list_(pa.string()),
    }[sql]  # fmt: skip


def _date(value: Any) -> dt.date | None:
    """An ISO date (or the date part of one), else None: dates are typed, not text."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _number(value: Any) -> Any:
    """NaN (pandas' missing value) as None."""
    return None if isinstance(value, float) and value != value else value


def _cell(value: Any, sql: str) -> Any:
    value = _number(value)
    if value is None:
        return [] if sql == TEXTS else None
    if sql == DATE:
        return _date(value)
    if sql == TEXTS:
        return [_label_name(v) for v in value]
    if sql == TEXT and not isinstance(value, str):
        return (
            json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
        )
    return value


def _label_name(value: Any) -> str:
    """A label as its name (labels may be plain names or {label, severity} mappings)."""
    if isinstance(value, dict):
        return str(value.get("label") or value.get("name"))
    return str(value)


def _arrow(columns: Sequence[tuple[str, str]], rows: Iterable[Mapping[str, Any]]) -> Any:
    import pyarrow as pa

    schema = pa.schema([(name, _arrow_type(sql)) for name, sql in columns])
    data = [{name: _cell(row.get(name), sql) for name, sql in columns} for row in rows]
    return pa.Table.from_pylist(data, schema=schema)


FLUSH_ROWS = 20_000  # rows held per table before one INSERT (one per event cost 0.4 s / 60)


class Writer:
    """Creates every table, then takes one event at a time; rows are inserted FLUSH_ROWS at a
    time (memory: a bounded buffer per table, not the batch).

    The file is created with the first event's rows, not before: a batch opens its writer at
    the start, and DuckDB's import and tables (0.3 s) are then made while workers run rather
    than before the first event starts.
    """

    TABLES = {
        "pairs": PAIRS, "beads": BEADS, "labels": LABELS, "term_flags": TERM_FLAGS,
        "drift": DRIFT, "drift_changes": DRIFT_CHANGES, "drift_concepts": DRIFT_CONCEPTS,
    }  # fmt: skip

    def __init__(self, path: Path, event_columns: Sequence[tuple[str, str]]) -> None:
        self.path = path
        self.temporary = path.with_name(f".{path.name}.partial")
        self.next_bead = 0
        self.columns = {"events": tuple(event_columns), **self.TABLES}
        self.pending: dict[str, list[Any]] = {}  # Arrow tables per table, not yet inserted
        self._connection: Any = None

    def connect(self) -> Any:
        """The new file's connection, every table created on first use."""
        if self._connection is None:
            import duckdb

            self.temporary.unlink(missing_ok=True)  # a killed batch's is replaced here
            connection = duckdb.connect(str(self.temporary))
            for name, columns in self.columns.items():
                # names and types are the toolkit's own constants; values go in as Arrow tables
                spec = ", ".join(f'"{column}" {sql}' for column, sql in columns)
                connection.execute(f'CREATE TABLE "{name}" ({spec})')
            connection.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
            connection.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("schema_version", str(SCHEMA_VERSION)),
                 ("toolkit", f"interp-align {__version__}"),
                 ("written_at", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))],
            )  # fmt: skip
            self._connection = connection
        return self._connection

    def insert(self, table: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Append rows (dictionaries; missing keys are NULL) to one table: typed as Arrow now
        (while later events run), inserted with the table's other rows at the threshold."""
        pending = self.pending.setdefault(table, [])
        pending.append(_arrow(self.columns[table], rows))
        if sum(part.num_rows for part in pending) >= FLUSH_ROWS:
            self._flush(table)

    def _flush(self, table: str) -> None:
        """One INSERT of the table's buffered rows."""
        import pyarrow as pa

        parts = [part for part in self.pending.pop(table, []) if part.num_rows]
        if parts:
            connection = self.connect()
            connection.register("incoming", pa.concat_tables(parts))
            connection.execute(f'INSERT INTO "{table}" SELECT * FROM incoming')
            connection.unregister("incoming")

    def add_run(self, run_dir: Path, event: str) -> None:
        """One event's run directory (its reviewed state, if any): pairs, beads, labels, flags."""
        from align.export.records import iter_all
        from align.rundir import ALIGNMENT

        self.connect()  # the file is created with the first event's rows
        run = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
        path = run_dir / ALIGNMENT
        beads = list(iter_all([path])) if path.is_file() and path.stat().st_size else []
        rows, labels, flags = [], [], []
        for bead in beads:
            bead_id = self.next_bead = self.next_bead + 1
            rows.append(_bead_row(bead, bead_id))
            labels += [
                {"bead_id": bead_id, "event": event, "label": label} for label in bead.labels
            ]
            flags += [
                {**flag.to_dict(), "bead_id": bead_id, "event": event, "document": bead.tgt_doc,
                 "speaker": bead.tgt_speaker}
                for flag in bead.term_flags or []
            ]  # fmt: skip
        for document, found in (run.get("document_term_flags") or {}).items():
            flags += [{**flag, "event": event, "document": document} for flag in found]
        self.insert("beads", rows)
        self.insert("labels", labels)
        self.insert("term_flags", flags)
        self.insert("pairs", [_pair_row(event, run, p, beads) for p in run.get("pairs", [])])

    def close(self) -> Path:
        """Finish the file and rename it into place."""
        for table in list(self.pending):
            self._flush(table)
        self.connect().close()
        os.replace(self.temporary, self.path)
        return self.path

    def abort(self) -> None:
        if self._connection is not None:
            self._connection.close()  # a no-op once closed: the renamed file is then kept
        self.temporary.unlink(missing_ok=True)


def _bead_row(bead: AlignedBead, bead_id: int) -> dict[str, Any]:
    """A bead as a row of the beads table (typed blocks flattened)."""
    row = {name: getattr(bead, name, None) for name, _ in BEADS}
    row.update(
        bead_id=bead_id, labels=list(bead.labels), reasons=list(bead.reasons),
        review_status=bead.review_status or "initial",
        note=bead.review.note if bead.review else None,
    )  # fmt: skip
    return row


def _pair_row(
    event: str, run: Mapping[str, Any], pair: Mapping[str, Any], beads: list[AlignedBead]
) -> dict[str, Any]:
    """A document pair: run.json's summary plus coverage and divergence from its beads."""
    mine = [b for b in beads if (b.src_doc, b.tgt_doc) == (pair["src_doc"], pair["tgt_doc"])]
    divergences = [b.divergence for b in mine if b.divergence is not None]
    src_lang, _, tgt_lang = str(pair.get("direction") or "-").partition("-")
    return {
        **pair,
        "event": event, "date": run.get("date"), "src_lang": src_lang, "tgt_lang": tgt_lang,
        "src_coverage": _coverage(mine, "src", "tgt"),
        "tgt_coverage": _coverage(mine, "tgt", "src"),
        "mean_divergence": round(sum(divergences) / len(divergences), 4) if divergences else None,
        "max_divergence": max(divergences) if divergences else None,
        "flagged_beads": sum(1 for b in mine if b.labels or b.term_flags),
    }  # fmt: skip


def _coverage(beads: list[AlignedBead], side: str, other: str) -> float | None:
    """Share of one side's sentences that are aligned to something on the other side."""
    total = sum(len(getattr(b, f"{side}_ids")) for b in beads)
    covered = sum(len(getattr(b, f"{side}_ids")) for b in beads if getattr(b, f"{other}_ids"))
    return round(covered / total, 4) if total else None


@contextmanager
def building(out: Path, event_columns: Sequence[tuple[str, str]]) -> Iterator[Writer]:
    """A Writer for OUT/results.duckdb that takes each event's rows as it finishes, while the
    others run; the caller finishes it, a failure discards the file."""
    writer = Writer(out / DATABASE, event_columns)
    try:
        yield writer
    except BaseException:
        writer.abort()
        raise


def finish(
    writer: Writer, events: list[dict[str, Any]], drift: Mapping[str, list[dict[str, Any]]]
) -> Path:
    """The batch-wide tables (events, drift), then the file renamed into place."""
    writer.insert("events", events)
    for name, rows in drift.items():
        writer.insert(name, rows)
    return writer.close()


def connect(path: str | Path) -> Any:
    """A read-only connection to a results database of this schema version.

    An older batch's database (or another file) is refused with a one-line InputError
    saying how to rebuild it: the database is derived, so rerunning the batch migrates it.
    """
    import duckdb

    path = Path(path)
    if path.is_dir():
        path = path / DATABASE
    if not path.is_file():
        raise InputError("no results database (run `interp-align batch CONFIG` first)", path)
    rebuild = "rerun `interp-align batch CONFIG` (finished steps are skipped) to rebuild it"
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        raise InputError(f"not a DuckDB results database; {rebuild}", path) from None
    try:
        rows = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    except duckdb.Error:
        rows = []
    found = int(rows[0][0]) if rows and str(rows[0][0]).isdigit() else 0
    if found != SCHEMA_VERSION:
        connection.close()
        age = "an older" if found < SCHEMA_VERSION else "a newer"
        raise InputError(
            f"results database from {age} batch (schema version {found}, this toolkit reads "
            f"{SCHEMA_VERSION}); {rebuild}",
            path,
        )
    return connection


def query(path: str | Path, sql: str) -> Any:
    """Run one read-only SQL query on a results database; the answer as a pandas DataFrame."""
    import duckdb

    connection = connect(path)
    try:
        return connection.execute(sql).fetchdf()
    except duckdb.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InputError(f"query failed: {first}", path) from None
    finally:
        connection.close()
