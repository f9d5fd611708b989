"""Fetch an image from a web link without letting a caller reach the gateway's own network.

The host name is resolved once, every address is checked (no loopback, private, link-local,
reserved or multicast address), and the request is then pinned to the checked address, so a
second DNS answer cannot swap in an internal one. Redirects are not followed; the body is
read only up to the byte limit.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit, urlunsplit

import httpx

from contracts.errors import ErrorKind, IdfError


def resolve_public(host: str, port: int) -> str:
    """The first address of `host`, after checking that every address it has is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise IdfError(ErrorKind.bad_param, f"cannot resolve {host}", field="data") from exc
    addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise IdfError(
                ErrorKind.bad_param,
                "web links to private or local addresses are refused",
                field="data",
            )
    return addresses[0]


async def fetch_link(url: str, *, max_bytes: int, timeout: float) -> bytes:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IdfError(ErrorKind.bad_param, "web link must be http or https", field="data")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve_public(parts.hostname, port)
    host_for_url = f"[{address}]" if ":" in address else address
    pinned = urlunsplit(
        (parts.scheme, f"{host_for_url}:{port}", parts.path or "/", parts.query, "")
    )
    headers = {"Host": parts.netloc.rsplit("@", 1)[-1]}
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    try:
        async with (
            httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client,
            client.stream("GET", pinned, headers=headers, extensions=extensions) as response,
        ):
            if response.status_code != 200:
                raise IdfError(
                    ErrorKind.bad_param, f"web link answered {response.status_code}", field="data"
                )
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise IdfError(
                        ErrorKind.image_too_large,
                        f"web link is over {max_bytes} bytes",
                        field="data",
                    )
            return bytes(body)
    except httpx.HTTPError as exc:
        raise IdfError(ErrorKind.bad_param, "web link could not be fetched", field="data") from exc
