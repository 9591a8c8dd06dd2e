"""Rebuild the drift test corpus: corpora/drift/<event>/{alignment.jsonl,run.json}, planted.yaml.

The corpus is committed; this script documents how it was made and rebuilds it after a change
to the sentences or the planted renderings. Usage: python scripts/eval_terms_drift_corpus.py
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from align.model import AlignedBead, migrate_v1
from align.rundir import write_beads

OUT = Path(__file__).resolve().parents[1] / "corpora" / "drift"
SIG = "interp-align:0.1.0|corpus:drift-test|built:by-hand"

# Japanese sentences: real ones from ../shared/sources, or adapted (marked) where no Japanese
# original of the term is available there.
JA = {
    "foip": (
        "外務省として、日米同盟の強化、「自由で開かれたインド太平洋」実現に向けた取組の更なる推進を含む"
        "同志国等との連携、周辺国・地域との外交などの戦略的アプローチを着実に実施することによって、"
        "我が国を取り巻く安全保障環境の改善に取り組んでいきます。",
        "real: ja_mofa_nss_statement_20221216.txt, paragraph 4",
    ),
    "rol": (
        "我が国が戦後最も厳しく複雑な安全保障環境に置かれる中、法の支配に基づく自由で開かれた国際秩序を"
        "維持・強化することの重要性がより一層高まっています。",
        "real: ja_mofa_nss_statement_20221216.txt, paragraph 2",
    ),
    "dr": (
        "上川大臣から、同盟国・同志国間協力が深化している旨述べ、両外相は、日米同盟の抑止力・対処力の"
        "一層の強化に向けた取組を進めていくことで一致しました。",
        "real: ja_mofa_fm_meeting_20240112.txt, item 3",
    ),
    "nss": (
        "12月16日、国家安全保障会議及び閣議において、新たな「国家安全保障戦略」が策定され、これを踏まえ、"
        "「国家防衛戦略」及び「防衛力整備計画」が決定されました。",
        "real: ja_mofa_nss_statement_20221216.txt, paragraph 1",
    ),
    "so": (
        "東西南北、それぞれ約3,000キロに及ぶ我が国領域を守り抜くため、島嶼部を含む我が国に侵攻してくる"
        "艦艇や上陸部隊等に対して脅威圏の外から対処するスタンド・オフ防衛能力を抜本的に強化する。",
        "real: ja_mod_nds_2022_sec4.txt, section 1",
    ),
    "cs": (
        "日本は、新たな戦略の下で、防衛予算の相当な増額を通じて、反撃能力を含む防衛力を抜本的に"
        "強化する決意を改めて表明した。",
        "adapted: our Japanese for the 2023-01-11 2+2 joint statement sentence "
        "(en_2p2_20230111_joint_statement.txt; no MOFA Japanese in shared/)",
    ),
    "ed": (
        "両外相は、地域の安全保障環境が一層厳しさを増す中、日米同盟の抑止力・対処力の一層の強化に向けて"
        "具体的な協力深化のための議論を継続するとともに、様々なレベルで拡大抑止の強化に向けて緊密に"
        "協議することで一致しました。",
        "real: ja_mofa_fm_meeting_20230918.txt, item 3",
    ),
    "fm": (
        "両外相は、グローバルなパートナーシップとなっている日米関係について、これを一層強化し、G7広島サミット"
        "でも確認したとおり、法の支配に基づく自由で開かれた国際秩序を維持・強化するとともに、一人一人の"
        "「人間の尊厳」が守られる世界を確保すべく、連携して取り組んでいくことで一致しました。",
        "real: ja_mofa_fm_meeting_20240112.txt, item 2",
    ),
    "det": (
        "既存の国際秩序を徹底して守り抜くため、同盟を不断に強化し、抑止力を高めていく必要があります。",
        "adapted: our reconstruction of FM Kamikawa's words behind the 2024-07-28 seed transcript",
    ),
    "jjoc": (
        "我が国は、統合作戦司令部の創設に加え、スタンド・オフ防衛能力の強化など、防衛力の強化に向けた"
        "取組を着実に進めてきました。",
        "adapted: our reconstruction of DM Kihara's words behind the 2024-07-28 seed transcript",
    ),
}

EN = {
    "foip": (
        "The Ministry of Foreign Affairs will strive to improve the security environment "
        "surrounding "
        "Japan by steadily executing the strategic approaches such as strengthening the Japan-U.S. "
        "Alliance, coordinating with like-minded countries and others including further promoting "
        'efforts in pursuit of realizing a "{x}," and engaging in diplomacy with neighboring '
        "countries and regions.",
        "official EN (en_mofa_nss_statement_20221216.txt)",
    ),
    "rol": (
        "As Japan is finding itself in the midst of the most severe and complex security "
        "environment "
        "since the end of WWII, maintaining and developing a free and open international order "
        "based "
        "on the rule of law are becoming as important as it has ever been.",
        "official EN (en_mofa_nss_statement_20221216.txt)",
    ),
    "dr": (
        "Minister Kamikawa stated that cooperation among Allies and {lm} is deepening, and the two "
        "ministers concurred on further strengthening the {x} of the Japan-U.S. Alliance.",
        "official EN (en_mofa_fm_meeting_20240112.txt)",
    ),
    "nss": (
        'Today, a new "National Security Strategy (NSS)" was formed by the National Security '
        "Council "
        '(NSC) and approved by the Cabinet. The "National Defense Strategy (NDS)" and the "Defense '
        'Buildup Program" were also adopted based on the new NSS.',
        "official EN (en_mofa_nss_statement_20221216.txt)",
    ),
    "so": (
        "To defend Japan's territory, which stretches about 3,000 km from north to south and "
        "east to "
        "west, Japan will fundamentally reinforce its {x}, which can counter vessels and landing "
        "forces "
        "invading Japan, including its remote islands, from outside the threat envelope.",
        "our rendering",
    ),
    "cs": (
        "Japan reiterated its resolve, under its new strategies, to fundamentally reinforce its "
        "defense "
        "capabilities, including {x}, through a substantial increase of its defense budget.",
        "official EN (en_2p2_20230111_joint_statement.txt)",
    ),
    "ed": (
        "The two ministers concurred that, as the regional security environment becomes "
        "increasingly "
        "severe, they will continue discussions to deepen concrete cooperation toward further "
        "strengthening the deterrence and response capabilities of the Japan-U.S. Alliance, and "
        "will "
        "consult closely at various levels toward strengthening {x}.",
        "our rendering",
    ),
    "fm": (
        "The two ministers concurred on coordinating to further strengthen Japan-U.S. relations, a "
        "global partnership, to uphold and strengthen the free and open international order, "
        "{x}, and "
        "to ensure the world where human dignity is secured.",
        "official EN (en_mofa_fm_meeting_20240112.txt), adapted",
    ),
    "det": (
        "In order to thoroughly defend the existing international order, we need to continuously "
        "strengthen our alliance and enhance the deterrence - the power.",
        "real interpretation (seed 2plus2-2024-07-28-opening.en.txt)",
    ),
    "jjoc": (
        "Japan has steadily advanced initiatives to fundamentally strengthen our defense "
        "capabilities, "
        "including establishing JJOC and strengthening standard defense capability on top of that.",
        "real interpretation (seed 2plus2-2024-07-28-opening.en.txt)",
    ),
}

FOIP_S, FOIP_P = "Free and Open Indo-Pacific Strategy", "Free and Open Indo-Pacific"
DR_P, DR_C = "deterrence and response capabilities", "deterrence and coping capabilities"
LM_P, LM_A = "like-minded countries", "like-minded partners"
CS_P, CS_D = "counterstrike capabilities", "counterattack capability"
SO_P = "stand-off defense capabilities"

# event, date, kind, speaker, [(sentence key, {placeholders}, planted?)]
EVENTS = [
    (
        "2017-11-06-summit-press",
        "interpretation",
        "abe",
        [("foip", {"x": FOIP_S}, True), ("rol", {}, False)],
    ),
    (
        "2018-10-09-fm-press",
        "translation",
        "kono",
        [("foip", {"x": FOIP_S}, True), ("dr", {"x": DR_P, "lm": LM_P}, False)],
    ),
    (
        "2019-04-19-2p2-press",
        "interpretation",
        "kono",
        [("foip", {"x": FOIP_P}, True), ("rol", {}, False)],
    ),
    (
        "2021-03-16-2p2-press",
        "interpretation",
        "motegi",
        [("dr", {"x": DR_P, "lm": LM_P}, False), ("foip", {"x": FOIP_P}, False)],
    ),
    (
        "2022-12-16-nss-statement",
        "translation",
        "hayashi",
        [
            ("nss", {}, False),
            ("rol", {}, False),
            ("foip", {"x": FOIP_P}, False),
            ("cs", {"x": CS_P}, False),
            ("so", {"x": SO_P}, False),
        ],
    ),
    (
        "2023-01-11-2p2-press",
        "interpretation",
        "hamada",
        [
            ("cs", {"x": CS_P}, False),
            ("dr", {"x": DR_C, "lm": LM_P}, True),
            ("dr", {"x": DR_P, "lm": LM_P}, False),
        ],
    ),
    (
        "2023-09-18-fm-meeting",
        "translation",
        "kamikawa",
        [("ed", {"x": "the nuclear umbrella"}, True)],
    ),
    (
        "2024-01-12-fm-meeting",
        "interpretation",
        "kamikawa",
        [
            ("fm", {"x": "a rules-based order"}, True),
            ("dr", {"x": DR_P, "lm": LM_A}, True),
            ("cs", {"x": CS_D}, True),
            ("cs", {"x": CS_P}, False),
            ("cs", {"x": CS_P}, False),
            ("dr", {"x": DR_P, "lm": LM_P}, False),
            ("rol", {}, False),
        ],
    ),
    (
        "2024-07-28-2p2-opening",
        "interpretation",
        "kihara",
        [
            ("det", {"speaker": "kamikawa"}, True),
            ("jjoc", {}, True),
            ("cs", {"x": CS_D}, True),
            ("cs", {"x": CS_D}, True),
            ("cs", {"x": CS_P}, False),
        ],
    ),
]

PLANTED = [
    (
        "free-and-open-indo-pacific",
        "2017-11-06",
        "deprecated_rendering",
        "Free and Open Indo-Pacific strategy",
        "superseded 'strategy' wording, as used before 2018",
    ),
    (
        "free-and-open-indo-pacific",
        "2019-04-19",
        "new_rendering",
        "Free and Open Indo-Pacific",
        "the preferred wording appears after the 'strategy' years",
    ),
    (
        "free-and-open-indo-pacific",
        "2019-04-19",
        "dominant_change",
        "Free and Open Indo-Pacific",
        "the 'vision' wording replaces 'strategy'",
    ),
    (
        "deterrence-and-response",
        "2023-01-11",
        "deprecated_rendering",
        "deterrence and coping capabilities",
        "literal 対処 = cope",
    ),
    (
        "extended-deterrence",
        "2023-09-18",
        "deprecated_rendering",
        "nuclear umbrella",
        "narrower concept put for 拡大抑止",
    ),
    (
        "rule-of-law",
        "2024-01-12",
        "deprecated_rendering",
        "rules-based order",
        "a different concept put for 法の支配",
    ),
    (
        "like-minded-countries",
        "2024-01-12",
        "new_rendering",
        "like-minded partners",
        "admitted variant appears",
    ),
    (
        "counterstrike-capabilities",
        "2024-01-12",
        "deprecated_rendering",
        "counterattack capability",
        "deprecated press wording appears",
    ),
    (
        "counterstrike-capabilities",
        "2024-07-28",
        "dominant_change",
        "counterattack capability",
        "deprecated wording becomes the most used",
    ),
    (
        "deterrence",
        "2024-07-28",
        "deprecated_rendering",
        "deterrence - the power",
        "real interpreter slip (seed transcript)",
    ),
    (
        "stand-off-defense-capabilities",
        "2024-07-28",
        "deprecated_rendering",
        "standard defense capability",
        "real transcript slip (seed transcript)",
    ),
    (
        "stand-off-defense-capabilities",
        "2024-07-28",
        "dominant_change",
        "standard defense capability",
        "the slip is the only rendering at that event",
    ),
    (
        "japan-us-alliance",
        "2024-07-28",
        "new_rendering",
        "Alliance",
        "real: 'our alliance' for 同盟 (seed transcript)",
    ),
    (
        "japan-us-alliance",
        "2024-07-28",
        "dominant_change",
        "Alliance",
        "the only rendering of the concept at that event",
    ),
]


def bead(event: str, date: str, kind: str, speaker: str, index: int, key: str, values: dict):
    values = dict(values)
    speaker = values.pop("speaker", speaker)
    src, src_origin = JA[key]
    tgt_template, tgt_origin = EN[key]
    return (
        {
            "event": event,
            "date": date,
            "src_doc": f"{event}.ja",
            "tgt_doc": f"{event}.en",
            "src_lang": "ja",
            "tgt_lang": "en",
            "tgt_kind": kind,
            "pair_index": 0,
            "src_turn": 0,
            "tgt_turn": 0,
            "src_speaker": speaker,
            "tgt_speaker": speaker,
            "via_interpreter": kind == "interpretation",
            "bead_index": index,
            "bead": "1-1",
            "src_idx": [index],
            "tgt_idx": [index],
            "src_ids": [f"t0s{index}"],
            "tgt_ids": [f"t0s{index}"],
            "src_text": src,
            "tgt_text": tgt_template.format(**values),
            "confidence": 1.0,
            "signature": SIG,
        },
        src_origin,
        tgt_origin,
    )


def main() -> None:
    manifest_events = []
    for event, kind, speaker, sentences in EVENTS:
        date = event[:10]
        run = OUT / event
        run.mkdir(parents=True, exist_ok=True)
        beads, provenance = [], []
        for index, (key, values, planted) in enumerate(sentences):
            record, src_origin, tgt_origin = bead(event, date, kind, speaker, index, key, values)
            beads.append(record)
            renderings = {k: v for k, v in values.items() if k != "speaker"}
            provenance.append(
                {
                    "bead_index": index,
                    "speaker": record["src_speaker"],
                    "src": src_origin,
                    "tgt": tgt_origin,
                    "renderings": renderings or None,
                    "planted": planted,
                }
            )
        write_beads(run, [AlignedBead.from_dict(migrate_v1(record)) for record in beads])
        (run / "run.json").write_text(
            json.dumps(
                {
                    "event": event,
                    "date": date,
                    "documents": [f"{event}.ja", f"{event}.en"],
                    "signature": SIG,
                    "note": "synthetic drift test corpus; see ../planted.yaml",
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
        manifest_events.append(
            {
                "event": event,
                "date": date,
                "tgt_kind": kind,
                "speaker": speaker,
                "beads": provenance,
            }
        )
    manifest = {
        "description": (
            "Drift test corpus: synthetic events across 2017-2024, one run directory each "
            "(alignment.jsonl in the run format), built from real sentences of ../shared with "
            "renderings changed on purpose. 'planted' lists every change the drift analysis "
            "must find; 'events' gives each bead's provenance."
        ),
        "planted": [
            {"concept": c, "date": d, "kind": k, "rendering": r, "why": w}
            for c, d, k, r, w in PLANTED
        ],
        "events": manifest_events,
    }
    (OUT / "planted.yaml").write_text(
        yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
