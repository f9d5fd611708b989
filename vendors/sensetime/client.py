"""A SenseTime SenseStudio-ID client that calls like the vendor's integrations (seed 000 §1.1).

Form posts to `/<service>/v2/<api>`, images as multipart files; in account mode it logs in at
`/guns/mgr/login` first and sends `authorization: Basic <token>` on every call (without a
username it calls in open mode). For tests and for users (idfacade.SenseTimeClient).

    client = SenseTimeClient("http://127.0.0.1:8080", "api_1234abcd", password)
    answer = client.compare_images(photo_a, photo_b)   # an Answer, score 0..1
"""

from __future__ import annotations

from typing import Any

import httpx

from vendors.common.answers import Answer, number

SUCCESS = "0000"
LOGIN_PATH = "/guns/mgr/login"
API_ACCOUNT = "2"  # accountType of an API account (STEP10)
# The service of an API the client names (seed 000 chapters 2-6); other names are
# ssid-feature's. Names two services share (quality, extract, attribute) are ssid-face's here:
# give the path for the other one.
SERVICES = {
    **dict.fromkeys(
        (
            "detect",
            "quality",
            "extract",
            "verify",
            "compareImages",
            "singleImageVerify",
            "select",
            "attribute",
            "deReticulatedImage",
        ),
        "ssid-face",
    ),
    **dict.fromkeys(("encoder", "decoder", "defake"), "ssid-advanced"),
    **dict.fromkeys(("hacknessScore", "interactive", "silentLiveness"), "ssid-liveness"),
    **dict.fromkeys(("idcard", "idcardSource", "idcardQuality", "tempIdcard"), "ssid-ocr"),
}


def path_of(api: str) -> str:
    """`compareImages` → `/ssid-face/v2/compareImages`; a path is kept as given."""
    if api.startswith("/"):
        return api
    service = SERVICES.get(api, "ssid-feature")
    return f"/{service}/v2/{api}"


class SenseTimeClient:
    def __init__(
        self,
        base_url: str,
        username: str | None = None,
        password: str | None = None,
        *,
        http: httpx.Client | None = None,
    ) -> None:
        """Account mode with `username` and `password`, open mode without; `http` lets a
        caller bring its own httpx client (a test client, a pooled one)."""
        self._http = http or httpx.Client(base_url=base_url, timeout=60.0)
        self.username = username
        self._password = password
        self._token: str | None = None

    def login(self) -> str:
        """A fresh token for the account (the Guns console's login; `data` is the token)."""
        body = {"username": self.username, "password": self._password, "accountType": API_ACCOUNT}
        reply = self._http.post(LOGIN_PATH, json=body)
        reply.raise_for_status()
        answer = read_answer(reply.content)
        if not answer.ok:
            raise PermissionError(f"SenseTime login refused: {answer.code} {answer.message}")
        self._token = str(answer.body["data"])
        return self._token

    def call(self, api: str, /, *, http_method: str = "POST", **fields: Any) -> Answer:
        """POST `fields` to `api` (a name such as `compareImages`, or a path): bytes go as
        multipart files, everything else as form fields; with `http_method="GET"` (getDbInfo,
        get) the fields go in the query string."""
        headers = {}
        if self.username is not None:
            headers["authorization"] = f"Basic {self._token or self.login()}"
        files = {
            k: (f"{k}.jpg", v, "image/jpeg") for k, v in fields.items() if isinstance(v, bytes)
        }
        data = {k: _text(v) for k, v in fields.items() if not isinstance(v, bytes)}
        if http_method.upper() == "GET":
            reply = self._http.get(path_of(api), params=data, headers=headers)
        else:
            reply = self._http.post(path_of(api), data=data, files=files or None, headers=headers)
        reply.raise_for_status()
        return read_answer(reply.content)

    def compare_images(self, first: bytes, second: bytes, **options: Any) -> Answer:
        """§2.6 compareImages: the best similarity of the faces of two images (0..1)."""
        return self.call("compareImages", firstFile=first, secondFile=second, **options)

    def detect(self, image: bytes, **options: Any) -> Answer:
        return self.call("detect", file=image, **options)

    def hackness_score(self, image: bytes, **options: Any) -> Answer:
        """Image liveness: decision "attack" where the score is over 0.95."""
        return self.call("hacknessScore", file=image, **options)

    def idcard(self, image: bytes, **options: Any) -> Answer:
        return self.call("idcard", file=image, **options)

    def close(self) -> None:
        self._http.close()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read_answer(body: bytes) -> Answer:
    """SenseTime's envelope: `code`, `msg`, `data`; a similarity is the score (the best one
    of compareImages' pairs), a liveness `pass` the decision."""
    parsed = httpx.Response(200, content=body).json()
    data = parsed.get("data")
    decision, score = None, None
    if isinstance(data, dict):
        pairs = [number(pair.get("similarity")) for pair in data.get("result") or ()]
        scored = [s for s in pairs if s is not None]
        score = number(data.get("similarity", data.get("score")))
        if scored:
            score = max(scored)
        if isinstance(data.get("pass"), bool):
            decision = "live" if data["pass"] else "attack"
    code = str(parsed.get("code", ""))
    return Answer(
        "sensetime", code == SUCCESS, code, str(parsed.get("msg", "")), decision, score, parsed
    )
