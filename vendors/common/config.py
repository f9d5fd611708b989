"""The settings facades read. The gateway's own settings extend these.

Each field's description is what `idfacade.example.toml` says about it
(gateway/settings_example.py writes that file from these fields).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class FacadeSettings(BaseModel):
    # A misspelt setting is an error that names it, never a silently kept default.
    model_config = ConfigDict(extra="forbid")

    max_body_bytes: int = Field(
        40 * 1024 * 1024,
        description="Bytes a request body may have before 413 (a 20 MB video as base64 is about "
        "27 MB); also the largest single form field a facade parses. Each Yitu and Waiqin route "
        "reads far less.",
    )
    request_deadline: float = Field(
        30.0,
        gt=0,
        description="Seconds a whole request may take, every inference step together, before "
        "the vendor's timeout error.",
    )
    sensetime_auth: Literal["open", "account"] = Field(
        "open",
        description='SenseTime: "open" needs no header (a box without the admin console); '
        '"account" requires `authorization: Basic <token>` from POST /guns/mgr/login on every '
        "call. Open mode is refused on an address other than loopback.",
    )
    sensetime_token_ttl: float = Field(7200.0, description="Seconds a SenseTime login token lives.")
    yitu_signature: Literal["required", "off"] = Field(
        "required",
        description='Yitu: "required" checks the RSA x-signature of every call; "off" is the '
        "unsigned private-cloud mode.",
    )
    yitu_max_skew: float = Field(
        300.0,
        description="Seconds a Yitu signature's timestamp may differ from the clock; its nonces "
        "are remembered for twice that.",
    )
    waiqin_max_skew: float = Field(
        300.0,
        description="Seconds a Waiqin URL timestamp may differ from the clock; msg_ids and "
        "digests are remembered for twice that.",
    )
    waiqin_timezone: str = Field(
        "Asia/Shanghai",
        description="The clock Waiqin clients write their URL timestamp in: an IANA name or an "
        'offset such as "+08:00".',
    )
    image_root: Path | None = Field(
        None,
        description="Image inputs given as server paths are read only below this directory "
        "(never through a link); unset turns server paths off.",
        examples=["/srv/idfacade/images"],
    )
    web_links: bool = Field(
        False,
        description="Fetch images given as web links; private, loopback and link-local "
        "addresses are always refused.",
    )
    web_link_timeout: float = Field(10.0, description="Seconds a web link's fetch may take.")
    contract_checks: Literal["off", "report", "reject"] = Field(
        "off",
        description="Conformance checks of every request against its endpoint's declared wire "
        'model: "report" records the findings with the call, "reject" answers them with the '
        "vendor's parameter error.",
    )
    image_return: Literal["base64", "path"] = Field(
        "base64",
        description='Images in responses (markedImg, crops): inline "base64", or a "path" to a '
        "file kept for `kept_image_ttl` seconds.",
    )
