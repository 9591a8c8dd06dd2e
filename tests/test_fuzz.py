"""Fuzz (hypothesis) over every reader and loader: only InputError may escape, offsets map back.

Bounded in time: a few dozen inputs per loader here; scripts/fuzz_inputs.py runs 100,000.
"""

from __future__ import annotations

import logging
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import ESCAPED, mutate, run_one, targets

TARGETS = {target.name: target for target in targets()}


@pytest.fixture(autouse=True)
def _quiet_decoding(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="align.ingest.decode")


@pytest.mark.parametrize("name", list(TARGETS))
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=0), raw=st.binary(max_size=400), use_raw=st.booleans())
def test_only_input_errors_escape(name: str, seed: int, raw: bytes, use_raw: bool) -> None:
    target = TARGETS[name]
    rng = random.Random(seed)
    data = raw if use_raw else mutate(rng.choice(target.seeds), rng)
    with tempfile.TemporaryDirectory() as folder:
        outcome, detail = run_one(target, data, Path(folder))
    assert outcome != ESCAPED, f"{name}: {detail} for input {data[:200]!r}"


@pytest.mark.parametrize("name", list(TARGETS))
def test_every_seed_is_accepted(name: str, tmp_path: Path) -> None:
    """The fuzzer starts from valid inputs, so its mutations reach past the first check."""
    target = TARGETS[name]
    for seed in target.seeds:
        assert run_one(target, seed, tmp_path) == ("accepted", "")
