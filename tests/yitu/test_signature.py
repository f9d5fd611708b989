"""x-access-id + x-signature (seed 001 §7.3.1, PROTOCOLS.md): what is accepted and refused.

`java_signature` builds the header the way the vendor's Java sample does, independently of
vendors/yitu: a ByteBuffer of AccessKey bytes, the body's MD5 hex, putInt(unix time),
SecureRandom's 8 bytes and the customer's content; Cipher "RSA/ECB/PKCS1Padding"; upper-case
hex.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import time

import pytest
import structlog
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from contracts.credentials import Credential, Vendor, hash_secret
from gateway.credentials import SqliteCredentialStore, mint
from vendors.yitu.signature import SignedContent

PATH = "/face/basic/check_image_package"
# issue 10 item 16: every signature failure, an unknown access id too, is one code and message
REFUSED = {"rtn": -101, "message": "signature check failed"}
BODY = json.dumps({"query_image_package": "QUFBQQ=="}).encode()


def java_signature(
    public_key_pem: str,
    access_key: str,
    body: bytes,
    *,
    when: float | None = None,
    nonce: bytes | None = None,
    content: bytes = b"user defined content",
) -> str:
    buffer = bytearray(access_key.encode())
    buffer += hashlib.md5(body).hexdigest().encode()
    buffer += struct.pack(">i", int(time.time() if when is None else when))
    buffer += os.urandom(8) if nonce is None else nonce
    buffer += content
    key = serialization.load_pem_public_key(public_key_pem.encode())
    assert isinstance(key, rsa.RSAPublicKey)
    return key.encrypt(bytes(buffer), padding.PKCS1v15()).hex().upper()


def post(http, access_id: str, signature: str, body: bytes = BODY) -> dict:
    headers = {
        "content-type": "application/json",
        "x-access-id": access_id,
        "x-signature": signature,
    }
    response = http.post(PATH, content=body, headers=headers)
    assert response.status_code == 200
    return response.json()


def test_java_sample_signature_is_accepted(yitu_http, account):
    signature = java_signature(account.public_key_pem, account.access_key, BODY)
    assert len(signature) == 512 and signature == signature.upper()  # 2048-bit keys
    reply = post(yitu_http, account.access_id, signature)
    assert reply == {
        "rtn": 0,
        "message": "OK",
        "query_image_package_result": {"is_valid_package": False},
    }


def test_lower_case_hex_is_accepted(yitu_http, account):
    signature = java_signature(account.public_key_pem, account.access_key, BODY)
    assert post(yitu_http, account.access_id, signature.lower())["rtn"] == 0


def test_altered_body_is_refused(yitu_http, account):
    signature = java_signature(account.public_key_pem, account.access_key, BODY)
    altered = BODY.replace(b"QUFB", b"QUFC")
    reply = post(yitu_http, account.access_id, signature, altered)
    assert reply == REFUSED


def test_signature_for_another_key_is_refused(yitu_http, account, new_account):
    other = new_account()
    # Encrypted for the other account's key: this account's private key cannot open it.
    foreign = java_signature(other.public_key_pem, account.access_key, BODY)
    assert post(yitu_http, account.access_id, foreign)["rtn"] == -101
    # Opened fine, but carrying another account's AccessKey.
    wrong_access_key = java_signature(account.public_key_pem, other.access_key, BODY)
    reply = post(yitu_http, account.access_id, wrong_access_key)
    assert reply == REFUSED


def test_skewed_time_is_refused(yitu_http, account):
    for offset in (-301, 301):
        signature = java_signature(
            account.public_key_pem, account.access_key, BODY, when=time.time() + offset
        )
        reply = post(yitu_http, account.access_id, signature)
        assert reply == REFUSED


def test_replayed_signature_is_refused(yitu_http, account):
    signature = java_signature(account.public_key_pem, account.access_key, BODY)
    assert post(yitu_http, account.access_id, signature)["rtn"] == 0
    again = post(yitu_http, account.access_id, signature)
    assert again["rtn"] == -103
    # The same random bytes in a fresh encryption are the same nonce.
    nonce = os.urandom(8)
    first = java_signature(account.public_key_pem, account.access_key, BODY, nonce=nonce)
    second = java_signature(account.public_key_pem, account.access_key, BODY, nonce=nonce)
    assert first != second
    assert post(yitu_http, account.access_id, first)["rtn"] == 0
    assert post(yitu_http, account.access_id, second)["rtn"] == -103


def test_unknown_access_id_is_refused(yitu_http, account):
    signature = java_signature(account.public_key_pem, account.access_key, BODY)
    reply = post(yitu_http, "nosuchaccessid", signature)
    assert reply == REFUSED


def test_missing_or_malformed_headers_are_refused(yitu_http, account):
    reply = yitu_http.post(PATH, content=BODY, headers={"content-type": "application/json"})
    assert reply.status_code == 200
    assert reply.json() == REFUSED
    assert post(yitu_http, account.access_id, "") == REFUSED
    assert post(yitu_http, account.access_id, "e4305df7e61b38adbd59eabef7f8b706") == REFUSED
    assert post(yitu_http, account.access_id, "zz" * 256) == REFUSED


def test_41_bytes_of_customer_content_fit_and_42_do_not():
    # 32 + 32 + 4 + 8 + 41 = 117, PKCS#1 v1.5's limit for a 1024-bit key (table 7.2).
    with pytest.raises(ValueError):
        SignedContent("k" * 32, "0" * 32, content=b"x" * 42).compose()


def test_41_bytes_of_customer_content_are_accepted(yitu_http, account):
    signature = java_signature(account.public_key_pem, account.access_key, BODY, content=b"x" * 41)
    assert post(yitu_http, account.access_id, signature)["rtn"] == 0


def test_client_signs_every_request_afresh(yitu):
    for _ in range(2):
        assert yitu.check_image_package("QUFBQQ==")["rtn"] == 0


def test_unsigned_private_cloud_accepts_the_manuals_sample_header(unsigned_http):
    # §9.1's sample header is a 32-character value, not a signature.
    reply = post(unsigned_http, "access_id", "e4305df7e61b38adbd59eabef7f8b706")
    assert reply["rtn"] == 0
    bare = unsigned_http.post(PATH, content=BODY, headers={"content-type": "application/json"})
    assert bare.json()["rtn"] == 0


def test_new_keys_are_2048_bits_and_1024_bit_keys_stay_accepted(yitu_http, yitu_data):
    _, shown = mint(Vendor.yitu)
    public = serialization.load_pem_public_key(shown["public_key_pem"].encode())
    assert isinstance(public, rsa.RSAPublicKey) and public.key_size == 2048
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    pem = small.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        small.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    imported = Credential(
        vendor=Vendor.yitu,
        principal="imported1024",
        secret_hash=hash_secret("k" * 32),
        private_key_pem=pem,
        public_key_pem=public_pem,
    )
    SqliteCredentialStore(yitu_data / "credentials.db").add(imported)
    signature = java_signature(public_pem, "k" * 32, BODY)
    assert len(signature) == 256
    assert post(yitu_http, "imported1024", signature)["rtn"] == 0


def test_the_log_says_which_check_failed(yitu_http, account):
    with structlog.testing.capture_logs() as logs:
        post(yitu_http, "nosuchaccessid", "00" * 256)
        signature = java_signature(account.public_key_pem, account.access_key, BODY)
        post(yitu_http, account.access_id, signature, BODY + b" ")
    details = [e["detail"] for e in logs if e.get("event") == "signature_refused"]
    assert details == ["nosuchaccessid is not known", "MD5 does not match the body"]


def test_an_unknown_access_ids_signature_is_decrypted_all_the_same(yitu_http, monkeypatch):
    """Its refusal costs the RSA decryption a known id's does, so timing does not tell which
    access ids exist (the answer already does not)."""
    from vendors.yitu import auth

    opened: list[str] = []
    real_open = auth._open

    def counting_open(pem: str, signature: str):
        opened.append(pem)
        return real_open(pem, signature)

    monkeypatch.setattr(auth, "_open", counting_open)
    assert post(yitu_http, "nosuchaccessid", "00" * 256) == REFUSED
    assert opened == [auth._stranger_key()]
    key = serialization.load_pem_private_key(opened[0].encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
