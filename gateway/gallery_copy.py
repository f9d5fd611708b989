"""`idfacade gallery copy`: move every feature database and repo to another gallery backend.

    idfacade gallery copy --to '{"backend": "milvus", "milvus_uri": "http://milvus:19530",
                                 "metadata_dsn": "postgresql://idfacade:pw@db/idfacade"}'

The source is the gallery the gateway's settings open (--data, --config, the environment)
unless --from names another; each side given as JSON is a GallerySettings. Item ids (the
`featureId`s clients keep) are kept. Run it with the gateways stopped: writes made during the
copy are not carried over. A target that already holds one of the source's collections is
refused before anything is copied.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from pydantic import ValidationError

from contracts.errors import IdfError
from engine.gallery import GallerySettings, copy_gallery, open_gallery
from gateway.settings import load_settings


def register(
    tasks: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Add `copy` to the `idfacade gallery` tasks; `common` adds --data and --config."""
    copy = tasks.add_parser("copy", help="copy every collection to another backend, ids kept")
    common(copy)
    copy.add_argument("--to", required=True, metavar="JSON", help="the target GallerySettings")
    copy.add_argument(
        "--from",
        dest="source",
        metavar="JSON",
        help="the source GallerySettings (default: the gallery these settings open)",
    )
    copy.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        target = GallerySettings.model_validate_json(args.to)
        if args.source:
            source = GallerySettings.model_validate_json(args.source)
        else:
            source = load_settings({"data": args.data}, config=args.config).gallery_settings()
    except ValidationError as exc:
        print(f"idfacade: {exc}", file=sys.stderr)
        return 2
    if source == target:
        print("idfacade: the source and the target are the same gallery", file=sys.stderr)
        return 2
    try:
        with open_gallery(source) as origin, open_gallery(target) as destination:
            total = copy_gallery(
                origin, destination, progress=lambda name, n: print(f"{name}: {n} items")
            )
    except IdfError as exc:
        print(f"idfacade: {exc.detail or exc.kind}", file=sys.stderr)
        return 1
    print(f"copied {total} items")
    return 0
