"""Writing files whole or not at all: every file botlint writes goes through `write_file`.

A report, a baseline or a cache entry is written to a temporary file beside it, then renamed
over it: a full disk, a crash or a kill leaves the previous file (or none), never half of one,
and two runs writing the same file at once each write a whole one. The temporary file goes
too, on any failure or interruption; only SIGKILL can leave it (hidden, `.NAME.*.tmp`, read by nothing).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def write_file(path: Path, text: str, *, durable: bool = True) -> None:
    """Write `text` (UTF-8) to `path`, replacing it whole. Raises OSError; on any failure (an
    interruption too) the file is as it was and no temporary file remains.

    `durable`: the data reaches the disk before the rename (fsync), so that a power cut cannot
    leave an empty file. Caches skip it: a damaged entry is read as a miss, and a sync per
    entry would slow a run over many files.

    A symbolic link stays one (its target is written). What is not a regular file (`-o
    /dev/stdout`, a named pipe) cannot be replaced: it is written to directly."""
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(target, "w", encoding="utf-8") as stream:
            stream.write(text)
        return
    # Named before it exists, so that an interruption (Ctrl-C, SIGTERM) at any point can remove it:
    # one just after mkstemp() made the file would leave it behind, unnamed. 48 random bits: unique.
    temporary = target.parent / f".{target.name}.{os.urandom(6).hex()}.tmp"
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)  # Windows: no CRT newlines
        handle = os.open(temporary, flags, 0o666)  # the umask applies, as to any new file
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, stat.S_IMODE(mode))  # the mode the file had
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
