"""Termbase: TBX-Basic and CSV read/write, validation, and the shipped security termbase."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.errors import InputError
from align.terms import DEFAULT_TERMBASE, load_termbase
from align.terms.csvio import csv_text, read_csv
from align.terms.tbx import read_tbx, tbx_bytes
from tests.conftest import run_cli

SHIPPED_CSV = DEFAULT_TERMBASE.with_suffix(".csv")

TBX_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
<tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
<text><body>
"""
TBX_TAIL = "</body></text></tbx>\n"


def term(text: str, status: str = "preferred") -> str:
    return (
        f'<termSec><term>{text}</term><termNote type="administrativeStatus">'
        f"{status}Term-admn-sts</termNote></termSec>"
    )


def concept(cid: str, ja: list[str], en: list[str], extra: str = "") -> str:
    return (
        f'<conceptEntry id="{cid}">{extra}<langSec xml:lang="ja">{"".join(ja)}</langSec>'
        f'<langSec xml:lang="en">{"".join(en)}</langSec></conceptEntry>\n'
    )


def write(tmp_path: Path, body: str, name: str = "t.tbx") -> Path:
    path = tmp_path / name
    path.write_text(TBX_HEAD + body + TBX_TAIL, encoding="utf-8")
    return path


def test_every_term_of_a_language_is_kept_with_its_status(tmp_path: Path) -> None:
    body = concept(
        "cs",
        [term("反撃能力"), term("敵基地攻撃能力", "superseded")],
        [term("counterstrike capabilities"), term("counterstrike", "admitted"),
         term("counterattack capability", "deprecated"),
         term("enemy base strike capability", "superseded")],
        extra="<note>criticality: high</note><note>renamed in 2022</note>",
    )  # fmt: skip
    termbase = read_tbx(write(tmp_path, body))
    (entry,) = termbase.concepts
    assert [(t.text, t.status) for t in entry.terms_in("en")] == [
        ("counterstrike capabilities", "preferred"),
        ("counterstrike", "admitted"),
        ("counterattack capability", "deprecated"),
        ("enemy base strike capability", "superseded"),
    ]
    assert [t.text for t in entry.terms_in("ja")] == ["反撃能力", "敵基地攻撃能力"]
    assert entry.criticality == "high" and entry.note == "renamed in 2022"


def test_tbx_2008_martif_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "old.tbx"
    path.write_text(
        '<?xml version="1.0"?><martif type="TBX-Basic" xml:lang="en"><text><body>'
        '<termEntry id="d"><langSet xml:lang="ja-JP"><tig><term>抑止力</term></tig></langSet>'
        '<langSet xml:lang="en-US"><tig><term>deterrence</term><termNote type="administrative'
        'Status">preferredTerm-admn-sts</termNote></tig><tig><term>deterrent</term><termNote '
        'type="administrativeStatus">admittedTerm-admn-sts</termNote></tig></langSet>'
        "</termEntry></body></text></martif>",
        encoding="utf-8",
    )
    (entry,) = read_tbx(path).concepts
    assert [(t.lang, t.text, t.status) for t in entry.terms] == [
        ("ja", "抑止力", "admitted"),  # no status given: admitted
        ("en", "deterrence", "preferred"),
        ("en", "deterrent", "admitted"),
    ]


def test_shipped_termbase_covers_the_issue() -> None:
    termbase = load_termbase()
    assert len(termbase.concepts) >= 80
    assert termbase.warnings == []
    for entry in termbase.concepts:
        preferred = entry.preferred("en")
        assert entry.terms_in("ja"), entry.id
        assert preferred is not None and preferred.status == "preferred", entry.id
        assert preferred.source, f"{entry.id}: the official rendering needs a source"
    statuses = {(c.id, t.text): t.status for c in termbase.concepts for t in c.terms}
    assert statuses[("counterstrike-capabilities", "counterstrike capabilities")] == "preferred"
    assert statuses[("counterstrike-capabilities", "counterattack capability")] == "deprecated"
    assert statuses[("counterstrike-capabilities", "preemptive strike capability")] == "deprecated"
    assert statuses[("counterstrike-capabilities", "enemy base strike capability")] == "superseded"
    assert (
        statuses[("stand-off-defense-capabilities", "standard defense capability")] == "deprecated"
    )
    assert statuses[("extended-deterrence", "nuclear umbrella")] == "deprecated"
    assert statuses[("free-and-open-indo-pacific", "FOIP strategy")] == "superseded"
    assert (
        statuses[("deterrence-and-response", "deterrence and response capabilities")] == "preferred"
    )


def test_shipped_tbx_and_csv_hold_the_same_concepts() -> None:
    assert read_csv(SHIPPED_CSV).concepts == read_tbx(DEFAULT_TERMBASE).concepts


def test_round_trip_tbx_csv_tbx_is_byte_identical(tmp_path: Path) -> None:
    original = read_tbx(DEFAULT_TERMBASE)
    csv_path = tmp_path / "tb.csv"
    csv_path.write_text(csv_text(original), encoding="utf-8")
    again = read_csv(csv_path)
    again.title, again.description = original.title, original.description  # header: not in CSV
    assert again.concepts == original.concepts
    assert tbx_bytes(again) == DEFAULT_TERMBASE.read_bytes()


def test_cli_import_and_export_round_trip(tmp_path: Path) -> None:
    exported = run_cli("terms", "export", "--format", "csv", "--out", tmp_path / "tb.csv")
    assert exported.returncode == 0, exported.stderr
    imported = run_cli("terms", "import", tmp_path / "tb.csv", "--out", tmp_path / "tb.tbx")
    assert imported.returncode == 0, imported.stderr
    assert read_tbx(tmp_path / "tb.tbx").concepts == read_tbx(DEFAULT_TERMBASE).concepts
    stdout = run_cli("terms", "export", "--format", "tbx", "--termbase", tmp_path / "tb.tbx")
    assert stdout.stdout.startswith("<?xml") and "conceptEntry" in stdout.stdout


# --- bad input -------------------------------------------------------------------------------


def assert_cli_error(result, path: Path, *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"interp-align: error: {path}: ")
    for needle in needles:
        assert needle in lines[0]


def test_malformed_tbx_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tbx"
    good = concept("d", [term("抑止力")], [term("deterrence")])
    # line 6 opens <langSec> and never closes it; the parser notices at </body> on line 7
    path.write_text(TBX_HEAD + good + '<conceptEntry id="x"><langSec>\n' + TBX_TAIL)
    with pytest.raises(InputError, match=r"malformed TBX at line 7: .*langSec line 6"):
        read_tbx(path)
    result = run_cli("terms", "export", "--format", "csv", "--termbase", path)
    assert_cli_error(result, path, "malformed TBX at line 7")


def test_unknown_status_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, concept("d", [term("抑止力")], [term("deterrence", "forbidden")]))
    with pytest.raises(InputError, match=r"line 5: unknown administrative status 'forbidden"):
        read_tbx(path)


def test_concept_without_japanese_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, '<conceptEntry id="x"><langSec xml:lang="en">'
                 f"{term('deterrence')}</langSec></conceptEntry>\n")  # fmt: skip
    with pytest.raises(InputError, match="concept 'x' has no Japanese term"):
        read_tbx(path)


def test_duplicate_ids_name_both_lines(tmp_path: Path) -> None:
    body = concept("d", [term("抑止力")], [term("deterrence")]) * 2
    with pytest.raises(InputError, match=r"line 6: duplicate concept id 'd' \(first at line 5\)"):
        read_tbx(write(tmp_path, body))


def test_unknown_criticality_is_an_error(tmp_path: Path) -> None:
    body = concept("d", [term("抑止力")], [term("deterrence")], "<note>criticality: urgent</note>")
    with pytest.raises(InputError, match="unknown criticality"):
        read_tbx(write(tmp_path, body))


def test_csv_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "tb.csv"
    path.write_text("concept_id,lang,term\nd,ja,抑止力\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column.*status"):
        read_csv(path)
    assert_cli_error(run_cli("terms", "import", path, "--out", tmp_path / "o.tbx"), path, "status")
    assert not (tmp_path / "o.tbx").exists()


def test_csv_bad_status_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "tb.csv"
    path.write_text(
        "concept_id,lang,term,status\nd,ja,抑止力,preferred\nd,en,deterrence,best\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="line 3: unknown administrative status 'best'"):
        read_csv(path)


def test_rendering_preferred_for_one_concept_and_deprecated_for_another_warns(
    tmp_path: Path,
) -> None:
    body = concept("a", [term("法の支配")], [term("rule of law"), term("rules-based order",
                   "deprecated")]) + concept("b", [term("ルールに基づく秩序")],
                   [term("rules based orders")])  # fmt: skip
    path = write(tmp_path, body)
    termbase = read_tbx(path)
    (warning,) = termbase.warnings  # hyphen and plural differ: still the same rendering
    assert "'rules-based order' is deprecated for concept 'a'" in warning
    assert "preferred ('rules based orders') for 'b'" in warning
    result = run_cli("terms", "export", "--format", "csv", "--termbase", path)
    assert result.returncode == 0
    assert "interp-align: warning:" in result.stderr and "rules-based order" in result.stderr


@pytest.mark.parametrize("suffix", ["tbx", "csv"])
def test_empty_termbase_is_an_error(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path, "", f"empty.{suffix}")
    if suffix == "csv":
        path.write_text("concept_id,lang,term,status\n", encoding="utf-8")
    with pytest.raises(InputError, match="termbase has no concepts"):
        load_termbase(path)
    result = run_cli("terms", "check", "--termbase", path, SHIPPED_CSV)
    assert_cli_error(result, path, "termbase has no concepts")
