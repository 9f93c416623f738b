"""readout.matching: speaker class, act family, Japanese-aware similarity, labelled pairs."""

from __future__ import annotations

from readout.matching import (
    THRESHOLD,
    Matcher,
    Position,
    act_family,
    choose_threshold,
    core_text,
    evaluate,
    load_pairs,
    main,
    pairs_matcher,
    render_diff,
    same_wording,
    speaker_class,
    split_pairs,
    wording_diff,
)


def test_speaker_classes_map_every_counterpart_to_one_class() -> None:
    assert speaker_class("US") == speaker_class("AU") == "OTHER"
    assert speaker_class("JP") == "JP"
    assert speaker_class("JOINT") == "JOINT"


def test_act_families() -> None:
    assert act_family("WELCOME") == act_family("SUPPORT") == act_family("THANK")
    assert act_family("AFFIRM") == act_family("COMMIT") == act_family("EMPHASIZE")
    assert act_family("CONCERN") == act_family("CONDEMN")
    assert act_family("WELCOME") != act_family("CONCERN")
    assert act_family("REQUEST") != act_family("DISCUSS") != act_family("STATE")


def test_framing_is_stripped() -> None:
    a = "両大臣は、日米安全保障条約第5条が尖閣諸島に適用されることを確認した。"
    b = "両大臣は、日米安全保障条約第5条が尖閣諸島に適用されることを改めて確認した。"
    assert core_text(a) == core_text(b)
    assert same_wording(a, b)


def test_score_gates_on_speaker_and_family() -> None:
    text = "両大臣は、北朝鮮による弾道ミサイル発射を強く非難した。"
    m = Matcher([text])
    joint = Position(text, "JOINT", "CONDEMN")
    assert m.score(joint, Position(text, "JOINT", "CONCERN")) >= THRESHOLD
    assert m.score(joint, Position(text, "US", "CONDEMN")) == 0.0
    assert m.score(joint, Position(text, "JOINT", "WELCOME")) == 0.0


def test_wording_diff_renders_removed_and_added_text() -> None:
    ops = wording_diff("協力を深化させる", "協力を一層深化させる")
    assert render_diff(ops) == "協力を〔+一層〕深化させる"
    assert render_diff(wording_diff("日米韓", "日米豪")) == "日米〔−韓〕〔+豪〕"


def test_precision_and_recall_on_the_held_out_half() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 150
    assert sum(1 for *_, same in pairs if same) >= 60
    train, held = split_pairs(pairs)
    matcher = pairs_matcher(pairs)
    # The committed threshold is the one the train half picks.
    assert choose_threshold(train, matcher) == THRESHOLD
    result = evaluate(held, THRESHOLD, matcher)
    assert result.precision >= 0.9, result
    assert result.recall >= 0.9, result


def test_evaluate_command_prints_figures(capsys: object) -> None:
    import pytest

    assert isinstance(capsys, pytest.CaptureFixture)
    assert main(["--evaluate"]) == 0
    out = capsys.readouterr().out
    assert "held out" in out and "precision" in out
