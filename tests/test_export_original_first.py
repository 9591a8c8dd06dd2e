"""TMX and XLIFF put the original first: a CAT tool shows the Japanese original as the source."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from translate.storage import tmx, xliff2

from align.errors import InputError
from align.export import export_runs, get_format
from tests.conftest import ROOT, run_cli

NSS = ROOT / "corpora" / "events" / "2022-12-16-nss-statement"
JOINT = ROOT / "corpora" / "events" / "2011-06-21-2plus2-joint-statement"  # English original


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs")
    result = run_cli("run", NSS, JOINT, "--out", out, "--no-pictures", "--no-score", "-q")
    assert result.returncode == 0, result.stderr
    return out


def _first(run: Path) -> dict:
    return json.loads((run / "alignment.jsonl").read_text("utf-8").splitlines()[0])


def test_tmx_of_a_japanese_original_opens_with_japanese_as_source(
    runs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "nss.tmx"
    result = run_cli("export", runs / NSS.name, "-f", "tmx", "-o", out, "--include-gaps")
    assert result.returncode == 0, result.stderr
    store = tmx.tmxfile.parsefile(str(out))
    assert store.getsourcelanguage() == "ja"
    records = [
        json.loads(line) for line in (runs / NSS.name / "alignment.jsonl").open(encoding="utf-8")
    ]
    assert [(u.source, u.target) for u in store.units] == [
        (r["src_text"], r["tgt_text"]) for r in records
    ]
    kana_kanji = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")
    assert all(kana_kanji.search(u.source) for u in store.units if u.source)
    assert not any(kana_kanji.search(u.target) for u in store.units if u.target)
    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang")
             for u in store.units for tuv in u.xmlelement.findall("tuv")[:1]}  # fmt: skip
    assert langs == {"ja"}


def test_xliff_source_is_the_original_and_direction_overrides(runs: Path, tmp_path: Path) -> None:
    run = runs / NSS.name
    export_runs([run], "xliff", tmp_path / "a.xliff")
    store = xliff2.Xliff2File.parsefile(str(tmp_path / "a.xliff"))
    assert (store.sourcelanguage, store.gettargetlanguage()) == ("ja", "en")
    lines = (run / "alignment.jsonl").read_text("utf-8").splitlines()
    full = [r for r in map(json.loads, lines) if r["src_text"] and r["tgt_text"]]
    assert [(u.source, u.target) for u in store.units] == [
        (r["src_text"], r["tgt_text"]) for r in full
    ]
    export_runs([run], "tmx", tmp_path / "b.tmx", direction="en-ja")
    assert tmx.tmxfile.parsefile(str(tmp_path / "b.tmx")).getsourcelanguage() == "en"
    export_runs([run], "csv", tmp_path / "c.csv")  # tables keep OPUS's en-ja order
    assert (tmp_path / "c.csv").read_text("utf-8").startswith("en,ja,")


def test_originals_in_two_languages(runs: Path, tmp_path: Path) -> None:
    both = [runs / NSS.name, runs / JOINT.name]
    assert (_first(both[1])["src_lang"], _first(both[1])["tgt_lang"]) == ("en", "ja")
    export_runs(both, "tmx", tmp_path / "both.tmx")
    store = tmx.tmxfile.parsefile(str(tmp_path / "both.tmx"))
    assert store.document.getroot().find("header").get("srclang") == "*all*"
    rows = list(get_format("tmx").read(tmp_path / "both.tmx"))
    for unit, row in zip(store.units, rows, strict=True):  # each unit: its original first
        first = unit.xmlelement.findall("tuv")[0]
        lang = first.get("{http://www.w3.org/XML/1998/namespace}lang")
        assert unit.xmlelement.get("srclang") == lang == row["src_lang"]
    assert {r["src_lang"] for r in rows} == {"ja", "en"}
    with pytest.raises(InputError, match="xliff holds one source language.*--direction"):
        export_runs(both, "xliff", tmp_path / "both.xliff")
    export_runs(both, "xliff", tmp_path / "both.xliff", direction="ja-en")
    assert xliff2.Xliff2File.parsefile(str(tmp_path / "both.xliff")).sourcelanguage == "ja"
