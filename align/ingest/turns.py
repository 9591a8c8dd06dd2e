"""Speaker labels, interpreter marks, headings and stage notes: text lines into turns.

One line-oriented pass serves every style we read (State/DoD transcripts, MOFA English,
MOFA/MOD/Kantei Japanese) because they differ only in how a label is printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from align.ingest.blocks import BRACKET_HEADING, line_kind, spread_banners
from align.ingest.speakers import Registry
from align.model import Paragraph, Sentence, Turn
from align.text.segment import segment

_EN_CAPS_LABEL = re.compile(r"(?P<label>[A-Z][A-Z0-9 .,'’&/\-]{0,70}[A-Z.]):[ \t\u3000]*")
_EN_TITLE_START = (
    r"(?:Ms|Mr|Mrs|Dr|Madam)\.?|Minister|Prime Minister|Foreign Minister|Defense Minister|"
    r"Secretary|Press Secretary|Deputy|Chief Cabinet Secretary|President|Vice President|"
    r"Ambassador|Spokesperson|Moderator|Question|Reporter|Q|A|Senior [A-Z][a-z]+ Official"
)
_EN_MIXED_LABEL = re.compile(
    rf"(?P<label>(?:{_EN_TITLE_START})(?:[ \t][^:\n]{{0,90}}?)?):[ \t\u3000]+(?=\S)"
)
_JA_TITLE = (
    r"(?:大臣|総理|首相|長官|大統領|報道官|司会者?|記者|質問者?|代行|官房長官|副大臣|政務官|大使|"
    r"次官|報道官|国務長官|国防長官|外相|防衛相|代表|議員|補佐官)"
)
_JA_LABELS = (
    re.compile(r"(?P<label>【[^】\n]{1,30}】)[ \t\u3000]*"),
    re.compile(rf"(?P<label>[○〇◯][^\s　:：、。「」()（）]{{1,20}}?{_JA_TITLE}?)[ \t\u3000:：]+"),
    re.compile(rf"(?P<label>[（(][^）)\n0-9０-９]{{1,24}}{_JA_TITLE}[）)])[ \t\u3000]*"),
    re.compile(rf"(?P<label>[^\s　:：、。「」()（）【】]{{1,20}}{_JA_TITLE})[：:][ \t\u3000]*"),
    # Dialogue transcripts: a name with an honorific and a colon (玉元さん：, 田中氏:).
    re.compile(r"(?P<label>[^\s　:：、。「」()（）【】]{1,12}(?:さん|様|氏))[：:][ \t\u3000]*"),
)
_JA_NAME_LINE = re.compile(
    rf"(?P<label>[^\s　、。「」()（）【】:：]{{1,16}}{_JA_TITLE})[ \t\u3000]*$"
)
_INTERPRETER_MARK = re.compile(
    r"[（(\[][ \t]*(?:(?:via|through)[ \t]+(?:an[ \t]+|the[ \t]+)?interpret(?:er|ation)|"
    r"as[ \t]+interpreted|in[ \t]+interpretation|通訳)\.?[ \t]*[)）\]][ \t\u3000]*",
    re.I,
)
# The American Presidency Project: "President Biden. Thank you.", "Prime Minister Kishida. …",
# "Q. …": a title and a name (or Q) ending in a period at the start of a paragraph.
_EN_APP_TITLES = (
    r"President|Vice President|Prime Minister|Foreign Minister|Defense Minister|Minister|"
    r"Secretary(?: of (?:State|Defense))?|Chief Cabinet Secretary|Ambassador|Press Secretary|"
    r"Chancellor|Premier|General|Admiral"
)
_EN_APP_LABEL = re.compile(
    rf"(?P<label>Q|(?:{_EN_APP_TITLES})(?:[ \t][A-Z][A-Za-z'’-]+){{1,3}})\.[ \t]+(?=\S)"
)

_STAGE_NOTE = re.compile(
    r"[（(](?:applause|laughter|inaudible|crosstalk|off[ -]mic|pause|audio|cross-talk|"
    r"break in (?:audio|transmission)|拍手|笑い)[^()（）]{0,40}[)）]\.?",
    re.I,
)
_NUMBERED_HEADING = re.compile(
    r"(?:[（(][0-9０-９一二三四五六七八九十]{1,3}[)）]|[0-9０-９]{1,2}[ \t\u3000.．]|[IVX]{1,4}\.)"
)
KNOWN_HEADINGS = {
    "冒頭発言",
    "質疑応答",
    "発表事項",
    "記者会見",
    "opening remarks",
    "questions and answers",
    "question and answer session",
    "q&a",
    "press conferences",
    "press releases",
    "報道発表",
}
_SENTENCE_END = tuple("。．.!?！？」』")


@dataclass
class _Block:
    """A turn under construction: its label and the line spans it owns."""

    label: str
    speaker: str | None
    via_interpreter: bool
    kind: str
    spans: list[tuple[int, int]] = field(default_factory=list)


def find_label(line: str, language: str) -> tuple[str, int] | None:
    """The speaker label at the start of a line and where the speech after it begins."""
    if BRACKET_HEADING.match(line.strip()):
        return None
    patterns = _JA_LABELS if language == "ja" else (_EN_CAPS_LABEL, _EN_MIXED_LABEL, _EN_APP_LABEL)
    for pattern in patterns:
        match = pattern.match(line)
        if pattern is _EN_APP_LABEL and match:
            return match.group("label"), match.end()
        if match and _is_plausible_label(match.group("label"), pattern is _EN_MIXED_LABEL):
            return match.group("label"), match.end()
    if language == "ja" and (match := _JA_NAME_LINE.match(line)):
        return match.group("label"), match.end()
    return None


def _is_plausible_label(label: str, mixed_case: bool) -> bool:
    words = label.split()
    if not words or len(words) > 12 or label.upper() in ("NOTE", "SOURCE", "TITLE", "DATE", "LANG"):
        return False
    if not mixed_case:
        return any(len(w.strip(".,")) >= 2 for w in words) or label in ("Q", "A")
    has_caps_name = any(w.isupper() and len(w.strip(".,")) >= 3 for w in words)
    return has_caps_name or bool(re.fullmatch(r"(?:\S+ ){0,4}[A-Z][a-z'’-]+", label))


def is_heading(line: str, language: str) -> bool:
    """Numbered section headings and known section names are not anyone's speech."""
    stripped = line.strip()
    if stripped.lower().strip(":：") in KNOWN_HEADINGS or BRACKET_HEADING.match(stripped):
        return True
    limit = 40 if language == "ja" else 90
    if len(stripped) > limit or stripped.endswith(_SENTENCE_END):
        return False
    return bool(_NUMBERED_HEADING.match(stripped))


def _looks_like_title_line(line: str, language: str) -> bool:
    limit = 50 if language == "ja" else 130
    return len(line.strip()) <= limit and not line.strip().endswith(_SENTENCE_END)


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            offset = position + (len(line) - len(line.lstrip()))
            spans.append((offset, offset + len(stripped)))
        position += len(line) + 1
    return spans


def _skip_mark(text: str, start: int, end: int) -> tuple[bool, int]:
    """Whether an interpreter mark starts at `start`, and where the speech continues."""
    match = _INTERPRETER_MARK.match(text, start, end)
    return (True, match.end()) if match else (False, start)


def split_turns(text: str, language: str, registry: Registry) -> list[Turn]:
    """Turns of a document text; no label anywhere means one turn by an unknown speaker."""
    lines = _line_spans(text)
    labelled = _demote_name_lists(text, [(s, e, find_label(text[s:e], language)) for s, e in lines])
    if not any(label for *_, label in labelled):
        blocks = [_Block("", None, False, "speech", list(lines))]
        if lines:
            via, body = _skip_mark(text, *lines[0])
            blocks[0].via_interpreter, blocks[0].spans[0] = via, (body, lines[0][1])
    else:
        blocks = _build_blocks(text, labelled, language, registry)
    turns = [_to_turn(i, block, text, language) for i, block in enumerate(blocks)]
    _mark_interpreted(turns, registry)
    sentences = [s for t in turns for s in t.sentences]
    kinds = spread_banners([s.kind for s in sentences], [s.text for s in sentences])
    for sentence, kind in zip(sentences, kinds, strict=True):
        sentence.kind = kind
    return turns


# MOD/MOFA transcripts say whose parts are the interpreter's ("※ポンペオ国務長官及び
# シャナハン国防長官代行の発言…については、通訳者の発言を…記載しています。"): renderings.
_INTERPRETED_NOTE = re.compile(r"^[※＊*]?(?P<who>.+?)(?:について|に関して)は?、?.*通訳")


def _mark_interpreted(turns: list[Turn], registry: Registry) -> None:
    """Turns of the speakers a Japanese note names as interpreted become interpreted turns.

    A speaker named only for "一部" (part) of their words (河野外務大臣の一部英語による発言)
    keeps original turns: which part is not said.
    """
    notes = [s.text for t in turns if t.language == "ja" for s in t.sentences if "通訳" in s.text]
    named: set[str] = set()
    for note in notes:
        match = _INTERPRETED_NOTE.match(note.strip())
        if not match:
            continue
        for part in re.split(r"及び|並びに|、|と(?=[^の]*の発言)", match.group("who")):
            if "一部" in part:
                continue
            name = re.sub(r"の(?:一部)?(?:英語による)?発言.*$", "", part).strip()
            if name and (speaker := registry.resolve(name, "ja")):
                named.add(speaker)
    for turn in turns:
        if turn.kind == "speech" and turn.speaker in named:
            turn.via_interpreter = True


def _demote_name_lists(text: str, labelled: list) -> list:
    """A run of bare "name + title" lines is a signatory list, not a series of speakers."""
    bare = [bool(label) and label[1] >= e - s for s, e, label in labelled]
    out = []
    for k, (s, e, label) in enumerate(labelled):
        neighbour = (k > 0 and bare[k - 1]) or (k + 1 < len(bare) and bare[k + 1])
        out.append((s, e, None if bare[k] and neighbour else label))
    return out


def _build_blocks(text, labelled, language, registry) -> list[_Block]:
    blocks: list[_Block] = []
    current: _Block | None = None
    for start, end, label in labelled:
        line = text[start:end]
        if label is not None:
            printed, offset = label
            via, body = _skip_mark(text, start + offset, end)
            speaker = registry.resolve(printed, language)
            current = _Block(printed.rstrip(":： "), speaker, via, "speech")
            blocks.append(current)
            if body < end:
                current.spans.append((body, end))
        elif is_heading(line, language):
            current = _Block("", None, False, "heading", [(start, end)])
            blocks.append(current)
            if speaker := _heading_speaker(line, language, registry):
                current = _Block(line.strip("【】[]［］"), speaker, False, "speech")
                blocks.append(current)
        elif current is not None and current.kind == "speech":
            via, body = _skip_mark(text, start, end)
            if via and not current.via_interpreter:  # "(Via interpreter)" mid-turn: a new turn
                current = _Block(current.label, current.speaker, True, "speech")
                blocks.append(current)
            if body < end:
                current.spans.append((body, end))
        else:
            kind = "heading" if _looks_like_title_line(line, language) else "narrative"
            if current is None or current.kind == "speech":
                current = _Block("", None, False, kind)
                blocks.append(current)
            elif kind == "narrative":
                current.kind = "narrative"
            current.spans.append((start, end))
    return [b for b in blocks if b.spans or b.kind == "speech"]


def _to_turn(index: int, block: _Block, text: str, language: str) -> Turn:
    sentences: list[Sentence] = []
    for start, end in block.spans:
        kind = _sentence_kind(block, text[start:end], language)
        for s, e in segment(text, start, end, language):
            if _STAGE_NOTE.fullmatch(text[s:e]):
                continue
            sentences.append(Sentence(f"t{index}s{len(sentences)}", text[s:e], s, e, kind))
    return Turn(
        index=index,
        speaker=block.speaker,
        label=block.label,
        language=language,
        via_interpreter=block.via_interpreter,
        kind=block.kind,  # type: ignore[arg-type]
        paragraphs=[Paragraph(s, e) for s, e in block.spans],
        sentences=sentences,
    )


def _sentence_kind(block: _Block, line: str, language: str) -> str:
    """Lines of a heading turn are headings unless their form says more (a date, chrome)."""
    kind = line_kind(line, language, speech_turn=bool(block.label))
    if block.kind == "heading" and kind == "speech":
        return "heading"
    return kind


def _heading_speaker(line: str, language: str, registry: Registry) -> str | None:
    """【岸田総理冒頭発言】: the speech after this heading is the named speaker's (Kantei)."""
    match = BRACKET_HEADING.match(line.strip())
    if language != "ja" or not match:
        return None
    name = re.sub(r"(?:冒頭)?(?:発言|挨拶|あいさつ)$", "", line.strip()[1:-1])
    if name == line.strip()[1:-1] or not re.search(_JA_TITLE + "$", name):
        return None
    return registry.resolve(name, language)
