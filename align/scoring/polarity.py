"""Meaning reversal: a negation on one side only, or an English antonym of what the Japanese says.

Sentence embeddings barely move when "will visit" becomes "will not visit", so reversals are
found explicitly. Grammatical negation is counted on both sides (lexicalised forms such as
かつてない "unprecedented", 欠かせない "indispensable", なければならない "must" and "not only"
are not negations of the clause). Antonyms use a small bilingual lexicon of polarity axes
(strengthen/weaken, support/oppose, continue/end …): an English word at one pole is a reversal
when the Japanese holds the other pole and nothing of the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_JA_FIXED = re.compile(
    r"かつてない|かつて無い|少な[いく]|危な[いく]|絶え間な[いく]|欠かせな[いく]|揺るぎな[いく]|間違いな[いく]"
    r"|違いな[いく]|限りな[いく]|他な[らり]な[いく]|な(?:け|く)ればならな[いか]|なくてはならな[いか]"
    r"|ねばならな[いか]|ざるを得な[いか]|かもしれません|かもしれな[いか]|のみならず|にもかかわらず"
    r"|にも関わらず|を問わず|に関わらず|にかかわらず|少なからず|思わず|絶えず|相変わらず|とりあえず"
    r"|取りあえず|必ず|まず|先ず|わずか|僅か|いずれ|ずつ|ならず者|過言ではな[いく]|惜しまな[いく]"
    r"|しかな[いく]|ほかな[いく]|たゆまな[いく]|余念がな[いく]|ことなく|間もなく|ほどなく|もなく"
)
_JA_NEGATION = re.compile(
    r"な(?:い|かった|く|ければ|いで)|ません|ぬ(?![けぐ])|(?<=[かがさざただなばまらわ])ず(?=[、。,にとも]|$)|できず"
)
_EN_FIXED = re.compile(
    r"\b(?:not only|not least|whether or not|if not|nothing but|no doubt|no less than|"
    r"not to mention|cannot but|can not but|second to none)\b",
    re.IGNORECASE,
)
_EN_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|neither|none|nobody|nothing|cannot|without|no longer)\b|n't\b",
    re.IGNORECASE,
)

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

    @property
    def negation_mismatch(self) -> bool:
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


def ja_negations(text: str) -> list[str]:
    """Grammatical negations in Japanese (lexicalised forms masked first)."""
    masked = _JA_FIXED.sub(lambda m: "＿" * len(m.group()), text)
    return [text[max(0, m.start() - 4) : m.end()] for m in _JA_NEGATION.finditer(masked)]


def en_negations(text: str) -> list[str]:
    """Grammatical negations in English (fixed phrases such as "not only" masked first)."""
    masked = _EN_FIXED.sub(lambda m: "_" * len(m.group()), text)
    return [m.group() for m in _EN_NEGATION.finditer(masked)]


def _find(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text)
    return match.group() if match else None


def reversals(ja: str, en: str) -> list[str]:
    """Reasons for every polarity axis the English reverses."""
    lower = en.lower()
    found = []
    for axis, (en_pos, en_neg, ja_pos, ja_neg) in AXES.items():
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
    return PolarityCheck(ja_negations(ja), en_negations(en), reversals(ja, en))
