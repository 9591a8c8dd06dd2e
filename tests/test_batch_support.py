"""Helpers for the batch tests: tiny real events, configs, the CLI in a subprocess."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "corpora" / "events"
NSS = "2022-12-16-nss-statement"
KAIKEN = "2024-07-23-mofa-press-conference"
TANAKA = ROOT.parent / "shared" / "parallel" / "small_parallel_enja"


def copy_event(name: str, folder: Path, new_id: str | None = None) -> Path:
    """A real event of corpora/ copied under `folder` (optionally under another id)."""
    target = folder / (new_id or name)
    shutil.copytree(EVENTS / name, target)
    return target


def broken_event(folder: Path, event_id: str = "broken") -> Path:
    """An event whose Japanese document is a PNG image: unreadable."""
    target = folder / event_id
    target.mkdir(parents=True)
    (target / "ja.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (target / "en.txt").write_text("The statement was adopted today.\n", encoding="utf-8")
    meta = {
        "date": "2023-01-01",
        "title": "broken",
        "documents": [
            {"file": "ja.txt", "language": "ja", "kind": "original"},
            {"file": "en.txt", "language": "en", "kind": "translation"},
        ],
    }
    (target / "event.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    return target


def tanaka_event(folder: Path, event_id: str, pairs: int, start: int = 0) -> Path:
    """An event of `pairs` consecutive real dev sentence pairs (detokenised), JA and EN."""
    en = (TANAKA / "dev.en").read_text(encoding="utf-8").splitlines()[start : start + pairs]
    ja = (TANAKA / "dev.ja").read_text(encoding="utf-8").splitlines()[start : start + pairs]
    target = folder / event_id
    target.mkdir(parents=True)
    (target / "ja.txt").write_text("\n".join(s.replace(" ", "") for s in ja) + "\n", "utf-8")
    english = [s.replace(" .", ".").replace(" ,", ",").replace(" ?", "?") for s in en]
    (target / "en.txt").write_text("\n".join(s.capitalize() for s in english) + "\n", "utf-8")
    meta = {
        "date": "2020-01-01",
        "title": f"Tanaka dev {start}-{start + pairs}",
        "documents": [
            {"file": "ja.txt", "language": "ja", "kind": "original"},
            {"file": "en.txt", "language": "en", "kind": "translation"},
        ],
    }
    (target / "event.yaml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    return target


def write_config(path: Path, data: dict) -> Path:
    """A batch config file."""
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def cli(
    *args: object, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m align ARGS` as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "align", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env=env,
    )


def _same_content(left: Path, right: Path) -> bool:
    """Bytes equal; for a DuckDB file (not byte-stable), every table but meta equal."""
    if left.suffix != ".duckdb":
        return filecmp.cmp(left, right, shallow=False)
    import duckdb

    tables = "SELECT table_name FROM information_schema.tables WHERE table_name <> 'meta'"
    contents = []
    for path in (left, right):
        with duckdb.connect(str(path), read_only=True) as connection:
            names = sorted(name for (name,) in connection.execute(tables).fetchall())
            contents.append(
                {n: connection.execute(f'SELECT * FROM "{n}"').fetchall() for n in names}
            )
    return contents[0] == contents[1]


def different_files(left: Path, right: Path) -> list[str]:
    """Relative paths that differ in content, or exist on one side only."""
    names = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    names |= {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    return sorted(
        str(name)
        for name in names
        if not ((left / name).is_file() and (right / name).is_file())
        or not _same_content(left / name, right / name)
    )
