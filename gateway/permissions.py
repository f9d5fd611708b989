"""Secrets at rest: the data directory is ours alone.

`credentials.db` holds Waiqin appkeys and Yitu private keys, `secret.key` seals every token, and
the gallery keeps face photos; none may be readable by another local user. The umask makes
every file the process creates 0600 and every folder 0700 (SQLite, the vector index and kept
images create files in many places); what an earlier version left more open is closed on start.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def secure_data_dir(data: Path) -> None:
    """Set the private umask, create `data` 0700, and close up what lies under it.

    Symbolic links are neither followed nor changed: a link could point anywhere.
    """
    os.umask(PRIVATE_UMASK)
    data.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _restrict(data, FOLDER_MODE)
    for root, folders, files in os.walk(data):
        base = Path(root)
        for name in folders:
            _restrict(base / name, FOLDER_MODE)
        for name in files:
            _restrict(base / name, FILE_MODE)


def _restrict(path: Path, mode: int) -> None:
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode) or stat.S_IMODE(info.st_mode) & ~mode == 0:
        return
    os.chmod(path, stat.S_IMODE(info.st_mode) & mode)
