"""Which files and project folders `botlint check PATH...` looks at."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

from linter.core.errors import BotlintError
from linter.parse import SKIPPED_FORMAT, input_format
from linter.parse.source import resolved, within

# Never descended into: version control, virtualenvs, caches, dependencies.
SKIPPED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache",
                ".pytest_cache", ".ruff_cache", "node_modules", "site-packages", ".eggs", ".botlint_cache"}
NATIVE_FORMATS = ("flow", "yaml")
BOTPRESS_FLOW_SUFFIX = ".flow.json"  # the one export named like a flow


class Unit(NamedTuple):
    """One thing to lint: a flow file, an export file, or a project folder read as a whole."""

    path: Path
    format: str  # flow, yaml, or an importer's name
    only: frozenset[Path] | None = None  # report findings in these files only (files named inside a project)
    follow_links: bool = False  # an importer may read files that links outside its project lead to


class OutsideLink(NamedTuple):
    """A file in a linted folder, not read: it is a symbolic link to somewhere outside that folder."""

    path: Path


class NothingToLint(NamedTuple):
    """A path given to lint under which discovery found nothing botlint reads."""

    path: Path
    reason: str


def _is_virtualenv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def _file_format(path: Path) -> str | None:
    native = input_format(path.name)
    if native:
        return native
    if path.suffix.lower() in (".json", ".dialog"):
        from linter.parse.importers import file_importer

        importer = file_importer(path)
        return importer.name if importer else None
    return None


def _folder_format(folder: Path) -> str | None:
    from linter.parse.importers import folder_importer

    importer = folder_importer(folder)
    return importer.name if importer else None


def discover(paths: list[Path], is_excluded: Callable[[Path], bool], forced: str | None = None,
             follow_links: bool = False) -> Iterator[Unit | BotlintError | OutsideLink | NothingToLint]:
    """Units under `paths`, in sorted order per folder. A path named explicitly is always
    included; if botlint cannot tell its format, an error says so. A path under which nothing
    is found gives a NothingToLint.

    What is not a regular file (a named pipe, a socket, a device, a dangling symbolic link or
    a loop of them) is never opened: it becomes a unit of the format "skipped", linted as
    nothing with a note that says why, and the run goes on.

    A symbolic link in a folder that leads outside that folder is not followed (as git and ruff
    do not), unless `follow_links`: an OutsideLink names it if it is named like a flow. A link
    named on the command line is linted on purpose."""
    inside_projects: dict[tuple[Path, str], set[Path]] = {}
    for path in paths:
        found = failed = False
        named_in_projects = sum(map(len, inside_projects.values()))
        for item in _discover_path(path, is_excluded, forced, follow_links, inside_projects):
            found = found or isinstance(item, Unit)
            failed = failed or isinstance(item, BotlintError)
            yield item
        found = found or sum(map(len, inside_projects.values())) > named_in_projects
        if not (found or failed):
            yield NothingToLint(path, "no .flow or .flow.yaml file" if forced  # a forced format finds no project
                                else "no .flow, .flow.yaml or known project")
    for (folder, fmt), files in inside_projects.items():
        yield Unit(folder, fmt, frozenset(files), follow_links)


def _discover_path(path: Path, is_excluded: Callable[[Path], bool], forced: str | None, follow_links: bool,
                   inside_projects: dict[tuple[Path, str], set[Path]]) -> Iterator[Unit | BotlintError | OutsideLink]:
    refused = _refusal(path, forced)
    if refused:
        yield BotlintError(refused, str(path))
        return
    if path.is_file():
        found = forced or _file_format(path)
        project = None if found else _project_of(path)
        if found:
            yield Unit(path, found, follow_links=follow_links)
        elif project:
            inside_projects.setdefault(project, set()).add(resolved(path))
        else:
            yield BotlintError("not a flow file botlint can read (name it *.flow or *.flow.yaml, "
                               "or pass --input-format)", str(path))
        return
    if not path.is_dir():  # it exists (the runner checked) but is no file and no folder
        yield Unit(path, SKIPPED_FORMAT)
        return
    if forced and forced not in NATIVE_FORMATS:
        yield Unit(path, forced, follow_links=follow_links)
        return
    yield from _walk(path, is_excluded, forced, follow_links)


def _refusal(path: Path, forced: str | None) -> str | None:
    """Why `path` cannot be read as the format --input-format forces; None if it can (or none is forced)."""
    if not forced or forced in NATIVE_FORMATS or not (path.is_file() or path.is_dir()):
        return None
    from linter.parse.importers import importers

    return importers()[forced].refuses(path)


def _project_of(path: Path) -> tuple[Path, str] | None:
    """The project folder (and its format) a file belongs to, e.g. a Rasa story file."""
    for folder in resolved(path).parents:
        found = _folder_format(folder)
        if found:
            return folder, found
        if (folder / ".git").exists():
            return None
    return None


def _is_regular(path: Path) -> bool:
    """Whether `path` is (or links to) a regular file; False for pipes, sockets, devices,
    dangling links and link loops, which must never be opened."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _walk(root: Path, is_excluded: Callable[[Path], bool], forced: str | None,
          follow_links: bool) -> Iterator[Unit | BotlintError | OutsideLink]:
    unreadable: list[OSError] = []
    real_root = os.path.realpath(root)
    # os.walk does not follow symbolic links to folders: a link to a parent cannot loop.
    for folder, dirs, files in os.walk(root, onerror=unreadable.append):
        while unreadable:  # a folder that cannot be listed: its flows would go unlinted unseen
            error = unreadable.pop(0)
            yield BotlintError(f"cannot read folder: {error.strerror or error}", error.filename or str(root))
        current = Path(folder)
        # Telling a project reads the start of its marker files (domain.yml...), links or not: it is
        # never shown, and the importer, which would show it, does not follow links out of the project.
        project = None if forced else _folder_format(current)
        if project:
            dirs[:] = []
            yield Unit(current, project, follow_links=follow_links)
            continue
        dirs[:] = sorted(name for name in dirs if name not in SKIPPED_DIRS
                         and not _is_virtualenv(current / name) and not is_excluded(current / name))
        for name in sorted(files):
            candidate = current / name
            if is_excluded(candidate):
                continue
            if not follow_links and os.path.islink(candidate) \
                    and not within(os.path.realpath(candidate), real_root):
                # Named like a flow: it would have been linted, say so. Another .json may be anything
                # (a bot's texts, which its importer reports): it is not even opened to tell.
                if input_format(name) or name.lower().endswith(BOTPRESS_FLOW_SUFFIX):
                    yield OutsideLink(candidate)
                continue
            if not _is_regular(candidate):
                if input_format(name):  # named like a flow: say why it is not linted
                    yield Unit(candidate, SKIPPED_FORMAT)
                continue
            found = (forced if input_format(name) else None) if forced else _file_format(candidate)
            if found:
                yield Unit(candidate, found, follow_links=follow_links)
    while unreadable:
        error = unreadable.pop(0)
        yield BotlintError(f"cannot read folder: {error.strerror or error}", error.filename or str(root))
