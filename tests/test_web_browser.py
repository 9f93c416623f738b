"""The web app in a real browser: Playwright driving Debian's Chromium against the app
served by uvicorn on 127.0.0.1 (:mod:`tests.web`), over a SQLite store holding the
reference readout and the 2+2 series.

Chromium is the system one (``apt-get install chromium``; ``scripts/test.sh`` installs it
on CI), never a browser downloaded by ``playwright install``.  Without it these tests
skip with the reason shown, except in CI (``CI=true``), where that is a failure.

The run saves screenshots of the main pages in ``build/screenshots/<name>.png``
(``make screenshots`` copies the meeting page's to ``docs/img/meeting.png``).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from readout.ingest import reparse
from readout.model import ACTS
from readout.store import Store, connect
from tests.web import TOKEN, load_corpus, serve

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "build" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
#: Headless, and none of Chromium's own connections (the network here refuses them).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",  # a container's small /dev/shm must not crash the renderer
]
PARTICIPANTS = ["林芳正", "浜田靖一", "アントニー・ブリンケン", "ロイド・オースティン"]
TRANSPARENT = ("rgba(0, 0, 0, 0)", "transparent")


def chromium_path() -> str:
    """Debian's Chromium (or the one ``READOUT_CHROMIUM`` names); skip, or fail on CI,
    when there is none."""
    named = os.environ.get("READOUT_CHROMIUM")
    if named:
        found = shutil.which(named)
    else:
        found = shutil.which("chromium")
        if not found and os.access("/usr/bin/chromium", os.X_OK):
            found = "/usr/bin/chromium"
    if not found:
        reason = (
            f"no Chromium at {named!r} (READOUT_CHROMIUM)"
            if named
            else "Debian's chromium is not installed (apt-get install chromium)"
        ) + ": the browser tests need it"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole module."""
    executable = chromium_path()
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store]]:
    """The app with a write token over a loaded SQLite store: its base URL and the store."""
    store = connect(str(tmp_path_factory.mktemp("browser") / "readout.sqlite"))
    load_corpus(store)
    try:
        with serve(store, token=TOKEN) as base_url:
            yield base_url, store
    finally:
        store.close()


@pytest.fixture(scope="module")
def base(site: tuple[str, Store]) -> str:
    return site[0]


def _api(base: str, path: str) -> Any:
    response = httpx.get(base + path, timeout=30)
    assert response.status_code == 200, (path, response.text[:300])
    return response.json()


@pytest.fixture(scope="module")
def reference_id(base: str) -> int:
    meetings = _api(base, "/api/meetings?limit=500")["meetings"]
    found = [m["id"] for m in meetings if m["source"].endswith("jp-us-2plus2.txt")]
    assert len(found) == 1, meetings
    return int(found[0])


class Problems:
    """What went wrong in a page that the page itself does not show: script errors,
    console errors (a Content-Security-Policy violation is one), failed requests."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def console(self, message: ConsoleMessage) -> None:
        where = str(message.location.get("url", ""))
        # The browser asks for /favicon.ico on its own; the app has none.
        if message.type == "error" and not where.endswith("/favicon.ico"):
            self.seen.append(f"console: {message.text} ({where})")

    def page_error(self, error: PlaywrightError) -> None:
        self.seen.append(f"script error: {error}")


def _context(
    browser: Browser, base: str, problems: Problems, *, javascript: bool = True
) -> BrowserContext:
    context = browser.new_context(
        base_url=base,
        viewport={"width": VIEWPORT["width"], "height": VIEWPORT["height"]},
        locale="ja-JP",
        java_script_enabled=javascript,
    )
    context.set_default_timeout(15_000)
    context.on("console", problems.console)
    context.on("weberror", lambda e: problems.page_error(e.error))
    context.on(
        "response",
        lambda r: problems.seen.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    return context


@pytest.fixture
def page(browser: Browser, base: str) -> Iterator[Page]:
    """A fresh page (no cookies: not logged in); the test fails on any page problem."""
    problems = Problems()
    context = _context(browser, base, problems)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert problems.seen == []


def _open(page: Page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path


def _login(page: Page, next_path: str) -> None:
    _open(page, "/login?" + urlencode({"next": next_path}))
    page.get_by_label("Token").fill(TOKEN)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))
    expect(page.get_by_role("button", name="log out")).to_be_visible()


def _statement_list_item(page: Page, sid: str) -> Locator:
    """The statement ``sid``'s row in the meeting page's list of statements."""
    return page.locator("ol.stmts > li").filter(has=page.locator(f'a[href="#{sid}"]'))


# ---------------------------------------------------------------- reading


def test_meeting_page_shows_participants_and_highlighted_statements(
    page: Page, reference_id: int
) -> None:
    _open(page, f"/meetings/{reference_id}")
    names = page.locator(".participants .people .name")
    expect(names).to_have_text(PARTICIPANTS)
    for name in PARTICIPANTS:
        expect(page.locator(".participants").get_by_text(name, exact=True)).to_be_visible()

    spans = page.locator(".readout .st")
    assert spans.count() > 40
    first = spans.first
    expect(first).to_be_visible()
    colour = first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in TRANSPARENT, colour
    # Each statement's badge names its speaker and act, as the span's data says.
    labelled = spans.evaluate_all(
        "els => els.map(el => [el.dataset.speaker, el.dataset.act,"
        " el.querySelector('a.badge').textContent])"
    )
    assert len(labelled) == spans.count()
    for speaker, act, badge in labelled:
        assert badge.startswith(f"{speaker} · {act}"), (speaker, act, badge)
    # Japan's, the other side's and both sides' statements have their own colours.
    colours = {
        cls: page.locator(f".readout .st.{cls}").first.evaluate(
            "el => getComputedStyle(el).backgroundColor"
        )
        for cls in ("sp-jp", "sp-other", "sp-joint")
    }
    assert len(set(colours.values())) == 3, colours
    assert not set(colours.values()) & set(TRANSPARENT), colours

    # The Article 5 statement, far down the page: its link in the list of statements
    # targets it and scrolls it into view; its own badge links to it too.
    article5 = page.locator(".readout .st").filter(has_text="第5条").first
    sid = article5.get_attribute("id")
    assert sid
    last = spans.last
    last_sid = last.get_attribute("id")
    assert last_sid and last_sid != sid
    _statement_list_item(page, last_sid).locator(f'a[href="#{last_sid}"]').click()
    page.wait_for_url(re.compile(f"#{last_sid}$"))
    expect(last).to_be_in_viewport()
    assert last.evaluate("el => el.matches(':target')")
    assert page.evaluate("window.scrollY") > 0
    article5.locator("a.badge").click()
    page.wait_for_url(re.compile(f"#{sid}$"))
    expect(article5).to_be_in_viewport()
    assert article5.evaluate("el => el.matches(':target')")
    outline = article5.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", outline


def test_search_finds_the_article_5_statement_and_facets_narrow(
    page: Page,
) -> None:
    _open(page, "/")
    box = page.locator("form.quick input[name=q]")
    box.fill("尖閣")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    hits = page.locator("ol.hits > li.hit")
    expect(hits.first).to_be_visible()
    article5 = hits.filter(has_text="第5条")
    expect(article5.first).to_be_visible()
    expect(article5.first.locator("mark").first).to_have_text("尖閣")
    before = _matches(page)
    assert before >= 2

    facet = page.locator('section.facet[data-facet="speaker"] a', has_text=re.compile("^US$"))
    facet.click()
    page.wait_for_url(re.compile(r"speaker=US"))
    expect(page.locator('section.facet[data-facet="speaker"] li.chosen')).to_contain_text("US")
    after = _matches(page)
    assert 0 < after < before, (before, after)
    speakers = page.locator("ol.hits > li.hit .meta b").all_inner_texts()
    assert speakers and set(speakers) == {"US"}, speakers
    expect(hits.filter(has_text="第5条").first).to_be_visible()


def _matches(page: Page) -> int:
    """The number of matching statements the search page reports."""
    summary = page.locator(".hits .summary").inner_text()
    found = re.match(r"\s*([\d,]+)\+? statements match", summary)
    assert found, summary
    return int(found.group(1).replace(",", ""))


# ---------------------------------------------------------------- writing


def test_correction_persists_across_a_reparse_and_can_be_undone(
    page: Page, site: tuple[str, Store], reference_id: int
) -> None:
    _, store = site
    meeting = f"/meetings/{reference_id}"
    _login(page, meeting)

    spans = page.locator(".readout .st")
    article5 = spans.filter(has_text="第5条").first
    sid = article5.get_attribute("id")
    parser_speaker = article5.get_attribute("data-speaker")
    parser_act = article5.get_attribute("data-act")
    assert sid and parser_speaker == "US" and parser_act, (sid, parser_speaker, parser_act)
    new_act = next(a for a in ("STATE", "AGREE", "AFFIRM") if a != parser_act)
    assert new_act in ACTS

    row = _statement_list_item(page, sid)
    row.locator("details.correct > summary").click()
    form = row.locator("form.correction")
    expect(form).to_be_visible()
    form.locator("select[name=speaker]").select_option("JOINT")
    form.locator("select[name=act]").select_option(new_act)
    form.locator("input[name=note]").fill("both sides said it (browser test)")
    form.get_by_role("button", name="Save").click()

    def shows_corrected() -> None:
        expect(row).to_have_class(re.compile(r"\bcorrected\b"))
        expect(row.locator(".pill.fix")).to_contain_text(
            f"corrected (parser: {parser_speaker} {parser_act})"
        )
        expect(article5).to_have_class(re.compile(r"\bcorrected\b"))
        expect(article5).to_have_attribute("data-speaker", "JOINT")
        expect(article5).to_have_attribute("data-act", new_act)
        expect(article5.locator("a.badge")).to_have_text(
            re.compile(rf"^JOINT · {new_act}( · reaffirmed)? · corrected$")
        )

    shows_corrected()
    assert f"/meetings/{reference_id}" in page.url

    # A real reparse of every document rewrites the parser's rows; the correction stays.
    summary = reparse(store, all=True)
    assert summary.ok and summary.reparsed == 9, summary
    page.reload()
    shows_corrected()
    data = _api(page.url.split("/meetings/")[0], f"/api/meetings/{reference_id}")
    statement = next(s for s in data["record"]["statements"] if s["id"] == sid)
    assert (statement["speaker"], statement["act"]) == ("JOINT", new_act)
    assert data["corrections"][sid]["note"] == "both sides said it (browser test)"
    _open(page, "/corrections")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    expect(page.locator("table.list tbody tr")).to_contain_text(f"JOINT {new_act}")

    # Undo: the parser's values come back.
    _open(page, meeting)
    row.locator("details.correct > summary").click()
    row.get_by_role("button", name="Undo correction").click()
    expect(article5).not_to_have_class(re.compile(r"\bcorrected\b"))
    expect(article5).to_have_attribute("data-speaker", parser_speaker)
    expect(article5).to_have_attribute("data-act", parser_act)
    expect(article5.locator("a.badge")).to_have_text(
        re.compile(rf"^{parser_speaker} · {parser_act}( · reaffirmed)?$")
    )
    expect(row).not_to_have_class(re.compile(r"\bcorrected\b"))
    expect(page.locator(".readout .st.corrected")).to_have_count(0)


def test_without_logging_in_there_are_no_correction_forms(page: Page, reference_id: int) -> None:
    _open(page, f"/meetings/{reference_id}")
    expect(page.locator(".readout .st").first).to_be_visible()
    expect(page.locator("ol.stmts > li").first).to_be_visible()
    expect(page.locator("details.correct")).to_have_count(0)
    expect(page.locator("form.correction")).to_have_count(0)
    expect(page.get_by_role("link", name="log in")).to_be_visible()


def test_pages_read_without_javascript(browser: Browser, base: str, reference_id: int) -> None:
    problems = Problems()
    context = _context(browser, base, problems, javascript=False)
    try:
        page = context.new_page()
        assert page.evaluate("1 + 1") == 2  # Playwright's own evaluation still runs
        _open(page, f"/meetings/{reference_id}")
        expect(page.locator(".readout")).to_contain_text("日米安全保障条約第5条")
        expect(page.locator(".participants .people .name")).to_have_text(PARTICIPANTS)
        expect(page.locator(".readout .st").first).to_be_visible()
        # The search box is a plain form: Enter submits it without a script.
        box = page.locator("form.quick input[name=q]")
        box.fill("尖閣")
        box.press("Enter")
        page.wait_for_url(re.compile(r"/search\?q="))
        article5 = page.locator("ol.hits > li.hit").filter(has_text="第5条").first
        expect(article5).to_be_visible()
        expect(article5.locator("mark").first).to_have_text("尖閣")
    finally:
        context.close()
    assert problems.seen == []


# ---------------------------------------------------------------- screenshots


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def test_screenshots_of_the_main_pages(page: Page, base: str, reference_id: int) -> None:
    """Screenshots in build/screenshots/ (make screenshots puts the meeting page's in
    docs/img/meeting.png for the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    series = [
        m
        for m in _api(base, "/api/meetings?kind=2%2B2&counterpart=US&limit=500")["meetings"]
        if "series" in m["source"]
    ]
    a, b = series[-2]["id"], series[-1]["id"]
    # The Article 5 position from its first statement in the series on.
    hits = _api(base, "/api/search?q=尖閣&kind=2%2B2&limit=100")["hits"]
    first = min(
        (h for h in hits if "第5条" in h["text"] and "series" in h["source"]),
        key=lambda h: h["date"],
    )
    shots = {
        "home": ("/", "p.lead"),
        "meetings": ("/meetings", "main a[href^='/meetings/']"),
        "meeting": (f"/meetings/{reference_id}", ".readout .st"),
        "search": ("/search?q=尖閣", "ol.hits > li.hit mark"),
        "diff": (f"/diff?a={a}&b={b}", "main h2"),
        "trace": (f"/trace?statement={first['statement_id']}", "ol.trace > li:nth-child(2)"),
        "commitments": ("/commitments?as_of=2026-01-01", "p.counts a.status"),
        "timeline": ("/timeline?topic=senkaku", "svg.chart rect"),
    }
    for name, (path, ready) in shots.items():
        _open(page, path)
        expect(page.locator(ready).first).to_be_visible()
        page.screenshot(path=SCREENSHOTS / f"{name}.png")
        if name == "meeting":
            page.screenshot(path=SCREENSHOTS / "meeting-full.png", full_page=True)
            # The Article 5 statement targeted: the highlighted text at the top.
            article5 = page.locator(".readout .st").filter(has_text="第5条").first
            page.goto(f"{path}#{article5.get_attribute('id')}")  # same document: no response
            expect(article5).to_be_in_viewport()
            page.screenshot(path=SCREENSHOTS / "meeting-statement.png")

    # The corrections page with one correction on it, made and removed through the API.
    reference = _api(base, f"/api/meetings/{reference_id}")["record"]
    sid = next(s["id"] for s in reference["statements"] if "第5条" in s["text"])
    url = f"/api/meetings/{reference_id}/statements/{sid}/correction"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    made = httpx.post(base + url, json={"act": "STATE", "note": "example"}, headers=headers)
    assert made.status_code == 200, made.text
    try:
        _open(page, "/corrections")
        expect(page.locator("table.list tbody tr").first).to_contain_text(sid)
        page.screenshot(path=SCREENSHOTS / "corrections.png")
    finally:
        undone = httpx.delete(base + url, headers=headers)
        assert undone.status_code == 200 and undone.json()["removed"], undone.text

    for name in [*shots, "meeting-statement", "corrections"]:
        shot = SCREENSHOTS / f"{name}.png"
        assert _png_size(shot) == (VIEWPORT["width"], VIEWPORT["height"]), name
        assert shot.stat().st_size > 10_000, name  # not a blank page
    width, height = _png_size(SCREENSHOTS / "meeting-full.png")
    assert width == VIEWPORT["width"] and height > VIEWPORT["height"]
