"""The `idfacade` command: serve, credentials, calibrate, gallery, contract."""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from contracts.credentials import Vendor
from gateway import gallery_copy
from gateway.contract_cli import add_contract_commands
from gateway.credentials import SqliteCredentialStore, mint
from gateway.memory import limit_malloc_arenas
from gateway.permissions import secure_data_dir
from gateway.settings import Settings, UnknownSetting, load_settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (UnknownSetting, ValidationError, tomllib.TOMLDecodeError, OSError) as exc:
        # a settings problem is the operator's to fix: one line that names it, no traceback
        if isinstance(exc, OSError) and exc.filename is None:
            raise
        print(f"idfacade: {_settings_problem(exc)}", file=sys.stderr)
        return 2


def version() -> str:
    """The installed version: the package's own once `idfacade` is importable, else the
    distribution's metadata."""
    try:
        from idfacade import __version__
    except ImportError:
        return metadata.version("idfacade")
    return str(__version__)


def _settings_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"setting {'.'.join(str(p) for p in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
    if isinstance(exc, OSError):
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="idfacade", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
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

    config = commands.add_parser("config", help="settings files")
    config_tasks = config.add_subparsers(required=True, metavar="TASK")
    example = config_tasks.add_parser("example", help="print every setting, commented")
    example.set_defaults(run=_config_example)
    check = config_tasks.add_parser("check", help="load the settings and print them as JSON")
    _common(check)
    check.set_defaults(run=_config_check)

    signer = commands.add_parser("sign", help="sign a request body as a vendor's client does")
    signer.add_argument("vendor", choices=["yitu", "waiqin"])
    signer.add_argument("body", type=Path, help="the exact bytes that will be sent")
    signer.add_argument(
        "--credentials",
        type=Path,
        required=True,
        help="the JSON `idfacade credentials add VENDOR --json` printed",
    )
    signer.set_defaults(run=_sign)

    cal = commands.add_parser("calibrate", help="recompute score thresholds and vendor scales")
    cal.add_argument("--faces", type=Path, default=Path("../shared/data"), help="data root")
    cal.add_argument("--out", type=Path, help="where to write (default: the packaged file)")
    cal.set_defaults(run=_calibrate)

    gallery = commands.add_parser("gallery", help="maintain feature databases and repos")
    tasks = gallery.add_subparsers(required=True, metavar="TASK")
    gallery_copy.register(tasks, _common)
    again = tasks.add_parser("reembed", help="re-embed a collection with the current face model")
    _common(again)
    again.add_argument("collection", metavar="DB", help="collection (feature database, repo)")
    again.add_argument("--namespace", help="sensetime, yitu:<label>, … (needed if ambiguous)")
    again.add_argument(
        "--drop-unembeddable",
        action="store_true",
        help="delete items whose image is gone or shows no face, instead of stopping",
    )
    again.set_defaults(run=_gallery_reembed)

    add_contract_commands(commands, _common)
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
    from gateway.exposure import ExposureRefused, check_exposure
    from gateway.logging import configure_logging
    from gateway.server import server_config

    settings = _settings(args)
    try:
        check_exposure(settings)
    except ExposureRefused as exc:
        print(f"idfacade: {exc}", file=sys.stderr)
        return 2
    limit_malloc_arenas()
    configure_logging(settings.log_level)
    app = create_app(settings)
    uvicorn.Server(server_config(app, settings)).run()
    return 0


def _store(args: argparse.Namespace) -> SqliteCredentialStore:
    data = _settings(args).data
    secure_data_dir(data)
    return SqliteCredentialStore(data / "credentials.db")


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
    rows: list[dict[str, Any]] = [
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


def _config_example(args: argparse.Namespace) -> int:
    from gateway.settings_example import render_example

    print(render_example(), end="")
    return 0


def _config_check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    print(settings.model_dump_json(indent=2, exclude={"milvus_token"}))
    return 0


def _sign(args: argparse.Namespace) -> int:
    """Yitu: the `x-signature` header of the body. Waiqin: the URL path that signs it."""
    given = json.loads(args.credentials.read_text())
    body = args.body.read_bytes()
    if args.vendor == "yitu":
        from vendors.yitu.client import sign

        print(sign(given["public_key_pem"], given["access_key"], body))
    else:
        from vendors.waiqin.client import signed_url

        print(signed_url(given["openid"], given["appkey"], body))
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from gateway.calibrate import run_calibration

    calibration = run_calibration(args.faces, args.out)
    print(calibration.model_dump_json(indent=2))
    return 0


def _gallery_reembed(args: argparse.Namespace) -> int:
    from engine.gallery import open_gallery
    from gateway.reembed import default_progress, reembed

    settings = _settings(args)
    with open_gallery(settings.gallery_settings()) as gallery:
        found = [c for c in gallery.collections(args.namespace) if c.name == args.collection]
        if len(found) != 1:
            where = ", ".join(c.namespace for c in found) or "no namespace"
            print(f"idfacade: collection {args.collection!r} is in {where}", file=sys.stderr)
            return 1
        roots = tuple(r for r in (settings.data, settings.image_root) if r is not None)
        outcome = reembed(
            gallery,
            found[0].namespace,
            args.collection,
            roots=roots,
            journal_dir=settings.data / "reembed",
            drop_unembeddable=args.drop_unembeddable,
            progress=default_progress(),
        )
    for item_id, why in sorted(outcome.unembeddable.items()):
        print(f"{item_id}: {why}")
    state = "switched to" if outcome.switched else "still on"
    print(
        f"{args.collection}: {state} {outcome.collection.model}; {outcome.embedded} embedded, "
        f"{outcome.resumed} from the journal, {len(outcome.unembeddable)} without a usable image"
    )
    if outcome.unembeddable and not outcome.switched:
        print("rerun with --drop-unembeddable to delete those items and switch", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
