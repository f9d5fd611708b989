"""The settings facades read. The gateway's own settings extend these."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field


class FacadeSettings(BaseModel):
    # Transport guard above every vendor's own limits (a 20 MB video as base64 is ~27 MB);
    # also the largest single form field a facade will parse.
    max_body_bytes: int = 40 * 1024 * 1024
    # One budget for a whole request, however many trips through the inference pool it takes.
    request_deadline: float = Field(30.0, gt=0)
    # SenseTime (seed 000 §1.1): "open" is a box without the admin console; "account" requires
    # `authorization: Basic <token>` from /guns/mgr/login on every call.
    sensetime_auth: Literal["open", "account"] = "open"
    sensetime_token_ttl: float = 7200.0
    # Yitu: RSA x-signature verification; private clouds often run unsigned.
    yitu_signature: Literal["required", "off"] = "required"
    yitu_max_skew: float = 300.0
    waiqin_max_skew: float = 300.0
    # The clock Waiqin clients write their URL timestamp in: an IANA name or "+08:00".
    waiqin_timezone: str = "Asia/Shanghai"
    # Image inputs given as server paths are only read below this root; None turns them off.
    image_root: Path | None = None
    # Web links are fetched only when enabled, and never from private or loopback addresses.
    web_links: bool = False
    web_link_timeout: float = 10.0
    # Conformance checks of every request against its endpoint's declared wire model
    # (vendors/common/conformance.py): "report" records findings with the call, "reject"
    # answers them with the vendor's parameter error.
    contract_checks: Literal["off", "report", "reject"] = "off"
    # How images in responses (markedImg, crops) are returned: inline base64, or a path.
    image_return: Literal["base64", "path"] = "base64"
