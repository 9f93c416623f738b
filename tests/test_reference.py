"""The bundled reference readout (Japan–US 2+2): the values the issue asks for."""

from __future__ import annotations

from collections import Counter

import readout


def test_header_and_meeting(reference: readout.Record) -> None:
    r = reference
    assert r.published == "2024-01-12"
    assert r.issuers == ["外務省", "防衛省"]
    m = r.meeting
    assert m.kind == "2+2"
    assert m.date == "2024-01-12"
    assert m.start == "2024-01-12T04:00:00+09:00"
    assert m.start_local == "2024-01-11T14:00:00-05:00"
    assert (m.duration_minutes, m.duration_approximate) == (150, True)
    assert m.location == "米国ワシントンD.C."
    assert m.sides == ["JP", "US"]
    assert m.joint_statement is True
    assert [(p.name, p.title, p.side) for p in m.participants] == [
        ("林芳正", "外務大臣", "JP"),
        ("浜田靖一", "防衛大臣", "JP"),
        ("アントニー・ブリンケン", "国務長官", "US"),
        ("ロイド・オースティン", "国防長官", "US"),
    ]


def test_sections_items_and_leads(reference: readout.Record) -> None:
    secs = reference.sections
    assert [s.title for s in secs] == ["総論", "地域情勢", "同盟の現代化", "拡大抑止", "米軍の態勢"]
    numbered = [i for s in secs for i in s.items if i.number is not None]
    leads = [i for s in secs for i in s.items if i.id.endswith(".0")]
    assert len(numbered) == 20
    assert [i.id for i in leads] == ["s2.0", "s3.0", "s4.0", "s5.0"]


def test_statements(reference: readout.Record) -> None:
    st = reference.statements
    assert len(st) >= 45
    by_text = {s.text: s for s in st}

    def find(fragment: str) -> readout.model.Statement:
        hits = [s for t, s in by_text.items() if fragment in t]
        assert len(hits) == 1, fragment
        return hits[0]

    assert (find("強く支持する旨").speaker, find("強く支持する旨").act) == ("US", "SUPPORT")
    senkaku = find("第5条が尖閣諸島に適用")
    assert (senkaku.speaker, senkaku.act, senkaku.reaffirmed) == ("US", "AFFIRM", True)
    assert "senkaku" in senkaku.topics
    assert find("統合司令部設置の決定を歓迎").act == "WELCOME"
    assert find("協力の深化にコミットした").act == "COMMIT"
    assert find("弾道ミサイルの発射を強く非難").speaker == "JOINT"
    assert find("米側に改めて要請").target == "US"
    assert find("全面的な支援を得た").act == "SUPPORT"
    acts = Counter(s.act for s in st)
    assert {
        "STATE",
        "WELCOME",
        "SUPPORT",
        "AFFIRM",
        "AGREE",
        "DECIDE",
        "COMMIT",
        "EMPHASIZE",
        "CONDEMN",
        "REQUEST",
        "DISCUSS",
        "THANK",
        "OPPOSE",
    } <= set(acts)


def test_commitments(reference: readout.Record) -> None:
    cs = reference.commitments
    mlr = [c for c in cs if "第12海兵沿岸連隊" in c.action]
    assert mlr and (mlr[0].deadline, mlr[0].deadline_kind) == ("2025", "by")
    guam = [c for c in cs if "グアム" in c.action]
    assert guam and (guam[0].deadline, guam[0].deadline_kind) == ("2024", "start")
    for c in cs:
        assert reference.text[c.start : c.end] == c.action
        assert any(s.id == c.statement for s in reference.statements)


def test_every_record_carries_the_parser_version(reference: readout.Record) -> None:
    assert reference.parser_version == readout.__version__
    assert reference.to_dict()["schema"] == "readout/1"
