"""readout.sources.html: saved MOFA/MOD pages → readout text → the parser's record."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import pytest

import readout
from readout.errors import ReadoutInputError
from readout.io import read_document
from readout.sources.html import (
    collapse,
    decode_html,
    decode_html_bytes,
    extract_text,
    meta_charset,
)

PAGES = Path(__file__).resolve().parent / "fixtures" / "html"
SAMPLE = Path(readout.__file__).parent / "samples" / "jp-us-2plus2.txt"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")

# Text of site furniture in the fixture pages; none of it may reach the record.
FURNITURE = [
    "トップページ",
    "ホーム",
    "サイトマップ",
    "English",
    "印刷",
    "検索",
    "国・地域",
    "会見・発表・広報",
    "関連リンク",
    "このページ",
    "ページトップ",
    "ページの先頭",
    "へ戻る",
    "本文へ",
    "Copyright",
    "ご意見",
    "写真",
    "会談の様子",
    "PDF",
    "外務省について",
    "北米",
    "アジア",
    "報道資料",
    "ポスト",
    "シェア",
    "文字サイズ",
    "霞が関",
    "市谷",
    "(了)",
    "function",
]

ENCODINGS = {
    "mofa_2023_au_fm": "utf-8",
    "mod_2023_gb_defmin": "utf-8",
    "mofa_2002_us_fm_table": "shift_jis",
    "mofa_2012_us_phone_sjis": "shift_jis",
    "mod_2005_us_defmin_eucjp": "euc-jp",
}


def expected(name: str) -> str:
    return (PAGES / f"{name}.expected.txt").read_text(encoding="utf-8")


def sections(record: readout.Record) -> list[tuple[str | None, str | None, int]]:
    return [(s.number, s.title, len(s.items)) for s in record.sections]


def acts(record: readout.Record) -> list[tuple[str, str]]:
    return [(st.speaker, st.act) for st in record.statements]


# --- the saved pages ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_page_gives_its_readout_text(name: str) -> None:
    path = PAGES / f"{name}.html"
    loaded = read_document(path)
    assert loaded.text == expected(name)
    assert loaded.source.format == "html"
    assert loaded.source.encoding == ENCODINGS[name]
    assert loaded.source.path == str(path)
    assert loaded.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert loaded.warnings == []
    for word in FURNITURE:
        assert word not in loaded.text, word


def test_mofa_modern_page_parses() -> None:
    record = readout.parse_file(PAGES / "mofa_2023_au_fm.html")
    assert record.source.format == "html"
    assert record.title == "日豪外相会談"
    assert record.published == "2023-09-20"
    assert record.meeting.kind == "foreign_ministers"
    assert record.meeting.sides == ["JP", "AU"]
    assert [p.name for p in record.meeting.participants] == ["高木真理子", "ピーター・ハミルトン"]
    assert sections(record) == [
        ("1", "二国間関係", 3),
        ("2", "地域情勢", 2),
        ("3", "多国間協力", 1),
    ]
    assert acts(record)[:2] == [("JP", "STATE"), ("AU", "STATE")]
    assert ("JOINT", "AGREE") in acts(record)
    assert ("JOINT", "CONDEMN") in acts(record)
    # Offsets index the extracted text.
    for st in record.statements:
        assert record.text[st.start : st.end] == st.text
    assert record.statements[-1].text.startswith("両大臣は、日米豪印や日米豪の枠組み")


def test_mod_modern_page_parses() -> None:
    record = readout.parse_file(PAGES / "mod_2023_gb_defmin.html")
    assert record.title == "日英防衛相会談の概要"
    assert record.published == "2023-11-08"
    assert record.issuers == ["防衛省"]
    assert record.meeting.kind == "defense_ministers"
    assert record.meeting.sides == ["JP", "GB"]
    assert record.meeting.date == "2023-11-07"
    assert [(p.name, p.side) for p in record.meeting.participants] == [
        ("大野誠", "JP"),
        ("ジェームズ・ハリソン", "GB"),
    ]
    assert [(s.number, s.title) for s in record.sections] == [
        ("1", "日時・場所"),
        ("2", "出席者"),
        ("3", "概要"),
    ]
    # The nested lists are the two items of 3 概要, their (1) (2) points inside them.
    assert [i.number for i in record.sections[2].items] == ["1", "2"]
    assert acts(record) == [
        ("JOINT", "WELCOME"),
        ("JOINT", "AGREE"),
        ("JP", "STATE"),
        ("GB", "SUPPORT"),
        ("JOINT", "DISCUSS"),
        ("JOINT", "CONDEMN"),
        ("JOINT", "AGREE"),
    ]


def test_old_table_layout_in_shift_jis_parses() -> None:
    record = readout.parse_file(PAGES / "mofa_2002_us_fm_table.html")
    assert record.source.encoding == "shift_jis"
    assert record.title == "日米外相会談（概要）"
    assert record.published == "2002-09-13"
    assert record.meeting.sides == ["JP", "US"]
    assert record.meeting.date == "2002-09-12"
    assert sections(record) == [("1", "総論", 1), ("2", "イラク問題", 2), ("3", "北朝鮮", 2)]
    # The hanging-indent cells (（1） beside its paragraph) are the items.
    assert [i.number for i in record.sections[1].items] == ["1", "2"]
    assert acts(record) == [
        ("JP", "STATE"),
        ("US", "THANK"),
        ("US", "STATE"),
        ("JP", "STATE"),
        ("JOINT", "AGREE"),
        ("JP", "STATE"),
        ("US", "SUPPORT"),
        ("JOINT", "AFFIRM"),
    ]


def test_shift_jis_page_with_meta_charset_parses() -> None:
    record = readout.parse_file(PAGES / "mofa_2012_us_phone_sjis.html")
    assert record.source.encoding == "shift_jis"
    assert "①日米同盟の強化" in record.text and "1月～2月" in record.text  # code page 932
    assert record.title == "日米首脳電話会談"
    assert record.published == "2012-12-21"
    assert record.meeting.kind == "phone_call"
    assert [i.number for i in record.sections[0].items] == ["1", "2", "3", "4"]
    assert ("US", "WELCOME") in acts(record)
    assert ("JOINT", "CONDEMN") in acts(record)
    assert len(record.statements) == 8


def test_euc_jp_page_with_http_equiv_parses() -> None:
    record = readout.parse_file(PAGES / "mod_2005_us_defmin_eucjp.html")
    assert record.source.encoding == "euc-jp"
    assert record.title == "日米防衛首脳会談の概要"
    assert record.published == "2005-02-20"
    assert record.meeting.date == "2005-02-19"
    assert [i.number for i in record.sections[0].items] == ["○"] * 5
    assert acts(record) == [
        ("JP", "THANK"),
        ("US", "STATE"),
        ("JOINT", "AGREE"),
        ("JP", "REQUEST"),
        ("JOINT", "AFFIRM"),
    ]


def sample_as_page() -> str:
    """The reference readout marked up as a MOFA page: <h1>, <h2> headings, <ol> items."""
    parts = [
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">',
        "<title>日米安全保障協議委員会(日米「2+2」)(概要)｜外務省</title></head><body>",
        '<div id="header"><h1 class="logo"><a href="/"><img alt="外務省" src="l.png"></a></h1>',
        '<ul id="gnav"><li><a href="/p">会見・発表・広報</a></li>'
        '<li><a href="/g">外交政策</a></li></ul></div>',
        '<div id="breadcrumbs"><a href="/">トップページ</a> &gt; <a href="/na">北米</a></div>',
        '<div id="main">',
    ]
    in_list = False
    first = True
    for line in SAMPLE_TEXT.splitlines():
        if not line.strip():
            continue
        item = re.match(r"  \d+\. (.*)", line)
        if item:
            parts.append(("" if in_list else "<ol>") + f"<li>{html.escape(item[1])}</li>")
            in_list = True
            continue
        if in_list:
            parts.append("</ol>")
            in_list = False
        if first:
            parts.append(f"<h1>{html.escape(line)}</h1>")
            first = False
        elif re.fullmatch(r"\d+ \S+", line):
            parts.append(f"<h2>{html.escape(line)}</h2>")
        elif line == "印刷用":
            parts.append('<p class="print"><a href="javascript:print()">印刷用</a></p>')
        else:
            parts.append(f"<p>{html.escape(line)}</p>")
    parts.append("</ol>" if in_list else "")
    parts.append(
        '<p class="pagetop"><a href="#top">このページのトップへ戻る</a></p></div>'
        '<div id="footer">Copyright © Ministry of Foreign Affairs of Japan</div></body></html>'
    )
    return "\n".join(parts)


def test_reference_readout_as_a_page_parses_as_the_text_does(reference: readout.Record) -> None:
    text, encoding, warnings = decode_html(sample_as_page().encode("utf-8"), "page.html")
    assert (encoding, warnings) == ("utf-8", [])
    record = readout.parse(text)
    assert record.title == reference.title
    assert record.published == reference.published
    assert record.issuers == reference.issuers
    assert record.meeting == reference.meeting
    assert sections(record) == sections(reference)
    assert [(s.speaker, s.act, s.text) for s in record.statements] == [
        (s.speaker, s.act, s.text) for s in reference.statements
    ]
    assert [(c.actor, c.deadline) for c in record.commitments] == [
        (c.actor, c.deadline) for c in reference.commitments
    ]


# --- encodings ----------------------------------------------------------------------------


PAGE = (
    "<html><head>{meta}<title>日米外相会談</title></head><body><h1>日米外相会談</h1>"
    "<p>令和5年4月10日</p><p>両外相は、日米同盟の強化で一致した。</p></body></html>"
)


@pytest.mark.parametrize(
    ("meta", "found"),
    [
        ('<meta charset="Shift_JIS">', "Shift_JIS"),
        ("<meta charset=euc-jp>", "euc-jp"),
        (
            '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=EUC-JP">',
            "EUC-JP",
        ),
        ("<meta http-equiv='content-type' content='text/html;charset=x-sjis'>", "x-sjis"),
        ("<!-- <meta charset=utf-8> --><meta charset=shift_jis>", "shift_jis"),
        ("", None),
    ],
)
def test_meta_charset(meta: str, found: str | None) -> None:
    assert meta_charset(PAGE.format(meta=meta).encode("ascii", "replace")) == found


def test_xml_declaration_names_the_encoding() -> None:
    raw = b'<?xml version="1.0" encoding="EUC-JP"?>\n<html><body>x</body></html>'
    assert meta_charset(raw) == "EUC-JP"


def test_meta_decides_between_legacy_encodings() -> None:
    # Two kanji that read as Japanese in both Shift_JIS and EUC-JP: the meta decides.
    body = "<html><head><meta charset=EUC-JP></head><body><p>{}</p></body></html>"
    raw = body.format("日米").encode("euc_jp")
    page, encoding, warnings = decode_html_bytes(raw, "p.html")
    assert (encoding, warnings) == ("euc-jp", [])
    assert "日米" in page


def test_http_charset_comes_before_meta() -> None:
    raw = PAGE.format(meta="<meta charset=utf-8>").encode("euc_jp")
    page, encoding, warnings = decode_html_bytes(raw, "p.html", charset="EUC-JP")
    assert encoding == "euc-jp"
    assert "日米同盟" in page
    assert warnings == []


def test_page_converted_to_utf8_whose_meta_still_says_shift_jis() -> None:
    raw = PAGE.format(meta='<meta charset="Shift_JIS">').encode("utf-8")
    page, encoding, warnings = decode_html_bytes(raw, "p.html")
    assert encoding == "utf-8"
    assert "日米同盟" in page
    assert warnings[0].startswith("declared charset 'Shift_JIS' does not fit the bytes")


def test_utf8_that_also_reads_as_shift_jis_is_utf8() -> None:
    # The UTF-8 bytes of 日本 are valid code page 932 too (two kanji and two half-width
    # katakana); valid UTF-8 is the stronger evidence.
    raw = '<html><head><meta charset="Shift_JIS"></head><body><p>日本</p></body></html>'
    page, encoding, warnings = decode_html_bytes(raw.encode("utf-8"), "p.html")
    assert (encoding, "日本" in page) == ("utf-8", True)
    assert warnings == [
        "declared charset 'Shift_JIS' does not fit the bytes, which are utf-8; read as utf-8"
    ]


def test_declared_charset_that_does_not_decode_is_overruled() -> None:
    raw = PAGE.format(meta="<meta charset=utf-8>").encode("cp932")
    text, encoding, warnings = decode_html(raw, "p.html")
    assert encoding == "shift_jis"
    assert "両外相は、日米同盟の強化で一致した。" in text
    assert warnings[0].startswith("declared charset 'utf-8' does not fit the bytes (byte offset")


def test_unknown_charset_is_detected_instead() -> None:
    raw = PAGE.format(meta="<meta charset=x-unknown-jp>").encode("euc_jp")
    _, encoding, warnings = decode_html_bytes(raw, "p.html")
    assert encoding == "euc-jp"
    assert warnings == ["unknown charset 'x-unknown-jp' declared; detecting the encoding"]


@pytest.mark.parametrize(("codec", "name"), [("cp932", "shift_jis"), ("euc_jp", "euc-jp")])
def test_latin1_label_on_a_japanese_page(codec: str, name: str) -> None:
    # Windows-1252 cannot read some Shift_JIS bytes, and reads every EUC-JP byte; either
    # way the Japanese reading wins.
    raw = PAGE.format(meta="<meta charset=iso-8859-1>").encode(codec)
    page, encoding, warnings = decode_html_bytes(raw, "p.html")
    assert (encoding, "日米同盟" in page) == (name, True)
    assert warnings[0].startswith("declared charset 'iso-8859-1' does not fit the bytes")


def test_utf8_bom_wins_over_meta() -> None:
    raw = b"\xef\xbb\xbf" + PAGE.format(meta="<meta charset=shift_jis>").encode("utf-8")
    page, encoding, warnings = decode_html_bytes(raw, "p.html")
    assert (encoding, warnings) == ("utf-8-sig", [])
    assert page.startswith("<html>")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_page_with_bom(codec: str) -> None:
    bom = "\ufeff".encode(codec)
    raw = bom + PAGE.format(meta="").encode(codec)
    text, encoding, _ = decode_html(raw, "p.html")
    assert encoding == "utf-16"
    assert "日米同盟の強化" in text


def test_page_without_meta_is_detected() -> None:
    raw = PAGE.format(meta="").encode("euc_jp")
    assert decode_html_bytes(raw, "p.html")[1] == "euc-jp"


# --- extraction ---------------------------------------------------------------------------


def lines(body: str) -> list[str]:
    return extract_text(f"<html><body>{body}</body></html>").splitlines()


def test_br_breaks_lines_and_two_make_a_paragraph() -> None:
    assert lines("<p>一行目<br>二行目<br><br>三行目</p>") == ["一行目", "二行目", "", "三行目"]


def test_source_line_breaks_between_japanese_vanish() -> None:
    assert lines("<p>日米同盟の\n   強化で一致した。 Japan\nand the U.S.</p>") == [
        "日米同盟の強化で一致した。 Japan and the U.S."
    ]


def test_collapse() -> None:
    assert (
        collapse("\u3000 両大臣は、\n\t一致した。\xa0\xa0(英語)  ") == "両大臣は、一致した。 (英語)"
    )


def test_ordered_lists_nest_as_a_readout_numbers_them() -> None:
    body = (
        "<h2>1 総論</h2><ol><li>第一<ol><li>細目一</li><li>細目二<ol><li>更に</li></ol></li>"
        "</ol></li><li>第二</li></ol><p>結び。</p>"
    )
    assert lines(body) == [
        "1 総論",
        "",
        "  1. 第一",
        "    (1) 細目一",
        "    (2) 細目二",
        "      (ア) 更に",
        "  2. 第二",
        "",
        "結び。",
    ]


def test_list_start_value_and_type() -> None:
    body = (
        '<ol start="3"><li>三</li><li value="7">七</li><li>八</li></ol><ol type="a"><li>a</li></ol>'
    )
    assert lines(body) == ["  3. 三", "  7. 七", "  8. 八", "", "  a. a"]


def test_items_with_their_own_numbers_keep_them() -> None:
    body = (
        "<ol><li>(1) 両大臣は一致した。</li><li>（２）両大臣は確認した。</li><li>①協力</li></ol>"
        '<ul><li>○ 冒頭、発言。</li><li>参加者</li></ul><ol style="list-style:none"><li>無番号</li></ol>'
    )
    assert lines(body) == [
        "  (1) 両大臣は一致した。",
        "  （２）両大臣は確認した。",
        "  ①協力",
        "",
        "  ○ 冒頭、発言。",
        "  - 参加者",
        "",
        "  無番号",
    ]


def test_a_number_alone_joins_the_block_after_it() -> None:
    body = (
        "<table><tr><td>1.</td><td><p>総論</p></td></tr></table>"
        "<b>2．</b><div>地域情勢</div><p>(3)</p><p>次の段落</p>"
    )
    assert lines(body) == ["1. 総論", "", "2． 地域情勢", "", "(3) 次の段落"]


def test_table_rows_are_lines_with_cells_side_by_side() -> None:
    body = "<table><tr><th>日本側</th><td>林外務大臣</td></tr><tr><td>米側</td><td>長官</td></tr></table>"
    assert lines(body) == ["日本側 林外務大臣", "米側 長官"]


def test_layout_cell_with_most_japanese_text_is_the_content() -> None:
    content = "両外相は、日米同盟の抑止力・対処力を一層強化していくことで一致した。" * 3
    body = (
        '<table><tr><td><a href="/a">アジア</a><br><a href="/b">北米</a><br>'
        '<a href="/c">欧州</a><br>地域別の一覧</td>'
        f"<td><table><tr><td><b>日米外相会談</b><br>{content}</td></tr></table></td></tr>"
        "<tr><td colspan=2>外務省 東京都千代田区</td></tr></table>"
    )
    assert lines(body) == ["日米外相会談", content]


def test_content_table_of_paragraphs_is_not_mistaken_for_layout() -> None:
    first = "両外相は、日米同盟の抑止力・対処力を一層強化していくことで一致した。" * 4
    second = "両外相は、北朝鮮問題について緊密に連携していくことを確認した。"
    body = (
        f"<p>日米外相会談</p><table><tr><td>1</td><td>{first}</td></tr>"
        f"<tr><td>2</td><td>{second}</td></tr></table>"
    )
    assert lines(body) == ["日米外相会談", "", f"1 {first}", f"2 {second}"]


def test_main_element_is_the_content_and_title_and_date_come_back() -> None:
    page = (
        "<html><head><title>日米防衛相会談｜防衛省・自衛隊</title></head><body>"
        '<div class="article-head"><p class="date">令和6年7月28日</p></div>'
        "<aside>関連情報の案内文です。</aside>"
        "<main><p>両大臣は、日米同盟の抑止力・対処力を一層強化していくことで一致した。</p></main>"
        "<p>サイトの案内文はここに長く書かれている。" + "案内" * 10 + "</p></body></html>"
    )
    assert extract_text(page).splitlines() == [
        "日米防衛相会談",
        "令和6年7月28日",
        "",
        "両大臣は、日米同盟の抑止力・対処力を一層強化していくことで一致した。",
    ]


def test_title_from_head_is_not_repeated() -> None:
    page = (
        "<html><head><title>日米外相会談（概要） | 外務省</title></head>"
        "<body><center><b>日米外相会談(概要)</b></center><p>両外相は一致した。</p></body></html>"
    )
    assert extract_text(page).splitlines() == ["日米外相会談(概要)", "", "両外相は一致した。"]


def test_logo_heading_is_not_the_title() -> None:
    page = (
        '<html><body><div id="header"><h1><a href="/"><img alt="外務省"></a>外務省</h1></div>'
        "<h2>日韓外相会談</h2><p>令和元年8月1日</p><p>両外相は意見交換を行った。</p></body></html>"
    )
    assert extract_text(page).splitlines() == [
        "日韓外相会談",
        "",
        "令和元年8月1日",
        "",
        "両外相は意見交換を行った。",
    ]


def test_furniture_by_name_role_and_hidden() -> None:
    body = (
        '<div class="g-nav">外交政策</div><div id="topicPath">ホーム &gt; 国</div>'
        '<div class="sns-share">共有する</div><div role="navigation">メニュー</div>'
        '<div style="display: none">隠れた文</div><p hidden>隠し</p><span aria-hidden="true">★</span>'
        "<p>本文である。</p><noscript>JavaScriptを有効に</noscript><ruby>漢<rt>かん</rt></ruby>"
        '<div class="related-links">関連する記事</div><div class="side">サイド</div>'
    )
    assert lines(body) == ["本文である。", "", "漢"]


def test_a_wrapper_named_like_furniture_that_holds_the_page_is_kept() -> None:
    text = "両大臣は、日米同盟の抑止力・対処力を一層強化していくことで一致した。"
    body = f'<div class="layout-has-sidebar"><div class="c">{text}</div><div class="sidebar">横</div></div>'
    assert lines(body) == [text]


def test_link_bars_without_a_name_go() -> None:
    body = (
        '<div><a href="/1">アジア</a> | <a href="/2">北米</a> | <a href="/3">欧州</a></div>'
        '<ul><li><a href="/a.pdf">共同声明(PDF)</a></li><li><a href="/b.pdf">仮訳(PDF)</a></li></ul>'
        '<p>両外相は、<a href="/x">日米安保条約</a>の重要性を確認した。</p>'
    )
    assert lines(body) == ["両外相は、日米安保条約の重要性を確認した。"]


def test_furniture_links_go_wherever_they_are() -> None:
    body = (
        '<p>本文。<a href="#top">ページの先頭へ戻る</a></p><p><a href="/e" hreflang="en">In English</a></p>'
        '<p><a href="javascript:window.print()">このページを印刷する</a></p><p><a href="#">▲TOP</a></p>'
    )
    assert lines(body) == ["本文。"]


def test_pre_keeps_its_lines() -> None:
    assert lines("<pre>1 総論\n  両大臣は一致した。\n</pre>") == ["1 総論", "両大臣は一致した。"]


def test_deep_nesting_does_not_overflow() -> None:
    assert lines("<div>" * 5000 + "深い本文。" + "</div>" * 5000) == ["深い本文。"]


# --- pages with no readout ----------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>外務省</title></head><body></body></html>",
        '<html><body><div id="app"></div><script>render("日米外相会談")</script></body></html>',
        '<html><body><nav><a href="/">トップページ</a><a href="/a">国・地域</a></nav>'
        "<footer>Copyright © Ministry of Foreign Affairs of Japan</footer></body></html>",
        "<html><body><!-- 日米外相会談 --><img src=x alt=日米外相会談></body></html>",
    ],
)
def test_page_without_readout_text_is_refused(page: str) -> None:
    with pytest.raises(ReadoutInputError) as info:
        decode_html(page.encode("utf-8"), "empty.html")
    assert str(info.value) == (
        "empty.html: no readout text in the HTML page (nothing is left after removing "
        "navigation, scripts and markup)"
    )


def test_binary_bytes_named_html_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(ReadoutInputError, match=r"binary file \(not an HTML page\)$"):
        read_document(path)


def test_undecodable_page_is_refused() -> None:
    raw = "<html><body><p>Réunion à Genève, été, déjà, très.</p></body></html>".encode("latin-1")
    with pytest.raises(ReadoutInputError, match="cannot decode the page"):
        decode_html(raw, "l.html")


def test_links_inside_sentences_are_text() -> None:
    body = (
        '<p>会談後、<a href="/files/a.pdf" hreflang="en">共同声明(英文)</a>が発出された。'
        '<a href="/top.html">日米関係</a>の一層の強化で一致した。</p>'
    )
    assert lines(body) == ["会談後、共同声明(英文)が発出された。日米関係の一層の強化で一致した。"]


def test_page_hidden_until_a_script_shows_it_is_read() -> None:
    page = (
        '<html><body><div id="wrap" style="display:none"><h1>日米外相会談</h1>'
        "<p>両外相は一致した。</p></div><script>show()</script></body></html>"
    )
    assert extract_text(page).splitlines() == ["日米外相会談", "", "両外相は一致した。"]
