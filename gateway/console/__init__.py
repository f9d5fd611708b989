"""The admin console at /console: readiness and models, long jobs, recent calls, credentials,
galleries (browse, search with a photo), and a 1:1 comparison and an ID-card read to try.

Server-rendered pages (gateway/console/templates) and one stylesheet; no script, nothing
fetched from elsewhere. Only an admin account signs in (`idfacade credentials add admin`);
session.py says how sessions, cookies and CSRF tokens work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from gateway.console import actions, session, views
from gateway.console.render import HEADERS, STATIC
from gateway.console.session import Admin

Action = Callable[[Request, Admin], Awaitable[Response]]


def posted(action: Action) -> Callable[[Request], Awaitable[Response]]:
    """A form action of a signed-in admin whose CSRF token (and origin) checks out."""

    async def checked(request: Request) -> Response:
        admin = session.current(request)
        if admin is None:
            return RedirectResponse("/console/login", status_code=303)
        form = await request.form(max_files=2, max_fields=16)
        if not session.csrf_ok(request, admin, form.get("csrf")):
            return PlainTextResponse("the form is stale: reload the page", 403, headers=HEADERS)
        response = await action(request, admin)
        if response.status_code < 300 or response.status_code >= 400:
            session.issue(request, response, admin.username, admin.nonce)
        return response

    return checked


def console_routes() -> list[BaseRoute]:
    gallery = "/galleries/{namespace}/{name}"
    return [
        Mount(
            "/console",
            routes=[
                Route("/login", actions.login_form, methods=["GET"]),
                Route("/login", actions.login, methods=["POST"]),
                Route("/logout", posted(actions.logout), methods=["POST"]),
                Route("/credentials", views.signed_in(views.credentials), methods=["GET"]),
                Route("/credentials", posted(actions.add_credential), methods=["POST"]),
                Route("/credentials/revoke", posted(actions.revoke_credential), methods=["POST"]),
                Route("/galleries", views.signed_in(views.galleries)),
                Route(gallery, views.signed_in(views.gallery_page), methods=["GET"]),
                Route(gallery + "/search", posted(actions.search), methods=["POST"]),
                Route("/try", views.signed_in(actions.try_page), methods=["GET"]),
                Route("/try/compare", posted(actions.compare), methods=["POST"]),
                Route("/try/idcard", posted(actions.read_card), methods=["POST"]),
                Mount("/static", StaticFiles(directory=STATIC), name="console-static"),
            ],
        ),
        # the gateway routes on canonical paths: "/console" arrives as "/console"
        Route("/console", views.signed_in(views.overview)),
    ]
