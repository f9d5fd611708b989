"""The SQL half of every gallery: collections and items, in SQLite or PostgreSQL.

The embedded backend keeps its vectors and change log in the same SQLite file, so that an item
and its vector commit together; the Milvus backend keeps only this metadata in SQL. Statements
are written once with `?` parameter markers, and `Dialect` holds the little that differs.

Writers serialize per collection: `Session.lock` touches the collection's row first, which takes
PostgreSQL's row lock (SQLite's `BEGIN IMMEDIATE` already serializes every writer), so size and
label counters never race.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from contracts.errors import ErrorKind, IdfError
from contracts.gallery import CollectionInfo, CollectionSpec
from engine.gallery._settings import is_postgres

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS gallery_collections (
        id TEXT PRIMARY KEY,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        max_size BIGINT NOT NULL,
        metadata TEXT NOT NULL,
        model TEXT,
        dim INTEGER,
        size BIGINT NOT NULL DEFAULT 0,
        next_label BIGINT NOT NULL DEFAULT 0,
        UNIQUE (namespace, name)
    )""",
    """CREATE TABLE IF NOT EXISTS gallery_items (
        item_id TEXT PRIMARY KEY,
        collection_id TEXT NOT NULL,
        label BIGINT NOT NULL,
        external_id TEXT,
        remark TEXT,
        image_ref TEXT,
        owns_image INTEGER NOT NULL DEFAULT 0,
        UNIQUE (collection_id, label)
    )""",
    "CREATE INDEX IF NOT EXISTS gallery_items_external "
    "ON gallery_items (collection_id, external_id)",
)

_COLLECTION = "id, namespace, name, max_size, metadata, model, dim, size, next_label"
_INSERT_COLLECTION = (
    f"INSERT INTO gallery_collections ({_COLLECTION}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_ITEM = "item_id, collection_id, label, external_id, remark, image_ref, owns_image"
# Columns added after a release, each with its type, so that older files gain them on open.
_ADDED_ITEM_COLUMNS = {"owns_image": "INTEGER NOT NULL DEFAULT 0"}
_IN_CHUNK = 500  # ids per IN (...) list, well under SQLite's variable limit
_SCHEMA_LOCK = 0x1DFACADE  # PostgreSQL advisory lock: gateways starting together install once


@dataclass(frozen=True)
class CollectionRow:
    """A collection's row. `id` names its vector index (file or Milvus collection); labels are
    the integer keys of its vectors, allocated from `next_label`."""

    id: str
    namespace: str
    name: str
    max_size: int
    metadata: dict[str, Any]
    model: str | None
    dim: int | None
    size: int
    next_label: int

    def info(self) -> CollectionInfo:
        return CollectionInfo(
            namespace=self.namespace,
            name=self.name,
            max_size=self.max_size,
            metadata=self.metadata,
            model=self.model,
            dim=self.dim,
            size=self.size,
        )


@dataclass(frozen=True)
class ItemRow:
    """An item's row; `label` is the key of its current vector, which changes on update."""

    item_id: str
    collection_id: str
    label: int
    external_id: str | None
    remark: str | None
    image_ref: str | None
    owns_image: bool = False


@dataclass(frozen=True)
class Dialect:
    connect: Callable[[], Any]
    begin_write: str
    begin_read: str
    duplicate: tuple[type[Exception], ...]
    postgres: bool

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.postgres else statement


def sqlite_path(dsn: str) -> Path:
    """A plain path, or SQLAlchemy's form: sqlite:///relative/file, sqlite:////absolute/file."""
    return Path(dsn.removeprefix("sqlite:///")) if dsn.startswith("sqlite:///") else Path(dsn)


def dialect_for(dsn: str) -> Dialect:
    return _postgres(dsn) if is_postgres(dsn) else _sqlite(sqlite_path(dsn))


def _sqlite(path: Path) -> Dialect:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Created 0600 before SQLite opens it (SQLite gives its -wal and -shm files the database
    # file's mode), so a gallery opened without the gateway's umask is still private.
    os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600))

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before it is acknowledged, across power loss too.
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    return Dialect(connect, "BEGIN IMMEDIATE", "BEGIN", (sqlite3.IntegrityError,), postgres=False)


def _postgres(dsn: str) -> Dialect:
    try:
        import psycopg
    except ImportError as exc:
        raise IdfError(
            ErrorKind.unsupported, "PostgreSQL metadata needs pip install 'idfacade[milvus]'"
        ) from exc

    def connect() -> Any:
        return psycopg.connect(dsn, autocommit=True)

    duplicate = (psycopg.errors.UniqueViolation,)
    return Dialect(connect, "BEGIN", "BEGIN READ ONLY", duplicate, postgres=True)


class MetadataStore:
    """One database, one connection per thread, used only through transactions."""

    def __init__(self, dsn: str) -> None:
        self.dialect = dialect_for(dsn)
        self._local = threading.local()
        self._connections: list[Any] = []
        self._lock = threading.Lock()
        self.install(SCHEMA)
        self._add_columns()

    def install(self, statements: Sequence[str]) -> None:
        """Create tables that are missing; backends add their own the same way."""
        with self.write() as session:
            if self.dialect.postgres:
                session.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
            for statement in statements:
                session.execute(statement)

    def _add_columns(self) -> None:
        """Give a gallery made by an earlier version the item columns added since."""
        with self.write() as session:
            if self.dialect.postgres:
                for name, kind in _ADDED_ITEM_COLUMNS.items():
                    session.execute(
                        f"ALTER TABLE gallery_items ADD COLUMN IF NOT EXISTS {name} {kind}"
                    )
                return
            present = {row[1] for row in session.execute("PRAGMA table_info(gallery_items)")}
            for name, kind in _ADDED_ITEM_COLUMNS.items():
                if name not in present:
                    session.execute(f"ALTER TABLE gallery_items ADD COLUMN {name} {kind}")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A consistent view: every statement inside sees the same committed state."""
        with self._transaction(self.dialect.begin_read) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends and rolls back when it raises."""
        with self._transaction(self.dialect.begin_write) as session:
            yield session

    def close(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Session]:
        if getattr(self._local, "busy", False):
            # The thread's one connection is inside a transaction: a nested BEGIN would fail,
            # and its ROLLBACK would undo the outer transaction's work.
            raise RuntimeError("gallery transactions do not nest")
        conn = self._connection()
        conn.execute(begin)
        self._local.busy = True
        try:
            yield Session(conn, self.dialect)
            conn.execute("COMMIT")
        except BaseException:
            try:
                conn.execute("ROLLBACK")
            except Exception:
                self._forget(conn)  # a broken connection; the next call opens a new one
            raise
        finally:
            self._local.busy = False

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(conn, "broken", False):
            if conn is not None:
                self._forget(conn)
            conn = self.dialect.connect()
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def _forget(self, conn: Any) -> None:
        self._local.conn = None
        with self._lock:
            if conn in self._connections:
                self._connections.remove(conn)
        with contextlib.suppress(Exception):
            conn.close()


class Session:
    """Statements inside one transaction, and the gallery's queries built from them."""

    def __init__(self, conn: Any, dialect: Dialect) -> None:
        self._conn = conn
        self._dialect = dialect

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        cursor = self._conn.cursor()
        cursor.execute(self._dialect.sql(statement), tuple(params))
        return cursor

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._conn.cursor().executemany(self._dialect.sql(statement), rows)

    # collections

    def create_collection(self, spec: CollectionSpec) -> CollectionRow:
        row = CollectionRow(
            id=uuid.uuid4().hex,
            namespace=spec.namespace,
            name=spec.name,
            max_size=spec.max_size,
            metadata=dict(spec.metadata),
            model=spec.model,
            dim=None,
            size=0,
            next_label=0,
        )
        try:
            spec_values = (row.id, row.namespace, row.name, row.max_size, json.dumps(row.metadata))
            self.execute(
                _INSERT_COLLECTION, (*spec_values, row.model, row.dim, row.size, row.next_label)
            )
        except self._dialect.duplicate as exc:
            raise IdfError(
                ErrorKind.already_exists, f"collection {spec.name!r} exists in {spec.namespace!r}"
            ) from exc
        return row

    def collection(self, namespace: str, name: str) -> CollectionRow:
        found = self.execute(
            f"SELECT {_COLLECTION} FROM gallery_collections WHERE namespace = ? AND name = ?",
            (namespace, name),
        ).fetchone()
        if found is None:
            raise IdfError(ErrorKind.not_found, f"no collection {name!r} in {namespace!r}")
        return _collection(found)

    def lock(self, namespace: str, name: str) -> CollectionRow:
        """The collection's row, locked against other writers until the transaction ends."""
        self.execute(
            "UPDATE gallery_collections SET next_label = next_label "
            "WHERE namespace = ? AND name = ?",
            (namespace, name),
        )
        return self.collection(namespace, name)

    def collections(self, namespace: str | None = None) -> list[CollectionRow]:
        """The collections of one namespace, or of all of them, by name."""
        query = f"SELECT {_COLLECTION} FROM gallery_collections"
        if namespace is None:
            cursor = self.execute(f"{query} ORDER BY namespace, name")
        else:
            cursor = self.execute(f"{query} WHERE namespace = ? ORDER BY name", (namespace,))
        rows = cursor.fetchall()
        return [_collection(r) for r in rows]

    def delete_collection(self, row: CollectionRow) -> None:
        self.execute("DELETE FROM gallery_items WHERE collection_id = ?", (row.id,))
        self.execute("DELETE FROM gallery_collections WHERE id = ?", (row.id,))

    def bind(self, row: CollectionRow, model: str, dim: int | None) -> CollectionRow:
        self.execute(
            "UPDATE gallery_collections SET model = ?, dim = ? WHERE id = ?", (model, dim, row.id)
        )
        return replace(row, model=model, dim=dim)

    def set_counters(self, row: CollectionRow, *, size: int, next_label: int) -> CollectionRow:
        self.execute(
            "UPDATE gallery_collections SET size = ?, next_label = ? WHERE id = ?",
            (size, next_label, row.id),
        )
        return replace(row, size=size, next_label=next_label)

    # items

    def insert_items(self, rows: Sequence[ItemRow]) -> None:
        try:
            self.executemany(
                f"INSERT INTO gallery_items ({_ITEM}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.item_id,
                        r.collection_id,
                        r.label,
                        r.external_id,
                        r.remark,
                        r.image_ref,
                        int(r.owns_image),
                    )
                    for r in rows
                ],
            )
        except self._dialect.duplicate as exc:
            raise IdfError(ErrorKind.already_exists, "an item with this id exists") from exc

    def update_item(self, row: ItemRow) -> None:
        self.execute(
            "UPDATE gallery_items SET label = ?, external_id = ?, remark = ?, image_ref = ?, "
            "owns_image = ? WHERE item_id = ?",
            (
                row.label,
                row.external_id,
                row.remark,
                row.image_ref,
                int(row.owns_image),
                row.item_id,
            ),
        )

    def delete_items(self, collection_id: str, item_ids: Sequence[str]) -> None:
        for chunk in _chunks(item_ids):
            self.execute(
                "DELETE FROM gallery_items "
                f"WHERE collection_id = ? AND item_id IN ({_marks(chunk)})",
                (collection_id, *chunk),
            )

    def items(self, collection_id: str, item_ids: Sequence[str]) -> list[ItemRow]:
        return self._items_in(collection_id, "item_id", item_ids)

    def items_by_label(self, collection_id: str, labels: Sequence[int]) -> list[ItemRow]:
        return self._items_in(collection_id, "label", labels)

    def items_page(self, collection_id: str, after: str, limit: int) -> list[ItemRow]:
        rows = self.execute(
            f"SELECT {_ITEM} FROM gallery_items WHERE collection_id = ? AND item_id > ? "
            "ORDER BY item_id LIMIT ?",
            (collection_id, after, limit),
        ).fetchall()
        return [_item_row(r) for r in rows]

    def items_by_external_id(self, collection_id: str, external_id: str) -> list[ItemRow]:
        rows = self.execute(
            f"SELECT {_ITEM} FROM gallery_items WHERE collection_id = ? AND external_id = ? "
            "ORDER BY label",
            (collection_id, external_id),
        ).fetchall()
        return [_item_row(r) for r in rows]

    def _items_in(self, collection_id: str, column: str, keys: Sequence[Any]) -> list[ItemRow]:
        found: list[ItemRow] = []
        for chunk in _chunks(keys):
            rows = self.execute(
                f"SELECT {_ITEM} FROM gallery_items "
                f"WHERE collection_id = ? AND {column} IN ({_marks(chunk)})",
                (collection_id, *chunk),
            ).fetchall()
            found.extend(_item_row(r) for r in rows)
        return found


def _collection(row: Sequence[Any]) -> CollectionRow:
    id_, namespace, name, max_size, metadata, model, dim, size, next_label = row
    return CollectionRow(
        id_, namespace, name, max_size, json.loads(metadata), model, dim, size, next_label
    )


def _item_row(row: Sequence[Any]) -> ItemRow:
    item_id, collection_id, label, external_id, remark, image_ref, owns_image = row
    return ItemRow(item_id, collection_id, label, external_id, remark, image_ref, bool(owns_image))


def _chunks(keys: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(keys), _IN_CHUNK):
        yield keys[start : start + _IN_CHUNK]


def _marks(chunk: Sequence[Any]) -> str:
    return ", ".join("?" * len(chunk))
