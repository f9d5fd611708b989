"""Yitu's route table rows: every API is a path and a handler.

A handler takes a `Call` and returns the fields of the success envelope. The private cloud
serves the same paths on port 9500 (§9.2), so one table serves both.
"""

from __future__ import annotations

from vendors.common.routing import Api as CommonApi
from vendors.common.routing import ApiHandler, Call

__all__ = ["Api", "Call"]


def Api(path: str, handler: ApiHandler, max_body: int | None = None) -> CommonApi:
    """The POST API at `path`, named for its last segment (what grants name); `max_body` is
    what its documented images take as base64 (vendors/common/limits.py)."""
    return CommonApi.at(path, handler, max_body=max_body)
