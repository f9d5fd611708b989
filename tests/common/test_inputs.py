import asyncio
import base64
import socket

import httpx
import pytest
import respx

from contracts.embeddings import Embedding
from contracts.errors import ErrorKind, IdfError
from gateway.secrets import HmacSealer
from vendors.common.config import FacadeSettings
from vendors.common.inputs import resolve_bytes
from vendors.common.params import Params
from vendors.common.tokens import pack_embedding, seal, unpack_embedding, unseal

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100


def _resolve(value, settings, max_bytes=10_000):
    return asyncio.run(resolve_bytes(value, settings, max_bytes=max_bytes, field="data"))


def _kind(value, settings) -> ErrorKind:
    with pytest.raises(IdfError) as err:
        _resolve(value, settings)
    return err.value.kind


def test_base64_text_is_decoded():
    assert _resolve(base64.b64encode(JPEG).decode(), FacadeSettings()) == JPEG


def test_server_paths_are_off_without_a_root(tmp_path):
    (tmp_path / "a.jpg").write_bytes(JPEG)
    assert _kind(str(tmp_path / "a.jpg"), FacadeSettings()) is ErrorKind.unsupported


def test_server_paths_are_confined_to_the_root(tmp_path):
    root = tmp_path / "images"
    (root / "face").mkdir(parents=True)
    (root / "face" / "a.jpg").write_bytes(JPEG)
    (tmp_path / "secret.jpg").write_bytes(b"secret")
    settings = FacadeSettings(image_root=root)
    assert _resolve(str(root / "face" / "a.jpg"), settings) == JPEG
    assert _resolve("/face/a.jpg", settings) == JPEG  # as the manual prints server paths
    assert _kind("face/../../secret.jpg", settings) is ErrorKind.not_found
    assert _kind(str(tmp_path / "secret.jpg"), settings) is ErrorKind.not_found
    (root / "link.jpg").symlink_to(tmp_path / "secret.jpg")
    assert _kind("link.jpg", settings) is ErrorKind.not_found


def test_web_links_are_off_unless_enabled():
    assert _kind("https://example.com/a.jpg", FacadeSettings()) is ErrorKind.unsupported


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "192.168.0.7", "172.16.0.1", "169.254.169.254", "::1", "fc00::1"],
)
def test_web_links_never_reach_private_or_loopback_addresses(monkeypatch, address):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(family, socket.SOCK_STREAM, 6, "", (address, 80))]
    )
    assert (
        _kind("http://innocent.example/a.jpg", FacadeSettings(web_links=True))
        is ErrorKind.bad_param
    )


@respx.mock
def test_web_link_is_fetched_from_the_checked_address(monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80))],
    )
    route = respx.get("http://93.184.216.34:80/a.jpg").mock(
        return_value=httpx.Response(200, content=JPEG)
    )
    assert _resolve("http://photos.example/a.jpg", FacadeSettings(web_links=True)) == JPEG
    assert route.calls.last.request.headers["host"] == "photos.example"


@respx.mock
def test_web_link_body_is_cut_at_the_limit(monkeypatch):
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 80))],
    )
    respx.get("http://93.184.216.34:80/big.jpg").mock(
        return_value=httpx.Response(200, content=b"x" * 20_000)
    )
    assert (
        _kind("http://photos.example/big.jpg", FacadeSettings(web_links=True))
        is ErrorKind.image_too_large
    )


def test_params_read_aliases_flags_and_lists():
    params = Params(
        {"dbld": "db1", "rotate": "true", "ids": '["a","b"]', "n": "3", "blank": " "},
        {"dbld": "dbId"},
    )
    assert params.text("dbId") == "db1"
    assert params.boolean("rotate") is True and params.boolean("missing", True) is True
    assert params.text_list("ids") == ["a", "b"]
    assert params.integer("n", low=1, high=5) == 3
    assert not params.has("blank")
    with pytest.raises(IdfError) as err:
        params.integer("n", high=2)
    assert err.value.kind is ErrorKind.bad_param and err.value.field == "n"
    with pytest.raises(IdfError) as err:
        params.text("absent", required=True)
    assert err.value.kind is ErrorKind.missing_param


def test_sealed_tokens_refuse_tampering_other_purposes_and_other_keys():
    sealer = HmacSealer(b"k" * 32)
    token = seal(sealer, "context", {"faces": 2})
    assert token.startswith("eyJ")
    assert unseal(sealer, "context", token)["faces"] == 2
    head, tail = token.split(".")
    forged = base64.urlsafe_b64encode(b'{"faces":9,"v":1}').rstrip(b"=").decode() + "." + tail
    for bad, sealer_used, purpose in [
        (forged, sealer, "context"),
        (token, sealer, "feature"),
        (token, HmacSealer(b"j" * 32), "context"),
        (head, sealer, "context"),
        ("%%%", sealer, "context"),
    ]:
        with pytest.raises(IdfError) as err:
            unseal(sealer_used, purpose, bad)
        assert err.value.kind is ErrorKind.bad_token


def test_expired_token_is_an_auth_error():
    sealer = HmacSealer(b"k" * 32)
    with pytest.raises(IdfError) as err:
        unseal(sealer, "login", seal(sealer, "login", {"u": "a"}, ttl=-1))
    assert err.value.kind is ErrorKind.auth


def test_embeddings_survive_packing():
    emb = Embedding.from_array([3.0, 4.0, 0.0], "m1")
    back = unpack_embedding(pack_embedding(emb))
    assert back.model == "m1" and back.vector == pytest.approx((0.6, 0.8, 0.0))


def test_encrypted_tokens_hide_their_payload_and_refuse_tampering():
    sealer = HmacSealer(b"k" * 32)
    token = seal(sealer, "context", {"crop": "secret-face-pixels"}, encrypt=True)
    assert "." not in token and b"secret" not in base64.urlsafe_b64decode(token + "==")
    assert unseal(sealer, "context", token, encrypted=True)["crop"] == "secret-face-pixels"
    flipped = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    for bad, purpose in [(flipped, "context"), (token, "feature")]:
        with pytest.raises(IdfError) as err:
            unseal(sealer, purpose, bad, encrypted=True)
        assert err.value.kind is ErrorKind.bad_token
    with pytest.raises(IdfError):
        unseal(sealer, "context", seal(sealer, "context", {"a": 1}), encrypted=True)
