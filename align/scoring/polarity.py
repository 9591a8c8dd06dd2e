"""Meaning reversal: a negation on one side only, or an English antonym of what the Japanese says.

Sentence embeddings barely move when "will visit" becomes "will not visit", so reversals are
found explicitly. Japanese negation is read from SudachiPy morphology, not from strings: a
negative auxiliary (ない, ぬ/ん, ず) or the negative adjective ない, unless its construction
makes the clause positive. Those constructions are classes, each found by part of speech:

- double negation, i.e. obligation and necessity: a negative condition (仮定形 なけれ/ね/なきゃ,
  or ない followed by と/て) judged by a negated evaluative verb (なる, いける, 得る, 済む):
  しなければならない "must", しないといけない, せざるを得ない "cannot but";
- emphatic excess: a negated 過ぎる or 越す (強調してもし過ぎることはない "cannot be overstated");
- adverbial なく after a noun or a bare と (幾度となく "countless times", 絶え間なく), and ない
  directly after a noun or adverb, forming a compound adjective (間違いない, 勿体ない, かつてない);
- "not only" and "only": ない after だけ/ばかり/のみ/しか (それだけではない, しかない);
- a negative question, which is a request, an invitation or a rhetorical question
  (いただけませんか, できないか, 気まずくならない？ "that could be awkward, right?");
- a tag after a predicate: じゃない/ではない after a verb, an adjective or た (よかったじゃない
  "that's great, isn't it"), unlike じゃない after a noun ("is not");
- the few verbs and nouns whose negative form is a word of its own (欠かせない
  "indispensable", すみません and 申し訳ありません/ございません "sorry", かもしれない "may",
  仕方ない, 構いません "it's fine").

A prohibition (終助詞 な after a verb's plain form: 心配するな "don't worry") is a negation.

いいえ/いや count as negations (they answer "No"). English negation is counted by words, with
fixed phrases ("not only", "no doubt", "no worries", the litotes "not bad"),
negative questions and tags ("…, aren't they?", "Don't you…?", "Why don't you…", "why not")
and the emphatic "cannot be overstated" class masked first. A Japanese negation rendered by an
English word with a negative affix (前例のない "unprecedented", 疲れ知らず "tireless",
価値はなくなる "worthless", "miscommunication") is rendered, not reversed. Antonyms use a small
bilingual lexicon of polarity axes (strengthen/weaken, support/oppose, continue/end …): an
English word at one pole is a reversal when the Japanese holds the other pole and nothing of
the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from align.text.japanese import ChunkedTokenizer, sudachi

NEGATIVE_LEMMAS = {"ない", "無い", "ぬ", "ず", "ん"}
NEGATIVE_INTERJECTIONS = {"いいえ", "いえ", "いや"}
ABSENCE_NOUNS = {"なし", "無し"}
CEASING = {"なくなる", "無くなる"}  # ではなくなる "will no longer be" (after では/じゃ only)
EVALUATIVE = {"なる", "いける", "得る", "済む", "駄目", "だめ"}  # judge a negative condition
EXCESS = {"過ぎる", "すぎる", "越す"}  # negated: "cannot be overdone", i.e. emphatic
LIMITING = {"だけ", "ばかり", "のみ", "しか"}  # ない after these: "not only" / "only"
LEXICALISED_NOUNS = {"申し訳", "仕方", "仕様"}  # 申し訳ありません "sorry", 仕方ない "no choice"
LEXICALISED = {
    "欠かせる",
    "欠く",
    "済む",
    "すむ",
    "知れる",
    "しれる",
    "止む",
    "やむ",
    "惜しむ",
    "堪る",
    "たまる",
    "構う",
}
EXISTENCE = {"ます", "ある", "ござる", "が", "は", "も"}  # between 申し訳 and its negation
_BRIDGE = {"ば", "と", "て", "は", "も", "を", "ちゃ", "じゃ", "で"}  # particles inside the class
_FINAL = {"か", "な", "ね", "よ", "の", "さ", "わ"}  # sentence-final particles
_EN_FIXED = re.compile(
    r"\b(?:not only|not least|whether or not|if not|nothing but|no doubt|no less than|"
    r"not to mention|cannot but|can not but|second to none|no worries|no problem|never mind|"
    r"no way|oh no|yes and no|no wonder|not a problem|or not|not bad|not too bad|why not)\b"
    r"|\bwhy (?:do|does)n['’]t (?:you|we)\b"
    r"|(?:^|(?<=[.!?])\s+|(?<=,)\s*)(?:(?:oh|so|well|but|and|then),?\s+)?(?:why\s+)?"
    r"(?:do|does|did|is|are|was|were|can|could|would|wo|will|should|have|has|had|ca|shall)"
    r"n['’]t\b(?=[^.!?]*\?)"
    r"|,\s*(?:is|are|do|does|did|ca|could|wo|would|have|has|was|were|should)n['’]t"
    r"\s+(?:it|they|you|we|he|she|i|there|that)\s*\?"
    r"|\b(?:cannot|can['’]t|can not|could not|couldn['’]t|never)\s+(?:\w+\s+){0,3}?"
    r"(?:over\w+|enough|too (?:much|highly|strongly|often))\b",
    re.IGNORECASE,
)
_EN_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|neither|none|nobody|nothing|cannot|without|no longer)\b|n['’]t\b",
    re.IGNORECASE,
)


def _tokenizer() -> ChunkedTokenizer:
    """SudachiPy in its longest split ((lexicalised words stay whole); loaded on first use."""
    return sudachi("C")


class _Morph(NamedTuple):
    """One morpheme's fields that the rules read (a tuple: built for every morpheme)."""

    surface: str
    lemma: str
    pos: tuple[str, ...]
    start: int

    @property
    def negative(self) -> bool:
        if self.lemma in ABSENCE_NOUNS and self.pos[0] == "名詞":
            return True  # 予告なし "without notice", 問題なし "no problem"
        if self.lemma not in NEGATIVE_LEMMAS:
            return False
        return self.pos[0] == "助動詞" or (self.pos[0] == "形容詞" and self.pos[1] == "非自立可能")


def _morphs(text: str) -> list[_Morph]:
    return [
        _Morph(m.surface(), m.dictionary_form(), tuple(m.part_of_speech()), m.begin())
        for m in _tokenizer().tokenize(text)
    ]


def _after_bridge(morphs: list[_Morph], i: int) -> int:
    """Index of the first morpheme after i that is not a particle of the construction."""
    j = i + 1
    while j < len(morphs) and morphs[j].pos[0] == "助詞" and morphs[j].lemma in _BRIDGE:
        j += 1
    return j


def _double_negation(morphs: list[_Morph], i: int) -> int | None:
    """Index of the negation that judges negation i (obligation, necessity), if any."""
    j = _after_bridge(morphs, i)
    if j < len(morphs) and morphs[j].lemma in EVALUATIVE:
        k = j + 1
        while k < len(morphs) and morphs[k].lemma in {"ます", "れる", "られる"}:
            k += 1
        if k < len(morphs) and morphs[k].negative:
            return k
    return None


def _previous(morphs: list[_Morph], i: int, skip: set[str]) -> int:
    """Index of the nearest morpheme before i whose lemma is not in `skip` (-1: none)."""
    j = i - 1
    while j >= 0 and morphs[j].lemma in skip:
        j -= 1
    return j


def _limited(morphs: list[_Morph], i: int) -> bool:
    """ない after だけ/しか… with only particles or the copula between ("not only", "only")."""
    j = i - 1
    while j >= 0 and (morphs[j].pos[0] == "助詞" or morphs[j].lemma == "だ"):
        if morphs[j].lemma in LIMITING:
            return True
        j -= 1
    return False


def _elliptical_obligation(morphs: list[_Morph], i: int) -> bool:
    """しないと。 / 行かなきゃ。: a negative condition whose judging verb is left unsaid."""
    j = _after_bridge(morphs, i)
    bridge = {m.lemma for m in morphs[i + 1 : j]}
    k = j
    while k < len(morphs) and morphs[k].pos[0] == "助詞" and morphs[k].lemma in _FINAL:
        k += 1  # 行かないとかな？: sentence-final particles after the condition
    ends = k >= len(morphs) or morphs[k].pos[1] == "句点"
    if morphs[i].pos[5] == "仮定形-融合":  # なきゃ, なくちゃ: colloquial "have to" on its own
        return True
    conditional = morphs[i].pos[5].startswith("仮定形") or bridge & {"と", "ば", "ちゃ"}
    return ends and bool(conditional) and not bridge - {"と", "ば", "ちゃ", "ね", "よ"}


def _positive_construction(morphs: list[_Morph], i: int) -> bool:
    """Whether negation i belongs to a construction that does not negate the clause."""
    j = _previous(morphs, i, {"ます", "れる", "られる", "せる", "させる"})
    before = morphs[j] if j >= 0 else None
    window = morphs[max(0, i - 4) : i]
    if any(m.lemma in EXCESS for m in window):
        return True
    if before is not None and before.lemma in LEXICALISED:
        return True
    k = _previous(morphs, i, EXISTENCE)
    if k >= 0 and morphs[k].lemma in LEXICALISED_NOUNS:
        return True
    if morphs[i].pos[0] == "形容詞" and i and j == i - 1 and before is not None:
        if before.pos[0] in ("名詞", "副詞") and before.lemma != "こと":
            return True
        if before.lemma == "と" and morphs[i].surface == "なく":
            return True
    if _limited(morphs, i) or _elliptical_obligation(morphs, i) or _tag(morphs, i):
        return True
    following = morphs[i + 1 : i + 4]
    for k, m in enumerate(following):
        if m.lemma == "か" and m.pos[0] == "助詞":
            return following[k + 1 : k + 2] == [] or following[k + 1].lemma != "も"
        if m.lemma == "?" and m.pos[1] == "句点":  # 気まずくならない？: a question, not a denial
            return all(x.lemma in {"の", "ん"} for x in following[:k])  # not よね？ (a tag)
        if m.pos[0] not in ("助動詞", "助詞") or m.lemma in {"が", "を", "に", "は", "と", "て"}:
            return False
    return False


def _tag(morphs: list[_Morph], i: int) -> bool:
    """じゃない/ではない after a predicate (verb, adjective, た), not after a noun: a tag; and
    じゃないと/でないと opening a sentence or clause: the conjunction "otherwise"."""
    if morphs[i].pos[0] != "形容詞" or i < 1 or morphs[i - 1].lemma not in {"だ", "で", "じゃ"}:
        return False
    opening = i == 1 or morphs[i - 2].pos[0] == "補助記号"
    if opening and i + 1 < len(morphs) and morphs[i + 1].lemma == "と":
        return True
    if i < 2:
        return False
    k = i - 2
    while k >= 0 and morphs[k].pos[0] == "助詞" and morphs[k].lemma == "は":
        k -= 1
    before = morphs[k] if k >= 0 else None
    return before is not None and (before.lemma == "た" or before.pos[0] in ("動詞", "形容詞"))


def _prohibition(morphs: list[_Morph], i: int) -> bool:
    """終助詞 な right after a verb's plain form: 心配するな "don't worry", 行くな."""
    morph = morphs[i]
    if morph.surface != "な" or morph.pos[:2] != ("助詞", "終助詞") or not i:
        return False
    before = morphs[i - 1]
    return before.pos[0] == "動詞" and before.pos[5].startswith("終止形")


def ja_negations(text: str) -> list[str]:
    """Grammatical negations of Japanese clauses, read from morphology (see the docstring)."""
    morphs = _morphs(text)
    cancelled: set[int] = set()
    found = []
    for i, morph in enumerate(morphs):
        if morph.pos[0] == "感動詞" and morph.lemma in NEGATIVE_INTERJECTIONS:
            found.append(morph.surface)
            continue
        if _prohibition(morphs, i):
            found.append(text[morphs[i - 1].start : morph.start + len(morph.surface)])
            continue
        if morph.lemma in CEASING and i and morphs[i - 1].lemma in {"は", "じゃ", "で"}:
            found.append(text[morphs[i - 1].start : morph.start + len(morph.surface)])
            continue
        if not morph.negative or i in cancelled:
            continue
        judge = _double_negation(morphs, i)
        if judge is not None:
            cancelled.add(judge)
            continue
        if _positive_construction(morphs, i):
            continue
        start = morphs[max(0, i - 2)].start
        found.append(text[start : morph.start + len(morph.surface)])
    return found


# axis: (EN positive, EN negative, JA positive, JA negative); regexes over lower-case English.
AXES: dict[str, tuple[str, str, str, str]] = {
    "strengthen/weaken": (
        r"strengthen|enhance|reinforc|bolster|deepen|intensif|build|renew|contribut",
        r"weaken|undermin|erod|damag|impair|harm|hinder|hamper|curtail|diminish|loosen",
        r"強化|強め|深化|促進|推進|高め|向上|構築|増進|新たに|深め|貢献",
        r"弱体|弱め|弱ま|損な|損ね|阻害|妨げ|後退|毀損|揺るが|脅か|低下",
    ),
    "increase/decrease": (
        r"increas|expand|rais|grow|rise|boost|more important|greater",
        r"decreas|reduc|cut\b|shrink|lower|declin|fall|less important|fewer|smaller",
        r"増|拡大|拡充|引き上げ|高ま|上昇|伸び|一層",
        r"減|縮小|削減|引き下げ|低下|下落|軽減",
    ),
    "support/oppose": (
        r"support|endors|welcom|back\b|favou?r|agree|concur|accept|approv|prais|condolence"
        r"|gratitude|appreciat",
        r"oppos|reject|condemn|criticiz|criticis|disagree|object|refus|declin|deny|denounc",
        r"支持|歓迎|賛同|賛成|一致|合意|同意|受け入れ|評価|承認|哀悼|謝意|感謝",
        r"反対|拒否|拒絶|非難|批判|否定|反発|相違|対立|遺憾",
    ),
    "continue/end": (
        r"maintain|uphold|keep|preserv|continu|remain|sustain|pledg",
        r"abandon|\bend(?:s|ed|ing)?\b(?!\s+of\b)|\bstop|ceas|halt|discontinu|suspend|terminat"
        r"|withdr|no longer",
        r"維持|継続|引き続き|堅持|保持|続け|誓",
        r"放棄|終了|停止|中止|中断|撤回|撤退|廃止|やめ|打ち切",
    ),
    "improve/worsen": (
        r"improv|better",
        r"worsen|deteriorat|aggravat|harsh",
        r"改善|向上",
        r"悪化|厳し",
    ),
    "succeed/fail": (
        r"succe|achiev|realiz|progress",
        r"\bfail|stall|setback",
        r"成功|達成|実現|進捗|前進",
        r"失敗|頓挫|停滞",
    ),
    "important/unimportant": (
        r"important|significan|meaningful|vital|essential|indispensable|crucial|priorit",
        r"unimportant|insignifican|meaningless|little significance|irrelevant|less important"
        r"|trivial|negligible",
        r"重要|意義|有意義|不可欠|重視|大切|肝要",
        r"無意味|重要ではな|意義がな",
    ),
    "prevent/provoke": (
        r"prevent|deter|avoid|avert",
        r"provok|caus|trigger|incit|escalat",
        r"防|未然|抑止|回避",
        r"引き起こ|誘発|挑発|招",
    ),
    "address/ignore": (
        r"address|tackl|deal with|focus|attend to|cooperat|coordinat",
        r"ignor|neglect|disregard|overlook",
        r"対処|取り組|取組|焦点|注力|連携|協力",
        r"無視|軽視|看過|放置",
    ),
    "engage/refrain": (
        r"engag|participat|attend|visit|hold|held|shake|discuss",
        r"refrain|skip|boycott|cancel|postpon|declin|refus",
        r"参加|出席|訪問|開催|展開|実施|臨|握手|議論|会談",
        r"欠席|見送|延期|控え|取りやめ",
    ),
}


@dataclass
class PolarityCheck:
    """Negation counts on both sides and the antonym reversals found."""

    ja_negations: list[str] = field(default_factory=list)
    en_negations: list[str] = field(default_factory=list)
    reversals: list[str] = field(default_factory=list)  # one reason per reversed axis
    en_affixed: list[str] = field(default_factory=list)  # unprecedented, worthless …

    @property
    def negation_mismatch(self) -> bool:
        if self.ja_negations and not self.en_negations and self.en_affixed:
            return False  # the Japanese negation rendered by a negative word
        return bool(self.ja_negations) != bool(self.en_negations)

    @property
    def flagged(self) -> bool:
        return self.negation_mismatch or bool(self.reversals)

    def reasons(self) -> list[str]:
        lines = list(self.reversals)
        if self.negation_mismatch and self.en_negations:
            lines.append(f'EN negation "{self.en_negations[0]}" has no negation in the JA')
        elif self.negation_mismatch:
            lines.append(f"JA negation 「{self.ja_negations[0]}」 is not negated in the EN")
        return lines


# English words whose affix negates their stem: un- (not uni-, under-, until), non-, mis- (not
# miss-, mist-, mise-, misc-), -less (three letters or more before it: not "unless", "bless").
_EN_AFFIX_NEGATIVE = re.compile(
    r"\b(?:un(?!i|der|til|less)[a-z]{4,}|non-?[a-z]{3,}|mis(?![steh])[a-z]{4,}|[a-z]{3,}less)\b",
    re.IGNORECASE,
)


def en_affix_negations(text: str) -> list[str]:
    """English words with a negative affix (unprecedented, worthless, miscommunication)."""
    return [m.group() for m in _EN_AFFIX_NEGATIVE.finditer(text)]


def en_negations(text: str) -> list[str]:
    """Grammatical negations in English (fixed phrases such as "not only" masked first)."""
    if not _EN_NEGATION.search(text):
        # Exact shortcut (most texts): masking only turns characters into "_", a word
        # character the pattern never holds, so it can remove a negation but never create one.
        return []
    masked = _EN_FIXED.sub(lambda m: "_" * len(m.group()), text)
    return [m.group() for m in _EN_NEGATION.finditer(masked)]


# Compiled poles, and both Japanese poles in one pattern: an axis the Japanese does not touch
# cannot be reversed, so one search rules it out.
_AXES = {
    axis: (*map(re.compile, poles), re.compile(f"(?:{poles[2]})|(?:{poles[3]})"))
    for axis, poles in AXES.items()
}


def _initials(poles: list[str]) -> re.Pattern[str] | None:
    """The characters the Japanese poles' words start with, as one class; None where a pole
    is more than plain words (then no shortcut)."""
    words = [word for pole in poles for word in pole.split("|")]
    if not all(words) or any(re.escape(word) != word for word in words):
        return None
    return re.compile("[" + "".join(sorted({word[0] for word in words})) + "]")


# A match of an axis's Japanese poles starts with one of their words' first characters, so a
# text holding none of them touches no axis (most texts): one class search rules all out.
_JA_INITIALS = _initials([pole for poles in AXES.values() for pole in poles[2:]])


def _find(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group() if match else None


def reversals(ja: str, en: str) -> list[str]:
    """Reasons for every polarity axis the English reverses."""
    if _JA_INITIALS is not None and not _JA_INITIALS.search(ja):
        return []
    lower = en.lower()
    found = []
    for axis, (en_pos, en_neg, ja_pos, ja_neg, ja_either) in _AXES.items():
        if not ja_either.search(ja):
            continue
        en_n, ja_p = _find(en_neg, lower), _find(ja_pos, ja)
        if en_n and ja_p and not _find(ja_neg, ja):
            found.append(f'EN "{en_n}…" reverses JA 「{ja_p}」 ({axis})')
            continue
        ja_n, en_p = _find(ja_neg, ja), _find(en_pos, lower)
        if ja_n and en_p and not ja_p and not en_n:
            found.append(f'EN "{en_p}…" reverses JA 「{ja_n}」 ({axis})')
    return found


def check_polarity(ja: str, en: str) -> PolarityCheck:
    """Negation on one side only, and antonym reversals, between a segment and its rendering."""
    return PolarityCheck(
        ja_negations(ja), en_negations(en), reversals(ja, en), en_affix_negations(en)
    )
