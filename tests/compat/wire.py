"""Byte-exact HTTP over a real socket, as third-party clients write it.

httpx and the test client normalise what real clients do not (header spelling and spacing,
`//` in paths, `Expect: 100-continue`), so these tests write the request bytes themselves.
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def _read_head(sock: socket.socket, buffer: bytearray) -> tuple[int, dict[str, str]]:
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer.extend(chunk)
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    buffer[:] = rest
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


def exchange(
    port: int,
    method: str,
    path: str,
    headers: list[tuple[str, str]] | list[str],
    body: bytes = b"",
    *,
    expect_continue: bool = False,
) -> Reply:
    """Send one request with exactly these header lines (`"Name: value"` or `(name, value)`,
    joined as `name: value`) and read the reply. With `expect_continue` the body is held back
    until the server answers `100 Continue`, as libcurl does."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    for header in headers:
        lines.append(header if isinstance(header, str) else f"{header[0]}: {header[1]}")
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    if expect_continue:
        lines.append("Expect: 100-continue")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        buffer = bytearray()
        sock.sendall(head)
        if expect_continue:
            status, _ = _read_head(sock, buffer)
            if status != 100:
                raise AssertionError(f"expected 100 Continue, got {status}")
        sock.sendall(body)
        status, reply_headers = _read_head(sock, buffer)
        length = int(reply_headers.get("content-length", "0"))
        while len(buffer) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            buffer.extend(chunk)
        return Reply(status, reply_headers, bytes(buffer[:length]))


def multipart(fields: dict[str, str | tuple[str, bytes]], boundary: str) -> bytes:
    """A multipart/form-data body as Java and C clients write it."""
    parts = []
    for name, value in fields.items():
        if isinstance(value, tuple):
            filename, data = value
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        else:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
    return b"".join(parts) + f"--{boundary}--\r\n".encode()
