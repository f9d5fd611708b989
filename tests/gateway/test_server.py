"""Slow and idle clients, on a real uvicorn server over loopback (issue 10 item 9)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from gateway.app import create_app
from gateway.server import server_config
from gateway.settings import Settings, load_settings


@contextlib.contextmanager
def serving(settings: Settings) -> Iterator[int]:
    """The gateway served by uvicorn as `idfacade serve` configures it; yields the port."""
    server = uvicorn.Server(server_config(create_app(settings), settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            thread.join(0.02)
            assert thread.is_alive(), "the server did not start"
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(10)


def settings_for(tmp_path: Path, **overrides) -> Settings:
    values = {"data": tmp_path / "var", "warm_up": False, "port": 0, **overrides}
    return load_settings(values, environ={})


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def closed_by_server(sock: socket.socket) -> bool:
    """True when the server closes the connection (within the 10 s socket timeout); what it
    still had to send is read and dropped."""
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        pass
    except TimeoutError:
        return False
    return True


def answer(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_trickled_headers_and_silent_connections_are_closed(tmp_path):
    with serving(settings_for(tmp_path, header_timeout=0.3)) as port:
        silent, trickling = connect(port), connect(port)
        trickling.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        assert closed_by_server(trickling)
        assert closed_by_server(silent)
        with connect(port) as fine:
            fine.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            assert answer(fine).startswith(b"HTTP/1.1 200")
            # after a response the next request's headers have the same deadline
            fine.sendall(b"GET /healthz HTTP/1.1\r\n")
            assert closed_by_server(fine)


def test_connections_past_the_cap_are_closed(tmp_path):
    with serving(settings_for(tmp_path, max_connections=2)) as port:
        held = [connect(port), connect(port)]
        extra = connect(port)
        assert closed_by_server(extra)
        held[0].sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert answer(held[0]).startswith(b"HTTP/1.1 200")
        for sock in held:
            sock.close()


def test_a_body_that_does_not_arrive_in_time_is_answered_408(tmp_path):
    with serving(settings_for(tmp_path, body_timeout=0.3)) as port, connect(port) as slow:
        slow.sendall(
            b"POST /guns/mgr/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\n\r\n{"username":'
        )
        assert answer(slow).startswith(b"HTTP/1.1 408")


def test_keep_alive_timeout_is_a_setting(tmp_path):
    settings = settings_for(tmp_path, keep_alive_timeout=7)
    config = server_config(object(), settings)
    assert config.timeout_keep_alive == 7


@pytest.fixture
def served(monkeypatch) -> list[str]:
    """`idfacade serve` without the serving: the hosts it would have bound to."""
    hosts: list[str] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self: hosts.append(self.config.host))
    monkeypatch.setattr("gateway.logging.configure_logging", lambda level: None)
    return hosts


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::"])
def test_open_mode_is_refused_off_loopback(tmp_path, host, capsys, served):
    from gateway.cli import main

    assert main(["serve", "--host", host, "--data", str(tmp_path / "var")]) == 2
    assert "open mode" in capsys.readouterr().err and served == []


def test_open_mode_serves_on_loopback_or_when_the_operator_says_so(tmp_path, served, monkeypatch):
    from gateway.cli import main

    data = str(tmp_path / "var")
    assert main(["serve", "--host", "127.0.0.1", "--data", data]) == 0
    monkeypatch.setenv("IDFACADE_SENSETIME_AUTH", "account")
    assert main(["serve", "--host", "0.0.0.0", "--data", data]) == 0
    monkeypatch.setenv("IDFACADE_SENSETIME_AUTH", "open")
    monkeypatch.setenv("IDFACADE_SENSETIME_OPEN_ON_NETWORK", "true")
    assert main(["serve", "--host", "0.0.0.0", "--data", data]) == 0
    assert served == ["127.0.0.1", "0.0.0.0", "0.0.0.0"]
