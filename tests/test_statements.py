"""Statements: segmentation, speakers and acts by the contract's rules."""

from __future__ import annotations

import pytest

import readout
from readout.stages.statements import classify

HEAD = """日米外相会談

令和5年4月10日

本10日、午前11時から約40分間、東京において、石井和彦外務大臣は、ピーター・ムーア国務長官と会談を行ったところ、概要は以下のとおりです。

"""


def stmts(body: str) -> list[tuple[str, str | None, str, bool, str | None, str]]:
    r = readout.parse(HEAD + body)
    return [(s.speaker, s.person, s.act, s.reaffirmed, s.target, s.text) for s in r.statements]


def test_person_speakers_and_shortened_names() -> None:
    got = stmts(
        "1 冒頭\n 石井大臣から、ムーア長官の訪日を歓迎しました。"
        "これに対し、ムーア長官から、温かい歓迎への謝意が述べられました。\n"
    )
    assert [(s, p, a) for s, p, a, *_ in got] == [
        ("JP", "石井和彦", "WELCOME"),
        ("US", "ピーター・ムーア", "THANK"),
    ]


def test_coordinated_acts_split_into_two_statements() -> None:
    got = stmts(
        "1 二国間関係\n 両大臣は、経済対話の立ち上げを歓迎し、その早期開催に向けて調整していくことを確認しました。\n"
    )
    assert [(s, a) for s, _, a, *_ in got] == [("JOINT", "WELCOME"), ("JOINT", "AFFIRM")]
    assert got[0][5].endswith("歓迎し、")


def test_tomo_ni_coordination_and_reaffirmation() -> None:
    got = stmts(
        "1 地域情勢\n 双方は、情勢への懸念を共有するとともに、緊密に連携していくことを改めて確認した。\n"
    )
    assert [(a, r) for _, _, a, r, *_ in got] == [("CONCERN", False), ("AFFIRM", True)]


@pytest.mark.parametrize(
    ("clause", "act"),
    [
        ("米側から、日本の取組を強く支持する旨発言があった。", "SUPPORT"),
        ("日本側から、両国関係は良好である旨述べた。", "STATE"),
        ("米側から、日本の決定を歓迎する旨の発言がありました。", "WELCOME"),
        ("日本側から、対話の重要性を強調した。", "EMPHASIZE"),
        ("両外相は、地域の緊張を高める行動に強く反対することで一致した。", "AGREE"),
        ("米側より賛意が示された。", "SUPPORT"),
        ("英国側から支持表明があった。", "SUPPORT"),
        ("日本側から、ミサイル発射を非難した。", "CONDEMN"),
        ("日本側から、早期解決に向けた協力を求めました。", "REQUEST"),
        ("両者は、協力の方向性について議論を行った。", "DISCUSS"),
        ("双方は、共同訓練の拡大を決定した。", "DECIDE"),
        ("双方は、演習の定例化にコミットした。", "COMMIT"),
        ("豪側から、同地域の情勢への懸念を表明した。", "CONCERN"),
        ("日本側から、被災地支援への謝意を表した。", "THANK"),
        ("両国は、協力を拡大していくこととした。", "DECIDE"),
        ("両大臣は、基本的価値を共有していることを確認。", "AFFIRM"),
    ],
)
def test_governing_predicate_decides_the_act(clause: str, act: str) -> None:
    assert classify(clause)[0] == act


def test_reported_content_ending_in_an_unrelated_noun_is_state() -> None:
    assert classify("日本側から、来年の会合で議論をリードしていく旨発言した。") == ("STATE", True)


def test_subjectless_clause_inherits_the_nearest_subject() -> None:
    got = stmts(
        "1 防衛協力\n 米側は、日本の防衛費増額を歓迎した。また、同盟の抑止力強化の重要性を強調した。\n"
    )
    assert [(s, a) for s, _, a, *_ in got] == [("US", "WELCOME"), ("US", "EMPHASIZE")]


def test_agreement_without_any_subject_is_joint() -> None:
    got = stmts("1 経済\n サプライチェーン強靱化で協力していくことで一致した。\n")
    assert [(s, a) for s, _, a, *_ in got] == [("JOINT", "AGREE")]


def test_turn_taking_without_a_new_subject_passes_to_the_other_side() -> None:
    got = stmts(
        "1 懸案\n 日本側から、早期の解決を求めた。これに対し、前向きに検討する旨の回答があった。\n"
    )
    assert [(s, a) for s, _, a, *_ in got] == [("JP", "REQUEST"), ("US", "STATE")]


def test_two_speakers_in_one_sentence() -> None:
    got = stmts(
        "1 冒頭\n 日本側から、協力の深化を期待する旨述べ、米側から、全面的に協力したい旨の発言があった。\n"
    )
    assert [s for s, *_ in got] == ["JP", "US"]


def test_request_target() -> None:
    got = stmts("1 懸案\n 日本側から、米側に対し、事故の再発防止を改めて要請した。\n")
    assert got[0][2:5] == ("REQUEST", True, "US")


def test_cue_inside_reported_speech_is_not_a_boundary() -> None:
    got = stmts(
        "1 冒頭\n 米側から、今回の訪問を歓迎し、協力の一層の深化を期待する旨発言があった。\n"
    )
    assert len(got) == 1 and got[0][0] == "US"


def test_topic_first_sentence() -> None:
    got = stmts(
        "1 宇宙\n 宇宙について、両大臣は、宇宙状況監視での協力を進めていくことで一致した。\n"
    )
    assert [(s, a) for s, _, a, *_ in got] == [("JOINT", "AGREE")]


def test_telegraphic_register() -> None:
    got = stmts(
        "1 総論\n 日本側より、地域の安全保障環境について説明。米側より、日本の取組を評価する旨発言。双方は、協力の強化で一致。\n"
    )
    assert [(s, a) for s, _, a, *_ in got] == [
        ("JP", "STATE"),
        ("US", "SUPPORT"),
        ("JOINT", "AGREE"),
    ]


def test_statement_spans_are_exact() -> None:
    r = readout.parse(HEAD + "1 総論\n 両大臣は、協力を歓迎し、連携を確認した。\n")
    for s in r.statements:
        assert r.text[s.start : s.end] == s.text


def test_joint_subject_after_a_verbless_speaker_governs() -> None:
    got = stmts(
        "1 経済\n 日本側から、供給網について、双方は、重要鉱物で協力していくことを確認した。\n"
    )
    assert [(s, a) for s, _, a, *_ in got] == [("JOINT", "AFFIRM")]


def test_speech_block_speaker_carries_into_following_items() -> None:
    got = stmts(
        "1 冒頭\n ムーア長官より概要以下のとおり述べた。\n(1) 日米同盟は地域の平和の礎である。\n"
        "(2) 日本の防衛力強化を歓迎する。\n2 地域\n(1) 両大臣は協力で一致した。\n"
    )
    assert [(s, p, a) for s, p, a, *_ in got] == [
        ("US", "ピーター・ムーア", "STATE"),
        ("US", "ピーター・ムーア", "STATE"),
        ("US", "ピーター・ムーア", "WELCOME"),
        ("JOINT", None, "AGREE"),
    ]


def test_prose_without_speaker_or_act_is_not_a_statement() -> None:
    got = stmts("1 背景\n 本年は国交樹立70周年に当たる。\n")
    assert got == []
