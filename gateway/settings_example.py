"""`idfacade.example.toml`, written from the settings class so that it cannot drift from it.

Every setting appears once, with its description as a comment and its default as a
commented-out line: uncommenting a line and editing its value is all a deployment does. A
setting whose default is unset shows the field's example value instead. A test compares the
shipped file with this rendering and loads every line uncommented.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo

from gateway.settings import Settings
from vendors.common.config import FacadeSettings

HEADER = """\
# idfacade settings. Pass this file with `idfacade serve --config FILE` (or IDFACADE_CONFIG=FILE).
# Each setting can also be given as an environment variable IDFACADE_<NAME> (IDFACADE_PORT=9000),
# which wins over the file; --host, --port and --data win over both. A name that is no setting
# is refused at start, with its name. Every line below is a default: uncomment to change it.
# Written by `idfacade config example` from the settings class.
"""
WIDTH = 98


def render_example() -> str:
    """The whole file."""
    blocks = [HEADER]
    fields = Settings.model_fields
    # the gateway's own settings (where to listen, the data) first, then the facades'
    for name in sorted(fields, key=lambda n: n in FacadeSettings.model_fields):
        blocks.append(_block(name, fields[name]))
    return "\n".join(blocks)


def _block(name: str, info: FieldInfo) -> str:
    if not info.description:
        raise ValueError(f"setting {name} has no description for the example file")
    lines = textwrap.wrap(info.description, WIDTH - 2)
    comment = [f"# {line}" for line in lines]
    default = info.get_default(call_default_factory=True)
    if default is None:
        if not info.examples:
            raise ValueError(f"setting {name} is unset by default and has no example value")
        comment.append("# (unset by default; for example:)")
        default = info.examples[0]
    comment.append(f"# {name} = {_toml_value(default)}")
    return "\n".join(comment) + "\n"


def _toml_value(value: Any) -> str:
    """A TOML literal for a default: booleans, numbers and strings (JSON's escapes are TOML's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"no TOML form for {value!r}")
