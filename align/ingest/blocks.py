"""Non-speech lines typed by form: heading, caption, chrome, date line, note.

Pages carry more than speech: site banners and navigation, update lines, photo captions,
translation notes, database field tags. Each line is typed by its shape (brackets, a date with
little else, no sentence-final punctuation, a navigation verb) so the aligner can pair it only
with a line of its own kind, or leave it 1-0 / 0-1, and never glue it to a speech sentence.
"""

from __future__ import annotations

import re
import unicodedata

from align.text.dates import MONTHS, find_date

SPEECH = "speech"
BLOCK_KINDS = ("speech", "heading", "caption", "chrome", "date", "note")
# Kinds that may share a bead: a title block's heading and date line go together.
PAIRING = {"speech": 0, "heading": 1, "date": 1, "caption": 2, "chrome": 3, "note": 4}


def pairing_group(kind: str) -> int:
    """Sentences pair only within one group (unknown kinds count as speech)."""
    return PAIRING.get(kind, 0)


_OPEN, _CLOSE = "[［【〔〈《<(（", "]］】〕〉》>)）"
_TAG = re.compile(r"^[\[［【〔〈《<]([^\]］】〕〉》>\n]{1,16})[\]］】〕〉》>][ \t\u3000:：]*")
_DATE_TAG = re.compile(
    r"date|日付|年月日|日時|更新|掲載|公開|発表日|posted|updated|published", re.I
)
_TITLE_TAG = re.compile(r"title|name|文書名|件名|表題|題名|タイトル", re.I)
_DATE_PREFIX = re.compile(
    r"^(?:(?:last\s+)?(?:updated|posted|published|released|date)\s*(?:on)?\s*[:：]?|"
    r"(?:更新日|掲載日|公開日|発表日|作成日|最終更新日?)\s*[:：]?)\s*",
    re.I,
)
_DATE_RESIDUE = re.compile(
    r"[\d０-９\s,.:：/／\-–年月日()（）\[\]［］]|令和|平成|昭和|元|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"[月火水木金土日]曜日?|[時分]|[ap]\.?m\.?|" + "|".join(sorted(MONTHS, key=len, reverse=True)),
    re.I,
)
_CAPTION = re.compile(
    r"(?:様子$|写真提供|写真[:：]|^photo(?:graph)?\s*(?:credit|by|courtesy)?\s*[:：]|"
    r"\(photo[^)]*\)$|（写真[^）]*）$|^(?:photo|画像|写真)\s*\d*$)",
    re.I,
)
_CHROME = re.compile(
    r"(?:^(?:back\s+to|return\s+to|go\s+to|skip\s+to|page\s+top|top\s+of\s+(?:the\s+)?page|"
    r"print|share|tweet|read\s+(?:the\s+)?(?:full|more)|related\s+(?:links|articles)|"
    r"english|japanese)\b|"
    r"^(?:日本語|英語|印刷|シェア|ページ(?:の)?(?:トップ|先頭)|トップページ|発信元|関連リンク|"
    r"前のページ|次のページ)|"
    r"\b(?:english|japanese)\s*[|｜/]\s*(?:english|japanese)\b|"
    r"\bdatabase\b|データベース|(?:^|・)(?:新着情報|お知らせ|更新情報)$|^what'?s\s+new$|\s[>›»]\s|(?:へ|に)戻る$|サイトへ$)",
    re.I,
)
# 【岸田総理冒頭発言】, [Opening Statement by Prime Minister Kishida]: a heading, not a speaker.
BRACKET_HEADING = re.compile(
    r"^[【\[［](?:[^】\]］\n]{0,24}(?:冒頭発言|冒頭挨拶|冒頭あいさつ|発言|挨拶|あいさつ|質疑応答|"
    r"概要|談話|声明|記者会見)|(?:opening|closing)\s+(?:statement|remarks)[^\]］]{0,60}|"
    r"(?:questions?\s+and\s+answers?|q\s*&\s*a)[^\]］]{0,30})[】\]］]$",
    re.I,
)
_BANNER = re.compile(r"\bdatabase\b|データベース", re.I)
_NOTE = re.compile(r"provisional\s+translation|仮訳|tentative\s+translation|unofficial", re.I)
_NOTE_MARK = re.compile(r"^(?:[※＊]|\*(?!\*)|(?:注|備考|note|notes)\s*[:：])", re.I)
_SENTENCE_END = tuple("。．.!?！？」』")
_NUMBERED = re.compile(
    r"^(?:[（(][0-9０-９一二三四五六七八九十]{1,3}[)）]|[0-9０-９]{1,2}[ \t\u3000.．]|"
    r"[IVXⅠ-Ⅻ]{1,4}[ .．\t\u3000]|[⑴-⒇①-⑳])"
)


def line_kind(line: str, language: str, speech_turn: bool = False) -> str:
    """The block kind of one line; `speech_turn` lines (after a speaker label) stay speech
    unless their form is unmistakable (a date line, a caption, navigation, a bracketed note).
    """
    text = unicodedata.normalize("NFKC", line).strip()
    if not text:
        return SPEECH
    if BRACKET_HEADING.match(text):
        return "heading"
    tag = _TAG.match(text)
    rest = text[tag.end() :].strip() if tag else text
    if tag and not rest:
        return "note" if _NOTE.search(tag.group(1)) else "chrome"
    if tag and _TITLE_TAG.search(tag.group(1)):
        return "heading"
    if _is_date_line(text, tag, rest):
        return "date"
    if _is_note(text) or _NOTE_MARK.match(text):
        return "note"
    if len(text) <= 120 and not text.endswith(_SENTENCE_END) and _CAPTION.search(text):
        return "caption"
    if _is_chrome(text, tag, rest):
        return "chrome"
    if speech_turn:
        return SPEECH
    return "heading" if _is_heading(text, language) else SPEECH


def _is_date_line(text: str, tag: re.Match | None, rest: str) -> bool:
    """A line that is a date and (almost) nothing else: 2011年6月21日, [Date] June 21, 2011."""
    body = rest if tag and _DATE_TAG.search(tag.group(1)) else text
    body = _DATE_PREFIX.sub("", body)
    if len(body) > 60 or not find_date(body):
        return False
    return len(_DATE_RESIDUE.sub("", body)) <= max(3, len(body) // 3)


def _is_note(text: str) -> bool:
    """A line wholly in brackets that says what the text is: [Provisional translation], (仮訳)."""
    if text[0] in _OPEN and text[-1] in _CLOSE and len(text) <= 60:
        inner = text[1:-1]
        return not any(c in inner for c in _OPEN + _CLOSE) and bool(_NOTE.search(inner))
    return False


def _is_chrome(text: str, tag: re.Match | None, rest: str) -> bool:
    """Navigation, language switches, site and database banners, bare field tags."""
    if len(text) > 140 or text.endswith(("。", "?", "？", "!", "！")):
        return False
    if tag and not _TITLE_TAG.search(tag.group(1)):
        return len(rest) <= 60  # a database field: [Source] Japan Ministry of Defense
    return bool(_CHROME.search(text))


def _is_heading(text: str, language: str) -> bool:
    """A short line with no sentence end: a title or section heading (numbered or not)."""
    numbered = bool(_NUMBERED.match(text))
    limit = (50 if language == "ja" else 130) * (2 if numbered else 1)
    if len(text) > limit or text.endswith(_SENTENCE_END):
        return False
    if numbered:
        return True
    if language == "ja" and "、" in text:
        return False  # a Japanese sentence cut off mid-way, not a title
    return len(text.split()) >= 1 and not text.endswith((",", "，"))


def spread_banners(kinds: list[str], texts: list[str]) -> list[str]:
    """Lines right after a site or database banner that read as headings belong to it
    (the publisher's institute line under "The World and Japan" Database)."""
    out, after_banner = list(kinds), False
    for k, (kind, text) in enumerate(zip(kinds, texts, strict=True)):
        if kind == "chrome":
            after_banner = after_banner or bool(_BANNER.search(text))
        elif kind == "heading" and after_banner and not _TAG.match(text):
            out[k] = "chrome"
        else:
            after_banner = False
    return out


def speech_warning(document) -> str | None:
    """A page with no speech at all (navigation, captions, banners) says so, by file name."""
    if any(s.kind == SPEECH for s in document.sentences):
        return None
    name = document.path or document.id
    return (
        f"{name}: no speech found: every line reads as a heading, caption, chrome, date line "
        "or note; nothing of it is forced into speech beads"
    )
