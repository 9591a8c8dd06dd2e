"""The README's Python walk-through, run block by block: each prints what the README shows."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

BLOCK = re.compile(r"```python\n(.*?)```\n\n```text\n(.*?)```", re.S)


def walkthrough() -> list[tuple[str, str]]:
    """(code, printed output) pairs of the README's 'Python API' section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return BLOCK.findall(section)


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").splitlines()]


def test_readme_walkthrough_prints_what_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = walkthrough()
    assert len(blocks) >= 6, "the walk-through lost its code blocks"
    (tmp_path / "corpora").symlink_to(ROOT / "corpora")  # the project folder, outputs in tmp
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for number, (code, shown) in enumerate(blocks, 1):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, f"README block {number}", "exec"), namespace)
        assert _lines(printed.getvalue()) == _lines(shown), f"README block {number}"
    assert (tmp_path / "runs" / "notebook" / "results.duckdb").is_file()
