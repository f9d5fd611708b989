"""The credential store (SQLite) and how each vendor's credential is minted.

A new credential's secrets are printed once, fields named as the vendor names them; only what
verification needs is kept (hashes where a comparison suffices).
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from contracts.credentials import Credential, Vendor, hash_secret
from gateway.database import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS credentials (
    vendor TEXT NOT NULL,
    principal TEXT NOT NULL,
    secret_hash TEXT,
    secret TEXT,
    private_key_pem TEXT,
    public_key_pem TEXT,
    grants TEXT,
    created REAL NOT NULL,
    PRIMARY KEY (vendor, principal)
)
"""
_COLUMNS = tuple(Credential.model_fields)
YITU_KEY_BITS = 2048


class SqliteCredentialStore:
    def __init__(self, path: Path) -> None:
        self._conn = connect(path)
        self._conn.execute(_SCHEMA)
        self._lock = threading.Lock()

    def get(self, vendor: Vendor, principal: str) -> Credential | None:
        with self._lock:
            row = self._conn.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM credentials WHERE vendor=? AND principal=?",
                (vendor.value, principal),
            ).fetchone()
        return _from_row(row) if row else None

    def list(self, vendor: Vendor | None = None) -> list[Credential]:
        query = f"SELECT {', '.join(_COLUMNS)} FROM credentials"
        args: tuple[Any, ...] = ()
        if vendor is not None:
            query, args = query + " WHERE vendor=?", (vendor.value,)
        with self._lock:
            rows = self._conn.execute(query + " ORDER BY vendor, created", args).fetchall()
        return [_from_row(row) for row in rows]

    def add(self, credential: Credential) -> None:
        row = credential.model_dump()
        row["vendor"] = credential.vendor.value
        row["grants"] = None if credential.grants is None else json.dumps(list(credential.grants))
        try:
            with self._lock:
                self._conn.execute(
                    f"INSERT INTO credentials ({', '.join(_COLUMNS)}) "
                    f"VALUES ({', '.join('?' for _ in _COLUMNS)})",
                    tuple(row[c] for c in _COLUMNS),
                )
        except sqlite3.IntegrityError as exc:
            raise ValueError(
                f"{credential.vendor} credential {credential.principal!r} exists"
            ) from exc

    def remove(self, vendor: Vendor, principal: str) -> bool:
        with self._lock:
            cur = self._conn.execute(
                "DELETE FROM credentials WHERE vendor=? AND principal=?", (vendor.value, principal)
            )
        return cur.rowcount > 0

    def close(self) -> None:
        self._conn.close()


def _from_row(row: Sequence[Any]) -> Credential:
    values = dict(zip(_COLUMNS, row, strict=True))
    if values["grants"] is not None:
        values["grants"] = tuple(json.loads(values["grants"]))
    return Credential.model_validate(values)


def _token(n: int) -> str:
    """A random string of `n` characters from [0-9a-f]."""
    return secrets.token_hex((n + 1) // 2)[:n]


def _password_account(
    vendor: Vendor, username: str, grants: Sequence[str] | None
) -> tuple[Credential, str]:
    """A username with a generated password, kept as scrypt (SenseTime logins, console admins)."""
    password = secrets.token_urlsafe(18)
    cred = Credential(
        vendor=vendor,
        principal=username,
        secret_hash=hash_secret(password, slow=True),
        grants=tuple(grants) if grants else None,
        created=time.time(),
    )
    return cred, password


def _sensetime(grants: Sequence[str] | None, principal: str | None) -> tuple[Credential, dict]:
    username = principal or "api_" + _token(8)
    cred, password = _password_account(Vendor.sensetime, username, grants)
    shown = {"username": username, "password": password, "grants": list(grants or ["*"])}
    return cred, shown


def _yitu(grants: Sequence[str] | None, principal: str | None) -> tuple[Credential, dict]:
    # 2048-bit RSA (512-hex-char signatures): the plaintext (32-char key + 32 hex MD5 + 4 + 8
    # + ≤41 bytes) fits PKCS#1 v1.5 at any size from 1024 bits, which the vendor's own keys
    # use; those stay accepted for keys a customer brings, whatever their size.
    access_id = principal or _token(16)
    access_key = _token(32)
    key = rsa.generate_private_key(public_exponent=65537, key_size=YITU_KEY_BITS)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    cred = Credential(
        vendor=Vendor.yitu,
        principal=access_id,
        secret_hash=hash_secret(access_key),
        private_key_pem=private_pem,
        public_key_pem=public_pem,
        grants=tuple(grants) if grants else None,
        created=time.time(),
    )
    shown = {"access_id": access_id, "access_key": access_key, "public_key_pem": public_pem}
    return cred, shown


def _waiqin(grants: Sequence[str] | None, principal: str | None) -> tuple[Credential, dict]:
    openid = principal or _token(32)
    appkey = _token(32)
    cred = Credential(
        vendor=Vendor.waiqin,
        principal=openid,
        secret=appkey,
        grants=tuple(grants) if grants else None,
        created=time.time(),
    )
    return cred, {"openid": openid, "appkey": appkey}


def _netocr(grants: Sequence[str] | None, principal: str | None) -> tuple[Credential, dict]:
    key = principal or _token(24)
    secret = _token(32)
    cred = Credential(
        vendor=Vendor.netocr,
        principal=key,
        secret_hash=hash_secret(secret),
        grants=tuple(grants) if grants else None,
        created=time.time(),
    )
    return cred, {"key": key, "secret": secret}


def _admin(grants: Sequence[str] | None, principal: str | None) -> tuple[Credential, dict]:
    """An admin console account: a username and a generated password, kept as scrypt."""
    username = principal or "admin"
    cred, password = _password_account(Vendor.admin, username, grants)
    return cred, {"username": username, "password": password}


MINTERS: dict[Vendor, Callable[[Sequence[str] | None, str | None], tuple[Credential, dict]]] = {
    Vendor.sensetime: _sensetime,
    Vendor.yitu: _yitu,
    Vendor.waiqin: _waiqin,
    Vendor.netocr: _netocr,
    Vendor.admin: _admin,
}


def mint(vendor: Vendor, grants: Sequence[str] | None = None, principal: str | None = None):
    """A new credential for `vendor`, and the fields to show its owner once."""
    return MINTERS[vendor](grants, principal)
