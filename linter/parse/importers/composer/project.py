"""The bot folder: its dialogs, the .lg files of its language, the properties it fills, and the lookup of
what an activity or prompt says."""

from __future__ import annotations

import bisect
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.core.errors import FlowSyntaxError
from linter.parse.importers import ImportResult, read_head
from linter.parse.importers._source import SourceFile, json_type, read_json
from linter.parse.importers.composer.lg import LOCALE, LgFile, Template, lg_id, parse_lg, single_call, split_args
from linter.parse.importers.composer.render import Message, Renderer, memory_path, model_name
from linter.parse.source import read_text

SKIPPED_DIRS = {"bin", "obj", "node_modules", "recognizers", "runtime", "scripts", "deploymentTemplates"}
# Prebuilt functions a whole activity may call: not a missing template.
BUILTINS = {"json", "string", "concat", "join", "if", "coalesce", "foreach", "select", "where", "activityAttachment",
            "first", "last", "count", "length", "toUpper", "toLower", "trim", "replace", "formatDateTime", "utcNow",
            "template", "fromFile", "expandText", "ActivityAttachment"}
# JSON types the .dialog format fixes for the keys the importer reads.
_TYPES: dict[str, type | tuple[type, ...]] = {
    "$kind": str, "triggers": list, "actions": list, "elseActions": list, "default": list, "cases": list,
    "property": str, "itemsProperty": str, "eventName": str, "intent": str, "event": str,
    "assignments": list, "generator": str, "actionId": str, "resultProperty": str, "tokenProperty": str,
    # What is said: text or a template call, or an activity object written out.
    **dict.fromkeys(("activity", "prompt", "invalidPrompt", "unrecognizedPrompt", "defaultValueResponse"), (str, dict)),
    # A string here is an expression (`=turn.choices`, `=true`), worked out at run time.
    "choices": (list, str), "confirmChoices": (list, str), "condition": (str, bool), "options": (dict, str),
    "dialog": (str, dict)}


def _type_names(expected: type | tuple[type, ...]) -> str:
    return " or ".join(json_type(kind()) for kind in (expected if isinstance(expected, tuple) else (expected,)))


# --- detection -------------------------------------------------------------------------------------


def _is_adaptive(path: Path) -> bool:
    head = read_head(path, 8192)
    return '"$kind"' in head and "Microsoft.AdaptiveDialog" in head


def claims_folder(folder: Path) -> bool:
    """A bot folder: an adaptive `<name>.dialog` beside `dialogs/` or `language-generation/`
    (not a dialog's own folder inside a bot's `dialogs/`)."""
    if not ((folder / "dialogs").is_dir() or (folder / "language-generation").is_dir()):
        return False
    if folder.parent.name.lower() == "dialogs" and any(_root_dialogs(folder.parent.parent)):
        return False
    return any(_root_dialogs(folder))


def _root_dialogs(folder: Path) -> list[Path]:
    try:
        candidates = sorted(p for p in folder.glob("*.dialog") if p.name.count(".") == 1 and p.is_file())
    except OSError:
        return []
    return [p for p in candidates if _is_adaptive(p)]


# --- the project -----------------------------------------------------------------------------------


def as_dict(value: Any) -> dict:
    """A JSON value where an object belongs; a value of another type reads as empty."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    """A JSON value where an array belongs; a value of another type reads as empty."""
    return value if isinstance(value, list) else []


@dataclass
class Dialog:
    id: str
    source: SourceFile
    generator: str | None  # its .lg file id, e.g. order.lg
    goto_targets: set[str] = field(default_factory=set)  # action ids a GotoAction names
    emitted: set[str] = field(default_factory=set)  # event names its EmitEvent actions name

    def handler(self, event: Any) -> dict | None:
        """The OnDialogEvent trigger of this dialog that handles `event` (a literal name), if any."""
        if not isinstance(event, str) or event.startswith("="):
            return None
        return next((t for t in as_list(self.data.get("triggers"))
                     if as_dict(t).get("$kind") == "Microsoft.OnDialogEvent" and as_dict(t).get("event") == event),
                    None)

    @property
    def data(self) -> dict:
        return self.source.data


class Project:
    """Every dialog and .lg file of one bot, the properties it fills, and what was skipped."""

    def __init__(self, folder: Path, display: str, result: ImportResult) -> None:
        self.folder, self.display, self.result = folder, display, result
        self.skipped: Counter[str] = Counter()
        self.missing: set[str] = set()
        self.dialogs: dict[str, Dialog] = {}
        self.unreadable: set[str] = set()  # dialog files that exist but could not be read
        self.lg: dict[str, LgFile] = {}  # file id -> file, the bot's language only
        self.global_templates: dict[str, Template] = {}
        self._scopes: dict[str | None, dict[str, Template]] = {}
        self.assigned: dict[str, str] = {}  # lower-case path -> path as first written
        self._assigned_sorted: list[str] | None = None  # its keys in order, for prefix search
        self.begun: set[str] = set()
        self.aliases: dict[str, Dialog] = {}
        self.locale: str | None = None

    def shown(self, path: Path) -> str:
        return os.path.normpath(os.path.join(self.display, path.relative_to(self.folder).as_posix()))

    def files(self) -> dict[str, list[Path]]:
        """The bot's .dialog and .lg files (build output and dependencies left out)."""
        found: dict[str, list[Path]] = {".dialog": [], ".lg": []}
        stack = [self.folder]
        seen: set[tuple[int, int]] = set()  # folders by device and inode: a symlink loop is walked once
        while stack:
            current = stack.pop()
            try:
                info = current.stat()
                if (info.st_dev, info.st_ino) in seen:
                    continue
                seen.add((info.st_dev, info.st_ino))
                entries = sorted(current.iterdir())
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir():
                    if not entry.name.startswith(".") and entry.name not in SKIPPED_DIRS:
                        stack.append(entry)
                elif entry.suffix.lower() in found and (entry.is_file() or entry.is_symlink()):
                    found[entry.suffix.lower()].append(entry)  # a broken link is reported when read
        for paths in found.values():  # the bot's own dialog first, then by path
            paths.sort(key=lambda p: (p.parent != self.folder, p.relative_to(self.folder).as_posix()))
        return found

    def error(self, message: str, display: str, span: dict | None = None) -> None:
        line, col = (span["line"], span["col"]) if span else (None, None)
        self.result.errors.append(FlowSyntaxError(f"composer: {message}", display, line, col))

    # --- reading ---
    def read(self) -> None:
        files = self.files()
        for path in files[".dialog"]:
            if path.name.count(".") > 1:
                continue  # recognizer stubs: x.lu.dialog, x.qna.dialog, x.en-us.lu.dialog
            self.result.files += 1
            try:
                source = read_json(path, self.shown(path))
            except FlowSyntaxError as error:
                self.result.errors.append(error)
                self.unreadable.add(path.stem.lower())  # its error says it: no BL003 for what begins it
                continue
            data = source.data
            if not isinstance(data, dict) or data.get("$kind") != "Microsoft.AdaptiveDialog":
                kind = as_dict(data).get("$kind")
                if isinstance(kind, str) and "Recognizer" not in kind:
                    self.skipped[f"dialogs of kind '{kind}'"] += 1
                continue
            self._check_types(source, data, "the dialog")
            generator = data.get("generator")
            dialog = Dialog(path.stem, source, lg_id(generator) if isinstance(generator, str) else None)
            self.dialogs.setdefault(path.stem.lower(), dialog)
            if isinstance(data.get("id"), str):  # BeginDialog may name the dialog by its id
                self.aliases.setdefault(data["id"].lower(), dialog)
        self._read_lg(files[".lg"])
        for dialog in self.dialogs.values():
            self._scan(dialog, dialog.data)

    def _check_types(self, source: SourceFile, node: dict, what: str) -> None:
        """Where the .dialog format fixes a JSON type and the file has another (`"actions": "none"`): an
        error at that spot, never a silent pass; the part is then read as empty and the rest still is."""
        for key, expected in _TYPES.items():
            value = node.get(key)
            if value is not None and not isinstance(value, expected):
                self.error(f"'{key}' of {what} should be {_type_names(expected)}, not "
                           f"{json_type(value)}", source.display,
                           source.span(node, key))
        for key in ("triggers", "actions", "elseActions", "default", "cases", "assignments"):
            items = node.get(key)
            for index, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict):
                    self._check_types(source, item, {"cases": "a case", "assignments": "an assignment"}.get(
                        key, f"'{item.get('$kind') or key}'"))
                elif key in ("triggers", "cases", "assignments"):  # an action that is not an object: a notice
                    self.error(f"{key}[{index}] of {what} should be an object, not "
                               f"{json_type(item)}", source.display,
                               source.item_span(items, index))

    def _read_lg(self, paths: list[Path]) -> None:
        """The .lg files of the bot's language (and those without one)."""
        by_locale: dict[str | None, list[Path]] = {}
        for path in paths:
            parts = path.name.lower().split(".")
            in_folder = path.parent.parent.name == "language-generation" and LOCALE.match(path.parent.name)
            locale = path.parent.name if in_folder else (parts[-2] if len(parts) >= 3 and LOCALE.match(parts[-2])
                                                         else None)
            by_locale.setdefault(locale.lower() if locale else None, []).append(path)
        locales = [locale for locale in by_locale if locale]
        preferred = self._default_locale()
        if preferred in locales:
            self.locale = preferred
        elif "en-us" in locales:
            self.locale = "en-us"
        elif locales:
            self.locale = max(locales, key=lambda locale: (len(by_locale[locale]), locale))
        for path in by_locale.get(self.locale, []) + by_locale.get(None, []):
            self.result.files += 1
            try:
                lg = parse_lg(read_text(path, self.shown(path), declarations=False), self.shown(path))
            except FlowSyntaxError as error:
                self.result.errors.append(error)
                continue
            self.lg.setdefault(lg_id(path.name), lg)
            self.result.comments.extend(lg.comments)
            for name, template in lg.templates.items():
                self.global_templates.setdefault(name, template)

    def _default_locale(self) -> str | None:
        settings = self.folder / "settings" / "appsettings.json"
        if not settings.is_file():
            return None
        try:
            data = json.loads(read_text(settings, self.shown(settings), declarations=False))
        except (FlowSyntaxError, ValueError, RecursionError):
            return None  # settings are not part of the flows: a broken file just gives no language
        language = as_dict(data).get("defaultLanguage") or as_dict(as_dict(data).get("luis")).get("defaultLanguage")
        return language.lower() if isinstance(language, str) else None

    def _scan(self, dialog: Dialog, node: Any) -> None:
        """Properties the bot fills, dialogs it begins, and actions a GotoAction names."""
        if isinstance(node, list):
            for item in node:
                self._scan(dialog, item)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("$kind")
        for key in ("property", "resultProperty", "tokenProperty"):
            if isinstance(node.get(key), str):
                self.assign(node[key])
        if kind == "Microsoft.EditArray" and isinstance(node.get("itemsProperty"), str):
            self.assign(node["itemsProperty"])
        if kind in ("Microsoft.Foreach", "Microsoft.ForeachPage"):
            for key, default in (("index", "dialog.foreach.index"), ("value", "dialog.foreach.value"),
                                 ("page", "dialog.foreach.page")):
                self.assign(node.get(key) if isinstance(node.get(key), str) else default)
        if kind in ("Microsoft.BeginDialog", "Microsoft.ReplaceDialog") and isinstance(node.get("dialog"), str):
            begun = self.find(node["dialog"])
            if begun:
                self.begun.add(begun.id)
            for key in as_dict(node.get("options")):
                self.assign(f"dialog.{key}")
        if kind == "Microsoft.GotoAction" and isinstance(node.get("actionId"), str):
            dialog.goto_targets.add(node["actionId"])
        if kind == "Microsoft.EmitEvent" and isinstance(node.get("eventName"), str):
            dialog.emitted.add(node["eventName"])
        for value in node.values():
            if isinstance(value, (dict, list)):
                self._scan(dialog, value)

    def find(self, name: str) -> Dialog | None:
        """A dialog by file name, or by the id written in it."""
        return self.dialogs.get(name.lower()) or self.aliases.get(name.lower())

    def assign(self, path: str) -> None:
        normal = memory_path(path)
        if normal:
            self.assigned.setdefault(normal.lower(), normal)
            self._assigned_sorted = None

    def var(self, path: str) -> str:
        """The model's name of a property the bot fills (captures, sets)."""
        normal = memory_path(path)
        return model_name(self.assigned.get(normal.lower(), normal))

    def filled(self, path: str, value: str | None, span: dict) -> list[dict]:
        """The sets for a property that gets a value: it, and the properties under it that the bot fills
        elsewhere (a placeholder of `dialog.event.subject` is named so): an object holds its fields."""
        lower = memory_path(path).lower()
        if self._assigned_sorted is None:
            self._assigned_sorted = sorted(self.assigned)
        names, prefix = self._assigned_sorted, lower + "."
        under = []
        for name in names[bisect.bisect_left(names, prefix):]:  # the names under it sort together
            if not name.startswith(prefix):
                break
            under.append(name)
        return ([{"set": self.var(path), "value": value, "span": span}]
                + [{"set": model_name(self.assigned[name]), "span": span} for name in under])

    # --- texts ---
    def scope(self, dialog: Dialog) -> dict[str, Template]:
        """Templates a dialog sees: its own .lg file, then its imports, then any of the bot's."""
        key = dialog.generator
        if key not in self._scopes:
            scope = dict(self.global_templates)
            order, seen = [key], []
            while order:
                current = order.pop(0)
                if current in seen or current not in self.lg:
                    continue
                seen.append(current)
                order.extend(self.lg[current].imports)
            for current in reversed(seen):  # the dialog's own file last: its templates win
                scope.update(self.lg[current].templates)
            self._scopes[key] = scope
        return self._scopes[key]

    def message(self, value: Any, dialog: Dialog, node: dict, key: str) -> Message | None:
        """What an activity, prompt or choice says; None (an error for a missing template) if nothing."""
        span = dialog.source.span(node, key)
        if isinstance(value, dict):  # an activity object written into the .dialog
            value = value.get("text") or value.get("speak")
        if not isinstance(value, str) or not value.strip():
            return None
        renderer = Renderer(self.assigned, self.scope(dialog))
        call = single_call(value)
        if call:
            template = renderer.scope.get(call[0])
            if template is None and call[0] not in BUILTINS:
                if call[0] not in self.missing:
                    self.missing.add(call[0])
                    where = f"{dialog.generator} or its imports" if dialog.generator else "any .lg file"
                    self.error(f"template '{call[0]}' is not defined in {where}", dialog.source.display, span)
                return None
            if template is not None:
                return renderer.template(template, split_args(call[1]), 0, span)
        return Message(renderer.expand(value, {}, 0, escapes=True).strip(), span)

