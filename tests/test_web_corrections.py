"""Corrections through the web app: a statement's speaker and act, a commitment's verdict.

Served by uvicorn on 127.0.0.1 over SQLite and the real PostgreSQL server; checks that a
correction is shown as corrected, survives ``reparse``, feeds search, and comes out of
``/corrections/gold.zip`` as gold files that ``readout eval`` scores the parser against.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import httpx

from readout.evaluate import evaluate
from readout.gold import find_gold, load_gold
from readout.ingest import reparse
from readout.store import Store
from tests import stores
from tests.web import TOKEN, load_corpus, serve

store = stores.store
store_url = stores.store_url

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _reference(client: httpx.Client) -> int:
    rows = client.get("/api/meetings", params={"limit": 500}).json()["meetings"]
    return int(next(m["id"] for m in rows if m["source"].endswith("jp-us-2plus2.txt")))


def _statement(client: httpx.Client, ref: int, sid: str) -> dict[str, object]:
    record = client.get(f"/api/meetings/{ref}").json()["record"]
    found: dict[str, object] = next(s for s in record["statements"] if s["id"] == sid)
    return found


def test_a_correction_is_shown_survives_reparse_and_exports_as_gold(
    store: Store, tmp_path: Path
) -> None:
    load_corpus(store)
    with (
        serve(store, token=TOKEN) as base,
        httpx.Client(base_url=base, timeout=30, trust_env=False) as client,
    ):
        ref = _reference(client)
        # st8 is the United States' reaffirmation that Article 5 covers the Senkakus.
        before = _statement(client, ref, "st8")
        assert (before["speaker"], before["act"]) == ("US", "AFFIRM")
        response = client.post(
            f"/api/meetings/{ref}/statements/st8/correction",
            json={
                "speaker": "JOINT",
                "act": "AGREE",
                "note": "both sides, per the joint statement",
            },
            headers=AUTH,
        )
        assert response.status_code == 200, response.text
        fix = response.json()
        assert (fix["speaker"], fix["act"]) == ("JOINT", "AGREE")
        assert (fix["parser_speaker"], fix["parser_act"]) == ("US", "AFFIRM")

        def shown() -> None:
            data = client.get(f"/api/meetings/{ref}").json()
            assert data["corrections"]["st8"]["act"] == "AGREE"
            st = next(s for s in data["record"]["statements"] if s["id"] == "st8")
            assert (st["speaker"], st["act"]) == ("JOINT", "AGREE")
            page = client.get(f"/meetings/{ref}").text
            assert 'class="st sp-joint act-agree corrected" id="st8"' in page
            assert "corrected (parser: US AFFIRM)" in page
            hits = client.get(
                "/api/search", params={"q": "尖閣", "speaker": "JOINT", "act": "AGREE"}
            ).json()["hits"]
            assert any(h["document_id"] == ref and h["sid"] == "st8" for h in hits)

        shown()
        summary = reparse(store, all=True)
        assert summary.reparsed == 9 and not summary.failed
        shown()

        listed = client.get("/api/corrections").json()["corrections"]
        assert [(c["document_id"], c["sid"], c["attached"]) for c in listed] == [(ref, "st8", True)]
        archive = client.get("/corrections/gold.zip")
        assert archive.status_code == 200
        assert archive.headers["content-type"] == "application/zip"
        gold_dir = tmp_path / "gold"
        zipfile.ZipFile(io.BytesIO(archive.content)).extractall(gold_dir)
        gold_files = find_gold(gold_dir)
        assert len(gold_files) == 1
        gold = load_gold(gold_files[0])
        corrected = [s for s in gold.statements if s.id == "st8"]
        assert corrected and (corrected[0].speaker, corrected[0].act) == ("JOINT", "AGREE")
        scores = evaluate(gold_dir)
        assert scores.files == 1
        # The parser still says US/AFFIRM: the analyst's correction is its one disagreement
        # on speaker and act.
        wrong = [
            (e.part, e.gold, e.predicted) for e in scores.errors if e.part in ("speaker", "act")
        ]
        assert sorted(wrong) == [("act", "AGREE", "AFFIRM"), ("speaker", "JOINT", "US")]

        undo = client.delete(f"/api/meetings/{ref}/statements/st8/correction", headers=AUTH)
        assert undo.json()["removed"] is True
        after = _statement(client, ref, "st8")
        assert (after["speaker"], after["act"]) == ("US", "AFFIRM")
        assert client.get("/api/corrections").json()["corrections"] == []


def test_invalid_corrections_are_refused_with_one_line(store: Store) -> None:
    load_corpus(store)
    with (
        serve(store, token=TOKEN) as base,
        httpx.Client(base_url=base, timeout=30, trust_env=False) as client,
    ):
        ref = _reference(client)
        cases = [
            (f"/api/meetings/{ref}/statements/st8/correction", {"act": "SHOUT"}, 400, "SHOUT"),
            (f"/api/meetings/{ref}/statements/st8/correction", {"speaker": "FR"}, 400, "FR"),
            (f"/api/meetings/{ref}/statements/st8/correction", {}, 400, ""),
            (f"/api/meetings/{ref}/statements/st999/correction", {"act": "AGREE"}, 404, "st999"),
            ("/api/meetings/99999/statements/st1/correction", {"act": "AGREE"}, 404, "99999"),
        ]
        for url, body, status, text in cases:
            response = client.post(url, json=body, headers=AUTH)
            assert response.status_code == status, (url, body, response.text)
            message = response.json()["error"]
            assert text in message and "\n" not in message
        assert client.get(f"/api/meetings/{ref}").json()["corrections"] == {}


def test_a_commitment_verdict_is_set_and_cleared(store: Store) -> None:
    load_corpus(store)
    with (
        serve(store, token=TOKEN) as base,
        httpx.Client(base_url=base, timeout=30, trust_env=False) as client,
    ):
        board = client.get("/api/commitments", params={"as_of": "2026-01-01"}).json()
        target = next(c for c in board["commitments"] if c["status"] in ("open", "due"))
        url = f"/api/commitments/{target['id']}/status"
        set_ = client.post(url, json={"status": "met", "note": "done in 2025"}, headers=AUTH)
        assert set_.status_code == 200 and set_.json()["status"] == "met"
        after = client.get("/api/commitments", params={"as_of": "2026-01-01"}).json()
        row = next(c for c in after["commitments"] if c["id"] == target["id"])
        assert (row["status"], row["note"]) == ("met", "done in 2025")
        page = client.get(f"/meetings/{target['document_id']}").text
        assert f'id="commitment-{target["id"]}"' in page
        bad = client.post(url, json={"status": "maybe"}, headers=AUTH)
        assert bad.status_code == 400 and "maybe" not in bad.json()["error"].split(":")[0]
        cleared = client.post(url, json={"status": None}, headers=AUTH)
        assert cleared.json()["removed"] is True
        again = client.get("/api/commitments", params={"as_of": "2026-01-01"}).json()
        row = next(c for c in again["commitments"] if c["id"] == target["id"])
        assert row["status"] == target["status"]
        missing = client.post(
            "/api/commitments/999999/status", json={"status": "met"}, headers=AUTH
        )
        assert missing.status_code == 404


def test_listing_facets_follow_changes_made_outside_the_app(store: Store) -> None:
    """The app keeps a listing's facets until the store changes; a correction made by
    another process (here the library, as `readout correct` does) shows at once."""
    from readout.corrections import clear_correction, correct_statement

    load_corpus(store)
    with (
        serve(store, token=TOKEN) as base,
        httpx.Client(base_url=base, timeout=30, trust_env=False) as client,
    ):
        ref = _reference(client)

        def acts() -> dict[str, int]:
            listing = client.get("/api/search", params={"speaker": "US"}).json()
            return {f["value"]: f["count"] for f in listing["facets"]["act"]}

        before = acts()
        assert acts() == before  # asked again: the same counts (from the cache)
        correct_statement(store, ref, "st8", act="CONDEMN")
        after = acts()
        assert after["CONDEMN"] == before.get("CONDEMN", 0) + 1
        assert after["AFFIRM"] == before["AFFIRM"] - 1
        clear_correction(store, ref, "st8")
        assert acts() == before
