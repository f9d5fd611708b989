"""The four vendor clients under one API: base URL and credentials in, `Answer`s out.

Each client is its vendor's own module (vendors/<vendor>/client.py), signing and packing as
that vendor's sample clients do; this module gathers them and builds one from the fields
`idfacade credentials add <vendor> --json` prints:

    client = client_for("sensetime", "http://127.0.0.1:8080", {"username": …, "password": …})
    client = client_for("yitu", url, {"access_id": …, "access_key": …, "public_key_pem": …})
    client = client_for("waiqin", url, {"openid": …, "appkey": …})
    client = client_for("netocr", url, {"key": …, "secret": …})

Every answer reads into `Answer` (vendor, ok, code, message, decision, score, body):
`SenseTimeClient.call/compare_images/…`, `YituClient.answer/compare`,
`WaiqinClient.recognise`, `NetocrClient.answer`; `read_answer(vendor, body)` reads raw bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx

from vendors.common.answers import Answer
from vendors.netocr.client import NetocrClient
from vendors.netocr.client import read_answer as _netocr
from vendors.sensetime.client import SenseTimeClient
from vendors.sensetime.client import read_answer as _sensetime
from vendors.waiqin.client import WaiqinClient
from vendors.waiqin.client import read_answer as _waiqin
from vendors.yitu.client import YituClient
from vendors.yitu.client import read_answer as _yitu

__all__ = [
    "Answer",
    "Client",
    "NetocrClient",
    "SenseTimeClient",
    "WaiqinClient",
    "YituClient",
    "client_for",
    "read_answer",
]

Client = SenseTimeClient | YituClient | WaiqinClient | NetocrClient
VENDORS = ("sensetime", "yitu", "waiqin", "netocr")
_READERS: Mapping[str, Callable[[bytes], Answer]] = {
    "sensetime": _sensetime,
    "yitu": _yitu,
    "waiqin": _waiqin,
    "netocr": _netocr,
}


def read_answer(vendor: str, body: bytes) -> Answer:
    """A raw answer of `vendor` (JSON, or netocr's XML) as an `Answer`."""
    return _READERS[vendor](body)


def client_for(
    vendor: str,
    base_url: str,
    credentials: Mapping[str, Any] | None = None,
    *,
    http: httpx.Client | None = None,
) -> Client:
    """The `vendor` client for `base_url` with `credentials` as the gateway printed them
    (SenseTime without credentials calls in open mode); `http` replaces its connection."""
    given = dict(credentials or {})
    connection = http or httpx.Client(base_url=base_url, timeout=60.0)
    if vendor == "sensetime":
        return SenseTimeClient(
            base_url, given.get("username"), given.get("password"), http=connection
        )
    if vendor == "yitu":
        return YituClient(
            base_url,
            given["access_id"],
            given["access_key"],
            given["public_key_pem"],
            http=connection,
        )
    if vendor == "waiqin":
        return WaiqinClient(connection, given["openid"], given["appkey"])
    if vendor == "netocr":
        return NetocrClient(connection, given["key"], given["secret"])
    raise ValueError(f"unknown vendor {vendor!r}: one of {', '.join(VENDORS)}")
