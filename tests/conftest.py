"""Shared fixtures: where ../shared lives, and running the CLI as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def _private_embedding_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the suite's embedding cache out of the user's home (shared by the whole session)."""
    os.environ["INTERP_ALIGN_CACHE"] = str(tmp_path_factory.mktemp("embedding-cache"))


@pytest.fixture
def shared() -> Path:
    """The read-only reference data; tests that need it skip cleanly when it is absent."""
    if not (SHARED / "sources").is_dir():
        pytest.skip("../shared is not present")
    return SHARED


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m align ARGS` in a subprocess and capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "align", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=600,
    )
