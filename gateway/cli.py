"""The `idfacade` command: serve, credentials, calibrate, gallery."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from contracts.credentials import Vendor
from gateway import gallery_copy
from gateway.credentials import SqliteCredentialStore, mint
from gateway.memory import limit_malloc_arenas
from gateway.settings import Settings, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="idfacade", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="start the gateway")
    _common(serve)
    serve.add_argument("--host", help="address to bind (IDFACADE_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (IDFACADE_PORT, default 8080)")
    serve.set_defaults(run=_serve)

    creds = commands.add_parser("credentials", help="manage callers' credentials")
    actions = creds.add_subparsers(required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create a credential and print it once")
    _common(add)
    add.add_argument("vendor", choices=[v.value for v in Vendor])
    add.add_argument("--grant", action="append", help="an API this credential may call (repeat)")
    add.add_argument("--name", help="principal to use instead of a random one")
    add.add_argument("--json", action="store_true", help="print one JSON object")
    add.set_defaults(run=_credentials_add)
    ls = actions.add_parser("list", help="list credentials (no secrets)")
    _common(ls)
    ls.add_argument("vendor", nargs="?", choices=[v.value for v in Vendor])
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(run=_credentials_list)
    rm = actions.add_parser("remove", help="delete a credential")
    _common(rm)
    rm.add_argument("vendor", choices=[v.value for v in Vendor])
    rm.add_argument("principal")
    rm.set_defaults(run=_credentials_remove)

    cal = commands.add_parser("calibrate", help="recompute score thresholds and vendor scales")
    cal.add_argument("--faces", type=Path, default=Path("../shared/data"), help="data root")
    cal.add_argument("--out", type=Path, help="where to write (default: the packaged file)")
    cal.set_defaults(run=_calibrate)

    gallery = commands.add_parser("gallery", help="maintain feature databases and repos")
    tasks = gallery.add_subparsers(required=True, metavar="TASK")
    gallery_copy.register(tasks, _common)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, help="data directory (IDFACADE_DATA, default ./var)")
    parser.add_argument("--config", type=Path, help="TOML settings file (IDFACADE_CONFIG)")


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {k: getattr(args, k, None) for k in ("host", "port", "data")}
    return load_settings(overrides, config=args.config)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.app import create_app
    from gateway.logging import configure_logging

    settings = _settings(args)
    limit_malloc_arenas()
    configure_logging(settings.log_level)
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False, log_config=None)
    return 0


def _store(args: argparse.Namespace) -> SqliteCredentialStore:
    return SqliteCredentialStore(_settings(args).data / "credentials.db")


def _credentials_add(args: argparse.Namespace) -> int:
    store = _store(args)
    credential, shown = mint(Vendor(args.vendor), args.grant, args.name)
    try:
        store.add(credential)
    except ValueError as exc:
        print(f"idfacade: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(shown))
    else:
        for key, value in shown.items():
            print(f"{key}: {value}")
    return 0


def _credentials_list(args: argparse.Namespace) -> int:
    store = _store(args)
    rows = [
        {
            "vendor": c.vendor.value,
            "principal": c.principal,
            "grants": list(c.grants) if c.grants is not None else ["*"],
            "created": c.created,
        }
        for c in store.list(Vendor(args.vendor) if args.vendor else None)
    ]
    if args.json:
        print(json.dumps(rows))
    else:
        for row in rows:
            print(f"{row['vendor']}\t{row['principal']}\t{','.join(row['grants'])}")
    return 0


def _credentials_remove(args: argparse.Namespace) -> int:
    if not _store(args).remove(Vendor(args.vendor), args.principal):
        print(f"idfacade: no {args.vendor} credential {args.principal!r}", file=sys.stderr)
        return 1
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from gateway.calibrate import run_calibration

    calibration = run_calibration(args.faces, args.out)
    print(calibration.model_dump_json(indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
