"""Review app API: every action, undo/redo, optimistic concurrency, persistence, audit log."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx  # noqa: F401 - fails loudly if the install is broken
import pytest
import starlette  # noqa: F401 - fails loudly if the install is broken
from starlette.testclient import TestClient

from align.review import has_review, reviewed_beads, reviewed_records
from align.review.app import create_app
from tests.e2e.rundir import PAIRS, SCRIPT, write_run


class Api:
    """A reviewer's browser session, reduced to JSON calls."""

    def __init__(self, client: TestClient, reviewer: str) -> None:
        self.client, self.reviewer = client, reviewer
        page = client.get("/")
        assert page.status_code == 200
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
        self.seen: dict[int, int] = {}
        self.refresh()

    def refresh(self) -> list[dict[str, Any]]:
        """Load the beads, remembering the versions this reviewer has seen."""
        beads = self.client.get("/api/beads").json()
        self.seen = {b["id"]: b["version"] for b in beads}
        return beads

    def post(self, body: dict[str, Any], **headers: str) -> Any:
        headers = {"X-CSRF-Token": self.csrf, **headers}
        return self.client.post(
            "/api/action", json={**body, "reviewer": self.reviewer}, headers=headers
        )

    def act(self, action: str, bead: int, *others: int, **params: Any) -> Any:
        """An action with the versions this reviewer last saw of the bead and its neighbours."""
        versions = {str(b): self.seen[b] for b in (bead, *others) if b in self.seen}
        return self.post({"action": action, "bead": bead, "versions": versions, **params})


def shape(beads: list[dict[str, Any]], unit: int = 1) -> list[tuple[list[int], list[int]]]:
    """A unit's beads as (src, tgt) position lists, in order."""
    return [(b["src"], b["tgt"]) for b in beads if b["unit"] == unit]


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run")


@pytest.fixture
def client(run_dir: Path) -> TestClient:
    return TestClient(create_app(run_dir, reviewer="alice"))


@pytest.fixture
def alice(client: TestClient) -> Api:
    return Api(client, "alice")


def ids(api: Api, unit: int = 1) -> list[int]:
    return [b["id"] for b in api.refresh() if b["unit"] == unit]


def test_page_shows_every_bead_side_by_side_with_scores_and_flags(client: TestClient) -> None:
    html = client.get("/").text
    assert html.count('class="bead ') == sum(len(pair[2]) for pair in PAIRS)
    assert "国家安全保障戦略" in html and "National Security Strategy" in html
    assert "conf 0.70" in html and "div 0.81" in html and "substitution" in html
    assert re.search(r'<mark class="term sev-high"[^>]*>rules-based order</mark>', html)
    assert re.search(r'<mark class="term sev-high"[^>]*>法の支配</mark>', html)
    assert re.search(r'<mark class="term sev-medium"[^>]*>反撃能力</mark>', html)  # found by term
    assert re.search(r'<mark class="term sev-medium"[^>]*>counterstrike capabilities</mark>', html)
    for key in ("j / k", "c", "m", "s", "u / r"):
        assert f"<kbd>{key}</kbd>" in html


def test_script_in_a_transcript_is_escaped(client: TestClient, alice: Api) -> None:
    html = client.get("/").text
    assert SCRIPT not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    fragment = alice.act("note", ids(alice, 2)[-1], text=SCRIPT).json()["units"][0]["html"]
    assert SCRIPT not in fragment and "&lt;script&gt;" in fragment
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


@pytest.mark.parametrize(("action", "status"), [("confirm", "reviewed"), ("final", "final"),
                                                ("reject", "rejected")])  # fmt: skip
def test_status_actions(alice: Api, run_dir: Path, action: str, status: str) -> None:
    bead = ids(alice)[0]
    reply = alice.act(action, bead)
    assert reply.status_code == 200, reply.text
    assert reply.json()["counts"][status] == 1
    record = next(reviewed_records(run_dir))
    assert record.review.status == status
    assert record.review.reviewed is (status in ("reviewed", "final"))
    assert record.review.by == "alice"


def test_merge_with_next_and_not_past_the_turn_pair(alice: Api) -> None:
    first, second, *_ = ids(alice)
    assert alice.act("merge", first, second).status_code == 200
    assert shape(alice.refresh())[0] == ([0, 1], [0, 1, 2])
    assert len(shape(alice.refresh())) == 3
    last = ids(alice)[-1]
    reply = alice.act("merge", last)
    assert reply.status_code == 400 and "no next bead" in reply.json()["message"]


def test_split_default_and_at_a_chosen_sentence(alice: Api) -> None:
    two_two = ids(alice, 2)[0]
    assert alice.act("split", two_two).status_code == 200
    assert shape(alice.refresh(), 2) == [([0], [0]), ([1], [1]), ([2], [2])]
    one_two = ids(alice)[1]
    assert alice.act("split", one_two, tgt_at=1).status_code == 200
    assert shape(alice.refresh())[1:3] == [([1], [1]), ([], [2])]


def test_split_refuses_a_one_to_one_bead(alice: Api) -> None:
    reply = alice.act("split", ids(alice)[0])
    assert reply.status_code == 400 and "empty counterpart" in reply.json()["message"]


def test_shift_sentences_up_and_down(alice: Api) -> None:
    first, second, *_ = ids(alice)
    assert alice.act("shift", second, first, side="tgt", direction="up").status_code == 200
    assert shape(alice.refresh())[:2] == [([0], [0, 1]), ([1], [2])]
    assert alice.act("shift", first, second, side="src", direction="down").status_code == 200
    assert shape(alice.refresh())[:2] == [([], [0, 1]), ([0, 1], [2])]
    reply = alice.act("shift", first, side="tgt", direction="up")
    assert reply.status_code == 400 and "no bead above" in reply.json()["message"]


def test_shifting_the_last_sentences_away_removes_the_bead(alice: Api) -> None:
    third, fourth = ids(alice)[2:]
    alice.act("shift", fourth, third, side="src", direction="up")
    alice.refresh()
    assert alice.act("shift", fourth, third, side="tgt", direction="up").status_code == 200
    assert shape(alice.refresh())[-1] == ([2, 3], [3, 4])
    assert fourth not in ids(alice)


def test_insert_empty_counterpart(alice: Api) -> None:
    third = ids(alice)[2]
    assert alice.act("detach", third, side="tgt").status_code == 200
    assert shape(alice.refresh())[2:4] == [([2], []), ([], [3])]
    reply = alice.act("detach", third, side="src")
    assert (
        reply.status_code == 400 and "already has an empty counterpart" in reply.json()["message"]
    )


def test_edit_keeps_the_original(alice: Api, client: TestClient, run_dir: Path) -> None:
    bead = ids(alice)[0]
    corrected = "Today we adopted the new National Security Strategy."
    assert alice.act("edit", bead, side="tgt", pos=0, text=corrected).status_code == 200
    html = client.get("/").text
    assert corrected in html and 'data-original="Today we adopted a new National' in html
    record = next(reviewed_records(run_dir))
    assert record.tgt_text == corrected
    assert [c.to_dict() for c in record.review.corrections] == [
        {"side": "tgt", "pos": 0, "id": "t0s0", "corrected": corrected,
         "original": "Today we adopted a new National Security Strategy."}
    ]  # fmt: skip
    alice.refresh()
    assert alice.act("edit", bead, side="tgt", pos=3, text="x").status_code == 400
    assert alice.act("edit", bead, side="tgt", pos=0, text="  ").status_code == 400


def test_note(alice: Api, run_dir: Path) -> None:
    bead = ids(alice)[0]
    assert alice.act("note", bead, text="check the date").status_code == 200
    assert next(reviewed_records(run_dir)).review.note == "check the date"


def test_undo_and_redo_restore_exact_states(alice: Api) -> None:
    original = shape(alice.refresh())
    first, second, *_ = ids(alice)
    alice.act("merge", first, second)
    merged = shape(alice.refresh())
    assert alice.post({"action": "undo"}).status_code == 200
    assert shape(alice.refresh()) == original and ids(alice)[:2] == [first, second]
    assert alice.post({"action": "redo"}).status_code == 200
    assert shape(alice.refresh()) == merged
    alice.post({"action": "undo"})
    alice.refresh()
    alice.act("confirm", first)  # a new action drops what could be redone
    reply = alice.post({"action": "redo"})
    assert reply.status_code == 400 and "nothing to redo" in reply.json()["message"]


def test_undo_of_an_edit_restores_the_text(alice: Api, run_dir: Path) -> None:
    bead = ids(alice)[0]
    alice.act("edit", bead, side="src", pos=0, text="訂正した文。")
    alice.post({"action": "undo"})
    record = next(reviewed_records(run_dir))
    assert record.src_text == PAIRS[0][0][0] and record.review.corrections == []


def test_undo_is_per_reviewer(client: TestClient, alice: Api) -> None:
    bob = Api(client, "bob")
    alice.act("confirm", ids(alice)[0])
    reply = bob.post({"action": "undo"})
    assert reply.status_code == 400 and "nothing to undo" in reply.json()["message"]


def test_stale_edit_is_refused_and_the_bead_sent_fresh(client: TestClient, alice: Api) -> None:
    bob = Api(client, "bob")
    bead = ids(alice)[0]
    assert alice.act("note", bead, text="alice was here").status_code == 200
    reply = bob.act("confirm", bead)  # bob's page still shows the old version
    assert reply.status_code == 409
    assert "changed by someone else" in reply.json()["message"]
    fresh = reply.json()["units"][0]["html"]
    assert "alice was here" in fresh
    now = {b["id"]: b for b in bob.refresh()}
    assert now[bead]["status"] == "initial" and now[bead]["note"] == "alice was here"
    assert f'data-version="{now[bead]["version"]}"' in fresh
    assert bob.act("confirm", bead).status_code == 200  # after the refresh it goes through


def test_stale_neighbour_blocks_a_merge(client: TestClient, alice: Api) -> None:
    bob = Api(client, "bob")
    first, second, *_ = ids(alice)
    alice.act("detach", second, side="tgt")  # changes the bead bob would merge into
    assert bob.act("merge", first, second).status_code == 409
    assert bob.act("merge", second).status_code == 409


def test_acting_on_a_merged_away_bead_is_a_conflict(client: TestClient, alice: Api) -> None:
    bob = Api(client, "bob")
    first, second, *_ = ids(alice)
    alice.act("merge", first, second)
    assert bob.act("confirm", second).status_code == 409
    assert alice.act("confirm", 999).status_code == 404


def test_undo_refused_after_someone_else_changed_the_bead(client: TestClient, alice: Api) -> None:
    bob = Api(client, "bob")
    bead = ids(alice)[0]
    alice.act("note", bead, text="first")
    bob.refresh()
    bob.act("confirm", bead)
    reply = alice.post({"action": "undo"})
    assert reply.status_code == 409
    assert {b["id"]: b for b in alice.refresh()}[bead]["status"] == "reviewed"


def test_state_survives_reopening(run_dir: Path, alice: Api) -> None:
    first, second, *_ = ids(alice)
    alice.act("merge", first, second)
    alice.refresh()
    alice.act("confirm", first)
    again = Api(TestClient(create_app(run_dir)), "carol")
    beads = again.refresh()
    assert shape(beads)[0] == ([0, 1], [0, 1, 2]) and beads[0]["status"] == "reviewed"


def test_audit_log_says_who_did_what_when(client: TestClient, alice: Api) -> None:
    bob = Api(client, "bob")
    alice.act("confirm", ids(alice)[0])
    bob.act("reject", ids(bob)[1])
    alice.post({"action": "undo"})
    log = client.get("/api/audit").json()
    assert [(e["reviewer"], e["action"]) for e in log] == [
        ("alice", "confirm"), ("bob", "reject"), ("alice", "undo")
    ]  # fmt: skip
    assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", e["at"]) for e in log)
    assert log[0]["state"] == "undone" and log[2]["target"] == log[0]["id"]


def test_bad_requests(alice: Api) -> None:
    bead = ids(alice)[0]
    assert alice.post({"action": "explode", "bead": bead}).status_code == 400
    assert alice.post({"action": "confirm", "bead": "x"}).status_code == 400
    assert alice.act("shift", bead, side="left").status_code == 400
    assert alice.act("note", bead, text=7).status_code == 400
    reply = alice.client.post(
        "/api/action", content=b"[1]", headers={"X-CSRF-Token": alice.csrf,
                                                 "Content-Type": "application/json"},
    )  # fmt: skip
    assert reply.status_code == 400


def test_reviewed_records_apply_the_review(run_dir: Path, alice: Api) -> None:
    assert {r.review_status for r in reviewed_records(run_dir)} == {"initial"}
    first, second, third, _ = ids(alice)
    alice.act("merge", first, second)
    alice.refresh()
    alice.act("confirm", first)
    alice.act("reject", third)
    records = list(reviewed_records(run_dir))
    assert has_review(run_dir)
    assert [r.bead_index for r in records] == [0, 1, 2, 0, 1]
    merged = records[0]
    assert merged.bead == "2-3" and merged.src_ids == ["t0s0", "t0s1"]
    assert merged.src_text == PAIRS[0][0][0] + PAIRS[0][0][1]  # Japanese: no separator
    assert merged.tgt_text == " ".join(PAIRS[0][1][:3])
    assert merged.confidence == 0.8 and merged.scores.stale is False  # rescored on save
    assert records[1].review_status == "rejected" and records[1].term_flags
    assert records[2].review_status == "initial" and records[2].review.reviewed is False


def test_without_a_review_records_are_unchanged(run_dir: Path) -> None:
    assert not has_review(run_dir)
    from tests.beads import typed
    from tests.e2e.rundir import records

    assert list(reviewed_records(run_dir)) == [typed(r) for r in records()]


def test_reviewed_beads_files(run_dir: Path, alice: Api) -> None:
    first, second, *_ = ids(alice)
    alice.act("merge", first, second)
    files = reviewed_beads(run_dir)
    name = "ja_review_test__en_review_test"
    assert files[f"{name}.txt"] == (
        "[0, 1]:[0, 1, 2]\n[2]:[3]\n[3]:[4]\n[4, 5]:[5, 6]\n[6]:[7]\n"
    )  # document-level indices: turn 1 starts after turn 0's 4 JA and 5 EN sentences
    assert files[f"{name}/{name}.pair001.txt"] == "[0, 1]:[0, 1]\n[2]:[2]\n"
