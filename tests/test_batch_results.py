"""The batch's results database: typed tables one can query, and older databases refused."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import duckdb
import pytest

from align.batch.results import DATABASE, SCHEMA_VERSION, connect
from align.errors import InputError
from align.model import AlignedBead
from align.rundir import read_beads
from tests.test_batch_support import EVENTS, KAIKEN, NSS, cli, copy_event, write_config


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One batch: the NSS event, and an event pairing the NSS original with an unrelated text."""
    root = tmp_path_factory.mktemp("batch")
    copy_event(NSS, root / "events")
    mixed = {
        "id": "mixed", "date": "2022-12-16", "title": "one good pair, one unrelated",
        "documents": [
            {"file": str(EVENTS / NSS / "ja_mofa_nss_statement_20221216.txt"),
             "language": "ja", "kind": "original"},
            {"file": str(EVENTS / NSS / "en_mofa_nss_statement_20221216.txt"),
             "language": "en", "kind": "translation", "id": "en-nss"},
            {"file": str(EVENTS / KAIKEN / "en_mofa_kaiken_20240723.txt"),
             "language": "en", "kind": "translation", "id": "en-unrelated"},
        ],
    }  # fmt: skip
    steps = {"align": {"pictures": False}, "score": {}, "terms": {"plots": False}}
    data = {"out": "out", "events": {"glob": "events/*", "inline": [mixed]}, "steps": steps}
    result = cli("batch", write_config(root / "batch.yaml", data), "--quiet")
    assert result.returncode == 0, result.stderr
    return root / "out"


def _rows(out: Path, sql: str) -> list[tuple]:
    connection = connect(out)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _records(out: Path, event: str) -> list[AlignedBead]:
    return read_beads(out / "events" / event)


def test_pairs_are_rows_of_their_own(out: Path) -> None:
    rows = _rows(out, "SELECT tgt_doc, confidence, low_confidence, src_coverage, mean_divergence "
                      "FROM pairs WHERE event = 'mixed' ORDER BY tgt_doc")  # fmt: skip
    (good, good_conf, good_low, coverage, good_div), (bad, bad_conf, bad_low, _, bad_div) = rows
    assert (good, bad) == ("en-nss", "en-unrelated")
    assert good_conf > 0.5 and not good_low and bad_conf < 0.3 and bad_low
    assert 0.5 < coverage <= 1 and good_div < bad_div
    run = json.loads((out / "events" / "mixed" / "run.json").read_text("utf-8"))
    assert sorted(p["confidence"] for p in run["pairs"]) == sorted([good_conf, bad_conf])


def test_beads_labels_and_flags_match_the_run(out: Path) -> None:
    records = _records(out, NSS)
    beads = _rows(out, f"SELECT bead_id, bead, labels, reasons, date, review_status, divergence "
                       f"FROM beads WHERE event = '{NSS}' ORDER BY bead_id")  # fmt: skip
    assert len(beads) == len(records)
    for row, record in zip(beads, records, strict=True):
        assert row[1] == record.bead and row[2] == record.labels
        assert row[3] == record.reasons and row[6] == record.divergence
        assert str(row[4]) == "2022-12-16" and row[5] == "initial"
    labels = _rows(out, f"SELECT count(*) FROM labels WHERE event = '{NSS}'")[0][0]
    assert labels == sum(len(r.labels) for r in records) > 0
    flags = _rows(out, f"SELECT count(*) FROM term_flags WHERE event = '{NSS}'")[0][0]
    assert flags == sum(len(r.term_flags or []) for r in records)
    joined = _rows(out, "SELECT count(*) FROM labels JOIN beads USING (bead_id) "
                        "WHERE list_contains(beads.labels, labels.label)")  # fmt: skip
    assert joined[0][0] == _rows(out, "SELECT count(*) FROM labels")[0][0]
    types = dict(_rows(out, "SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_name = 'beads'"))  # fmt: skip
    assert types["labels"] == "VARCHAR[]" and types["date"] == "DATE"
    assert types["confidence"] == "DOUBLE" and types["via_interpreter"] == "BOOLEAN"


def test_drift_and_events_tables(out: Path) -> None:
    events = dict(_rows(out, "SELECT event, pairs FROM events"))
    assert events == {NSS: 1, "mixed": 2}
    types = dict(_rows(out, "SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_name = 'events'"))  # fmt: skip
    assert types["date"] == "DATE" and types["profile_compression"] == "DOUBLE"
    drift = _rows(out, "SELECT DISTINCT concept_id FROM drift")
    assert ("national-security-strategy",) in drift
    assert _rows(out, "SELECT count(*) FROM drift_concepts")[0][0] == len(drift)


def test_query_command_prints_a_table_csv_and_json(out: Path) -> None:
    sql = "SELECT event, count(*) AS n FROM beads GROUP BY event ORDER BY event"
    table = cli("query", out, sql)
    assert table.returncode == 0, table.stderr
    assert table.stdout.split()[:2] == ["event", "n"] and NSS in table.stdout
    csv = cli("query", out / DATABASE, sql, "--format", "csv")
    assert csv.stdout.splitlines()[0] == "event,n"
    lines = cli("query", out, sql, "-f", "json").stdout.splitlines()
    assert [json.loads(line)["event"] for line in lines] == [NSS, "mixed"]
    bad = cli("query", out, "SELECT nothing FROM nowhere")
    assert bad.returncode == 2 and "query failed" in bad.stderr and "Traceback" not in bad.stderr


def test_older_database_is_refused_with_a_message(tmp_path: Path) -> None:
    old = tmp_path / "old.duckdb"
    with duckdb.connect(str(old)) as connection:
        connection.execute("CREATE TABLE events (event VARCHAR)")  # a batch before `meta`
    with pytest.raises(InputError, match="older batch.*schema version 0.*rerun"):
        connect(old)
    with duckdb.connect(str(old)) as connection:
        connection.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
        connection.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION + 1])
    with pytest.raises(InputError, match="newer batch"):
        connect(old)
    sqlite = tmp_path / "summary.sqlite"  # what batches wrote before results.duckdb
    with sqlite3.connect(sqlite) as connection:
        connection.execute("CREATE TABLE events (event TEXT)")
    result = cli("query", sqlite, "SELECT * FROM events")
    assert result.returncode == 2 and "not a DuckDB results database" in result.stderr
    assert cli("query", tmp_path, "SELECT 1").stderr.count("no results database") == 1


def test_beads_dataset_has_typed_reasons_and_flags(out: Path) -> None:
    import pyarrow.dataset as ds

    table = ds.dataset(out / "beads", format="parquet").to_table()
    assert str(table.schema.field("reasons").type.value_type) == "string"
    rows = [r for r in table.to_pylist() if r["event"] == NSS]
    beads = _records(out, NSS)
    assert [r["reasons"] for r in rows] == [b.reasons for b in beads]
    assert [r["term_flags"] for r in rows] == [
        [f.reason for f in b.term_flags or []] for b in beads
    ]
    assert {r["review_status"] for r in rows} == {"initial"}


def test_buffered_inserts_keep_every_row_in_order(tmp_path: Path, monkeypatch) -> None:
    from align.batch import results

    monkeypatch.setattr(results, "FLUSH_ROWS", 3)  # flush mid-way, then the rest at close
    writer = results.Writer(tmp_path / DATABASE, [("event", "VARCHAR")])
    for start in (0, 2, 4, 5):
        writer.insert("events", [{"event": f"e{i}"} for i in range(start, start + 2)])
    assert not writer.pending.get("events")  # every row went in at the threshold
    path = writer.close()
    with duckdb.connect(str(path), read_only=True) as connection:
        rows = [r[0] for r in connection.execute('SELECT event FROM "events"').fetchall()]
    assert rows == ["e0", "e1", "e2", "e3", "e4", "e5", "e5", "e6"]
