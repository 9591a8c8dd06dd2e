"""Signals behind one interface: the registry builds each bead's signals and the number label."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from align.embed import load_embedder
from align.scoring import signals as registry
from align.scoring.composite import decide
from align.scoring.engine import score_segments
from align.scoring.features import Measured, measure
from align.scoring.segment import Segment
from align.scoring.terminology import load_checker

JA = "防衛力整備の水準を5年間で43兆円とします。これは大きな規模です。"
EN = "We will spend 43 trillion dollars over five years. This is a large scale."


@pytest.fixture(scope="module")
def measured() -> list[Measured]:
    other = Segment("防衛費を増やします。", "We will raise defense spending.", group="g")
    segments = [Segment(JA, EN, group="g"), Segment(JA, "", group="g"), other]
    return measure(segments, load_embedder("use"), load_checker(None))


def test_every_signal_has_a_name_and_signature() -> None:
    names = list(registry.SIGNALS)
    assert names == [s.name for s in registry.SIGNALS.values()] and len(set(names)) == len(names)
    assert registry.signature() == ",".join(f"{n}:1" for n in names)


def test_results_serialise_and_give_reasons(measured: list[Measured]) -> None:
    results = registry.compute_all(measured[0])
    assert list(results) == list(registry.SIGNALS)  # a two-sided JA-EN bead: every signal applies
    numbers = results["numbers"]
    assert numbers.divergent and "43兆円" in numbers.reasons()[0]
    assert numbers.to_dict()["missing"] == ["43兆円"]
    assert -1.0 <= results["similarity"].to_dict()["cosine"] <= 1.0
    assert not results["polarity"].divergent
    one_sided = registry.compute_all(measured[1])
    assert "numbers" not in one_sided and "similarity" not in one_sided
    assert (
        decide(measured[0]).reasons[decide(measured[0]).labels.index("number")]
        == (numbers.reasons()[0])
    )


def test_a_new_signal_is_one_class(monkeypatch: pytest.MonkeyPatch) -> None:
    @dataclass(frozen=True)
    class Exclamations(registry.Result):
        count: int

        def to_dict(self) -> Any:
            return {"count": self.count}

    class ExclamationSignal(registry.Signal):
        name = "exclamations"

        def compute(self, bead: Measured) -> Exclamations:
            return Exclamations(bead.segment.tgt.count("!"))

    monkeypatch.setitem(registry.SIGNALS, "exclamations", ExclamationSignal())
    (result,) = score_segments([Segment("すごい。", "Great!!", group="g")], load_embedder("use"))
    assert result["signals"]["exclamations"] == {"count": 2}
    assert "exclamations:1" in registry.signature()
