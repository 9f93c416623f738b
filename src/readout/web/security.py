"""Who may write, and the headers every response carries.

The app is read-only unless it was given a token (``READOUT_TOKEN``).  A write then needs
that token, sent as ``Authorization: Bearer TOKEN`` or ``X-Readout-Token: TOKEN`` by API
clients, or held in the HttpOnly, SameSite=Strict cookie that ``/login`` sets for a
browser.  A cookie-authenticated write must also come from a page of this site (its
``Origin`` header, when the browser sends one, names this host).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.responses import JSONResponse, Response

COOKIE = "readout_token"

#: No script, style, frame or form target from anywhere but this site; no inline script.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def same_token(given: str | None, token: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), token.encode())


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-readout-token")


def can_write(request: Request, token: str | None) -> bool:
    """Whether this request carries the token (in a header or the login cookie)."""
    if not token:
        return False
    return same_token(_bearer(request), token) or same_token(request.cookies.get(COOKIE), token)


def require_writer(request: Request, token: str | None) -> None:
    """Raise 403 on a read-only server, 401 without the right token, 403 for a
    cookie-authenticated write from another site."""
    if not token:
        raise HTTPException(
            403, "this server is read-only: start it with READOUT_TOKEN set to allow writes"
        )
    if same_token(_bearer(request), token):
        return
    if same_token(request.cookies.get(COOKIE), token):
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc:
            raise HTTPException(403, f"write refused: it came from another site ({origin})")
        return
    raise HTTPException(
        401,
        "a valid token is needed to write: log in, or send Authorization: Bearer TOKEN",
        headers={"WWW-Authenticate": "Bearer"},
    )


async def security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Refuse a NUL character anywhere in the address (no database stores one), then add
    the headers every response carries."""
    if "%00" in request.url.query or "%00" in request.url.path or "\x00" in request.url.path:
        response: Response = JSONResponse(
            {"error": "the address contains a NUL character", "status": 400}, status_code=400
        )
    else:
        response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response
