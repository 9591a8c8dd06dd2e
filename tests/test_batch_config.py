"""Batch config errors are found before any work, in one line naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.batch import build_plan
from align.batch import plan as plan_module
from align.errors import InputError
from tests.test_batch_support import NSS, ROOT, cli, copy_event, write_config


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with one real event."""
    copy_event(NSS, tmp_path / "events")
    return tmp_path


def _error(config: Path) -> str:
    with pytest.raises(InputError) as caught:
        build_plan(config)
    return str(caught.value)


def test_unknown_top_level_key_through_the_cli(corpus: Path) -> None:
    config = write_config(
        corpus / "batch.yaml", {"out": "out", "events": {"glob": "events/*"}, "wokers": 2}
    )
    result = cli("batch", config)
    assert result.returncode == 2
    assert f"{config}: unknown key 'wokers'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (corpus / "out").exists(), "nothing may be written for a bad config"


def test_unknown_nested_key_and_unknown_step(corpus: Path) -> None:
    base = {"out": "out", "events": {"glob": "events/*"}}
    nested = write_config(corpus / "a.yaml", {**base, "steps": {"align": {"max_beads": 2}}})
    assert "unknown key 'max_beads' in steps.align" in _error(nested)
    step = write_config(corpus / "b.yaml", {**base, "steps": {"align": {}, "scroe": {}}})
    message = _error(step)
    assert "unknown step 'scroe'" in message and "align, score, terms" in message
    source = write_config(corpus / "c.yaml", {"out": "out", "events": {"globs": "events/*"}})
    assert "unknown key 'globs' in events" in _error(source)
    score = write_config(corpus / "d.yaml", {**base, "steps": {"score": {"mt": "hf:/x"}}})
    assert "unknown key 'mt' in steps.score" in _error(score)


def test_missing_files_are_named(corpus: Path) -> None:
    base = {"out": "out"}
    manifest = write_config(corpus / "a.yaml", {**base, "events": {"manifest": "pairs.csv"}})
    assert "manifest file not found" in _error(manifest)
    assert "pairs.csv" in _error(manifest)
    glob = write_config(corpus / "b.yaml", {**base, "events": {"glob": "nowhere/*"}})
    assert "'nowhere/*' matches no folder" in _error(glob)
    inline = {"id": "x", "documents": [{"file": "missing-ja.txt"}, {"file": "missing-en.txt"}]}
    config = write_config(corpus / "c.yaml", {**base, "events": {"inline": [inline]}})
    assert "document file not found" in _error(config)
    assert "missing-ja.txt" in _error(config)
    terms = write_config(
        corpus / "d.yaml",
        {**base, "events": {"glob": "events/*"}, "steps": {"terms": {"termbase": "no.tbx"}}},
    )
    assert "no.tbx" in _error(terms)


def test_manifest_errors_name_column_and_line(corpus: Path) -> None:
    (corpus / "bad-column.csv").write_text("event,src,tgt,speaker\nx,a.txt,b.txt,y\n", "utf-8")
    config = write_config(corpus / "a.yaml", {"out": "o", "events": {"manifest": "bad-column.csv"}})
    assert "unknown column 'speaker'" in _error(config)
    ja = f"events/{NSS}/ja_mofa_nss_statement_20221216.txt"
    (corpus / "bad-file.csv").write_text(f"event,src,tgt\nx,{ja},nope.txt\n", "utf-8")
    config = write_config(corpus / "b.yaml", {"out": "o", "events": {"manifest": "bad-file.csv"}})
    message = _error(config)
    assert "bad-file.csv" in message and "line 2" in message and "nope.txt" in message


def test_duplicate_event_ids(corpus: Path) -> None:
    ja = f"events/{NSS}/ja_mofa_nss_statement_20221216.txt"
    inline = {"id": NSS, "documents": [{"file": ja}]}
    config = write_config(
        corpus / "a.yaml", {"out": "o", "events": {"glob": "events/*", "inline": [inline]}}
    )
    assert f"event id '{NSS}' given twice" in _error(config)


def test_step_whose_module_is_missing(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(plan_module.STEP_MODULES, "export", "align.no_such_module")
    config = write_config(
        corpus / "a.yaml", {"out": "o", "events": {"glob": "events/*"}, "steps": {"export": {}}}
    )
    assert "step 'export' needs align.no_such_module" in _error(config)


def test_bad_values(corpus: Path) -> None:
    base = {"out": "o", "events": {"glob": "events/*"}}
    fmt = write_config(corpus / "a.yaml", {**base, "steps": {"export": {"formats": ["docx"]}}})
    assert "unknown export format 'docx'" in _error(fmt)
    workers = write_config(corpus / "b.yaml", {**base, "workers": 0})
    assert "workers" in _error(workers)
    embedder = write_config(corpus / "c.yaml", {**base, "embedder": "laser"})
    assert "unknown embedder 'laser'" in _error(embedder)
    (corpus / "d.yaml").write_text("out: o\nevents: [unclosed\n", "utf-8")
    assert "malformed YAML at line 3" in _error(corpus / "d.yaml")
    (corpus / "e.yaml").write_text("out: !!python/object/apply:os.getcwd []\n", "utf-8")
    assert "malformed YAML" in _error(corpus / "e.yaml")  # a safe loader: no Python objects
    assert "config file not found" in _error(corpus / "missing.yaml")


def test_valid_config_resolves_every_source(corpus: Path) -> None:
    ja = f"events/{NSS}/ja_mofa_nss_statement_20221216.txt"
    en = f"events/{NSS}/en_mofa_nss_statement_20221216.txt"
    (corpus / "pairs.csv").write_text(
        f"event,date,src,tgt,src_lang,tgt_lang\nfrom-manifest,2022-12-16,{ja},{en},ja,en\n", "utf-8"
    )
    inline = {"id": "from-inline", "date": "2022-12-16", "documents": [{"file": ja}, {"file": en}]}
    config = write_config(
        corpus / "batch.yaml",
        {
            "out": "out",
            "events": {"glob": "events/*", "manifest": "pairs.csv", "inline": [inline]},
            "steps": ["align", "report"],
        },
    )
    plan = build_plan(config, workers=2)
    assert [e.id for e in plan.events] == [NSS, "from-manifest", "from-inline"]
    assert plan.out == (corpus / "out").resolve()
    assert plan.workers == 2 and list(plan.steps) == ["align", "report"]
    manifest_event = plan.events[1]
    assert [d.kind for d in manifest_event.documents] == ["original", "translation"]
    assert manifest_event.date == "2022-12-16"


@pytest.mark.parametrize("name", ["corpora.yaml", "manifest.yaml", "inline.yaml"])
def test_example_configs_are_valid(name: str) -> None:
    plan = build_plan(ROOT / "scripts" / "batch" / name)
    assert plan.events and "align" in plan.steps
