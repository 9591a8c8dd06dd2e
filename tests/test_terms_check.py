"""Term checks per bead and per document, with the shipped security termbase."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from align.terms import load_termbase
from align.terms.check import check_beads, check_pair
from align.terms.matcher import Matcher
from tests.beads import record, typed
from tests.conftest import ROOT, run_cli

SEED = "seed/2plus2-2024-07-28-opening.en.txt"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_termbase())


def kinds(flags) -> list[tuple[str, str, str | None]]:
    return [(f.kind, f.concept_id, f.found) for f in flags]


def test_official_renderings_raise_no_flag(matcher: Matcher) -> None:
    ja = "日本は、反撃能力を含む防衛力を抜本的に強化し、日米同盟の抑止力・対処力を高める。"
    en = ("Japan will fundamentally reinforce its defense capabilities, including counterstrike "
          "capabilities, and strengthen the deterrence and response capabilities of the "
          "Japan-U.S. Alliance.")  # fmt: skip
    assert check_pair(matcher, ja, en) == []


def test_wrong_rendering_is_reported_with_what_was_used(matcher: Matcher) -> None:
    ja = "日本は反撃能力を保有する。"
    en = "Japan will possess a preemptive strike capability."
    (flag,) = check_pair(matcher, ja, en)
    assert (flag.kind, flag.concept_id, flag.severity) == (
        "wrong_rendering", "counterstrike-capabilities", "high",
    )  # fmt: skip
    assert flag.found == "preemptive strike capability"
    assert flag.expected == "counterstrike capabilities"
    assert en[slice(*flag.en_span)] == flag.found and ja[slice(*flag.ja_span)] == "反撃能力"
    assert "deprecated" in flag.reason and "\n" not in flag.reason


def test_a_different_concept_standing_in_is_reported_as_found(matcher: Matcher) -> None:
    ja = "法の支配に基づく国際秩序を守る。"
    en = "We uphold the rules-based order."
    assert kinds(check_pair(matcher, ja, en)) == [("missing", "rule-of-law", "rules-based order")]


def test_missing_rendering_with_nothing_found(matcher: Matcher) -> None:
    ja = "拡大抑止の信頼性を確認した。"
    en = "They confirmed the credibility of the U.S. commitment."
    ((kind, concept_id, found),) = kinds(check_pair(matcher, ja, en))
    assert (kind, concept_id, found) == ("missing", "extended-deterrence", None)


def test_nuclear_umbrella_for_extended_deterrence_is_one_flag(matcher: Matcher) -> None:
    flags = check_pair(matcher, "拡大抑止を強化する。", "We strengthen the nuclear umbrella.")
    assert kinds(flags) == [("wrong_rendering", "extended-deterrence", "nuclear umbrella")]


def test_addition_is_flagged_one_level_below_criticality(matcher: Matcher) -> None:
    flags = check_pair(
        matcher, "同盟を強化する。", "We strengthen the alliance and extended deterrence."
    )
    (flag,) = flags
    assert (flag.kind, flag.concept_id, flag.severity) == (
        "addition",
        "extended-deterrence",
        "medium",
    )


def test_faithful_rendering_of_a_superseded_source_term_is_accepted(matcher: Matcher) -> None:
    flags = check_pair(
        matcher, "敵基地攻撃能力の議論", "the debate on enemy base strike capability"
    )
    assert flags == []


def test_beads_with_an_empty_side_only_report_wrong_terms(matcher: Matcher) -> None:
    assert check_pair(matcher, "", "We support extended deterrence.") == []  # 0-1: aligner's job
    assert check_pair(matcher, "拡大抑止を強化する。", "") == []  # 1-0: aligner's job
    assert kinds(check_pair(matcher, "", "the nuclear umbrella")) == [
        ("wrong_rendering", "extended-deterrence", "nuclear umbrella")
    ]


def test_check_beads_keeps_the_bead_context(matcher: Matcher) -> None:
    bead = {"event": "e", "date": "2024-01-12", "bead_index": 3, "src_ids": ["t1s0"],
            "tgt_ids": ["t1s0"], "src_text": "反撃能力",
            "tgt_text": "counterattack capability"}  # fmt: skip
    (flag,) = check_beads(matcher, [typed(bead)])
    assert flag.context["event"] == "e" and flag.context["bead_index"] == 3
    assert flag.to_dict()["en_span"] == [0, len("counterattack capability")]


def test_reference_transcript_known_slips_are_flagged(shared: Path) -> None:
    result = run_cli("terms", "check", shared / SEED, "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    found = {(f["concept_id"], f["found"]) for f in payload["flags"]}
    # shared/README.md names these two slips; English speakers' own words are not checked
    assert found == {
        ("stand-off-defense-capabilities", "standard defense capability"),
        ("deterrence", "deterrence - the power"),
    }
    text = (shared / SEED).read_text(encoding="utf-8")
    for flag in payload["flags"]:
        start, end = flag["en_span"]
        assert flag["found"] in text and text.count(flag["found"]) == 1
        assert end - start == len(flag["found"])


def test_check_run_directory_through_cli() -> None:
    run = ROOT / "corpora" / "drift" / "2024-01-12-fm-meeting"
    result = run_cli("terms", "check", run)
    assert result.returncode == 0, result.stderr
    assert "counterattack capability" in result.stdout and "rules-based order" in result.stdout
    assert "flag(s) in 7 beads" in result.stderr


def test_bad_run_input_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "alignment.jsonl"
    bad.write_text(json.dumps(record({"src_text": "a"})) + "\nnot json\n", encoding="utf-8")
    result = run_cli("terms", "check", tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"interp-align: error: {bad}: line 2: not valid JSON (Expecting value)"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("terms", "check", empty).returncode == 2


def test_official_translations_raise_few_false_flags(shared: Path) -> None:
    spec = importlib.util.spec_from_file_location("eval_terms", ROOT / "scripts" / "eval_terms.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    occurrences, flags = module.eval_pairs(Matcher(load_termbase()), verbose=False)
    assert occurrences >= 100  # the termbase finds the pairs' terms at all
    assert flags / occurrences <= 0.02


def test_bead_term_flags_keep_their_spans_in_both_texts(matcher: Matcher) -> None:
    from align.terms.annotate import term_flags
    from tests.beads import typed

    ja = "日米同盟の抑止力を強化する。"
    en = "We enhance the deterrence - the power of the alliance."
    bead = typed({"src_text": ja, "tgt_text": en})
    (flag,) = [f for f in term_flags(bead, matcher) if f.concept_id == "deterrence"]
    assert ja[slice(*flag.ja_span)] == "抑止力"
    assert en[slice(*flag.en_span)] == flag.found == "deterrence - the power"
    again = type(bead).from_dict(bead.to_dict() | {"term_flags": [flag.to_dict()]})
    assert again.term_flags[0].en_span == flag.en_span
