"""Who is speaking: the shipped registry of officials, and romanisation for everyone else.

A label such as `FOREIGN MINISTER KAMIKAWA`, `【上川外務大臣】` or `Ms. KAMIKAWA Yoko, Minister for
Foreign Affairs` resolves to the same id (`kamikawa`), so turns match across languages.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from align.data import shipped
from align.errors import InputError

DEFAULT_REGISTRY = shipped("speakers.yaml")

# Longest first, so 内閣総理大臣 is stripped before 大臣.
JA_TITLES = sorted(
    [
        "内閣総理大臣",
        "総理大臣",
        "内閣官房長官",
        "官房長官",
        "外務大臣",
        "防衛大臣",
        "国務長官",
        "国防長官",
        "長官代行",
        "国務副長官",
        "国防副長官",
        "副大臣",
        "政務官",
        "報道官",
        "事務次官",
        "大臣",
        "総理",
        "首相",
        "長官",
        "大統領",
        "副大統領",
        "大使",
        "次官",
        "議員",
        "外相",
        "防衛相",
        "代表",
        "局長",
        "審議官",
        "補佐官",
        "氏",
        "さん",
        "様",
        "米国",
        "米",
        "日本",
        "英国",
        "豪州",
        "韓国",
        "中国",
        "国",
        "外務",
        "防衛",
    ],
    key=len,
    reverse=True,
)
EN_TITLE_WORDS = {
    "FOREIGN",
    "DEFENSE",
    "DEFENCE",
    "MINISTER",
    "MINISTERS",
    "PRIME",
    "SECRETARY",
    "DEPUTY",
    "ASSISTANT",
    "UNDER",
    "ACTING",
    "PRESIDENT",
    "VICE",
    "CHIEF",
    "CABINET",
    "PRESS",
    "AMBASSADOR",
    "GENERAL",
    "ADMIRAL",
    "SPOKESPERSON",
    "SPOKESMAN",
    "STATE",
    "OF",
    "FOR",
    "AFFAIRS",
    "THE",
    "MR",
    "MS",
    "MRS",
    "DR",
    "MADAM",
    "JAPANESE",
    "U.S",
    "US",
    "AND",
    "SENIOR",
    "OFFICIAL",
    "PARLIAMENTARY",
    "VICE-MINISTER",
    "MINISTRY",
    "DEPARTMENT",
    "HONORABLE",
    "HON",
}


@dataclass
class Speaker:
    """A registry entry: one person (or a generic role such as the moderator)."""

    id: str
    country: str
    names: dict[str, str]
    family: dict[str, str]
    role: str
    titles: list[dict[str, str]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


def _fold_long_vowels(romaji: str) -> str:
    """Official romanisation drops long-vowel marks: Kouno → Kono, Ooshima → Oshima."""
    return re.sub(r"ou|oo", "o", re.sub(r"uu", "u", romaji))


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


@lru_cache(maxsize=4096)
def romanise(japanese: str) -> str:
    """Hepburn romanisation of a Japanese name, lower case, long vowels folded."""
    parts = [item["hepburn"] for item in _kakasi().convert(japanese) if item["hepburn"].strip()]
    return _fold_long_vowels(re.sub(r"[^a-z]", "", "".join(parts).lower()))


# Japanese honorifics kept in English renderings of names: "AIKAWA-SAN" is the speaker aikawa.
_EN_HONORIFIC = re.compile(r"-(?:san|sama|kun|chan|sensei|shi)$")
_EN_HONORIFIC_WORDS = {"san", "sama", "kun", "chan", "sensei"}  # "MIYAJIMA SAN" is miyajima


def strip_ja_titles(label: str) -> str:
    """The name part of a Japanese label: 林外務大臣 → 林, ポンペオ米国務長官 → ポンペオ."""
    name = unicodedata.normalize("NFKC", label).strip("【】（）()○〇◯：: 　")
    changed = True
    while changed and name:
        changed = False
        for title in JA_TITLES:
            if name.endswith(title) and len(name) > len(title):
                name, changed = name[: -len(title)], True
            elif name.startswith(title) and len(name) > len(title):
                name, changed = name[len(title) :], True
    return name.strip("・ 　")


class Registry:
    """Speakers by id, with lookups from printed labels in English or Japanese."""

    def __init__(self, speakers: list[Speaker]) -> None:
        self.speakers = {s.id: s for s in speakers}

    @classmethod
    def load(cls, path: Path | str = DEFAULT_REGISTRY) -> Registry:
        """Read the YAML registry; a malformed file is an input error naming it."""
        path = Path(path)
        try:
            entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            return cls([Speaker(**entry) for entry in entries])
        except FileNotFoundError:
            raise InputError("speaker registry not found", path) from None
        except (yaml.YAMLError, TypeError) as error:
            raise InputError(f"malformed speaker registry: {error}".splitlines()[0], path) from None

    def _by_alias(self, label: str) -> str | None:
        wanted = label.upper().strip(" .:")
        for speaker in self.speakers.values():
            if any(wanted == alias.upper() for alias in speaker.aliases):
                return speaker.id
        return None

    def resolve(self, label: str, language: str) -> str | None:
        """Speaker id for a printed label; romanised name when not in the registry."""
        label = unicodedata.normalize("NFKC", label).strip()
        if not label:
            return None
        if found := self._by_alias(label):
            return found
        return self._resolve_ja(label) if language == "ja" else self._resolve_en(label)

    def _resolve_ja(self, label: str) -> str | None:
        name = strip_ja_titles(label)
        if found := self._by_alias(name):
            return found
        matches = [s for s in self.speakers.values() if s.family.get("ja", "\0") in name]
        if matches:
            return max(matches, key=lambda s: len(s.family["ja"])).id
        if re.fullmatch(r"[\u30a0-\u30ff・]+", name):  # katakana: a foreign name
            family = name.split("・")[-1]
            matches = [s for s in self.speakers.values() if s.family.get("ja") == family]
            return matches[0].id if matches else romanise(family) or None
        return romanise(name) or None

    def _resolve_en(self, label: str) -> str | None:
        words = re.findall(r"[A-Za-z][A-Za-z'.-]*", label.split(",")[0])
        bare = [w.strip(".").upper() for w in words]
        for speaker in self.speakers.values():
            family = speaker.family.get("en", "").upper()
            if family and family in bare:
                return speaker.id
        name_words = [
            w for w, b in zip(words, bare, strict=True)
            if b not in EN_TITLE_WORDS and b.lower() not in _EN_HONORIFIC_WORDS
        ]  # fmt: skip
        capitals = [w for w in name_words if w.isupper() and len(w) > 1]
        chosen = capitals[0] if capitals and not label.isupper() else (name_words or [""])[-1]
        return _fold_long_vowels(_EN_HONORIFIC.sub("", chosen.strip(".").lower())) or None

    def names(self, speaker_id: str) -> dict[str, str]:
        """Display names of a speaker, or the id itself when unknown."""
        speaker = self.speakers.get(speaker_id)
        return speaker.names if speaker else {"en": speaker_id, "ja": speaker_id}


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry shipped in corpora/speakers.yaml, loaded once."""
    return Registry.load()
