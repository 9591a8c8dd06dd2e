"""Match keys for Japanese and English text, each key position mapped back to original offsets.

Terms and running text go through the same function, so a fold only has to be consistent,
never linguistically complete: a harmless over-fold ("promise" -> "promize") cannot create a
false match unless two real words collide.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from align.text.japanese import ChunkedTokenizer, sudachi

# Middle dots and hyphen/dash/minus forms that Japanese writes inside terms (スタンド・オフ).
JA_DROP = frozenset("・·‧∙•･‐‑‒–—―−-－﹣ \t\r\n\u3000")
LONG_VOWEL = "ー"
HALFWIDTH_VOICING = "\uff9e\uff9f"
SUDACHI_CHUNK = 4000  # SudachiPy refuses inputs over about 49 KB; split long text well below that

# Token separators in the English key; never produced by a word character.
OPEN, CLOSE = "\x01", "\x02"
HYPHENS = "-‐‑‒–"
_PART = r"(?:[^\W\d_]\.){2,}|[^\W_]+"
EN_TOKEN = re.compile(rf"(?:{_PART})(?:[{HYPHENS}](?:{_PART}))*(?:['’][sS]\b)?")


@dataclass(frozen=True)
class Keyed:
    """A match key; `starts[i]`/`ends[i]` are the original offsets behind key position i."""

    key: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, key_start: int, key_end: int) -> tuple[int, int]:
        """Original [start, end) of key[key_start:key_end]."""
        return self.starts[key_start], self.ends[key_end - 1]


# --- Japanese -------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _nfkc(cluster: str) -> str:
    return unicodedata.normalize("NFKC", cluster)


def _is_katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa"


@lru_cache(maxsize=8192)
def _folded(cluster: str) -> str:
    """One cluster's key characters: NFKC, lower case, middle dots, dashes and spaces dropped."""
    return "".join(ch for ch in _nfkc(cluster).lower() if ch not in JA_DROP)


def _nfkc_folded(text: str) -> tuple[list[str], list[int], list[int]]:
    """NFKC per character cluster, lower-cased, with middle dots, dashes and spaces dropped."""
    if not any(map(unicodedata.combining, text)) and not any(c in text for c in HALFWIDTH_VOICING):
        folds = [_folded(ch) for ch in text]  # every cluster one character
        if max(map(len, folds), default=0) <= 1:  # none widened (㈱ -> (株)): one to one
            kept = [i for i, f in enumerate(folds) if f]
            return [folds[i] for i in kept], kept, [i + 1 for i in kept]
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (unicodedata.combining(text[j]) or text[j] in HALFWIDTH_VOICING):
            j += 1  # keep voicing marks with their kana: ﾄﾞ -> ド
        for ch in _folded(text[i:j]):
            chars.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return chars, starts, ends


def _tokenizer() -> ChunkedTokenizer:
    """SudachiPy, loaded on first Japanese match only; one tokenizer per thread."""
    return sudachi("C", ("normalized_form",))


def _sudachi_normalize(
    chars: list[str], starts: list[int], ends: list[int]
) -> tuple[list[str], list[int], list[int]]:
    """Replace each morpheme by its normalized form (取組 -> 取り組み); offsets follow.

    Morphemes tile the text, so the stretch between two changed ones is copied in one go.
    """
    out_c: list[str] = []
    out_s: list[int] = []
    out_e: list[int] = []
    tokenizer = _tokenizer()
    for base in range(0, len(chars), SUDACHI_CHUNK):
        chunk = "".join(chars[base : base + SUDACHI_CHUNK])
        kept = base  # chars[kept:] not yet copied
        for morpheme in tokenizer.tokenize(chunk):
            norm = morpheme.normalized_form()
            if norm == morpheme.surface():
                continue
            b, e = base + morpheme.begin(), base + morpheme.end()
            if b == e:
                continue
            out_c.extend(chars[kept:b])
            out_s.extend(starts[kept:b])
            out_e.extend(ends[kept:b])
            out_c.extend(norm)
            out_s.extend([starts[b]] * len(norm))
            out_e.extend([ends[e - 1]] * len(norm))
            kept = e
        end = base + len(chunk)
        out_c.extend(chars[kept:end])
        out_s.extend(starts[kept:end])
        out_e.extend(ends[kept:end])
    return out_c, out_s, out_e


def _drop_final_long_vowels(
    chars: list[str], starts: list[int], ends: list[int]
) -> tuple[list[str], list[int], list[int]]:
    """セキュリティー = セキュリティ: drop ー that ends a katakana word."""
    if LONG_VOWEL not in chars:
        return chars, starts, ends
    keep = [
        not (
            ch == LONG_VOWEL
            and i > 0
            and _is_katakana(chars[i - 1])
            and (i + 1 == len(chars) or not _is_katakana(chars[i + 1]))
        )
        for i, ch in enumerate(chars)
    ]
    return (
        [c for c, k in zip(chars, keep, strict=True) if k],
        [s for s, k in zip(starts, keep, strict=True) if k],
        [e for e, k in zip(ends, keep, strict=True) if k],
    )


def japanese_keyed(text: str, okurigana: bool = True) -> Keyed:
    """The Japanese match key of `text` with its offset map."""
    chars, starts, ends = _nfkc_folded(text)
    if okurigana and chars:
        chars, starts, ends = _sudachi_normalize(chars, starts, ends)
    chars, starts, ends = _drop_final_long_vowels(chars, starts, ends)
    return Keyed("".join(chars), tuple(starts), tuple(ends))


def japanese_key(text: str) -> str:
    return japanese_keyed(text).key


# --- English --------------------------------------------------------------------------------

# British -> American forms. Hand-written because the one library for it (breame) is
# unmaintained; the termbase needs only these word families, and the same table applies to
# terms and text, so a missing entry only costs a match, never a false one.
_SPELLING_TABLE = """
    defence:defense offence:offense licence:license pretence:pretense programme:program
    programmes:programs grey:gray centre:center centres:centers dialogue:dialog
    dialogues:dialogs catalogue:catalog analyse:analyze analysed:analyzed judgement:judgment
    enrolment:enrollment travelled:traveled cancelled:canceled labelled:labeled
    modelling:modeling signalled:signaled fuelled:fueled levelled:leveled
    counselling:counseling manoeuvre:maneuver manoeuvres:maneuvers aluminium:aluminum
    """
_SPELLING = dict(pair.split(":") for pair in _SPELLING_TABLE.split())
_ISE = re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$")
_OUR = re.compile(r"(?<=[a-z]{3})our(s|ed|ing|able|ably|ite|ites)?$")
_POSSESSIVE = re.compile(r"['’]s$")


def americanize(word: str) -> str:
    """Fold British spelling onto American (defence -> defense, organisation -> organization)."""
    if word in _SPELLING:
        return _SPELLING[word]
    word = _ISE.sub(r"iz\1", word)
    return _OUR.sub(r"or\1", word)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def english_token_key(token: str) -> str:
    """One token's key: NFKC, lower case, no hyphens/dots/possessive, American, stemmed."""
    word = _POSSESSIVE.sub("", _nfkc(token).lower())
    word = re.sub(rf"[{HYPHENS}.]", "", word)  # hyphen first: literal in the class
    return _stemmer().stemWord(americanize(word))


# Articles and possessive determiners carry no term meaning: "the deterrence and the response
# capabilities" and "our deterrence and response capabilities" are the termbase's "deterrence
# and response capabilities". Dropped from terms and text alike, so a match may skip them; one
# after punctuation is kept, since a hesitation ("deterrence - the power") is another form.
LIGHT_WORDS = frozenset(["the", "a", "an", "our", "its", "their", "his", "her", "your", "my"])


def english_keyed(text: str) -> Keyed:
    """Tokens wrapped in OPEN/CLOSE so matches can only start and end on token boundaries
    (light words such as articles are left out, see LIGHT_WORDS)."""
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    previous = 0
    for match in EN_TOKEN.finditer(text):
        light, pieces = _token_pieces(match.group())
        gap, previous = text[previous : match.start()], match.end()
        if light and not gap.strip():  # after a dash ("deterrence - the power") it is kept
            continue
        base = match.start()
        for start, end, wrapped in pieces:
            parts.append(wrapped)
            starts.extend([base + start] * len(wrapped))
            ends.extend([base + end] * len(wrapped))
    return Keyed("".join(parts), tuple(starts), tuple(ends))


@lru_cache(maxsize=65536)
def _token_pieces(token: str) -> tuple[bool, tuple[tuple[int, int, str], ...]]:
    """Whether a text token is a light word, and its parts' spans and wrapped keys (cached:
    running text repeats its words)."""
    pieces = ((a, b, OPEN + english_token_key(token[a:b]) + CLOSE) for a, b in _name_parts(token))
    return token.lower() in LIGHT_WORDS, tuple(pieces)


_NAME_JOIN = re.compile(rf"[{HYPHENS}](?=[A-Z])")


def _name_parts(token: str) -> list[tuple[int, int]]:
    """A compound of capitalised names ("SDF-U.S.", "Japan-U.S.") as its parts, else whole.

    Terms keep their hyphen-split variant (english_variants), so splitting such text tokens
    never loses a match, and the parts (SDF) can match on their own.
    """
    if not token[:1].isupper() or not _NAME_JOIN.search(token):
        return [(0, len(token))]
    out, start = [], 0
    for join in _NAME_JOIN.finditer(token):
        out.append((start, join.start()))
        start = join.end()
    return [*out, (start, len(token))]


def token_keys(token: str) -> list[str]:
    """The wrapped keys of one EN_TOKEN token's pieces, as english_keyed puts them in a key
    (a light word's too): Matcher's prefilter reads them without building an offset map."""
    return [wrapped for *_, wrapped in _token_pieces(token)[1]]


def english_key(text: str) -> str:
    return english_keyed(text).key


def english_variants(term: str) -> list[str]:
    """Keys of a term and of its hyphen-split form (stand-off = standoff = stand off)."""
    split = re.sub(rf"(?<=\w)[{HYPHENS}](?=\w)", " ", term)
    return list(dict.fromkeys(k for k in (english_key(term), english_key(split)) if k))
