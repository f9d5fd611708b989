"""Copy a whole gallery to another backend, item ids kept, so clients' stored ids stay valid.

    python -m engine.gallery._transfer --source '{"backend": "embedded", "data_dir": "var"}' \\
        --target '{"backend": "milvus", "milvus_uri": "http://milvus:19530",
                   "metadata_dsn": "postgresql://idfacade@db/idfacade"}'

Each side is a GallerySettings as JSON. Run it with the gateways stopped (writes made during the
copy are not carried over); the target must not hold any of the source's collections yet.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from contracts.errors import ErrorKind, IdfError
from contracts.gallery import CollectionSpec
from engine.gallery._gallery import Gallery
from engine.gallery._settings import GallerySettings

PAGE = 1000


def copy_gallery(
    source: Gallery, target: Gallery, *, progress: Callable[[str, int], None] | None = None
) -> int:
    """Copy every collection (spec and model binding) and every item; the number of items.
    A target that holds any of the source's collections is refused before anything is copied."""
    infos = source.collections(None)
    taken = {(c.namespace, c.name) for c in target.collections(None)}
    clashes = [f"{i.namespace}/{i.name}" for i in infos if (i.namespace, i.name) in taken]
    if clashes:
        raise IdfError(ErrorKind.already_exists, f"the target holds {', '.join(clashes)}")
    copied = 0
    for info in infos:
        target.create_collection(
            CollectionSpec(
                namespace=info.namespace,
                name=info.name,
                max_size=info.max_size,
                metadata=info.metadata,
                model=info.model,
            )
        )
        after = None
        while page := source.items(info.namespace, info.name, after=after, limit=PAGE):
            target.restore(info.namespace, info.name, page)
            copied += len(page)
            after = page[-1].item_id
        if progress is not None:
            progress(f"{info.namespace}/{info.name}", info.size)
    return copied


def main(argv: list[str] | None = None) -> None:
    from engine.gallery import open_gallery

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", required=True, help="GallerySettings as JSON")
    parser.add_argument("--target", required=True, help="GallerySettings as JSON")
    args = parser.parse_args(argv)
    source_settings = GallerySettings.model_validate_json(args.source)
    target_settings = GallerySettings.model_validate_json(args.target)
    with open_gallery(source_settings) as source, open_gallery(target_settings) as target:
        total = copy_gallery(source, target, progress=lambda name, n: print(f"{name}: {n} items"))
    print(f"copied {total} items")


if __name__ == "__main__":
    main()
