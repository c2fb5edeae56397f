"""Reading a file's bytes into text, with precise errors for binary or mis-encoded files.

Reading is bounded: only regular files are opened (a named pipe would block for ever), and a
file larger than `max-file-bytes` is refused from its size, before any of it is read. Inside
`confined_to(folder)` (an importer reading a project's files) a file of that folder that a
symbolic link leads out of it is refused unread, as git and ruff do.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

from linter.core.errors import FlowSyntaxError
from linter.parse.limits import current, describe_size, note

# PEP 263, as Python reads it, and botlint's own spelling; on one of the first two lines.
_PEP263 = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_BOTLINT = re.compile(rb"^[ \t\f]*#.*?botlint:[ \t]*encoding[ \t]*=[ \t]*([-\w.]+)")
_UTF8_BOM = b"\xef\xbb\xbf"
# A declared encoding must read ASCII as ASCII (as Python requires of source files): the
# declaration itself, keywords and indentation must mean what they say. This also keeps out
# codecs that are not character sets (punycode, idna, utf-7, unicode_escape, utf-16...).
_ASCII_PROBE = bytes(range(1, 128)) + b"\\n\\u0041+AGE-xn--"


def kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class OutsideLink(FlowSyntaxError):
    """A file not read: a symbolic link takes it outside the folder being read."""


class _Confinement:
    def __init__(self, folder: str, real_folder: str, allowed: frozenset[str]) -> None:
        self.folder = folder  # as written (absolute)
        self.real_folder = real_folder  # where it is once links are resolved
        self.allowed = allowed  # real paths read on purpose (a file named on the command line)
        self.refused: list[Path] = []
        self.plain_folders: set[str] = set()  # folders under `folder` reached with no link

    def reached_without_links(self, path: str) -> bool:
        """Whether `path` (absolute, under `folder`, written without '..') is reached from `folder`
        with no symbolic link on the way: then it is inside the folder's real place as well. A few
        lstat calls, the folders remembered, where realpath would resolve every part of the path."""
        parent = os.path.dirname(path)
        if parent != self.folder and parent not in self.plain_folders:
            if not within(parent, self.folder) or not self.reached_without_links(parent):
                return False
            self.plain_folders.add(parent)
        try:
            return not stat.S_ISLNK(os.lstat(path).st_mode)
        except OSError:  # not there (or not readable): the full check below says what it is
            return False


_CONFINEMENT: ContextVar[_Confinement | None] = ContextVar("confinement", default=None)


@contextmanager
def confined_to(folder: Path | None, allowed: tuple[Path, ...] = ()) -> Iterator[list[Path]]:
    """Refuse, unread, every file of `folder` (None: no limit) that a symbolic link leads out of
    it, except `allowed`. Files elsewhere (botlint's own data) are not this folder's to refuse.
    Yields the list of the paths refused so far, for one notice that names them."""
    if folder is None:
        yield []
        return
    confinement = _Confinement(os.path.abspath(folder), os.path.realpath(folder),
                               frozenset(os.path.realpath(path) for path in allowed))
    token = _CONFINEMENT.set(confinement)
    try:
        yield confinement.refused
    finally:
        _CONFINEMENT.reset(token)


def within(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or under it (both absolute, both real or both as written)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def may_read(path: Path) -> bool:
    """False (and the path recorded as refused) if a confinement in force forbids reading `path`."""
    confinement = _CONFINEMENT.get()
    if confinement is None:
        return True
    written = os.path.abspath(path)
    if not within(written, confinement.folder):
        return True
    # abspath drops '..' by the letters, which a link under it would not: such paths take the full check.
    if ".." not in os.fspath(path).split(os.sep) and confinement.reached_without_links(written):
        return True
    real = os.path.realpath(path)
    if within(real, confinement.real_folder) or real in confinement.allowed:
        return True
    if path not in confinement.refused:
        confinement.refused.append(path)
    return False


def _open_regular(path: Path, display: str) -> tuple[int, os.stat_result]:
    """An open descriptor of a regular file and its status. Opened without blocking and checked
    on the descriptor, so a file swapped for a pipe between a check and the read cannot hang."""
    if not may_read(path):
        # Its text must never reach a message: a link to /etc/passwd or to a file holding a token.
        raise OutsideLink("not read: a symbolic link takes it outside the project folder "
                          "(use --follow-links to read it)", display)
    try:
        descriptor = os.open(path, _FLAGS)
    except OSError as exc:
        raise FlowSyntaxError(f"cannot read file: {os_error_reason(exc)}", display) from None
    try:
        info = os.fstat(descriptor)
    except OSError as exc:
        os.close(descriptor)
        raise FlowSyntaxError(f"cannot read file: {os_error_reason(exc)}", display) from None
    kind = kind_of(info.st_mode)
    if kind:
        os.close(descriptor)
        raise FlowSyntaxError(f"cannot read file: it is {kind}, not a regular file", display)
    return descriptor, info


def resolved(path: Path) -> Path:
    """`path.resolve()`, or the absolute path where a symlink loop (RuntimeError before Python
    3.13) or the file system refuses it: the problem is reported when the file is read."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def read_head_bytes(path: Path, size: int) -> bytes:
    """At most `size` bytes from the start of a regular file."""
    descriptor, _ = _open_regular(path, str(path))
    try:
        return os.read(descriptor, size)
    except OSError as exc:
        raise FlowSyntaxError(f"cannot read file: {os_error_reason(exc)}", str(path)) from None
    finally:
        os.close(descriptor)


def read_bytes(path: Path, display: str, max_bytes: int | None = None) -> bytes:
    """A regular file's bytes, at most `max_bytes` (max-file-bytes in force by default): a
    larger file is refused from its size, unread."""
    limit = current().max_file_bytes if max_bytes is None else max_bytes
    descriptor, info = _open_regular(path, display)
    try:
        if info.st_size > limit:
            raise FlowSyntaxError(f"file is {describe_size(info.st_size)} ({info.st_size} bytes), more than {limit} "
                                  f"bytes: not read {note('max-file-bytes')}", display)
        chunks, size = [], 0
        while size <= limit:  # the file may grow while it is read
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FlowSyntaxError(f"file is larger than {limit} bytes {note('max-file-bytes')}", display)
        return b"".join(chunks)
    except OSError as exc:
        raise FlowSyntaxError(f"cannot read file: {os_error_reason(exc)}", display) from None
    finally:
        os.close(descriptor)


def os_error_reason(exc: OSError) -> str:
    """An OSError in words, for a one-line message."""
    import errno

    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    return exc.strerror or str(exc)


def declared_encoding(data: bytes, path: str) -> str | None:
    """The encoding a `# -*- coding: NAME -*-` or `# botlint: encoding=NAME` comment on one
    of the first two lines declares, as a codec name; None without a declaration."""
    start = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    for number, line in enumerate(_first_lines(data, start, 2), start=1):
        match = _BOTLINT.match(line) or _PEP263.match(line)
        if not match:
            if not re.match(rb"^[ \t\f]*(?:#|$)", line):
                return None  # as in Python: line 2 may declare only after a blank or comment line 1
            continue
        name = match[1].decode("ascii", errors="replace")
        col, shown = match.start(1) + 1, line.decode("ascii", errors="replace")
        try:
            codec = codecs.lookup(name)
        except LookupError:
            raise FlowSyntaxError(f"unknown encoding '{name}' in the encoding declaration", path, number, col,
                                  shown) from None
        try:
            compatible = _ASCII_PROBE.decode(codec.name) == _ASCII_PROBE.decode("ascii")
        except (UnicodeError, LookupError, ValueError, TypeError):
            compatible = False
        if not compatible:
            raise FlowSyntaxError(f"encoding '{name}' cannot be declared: it does not read ASCII as ASCII "
                                  "(use UTF-8, or a character set such as latin-1 or cp1251)", path, number, col,
                                  shown)
        if start and codec.name != "utf-8":
            raise FlowSyntaxError(f"the file starts with a UTF-8 byte order mark but declares '{name}'",
                                  path, number, col, shown)
        return codec.name
    return None


def _first_lines(data: bytes, start: int, count: int) -> list[bytes]:
    """The first lines of `data` from `start`, without copying the rest of a large file."""
    lines = []
    for _ in range(count):
        if start >= len(data):
            break
        end = data.find(b"\n", start, start + 4096)
        stop = len(data) if end == -1 else end
        lines.append(data[start:min(stop, start + 4096)].rstrip(b"\r"))
        if end == -1:
            break
        start = end + 1
    return lines


def decode(data: bytes, path: str, declarations: bool = True) -> str:
    """Decode UTF-8 (a BOM is allowed), or the encoding the file declares, and normalise line
    endings to \\n. `declarations`: whether the format has `#` comments that may declare one."""
    wide = wide_encoding(data)
    if wide:
        raise FlowSyntaxError(f"file is {wide}: save it as UTF-8", path)
    encoding = declared_encoding(data, path) if declarations else None
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line, col = byte_position(data, offset, encoding)
        raise FlowSyntaxError("binary file (NUL byte): flow files must be UTF-8 text", path, line, col)
    try:
        text = data.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = byte_position(data, exc.start, encoding)
        if encoding and encoding != "utf-8":
            raise FlowSyntaxError(f"not valid {encoding} (byte 0x{data[exc.start]:02x}), the encoding the file "
                                  "declares", path, line, col) from None
        raise FlowSyntaxError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path, line, col
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
              (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))
_SNIFF_BYTES = 4096


def wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (as Windows editors and PowerShell's `>` save text), from a byte order
    mark or, without one, from NUL bytes on one side of each character only, as in text of mostly
    ASCII characters; None for anything else (a binary file has NUL bytes anywhere)."""
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            return name
    sample = data[:_SNIFF_BYTES]
    if b"\x00" not in sample or len(sample) < 4:
        return None
    sample = sample[:len(sample) // 4 * 4]
    for nul_lanes, text_lane in (((1, 2, 3), 0), ((0, 1, 2), 3)):
        if not any(any(sample[lane::4]) for lane in nul_lanes) and all(sample[text_lane::4]):
            return "UTF-32"
    for codec, nul_lane in (("utf-16-le", 1), ("utf-16-be", 0)):
        lane, other = sample[nul_lane::2], sample[1 - nul_lane::2]
        if lane.count(0) * 2 >= len(lane) and b"\x00" not in other:
            try:  # incremental: a sample may end inside a character
                codecs.getincrementaldecoder(codec)().decode(sample)
            except UnicodeDecodeError:
                continue
            return "UTF-16"
    return None


def read_text(path: Path, display: str, declarations: bool = True) -> str:
    return decode(read_bytes(path, display), display, declarations)


def byte_position(data: bytes, offset: int, encoding: str | None = None) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode(encoding or "utf-8", errors="replace")) + 1
    return line, col


def line_at(text: str, line: int) -> str | None:
    if line is None or line < 1:
        return None
    start = 0
    for _ in range(line - 1):  # no split of the whole text: this runs for errors in large files too
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    end = text.find("\n", start)
    return text[start:] if end == -1 else text[start:end]


def source_text(path: Path) -> str:
    """A file's text for quoting in reports; '' when it cannot be read or decoded."""
    try:
        return decode(read_bytes(path, str(path)), str(path))
    except (OSError, FlowSyntaxError):
        return ""
