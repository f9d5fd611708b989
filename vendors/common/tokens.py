"""Opaque, tamper-evident tokens: detect contexts, feature strings, login tokens.

A token is base64url(JSON payload) "." base64url(HMAC), the MAC keyed per purpose with the
deployment key, so it reads like the vendors' own (`eyJ…`), cannot be altered or moved from
one use to another, and carries a version so a later format or model is told apart.
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


def seal(sealer: Sealer, purpose: str, payload: dict[str, Any], *, ttl: float | None = None) -> str:
    body = dict(payload, v=TOKEN_VERSION)
    if ttl is not None:
        body["exp"] = round(time.time() + ttl, 3)
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return f"{_b64(raw)}.{_b64(sealer.sign(purpose, raw))}"


def unseal(sealer: Sealer, purpose: str, token: str, *, field: str | None = None) -> dict[str, Any]:
    """The payload of a token this deployment sealed for `purpose`, or a `bad_token` error."""
    what = field or purpose
    try:
        head, _, tail = token.strip().partition(".")
        raw, mac = _unb64(head), _unb64(tail)
    except (binascii.Error, ValueError) as exc:
        raise IdfError(ErrorKind.bad_token, f"{what} is malformed", field=field) from exc
    if not tail or not sealer.verify(purpose, raw, mac):
        raise IdfError(ErrorKind.bad_token, f"{what} failed verification", field=field)
    payload = json.loads(raw)
    if payload.get("v") != TOKEN_VERSION:
        raise IdfError(ErrorKind.bad_token, f"{what} has an unknown version", field=field)
    if "exp" in payload and payload["exp"] < time.time():
        raise IdfError(ErrorKind.auth, f"{what} has expired", field=field)
    return payload


def pack_embedding(embedding: Embedding) -> dict[str, Any]:
    return {"model": embedding.model, "vec": _b64(embedding.array().astype("<f4").tobytes())}


def unpack_embedding(payload: dict[str, Any], *, field: str | None = None) -> Embedding:
    try:
        vector = np.frombuffer(_unb64(payload["vec"]), dtype="<f4")
        return Embedding.from_array(vector, str(payload["model"]))
    except (KeyError, ValueError, binascii.Error) as exc:
        raise IdfError(ErrorKind.bad_token, "feature is malformed", field=field) from exc
