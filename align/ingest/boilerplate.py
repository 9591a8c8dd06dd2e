"""Republisher and navigation lines that are never speech (Mirage News footers, MOFA links)."""

from __future__ import annotations

import re

_BOILERPLATE = re.compile(
    r"^(?:/?Public Release\..*|.*Mirage\.News does not take institutional positions.*|"
    r"View in full here\.?|Back to (?:Press Releases|Index|Top|Press Conferences)|Page Top|"
    r"発信元サイトへ|報道発表へ戻る|ページの?(?:トップ|先頭)へ(?:戻る)?|このページのトップへ戻る|"
    r"Related Links?|関連リンク|Share this:?|Print this page|印刷用ページ)$",
    re.I,
)


def drop_boilerplate(text: str) -> str:
    """The text without boilerplate lines; everything else is kept byte for byte."""
    lines = text.split("\n")
    return "\n".join("" if _BOILERPLATE.match(line.strip()) else line for line in lines)
