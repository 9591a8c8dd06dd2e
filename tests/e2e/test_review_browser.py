"""End to end in headless Chromium (Debian package) against a real review server process."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api as playwright_api

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.fail("chromium is not installed: run scripts/install_browser.sh", pytrace=False)

from tests.e2e.rundir import SCRIPT, write_run  # noqa: E402
from tests.e2e.server import Server, start  # noqa: E402

expect, Browser, Locator, Page = (
    playwright_api.expect,
    playwright_api.Browser,
    playwright_api.Locator,
    playwright_api.Page,
)
CURRENT = re.compile(r"\bcurrent\b")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
FIRST_UNIT = "#u1 .bead"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    server = start(write_run(tmp_path / "run"))
    yield server
    server.kill()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url)
    expect(page.locator(".bead.current")).to_have_count(1)
    yield page
    context.close()
    assert not errors, errors


def bead(page: Page, n: int, unit: int = 1) -> Locator:
    return page.locator(f"#u{unit} .bead").nth(n)


def test_confirm_then_reload(page: Page) -> None:
    first_id = bead(page, 0).get_attribute("id")
    page.keyboard.press("c")
    expect(page.locator(f"#{first_id}")).to_have_attribute("data-status", "reviewed")
    expect(page.locator('[data-count="reviewed"]')).to_have_text("1")
    expect(bead(page, 1)).to_have_class(CURRENT)  # confirming moves on to the next bead
    page.reload()
    expect(page.locator(f"#{first_id}")).to_have_attribute("data-status", "reviewed")
    expect(page.locator(f"#{first_id} .badge.status")).to_have_text("reviewed")


def test_merge_then_reload(page: Page) -> None:
    page.keyboard.press("m")
    expect(page.locator(FIRST_UNIT)).to_have_count(3)
    expect(bead(page, 0).locator(".badge.type")).to_have_text("2-3")
    page.reload()
    expect(page.locator(FIRST_UNIT)).to_have_count(3)
    expect(bead(page, 0).locator(".badge.type")).to_have_text("2-3")


def test_split_before_the_clicked_sentence(page: Page) -> None:
    bead(page, 1).locator('.sent[data-side="tgt"]').nth(1).click()
    page.keyboard.press("s")
    expect(page.locator(FIRST_UNIT)).to_have_count(5)
    expect(bead(page, 1).locator(".badge.type")).to_have_text("1-1")
    expect(bead(page, 2).locator(".badge.type")).to_have_text("0-1")
    expect(bead(page, 2).locator(".side.tgt")).to_contain_text("since the end of the war")
    page.reload()
    expect(page.locator(FIRST_UNIT)).to_have_count(5)


def test_undo_and_redo_a_merge(page: Page) -> None:
    page.keyboard.press("m")
    expect(page.locator(FIRST_UNIT)).to_have_count(3)
    page.keyboard.press("u")
    expect(page.locator(FIRST_UNIT)).to_have_count(4)
    expect(page.locator("#message")).to_have_text("undo done")
    page.reload()
    expect(page.locator(FIRST_UNIT)).to_have_count(4)
    page.keyboard.press("r")
    expect(page.locator(FIRST_UNIT)).to_have_count(3)


def test_correct_a_sentence_in_the_dialog(page: Page) -> None:
    sentence = bead(page, 0).locator('.sent[data-side="tgt"]')
    sentence.click()
    page.keyboard.press("e")
    page.locator("#editor-text").fill("Today we adopted the new strategy.")
    page.locator("#editor-save").click()
    expect(bead(page, 0).locator(".sent.corrected")).to_have_text(
        "Today we adopted the new strategy."
    )
    page.reload()
    corrected = bead(page, 0).locator(".sent.corrected")
    expect(corrected).to_have_attribute(
        "data-original", "Today we adopted a new National Security Strategy."
    )


def test_escape_closes_the_dialog_without_saving(page: Page) -> None:
    page.keyboard.press("o")
    page.locator("#editor-text").fill("saved note")
    page.locator("#editor-save").click()
    expect(bead(page, 0).locator(".note")).to_contain_text("saved note")
    page.keyboard.press("o")
    page.locator("#editor-text").fill("abandoned")
    page.keyboard.press("Escape")
    expect(page.locator("#editor")).not_to_have_attribute("open", "")
    page.reload()
    expect(bead(page, 0).locator(".note")).to_contain_text("saved note")


def test_script_in_a_transcript_shows_as_text(page: Page, server: Server) -> None:
    expect(page.locator("#u2 .bead").last).to_contain_text(SCRIPT)
    assert page.locator("#beads script").count() == 0
    assert page.title() == "Review · run"


def test_stale_bead_is_refused_and_refreshed(page: Page, server: Server) -> None:
    first = server.request("/api/beads")[1][0]
    body = {"action": "note", "bead": first["id"], "text": "bob was here", "reviewer": "bob",
            "versions": {str(first["id"]): first["version"]}}  # fmt: skip
    assert server.request("/api/action", body, **{"X-CSRF-Token": server.csrf()})[0] == 200
    page.keyboard.press("c")  # the page still shows the old version of this bead
    expect(page.locator("#message")).to_contain_text("changed by someone else")
    expect(bead(page, 0).locator(".note")).to_contain_text("bob was here")
    expect(bead(page, 0)).to_have_attribute("data-status", "initial")
    page.keyboard.press("c")
    expect(bead(page, 0)).to_have_attribute("data-status", "reviewed")


def test_navigation_keys(page: Page) -> None:
    page.keyboard.press("f")  # next flagged: the bead with the term flag
    expect(bead(page, 2)).to_have_class(CURRENT)
    page.keyboard.press("k")
    page.keyboard.press("k")
    expect(bead(page, 0)).to_have_class(CURRENT)
    page.keyboard.press("d")  # next with divergence above 0.5 (0.12 is skipped)
    expect(bead(page, 2)).to_have_class(CURRENT)
    for _ in range(3):
        page.keyboard.press("k")
    page.keyboard.press("c")  # confirms the first bead and moves on
    expect(bead(page, 1)).to_have_class(CURRENT)
    page.keyboard.press("c")
    expect(bead(page, 2)).to_have_class(CURRENT)
    page.keyboard.press("k")
    page.keyboard.press("k")
    expect(bead(page, 0)).to_have_class(CURRENT)
    page.keyboard.press("n")  # next unconfirmed skips the confirmed second bead
    expect(bead(page, 2)).to_have_class(CURRENT)


SLOW = 15_000  # ms: a loaded machine answers saves slowly; the default 5 s made this flaky


def _bob_writes_a_note(server: Server, text: str) -> None:
    first = server.request("/api/beads")[1][0]
    body = {"action": "note", "bead": first["id"], "text": text, "reviewer": "bob",
            "versions": {str(first["id"]): first["version"]}}  # fmt: skip
    assert server.request("/api/action", body, **{"X-CSRF-Token": server.csrf()})[0] == 200


def test_a_stale_save_keeps_the_typed_text_beside_theirs(page: Page, server: Server) -> None:
    typed = ("A long note about the rendering of this passage. " * 22)[:1079] + "!"
    page.keyboard.press("o")
    page.locator("#editor-text").fill(typed)
    _bob_writes_a_note(server, "bob was here")  # while the note is being typed
    page.locator("#editor-save").click()
    dialog = page.locator("#editor")
    expect(dialog).to_have_attribute("open", "", timeout=SLOW)
    expect(page.locator("#editor-title")).to_contain_text("someone else changed", timeout=SLOW)
    expect(page.locator("#editor-theirs")).to_have_text("bob was here", timeout=SLOW)
    expect(page.locator("#editor-text")).to_have_value(typed, timeout=SLOW)
    page.keyboard.press("Escape")  # Escape must not throw the typed text away
    expect(dialog).to_have_attribute("open", "", timeout=SLOW)
    page.locator("#editor-cancel").click()  # discard mine: bob's note stays
    expect(dialog).not_to_have_attribute("open", "", timeout=SLOW)
    expect(bead(page, 0).locator(".note")).to_contain_text("bob was here", timeout=SLOW)

    page.keyboard.press("o")
    page.locator("#editor-text").fill(typed)
    _bob_writes_a_note(server, "bob again")
    page.locator("#editor-save").click()
    expect(page.locator("#editor-theirs")).to_have_text("bob again", timeout=SLOW)
    page.locator("#editor-save").click()  # re-apply mine over the fresh version
    expect(dialog).not_to_have_attribute("open", "", timeout=SLOW)
    expect(bead(page, 0)).to_have_attribute("data-note", typed, timeout=SLOW)
    page.reload()
    expect(bead(page, 0)).to_have_attribute("data-note", typed, timeout=SLOW)
