"""Readers: files in, one `Document` model out. A new input format goes here."""

from __future__ import annotations

import gc
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NamedTuple, Sequence

from linter.core.errors import MAX_MESSAGE_CHARS, FlowSyntaxError, clip, printable
from linter.parse.limits import Limits, check_document, using
from linter.parse.source import OutsideLink, confined_to, decode, line_at, read_bytes

if TYPE_CHECKING:  # pydantic is slow to import: the model is imported where it is used
    from linter.model.flow import Document

FLOW_SUFFIXES = (".flow",)
YAML_SUFFIXES = (".flow.yaml", ".flow.yml")


class Comment(NamedTuple):
    line: int
    col: int
    text: str  # from the '#' to the end of the line
    file: str | None = None  # for projects read from several files


class ParsedFile(NamedTuple):
    path: str
    text: str
    document: Document
    comments: Sequence[Comment] = ()


def input_format(path: str) -> str | None:
    name = path.lower()
    if name.endswith(YAML_SUFFIXES):
        return "yaml"
    if name.endswith(FLOW_SUFFIXES):
        return "flow"
    return None


@contextmanager
def gc_paused():
    """Reading a large flow makes millions of objects and no reference cycles: the cyclic
    collector's repeated scans of the growing heap cost more than the parse itself (about half
    the time of a 100,000-step flow), so it waits until the model is built."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_file(path: Path, display: str, fmt: str | None = None, limits: Limits | None = None) -> ParsedFile:
    """Read and parse one `.flow` or `.flow.yaml` file, within `limits` (the defaults if None)."""
    with using(limits) as active:
        fmt = fmt or input_format(display) or "flow"
        return parse_text(decode(read_bytes(path, display), display), display, fmt, active)


def parse_text(text: str, path: str, fmt: str = "flow", limits: Limits | None = None) -> ParsedFile:
    with using(limits) as active, gc_paused():
        data, comments = _read_data(text, path, fmt)[:2]  # positions (which keep every node alive) go
        try:
            check_document(data, path, active)
        except FlowSyntaxError as exc:
            exc.source_line = line_at(text, exc.line) if exc.line else None
            raise
        document = _validate(data, path)
        if document is None:  # read it again, with positions, to say where the problem is
            data, _, positions = _read_data(text, path, fmt)
            _raise_first_error(data, positions, text, path)
    return ParsedFile(path, text, document, comments)


def _read_data(text: str, path: str, fmt: str):
    """(data, comments, positions) of YAML or flow-language text."""
    if fmt == "yaml":
        from linter.parse import yaml_flow

        data, positions, scalar_ranges = yaml_flow.parse_data(text, path)
        return data, yaml_comments(text, scalar_ranges), positions
    from linter.parse import dsl

    data, comments, positions = dsl.parse_data(text, path)
    return data, comments, positions


def _validate(data: dict, path: str):
    """The Document, validated one flow at a time so that each flow's plain data is freed as its
    model is built (the data takes as much memory as the model); None if anything is invalid."""
    from pydantic import ValidationError

    from linter.model.flow import Document, Flow

    flows = data.get("flows") if isinstance(data, dict) and set(data) <= {"flows", "span"} else None
    if not isinstance(flows, list) or not all(isinstance(flow, dict) for flow in flows):
        return None
    built = []
    try:
        for index in range(len(flows)):
            flow, flows[index] = flows[index], None
            built.append(Flow.model_validate(flow))
            del flow
        # Built flows are taken as they are (pydantic does not validate instances again).
        return Document.model_validate({"flows": built, "span": data.get("span")})
    except ValidationError:
        return None
    except RecursionError:  # only with a max-depth raised far above the default
        raise FlowSyntaxError("nested too deeply to validate", path) from None


def _raise_first_error(data: dict, positions, text: str, path: str) -> None:
    from pydantic import ValidationError

    from linter.model.flow import Document
    from linter.parse.locate import first_error

    try:
        Document.model_validate(data)
    except ValidationError as exc:
        message, line, col = first_error(exc, data, positions)
        raise FlowSyntaxError(message, path, line, col, line_at(text, line) if line else None) from None
    except RecursionError:
        raise FlowSyntaxError("nested too deeply to validate", path) from None
    raise FlowSyntaxError("invalid flow", path)  # not reached: the first validation failed


# A pseudo-format for what discovery found but cannot be read as a file (a named pipe, a
# symbolic link loop): linted as nothing, with a note that says why.
SKIPPED_FORMAT = "skipped"


def import_unit(path: Path, display: str, fmt: str, limits: Limits | None = None, *, debug: bool = False,
                follow_links: bool = False, named: Iterable[Path] = ()):
    """A project folder or export file through its importer: (ParsedFile, ImportResult).

    The importer reads only inside the project's folder: a file a symbolic link leads out of it
    to is skipped, with one notice (`follow_links`: read it). `path` itself and the files in
    `named` were named to lint: they are read wherever they are."""
    from pydantic import ValidationError

    from linter.model.flow import IMPORTED, Document
    from linter.parse.importers import ImportResult, importers
    from linter.parse.locate import first_error

    if fmt == SKIPPED_FORMAT:
        return ParsedFile(display, "", Document(flows=[])), ImportResult(
            data={"flows": []}, notices=[f"skipped {display}: {skip_reason(path)}"], files=0)
    importer = importers()[fmt]
    project = None if follow_links else importer.project_folder(path)
    with using(limits) as active, gc_paused(), confined_to(project, (path, *named)) as refused:
        try:
            result = importer.load(path, display)
            for flow in result.data.get("flows", []):
                flow["origin"] = fmt
            check_document(result.data, display, active)
        except FlowSyntaxError:
            raise
        except RecursionError:
            raise FlowSyntaxError(f"could not import ({fmt}): nested too deeply", display) from None
        except Exception as exc:  # noqa: BLE001 - an importer bug costs this unit, not the run
            if debug:  # let an importer's crash show its traceback
                raise
            raise FlowSyntaxError(f"internal error in the {fmt} importer ({type(exc).__name__}: {exc}); "
                                  "please report it", display) from None
    if refused:
        result.errors = [error for error in result.errors if not isinstance(error, OutsideLink)]
        folder, shown_folder = (path, display) if path.is_dir() else (path.parent, os.path.dirname(display))
        shown = [os.path.normpath(os.path.join(shown_folder, os.path.relpath(file, folder))) for file in refused]
        result.notices.append(f"{fmt}: " + outside_links_notice(shown, "the project folder"))
    # Notices carry the files' own text (an element's name): one printable line each.
    result.notices = [clip(printable(notice), MAX_MESSAGE_CHARS) for notice in result.notices]
    try:
        with gc_paused():
            document = Document.model_validate(result.data, context={IMPORTED: True})
    except ValidationError as exc:
        message, line, col = first_error(exc, result.data, None)
        raise FlowSyntaxError(f"could not import ({fmt}): {message}", display, line, col) from None
    except RecursionError:
        raise FlowSyntaxError(f"could not import ({fmt}): nested too deeply to validate", display) from None
    return ParsedFile(display, "", document, result.comments), result


MAX_LINKS_NAMED = 5


def outside_links_notice(paths: list[str], folder: str) -> str:
    """One notice for the files not read because a symbolic link leads outside `folder`."""
    named = ", ".join(paths[:MAX_LINKS_NAMED])
    if len(paths) > MAX_LINKS_NAMED:
        named += f" and {len(paths) - MAX_LINKS_NAMED} more"
    if len(paths) == 1:
        return f"skipped 1 link that points outside {folder}: {named} (use --follow-links to read it)"
    return f"skipped {len(paths)} links that point outside {folder}: {named} (use --follow-links to read them)"


def skip_reason(path: Path) -> str:
    """Why discovery skips a path that is not a regular file (or cannot be told)."""
    import errno
    import os

    from linter.parse.source import kind_of, os_error_reason

    try:
        kind = kind_of(os.stat(path).st_mode)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            return "a symbolic link to nothing (dangling)"
        return "a loop of symbolic links" if exc.errno == errno.ELOOP else f"cannot be read ({os_error_reason(exc)})"
    return f"{kind}, not a regular file" if kind else "a regular file"


_YAML_COMMENT = re.compile(r"(?:^|(?<=\s))#[^\n]*", re.M)


def yaml_comments(text: str, scalar_ranges: list[tuple[int, int]], file: str | None = None) -> list[Comment]:
    """YAML comments: a '#' at a line start or after a space, outside any scalar."""
    import bisect

    comments = []
    ranges = sorted(scalar_ranges)
    starts = [start for start, _ in ranges]
    line_starts: list[int] | None = None  # made on the first comment: most files have few
    for match in _YAML_COMMENT.finditer(text):
        offset = match.start()
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and ranges[index][0] <= offset < ranges[index][1]:
            continue
        if line_starts is None:
            line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        line = bisect.bisect_right(line_starts, offset)  # not text.count(): that is quadratic in comments
        col = offset - line_starts[line - 1] + 1
        comments.append(Comment(line, col, match.group(), file))
    return comments
