"""Every export format round-trips: our own reader, then an independent reader per format.

The fixture run holds the hard cases: `&`, `<`, quotes, commas, tabs, newlines, emoji,
Japanese, C0 control characters and a lone surrogate (XML 1.0 cannot carry the last two, so
they are removed in every format), a gap bead, a duplicate pair and two signatures.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from align.export import FORMATS, export_runs, get_format
from tests.beads import write_alignment

DTD = Path(__file__).parent / "data" / "tmx14.dtd"
SIG_A = "interp-align:0.1.0|embedder:use-multilingual-v3|max_bead:3"
SIG_B = "interp-align:0.1.0|embedder:labse|max_bead:3"
META = [
    *["event", "date", "src_doc", "tgt_doc", "src_lang", "tgt_lang", "tgt_kind", "original_lang"],
    *["pair_index", "bead_index", "bead", "src_ids", "tgt_ids", "src_speaker", "tgt_speaker"],
    *["via_interpreter", "confidence", "divergence", "scores_stale", "labels", "reasons"],
    *["term_flags", "review_status", "note", "signature"],
]
FLAG = {"kind": "wrong", "severity": "high", "concept_id": "japan-us-alliance",
        "ja_term": "日米同盟", "expected": "Japan-U.S. Alliance", "found": "alliance",
        "reason": "'alliance' for 日米同盟; use 'Japan-U.S. Alliance'"}  # fmt: skip


def bead(index: int, src_text: str, tgt_text: str, **extra: Any) -> dict[str, Any]:
    """One alignment record in the run-directory schema (JA original, EN rendering)."""
    record = {
        "event": "2024-07-28-2plus2",
        "date": "2024-07-28",
        "src_doc": "ja_doc",
        "tgt_doc": "en_doc",
        "src_lang": "ja",
        "tgt_lang": "en",
        "tgt_kind": "interpretation",
        "original_lang": "ja",
        "pair_index": 0,
        "src_turn": 1,
        "tgt_turn": 1,
        "src_speaker": "Kamikawa",
        "tgt_speaker": "Kamikawa",
        "via_interpreter": True,
        "bead_index": index,
        "bead": "1-1",
        "src_idx": [index],
        "tgt_idx": [index],
        "src_ids": [f"t1s{index}"],
        "tgt_ids": [f"t1s{index}"],
        "src_text": src_text,
        "tgt_text": tgt_text,
        "confidence": 0.9,
        "signature": SIG_A,
    }
    record.update(extra)
    return record


RECORDS = [
    bead(
        0,
        "日米同盟を強化します。",
        'We will strengthen the alliance & <deterrence> "now" 🙂',
        divergence=0.12,
        review_status="final",
        confidence=0.91,
        labels=["omission", "number"],
        reasons=['JA clause 「日米同盟を」 has no counterpart, "quoted"; a, b', "43兆円 ≠ 43"],
        term_flags=[FLAG],
        note="checked & <fine>, see\nthe second line",
    ),
    bead(
        1,
        "抑止力\u0000を高める",
        "Line one\nline two\tend\x01\x0b",
        bead="1-2",
        tgt_ids=["t1s1", "t1s2"],
        confidence=0.5,
        divergence=0.8,
        review_status="rejected",
    ),
    bead(
        2,
        "「スタンド・オフ防衛能力」、そして。",
        'Commas, "quotes", and ; semicolons',
        bead="2-1",
        src_ids=["t1s2", "t1s3"],
        src_speaker=None,
        tgt_speaker="Austin",
        via_interpreter=False,
        reviewed=True,
        confidence=0.75,
    ),
    bead(3, "", "Thank you.", bead="0-1", src_ids=[], confidence=0.4),
    bead(
        4,
        "日米同盟を強化します。",
        'We will strengthen the alliance & <deterrence> "now" 🙂',
        event="2024-07-29-press",
        date="2024-07-29",
        confidence=0.95,
        review_status="initial",
        signature=SIG_B,
    ),
    bead(5, "絵文字🎌テスト\ud800", "Emoji 🎌 test", divergence=0.3),
]
# What each kept record must read back as (en, ja), cleaned by hand: C0 controls other than
# tab/newline and the lone surrogate removed. Record 3 is a gap (0-1) and is skipped.
TEXTS = {
    0: ('We will strengthen the alliance & <deterrence> "now" 🙂', "日米同盟を強化します。"),
    1: ("Line one\nline two\tend", "抑止力を高める"),
    2: ('Commas, "quotes", and ; semicolons', "「スタンド・オフ防衛能力」、そして。"),
    4: ('We will strengthen the alliance & <deterrence> "now" 🙂', "日米同盟を強化します。"),
    5: ("Emoji 🎌 test", "絵文字🎌テスト"),
}
STATUS = {0: "final", 1: "rejected", 2: "reviewed", 4: "initial", 5: "initial"}


def expected_rows(one_line: bool = False) -> list[dict[str, Any]]:
    """The rows every format must give back, built from RECORDS and the hand-cleaned texts."""
    rows = []
    for index, (en, ja) in TEXTS.items():
        record = RECORDS[index]
        row = {"en": " ".join(en.splitlines()) if one_line else en, "ja": ja}
        row.update({name: record.get(name) for name in META})
        row.update(labels=record.get("labels", []), reasons=record.get("reasons", []))
        row["term_flags"] = [flag["reason"] for flag in record.get("term_flags", [])]
        row["review_status"] = STATUS[index]
        rows.append(row)
    return rows


def write_run(folder: Path, records: list[dict[str, Any]]) -> Path:
    """A run directory without run.json (the exporter must cope)."""
    return write_alignment(folder, records, ascii_only=True)  # ASCII keeps a lone surrogate


@pytest.fixture
def run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run", RECORDS)


def export(run: Path, fmt: str, tmp_path: Path, **options: Any) -> Path:
    """Export the run and return the --out path."""
    out = tmp_path / "out" / f"corpus.{fmt}"
    result = export_runs([run], fmt, out, **options)
    assert result.log.written == len(TEXTS)
    assert result.log.cleaned == 2
    return out


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_own_reader_gives_back_every_pair_and_field(run: Path, tmp_path: Path, fmt: str) -> None:
    out = export(run, fmt, tmp_path)
    rows = list(get_format(fmt).read(out))
    assert rows == expected_rows(one_line=fmt == "moses")


# --- TMX: the DTD and translate-toolkit -------------------------------------------------


def test_tmx_is_valid_against_the_tmx14_dtd(run: Path, tmp_path: Path) -> None:
    from lxml import etree

    out = export(run, "tmx", tmp_path)
    dtd = etree.DTD(str(DTD))
    document = etree.parse(str(out))
    assert dtd.validate(document), dtd.error_log.filter_from_errors()
    header = document.find("header")
    required = ["creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang"]
    assert all(header.get(name) for name in [*required, "srclang", "datatype"])
    assert (header.get("creationtool"), header.get("segtype")) == ("interp-align", "sentence")
    assert (header.get("srclang"), header.get("datatype")) == ("ja", "plaintext")  # original
    assert [p.text for p in header.findall("prop[@type='x-signature']")] == [SIG_A]


def test_tmx_reads_back_in_translate_toolkit(run: Path, tmp_path: Path) -> None:
    from translate.storage import tmx

    out = export(run, "tmx", tmp_path)
    store = tmx.tmxfile.parsefile(str(out))
    assert store.getsourcelanguage() == "ja"  # the Japanese original is the source, by default
    assert [(u.source, u.target) for u in store.units] == [(ja, en) for en, ja in TEXTS.values()]
    for unit, row in zip(store.units, expected_rows(), strict=True):
        props = {p.get("type"): p.text for p in unit.xmlelement.findall("prop")}
        assert props["x-event"] == row["event"]
        assert props["x-date"] == row["date"]
        assert props["x-bead"] == row["bead"]
        assert float(props["x-confidence"]) == row["confidence"]
        divergence = props.get("x-divergence")
        assert (float(divergence) if divergence else None) == row["divergence"]
        assert props.get("x-review-status") == row["review_status"]  # 'initial', never absent
        assert json.loads(props["x-labels"]) == row["labels"]
        assert json.loads(props["x-reasons"]) == row["reasons"]
        assert json.loads(props["x-term-flags"]) == row["term_flags"]
        assert props.get("x-note") == row["note"]
        assert props.get("x-signature", SIG_A) == row["signature"]
        speakers = {
            tuv.get("{http://www.w3.org/XML/1998/namespace}lang"): tuv.findtext("prop")
            for tuv in unit.xmlelement.findall("tuv")
        }
        assert speakers == {"ja": row["src_speaker"], "en": row["tgt_speaker"]}


# --- XLIFF 2.0: translate-toolkit's xliff2 reader -----------------------------------------


def test_xliff2_reads_back_in_translate_toolkit(run: Path, tmp_path: Path) -> None:
    from translate.storage import xliff2

    out = export(run, "xliff", tmp_path)
    store = xliff2.Xliff2File.parsefile(str(out))
    assert (store.sourcelanguage, store.gettargetlanguage()) == ("ja", "en")  # the original
    assert store.document.getroot().get("version") == "2.0"
    assert [(u.source, u.target) for u in store.units] == [(ja, en) for en, ja in TEXTS.values()]
    states = [(u.xmlelement.get("state"), u.xmlelement.get("subState")) for u in store.units]
    assert states == [
        ("final", None),
        ("initial", "interp-align:rejected"),
        ("reviewed", None),
        ("initial", None),
        ("initial", None),
    ]
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    for unit, row in zip(store.units, expected_rows(), strict=True):
        element = unit.getunitelement()
        notes = {n.get("category"): n.text for n in element.findall("x:notes/x:note", ns)}
        assert notes["event"] == row["event"]
        assert float(notes["confidence"]) == row["confidence"]
        assert notes.get("tgt_speaker") == row["tgt_speaker"]
        assert notes.get("review_status") == row["review_status"]
        assert json.loads(notes["src_ids"]) == row["src_ids"]
        assert json.loads(notes["reasons"]) == row["reasons"]  # every format: the same fields
        assert json.loads(notes["term_flags"]) == row["term_flags"]
        assert notes.get("note") == row["note"] and notes["review_status"] == row["review_status"]
    assert [u.isapproved() for u in store.units] == [True, False, True, False, False]


def test_xliff2_structure_follows_the_core_schema(run: Path, tmp_path: Path) -> None:
    from lxml import etree

    out = export(run, "xliff", tmp_path)
    ns = "{urn:oasis:names:tc:xliff:document:2.0}"
    root = etree.parse(str(out)).getroot()
    assert root.tag == f"{ns}xliff" and root.nsmap == {None: ns[1:-1]}
    assert (root.get("srcLang"), root.get("trgLang")) == ("ja", "en")
    units = root.findall(f"{ns}file/{ns}unit")
    assert len({u.get("id") for u in units}) == len(units) == len(TEXTS)
    for unit in units:  # unit: notes?, segment+; segment: source, target?
        assert [child.tag for child in unit] == [f"{ns}notes", f"{ns}segment"]
        segment = unit.find(f"{ns}segment")
        assert [child.tag for child in segment] == [f"{ns}source", f"{ns}target"]
        assert segment.get("state") in {"initial", "translated", "reviewed", "final"}


# --- tables: pandas and pyarrow --------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "sep"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_read_back_in_pandas(run: Path, tmp_path: Path, fmt: str, sep: str) -> None:
    import pandas as pd

    out = export(run, fmt, tmp_path)
    frame = pd.read_csv(out, sep=sep, dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["en", "ja", *META]
    assert list(zip(frame["en"], frame["ja"], strict=True)) == list(TEXTS.values())
    for cells, row in zip(frame.to_dict("records"), expected_rows(), strict=True):
        assert cells["event"] == row["event"]
        assert float(cells["confidence"]) == row["confidence"]
        assert (float(cells["divergence"]) if cells["divergence"] else None) == row["divergence"]
        assert json.loads(cells["src_ids"]) == row["src_ids"]
        assert json.loads(cells["reasons"]) == row["reasons"]
        assert cells["via_interpreter"] == str(row["via_interpreter"]).lower()
        assert (cells["review_status"] or None) == row["review_status"]
        assert (cells["src_speaker"] or None) == row["src_speaker"]
        assert cells["signature"] == row["signature"]


def test_parquet_reads_back_in_pyarrow_with_signatures(run: Path, tmp_path: Path) -> None:
    from pyarrow import parquet as pq

    out = export(run, "parquet", tmp_path)
    table = pq.read_table(out)
    assert table.to_pylist() == expected_rows()
    import pyarrow as pa

    assert table.schema.field("confidence").type == pa.float64()
    assert table.schema.field("src_ids").type.value_type == pa.string()
    assert table.schema.field("via_interpreter").type == pa.bool_()
    assert table.schema.field("pair_index").type == pa.int64()
    metadata = table.schema.metadata
    assert json.loads(metadata[b"interp_align.signatures"]) == [SIG_A]
    assert metadata[b"interp_align.languages"] == b"en-ja"


# --- JSONL (json module) and Moses (plain files) ---------------------------------------------


def test_jsonl_is_hugging_face_translation_layout(run: Path, tmp_path: Path) -> None:
    out = export(run, "jsonl", tmp_path)
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines.pop() == ""
    records = [json.loads(line) for line in lines]
    assert [r["translation"] for r in records] == [dict(en=en, ja=ja) for en, ja in TEXTS.values()]
    assert [list(r["translation"]) for r in records] == [["en", "ja"]] * len(TEXTS)
    for record, row in zip(records, expected_rows(), strict=True):
        assert {name: record[name] for name in META} == {name: row[name] for name in META}
    assert "🙂" in lines[0]  # UTF-8 kept readable, not \u-escaped


def test_moses_files_are_line_aligned_with_metadata(run: Path, tmp_path: Path) -> None:
    out = export(run, "moses", tmp_path)
    en = (out.parent / f"{out.name}.en").read_text(encoding="utf-8").split("\n")
    ja = (out.parent / f"{out.name}.ja").read_text(encoding="utf-8").split("\n")
    assert en[-1] == ja[-1] == ""  # every line ends with a newline, nothing more
    assert list(zip(en[:-1], ja[:-1], strict=True)) == [
        (" ".join(e.splitlines()), j) for e, j in TEXTS.values()
    ]
    assert en[1] == "Line one line two\tend"
    with open(out.parent / f"{out.name}.meta.tsv", encoding="utf-8", newline="") as handle:
        meta = list(csv.DictReader(handle, delimiter="\t"))
    assert [m["event"] for m in meta] == [r["event"] for r in expected_rows()]
    assert [float(m["confidence"]) for m in meta] == [r["confidence"] for r in expected_rows()]


def test_moses_without_metadata_writes_two_files(run: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    result = export_runs([run], "moses", out, moses_meta=False)
    assert sorted(p.name for p in result.paths) == ["corpus.en", "corpus.ja"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["corpus.en", "corpus.ja"]


# --- direction, signatures from run.json, several runs ---------------------------------------


def test_direction_ja_en_puts_japanese_first(run: Path, tmp_path: Path) -> None:
    from lxml import etree

    out = tmp_path / "c.tmx"
    export_runs([run], "tmx", out, direction="ja-en")
    document = etree.parse(str(out))
    assert document.find("header").get("srclang") == "ja"
    first = document.find("body/tu")
    langs = [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in first.findall("tuv")]
    assert langs == ["ja", "en"]
    table = tmp_path / "c.csv"
    export_runs([run], "csv", table, direction="ja-en")
    assert table.read_text(encoding="utf-8").split(",", 2)[:2] == ["ja", "en"]


def test_signatures_come_from_run_json_of_every_run(tmp_path: Path) -> None:
    from pyarrow import parquet as pq

    first = write_run(tmp_path / "a", RECORDS[:1])
    (first / "run.json").write_text(json.dumps({"pairs": [{"signature": "sig-from-run-json"}]}))
    second = write_run(tmp_path / "b", [bead(0, "二つ目", "Second", signature=SIG_B)])
    out = tmp_path / "two.parquet"
    result = export_runs([first, second], "parquet", out)
    assert result.log.written == 2
    metadata = pq.read_schema(out).metadata
    assert json.loads(metadata[b"interp_align.signatures"]) == ["sig-from-run-json", SIG_B]
    assert pq.read_table(out).column("en").to_pylist() == [TEXTS[0][0], "Second"]


def test_one_schema_whether_or_not_a_run_was_reviewed(tmp_path: Path) -> None:
    from pyarrow import parquet as pq

    plain = write_run(tmp_path / "plain", [bead(0, "一つ", "One")])
    reviewed = write_run(tmp_path / "rev", [bead(0, "一つ", "One", review_status="final",
                                                 note="ok", labels=["number"])])  # fmt: skip
    schemas, headers = [], []
    for run in (plain, reviewed):
        export_runs([run], "parquet", tmp_path / f"{run.name}.parquet")
        schemas.append(pq.read_schema(tmp_path / f"{run.name}.parquet").remove_metadata())
        export_runs([run], "csv", tmp_path / f"{run.name}.csv")
        headers.append((tmp_path / f"{run.name}.csv").read_text("utf-8").splitlines()[0])
    assert schemas[0] == schemas[1] and headers[0] == headers[1]
    labels = schemas[0].field("labels").type
    assert labels.num_fields == 1 and str(labels.value_type) == "string"  # a list column
    rows = pq.read_table(tmp_path / "plain.parquet").to_pylist()
    assert (rows[0]["review_status"], rows[0]["labels"]) == ("initial", [])
