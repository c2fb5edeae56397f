"""Bot Framework Composer bots (a folder: `<bot>.dialog` beside `dialogs/` or `language-generation/`).

Composer keeps the conversation in adaptive dialogs (`*.dialog`, JSON: `triggers[]`, each with
`actions[]`) and the bot's words in Language Generation files (`*.lg`: `# Template` headers followed
by `- variation` lines, IF/SWITCH blocks or structured `[Activity ...]` bodies). The bot folder is read
as one unit, so references between files (BeginDialog, `${Template()}`, `[import]`) resolve.

Flows. Every trigger is a flow of its own, named `<dialog>-<intent>` (`-unknown-intent`,
`-conversation-update`, `-begin`...) with trigger `message` (the intent as its value; `event` for event,
typing or reaction activities): each trigger runs on a message of the person, and afterwards the runtime waits
for the next one, so a trigger's actions end with `end`. A conversation update is the bot greeting someone who
joined: trigger `start`, the bot speaks first (the person has said nothing yet). An EmitEvent runs the
emitting dialog's OnDialogEvent handler of that event in place (the runtime inserts the handler's actions
before the rest), so such a handler is no flow of its own. BeginDialog is a call, so the begun dialog's
OnBeginDialog actions are inlined at the call (steps named after that dialog) and its end returns to the
caller's next action: questions, captures and turn-taking are seen as the person lives them. A dialog nobody
begins gets a flow of its own; a dialog begun again from inside itself jumps back to its start; the other
triggers of a begun dialog (its interruptions) are flows of their own. ReplaceDialog is inlined the same way,
returning where the replaced one would.

Actions. SendActivity -> say (with suggested actions, or Ask: an ask with those replies); Text/Number/
DateTime/Attachment/OAuth input -> ask with capture of its `property`; ChoiceInput -> the same with its
choices as replies; ConfirmInput -> with Yes/No. An input's invalid or unrecognized prompt is a retry step
(the question's `otherwise`; then the answer goes on via `then`, a tapped choice too); one that repeats the
question word for word is the input's plain re-ask, as without one (no second message). IfCondition and
SwitchCondition -> steps with `if` (one comparison of a property -> var/equals, `exists(x)` -> x not_equals
"", anything else kept as `condition == "<expression>"`); Foreach/ForeachPage -> a loop step (`if` more items
-> body, else on), Break/ContinueLoop -> goto; GotoAction -> goto the step cut at the action it names;
RepeatDialog -> goto the dialog's start (from an interruption trigger: the dialog's OnBeginDialog actions,
inlined); EndDialog -> back to the caller (end at the top); CancelAllDialogs/CancelDialog/ThrowException ->
end; EndTurn -> wait for reply (not end: the runtime resumes after it on the next message);
SendHandoffActivity and Telephony.CallTransfer -> handoff (team: its queue or designer name; what follows is
not run); EmitEvent of an event the dialog handles -> that handler's actions, then the rest;
SetProperty/SetProperties/EditArray push/BeginDialog options and result -> set, so later placeholders of those
properties (and of the fields under them) count as filled; HttpRequest -> action webhook and a set of its
result; EditActions -> its actions. Logging, tracing and deleting properties are skipped quietly; other
actions (skills, custom actions...) with one notice per kind.

Texts. A template is looked up in the dialog's own .lg file, its imports, then any .lg file of the bot's
language (settings' defaultLanguage, else en-us, else the most common locale; it is the flows' language). The
first variation is taken (of an IF/SWITCH, the first branch's). A card (`[HeroCard ...]`, `[ThumbnailCard
...]`...) says its title, subtitle and text as separate paragraphs (a blank line between), not as one
sentence. `${user.name}` becomes the placeholder `{user_name}`, named like the captures and sets so BL109
knows when it is filled (a deeper path names the filled property it starts with); platform values (this.value,
turn.activity...) and computed expressions get a fallback (`{count_user_todos|N}`): they are never empty.
Findings on a text point at its `- variation` line in the .lg file (through templates that only call another);
inline texts point into the .dialog. `> botlint: disable-next-line=CODE` comments in .lg files work as
suppressions. Recognizer stubs (`*.lu.dialog`, `*.qna.dialog`) are skipped silently. Composer has no channel,
audience or schedule.

Broken input. A .dialog that is not JSON, or a value of the wrong JSON type where the format fixes one
(`"actions": "none"`, a trigger that is not an object), is an error at its position; the rest is still read.
"""

from __future__ import annotations

import json
import os
import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from linter.errors import FlowSyntaxError
from linter.parse import Comment
from linter.parse.importers import Importer, ImportResult, read_head
from linter.parse.importers._source import SourceFile, identifier, json_type, read_json
from linter.parse.source import read_text

SKIPPED_DIRS = {"bin", "obj", "node_modules", "recognizers", "runtime", "scripts", "deploymentTemplates"}
INPUTS = {"Microsoft.TextInput": "text", "Microsoft.NumberInput": "number", "Microsoft.DateTimeInput": "date",
          "Microsoft.AttachmentInput": "file", "Microsoft.OAuthInput": "text", "Microsoft.ChoiceInput": None,
          "Microsoft.ConfirmInput": None}
ENDS = {"Microsoft.CancelAllDialogs", "Microsoft.CancelDialog", "Microsoft.ThrowException"}
QUIET = {"Microsoft.DeleteProperty", "Microsoft.DeleteProperties", "Microsoft.EmitEvent", "Microsoft.TraceActivity",
         "Microsoft.LogAction", "Microsoft.TelemetryTrackEventAction", "Microsoft.DebugBreak",
         "Microsoft.SignOutUser", "Microsoft.UpdateActivity", "Microsoft.DeleteActivity"}
SETS = {"Microsoft.GetConversationMembers", "Microsoft.GetActivityMembers"}
# The conversation (or call) goes to a person: what follows in the bot does not run.
HANDOFFS = {"Microsoft.SendHandoffActivity", "Microsoft.Telephony.CallTransfer"}
# Activity triggers that run on something the person did; the others (events, typing, reactions...) are `event`s.
PERSON_ACTIVITIES = {"Microsoft.OnActivity", "Microsoft.OnMessageActivity"}
# Someone joined the conversation (the welcome): the bot speaks first, nobody has written yet.
STARTS = {"Microsoft.OnConversationUpdateActivity", "Microsoft.OnMembersAddedActivity"}
LABELS = {"Microsoft.OnUnknownIntent": "unknown-intent", "Microsoft.OnConversationUpdateActivity":
          "conversation-update", "Microsoft.OnBeginDialog": "begin", "Microsoft.OnQnAMatch": "qna-match"}
# Prebuilt functions a whole activity may call: not a missing template.
BUILTINS = {"json", "string", "concat", "join", "if", "coalesce", "foreach", "select", "where", "activityAttachment",
            "first", "last", "count", "length", "toUpper", "toLower", "trim", "replace", "formatDateTime", "utcNow",
            "template", "fromFile", "expandText", "ActivityAttachment"}
# JSON types the .dialog format fixes for the keys the importer reads.
_TYPES: dict[str, type] = {
    "$kind": str, "triggers": list, "actions": list, "elseActions": list, "default": list, "cases": list,
    "property": str, "itemsProperty": str, "eventName": str, "intent": str, "event": str}
MAX_DEPTH = 8  # nested BeginDialog calls inlined, and nested template calls expanded
MAX_STEPS = 3000  # per flow: a guard against projects that inline the same dialogs over and over

_HEADER = re.compile(r"^\s*#\s*([^\s(]+)\s*(?:\(([^)]*)\))?")
_KEYWORD = re.compile(r"^(IF|ELSEIF|ELSE|SWITCH|CASE|DEFAULT)\s*:", re.I)
_FIELD = re.compile(r"^([A-Za-z][\w.\-]*)\s*=\s*(.*)$")
_PATH = r"[$@#%]?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[^\[\]]*\])*"
_IS_PATH = re.compile(rf"^{_PATH}$")
_CALL = re.compile(r"^([A-Za-z_][\w.]*)\s*\((.*)\)$", re.S)
_LITERAL = re.compile(r"""^(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?)|(true|false))$""")
_EXISTS = re.compile(rf"^exists\(\s*({_PATH})\s*\)$")
_NOT_EXISTS = re.compile(rf"^(?:!\s*exists\(\s*({_PATH})\s*\)|not\(\s*exists\(\s*({_PATH})\s*\)\s*\))$")
_COMPARE = re.compile(rf"""^({_PATH})\s*(==|!=)\s*('[^']*'|"[^"]*"|-?\d+(?:\.\d+)?|true|false|null)$""")
_LOCALE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$", re.I)
_ESCAPES = {"n": "\n", "t": "\t", "r": ""}
# Memory the runtime fills itself: placeholders of it get a fallback (they are never empty).
PLATFORM = ("this", "settings", "turn.activity", "turn.recognized", "turn.dialogevent", "turn.lastresult")


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


# --- small helpers ---------------------------------------------------------------------------------


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _safe(name: str) -> str:
    """A property path as a placeholder/capture name: user.profile.name -> user_profile_name."""
    base = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "value"
    return f"v_{base}" if base[0].isdigit() else base


def _normal(path: str) -> str:
    """A memory path as written in properties: `=$x` -> dialog.x; indexes and what follows them dropped."""
    path = path.strip().lstrip("=").strip()
    if path.startswith("$"):
        path = "dialog." + path[1:]
    return path.split("[")[0].strip(".")


def _unquoted(text: str, start: int = 0):
    """(index, char) of an expression's characters outside its '...' and "..." literals."""
    quote, index = "", start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        else:
            yield index, char
        index += 1


def _split_args(arguments: str) -> list[str]:
    """A call's arguments, split at the commas between them."""
    if not arguments.strip():
        return []
    parts, depth, start = [], 0, 0
    for index, char in _unquoted(arguments):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(arguments[start:index].strip())
            start = index + 1
    return parts + [arguments[start:].strip()]


def _split_text(text: str) -> list[str]:
    """LG text split at `|` (variations, suggested actions), not inside ${...} or escaped."""
    parts, start, index = [], 0, 0
    while index < len(text):
        if text[index] == "\\":
            index += 1
        elif text.startswith("${", index):
            index = max(_expression_end(text, index + 2), index)
        elif text[index] == "|":
            parts.append(text[start:index])
            start = index + 1
        index += 1
    return parts + [text[start:]]


def _expression_end(text: str, start: int) -> int:
    """The index of the `}` closing the `${` whose body starts at `start`; -1 if none."""
    depth = 1
    for index, char in _unquoted(text, start):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index
    return -1


def _single_call(value: str) -> tuple[str, str] | None:
    """(name, arguments) when the whole text is one `${Name(args)}`."""
    text = value.strip()
    if not (text.startswith("${") and _expression_end(text, 2) == len(text) - 1):
        return None
    match = _CALL.match(text[2:-1].strip())
    if not match or not _balanced(match[2]):
        return None
    return match[1], match[2]


def _balanced(arguments: str) -> bool:
    depth = 0
    for char in arguments:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


# --- language generation ---------------------------------------------------------------------------


@dataclass
class _Template:
    name: str
    params: list[str]
    body: list[tuple[int, str]]  # (line number, line)
    file: str  # display path


@dataclass
class _Variation:
    text: str
    span: dict
    escapes: bool = True  # multi-line ``` text is taken as written
    fields: dict[str, tuple[str, dict]] | None = None  # a structured body: key -> (value, span)
    kind: str = ""  # Activity, HeroCard...
    guard: str = ""  # the IF condition the variation is under, e.g. exists(user.name)


@dataclass
class _LgFile:
    display: str
    templates: dict[str, _Template] = field(default_factory=dict)
    imports: list[str] = field(default_factory=list)  # file ids, e.g. common.lg
    comments: list[Comment] = field(default_factory=list)


def parse_lg(text: str, display: str) -> _LgFile:
    lg = _LgFile(display)
    current: _Template | None = None
    fenced = False
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not fenced:
            header = _HEADER.match(line) if stripped.startswith("#") else None
            if header:
                params = [p.strip() for p in (header[2] or "").split(",") if p.strip()]
                current = _Template(header[1], params, [], display)
                lg.templates.setdefault(current.name, current)
                continue
            if stripped.startswith(">"):
                if "botlint" in stripped:  # suppressions, written as LG comments
                    lg.comments.append(Comment(number, line.index(">") + 1, "#" + stripped[1:], display))
                continue
            if stripped.startswith("[import]"):
                target = re.match(r"\[import\]\(([^)]*)\)", stripped)
                if target:
                    lg.imports.append(_lg_id(Path(target[1].strip()).name))
                continue
        if current is not None:
            current.body.append((number, line))
        if line.count("```") % 2:
            fenced = not fenced
    return lg


def _lg_id(name: str) -> str:
    """`common.en-us.lg` and `common.lg` are both the file `common.lg` of a language."""
    parts = name.lower().split(".")
    if len(parts) >= 3 and _LOCALE.match(parts[-2]):
        parts.pop(-2)
    return ".".join(parts)


def _span(file: str, line: int, col: int, end_line: int | None = None, end_col: int | None = None) -> dict:
    return {"line": line, "col": col, "end_line": end_line or line, "end_col": end_col or col, "file": file}


def first_variation(template: _Template) -> _Variation | None:
    """The text the bot says first: the first variation, the first branch's, or a structured body's fields."""
    body = [(n, line) for n, line in template.body if line.strip() and not line.strip().startswith(">")]
    if body and body[0][1].strip().startswith("["):
        kind = body[0][1].strip()[1:].strip()
        fields: dict[str, tuple[str, dict]] = {}
        for number, line in body[1:]:
            stripped = line.strip()
            if stripped == "]":
                break
            match = _FIELD.match(stripped)
            if match:
                after = line[line.index("=") + 1:]
                col = line.index("=") + 2 + len(after) - len(after.lstrip())
                fields.setdefault(match[1].lower(), (match[2].strip(), _span(template.file, number, col,
                                                                            number, len(line) + 1)))
        return _Variation("", _span(template.file, body[0][0], 1), fields=fields, kind=kind)
    guard = ""
    for index, (number, line) in enumerate(template.body):
        stripped = line.lstrip()
        if not stripped.startswith("-"):
            continue
        content = stripped[1:].lstrip()
        col = len(line) - len(content) + 1
        keyword = _KEYWORD.match(content)
        if keyword:
            guard = content[keyword.end():] if keyword[1].upper() in ("IF", "ELSEIF") else ""
            continue
        if not content.strip():
            continue
        found = _fenced(template, index, content[3:], col) if content.startswith("```") else \
            _Variation(content.rstrip(), _span(template.file, number, col, number, len(line) + 1))
        found.guard = guard
        return found
    return None


def _fenced(template: _Template, index: int, rest: str, col: int) -> _Variation:
    number = template.body[index][0]
    if "```" in rest:
        text, end_line = rest[:rest.index("```")], number
    else:
        lines = [rest]
        end_line = number
        for end_line, line in template.body[index + 1:]:
            if "```" in line:
                lines.append(line[:line.index("```")])
                break
            lines.append(line)
        text = lines[0] + "\n" + textwrap.dedent("\n".join(lines[1:])) if lines[0].strip() else \
            textwrap.dedent("\n".join(lines[1:]))
    return _Variation(text.strip("\n").rstrip(), _span(template.file, number, col, end_line, 1), escapes=False)


# --- the project -----------------------------------------------------------------------------------


@dataclass
class _Dialog:
    id: str
    source: SourceFile
    generator: str | None  # its .lg file id, e.g. order.lg
    goto_targets: set[str] = field(default_factory=set)  # action ids a GotoAction names
    emitted: set[str] = field(default_factory=set)  # event names its EmitEvent actions name

    def handler(self, event: Any) -> dict | None:
        """The OnDialogEvent trigger of this dialog that handles `event` (a literal name), if any."""
        if not isinstance(event, str) or event.startswith("="):
            return None
        return next((t for t in _list(self.data.get("triggers")) if _dict(t).get("$kind") == "Microsoft.OnDialogEvent"
                     and _dict(t).get("event") == event), None)

    @property
    def data(self) -> dict:
        return self.source.data


@dataclass
class _Message:
    text: str
    span: dict
    suggestions: list[tuple[str, dict]] = field(default_factory=list)


class _Project:
    """Every dialog and .lg file of one bot, the properties it fills, and what was skipped."""

    def __init__(self, folder: Path, display: str, result: ImportResult) -> None:
        self.folder, self.display, self.result = folder, display, result
        self.skipped: Counter[str] = Counter()
        self.missing: set[str] = set()
        self.dialogs: dict[str, _Dialog] = {}
        self.lg: dict[str, _LgFile] = {}  # file id -> file, the bot's language only
        self.global_templates: dict[str, _Template] = {}
        self._scopes: dict[str | None, dict[str, _Template]] = {}
        self.assigned: dict[str, str] = {}  # lower-case path -> path as first written
        self.begun: set[str] = set()
        self.aliases: dict[str, _Dialog] = {}
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
                continue
            data = source.data
            if not isinstance(data, dict) or data.get("$kind") != "Microsoft.AdaptiveDialog":
                kind = _dict(data).get("$kind")
                if isinstance(kind, str) and "Recognizer" not in kind:
                    self.skipped[f"dialogs of kind '{kind}'"] += 1
                continue
            self._check_types(source, data, "the dialog")
            generator = data.get("generator")
            dialog = _Dialog(path.stem, source, _lg_id(generator) if isinstance(generator, str) else None)
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
                self.error(f"'{key}' of {what} should be {json_type(expected())}, not "
                           f"{json_type(value)}", source.display,
                           source.span(node, key))
        for key in ("triggers", "actions", "elseActions", "default", "cases"):
            items = node.get(key)
            for index, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict):
                    self._check_types(source, item, f"'{item.get('$kind') or key}'" if key != "cases"
                                      else "a case")
                elif key in ("triggers", "cases"):  # an action that is not an object is skipped with a notice
                    self.error(f"{key}[{index}] of {what} should be an object, not "
                               f"{json_type(item)}", source.display,
                               source.item_span(items, index))

    def _read_lg(self, paths: list[Path]) -> None:
        """The .lg files of the bot's language (and those without one)."""
        by_locale: dict[str | None, list[Path]] = {}
        for path in paths:
            parts = path.name.lower().split(".")
            in_folder = path.parent.parent.name == "language-generation" and _LOCALE.match(path.parent.name)
            locale = path.parent.name if in_folder else (parts[-2] if len(parts) >= 3 and _LOCALE.match(parts[-2])
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
            self.lg.setdefault(_lg_id(path.name), lg)
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
        language = _dict(data).get("defaultLanguage") or _dict(_dict(data).get("luis")).get("defaultLanguage")
        return language.lower() if isinstance(language, str) else None

    def _scan(self, dialog: _Dialog, node: Any) -> None:
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
            for key in _dict(node.get("options")):
                self.assign(f"dialog.{key}")
        if kind == "Microsoft.GotoAction" and isinstance(node.get("actionId"), str):
            dialog.goto_targets.add(node["actionId"])
        if kind == "Microsoft.EmitEvent" and isinstance(node.get("eventName"), str):
            dialog.emitted.add(node["eventName"])
        for value in node.values():
            if isinstance(value, (dict, list)):
                self._scan(dialog, value)

    def find(self, name: str) -> _Dialog | None:
        """A dialog by file name, or by the id written in it."""
        return self.dialogs.get(name.lower()) or self.aliases.get(name.lower())

    def assign(self, path: str) -> None:
        normal = _normal(path)
        if normal:
            self.assigned.setdefault(normal.lower(), normal)

    def var(self, path: str) -> str:
        """The model's name of a property the bot fills (captures, sets)."""
        normal = _normal(path)
        return _safe(self.assigned.get(normal.lower(), normal))

    def filled(self, path: str, value: str | None, span: dict) -> list[dict]:
        """The sets for a property that gets a value: it, and the properties under it that the bot fills
        elsewhere (a placeholder of `dialog.event.subject` is named so): an object holds its fields."""
        lower = _normal(path).lower()
        under = sorted(name for name in self.assigned if name.startswith(lower + "."))
        return ([{"set": self.var(path), "value": value, "span": span}]
                + [{"set": _safe(self.assigned[name]), "span": span} for name in under])

    # --- texts ---
    def scope(self, dialog: _Dialog) -> dict[str, _Template]:
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

    def message(self, value: Any, dialog: _Dialog, node: dict, key: str) -> _Message | None:
        """What an activity, prompt or choice says; None (an error for a missing template) if nothing."""
        span = dialog.source.span(node, key)
        if isinstance(value, dict):  # an activity object written into the .dialog
            value = value.get("text") or value.get("speak")
        if not isinstance(value, str) or not value.strip():
            return None
        renderer = _Renderer(self, self.scope(dialog))
        call = _single_call(value)
        if call:
            template = renderer.scope.get(call[0])
            if template is None and call[0] not in BUILTINS:
                if call[0] not in self.missing:
                    self.missing.add(call[0])
                    where = f"{dialog.generator} or its imports" if dialog.generator else "any .lg file"
                    self.error(f"template '{call[0]}' is not defined in {where}", dialog.source.display, span)
                return None
            if template is not None:
                return renderer.template(template, _split_args(call[1]), 0, span)
        return _Message(renderer.expand(value, {}, 0, escapes=True).strip(), span)


class _Renderer:
    """LG text into the model's text: template calls expanded, expressions as placeholders."""

    def __init__(self, project: _Project, scope: dict[str, _Template]) -> None:
        self.project, self.scope = project, scope
        self.guarded: set[str] = set()  # paths an enclosing IF checks: filled where the text is said

    def template(self, template: _Template, args: list[str], depth: int, span: dict) -> _Message:
        bindings = dict(zip(template.params, (a.strip() for a in args)))
        variation = first_variation(template)
        if variation is None or depth > MAX_DEPTH:
            return _Message("", span)
        if variation.fields is not None:
            return self.structured(variation, bindings, depth)
        call = _single_call(variation.text) if variation.escapes else None
        if call and call[0] in self.scope:  # a template that only calls another: point at that one's text
            args = [self.bind(a, bindings) for a in _split_args(call[1])]
            return self.template(self.scope[call[0]], args, depth + 1, variation.span)
        before = set(self.guarded)
        for path in re.findall(_PATH, variation.guard):  # IF: ${exists(user.name)} - Hi ${user.name}
            self.guarded.add(_normal(self.bind(path, bindings)).lower())
        text = self.expand(variation.text, bindings, depth, variation.escapes).strip()
        self.guarded = before
        return _Message(text, variation.span)

    def structured(self, variation: _Variation, bindings: dict[str, str], depth: int) -> _Message:
        fields = variation.fields or {}
        if variation.kind.lower() == "activity":
            text, span = fields.get("text") or fields.get("speak") or ("", variation.span)
            text = _split_text(text)[0]
            if not text.strip() and "attachments" in fields:  # a card's text stands in for the message
                call = _single_call(fields["attachments"][0])
                if call and call[0] in self.scope:
                    card = self.template(self.scope[call[0]], [], depth + 1, fields["attachments"][1])
                    text, span = card.text, card.span
        else:  # a card: its title, subtitle and text are separate lines of text, not one sentence
            found = [fields[key] for key in ("title", "subtitle", "text") if key in fields and fields[key][0].strip()]
            text = "\n\n".join(value for value, _ in found)
            span = found[0][1] if found else variation.span
        message = _Message(self.expand(text, bindings, depth, escapes=True).strip(), span)
        if "suggestedactions" in fields:
            value, where = fields["suggestedactions"]
            labels = [self.expand(label, bindings, depth, escapes=True).strip() for label in _split_text(value)]
            message.suggestions = [(label, where) for label in labels if label]
        return message

    def expand(self, text: str, bindings: dict[str, str], depth: int, escapes: bool) -> str:
        out: list[str] = []
        index = 0
        while index < len(text):
            char = text[index]
            if escapes and char == "\\" and index + 1 < len(text):
                out.append(_ESCAPES.get(text[index + 1], text[index + 1]))
                index += 2
            elif char in "$@" and text.startswith("{", index + 1):
                end = _expression_end(text, index + 2)
                if end < 0:
                    out.append(text[index:])
                    break
                out.append(self.expression(text[index + 2:end], bindings, depth))
                index = end + 1
            else:
                out.append(char)
                index += 1
        return "".join(out)

    def bind(self, expression: str, bindings: dict[str, str]) -> str:
        """A template parameter replaced by the argument it was called with."""
        if bindings and _IS_PATH.match(expression):
            head = re.match(r"[A-Za-z_]\w*", expression)
            if head and head[0] in bindings:
                return bindings[head[0]] + expression[head.end():]
        return expression

    def expression(self, expression: str, bindings: dict[str, str], depth: int) -> str:
        text = expression.strip()
        literal = _LITERAL.match(text)
        if literal:
            return next(group for group in literal.groups() if group is not None)
        if text == "null":
            return ""
        call = _CALL.match(text)
        if call and _balanced(call[2]) and call[1] in self.scope and depth < MAX_DEPTH:
            args = [self.bind(a, bindings) for a in _split_args(call[2])]
            return self.template(self.scope[call[1]], args, depth + 1, {}).text
        if _IS_PATH.match(text):
            bound = self.bind(text, bindings)
            if bound != text:
                return self.expression(bound, {}, depth + 1)
            return self.placeholder(text)
        for name, value in bindings.items():  # count(collection) -> count(user.todos)
            text = re.sub(rf"(?<![\w.]){re.escape(name)}(?![\w(])", lambda _: value, text)
        return "{" + _safe(text)[:40].rstrip("_") + "|N}"  # computed: never empty

    def placeholder(self, path: str) -> str:
        if path.startswith("@"):
            return "{" + _safe(path[1:].split("[")[0]) + "}"  # a recognized entity: may be missing
        if path.startswith(("#", "%")):
            return "{" + _safe(path)[:40] + "|N}"
        normal = _normal(path)
        lower = normal.lower()
        if lower in self.guarded or any(lower == p or lower.startswith(p + ".") for p in PLATFORM):
            return "{" + _safe(normal) + "|" + _safe(normal.split(".")[-1]) + "}"  # the platform fills these
        segments = normal.split(".")
        for size in range(len(segments), 0, -1):
            known = self.project.assigned.get(".".join(segments[:size]).lower())
            if known:
                return "{" + _safe(known) + "}"
        return "{" + _safe(normal) + "}"


# --- one flow --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ctx:
    """Where control goes from inside one (inlined) dialog."""

    dialog: _Dialog
    exit: str | None  # the caller's next step when this dialog ends; None: the conversation turn ends
    start: str  # the dialog's first step (RepeatDialog)
    active: tuple[tuple[str, str], ...]  # dialogs being run: (id, start step), for recursion
    labels: dict  # action id -> step name, for GotoAction (shared by the dialog instance)
    loop: tuple[str, str] | None = None  # (head, exit) of the innermost Foreach
    events: tuple[str, ...] = ()  # event handlers being run in place (an event emitted inside its own handler)


class _FlowBuilder:
    def __init__(self, project: _Project, dialog: _Dialog, trigger: dict, name: str) -> None:
        self.project, self.dialog, self.trigger, self.name = project, dialog, trigger, name
        self.steps: list[dict] = []
        self.taken: set[str] = set()
        self._end: str | None = None
        self._end_span: dict = {}

    def span(self, dialog: _Dialog, node: Any) -> dict:
        return dialog.source.span(node, "$kind") if isinstance(node, dict) and "$kind" in node \
            else dialog.source.span(node)

    def build(self) -> dict:
        kind = str(self.trigger.get("$kind"))
        label = _label(self.trigger)
        first = identifier(label, self.taken)
        span = self.span(self.dialog, self.trigger)
        begins = kind == "Microsoft.OnBeginDialog"  # beginning this dialog again comes back here
        ctx = _Ctx(self.dialog, None, first, ((self.dialog.id.lower(), first),) if begins else (), {})
        self.block(_list(self.trigger.get("actions")), self.add_step(first, span), None, ctx)
        if self._end and self._used(self._end):  # the shared "the turn is over" step, last
            self.add_step(self._end, self._end_span).append({"end": True, "span": self._end_span})
        event = kind == "Microsoft.OnDialogEvent" or (kind.endswith("Activity") and kind not in PERSON_ACTIVITIES)
        trigger: dict[str, Any] = {"kind": "start" if kind in STARTS else "event" if event else "message",
                                   "span": span}
        value = self.trigger.get("intent") or self.trigger.get("event")
        if isinstance(value, str) and value:
            trigger["value"] = value
        designer = _dict(self.trigger.get("$designer")).get("name")
        flow = {"kind": "flow", "name": self.name, "title": designer if isinstance(designer, str) and designer
                else f"{self.dialog.id}: {label}", "trigger": trigger, "steps": self.steps, "span": span}
        if kind in STARTS:
            flow["description"] = ("Runs when someone joins the conversation (Composer conversation update): "
                                   "the bot speaks first.")
        return flow

    def _used(self, name: str) -> bool:
        return any(name in (s.get("goto"), s.get("then"), s.get("else"), s.get("otherwise"))
                   for step in self.steps for s in step["do"])

    # --- steps ---
    def add_step(self, name: str, span: dict) -> list[dict]:
        if len(self.steps) > MAX_STEPS:
            raise ValueError("too many steps (dialogs inlined too often)")
        do: list[dict] = []
        self.steps.append({"name": name, "do": do, "span": span})
        return do

    def new_name(self, label: str) -> str:
        return identifier(label, self.taken)

    def target(self, cont: str | None, ctx: _Ctx, span: dict) -> str:
        """A step name for "go on": the continuation, else the caller's, else a step that ends."""
        if cont or ctx.exit:
            return cont or ctx.exit  # type: ignore[return-value]
        if self._end is None:
            self._end = self.new_name("end")
            self._end_span = span
        return self._end

    def finish(self, do: list[dict], cont: str | None, ctx: _Ctx, span: dict) -> None:
        if cont or ctx.exit:
            do.append({"goto": cont or ctx.exit, "span": span})
        else:
            do.append({"end": True, "span": span})

    def block(self, actions: list, do: list[dict], cont: str | None, ctx: _Ctx, anchor: Any = None) -> None:
        """Compile actions into `do` (and new steps); at the end, go on to `cont`."""
        last_span = self.span(ctx.dialog, anchor if anchor is not None else self.trigger)
        for index, action in enumerate(actions):
            if not isinstance(action, dict):
                self.project.skipped["actions that are not objects"] += 1
                continue
            span = self.span(ctx.dialog, action)
            last_span = span
            label = action.get("id")
            if isinstance(label, str) and label in ctx.dialog.goto_targets:  # a GotoAction lands here
                name = ctx.labels.setdefault(label, self.new_name(label))
                do.append({"goto": name, "span": span})
                do = self.add_step(name, span)
            try:
                if self.action(action, actions[index + 1:], do, cont, ctx, span):
                    return
            except (AttributeError, KeyError, TypeError, IndexError):
                self.project.skipped[f"'{action.get('$kind')}' actions of an unexpected shape"] += 1
        self.finish(do, cont, ctx, last_span)

    def rest_step(self, rest: list, cont: str | None, ctx: _Ctx) -> tuple[str, Any]:
        """A name for the step holding the actions after a branching one (compiled by `then_rest`)."""
        if not rest:
            return self.target(cont, ctx, self.span(self.dialog, self.trigger)), None
        return self.new_name(f"{ctx.dialog.id}_next"), rest

    def then_rest(self, name: str, rest: Any, cont: str | None, ctx: _Ctx, prefix: list[dict] | None = None) -> None:
        if rest is None:
            return
        do = self.add_step(name, self.span(ctx.dialog, rest[0]))
        do.extend(prefix or [])
        self.block(rest, do, cont, ctx, rest[0])

    # --- actions ---
    def action(self, action: dict, rest: list, do: list[dict], cont: str | None, ctx: _Ctx, span: dict) -> bool:
        """Compile one action; True when it took care of the rest (a branch, a jump, an end)."""
        kind = str(action.get("$kind"))
        if kind in ("Microsoft.SendActivity", "Microsoft.Ask"):
            self.send(action, do, ctx, waits=kind == "Microsoft.Ask")
        elif kind in INPUTS:
            return self.ask(action, kind, rest, do, cont, ctx, span)
        elif kind == "Microsoft.IfCondition":
            return self.if_condition(action, rest, do, cont, ctx, span)
        elif kind == "Microsoft.SwitchCondition":
            return self.switch(action, rest, do, cont, ctx, span)
        elif kind in ("Microsoft.Foreach", "Microsoft.ForeachPage"):
            return self.foreach(action, kind, rest, do, cont, ctx, span)
        elif kind in ("Microsoft.BeginDialog", "Microsoft.ReplaceDialog"):
            return self.begin(action, kind, rest, do, cont, ctx, span)
        elif kind == "Microsoft.EditActions":
            self.block(_list(action.get("actions")) + rest, do, cont, ctx, action)
            return True
        elif kind == "Microsoft.EndDialog":
            self.finish(do, None, ctx, span)
            return True
        elif kind in ENDS:
            do.append({"end": True, "span": span})
            return True
        elif kind == "Microsoft.RepeatDialog":
            running = any(active == ctx.dialog.id.lower() for active, _ in ctx.active)
            # From another trigger of the dialog (an interruption), the dialog starts over: its OnBeginDialog.
            if running or not self.begin({**action, "dialog": ctx.dialog.id}, "Microsoft.ReplaceDialog", rest, do,
                                         cont, ctx, span):
                do.append({"goto": ctx.start, "span": span})
            return True
        elif kind == "Microsoft.GotoAction":
            label = str(action.get("actionId"))
            do.append({"goto": ctx.labels.setdefault(label, self.new_name(label)), "span": span})
            return True
        elif kind == "Microsoft.EmitEvent" and ctx.dialog.handler(action.get("eventName")) is not None \
                and action["eventName"] not in ctx.events:
            return self.emit(action, ctx.dialog.handler(action["eventName"]), rest, do, cont, ctx)
        elif kind in ("Microsoft.BreakLoop", "Microsoft.ContinueLoop"):
            if ctx.loop:
                do.append({"goto": ctx.loop[1] if kind == "Microsoft.BreakLoop" else ctx.loop[0], "span": span})
                return True
        elif kind == "Microsoft.EndTurn":
            do.append({"wait_for_reply": None, "span": span})
        elif kind in HANDOFFS:
            team = _dict(action.get("context")).get("queue") or _dict(action.get("$designer")).get("name")
            do.append({"handoff": team if isinstance(team, str) and team else None, "span": span})
            return True
        elif kind == "Microsoft.SetProperty":
            self.set(action.get("property"), action.get("value"), do, span)
        elif kind == "Microsoft.SetProperties":
            assignments = _list(action.get("assignments"))
            for index, item in enumerate(assignments):
                self.set(_dict(item).get("property"), _dict(item).get("value"), do,
                         ctx.dialog.source.item_span(assignments, index))
        elif kind == "Microsoft.EditArray":
            if str(action.get("changeType", "push")).lower() in ("push", "insert"):
                self.set(action.get("itemsProperty"), None, do, span)
        elif kind == "Microsoft.HttpRequest":
            do.append({"action": "webhook", "text": str(action.get("url") or "") or None, "span": span})
            self.set(action.get("resultProperty"), None, do, span)
        elif kind in SETS:
            self.set(action.get("property"), None, do, span)
        elif kind not in QUIET:
            self.project.skipped[f"actions of unsupported type '{kind}'"] += 1
        return False

    def emit(self, action: dict, handler: dict, rest: list, do: list[dict], cont: str | None, ctx: _Ctx) -> bool:
        """An event the dialog handles itself: the handler's actions run here, then the rest."""
        after, pending = self.rest_step(rest, cont, ctx) if (rest or cont or ctx.exit) else (None, None)
        inner = replace(ctx, events=ctx.events + (action["eventName"],))
        self.block(_list(handler.get("actions")), do, after, inner, action)
        if after is not None:
            self.then_rest(after, pending, cont, ctx)
        return True

    def set(self, prop: Any, value: Any, do: list[dict], span: dict) -> None:
        if isinstance(prop, str) and _normal(prop):
            literal = None
            if isinstance(value, (str, int, float, bool)) and not (isinstance(value, str) and value.startswith("=")):
                literal = str(value).lower() if isinstance(value, bool) else str(value)
            do.extend(self.project.filled(prop, literal, span))

    def send(self, action: dict, do: list[dict], ctx: _Ctx, waits: bool) -> None:
        """A message; with suggested actions (or as an Ask, which waits for the answer) a question."""
        message = self.project.message(action.get("activity"), ctx.dialog, action, "activity")
        if message is None or not message.text:
            if message is not None:
                self.project.skipped["activities without text (cards, attachments)"] += 1
            return
        if message.suggestions or waits:
            do.append({"ask": message.text, "replies": [{"label": label, "span": where}
                                                        for label, where in message.suggestions],
                       "span": message.span})
        else:
            do.append({"say": message.text, "span": message.span})

    def ask(self, action: dict, kind: str, rest: list, do: list[dict], cont: str | None, ctx: _Ctx,
            span: dict) -> bool:
        key = "text" if kind == "Microsoft.OAuthInput" and "prompt" not in action else "prompt"
        message = self.project.message(action.get(key), ctx.dialog, action, key)
        ask: dict[str, Any] = {"ask": message.text if message else "", "span": message.span if message else span}
        replies = self.choices(action, kind, ctx, span)
        replies += [{"label": label, "span": where} for label, where in (message.suggestions if message else [])]
        if replies:
            ask["replies"] = replies
        prop = action.get("property") or action.get("tokenProperty")
        if isinstance(prop, str) and _normal(prop):
            ask["capture"] = self.project.var(prop)
            if INPUTS[kind]:
                ask["expect"] = INPUTS[kind]
        retry = None
        for key in ("invalidPrompt", "unrecognizedPrompt"):
            retry = retry or self.project.message(action.get(key), ctx.dialog, action, key)
        if retry is not None and " ".join(retry.text.split()) == " ".join(ask["ask"].split()):
            retry = None  # the same question again: what every input does without a retry prompt
        if retry is None or not retry.text or "capture" not in ask:
            do.append(ask)
            return False
        # A retry prompt: the answer goes on (then), anything invalid hears the retry prompt and answers again.
        after, pending = self.rest_step(rest, cont, ctx)
        retry_name = self.new_name(f"{ctx.dialog.id}_retry")
        if ask.get("replies"):  # a tapped choice fills the property too, then goes on like any answer
            chosen = self.new_name(f"{ctx.dialog.id}_chosen")
            self.add_step(chosen, span).extend([{"set": ask["capture"], "span": span}, {"goto": after, "span": span}])
            for reply in ask["replies"]:
                reply["goto"] = chosen
        do.append({**ask, "then": after, "otherwise": retry_name})
        again = {**ask, "ask": retry.text, "span": retry.span, "then": after,
                 "replies": [dict(reply) for reply in ask.get("replies", [])]}
        self.add_step(retry_name, retry.span).append(again)
        self.then_rest(after, pending, cont, ctx)
        return True

    def choices(self, action: dict, kind: str, ctx: _Ctx, span: dict) -> list[dict]:
        if kind == "Microsoft.ConfirmInput":
            custom = _list(action.get("confirmChoices"))
            labels = [str(_dict(c).get("value", c)) for c in custom] if custom else ["Yes", "No"]
            return [{"label": label, "span": span} for label in labels]
        if kind != "Microsoft.ChoiceInput":
            return []
        choices = _list(action.get("choices"))  # a string here is an expression: choices known at run time
        replies = []
        for index, choice in enumerate(choices):
            value = choice if isinstance(choice, str) else _dict(choice).get("value")
            if isinstance(value, str) and value.strip():
                text = _Renderer(self.project, self.project.scope(ctx.dialog)).expand(value, {}, 0, True)
                replies.append({"label": text.strip(), "span": ctx.dialog.source.item_span(choices, index)})
        return replies

    def condition(self, expression: Any, span: dict) -> dict:
        text = str(expression).strip().lstrip("=").strip() if isinstance(expression, str) else "true"
        match = _COMPARE.match(text)
        renderer = _Renderer(self.project, {})
        if match and not match[1].startswith(("#", "@", "%")):
            value = match[3]
            value = "" if value == "null" else value[1:-1] if value[0] in "'\"" else value
            name = renderer.placeholder(match[1]).strip("{}").split("|")[0]
            return {"var": name, "equals" if match[2] == "==" else "not_equals": value, "span": span}
        exists, missing = _EXISTS.match(text), _NOT_EXISTS.match(text)
        if exists or missing:  # exists(user.name): the property holds a value
            path = exists[1] if exists else missing[1] or missing[2]
            name = renderer.placeholder(path).strip("{}").split("|")[0]
            return {"var": name, "not_equals" if exists else "equals": "", "span": span}
        if _IS_PATH.match(text) and not text.startswith(("#", "@", "%")) and text not in ("true", "false"):
            return {"var": renderer.placeholder(text).strip("{}").split("|")[0], "equals": "true", "span": span}
        return {"var": "condition", "equals": text, "span": span}

    def if_condition(self, action: dict, rest: list, do: list[dict], cont: str | None, ctx: _Ctx,
                     span: dict) -> bool:
        after, pending = self.rest_step(rest, cont, ctx)
        branches = []
        statement: dict[str, Any] = {"if": self.condition(action.get("condition"), span), "span": span}
        for key, label in (("actions", "then"), ("elseActions", "else")):
            actions = _list(action.get(key))
            if actions:
                name = self.new_name(f"{ctx.dialog.id}_{label}")
                branches.append((name, actions))
                statement[label] = name
            else:
                statement[label] = after
        do.append(statement)
        for name, actions in branches:
            self.block(actions, self.add_step(name, self.span(ctx.dialog, actions[0])), after, ctx, actions[0])
        self.then_rest(after, pending, cont, ctx)
        return True

    def switch(self, action: dict, rest: list, do: list[dict], cont: str | None, ctx: _Ctx, span: dict) -> bool:
        after, pending = self.rest_step(rest, cont, ctx)
        subject = str(action.get("condition") or "").strip().lstrip("=")
        branches = []
        cases = _list(action.get("cases"))
        for index, case in enumerate(cases):
            value = str(_dict(case).get("value", ""))
            value = value[1:-1] if len(value) > 1 and value[0] in "'\"" and value[-1] == value[0] else value
            where = ctx.dialog.source.item_span(cases, index)
            test = self.condition(f"{subject} == '{value}'", where) if _IS_PATH.match(subject) \
                else {"var": "condition", "equals": f"{subject} == {value}", "span": where}
            actions = _list(_dict(case).get("actions"))
            name = self.new_name(f"{ctx.dialog.id}_case_{value}") if actions else after
            do.append({"if": test, "then": name, "span": where})
            if actions:
                branches.append((name, actions))
        default = _list(action.get("default"))
        if default:
            name = self.new_name(f"{ctx.dialog.id}_default")
            branches.append((name, default))
            do.append({"goto": name, "span": span})
        else:
            do.append({"goto": after, "span": span})
        for name, actions in branches:
            self.block(actions, self.add_step(name, self.span(ctx.dialog, actions[0])), after, ctx, actions[0])
        self.then_rest(after, pending, cont, ctx)
        return True

    def foreach(self, action: dict, kind: str, rest: list, do: list[dict], cont: str | None, ctx: _Ctx,
                span: dict) -> bool:
        after, pending = self.rest_step(rest, cont, ctx)
        head, body = self.new_name(f"{ctx.dialog.id}_loop"), self.new_name(f"{ctx.dialog.id}_loop_body")
        items = str(action.get("itemsProperty") or "items")
        do.append({"goto": head, "span": span})
        self.add_step(head, span).append({"if": {"var": "condition", "equals": f"next item of {items}", "span": span},
                                          "then": body, "else": after, "span": span})
        body_do = self.add_step(body, span)
        keys = (("page", "dialog.foreach.page"),) if kind == "Microsoft.ForeachPage" else \
            (("index", "dialog.foreach.index"), ("value", "dialog.foreach.value"))
        for key, default in keys:  # the loop fills its variables
            body_do.append({"set": self.project.var(str(action.get(key) or default)), "span": span})
        self.block(_list(action.get("actions")), body_do, head, _replace_loop(ctx, (head, after)), action)
        self.then_rest(after, pending, cont, ctx)
        return True

    def begin(self, action: dict, kind: str, rest: list, do: list[dict], cont: str | None, ctx: _Ctx,
              span: dict) -> bool:
        ref = action.get("dialog")
        if not isinstance(ref, str) or ref.startswith("="):
            self.project.skipped["dialogs begun by an expression or inline object"] += 1
            return False
        child = self.project.find(ref)
        if child is None:
            self.project.error(f"dialog '{ref}' is not in this bot (no {ref}.dialog)", ctx.dialog.source.display,
                               ctx.dialog.source.span(action, "dialog"))
            return False
        for active_id, start in ctx.active:
            if active_id == child.id.lower():  # a dialog begun again from inside itself: back to its start
                do.append({"goto": start, "span": span})
                return True
        begin = next((t for t in _list(child.data.get("triggers"))
                      if _dict(t).get("$kind") == "Microsoft.OnBeginDialog"), None)
        if begin is None or len(ctx.active) > MAX_DEPTH:
            return False  # it waits for its own triggers, which are flows of their own
        if kind == "Microsoft.ReplaceDialog":
            after, pending, exit_to = None, None, ctx.exit
        else:
            after, pending = self.rest_step(rest, cont, ctx) if (rest or cont or ctx.exit) else (None, None)
            exit_to = after
        result = action.get("resultProperty") if kind == "Microsoft.BeginDialog" else None
        returned = None  # the BeginDialog is its block's last action: its result is stored on the way on
        if isinstance(result, str) and _normal(result) and after is not None and pending is None:
            returned = exit_to = self.new_name(f"{ctx.dialog.id}_returned")
        start = self.new_name(child.id)
        do.append({"goto": start, "span": span})
        child_do = self.add_step(start, self.span(child, begin))
        options = _dict(action.get("options"))
        for key in options:  # the caller's options fill the child's dialog.<key>
            child_do.extend(self.project.filled(f"dialog.{key}", None, ctx.dialog.source.span(options, key)))
        child_ctx = _Ctx(child, exit_to, start, ctx.active + ((child.id.lower(), start),), {})
        self.block(_list(begin.get("actions")), child_do, None, child_ctx, begin)
        if kind == "Microsoft.BeginDialog" and pending is not None and after is not None:
            prefix = self.project.filled(result, None, span) if isinstance(result, str) else []
            self.then_rest(after, pending, cont, ctx, prefix)
        elif returned is not None:
            self.add_step(returned, span).extend(self.project.filled(result, None, span)
                                                 + [{"goto": after, "span": span}])
        return True


def _label(trigger: dict) -> str:
    """What a trigger reacts to, for flow and step names: the intent, else the kind of trigger."""
    kind = str(trigger.get("$kind"))
    if kind == "Microsoft.OnIntent" and trigger.get("intent"):
        return str(trigger["intent"])
    return LABELS.get(kind) or kind.rsplit(".", 1)[-1].removeprefix("On")


def _replace_loop(ctx: _Ctx, loop: tuple[str, str]) -> _Ctx:
    return replace(ctx, loop=loop)


# --- loading ---------------------------------------------------------------------------------------


def load(path: Path, display: str) -> ImportResult:
    result = ImportResult(data={"flows": []}, files=0)
    project = _Project(path, display, result)
    project.read()
    language = project.locale.split("-")[0].lower() if project.locale else None
    taken: set[str] = set()
    for dialog in project.dialogs.values():
        for trigger in _list(dialog.data.get("triggers")):
            if not isinstance(trigger, dict) or not _list(trigger.get("actions")):
                continue  # nothing to say or do
            if trigger.get("$kind") == "Microsoft.OnBeginDialog" and dialog.id in project.begun:
                continue  # inlined where the dialog is begun
            if trigger.get("$kind") == "Microsoft.OnDialogEvent" and trigger.get("event") in dialog.emitted:
                continue  # run in place where the dialog emits its event
            try:
                name = identifier(f"{dialog.id}-{_label(trigger)}", taken)
                flow = _FlowBuilder(project, dialog, trigger, name).build()
            except Exception as error:  # noqa: BLE001 - one odd trigger must not stop the others
                span = dialog.source.span(trigger)
                project.error(f"cannot read trigger '{trigger.get('$kind')}' ({error})", dialog.source.display, span)
                continue
            if language:
                flow["language"] = language
            result.data["flows"].append(flow)
    result.notices.extend(f"composer: skipped {count} {what} in {display}"
                          for what, count in sorted(project.skipped.items()))
    return result


IMPORTER = Importer(
    name="composer",
    description="Bot Framework Composer bot folder (adaptive .dialog files and .lg language generation)",
    load=load,
    claims_folder=claims_folder,
)
