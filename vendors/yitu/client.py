"""A Yitu FaceSaaS client that signs like the vendor's Java sample (seed 001 §7.2-7.3).

It serves the tests and anyone who needs a client: every request body is JSON, signed with the
service's RSA public key as PROTOCOLS.md describes (upper-case hex, as the sample writes it),
and `pack_bundle` makes the capture bundles that check_image_package and face_pair_verification
take (vendors/yitu/bundle.py).

    client = YituClient("http://127.0.0.1:8080", access_id, access_key, public_key_pem)
    reply = client.feature_extraction(jpeg_bytes, image_type=3)
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from vendors.common.answers import Answer, number
from vendors.yitu import bundle
from vendors.yitu.signature import SignedContent, body_md5

PATHS = {
    "check_image_package": "/face/basic/check_image_package",
    "feature_extraction": "/face/v1/algorithm/recognition/feature_extraction",
    "face_pair_verification": "/face/v1/algorithm/recognition/face_pair_verification",
    "register_in_repo": "/face/basic/register_in_repo",
    "retrieval_in_repo": "/face/basic/retrieval_in_repo",
    "ocr": "/face/basic/ocr",
    "distinguish": "/face/basic/distinguish",
    "license_classification": "/face/basic/license_classification",
}


def b64(data: bytes) -> str:
    """Standard base64 without line breaks (§7.3.2)."""
    return base64.b64encode(data).decode()


def sign(public_key_pem: str, access_key: str, body: bytes, content: bytes = b"") -> str:
    """The `x-signature` of `body`: fresh time and random bytes every call."""
    key = serialization.load_pem_public_key(public_key_pem.encode())
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("the service key must be RSA")
    plaintext = SignedContent(access_key, body_md5(body), content=content).compose()
    return key.encrypt(plaintext, padding.PKCS1v15()).hex().upper()


class YituClient:
    def __init__(
        self,
        base_url: str,
        access_id: str,
        access_key: str,
        public_key_pem: str,
        *,
        http: httpx.Client | None = None,
        content: bytes = b"",
    ) -> None:
        """`http` lets a caller bring its own httpx client (a test client, a pooled one)."""
        self.access_id = access_id
        self._access_key = access_key
        self._public_key_pem = public_key_pem
        self._content = content
        self._http = http or httpx.Client(base_url=base_url, timeout=60.0)

    def call(self, api: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST `payload` to `api` (a name in PATHS, or a path) and return the JSON reply."""
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {
            "content-type": "application/json",
            "x-access-id": self.access_id,
            "x-signature": sign(self._public_key_pem, self._access_key, body, self._content),
        }
        response = self._http.post(PATHS.get(api, api), content=body, headers=headers)
        response.raise_for_status()
        return response.json()

    def pack_bundle(self, frames: Sequence[bytes], content: str = "") -> str:
        """A base64 capture bundle of `frames` (frontal face first), for query_image_package."""
        packed = bundle.pack(
            frames, access_id=self.access_id, access_key=self._access_key, content=content
        )
        return b64(packed)

    def check_image_package(self, package: str, **options: Any) -> dict[str, Any]:
        return self.call("check_image_package", {"query_image_package": package, **options})

    def feature_extraction(self, image: bytes, image_type: int, **options: Any) -> dict[str, Any]:
        payload = {"image_content": b64(image), "image_type": image_type, **options}
        return self.call("feature_extraction", payload)

    def face_pair_verification(self, **fields: Any) -> dict[str, Any]:
        """Fields as the manual names them; bytes values are sent as base64."""
        payload = {k: b64(v) if isinstance(v, bytes) else v for k, v in fields.items()}
        return self.call("face_pair_verification", payload)

    def register_in_repo(
        self, user_info: dict[str, Any], *, mode: int = 1, **options: Any
    ) -> dict[str, Any]:
        """Upload a face: mode 1 with `image_content`, mode 2 with `feature_content`."""
        info = {k: b64(v) if isinstance(v, bytes) else v for k, v in user_info.items()}
        return self.call("register_in_repo", {"mode": mode, "user_info": info, "options": options})

    def delete_in_repo(self, user_info: dict[str, Any]) -> dict[str, Any]:
        """Delete every face of `user_id` (a register_in_repo body without image or feature)."""
        return self.call("register_in_repo", {"user_info": user_info})

    def retrieval_in_repo(
        self, user_info: dict[str, Any], *, mode: int = 1, **options: Any
    ) -> dict[str, Any]:
        info = {k: b64(v) if isinstance(v, bytes) else v for k, v in user_info.items()}
        return self.call("retrieval_in_repo", {"mode": mode, "user_info": info, "options": options})

    def answer(self, api: str, payload: dict[str, Any]) -> Answer:
        """`call`, read as an `Answer` (decision and score of a pair verification)."""
        return answer_of(self.call(api, payload))

    def compare(
        self,
        database: bytes,
        query: bytes,
        *,
        database_type: int = 3,
        query_type: int = 301,
        true_negative_rate: str = "99.9",
    ) -> Answer:
        """Two photos through face_pair_verification (§7.4.3; 301 a 类证件照 query): decision
        "same"/"different" at `true_negative_rate`, score 0..100."""
        return answer_of(
            self.face_pair_verification(
                database_image_content=database,
                database_image_type=database_type,
                query_image_content=query,
                query_image_type=query_type,
                true_negative_rate=true_negative_rate,
            )
        )

    def close(self) -> None:
        self._http.close()


def read_answer(body: bytes) -> Answer:
    """Yitu's envelope: `rtn` (0 is OK), `message`; a pair verification's result and
    similarity are the decision and the score."""
    return answer_of(json.loads(body))


def answer_of(reply: dict[str, Any]) -> Answer:
    rtn = reply.get("rtn")
    verdict = reply.get("pair_verify_result")
    decision = {0: "same", 1: "different"}.get(verdict) if isinstance(verdict, int) else None
    score = (
        number(reply.get("pair_verify_similarity")) if "pair_verify_similarity" in reply else None
    )
    return Answer("yitu", rtn == 0, str(rtn), str(reply.get("message", "")), decision, score, reply)
