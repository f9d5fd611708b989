"""JSON from callers, parsed so that no input reaches the generic fault handler.

`json.loads` fails in more ways than `JSONDecodeError`: a body nested a few thousand levels
deep raises RecursionError, an integer of over 4,300 digits ValueError, and bytes that are not
UTF-8 UnicodeDecodeError. Nesting is also capped well below what Python's recursion allows,
so that no later step (re-encoding a field, validation) recurses out of stack.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

MAX_DEPTH = 32  # the deepest manual's body nests 4 levels


class BadJson(ValueError):
    """The text is not JSON this gateway accepts; the message says why."""


def parse_json(data: str | bytes) -> Any:
    try:
        value = json.loads(data)
    except RecursionError as exc:
        raise BadJson(f"nested deeper than {MAX_DEPTH} levels") from exc
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, over 4,300 digits
        raise BadJson("not valid JSON") from exc
    if _depth_over(value, MAX_DEPTH):
        raise BadJson(f"nested deeper than {MAX_DEPTH} levels")
    return value


def _depth_over(value: Any, limit: int) -> bool:
    """Whether containers nest deeper than `limit`, walked without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
