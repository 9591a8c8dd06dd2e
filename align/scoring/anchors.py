"""Lexical anchors: Japanese words that any faithful English keeps in a recognisable form.

Clause embeddings are noisy on short clauses; names are not. An anchor is a Latin-script word
(SCC, ASEAN, G7), a katakana word (ブリンケン, カンボジア, パッケージ) or a kanji personal or place
name (岸田, 広島), found by SudachiPy; kana are romanised with pykakasi and compared with every
English word by sound (a light Hepburn-to-English spelling fold, then difflib's ratio). A
number of the Japanese with no counterpart in the English and no changed value standing in for
it (text/numbers.py) is an anchor too. Anchors inside Japanese brackets （…） are editorial
notes that translations leave out, and kanji ocean/region names (太平洋, 中東) have English
exonyms that no romanisation finds, so neither counts. A missing anchor is evidence that the
clause holding it was dropped; the composite's omission model weighs it with the clause
similarities.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from typing import Any

from align.text.japanese import ChunkedTokenizer, sudachi
from align.text.numbers import NumberCheck

LATIN, KATAKANA, NAME, NUMBER = "latin", "katakana", "name", "number"
SOUND_MATCH = 0.7  # difflib ratio of folded spellings; unrelated word pairs stay below ~0.62
MIN_KANA = 3  # shorter katakana words (ビザ, テロ) are too easily matched by chance
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.&][A-Za-z0-9]+)*")
_KANA_WORD = re.compile(r"[ァ-ヺー・]+")
_KANJI = re.compile(r"[\u4e00-\u9fff々]")
_EXONYM_SUFFIX = re.compile(r"[洋海州東]$")  # 太平洋, 南シナ海, 欧州, 中東: English exonyms
_BRACKETS = re.compile(r"[（(][^（()）]*[)）]")
_VOWEL = "aeiou"
_NOT_LETTER = re.compile(r"[^a-z]")
_DOUBLE = re.compile(r"(.)\1")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_KANA_PART = re.compile(r"[^・]+")


@dataclass(frozen=True)
class Anchor:
    """One anchor of the Japanese and whether the English keeps it."""

    text: str
    start: int
    end: int
    kind: str
    found: bool
    loanword: bool = False  # a dictionary katakana common noun (タバコ): English may say "smoke"
    sound: str = ""  # the romanised reading it was sought by (katakana words and names)


def _tokenizer() -> ChunkedTokenizer:
    """SudachiPy in its shortest split, so 能登半島地震 yields the name 能登 (loaded once)."""
    return sudachi("A")


class _KanjiOnDemand:
    """pykakasi's kanji converter, built when a kanji is first met: its dictionaries take
    0.6 s to unpickle, a cost every process paid though romaji() is only given kana."""

    def __init__(self) -> None:
        self._converter: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._converter is None:
            from pykakasi.kanji import JConv

            self._converter = JConv()
        return getattr(self._converter, name)


@functools.lru_cache(maxsize=1)
def _kakasi() -> Any:
    """pykakasi's converter; its kana and symbol tables are built now, kanji ones on demand."""
    from pykakasi.kakasi import Kakasi
    from pykakasi.scripts import IConv

    converter = Kakasi.__new__(Kakasi)  # Kakasi() would load the kanji dictionaries at once
    converter._iconv, converter._jconv = IConv(), _KanjiOnDemand()
    return converter


@functools.lru_cache(maxsize=16384)
def romaji(kana: str) -> str:
    """Hepburn romanisation of katakana or hiragana."""
    return "".join(item["hepburn"] for item in _kakasi().convert(kana))


_NASAL = re.compile(r"n(?=[bpm])")
_LONG = re.compile(r"([aeiou])\1")
_EPENTHETIC = re.compile(rf"(?<=[^{_VOWEL}])[uoi]$")


@functools.lru_cache(maxsize=16384)
def fold_romaji(word: str) -> str:
    """Hepburn spelled closer to English: long vowels short, final epenthetic vowel dropped."""
    word = _NOT_LETTER.sub("", word.lower())
    word = _NASAL.sub("m", word)
    word = _LONG.sub(r"\1", word).replace("ou", "o")
    word = word.replace("shi", "si").replace("chi", "ch").replace("ji", "di").replace("fu", "hu")
    word = _EPENTHETIC.sub("", word)
    return _DOUBLE.sub(r"\1", word)


_PLURAL = re.compile(r"(?:'s|s)$")
_SOFT_C = re.compile(r"c(?=[eiy])")
_HARD_C = re.compile(r"c(?!h)")
_RHOTIC = re.compile(rf"(?<=[{_VOWEL}])r(?=[^{_VOWEL}]|$)")
_FINAL_E = re.compile(r"(?<=.)e$")


@functools.lru_cache(maxsize=65536)
def fold_english(word: str) -> str:
    """English spelled closer to katakana sound: l=r, v=b, soft c=s, non-rhotic r."""
    word = _NOT_LETTER.sub("", word.lower())
    word = _PLURAL.sub("", word) if len(word) > 3 else word
    for old, new in (("ph", "f"), ("th", "s"), ("ck", "k"), ("x", "ks"), ("qu", "kw")):
        word = word.replace(old, new)
    word = _SOFT_C.sub("s", word)
    word = _HARD_C.sub("k", word).replace("l", "r").replace("v", "b")
    word = _RHOTIC.sub("", word)
    word = word.replace("sh", "s").replace("ge", "de").replace("gi", "di")
    word = _FINAL_E.sub("", word)
    return _DOUBLE.sub(r"\1", word)


def sounds_like(kana_romaji: str, english_words: list[str]) -> bool:
    """Whether a romanised Japanese word sounds like one of the (folded) English words."""
    folded = fold_romaji(kana_romaji)
    return bool(folded) and any(_alike(folded, word) for word in english_words if word)


@functools.lru_cache(maxsize=32768)
def _alike(folded: str, word: str) -> bool:
    """difflib's ratio reaches SOUND_MATCH; its upper bounds (lengths, letters) are tried first."""
    if 2.0 * min(len(folded), len(word)) / (len(folded) + len(word)) < SOUND_MATCH:
        return False  # real_quick_ratio, without building the matcher
    matcher = difflib.SequenceMatcher(None, folded, word)
    return matcher.quick_ratio() >= SOUND_MATCH and matcher.ratio() >= SOUND_MATCH


def _english_words(en: str) -> list[str]:
    return [fold_english(w) for w in _EN_WORD.findall(en)]


def _latin_found(token: str, en: str) -> bool:
    """Case-insensitive whole-word match; dots ignored on both sides (DC = D.C.)."""
    plain = en.lower().replace(".", "")
    key = re.escape(token.lower().replace(".", ""))
    return re.search(rf"(?<![a-z0-9]){key}(?![a-z0-9])", plain) is not None


def editorial_spans(ja: str) -> list[tuple[int, int]]:
    """Spans inside round brackets: editorial notes such as 私(上川大臣) or (令和元年)."""
    return [match.span() for match in _BRACKETS.finditer(ja)]


def _masked(ja: str) -> list[bool]:
    mask = [False] * len(ja)
    for start, end in editorial_spans(ja):
        mask[start:end] = [True] * (end - start)
    return mask


def _word_anchors(ja: str, en: str, taken: list[bool]) -> list[Anchor]:
    """Katakana words and kanji personal/place names, with their sound-alike check."""
    words: list[str] = []  # folded on first use: most beads hold no word anchor
    out = []
    for morpheme in _tokenizer().tokenize(ja):
        surface = morpheme.surface()
        kana = _KANA_WORD.fullmatch(surface)
        if not kana and not _KANJI.search(surface):
            continue  # neither a katakana word nor a kanji name
        start, end = morpheme.begin(), morpheme.end()
        if any(taken[start:end]):
            continue
        pos = morpheme.part_of_speech()
        if kana:
            for part in _KANA_PART.finditer(surface):
                if len(part.group()) >= MIN_KANA:
                    words = words or _english_words(en)
                    sound = romaji(part.group())
                    a, b = start + part.start(), start + part.end()
                    common = pos[1] == "普通名詞" and not morpheme.is_oov()  # ブリンケン is OOV
                    found = sounds_like(sound, words)
                    out.append(Anchor(part.group(), a, b, KATAKANA, found, common, sound))
        elif _is_name(pos, surface):
            words = words or _english_words(en)
            sound = romaji(morpheme.reading_form())  # the name's reading, not its kanji
            out.append(Anchor(surface, start, end, NAME, sounds_like(sound, words), sound=sound))
    return out


def _is_name(pos: tuple[str, ...], surface: str) -> bool:
    """A kanji personal name, or a place name that is neither a country nor an exonym."""
    if pos[1] != "固有名詞" or not _KANJI.search(surface):
        return False
    return pos[2] == "人名" or (pos[2:4] == ("地名", "一般") and not _EXONYM_SUFFIX.search(surface))


def _number_anchors(numbers: NumberCheck | None) -> list[Anchor]:
    """JA numbers with no English counterpart and no changed value of their kind instead."""
    if numbers is None:
        return []
    out, spare = [], list(numbers.added)
    for mention in numbers.missing:
        partner = next((m for m in spare if m.kind == mention.kind), None)
        if partner is not None:
            spare.remove(partner)  # a changed value: the number label's business
            continue
        out.append(Anchor(mention.text, mention.start, mention.end, NUMBER, False))
    return out


def find_anchors(ja: str, en: str, numbers: NumberCheck | None = None) -> list[Anchor]:
    """Every anchor of `ja`, each marked found or not in `en`, in text order."""
    if not ja.strip() or not en.strip():
        return []
    notes = _masked(ja)
    taken = list(notes)
    out = []
    for match in _LATIN.finditer(ja):
        if not any(taken[match.start() : match.end()]):
            found = _latin_found(match.group(), en)
            out.append(Anchor(match.group(), match.start(), match.end(), LATIN, found))
        taken[match.start() : match.end()] = [True] * (match.end() - match.start())
    out += _word_anchors(ja, en, taken)
    out += [a for a in _number_anchors(numbers) if not any(notes[a.start : a.end])]
    return sorted(out, key=lambda a: a.start)


def renders(anchor: Anchor, en: str) -> bool:
    """Whether this stretch of English holds the anchor (its Latin form, or a sound-alike)."""
    if anchor.kind == LATIN:
        return _latin_found(anchor.text, en)
    return sounds_like(anchor.sound or romaji(anchor.text), _english_words(en))
