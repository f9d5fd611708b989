"""Opaque, tamper-evident tokens: detect contexts, feature strings, login tokens.

A signed token is base64url(JSON payload) "." base64url(HMAC), the MAC keyed per purpose with
the deployment key, so it reads like the vendors' own (`eyJ…`), cannot be altered or moved from
one use to another, and carries a version so a later format or model is told apart. A token
that carries image data (a detect context holds face crops) is encrypted instead: one
base64url(AES-GCM nonce ‖ ciphertext ‖ tag) segment, so only this deployment can read it.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from typing import Any

import numpy as np

from contracts.embeddings import Embedding
from contracts.errors import ErrorKind, IdfError
from vendors.common.services import Sealer

TOKEN_VERSION = 1


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def seal(
    sealer: Sealer,
    purpose: str,
    payload: dict[str, Any],
    *,
    ttl: float | None = None,
    encrypt: bool = False,
) -> str:
    body = dict(payload, v=TOKEN_VERSION)
    if ttl is not None:
        body["exp"] = round(time.time() + ttl, 3)
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    if encrypt:
        return _b64(sealer.encrypt(purpose, raw))
    return f"{_b64(raw)}.{_b64(sealer.sign(purpose, raw))}"


def unseal(
    sealer: Sealer,
    purpose: str,
    token: str,
    *,
    field: str | None = None,
    encrypted: bool = False,
) -> dict[str, Any]:
    """The payload of a token this deployment sealed for `purpose`, or a `bad_token` error."""
    what = field or purpose
    raw = (
        _open_encrypted(sealer, purpose, token)
        if encrypted
        else _open_signed(sealer, purpose, token)
    )
    if raw is None:
        raise IdfError(ErrorKind.bad_token, f"{what} failed verification", field=field)
    payload = json.loads(raw)
    if payload.get("v") != TOKEN_VERSION:
        raise IdfError(ErrorKind.bad_token, f"{what} has an unknown version", field=field)
    if "exp" in payload and payload["exp"] < time.time():
        raise IdfError(ErrorKind.auth, f"{what} has expired", field=field)
    return payload


def _open_signed(sealer: Sealer, purpose: str, token: str) -> bytes | None:
    head, _, tail = token.strip().partition(".")
    try:
        raw, mac = _unb64(head), _unb64(tail)
    except (binascii.Error, ValueError):
        return None
    return raw if tail and sealer.verify(purpose, raw, mac) else None


def _open_encrypted(sealer: Sealer, purpose: str, token: str) -> bytes | None:
    try:
        blob = _unb64(token.strip())
    except (binascii.Error, ValueError):
        return None
    return sealer.decrypt(purpose, blob)


def pack_embedding(embedding: Embedding) -> dict[str, Any]:
    return {"model": embedding.model, "vec": _b64(embedding.array().astype("<f4").tobytes())}


def unpack_embedding(payload: dict[str, Any], *, field: str | None = None) -> Embedding:
    try:
        vector = np.frombuffer(_unb64(payload["vec"]), dtype="<f4")
        return Embedding.from_array(vector, str(payload["model"]))
    except (KeyError, ValueError, binascii.Error) as exc:
        raise IdfError(ErrorKind.bad_token, "feature is malformed", field=field) from exc
