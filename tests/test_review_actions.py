"""Review actions keep an alignment an alignment: every sentence once, in order, no empty bead."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from align.review import actions
from align.review.actions import ActionError

SIDES = ("src", "tgt")


def _beads(widths: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """A monotone alignment from (source count, target count) per bead."""
    beads, s, t = [], 0, 0
    for n, (a, b) in enumerate(widths):
        beads.append(
            {
                "id": n,
                "unit": 1,
                "src": list(range(s, s + a)),
                "tgt": list(range(t, t + b)),
                "status": "reviewed",
                "note": None,
            }
        )
        s, t = s + a, t + b
    return beads


def _apply(beads: list[dict[str, Any]], step: tuple[str, int, str, str]) -> list[dict[str, Any]]:
    name, index, side, direction = step
    i = index % len(beads)
    if name == "merge":
        return actions.merge(beads, i).beads
    if name == "split":
        return actions.split(beads, i).beads
    if name == "shift":
        return actions.shift(beads, i, side, direction).beads
    return actions.detach(beads, i, side, "last" if direction == "down" else "first").beads


widths = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 3)).filter(lambda w: w != (0, 0)),
    min_size=1, max_size=8,
)  # fmt: skip
steps = st.lists(
    st.tuples(st.sampled_from(["merge", "split", "shift", "detach"]), st.integers(0, 20),
              st.sampled_from(SIDES), st.sampled_from(["up", "down"])),
    max_size=25,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(widths, steps)
def test_any_sequence_of_actions_keeps_every_sentence_once_in_order(
    shape: list[tuple[int, int]], sequence: list[tuple[str, int, str, str]]
) -> None:
    beads = _beads(shape)
    totals = {side: sum(len(b[side]) for b in beads) for side in SIDES}
    for step in sequence:
        before = [dict(b) for b in beads]
        try:
            beads = _apply(beads, step)
        except ActionError:
            assert beads == before  # a refused action changes nothing
            continue
        for side in SIDES:
            assert [p for b in beads for p in b[side]] == list(range(totals[side]))
        assert all(b["src"] or b["tgt"] for b in beads)
        changed = [b for b in beads if b["id"] is None or b not in before]
        assert all(b["status"] == "initial" for b in changed)  # restructured: review again


def test_split_default_cuts_after_the_first_sentence_of_each_side() -> None:
    edit = actions.split(_beads([(2, 3)]), 0)
    assert [(b["src"], b["tgt"]) for b in edit.beads] == [([0], [0]), ([1], [1, 2])]


def test_detach_first_puts_the_lone_sentence_before() -> None:
    edit = actions.detach(_beads([(1, 2)]), 0, "tgt", "first")
    assert [(b["src"], b["tgt"]) for b in edit.beads] == [([], [0]), ([0], [1])]
