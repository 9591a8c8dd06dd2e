"""The review database RUN_DIR/review.sqlite: schema, import of the run, rows in and out.

SQLite in WAL mode: readers (an export) never block the reviewer, every action is one
IMMEDIATE transaction, and a killed server loses nothing that was answered as saved.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from align.errors import InputError
from align.model import AlignedBead, migrate_v1
from align.review.load import (
    SIDES,
    alignment_file,
    build_units,
    document_sentences,
    fingerprint,
    read_alignment,
)

DB_NAME = "review.sqlite"
SCHEMA_VERSION = 1
STATUSES = ("initial", "reviewed", "final", "rejected")
BEAD_FIELDS = ("id", "unit", "ord", "src", "tgt", "status", "note", "alive")

SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE record (idx INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE unit (
    id INTEGER PRIMARY KEY, src_doc TEXT NOT NULL, tgt_doc TEXT NOT NULL,
    pair_index INTEGER NOT NULL, first_record INTEGER NOT NULL);
CREATE TABLE sentence (
    unit INTEGER NOT NULL REFERENCES unit(id), side TEXT NOT NULL CHECK (side IN ('src', 'tgt')),
    pos INTEGER NOT NULL, sent_id TEXT, original TEXT NOT NULL, corrected TEXT,
    PRIMARY KEY (unit, side, pos));
CREATE TABLE bead (
    id INTEGER PRIMARY KEY, unit INTEGER NOT NULL REFERENCES unit(id), ord REAL NOT NULL,
    src TEXT NOT NULL, tgt TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'initial'
        CHECK (status IN ('initial', 'reviewed', 'final', 'rejected')),
    note TEXT, alive INTEGER NOT NULL DEFAULT 1, version INTEGER NOT NULL DEFAULT 1,
    updated_by TEXT, updated_at TEXT);
CREATE INDEX bead_order ON bead (unit, ord);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, reviewer TEXT NOT NULL, action TEXT NOT NULL,
    bead INTEGER, params TEXT NOT NULL, before TEXT, after TEXT, versions TEXT,
    state TEXT NOT NULL CHECK (state IN ('done', 'undone', 'dropped', 'log')),
    undo_seq INTEGER, target INTEGER);
CREATE INDEX audit_reviewer ON audit (reviewer, state);
"""


def now() -> str:
    """UTC time for the audit log, ISO 8601 to the millisecond."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def db_path(run_dir: Path) -> Path:
    """Where a run's review lives."""
    return Path(run_dir) / DB_NAME


def _connect(path: Path, create: bool) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, durable commits."""
    mode = "rwc" if create else "rw"
    try:
        conn = sqlite3.connect(
            f"file:{path}?mode={mode}", uri=True, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as error:
        raise InputError(f"not a review database: {error}", path=path) from None
    return conn


def _schema_version(conn: sqlite3.Connection, path: Path) -> int | None:
    """The stored schema version; None for an empty file; refuses newer or foreign files."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return None
    if "schema_version" not in tables:
        raise InputError("not a review database (no schema_version table)", path=path)
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    version = int(row[0] or 0)
    if version > SCHEMA_VERSION:
        raise InputError(
            f"written by a newer interp-align (review schema {version}; this version reads "
            f"up to {SCHEMA_VERSION}): upgrade interp-align to open it",
            path=path,
        )
    return version


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error: one action, one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _import_run(conn: sqlite3.Connection, run_dir: Path) -> None:
    """First opening: copy the records, the turn-pair units, sentences and first beads."""
    records, digest = read_alignment(run_dir)
    units = build_units(records, document_sentences(run_dir))
    for statement in SCHEMA.split(";"):  # executescript() would COMMIT the open transaction
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
    meta = {"fingerprint": digest, "created_at": now(), "run_dir": str(Path(run_dir).resolve())}
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    conn.executemany(
        "INSERT INTO record VALUES (?, ?)",
        ((i, json.dumps(r.to_dict(), ensure_ascii=False)) for i, r in enumerate(records)),
    )
    for unit_id, unit in enumerate(units, 1):
        conn.execute(
            "INSERT INTO unit VALUES (?, ?, ?, ?, ?)", (unit_id, *unit.key, unit.records[0])
        )
        conn.executemany(
            "INSERT INTO sentence VALUES (?, ?, ?, ?, ?, NULL)",
            ((unit_id, s.side, s.pos, s.sent_id, s.text) for s in unit.sentences.values()),
        )
        for order, index in enumerate(unit.records):
            record = records[index]
            status = record.review_status
            conn.execute(
                "INSERT INTO bead (unit, ord, src, tgt, status) VALUES (?, ?, ?, ?, ?)",
                (
                    unit_id,
                    float(order),
                    json.dumps(record.src_idx),
                    json.dumps(record.tgt_idx),
                    status if status in STATUSES else "initial",
                ),
            )


@dataclass
class UnitInfo:
    """A unit's identity and the original beads it started with (for scores and flags)."""

    id: int
    key: tuple[str, str, int]
    first_record: int
    origins: dict[tuple[tuple[int, ...], tuple[int, ...]], int] = field(default_factory=dict)
    owners: dict[tuple[str, int], int] = field(default_factory=dict)


class Store:
    """One open review database with the run's fixed data cached in memory."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.lock = threading.RLock()  # one connection shared by the server's threads
        self.records = [
            _bead(json.loads(body), path, idx)
            for idx, body in conn.execute("SELECT idx, body FROM record ORDER BY idx")
        ]
        self.units = self._load_units()
        self.originals = {
            (u, side, pos): (sent_id, text)
            for u, side, pos, sent_id, text in conn.execute(
                "SELECT unit, side, pos, sent_id, original FROM sentence"
            )
        }

    def _load_units(self) -> dict[int, UnitInfo]:
        """Units by id, each knowing which record owns which original bead and sentence."""
        units = {}
        by_key = {}
        for uid, src_doc, tgt_doc, pair_index, first in self.conn.execute(
            "SELECT id, src_doc, tgt_doc, pair_index, first_record FROM unit ORDER BY id"
        ):
            units[uid] = by_key[(src_doc, tgt_doc, pair_index)] = UnitInfo(
                uid, (src_doc, tgt_doc, pair_index), first
            )
        for index, record in enumerate(self.records):
            unit = by_key[(record.src_doc, record.tgt_doc, record.pair_index)]
            src, tgt = tuple(record.src_idx), tuple(record.tgt_idx)
            unit.origins[(src, tgt)] = index
            for side, positions in zip(SIDES, (src, tgt), strict=True):
                for pos in positions:
                    unit.owners[(side, pos)] = index
        return units

    def beads(self, unit: int | None = None) -> list[dict[str, Any]]:
        """Live beads in reading order (one unit, or the whole run)."""
        sql = "SELECT * FROM bead WHERE alive = 1" + (" AND unit = ?" if unit else "")
        rows = self.conn.execute(sql + " ORDER BY unit, ord", (unit,) if unit else ())
        return [bead_dict(row, rows.description) for row in rows]

    def bead(self, bead_id: int) -> dict[str, Any] | None:
        """One bead row, live or not."""
        cursor = self.conn.execute("SELECT * FROM bead WHERE id = ?", (bead_id,))
        row = cursor.fetchone()
        return bead_dict(row, cursor.description) if row else None

    def corrections(self, unit: int | None = None) -> dict[tuple[int, str, int], str]:
        """Corrected sentence texts by (unit, side, pos)."""
        sql = "SELECT unit, side, pos, corrected FROM sentence WHERE corrected IS NOT NULL"
        rows = self.conn.execute(sql + (" AND unit = ?" if unit else ""), (unit,) if unit else ())
        return {(u, s, p): c for u, s, p, c in rows}

    def counts(self) -> dict[str, int]:
        """Live beads per review status, plus the total."""
        rows = self.conn.execute(
            "SELECT status, count(*) FROM bead WHERE alive = 1 GROUP BY status"
        )
        counts = dict.fromkeys(STATUSES, 0) | dict(rows.fetchall())
        counts["total"] = sum(counts[s] for s in STATUSES)
        return counts

    def snapshot(self) -> tuple[list[dict[str, Any]], dict[tuple[int, str, int], str]]:
        """All live beads and corrections read in one transaction (a consistent state)."""
        with self.lock:
            self.conn.execute("BEGIN")
            try:
                return self.beads(), self.corrections()
            finally:
                self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def _bead(body: dict[str, Any], path: Path, idx: int) -> AlignedBead:
    """A stored record as a typed bead (reviews begun before schema 2 hold flat records)."""
    return AlignedBead.from_dict(body if "schema" in body else migrate_v1(body), path, idx + 1)


def bead_dict(row: tuple[Any, ...], description: Any) -> dict[str, Any]:
    """A bead row as a dict with its sentence lists decoded."""
    data = dict(zip((d[0] for d in description), row, strict=True))
    data["src"], data["tgt"] = json.loads(data["src"]), json.loads(data["tgt"])
    return data


def open_store(run_dir: Path, create: bool = True) -> Store:
    """Open (and on first use create) a run's review database; refuses a changed alignment."""
    alignment = alignment_file(run_dir)
    path = db_path(run_dir)
    if not create and not path.is_file():
        raise InputError(f"no {DB_NAME}: this run has not been reviewed", path=run_dir)
    conn = _connect(path, create)
    try:
        if create:  # the write lock makes a concurrent first opening import only once
            with transaction(conn):
                if _schema_version(conn, path) is None:
                    _import_run(conn, run_dir)
        elif _schema_version(conn, path) is None:
            raise InputError("empty review database", path=path)
        _check_fingerprint(conn, alignment, path)
        return Store(conn, path)
    except BaseException:
        conn.close()
        raise


def _check_fingerprint(conn: sqlite3.Connection, alignment: Path, path: Path) -> None:
    """Refuse a review made on another version of alignment.jsonl (a re-run would mismatch)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    if row and row[0] != fingerprint(alignment):
        raise InputError(
            f"{alignment.name} changed since this review started; move {DB_NAME} away "
            "to start a new review of the new alignment",
            path=path,
        )
