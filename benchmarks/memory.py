"""This process's resident memory, as every benchmark reports it."""

from __future__ import annotations

from pathlib import Path


def memory() -> dict[str, float]:
    """This process's resident memory now (VmRSS) and at its peak (VmHWM), in MiB."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return {key: int(status[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM")}
