"""Any local transformers encoder (LaBSE, MiniLM...) as an Embedder, never downloading."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from align.embed.base import Embedder
from align.errors import ModelError
from align.text.lang import base_language

POOLINGS = ("mean", "cls", "max")
WEIGHT_FILES = (
    "model.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)
_ST_TRANSFORMER = "sentence_transformers.models.Transformer"
_ST_POOLING = "sentence_transformers.models.Pooling"
_ST_DENSE = "sentence_transformers.models.Dense"


def _read_json(path: Path, model_dir: Path) -> dict[str, Any] | list[Any]:
    """Parse a config file, blaming the model directory in one line when it is broken."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelError(f"unreadable {path.name}: {error}", path=model_dir) from error


def _modules(root: Path) -> list[dict[str, Any]]:
    """The sentence-transformers pipeline (modules.json), or [] for a bare transformers folder."""
    path = root / "modules.json"
    if not path.is_file():
        return []
    modules = _read_json(path, root)
    if not isinstance(modules, list):
        raise ModelError("modules.json is not a list of modules", path=root)
    return modules


def _module_dir(root: Path, modules: list[dict[str, Any]], kind: str) -> Path | None:
    """The folder of the first module of `kind`, if the pipeline has one."""
    for module in modules:
        if module.get("type") == kind:
            return root / module.get("path", "")
    return None


def _pooling_mode(config: dict[str, Any], root: Path) -> str:
    """Map sentence-transformers' pooling flags onto one of POOLINGS."""
    if isinstance(config.get("pooling_mode"), str):
        modes = [config["pooling_mode"]]
    else:
        modes = [
            key[len("pooling_mode_") :]
            for key, on in config.items()
            if key.startswith("pooling_mode_") and on is True
        ]
    modes = [
        {"cls_token": "cls", "mean_tokens": "mean", "max_tokens": "max"}.get(m, m) for m in modes
    ]
    if len(modes) != 1 or modes[0] not in POOLINGS:
        raise ModelError(
            f"unsupported pooling {'+'.join(modes) or 'none'}; supported: {', '.join(POOLINGS)}",
            path=root,
        )
    return modes[0]


def _pooling_dir(root: Path, modules: list[dict[str, Any]]) -> Path | None:
    """Where the pooling config lives: named in modules.json, or the usual 1_Pooling."""
    found = _module_dir(root, modules, _ST_POOLING)
    if found is None and (root / "1_Pooling").is_dir():
        found = root / "1_Pooling"
    return found


def _card_languages(root: Path) -> frozenset[str] | None:
    """Languages listed in the model card's YAML header; None when the card says nothing usable."""
    card = root / "README.md"
    if not card.is_file():
        return None
    import yaml

    text = card.read_text(encoding="utf-8", errors="replace")
    if not text.startswith("---"):
        return None
    try:
        header = yaml.safe_load(text.split("---", 2)[1]) or {}
    except (yaml.YAMLError, IndexError):
        return None
    listed = header.get("language") if isinstance(header, dict) else None
    listed = [listed] if isinstance(listed, str) else listed or []
    codes = {base_language(str(code)) for code in listed}
    codes = {code for code in codes if code.isalpha() and 2 <= len(code) <= 3}
    return frozenset(codes) or None


def fingerprint(root: Path) -> str:
    """A content hash of the model folder, so a changed model never reuses cached vectors."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts):
            continue
        size = path.stat().st_size
        digest.update(f"{relative.as_posix()}\0{size}\0".encode())
        with path.open("rb") as handle:
            # whole files up to 16 MiB; for large weight files, head and tail are enough
            digest.update(handle.read(16 << 20))
            if size > 16 << 20:
                handle.seek(-(1 << 20), 2)
                digest.update(handle.read())
    return digest.hexdigest()[:16]


class HFEmbedder(Embedder):
    """A local transformers encoder with the pooling its sentence-transformers config asks for."""

    sort_by_length = True  # the tokenizer pads each batch to its longest member
    batch_size = 32

    def __init__(self, path: str | Path, pooling: str | None = None) -> None:
        self.root = Path(path).expanduser()
        if not self.root.exists():
            raise ModelError("embedder model directory does not exist", path=self.root)
        if not self.root.is_dir():
            raise ModelError("embedder model path is not a directory", path=self.root)
        modules = _modules(self.root)
        self.model_dir = _module_dir(self.root, modules, _ST_TRANSFORMER) or self.root
        self.config = self._model_config()
        self.pooling = pooling or self._configured_pooling(modules)
        if self.pooling not in POOLINGS:
            raise ModelError(
                f"unknown pooling {self.pooling!r}; choose one of: {', '.join(POOLINGS)}",
                path=self.root,
            )
        self.dense_dir = _module_dir(self.root, modules, _ST_DENSE)
        self.name = f"hf:{self.root.resolve().name}"
        self.version = fingerprint(self.root)
        self.languages = _card_languages(self.root)
        self._loaded: tuple[Any, Any, Any] | None = None

    def _model_config(self) -> dict[str, Any]:
        """Check the folder looks like a transformers model before anything heavy is imported."""
        config_path = self.model_dir / "config.json"
        if not config_path.is_file():
            raise ModelError("not a transformers model directory (no config.json)", path=self.root)
        config = _read_json(config_path, self.root)
        if not isinstance(config, dict) or "model_type" not in config:
            raise ModelError(
                "config.json has no model_type: not a transformers model", path=self.root
            )
        if not any((self.model_dir / name).is_file() for name in WEIGHT_FILES):
            raise ModelError(
                f"no weights found (expected one of: {', '.join(WEIGHT_FILES)})", path=self.root
            )
        return config

    def _configured_pooling(self, modules: list[dict[str, Any]]) -> str:
        """Pooling from 1_Pooling/config.json when present, else mean (the safe default)."""
        pooling_dir = _pooling_dir(self.root, modules)
        if pooling_dir is None or not (pooling_dir / "config.json").is_file():
            return "mean"
        config = _read_json(pooling_dir / "config.json", self.root)
        if not isinstance(config, dict):
            raise ModelError("pooling config.json is not an object", path=self.root)
        return _pooling_mode(config, self.root)

    @property
    def dim(self) -> int:
        """Hidden width of the encoder, or the output width of a Dense head."""
        if self.dense_dir is not None:
            dense = _read_json(self.dense_dir / "config.json", self.root)
            return int(dense["out_features"])  # type: ignore[call-overload]
        for key in ("hidden_size", "d_model", "dim"):
            if isinstance(self.config.get(key), int):
                return int(self.config[key])
        raise ModelError("cannot tell the embedding width from config.json", path=self.root)

    def _load(self) -> tuple[Any, Any, Any]:
        """Import torch and transformers and load everything on first use only."""
        if self._loaded is None:
            from align.embed import _torch_hf

            self._loaded = _torch_hf.load(self.root, self.model_dir, self.dense_dir)
        return self._loaded

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        """Tokenise with padding, encode, pool over real tokens, apply any Dense head."""
        from align.embed import _torch_hf

        tokenizer, model, dense = self._load()
        return _torch_hf.encode(tokenizer, model, dense, texts, self.pooling)

    def signature_fields(self) -> dict[str, str]:
        """Name, content hash and pooling: each changes the vectors."""
        return {"embedder": self.name, "embedder_version": self.version, "pooling": self.pooling}
