"""The web app: server-rendered pages over the store, each with a JSON twin under /api.

``create_app(WebConfig(db=…))`` builds a FastAPI app; ``readout serve`` runs it with
uvicorn.  Every page is a GET with a stable URL whose query string holds its filters;
``/api/…`` with the same path and query gives the same data as JSON, and
``/openapi.json`` describes the API.  Pages work without JavaScript; the one script
(``static/app.js``, ours) only adds conveniences.

Writes (corrections, commitment verdicts, ingest) need the token the server was started
with (:mod:`readout.web.security`); without one the app is read-only.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Body, Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.datastructures import UploadFile

from readout import __version__, corrections, tracker
from readout.errors import ReadoutInputError
from readout.ingest import Outcome, ingest
from readout.io import is_url
from readout.lineage import LineageError
from readout.model import ACTS, KINDS
from readout.search import FACET_LIMIT, RANK_WINDOW, SearchError
from readout.store import Store, StoreError, connect
from readout.store.read import DocumentNotFound, table_counts
from readout.web import render, views
from readout.web.security import (
    COOKIE,
    can_write,
    require_writer,
    same_token,
    security_headers,
)

HERE = Path(__file__).resolve().parent
#: Uploads larger than this are refused (``READOUT_MAX_UPLOAD`` bytes overrides it).
DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".pdf")
# Multipart framing around the file: boundaries, headers, the other small fields.
_FORM_OVERHEAD = 64 * 1024


@dataclass
class WebConfig:
    """How to serve: the store, the write token (None: read-only), upload limits."""

    db: str | None = None
    token: str | None = None
    max_upload: int = DEFAULT_MAX_UPLOAD
    uploads: Path = field(default_factory=lambda: Path("readout-uploads"))

    @classmethod
    def from_env(cls, db: str | None = None, uploads: Path | None = None) -> WebConfig:
        limit = os.environ.get("READOUT_MAX_UPLOAD")
        return cls(
            db=db,
            token=os.environ.get("READOUT_TOKEN") or None,
            max_upload=int(limit) if limit else DEFAULT_MAX_UPLOAD,
            uploads=uploads or Path(os.environ.get("READOUT_UPLOADS", "readout-uploads")),
        )

    def environment(self, db_url: str) -> dict[str, str]:
        """What :meth:`from_env` reads, for processes started afresh (``--workers``)."""
        env = {
            "READOUT_DB": db_url,
            "READOUT_MAX_UPLOAD": str(self.max_upload),
            "READOUT_UPLOADS": str(self.uploads.resolve()),
        }
        if self.token:
            env["READOUT_TOKEN"] = self.token
        return env


MAX_ID = 2**31 - 1

# Query parameters the pages and their JSON twins share.
Kind = Annotated[str | None, Query(description="meeting kind: " + ", ".join(KINDS))]
Counterpart = Annotated[str | None, Query(description="a side code (US, AU, …)")]
Since = Annotated[str | None, Query(description="from this date on (YYYY[-MM[-DD]])")]
Until = Annotated[str | None, Query(description="up to this date, inclusive")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="skip this many")]
#: A row id in a path: the database's integer range, so a huge number is a 422, not a 500.
RowId = Annotated[int, PathParam(ge=1, le=MAX_ID)]
MeetingId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Multi = Annotated[list[str] | None, Query(description="one or more values (or a,b)")]
Status = Annotated[str | None, Query(description=", ".join(tracker.STATUSES))]
Actor = Annotated[str | None, Query(description="JP, US, JOINT, …")]
DueBefore = Annotated[str | None, Query(description="deadline ends before this date")]
AsOf = Annotated[str | None, Query(description="status on this day (default today)")]
By = Annotated[str, Query(description="count by act or speaker")]
AllVersions = Annotated[bool, Query(description="older versions of a source too")]


def app_from_environment() -> FastAPI:
    """The app as ``readout serve --workers N`` starts it in each process: the store in
    ``READOUT_DB`` and the rest of :meth:`WebConfig.from_env`."""
    return create_app(WebConfig.from_env(db=os.environ.get("READOUT_DB")))


class Problem(Exception):
    """An error with its HTTP status, shown as a page or as ``{"error": …}``."""

    def __init__(self, status: int, message: str) -> None:
        self.status, self.message = status, message
        super().__init__(message)


class CorrectionIn(BaseModel):
    speaker: str | None = Field(default=None, description="JOINT or a side of the meeting")
    act: str | None = Field(default=None, description="one of the record's acts")
    note: str | None = None


class VerdictIn(BaseModel):
    status: str | None = Field(description="met, dropped, or null to clear the verdict")
    note: str | None = None


def _api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _csv(values: list[str] | None) -> str | None:
    """Repeated and comma-separated query values as one comma-separated string."""
    if not values:
        return None
    joined = ",".join(v for v in values if v.strip())
    return joined or None


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Problem(400, f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


def _partial(value: str | None, name: str) -> str | None:
    if not value:
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise Problem(400, f"{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


def _choice(value: str | None, allowed: tuple[str, ...], name: str) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise Problem(400, f"unknown {name} {value!r} (one of: {', '.join(allowed)})")
    return value


def _local(target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site, else ``fallback`` (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return fallback


def _meetings_query(
    kind: Kind = None,
    counterpart: Counterpart = None,
    since: Since = None,
    until: Until = None,
    all_versions: AllVersions = False,
    limit: Annotated[int, Query(ge=1, le=500)] = views.MEETINGS_PAGE,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The meetings list's query string, checked: :func:`views.meetings`' arguments."""
    return {
        "page": views.Page(limit, offset),
        "kind": _choice(kind, KINDS, "kind"),
        "counterpart": counterpart.upper() if counterpart else None,
        "since": _partial(since, "since"),
        "until": _partial(until, "until"),
        "all_versions": all_versions,
    }


def _search_query(
    q: Annotated[str, Query(description="words to find (Japanese or English)")] = "",
    speaker: Multi = None,
    act: Multi = None,
    topic: Multi = None,
    kind: Multi = None,
    counterpart: Multi = None,
    year: Multi = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=1, le=100)] = views.SEARCH_PAGE,
    offset: Offset = 0,
) -> tuple[str, views.Page, dict[str, str | None]]:
    """The search's query string: the words, the page, the filters (checked by search)."""
    filters = {
        "speaker": _csv(speaker),
        "act": _csv(act),
        "topic": _csv(topic),
        "kind": _csv(kind),
        "counterpart": _csv(counterpart),
        "year": _csv(year),
        "since": since or None,
        "until": until or None,
    }
    return q, views.Page(limit, offset), filters


def _commitments_query(
    status: Status = None,
    actor: Actor = None,
    due_before: DueBefore = None,
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = views.COMMITMENTS_PAGE,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The board's query string, checked: :func:`views.commitments`' arguments."""
    due = _partial(due_before, "due_before")
    if due:
        try:
            tracker.period_start(due)
        except ValueError:
            raise Problem(400, f"due_before {due!r} is not a date") from None
    return {
        "page": views.Page(limit, offset),
        "status": _choice(status, tracker.STATUSES, "status"),
        "actor": actor.upper() if actor else None,
        "due_before": due,
        "as_of": _date(as_of, "as_of"),
    }


def _timeline_query(
    by: By = "act",
    kind: Kind = None,
    counterpart: Counterpart = None,
    since: Since = None,
    until: Until = None,
) -> dict[str, Any]:
    """A timeline's filters (the topic is the route's own)."""
    return {
        "by": by,
        "kind": kind or None,
        "counterpart": counterpart or None,
        "since": since or None,
        "until": until or None,
    }


# A page and its JSON twin take the same query string through one of these.
MeetingsQ = Annotated[dict[str, Any], Depends(_meetings_query)]
SearchQ = Annotated[tuple[str, views.Page, dict[str, str | None]], Depends(_search_query)]
CommitmentsQ = Annotated[dict[str, Any], Depends(_commitments_query)]
TimelineQ = Annotated[dict[str, Any], Depends(_timeline_query)]


def create_app(config: WebConfig | None = None, *, store: Store | None = None) -> FastAPI:
    """The app over ``store`` (or the store ``config.db`` names, opened and migrated)."""
    config = config or WebConfig.from_env()
    opened = store or connect(config.db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if store is None:
            opened.close()

    app = FastAPI(
        title="readout",
        version=__version__,
        description=(
            "Structured, source-linked records of diplomatic meeting readouts: meetings, "
            "statements by speaker and act, commitments. Every page of the web app has a "
            "JSON twin here with the same path under /api and the same query parameters."
        ),
        docs_url=None,  # FastAPI's docs pages load scripts from a CDN; /api/docs is ours
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = opened
    facet_cache = views.FacetCache()
    app.state.config = config
    app.middleware("http")(security_headers)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(
        speaker_class=render.speaker_class,
        marked=render.marked,
        wording=render.wording,
        search_url=render.search_url,
        version=__version__,
        acts=ACTS,
        kinds=KINDS,
    )

    #: Pages whose data is not a GET under /api: the spec, or nothing.
    twins: dict[str, str | None] = {
        "/api/docs": "/openapi.json",
        "/login": None,
        "/ingest": None,
        "/timeline.svg": None,
    }

    def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        path = request.url.path
        twin: str | None = "/api" + path if path != "/" else "/api"
        if path in twins:
            twin = twins[path]
        elif request.url.query:
            twin = f"{twin}?{request.url.query}"
        base = {
            "request": request,
            "json_url": twin,
            "writer": can_write(request, config.token),
            "read_only": not config.token,
            "path": request.url.path + (("?" + request.url.query) if request.url.query else ""),
        }
        return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)

    def query_with(request: Request, **changes: str | int | None) -> str:
        """This page's URL with some query parameters replaced (None removes one)."""
        params = dict(request.query_params)
        params.pop("offset", None)
        for key, value in changes.items():
            if value is None or value == "":
                params.pop(key, None)
            else:
                params[key] = str(value)
        return request.url.path + ("?" + urlencode(params) if params else "")

    templates.env.globals["query_with"] = query_with

    # ---------------------------------------------------------------- errors

    def _error(request: Request, status: int, message: str) -> Response:
        if _api(request) or "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"error": message, "status": status}, status_code=status)
        return page(request, "error.html", {"status": status, "message": message}, status)

    @app.exception_handler(Problem)
    async def _problem(request: Request, err: Problem) -> Response:
        return _error(request, err.status, err.message)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, err: HTTPException) -> Response:
        response = _error(request, err.status_code, str(err.detail))
        for key, value in (err.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, err: RequestValidationError) -> Response:
        first = err.errors()[0] if err.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "body"))
        message = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid request"
        return _error(request, 422, message)

    for cls, status in (
        (DocumentNotFound, 404),
        (LineageError, 404),
        (tracker.CommitmentNotFound, 404),
        (corrections.StatementNotFound, 404),
        (corrections.CorrectionError, 400),
        (SearchError, 400),
        (StoreError, 503),
    ):

        async def _mapped(request: Request, err: Exception, status: int = status) -> Response:
            return _error(request, status, str(err))

        app.add_exception_handler(cls, _mapped)

    def store_of(request: Request) -> Store:
        result: Store = request.app.state.store
        return result

    # ---------------------------------------------------------------- home

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> Response:
        st = store_of(request)
        recent = views.meetings(st, page=views.Page(10, 0))
        return page(
            request,
            "home.html",
            {"counts": table_counts(st), "recent": recent["meetings"], "topics": views.topics()},
        )

    @app.get("/api", tags=["meta"], summary="What the API offers and what the store holds")
    def api_index(request: Request) -> dict[str, Any]:
        return {
            "name": "readout",
            "version": __version__,
            "openapi": "/openapi.json",
            "read_only": not config.token,
            "counts": table_counts(store_of(request)),
            "endpoints": sorted(p for p in app.openapi()["paths"] if p.startswith("/api")),
        }

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request) -> Response:
        spec = app.openapi()
        return page(request, "api.html", {"spec": spec})

    # ---------------------------------------------------------------- meetings

    @app.get("/meetings", response_class=HTMLResponse, include_in_schema=False)
    def meetings_page(request: Request, query: MeetingsQ) -> Response:
        data = views.meetings(store_of(request), **query)
        return page(request, "meetings.html", {"data": data})

    @app.get("/api/meetings", tags=["meetings"], summary="Meetings by date, with filters")
    def meetings_api(request: Request, query: MeetingsQ) -> dict[str, Any]:
        return views.meetings(store_of(request), **query)

    @app.get("/meetings/{document_id}", response_class=HTMLResponse, include_in_schema=False)
    def meeting_page(request: Request, document_id: RowId) -> Response:
        record, data = views.meeting_and_record(store_of(request), document_id)
        html = render.readout_html(record, data["corrections"], statement_ids=data["statement_ids"])
        return page(
            request,
            "meeting.html",
            {"data": data, "r": data["record"], "readout_html": html},
        )

    @app.get(
        "/api/meetings/{document_id}",
        tags=["meetings"],
        summary="One meeting: its record with corrections, commitments, previous meeting",
    )
    def meeting_api(request: Request, document_id: RowId) -> dict[str, Any]:
        return views.meeting(store_of(request), document_id)

    # ---------------------------------------------------------------- search

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, query: SearchQ) -> Response:
        data = views.search_page(store_of(request), *query, facet_cache)
        context = {
            "data": data,
            "q": query[0],
            "topic_labels": dict(views.topics()),
            "rank_window": RANK_WINDOW,
            "facet_limit": FACET_LIMIT,
        }
        return page(request, "search.html", context)

    @app.get(
        "/api/search",
        tags=["search"],
        summary="Statements matching a Japanese query and filters, with facets",
    )
    def search_api(request: Request, query: SearchQ) -> dict[str, Any]:
        return views.search_page(store_of(request), *query, facet_cache)

    # ---------------------------------------------------------------- diff and trace

    @app.get("/diff", response_class=HTMLResponse, include_in_schema=False)
    def diff_page(request: Request, b: MeetingId = None, a: MeetingId = None) -> Response:
        data = views.diff(store_of(request), a, b) if b is not None else None
        return page(request, "diff.html", {"data": data, "a": a, "b": b})

    @app.get(
        "/api/diff",
        tags=["compare"],
        summary="What is new, reaffirmed, changed and dropped in meeting B against A",
    )
    def diff_api(
        request: Request,
        b: Annotated[int, Query(ge=1, le=MAX_ID, description="the later meeting's id")],
        a: Annotated[
            int | None,
            Query(ge=1, le=MAX_ID, description="the earlier one (default: previous of the series)"),
        ] = None,
    ) -> dict[str, Any]:
        return views.diff(store_of(request), a, b)

    def _trace(request: Request, q: str | None, statement: int | None) -> dict[str, Any] | None:
        if statement is not None:
            return views.trace(store_of(request), statement)
        if q and q.strip():
            return views.trace(store_of(request), q)
        return None

    @app.get("/trace", response_class=HTMLResponse, include_in_schema=False)
    def trace_page(request: Request, q: str | None = None, statement: MeetingId = None) -> Response:
        data = _trace(request, q, statement)
        return page(request, "trace.html", {"data": data, "q": q or ""})

    @app.get(
        "/api/trace",
        tags=["compare"],
        summary="A position across meetings: first appearance, later wording, gaps",
    )
    def trace_api(
        request: Request,
        q: Annotated[str | None, Query(description="find the position by words")] = None,
        statement: Annotated[
            int | None, Query(ge=1, le=MAX_ID, description="or by statement id")
        ] = None,
    ) -> dict[str, Any]:
        data = _trace(request, q, statement)
        if data is None:
            raise Problem(400, "give q (words) or statement (an id)")
        return data

    # ---------------------------------------------------------------- commitments

    @app.get("/commitments", response_class=HTMLResponse, include_in_schema=False)
    def commitments_page(request: Request, query: CommitmentsQ) -> Response:
        data = views.commitments(store_of(request), **query)
        return page(request, "commitments.html", {"data": data, "statuses": tracker.STATUSES})

    @app.get(
        "/api/commitments",
        tags=["commitments"],
        summary="Commitments with due dates, status and evidence",
    )
    def commitments_api(request: Request, query: CommitmentsQ) -> dict[str, Any]:
        return views.commitments(store_of(request), **query)

    @app.get("/commitments/{commitment_id}", response_class=HTMLResponse, include_in_schema=False)
    def commitment_page(request: Request, commitment_id: RowId, as_of: AsOf = None) -> Response:
        data = views.commitment(store_of(request), commitment_id, _date(as_of, "as_of"))
        return page(request, "commitment.html", {"c": data})

    @app.get(
        "/api/commitments/{commitment_id}",
        tags=["commitments"],
        summary="One commitment: status and the later statements that match it",
    )
    def commitment_api(
        request: Request, commitment_id: RowId, as_of: AsOf = None
    ) -> dict[str, Any]:
        return views.commitment(store_of(request), commitment_id, _date(as_of, "as_of"))

    # ---------------------------------------------------------------- timeline

    def _timeline(request: Request, topic: str, filters: dict[str, Any]) -> Any:
        try:
            return views.timeline_data(store_of(request), topic, **filters)
        except ValueError as err:  # an empty topic, an unknown "by"
            raise Problem(400, str(err)) from None

    def _chart(tl: Any) -> Any:
        title = f"{tl.label}: statements by {tl.by}, per year"
        return render.bar_chart_svg(tl.by_year(), tl.keys, title=title)

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(request: Request, filters: TimelineQ, topic: str = "") -> Response:
        chart = data = None
        if topic.strip():
            tl = _timeline(request, topic, filters)
            data, chart = views.timeline_dict(tl), _chart(tl)
        context = {
            "data": data,
            "chart": chart,
            "topic": topic,
            "by": filters["by"],
            "topics": views.topics(),
        }
        return page(request, "timeline.html", context)

    @app.get(
        "/api/timeline",
        tags=["compare"],
        summary="Statements on a topic (an id or words) per meeting and year",
    )
    def timeline_api(
        request: Request,
        topic: Annotated[str, Query(description="a topic id or words")],
        filters: TimelineQ,
    ) -> dict[str, Any]:
        return views.timeline_dict(_timeline(request, topic, filters))

    @app.get("/timeline.svg", include_in_schema=False)
    def timeline_svg(request: Request, topic: str, filters: TimelineQ) -> Response:
        return Response(str(_chart(_timeline(request, topic, filters))), media_type="image/svg+xml")

    # ---------------------------------------------------------------- login

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, next: str = "/") -> Response:
        return page(request, "login.html", {"next": _local(next, "/"), "failed": False})

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        form = await request.form()
        target = _local(str(form.get("next") or "/"), "/")
        if not config.token:
            raise HTTPException(403, "this server is read-only: there is nothing to log in to")
        given = str(form.get("token") or "")
        if not same_token(given, config.token):
            return page(request, "login.html", {"next": target, "failed": True}, 401)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(COOKIE, given, httponly=True, samesite="strict", path="/")
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    # ---------------------------------------------------------------- corrections

    def _correct(
        request: Request, document_id: int, sid: str, body: CorrectionIn
    ) -> dict[str, Any]:
        require_writer(request, config.token)
        fixed = corrections.correct_statement(
            store_of(request),
            document_id,
            sid,
            speaker=body.speaker or None,
            act=body.act or None,
            note=body.note or None,
        )
        return fixed.to_dict()

    @app.post(
        "/api/meetings/{document_id}/statements/{sid}/correction",
        tags=["corrections"],
        summary="Correct a statement's speaker or act (token needed)",
    )
    def correct_api(
        request: Request, document_id: RowId, sid: str, body: Annotated[CorrectionIn, Body()]
    ) -> dict[str, Any]:
        return _correct(request, document_id, sid, body)

    @app.delete(
        "/api/meetings/{document_id}/statements/{sid}/correction",
        tags=["corrections"],
        summary="Remove a correction: the parser's values come back (token needed)",
    )
    def uncorrect_api(request: Request, document_id: RowId, sid: str) -> dict[str, Any]:
        require_writer(request, config.token)
        removed = corrections.clear_correction(store_of(request), document_id, sid)
        return {"document_id": document_id, "sid": sid, "removed": removed}

    @app.post("/meetings/{document_id}/statements/{sid}/correction", include_in_schema=False)
    async def correct_form(request: Request, document_id: RowId, sid: str) -> Response:
        form = await request.form()
        require_writer(request, config.token)
        if form.get("clear"):
            corrections.clear_correction(store_of(request), document_id, sid)
        else:
            body = CorrectionIn(
                speaker=str(form.get("speaker") or "") or None,
                act=str(form.get("act") or "") or None,
                note=str(form.get("note") or "") or None,
            )
            _correct(request, document_id, sid, body)
        return RedirectResponse(f"/meetings/{document_id}#{sid}", status_code=303)

    @app.get("/corrections", response_class=HTMLResponse, include_in_schema=False)
    def corrections_page(request: Request) -> Response:
        rows = [c.to_dict() for c in corrections.list_corrections(store_of(request))]
        return page(request, "corrections.html", {"rows": rows})

    @app.get("/api/corrections", tags=["corrections"], summary="Every analyst correction")
    def corrections_api(request: Request) -> dict[str, Any]:
        rows = [c.to_dict() for c in corrections.list_corrections(store_of(request))]
        return {"corrections": rows}

    @app.get("/corrections/gold.zip", include_in_schema=False)
    @app.get(
        "/api/corrections/gold.zip",
        tags=["corrections"],
        summary="The corrected meetings as gold files for `readout eval DIR`",
        response_class=Response,
    )
    def corrections_gold(request: Request) -> Response:
        buffer = io.BytesIO()
        with tempfile.TemporaryDirectory() as tmp:
            written = corrections.export_gold(store_of(request), Path(tmp))
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in written:
                    archive.write(path, path.name)
                    text = path.with_name(path.name.replace(".gold.json", ".txt"))
                    if path.name.endswith(".gold.json") and text.exists():
                        archive.write(text, text.name)
        return Response(
            buffer.getvalue(),
            media_type="application/zip",
            headers={"Content-Disposition": 'attachment; filename="readout-gold.zip"'},
        )

    def _verdict(request: Request, commitment_id: int, body: VerdictIn) -> dict[str, Any]:
        require_writer(request, config.token)
        if body.status in (None, "", "clear"):
            removed = tracker.clear_status(store_of(request), commitment_id)
            return {"commitment_id": commitment_id, "status": None, "removed": removed}
        if body.status not in tracker.SET_STATUSES:
            raise Problem(400, f"status must be one of {', '.join(tracker.SET_STATUSES)} or null")
        row = tracker.set_status(store_of(request), commitment_id, body.status, body.note)
        return {
            "commitment_id": row.commitment_id,
            "status": row.status,
            "note": row.note,
            "set_at": row.set_at.isoformat(),
        }

    @app.post(
        "/api/commitments/{commitment_id}/status",
        tags=["corrections"],
        summary="Set (met, dropped) or clear (null) a commitment's verdict (token needed)",
    )
    def verdict_api(
        request: Request, commitment_id: RowId, body: Annotated[VerdictIn, Body()]
    ) -> dict[str, Any]:
        return _verdict(request, commitment_id, body)

    @app.post("/commitments/{commitment_id}/status", include_in_schema=False)
    async def verdict_form(request: Request, commitment_id: RowId) -> Response:
        form = await request.form()
        require_writer(request, config.token)
        body = VerdictIn(
            status=str(form.get("status") or "") or None, note=str(form.get("note") or "") or None
        )
        _verdict(request, commitment_id, body)
        back = _local(str(form.get("next") or ""), "/commitments")
        return RedirectResponse(back, status_code=303)

    # ---------------------------------------------------------------- ingest

    async def _ingest(request: Request) -> tuple[Outcome, str]:
        """Store the uploaded file or the URL a form gives; its outcome and the source."""
        require_writer(request, config.token)
        limit = config.max_upload
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit + _FORM_OVERHEAD:
            raise Problem(413, f"upload refused: larger than the limit of {limit:,} bytes")
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit + _FORM_OVERHEAD:
                raise Problem(413, f"upload refused: larger than the limit of {limit:,} bytes")
            chunks.append(chunk)
        request._body = b"".join(chunks)  # the form parser reads the body kept here
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            import json

            try:
                payload = json.loads(request._body or b"{}")
            except ValueError:
                raise Problem(400, "the body is not JSON") from None
            url = str(payload.get("url") or "") if isinstance(payload, dict) else ""
            upload = None
        else:
            form = await request.form(max_files=1, max_fields=8)
            url = str(form.get("url") or "").strip()
            got = form.get("file")
            upload = got if isinstance(got, UploadFile) and got.filename else None
        if upload is not None:
            return await _store_upload(request, upload)
        if url:
            if not is_url(url):
                raise Problem(400, f"{url}: not an http(s) URL")
            return _run_ingest(request, url), url
        raise Problem(400, "nothing to ingest: send a file (field 'file') or a URL ('url')")

    async def _store_upload(request: Request, upload: UploadFile) -> tuple[Outcome, str]:
        name = Path(upload.filename or "upload").name
        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise Problem(415, f"{name}: not a readout file (one of {', '.join(UPLOAD_SUFFIXES)})")
        raw = await upload.read(config.max_upload + 1)
        if len(raw) > config.max_upload:
            raise Problem(
                413, f"{name}: larger than the upload limit of {config.max_upload:,} bytes"
            )
        if not raw.strip():
            raise Problem(400, f"{name}: the file is empty")
        safe = re.sub(r"[^\w.\-]", "_", name).lstrip(".") or f"upload{suffix}"
        config.uploads.mkdir(parents=True, exist_ok=True)
        path = config.uploads / safe
        path.write_bytes(raw)
        return _run_ingest(request, str(path)), name

    def _run_ingest(request: Request, source: str) -> Outcome:
        outcomes: list[Outcome] = []

        class Collect:
            def started(self, total: int) -> None:
                pass

            def advanced(self, outcome: Outcome) -> None:
                outcomes.append(outcome)

        try:
            ingest(store_of(request), [source], progress=Collect(), max_bytes=config.max_upload)
        except ReadoutInputError as err:
            raise Problem(400, str(err)) from None
        if not outcomes:
            raise Problem(400, f"{source}: nothing was read")
        return outcomes[0]

    def _outcome(request: Request, outcome: Outcome, name: str) -> dict[str, Any]:
        if outcome.status == "failed":
            raise Problem(422, f"{name}: {outcome.reason or 'could not be ingested'}")
        document_id = outcome.document_id
        if document_id is None:  # unchanged: the bytes are stored already
            document_id = views.latest_document(store_of(request), outcome.source)
        return {
            "source": name,
            "status": outcome.status,
            "document_id": document_id,
            "version": outcome.version,
            "url": f"/meetings/{document_id}" if document_id else None,
        }

    @app.get("/ingest", response_class=HTMLResponse, include_in_schema=False)
    def ingest_page(request: Request) -> Response:
        return page(request, "ingest.html", {"limit": config.max_upload, "result": None})

    @app.post("/ingest", include_in_schema=False)
    async def ingest_form(request: Request) -> Response:
        outcome, name = await _ingest(request)
        result = _outcome(request, outcome, name)
        if result["url"] and result["status"] == "added":
            return RedirectResponse(result["url"], status_code=303)
        return page(request, "ingest.html", {"limit": config.max_upload, "result": result})

    @app.post(
        "/api/ingest",
        tags=["ingest"],
        summary="Ingest an uploaded readout (multipart field 'file') or a URL (token needed)",
        openapi_extra={
            "requestBody": {
                "content": {
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "file": {"type": "string", "format": "binary"},
                                "url": {"type": "string"},
                            },
                        }
                    },
                    "application/json": {
                        "schema": {"type": "object", "properties": {"url": {"type": "string"}}}
                    },
                }
            }
        },
    )
    async def ingest_api(request: Request) -> dict[str, Any]:
        outcome, name = await _ingest(request)
        return _outcome(request, outcome, name)

    @app.get("/robots.txt", include_in_schema=False)
    def robots() -> PlainTextResponse:
        return PlainTextResponse("User-agent: *\nDisallow: /api/\n")

    return app
