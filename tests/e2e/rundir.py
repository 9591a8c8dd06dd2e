"""A small hand-written run directory for the review tests (no aligner or embedder needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.beads import record as schema2

EVENT = "2024-01-01-review-test"
SRC_DOC, TGT_DOC = "ja_review_test", "en_review_test"
SCRIPT = "<script>document.title='pwned'</script>"

# Turn pairs: (JA sentences, EN sentences, beads as (src positions, tgt positions)).
PAIRS: list[tuple[list[str], list[str], list[tuple[list[int], list[int]]]]] = [
    (
        [
            "本日、新たな国家安全保障戦略を決定しました。",
            "我が国は戦後最も厳しい安全保障環境に直面しています。",
            "法の支配に基づく国際秩序を守ります。",
            "同盟国との協力を強化します。",
        ],
        [
            "Today we adopted a new National Security Strategy.",
            "Japan faces the most severe security environment.",
            "It is the most severe since the end of the war.",
            "We will defend the rules-based order.",
            "We will strengthen cooperation with our allies.",
        ],
        [([0], [0]), ([1], [1, 2]), ([2], [3]), ([3], [4])],
    ),
    (
        ["防衛力を抜本的に強化します。", "反撃能力を保有します。", f"記者の質問{SCRIPT}"],
        [
            "We will fundamentally reinforce our defence.",
            "We will possess counterstrike capabilities.",
            f"A reporter asked {SCRIPT} about it.",
        ],
        [([0, 1], [0, 1]), ([2], [2])],
    ),
]

FLAG = {
    "kind": "wrong_rendering",
    "severity": "high",
    "concept_id": "rule-of-law",
    "ja_term": "法の支配",
    "expected": "rule of law",
    "found": "rules-based order",
    "ja_span": [0, 4],
    "en_span": [19, 36],
    "reason": "'rules-based order' is a deprecated rendering of 法の支配; use 'rule of law'",
}
BRIEF_FLAG = {  # as `run` writes them: no offsets, the terms themselves
    "kind": "wrong_rendering",
    "severity": "medium",
    "concept_id": "counterstrike-capabilities",
    "ja_term": "反撃能力",
    "expected": "counterstrike capabilities",
    "found": "Counterstrike Capabilities",
    "reason": "'counterstrike' is written as one word",
}
EXTRA = {(0, 2): {"divergence": 0.81, "labels": ["substitution"], "reasons": ["term changed"],
                  "flags": [FLAG]},
         (0, 1): {"divergence": 0.12},
         (1, 0): {"term_flags": [BRIEF_FLAG]}}  # fmt: skip


def _document(doc_id: str, lang: str, kind: str, side: int) -> dict[str, Any]:
    """Document JSON with one turn per pair; sentence ids t<turn>s<n>."""
    turns = []
    for t, pair in enumerate(PAIRS):
        sentences = [
            {"id": f"t{t}s{n}", "text": text, "start": 0, "end": len(text)}
            for n, text in enumerate(pair[side])
        ]
        speaker = "Kishida" if side == 0 else "Interpreter"
        turns.append({"index": t, "speaker": speaker, "label": speaker, "language": lang,
                      "via_interpreter": side == 1, "kind": "speech", "paragraphs": [],
                      "sentences": sentences})  # fmt: skip
    return {"id": doc_id, "language": lang, "kind": kind, "text": "", "turns": turns}


def _record(p: int, b: int, src: list[int], tgt: list[int]) -> dict[str, Any]:
    ja, en, _ = PAIRS[p]
    record = {
        "event": EVENT, "date": "2024-01-01", "src_doc": SRC_DOC, "tgt_doc": TGT_DOC,
        "src_lang": "ja", "tgt_lang": "en", "tgt_kind": "interpretation", "pair_index": p,
        "src_turn": p, "tgt_turn": p, "src_speaker": "Kishida", "tgt_speaker": "Interpreter",
        "via_interpreter": True, "bead_index": b, "bead": f"{len(src)}-{len(tgt)}",
        "src_idx": src, "tgt_idx": tgt, "src_ids": [f"t{p}s{i}" for i in src],
        "tgt_ids": [f"t{p}s{j}" for j in tgt], "src_text": "".join(ja[i] for i in src),
        "tgt_text": " ".join(en[j] for j in tgt), "confidence": round(0.9 - 0.1 * b, 2),
        "signature": "interp-align:0.1.0|test",
    }  # fmt: skip
    return record | EXTRA.get((p, b), {})


def records() -> list[dict[str, Any]]:
    """The alignment records of the test run."""
    return [_record(p, b, s, t) for p, pair in enumerate(PAIRS) for b, (s, t) in enumerate(pair[2])]


def write_run(out: Path) -> Path:
    """Write alignment.jsonl, run.json and documents/ into `out`; returns `out`."""
    out.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(schema2(r), ensure_ascii=False) + "\n" for r in records())
    (out / "alignment.jsonl").write_text(lines, encoding="utf-8")
    (out / "documents").mkdir(exist_ok=True)
    for doc_id, lang, kind, side in ((SRC_DOC, "ja", "original", 0),
                                     (TGT_DOC, "en", "interpretation", 1)):  # fmt: skip
        document = _document(doc_id, lang, kind, side)
        (out / "documents" / f"{doc_id}.json").write_text(json.dumps(document, ensure_ascii=False))
    run = {"event": EVENT, "documents": [SRC_DOC, TGT_DOC], "signature": "interp-align:0.1.0|test"}
    (out / "run.json").write_text(json.dumps(run), encoding="utf-8")
    return out
