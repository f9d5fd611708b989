"""The console's pages that show state: overview (readiness, models, long jobs, recent calls),
credentials, galleries and one gallery's items. Every page needs a signed-in admin."""

from __future__ import annotations

import base64
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from contracts import calibration
from contracts.credentials import Vendor
from contracts.errors import IdfError
from contracts.gallery import CollectionInfo, GalleryItem, SearchHit
from gateway import journal
from gateway.console import session
from gateway.console.render import page
from gateway.console.session import Admin
from gateway.credentials import SqliteCredentialStore
from gateway.kept_images import kept_image
from gateway.reembed import running_reembeds
from vendors.common.progress import JOBS
from vendors.common.services import Services

Page = Callable[[Request, Admin], Awaitable[Response]]
PAGE_SIZE = 50
RECENT_CALLS = 50
JOB_REFRESH = 5  # seconds


def signed_in(view: Page) -> Callable[[Request], Awaitable[Response]]:
    """The page for a signed-in admin (its session renewed), else the sign-in page."""

    async def guarded(request: Request) -> Response:
        admin = session.current(request)
        if admin is None:
            return RedirectResponse("/console/login", status_code=303)
        response = await view(request, admin)
        session.issue(request, response, admin.username, admin.nonce)
        return response

    return guarded


def services_of(request: Request) -> Services:
    return request.app.state.services


def credential_store(request: Request) -> SqliteCredentialStore:
    """The gateway's own store (the facades see only its read side)."""
    store = services_of(request).credentials
    assert isinstance(store, SqliteCredentialStore)
    return store


def utc(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))


async def overview(request: Request, admin: Admin) -> Response:
    from gateway.cli import version

    services = services_of(request)
    ready = request.app.state.models_ready.is_set()
    models: dict[str, str] = {}
    if ready:  # versions() would load any model not yet loaded
        from engine import models as engine_models

        models = await run_in_threadpool(engine_models.versions)
    calls = None  # the journal is off in this gateway (the `journal` setting)
    if request.app.state.journal is not None:
        calls = await run_in_threadpool(recent_calls, services.data_dir)
    jobs = long_jobs(services.data_dir)
    return page(
        request,
        "overview.html",
        admin,
        ready=ready,
        version=version(),
        models=models,
        calibration=calibration.load_calibration().version,
        jobs=jobs,
        # the figures move on by themselves while a job runs (the page has no script)
        refresh=JOB_REFRESH if any(not job["outcome"] for job in jobs) else None,
        calls=calls,
        errors=sum(1 for call in calls or [] if call["failed"]),
    )


def long_jobs(data: Path) -> list[dict[str, Any]]:
    """Bulk imports of this process and re-embeddings run on this data directory."""
    jobs = [
        {
            "kind": job.kind,
            "name": job.name,
            "done": job.done,
            "total": job.total,
            "failed": job.failed,
            "percent": job.percent,
            "outcome": job.outcome,
        }
        for job in JOBS.all()
    ]
    for found in running_reembeds(data / "reembed"):
        done, total = int(found.get("done", 0)), int(found.get("total", 0))
        percent = 100 if not total else min(100, round(100 * done / total))
        jobs.append(
            {
                "kind": "reembed",
                "name": str(found.get("name", "")),
                "done": done,
                "total": total,
                "failed": 0,
                "percent": percent,
                "outcome": "" if done < total else "embedded; waiting to switch",
            }
        )
    return jobs


def recent_calls(data: Path) -> list[dict[str, Any]]:
    """The call journal's newest calls, as the overview's table shows them."""
    rows = []
    for record in journal.recent_calls(data, RECENT_CALLS):
        rows.append(
            {
                "at": utc(record.at),
                "vendor": record.vendor,
                "api": record.api or record.route,
                "status": record.status,
                "code": record.code or "",
                "ms": round(record.latency_ms, 1),
                "principal": record.principal or "",
                "failed": record.ok is False or record.status >= 400,
            }
        )
    return rows


async def credentials(request: Request, admin: Admin, **shown: Any) -> Response:
    store = credential_store(request)
    rows = [
        {
            "vendor": c.vendor.value,
            "principal": c.principal,
            "grants": ", ".join(c.grants) if c.grants is not None else "every API",
            "created": utc(c.created),
        }
        for c in await run_in_threadpool(store.list)
    ]
    vendors = [v.value for v in Vendor]
    return page(request, "credentials.html", admin, rows=rows, vendors=vendors, **shown)


def collection_view(info: CollectionInfo) -> dict[str, Any]:
    vendor, _, label = info.namespace.partition(":")
    owner = info.metadata.get("owner") or (f"label {label}" if label else "")
    return {
        "vendor": vendor,
        "owner": owner,
        "name": info.name,
        "size": info.size,
        "max_size": info.max_size,
        "model": info.model,
        "href": f"/console/galleries/{info.namespace}/{info.name}",
    }


async def galleries(request: Request, admin: Admin) -> Response:
    gallery = services_of(request).gallery
    found = await run_in_threadpool(gallery.collections, None)
    views = [collection_view(info) for info in sorted(found, key=lambda c: (c.namespace, c.name))]
    return page(request, "galleries.html", admin, collections=views)


async def gallery_page(
    request: Request, admin: Admin, matches: list[dict[str, Any]] | None = None, **more: Any
) -> Response:
    namespace, name = request.path_params["namespace"], request.path_params["name"]
    services = services_of(request)
    after = request.query_params.get("after") or None
    try:
        info = await run_in_threadpool(services.gallery.collection, namespace, name)
        items = await run_in_threadpool(
            services.gallery.items, namespace, name, after=after, limit=PAGE_SIZE
        )
    except IdfError as error:
        return page(
            request, "galleries.html", admin, status=404, collections=[], error=error.detail
        )
    roots = image_roots(services)
    return page(
        request,
        "gallery.html",
        admin,
        info=info,
        href=f"/console/galleries/{namespace}/{name}",
        items=[item_view(item, roots) for item in items],
        next_after=items[-1].item_id if len(items) == PAGE_SIZE else None,
        matches=matches,
        scale_name=f"{namespace.partition(':')[0]} score",
        **more,
    )


def image_roots(services: Services) -> tuple[Path, ...]:
    root = services.settings.image_root
    return tuple(r for r in (services.data_dir, root) if r is not None)


def data_uri(data: bytes | None) -> str | None:
    """An image inline in the page (the CSP allows data: images and nothing from elsewhere)."""
    if data is None:
        return None
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode()}"


def item_view(item: GalleryItem | SearchHit, roots: tuple[Path, ...]) -> dict[str, Any]:
    data, _ = kept_image(item.image_ref, roots)
    return {
        "item_id": item.item_id,
        "external_id": item.external_id,
        "remark": item.remark,
        "image": data_uri(data),
    }


def scaled(namespace: str, cosine: float) -> float:
    """A match's score on the scale of the vendor whose gallery it is."""
    if namespace.startswith("yitu"):
        return calibration.yitu_similarity(cosine)
    return calibration.sensetime_similarity(cosine)
