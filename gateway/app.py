"""The application factory: one process serves every vendor's paths on one port."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator

import structlog
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

import vendors
from engine.gallery import open_gallery
from gateway.console import console_routes
from gateway.contract_admin import admin_routes
from gateway.credentials import SqliteCredentialStore
from gateway.faults import DropMiddleware, FaultInjector, load_scenario
from gateway.health import healthz, readyz
from gateway.journal import FILE_NAME as JOURNAL_FILE
from gateway.journal import Journal
from gateway.journal_recorder import JournalMiddleware
from gateway.memory import release_free_memory
from gateway.metrics import metrics_endpoint
from gateway.middleware import AccessLogMiddleware, BodyLimitMiddleware, RequestIdMiddleware
from gateway.permissions import secure_data_dir
from gateway.pool import BoundedPool
from gateway.replay import SqliteReplayGuard
from gateway.results import SqliteResultStore
from gateway.retention import sweep_forever
from gateway.secrets import HmacSealer, deployment_key
from gateway.settings import Settings
from vendors.common.logins import LoginGuard
from vendors.common.openapi_pages import openapi_routes
from vendors.common.routing import CanonicalPaths, mount, oversize_refusals
from vendors.common.services import Services

log = structlog.get_logger("idfacade")


def build_services(settings: Settings) -> Services:
    data = settings.data
    secure_data_dir(data)
    return Services(
        settings=settings,
        credentials=SqliteCredentialStore(data / "credentials.db"),
        replay=SqliteReplayGuard(data / "state.db"),
        results=SqliteResultStore(data / "state.db"),
        pool=BoundedPool(settings.pool_workers, settings.pool_queue, settings.request_deadline),
        sealer=HmacSealer(deployment_key(data)),
        data_dir=data,
        gallery=open_gallery(settings.gallery_settings()),
        faults=_faults(settings),
    )


def _faults(settings: Settings) -> FaultInjector | None:
    """The fault injector, only where the contract-test admin API is on."""
    if not settings.contract_admin:
        return None
    scenario = settings.contract_scenario
    return FaultInjector(load_scenario(scenario) if scenario is not None else ())


def create_app(settings: Settings) -> Starlette:
    services = build_services(settings)
    pool = services.pool
    assert isinstance(pool, BoundedPool)  # build_services made it; the Protocol has no shutdown
    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint),
        *console_routes(),
    ]
    if settings.contract_admin:
        routes.extend(admin_routes())
    routes.extend(openapi_routes(vendors.FACADES))
    routes.extend(mount(vendors.FACADES, services))
    journal = None
    if settings.journal:
        journal = Journal(
            settings.data / JOURNAL_FILE,
            max_calls=settings.journal_max_calls,
            max_age=settings.journal_max_age,
        )
    middleware = [
        Middleware(CanonicalPaths),
        Middleware(RequestIdMiddleware),
        Middleware(AccessLogMiddleware),
        Middleware(
            BodyLimitMiddleware,
            max_bytes=settings.max_body_bytes,
            timeout=settings.body_timeout,
            vendor_refusal=oversize_refusals(vendors.FACADES),
        ),
        Middleware(GZipMiddleware, minimum_size=1024),
    ]
    if journal is not None:
        middleware.append(
            Middleware(JournalMiddleware, journal=journal, keep_bodies=settings.journal_keep_bodies)
        )
    if services.faults is not None:
        middleware.append(Middleware(DropMiddleware))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if settings.warm_up:
            loader = threading.Thread(
                target=_load_models, args=(app.state.models_ready, settings), daemon=True
            )
            loader.start()
        sweeper = asyncio.create_task(sweep_forever(settings.data, settings.kept_image_ttl))
        try:
            yield
        finally:
            sweeper.cancel()
            pool.shutdown()
            services.gallery.close()
            if journal is not None:
                journal.close()
            await asyncio.sleep(0)

    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={Exception: _internal_error},
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.journal = journal
    app.state.models_ready = threading.Event()
    app.state.console_logins = LoginGuard()  # the console's own failed sign-ins
    return app


def _load_models(ready: threading.Event, settings: Settings) -> None:
    """Load every model once (faces, attributes, OCR), off the event loop, then flip /readyz."""
    import engine

    engine.warm_up(threads=settings.model_threads)
    release_free_memory()
    ready.set()
    log.info("models_ready")


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled", error=type(exc).__name__)
    return JSONResponse({"error": "internal"}, status_code=500)
