"""Botpress v12 flows (`flows/**/*.flow.json`): each file is one flow, each node a step.

How Botpress runs a node: its `onEnter` actions in order (`say #!<content id>` sends a
message), then, if `onReceive` is not null, it waits for the person and runs the
`onReceive` actions (the flow's `catchAll.onReceive` first), then the first transition
whose condition holds moves on: the flow's `catchAll.next` transitions first (except
those to the node itself), then the node's `next`. A transition goes to a node of this
flow, to another flow (`x.flow.json`, or its node `x.flow.json#node`), back to the
calling flow (`#`, or its node `##node`) or to the end (`END`). When no transition
holds, the dialog ends.

Mapping:
* messages: the text lives in the bot's content elements, `content-elements/*.json` in
  the bot folder (the parent of `flows/`), or, without that folder, content files kept
  beside the flows; `formData.text$en` or else the first `text$xx`; `variations` are
  ignored (the first text stands for all). Spans point at the `say` in the flow file,
  where the message is sent (one unit, one file); a content element sent from several
  nodes of a flow is one text, written once: every use points at its first use.
  `{{event.payload.text}}` and the event's other fields are always set by the channel:
  they get a fallback (`{event.payload.text|text}`), NLU slots and entities do not (a
  message may carry none); `event.state.user.x` is the memory `user.x`.
* a waiting node: its last message becomes the question (`ask`), or a
  `wait_for_reply` when it sends none; its `onReceive` actions follow the answer. A
  single-choice message is an ask with replies. When the transitions after the wait
  test a field of the person's message (`event.nlu.intent.name === 'menu'`, intent
  routing), the question captures that field (`event_nlu_intent_name`): its answer
  is routed.
* variables: `builtin/setVariable` becomes `set <type>.<name>` (a reset to null is
  skipped: it fills nothing), a built-in action's `output` becomes `set temp.<output>`,
  a Slot skill `set session.slots.<slot>` (and its `.value`), a CallAPI skill
  `set <memory>.<variable>`. Names are written as placeholders are: `temp['a-b']` ->
  `temp.a_b`. Custom actions become `action webhook` (code that may fill variables).
* a `choice` skill call: the skill's question and buttons (from its skill flow and the
  content elements), each button routed by the transition that tests its value. An
  answer that matches none goes to a retry step, the skill's own behaviour: its
  invalid-answer message, then the same question again (or the invalid-answer message
  as the question, when the skill does not repeat it), until the retries run out and
  the catch-all transition ("On failure") applies. A skill with neither an
  invalid-answer message nor a repeat waits again in silence: nothing answers a wrong
  answer, which goes straight to "On failure", or nowhere without one. A choice skill's
  own flow file (`skillData`) is read the same way: question, retry, back to the caller.
* an e-mail skill (or `basic-skills/send_email`) becomes `action email`: its subject
  and body go to a mailbox, not to the chat. Other skills' calls are skipped (notice).
* transitions: `true` -> goto; other conditions -> if, read as `var == "value"` when
  they compare one variable with a literal (`!== undefined`, `!= null` included), as
  `var != ""` for `var` alone and `var == ""` for `!var`, else kept as an opaque
  `condition == "<the JavaScript>"`. Memory is named as placeholders name it
  (`user.nickname`), so a guard proves a placeholder's variable set; a field of the
  person's message as a capture (`event_nlu_intent_name`). A transition that leaves
  the flow (another flow, `#`, `END`) ends this one; under a condition it goes to a
  small step that ends (`to_<flow>`, `return_to_caller`, `end_of_conversation`). The
  flow and node it names must exist (an error otherwise).
* entry points: the start node comes first; nodes that other flows of the bot jump to
  (`x.flow.json#node`, or `##node` from a flow this one calls), the node named
  `timeout` (run when the person goes silent) and NDU trigger nodes are reached from a
  first step that branches to them. A flow other flows jump to starts with what they
  did: `set` for the variables they fill (temp, session and user variables live on
  across flows), and a webhook when they run custom code (it may have filled others).
  A flow no flow jumps to (other than main, a skill, an NDU flow) is started by code,
  a hook such as before_conversation_end or an API call: it starts with a webhook;
  so does a flow that tests whether a user, session or bot variable is set that no
  flow of the bot fills (a hook filled it: `session.contactForm`).
  `main.flow.json` (in the flows folder) is where the bot speaks first: its trigger
  is `start`; other flows start on a `message`.
Skipped with one notice per kind: images, cards and other non-text content, content
that cannot be resolved (one notice for the whole bot when it has no content at all),
variable resets, built-in actions without a model (contexts, feedback). The skills'
own bookkeeping actions (`basic-skills/choice_parse_answer`...) are the skill's
behaviour, modeled with it. A wrong JSON type where the format has a fixed one
(`"nodes": "oops"`, a `next` that is a string) is an error at its position; so is a
referenced flow, node or skill file that is missing.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from linter.core.errors import FlowSyntaxError
from linter.parse.importers import Importer, ImportResult, needs_file, read_head
from linter.parse.importers._source import JsonShape, SourceFile, identifier, import_json_file, json_type, read_json
from linter.parse.limits import Limits, current
from linter.parse.source import OutsideLink, may_read

SUFFIX = ".flow.json"
MAIN = "main" + SUFFIX
ALWAYS = {"true", "always", ""}
_PATH = r"[A-Za-z_$][\w$]*(?:\.[\w$]+|\[['\"]?[\w$-]+['\"]?\])*"
_LITERAL = r"'[^']*'|\"[^\"]*\"|[\w.-]+"
_COMPARISON = re.compile(rf"\s*({_PATH})\s*(!==|===|!=|==)\s*({_LITERAL})\s*")
_MUSTACHE = re.compile(r"\{\{\{?\s*([^{}]+?)\s*\}?\}\}")
# An index never holds "[": a match tried at each "[" of a long run would cost quadratic time.
_INDEX = re.compile(r"\[\s*['\"]?([^\[\]'\"]*)['\"]?\s*\]")
_EMPTY_VALUES = {"", "null", "undefined"}
_TRUTHY = re.compile(rf"\s*(!?)\s*({_PATH})\s*")
_KEYWORDS = {"true", "false", "null", "undefined", "NaN", "always"}
_MEMORY_SCOPES = ("user.", "session.", "bot.")  # memory that lives on across conversations or flows


def claims_file(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIX) and '"nodes"' in read_head(path)


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _flows_dir(path: Path) -> Path:
    """The bot's `flows` folder: the nearest ancestor named so, else the file's folder."""
    for parent in path.parents:
        if parent.name == "flows":
            return parent
    return path.parent


def variable(path: str) -> str:
    """A JavaScript path as placeholders name it: temp['skill-ret'] -> temp.skill_ret, temp.$r -> temp._r."""
    name = re.sub(r"[^A-Za-z0-9_.]+", "_", _INDEX.sub(r".\1", path)).strip("_.")
    name = re.sub(r"\.{2,}", ".", name)
    return name if re.match(r"[A-Za-z_]", name) else f"v_{name}"


def _memory(path: str) -> str:
    """The event's copy of the memory is the memory: event.state.user.x -> user.x."""
    return path[len("event.state."):] if path.startswith("event.state.") else path


def _from_event(path: str) -> bool:
    """A field of the incoming event (the person's message, as the channel delivered it), not memory.
    NLU slots and entities are left out: a message may carry none."""
    return path.startswith("event.") and not path.startswith(("event.state.", "event.nlu.slots", "event.nlu.entities"))


def _placeholder(path: str) -> str:
    """{{user.first_name}} -> {user.first_name}; the channel always fills the event's own fields, so
    they get a fallback: {{event.payload.text}} -> {event.payload.text|text}."""
    name = variable(_memory(path))
    return "{" + name + ("|" + name.rsplit(".", 1)[-1] if _from_event(path) else "") + "}"


def _text(text: str) -> str:
    """Mustache variables as placeholders: {{user.first_name}} -> {user.first_name}."""
    return _MUSTACHE.sub(lambda m: _placeholder(m[1]), text)


def _var(path: str) -> str:
    """A JavaScript path as an identifier: temp['skill-choice-ret'] -> temp_skill_choice_ret."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", path).strip("_") or "condition"
    return name if re.match(r"[A-Za-z_]", name) else f"v_{name}"


def tested(path: str) -> str:
    """The variable a condition tests, named so that the analysis can tell what it proves: memory as
    placeholders name it (user.nickname); a field of the person's message as the question that waited
    for it captures it (event.nlu.intent.name -> event_nlu_intent_name: a capture has no dots)."""
    path = _memory(path)
    return _var(path) if path.startswith("event.") else variable(path)


def condition(text: str) -> dict[str, Any]:
    """A transition condition, approximately (see the module docstring)."""
    match = _COMPARISON.fullmatch(text)
    if match:
        value = match[3][1:-1] if match[3][:1] in "'\"" else match[3]
        return {"var": tested(match[1]), ("not_equals" if match[2].startswith("!") else "equals"): value}
    match = _TRUTHY.fullmatch(text)
    if match and match[2] not in _KEYWORDS:  # `user.nickname`: set; `!user.nickname`: not set
        return {"var": tested(match[2]), ("equals" if match[1] else "not_equals"): ""}
    return {"var": "condition", "equals": text.strip()}


def _fills(verb: str, args: dict) -> list[str]:
    """The variables a built-in or basic-skills action fills, as placeholders name them."""
    if verb == "builtin/setVariable":
        name, scope, value = args.get("name"), args.get("type"), args.get("value")
        if isinstance(name, str) and isinstance(scope, str) and value is not None \
                and str(value).strip().lower() not in _EMPTY_VALUES:  # a reset to null fills nothing
            return [variable(f"{scope}.{name}")]
        return []
    slot = args.get("slotName")
    if verb == "basic-skills/slot_fill" and isinstance(slot, str) and slot:
        return [variable(f"session.slots.{slot}"), variable(f"session.slots.{slot}.value")]
    if verb == "basic-skills/slotFill" and isinstance(slot, str) and slot:  # before slots moved under session.slots
        return [variable(f"session.{slot}")]
    if verb == "basic-skills/call_api" and isinstance(args.get("variable"), str) and args["variable"]:
        return [variable(f"{args.get('memory') or 'temp'}.{args['variable']}")]
    if verb.startswith("builtin/") and isinstance(args.get("output"), str) and args["output"]:
        return [variable(f"temp.{args['output']}")]  # built-ins that read something store it in temp
    return []


class _Target(NamedTuple):
    """Where a transition goes: kind is node, flow (another flow, `node` optional), caller or end."""

    kind: str
    flow: str | None = None
    node: str | None = None


def _target(text: str) -> _Target:
    if text in ("END", ""):
        return _Target("end")
    if text.startswith("##"):
        return _Target("caller", node=text[2:] or None)
    if text.startswith("#"):
        return _Target("caller")
    flow, _, node = text.partition("#")
    if flow.endswith(SUFFIX):
        return _Target("flow", os.path.normpath(flow).replace(os.sep, "/"), node or None)
    return _Target("node", node=text)


class _Summary(NamedTuple):
    """What other flows need of a flow file: its nodes, start node, where its transitions go, the
    variables its actions fill and the custom code it runs."""

    names: frozenset[str]
    start: str | None
    targets: tuple[str, ...]
    fills: tuple[str, ...] = ()
    code: tuple[str, ...] = ()


@lru_cache(maxsize=1024)
def _read_summary(path: str, _mtime: int, _size: int) -> _Summary | None:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # broken: its own unit reports it
        return None
    doc = _dict(doc)
    nodes = [node for node in _list(doc.get("nodes")) if isinstance(node, dict)]
    transitions = _list(_dict(doc.get("catchAll")).get("next")) + [t for n in nodes for t in _list(n.get("next"))]
    targets = [t["node"] for t in transitions if isinstance(t, dict) and isinstance(t.get("node"), str)]
    targets += [n["flow"] for n in nodes if n.get("type") == "skill-call" and isinstance(n.get("flow"), str)]
    actions = _list(_dict(doc.get("catchAll")).get("onReceive")) + [
        a for n in nodes for key in ("onEnter", "onReceive") for a in _list(n.get(key))]
    fills: list[str] = []
    code: list[str] = []
    for action in actions:
        verb, _, rest = str(action).strip().partition(" ")
        if verb.startswith(("builtin/", "basic-skills/")):
            fills += _fills(verb, _args(rest))
        elif verb and verb != "say":
            code.append(verb)
    start = doc.get("startNode")
    return _Summary(frozenset(str(n.get("name")) for n in nodes), start if isinstance(start, str) else None,
                    tuple(targets), tuple(dict.fromkeys(fills)), tuple(dict.fromkeys(code)))


def _summary(path: Path) -> _Summary | None:
    if not may_read(path):  # a link out of the bot's folder
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return _read_summary(str(path), stat.st_mtime_ns, stat.st_size) if path.is_file() else None


@lru_cache(maxsize=64)
def _read_content_file(path: str, display: str, _mtime: int, _size: int, _limits: Limits) -> SourceFile:
    return read_json(Path(path), display)


def _read_content(path: Path, display: str) -> SourceFile:
    """A content file, parsed once per run: every flow of a bot reads all of the bot's content (it
    was half of a bot's import). Keyed by the file's time of change and size, so an edited file is
    read again, and by the limits in force; a broken file raises each time (errors are not cached)."""
    if may_read(path):  # else read_json refuses it, as the confinement in force says
        try:
            stat = path.stat()
        except OSError:
            pass  # read_json says why
        else:
            return _read_content_file(str(path), display, stat.st_mtime_ns, stat.st_size, current())
    return read_json(path, display)


class _Shape(JsonShape):
    """Checks that what the importer reads has the JSON type Botpress gives it, so a valid JSON file
    with a wrong type (`"nodes": "oops"`, a `next` that is a string) is refused at that spot."""

    format = "botpress"
    unplaced = (1, 1)

    def items(self, parent: dict, key: str, expected: type, what: str) -> list:
        found = self.key(parent, key, list, f"'{key}' of {what}") or []
        for index, item in enumerate(found):
            if not isinstance(item, expected):
                span = self.source.item_span(found, index)
                self.fail((span["line"], span["col"]), f"{key}[{index}] of {what}", item, expected)
        return found

    def document(self, doc: Any) -> None:
        if not isinstance(doc, dict):
            self.fail((1, 1), "a flow file", doc, dict)
        if "nodes" not in doc:
            raise FlowSyntaxError("botpress: the file has no 'nodes'", self.source.display, 1, 1)
        self.key(doc, "startNode", str, "'startNode'")
        self.key(doc, "skillData", dict, "'skillData'")
        catch_all = self.key(doc, "catchAll", dict, "'catchAll'") or {}
        self.transitions(catch_all, "the flow's catchAll")
        self.items(catch_all, "onReceive", str, "the flow's catchAll")
        for node in self.items(doc, "nodes", dict, "the flow"):
            self.key(node, "name", str, "the 'name' of a node", optional=False)
            what = f"node '{node['name']}'"
            for key in ("type", "skill", "flow"):
                self.key(node, key, str, f"'{key}' of {what}")
            self.transitions(node, what)
            for key in ("onEnter", "onReceive"):
                self.items(node, key, str, what)
            self.key(node, "content", dict, f"'content' of {what}")
            self.items(node, "conditions", dict, what)

    def transitions(self, parent: dict, what: str) -> None:
        for transition in self.items(parent, "next", dict, what):
            self.key(transition, "node", str, f"the 'node' of a transition of {what}", optional=False)
            self.key(transition, "condition", str, f"the 'condition' of a transition of {what}")


class _Content:
    """The content elements of one bot, by id: every content-elements/*.json of the bot folder, or,
    when the bot has no such folder, the content files kept beside its flows."""

    def __init__(self, bot_dir: Path, flows_dir: Path, result: ImportResult, display_of, report: bool) -> None:
        self.elements: dict[str, dict] = {}
        self.kinds: dict[str, str] = {}  # content id -> its file's name: builtin_text, builtin_image...
        folder = bot_dir / "content-elements"
        if folder.is_dir():
            self.read(sorted(folder.glob("*.json")), result, display_of, report, strict=True)
        else:
            beside = [path for path in sorted(flows_dir.glob("*.json"))
                      if not path.name.lower().endswith((SUFFIX, ".ui.json"))]
            self.read(beside, result, display_of, report, strict=False)
        self.found = bool(self.elements)

    def read(self, paths: list[Path], result: ImportResult, display_of, report: bool, strict: bool) -> None:
        for path in paths:
            try:
                source = _read_content(path, display_of(path))
            except OutsideLink:
                continue  # said in one notice for the whole import
            except FlowSyntaxError as error:
                if not strict:
                    continue  # a file beside the flows is content only if it reads as content
                # Every flow of the bot reads these files: the bot's first flow reports a broken one,
                # the others say so in a notice (said once), so the error is not repeated per flow.
                if report:
                    result.errors.append(error)
                else:
                    result.notices.append(f"botpress: {error.path} could not be read (see its error)")
                continue
            if strict and not isinstance(source.data, list):
                if report:
                    found = json_type(source.data)
                    result.errors.append(FlowSyntaxError(
                        f"botpress: a content-elements file should be a list, not {found}", source.display, 1, 1))
                continue
            for element in _list(source.data):
                if isinstance(element, dict) and isinstance(element.get("id"), str) \
                        and isinstance(element.get("formData"), dict):
                    self.elements[element["id"]] = element
                    self.kinds[element["id"]] = path.stem

    def get(self, content_id: str) -> dict | None:
        return self.elements.get(content_id)


def _form_text(form: dict, key: str = "text") -> tuple[str | None, str | None]:
    """(text, language) of a content element's form: English first, else the first language."""
    if isinstance(form.get(f"{key}$en"), str):
        return form[f"{key}$en"], "en"
    for field, value in form.items():
        if field.startswith(f"{key}$") and isinstance(value, str):
            return value, field.split("$", 1)[1]
    return (form[key], None) if isinstance(form.get(key), str) else (None, None)


class _Flow:
    """One .flow.json file read into one flow."""

    def __init__(self, source: SourceFile, path: Path, result: ImportResult, display_of) -> None:
        self.source, self.path, self.result, self.display_of = source, path, result, display_of
        _Shape(source).document(source.data)
        self.doc: dict = source.data
        self.flows_dir = _flows_dir(path)
        self.bot_flows = sorted(self.flows_dir.rglob("*" + SUFFIX))
        first = min(self.bot_flows, default=path)
        self.content = _Content(self.flows_dir.parent, self.flows_dir, result, display_of, report=first == path)
        self.relative = (path.relative_to(self.flows_dir) if path.is_relative_to(self.flows_dir) else path).as_posix()
        self.skipped: Counter[str] = Counter()
        self.without_content = False  # a message names content, and the bot has none
        self.languages: Counter[str] = Counter()
        self.nodes: list[dict] = self.doc["nodes"]
        taken: set[str] = set()
        self.names = {node["name"]: identifier(node["name"] or "node", taken) for node in self.nodes}
        self.taken = taken
        self.by_name = {node["name"]: node for node in self.nodes}
        self.triggers = [node for node in self.nodes if node.get("type") == "trigger"]
        self.catch_all: dict = self.doc.get("catchAll") or {}
        self.exits: dict[str, dict] = {}  # synthetic steps that end the flow, by name
        self.extra: list[dict] = []  # synthetic steps of the flow's own: a choice's retry
        self.first_use: dict[str, dict] = {}  # content id -> the span of its first use in this flow
        self.checked: set[int] = set()  # transitions to other flows already checked
        self.missing: list[dict] = []  # flows, nodes and skills it names that the bot lacks (BL003)
        start = self.doc.get("startNode")
        if start is not None and start not in self.by_name and not self.triggers:  # NDU flows start at triggers
            span = self.source.span(self.doc, "startNode")
            raise FlowSyntaxError(f"botpress: startNode '{start}' is not a node of this flow",
                                  self.source.display, span["line"], span["col"])

    # --- targets ---
    def where(self, text: str) -> _Target:
        """A transition target, read; a jump to a node of this very file is a node of this flow."""
        if text in self.names:
            return _Target("node", node=text)
        target = _target(text)
        if target.kind == "flow" and target.flow == self.relative:
            return _Target("node", node=target.node or self.doc.get("startNode") or "")
        return target

    def inside(self, name: str) -> Path | None:
        """The file a flow names, if it is inside this bot's flows folder. A name is the file's
        text: "/proc/self/environ" or "../../.env" must never be opened (and then quoted in an
        error message, in a public CI log)."""
        candidate = self.flows_dir / name
        try:
            candidate.resolve().relative_to(self.flows_dir.resolve())
        except (ValueError, OSError, RuntimeError):  # outside; or a name the file system refuses, a link loop
            return None
        return candidate

    def check_flow(self, target: _Target, transition: dict) -> None:
        """A transition to another flow names a file, and maybe a node of it, that must exist (said once:
        a catch-all transition is read at every node)."""
        if id(transition) in self.checked:
            return
        self.checked.add(id(transition))
        found = self.inside(target.flow or "")
        span = self.source.span(transition, "node")
        if not (found and found.is_file()):
            self.missing.append({"kind": "flow", "name": target.flow or "", "span": span})
            return
        summary = _summary(found)
        if target.node and summary is not None and target.node not in summary.names:
            self.missing.append({"kind": "node", "name": f"{target.flow}#{target.node}", "span": span})

    def step_for(self, text: str, transition: dict) -> str:
        """The step a conditional transition or a button goes to."""
        target = self.where(text)
        if target.kind == "node":
            return self.names.get(target.node or "", identifier(target.node or "", set()))  # unknown: BL001
        if target.kind == "flow":
            self.check_flow(target, transition)
            start = _summary(self.inside(target.flow or "") or self.flows_dir)
            label = "to_" + (target.flow or "").removesuffix(SUFFIX)
            if target.node and not (start and target.node == start.start):
                label += "_" + target.node
        elif target.kind == "caller":
            label = "return_to_caller" + (f"_{target.node}" if target.node else "")
        else:
            label = "end_of_conversation"
        if label not in self.exits:
            self.exits[label] = {"name": identifier(label, self.taken), "do": [{"end": True,
                                 "span": self.source.span(transition)}], "span": self.source.span(transition)}
        return self.exits[label]["name"]

    def jump(self, text: str, transition: dict) -> dict:
        """An unconditional transition: a goto, or the end of this flow."""
        target = self.where(text)
        if target.kind == "node":
            return {"goto": self.step_for(text, transition), "span": self.source.span(transition)}
        if target.kind == "flow":
            self.check_flow(target, transition)
        return {"end": True, "span": self.source.span(transition)}

    # --- the flow ---
    def flow(self) -> dict[str, Any]:
        skill = self.doc.get("skillData") or {}
        if "contentId" in skill and "keywords" in skill:
            steps = self.choice_skill_flow(skill)
        else:
            steps = [self.step(node) for node in self.nodes]
            steps = self.entry(steps) + steps
        name = self.relative.removesuffix(SUFFIX)
        language = self.languages.most_common(1)[0][0] if self.languages else None
        # main.flow.json is where the dialog starts when a person opens the chat.
        kind = "start" if self.relative == MAIN else "message"
        flow = {"kind": "flow", "name": identifier(name, set()), "title": str(self.doc.get("label") or name),
                "trigger": {"kind": kind, "span": self.source.span(self.doc)},
                "steps": steps + self.extra + list(self.exits.values()), "span": self.source.span(self.doc)}
        if self.missing:
            flow["missing"] = self.missing
        if isinstance(self.doc.get("description"), str):
            flow["description"] = self.doc["description"]
        if language:
            flow["language"] = language
        return flow

    def callers(self) -> list[tuple[_Summary, set[str | None]]]:
        """The other flows of the bot that jump to this one, each with the nodes it jumps to (None: the start)."""
        found = []
        for other in self.bot_flows:
            summary = _summary(other) if other != self.path else None
            nodes = {t.node for t in map(_target, summary.targets if summary else ())
                     if t.kind == "flow" and t.flow == self.relative}
            if nodes:
                found.append((summary, nodes))
        return found

    def incoming(self, callers: list[tuple[_Summary, set[str | None]]]) -> list[str]:
        """Nodes of this flow (other than its start) that other flows of the bot jump to."""
        found = [node for _, nodes in callers for node in sorted(filter(None, nodes))]
        # A flow this one goes to can come back to one of its nodes: "##node".
        own = {t["node"] for t in _list(self.catch_all.get("next"))} | {
            t["node"] for node in self.nodes for t in _list(node.get("next"))}
        own |= {node["flow"] for node in self.nodes if node.get("type") == "skill-call" and node.get("flow")}
        for text in sorted(own):
            target = _target(text)
            called = self.inside(target.flow or "") if target.kind == "flow" else None
            summary = _summary(called) if called else None
            found += [back[2:] for back in (summary.targets if summary else ()) if back.startswith("##")]
        start = self.doc.get("startNode")
        return [name for name in dict.fromkeys(found) if name in self.names and name != start]

    def arrival(self, callers: list[tuple[_Summary, set[str | None]]]) -> list[dict]:
        """What ran before this flow. A flow other flows jump to starts with what they did: the
        variables they fill (temp, session and user variables live on across flows) and, when they run
        custom code, a call that may have filled others. A flow no flow jumps to (other than main, a
        skill or an NDU flow, which a message starts) is started by code: a hook (before_conversation_end),
        an API call. And memory the flow tests that no flow of the bot fills was filled by code
        (a hook) before: either way a webhook comes first. The conversation's own start
        (main.flow.json) has no callers."""
        span = self.source.span(self.doc)
        code = None
        if self.relative != MAIN and callers:
            code = next((name for summary, _ in callers for name in summary.code), None)
        elif self.relative != MAIN and not self.triggers and "skillData" not in self.doc \
                and not self.relative.startswith("skills/"):
            code = "code that starts this flow (a hook, an API call)"
        hooked = self.filled_by_code()
        code = code or (f"code that fills {hooked}" if hooked else None)
        done = [{"action": "webhook", "text": code, "span": span}] if code else []
        if self.relative == MAIN:
            return done
        return done + [{"set": name, "span": span}
                       for name in dict.fromkeys(name for summary, _ in callers for name in summary.fills)]

    def filled_by_code(self) -> str | None:
        """A user, session or bot variable whose presence the flow's conditions test (`session.form`,
        `!user.id`, `user.id !== undefined`) and that no flow of the bot fills: only code (a hook, the
        platform) fills it, before the flow runs."""
        tests = [str(t.get("condition") or "") for t in _list(self.catch_all.get("next"))]
        tests += [str(t.get("condition") or "") for node in self.nodes for t in _list(node.get("next"))]
        present = []
        for part in (part for test in tests for part in re.split(r"&&|\|\|", test)):
            test = condition(part.strip().strip("()"))
            value = test.get("equals", test.get("not_equals"))
            if test["var"].startswith(_MEMORY_SCOPES) and str(value).strip().lower() in _EMPTY_VALUES:
                present.append(test["var"])
        filled = {name for other in self.bot_flows for name in getattr(_summary(other), "fills", ())} \
            if present else set()
        return next((name for name in present
                     if not any(name == f or name.startswith(f + ".") or f.startswith(name + ".") for f in filled)),
                    None)

    def entry(self, steps: list[dict]) -> list[dict]:
        """Put the start node first; what the flows that jump here did, the nodes they jump to, and the
        triggers of an NDU flow without a start node, go in a first step that branches to them."""
        start = self.doc.get("startNode")
        callers = self.callers()
        do = self.arrival(callers) + [
            {"if": {"var": "entered_at", "equals": name, "span": self.source.span(self.by_name[name])},
             "then": self.names[name], "span": self.source.span(self.by_name[name])}
            for name in self.incoming(callers)]
        timeout = self.by_name.get("timeout")  # Botpress runs a node so named when the person goes silent
        if timeout is not None and start != "timeout":
            do.append({"if": {"var": "event", "equals": "timeout", "span": self.source.span(timeout)},
                       "then": self.names["timeout"], "span": self.source.span(timeout)})
        first = [i for i, node in enumerate(self.nodes) if node["name"] == start]
        if not first:
            triggers = [i for i, node in enumerate(self.nodes) if node.get("type") == "trigger"]
            if len(triggers) > 1:
                do += [{"if": {"var": "trigger", "equals": self.trigger_label(self.nodes[i]),
                               "span": self.source.span(self.nodes[i])},
                        "then": steps[i]["name"], "span": self.source.span(self.nodes[i])}
                       for i in triggers[:-1]]
                do.append({"goto": steps[triggers[-1]]["name"], "span": self.source.span(self.nodes[triggers[-1]])})
                return [{"name": identifier("triggers", self.taken), "do": do, "span": self.source.span(self.doc)}]
            first = triggers
        if first and first[0]:
            steps.insert(0, steps.pop(first[0]))
        if do:  # falls through to the start node, now the first of the steps
            return [{"name": identifier("entry_points", self.taken), "do": do, "span": self.source.span(self.doc)}]
        return []

    @staticmethod
    def trigger_label(node: dict) -> str:
        return " and ".join(str(_dict(c).get("id")) for c in _list(node.get("conditions"))) or str(node.get("name"))

    def step(self, node: dict) -> dict:
        do: list[dict] = []
        if node.get("type") == "skill-call":
            self.skill_call(node, do)
        else:
            self.actions(node, "onEnter", do)
            content = node.get("content") or {}  # NDU say_something nodes carry their message
            if content:
                text, _ = self.form_text(_dict(content.get("formData")))
                if text:
                    do.append({"say": text, "span": self.source.span(content)})
                else:
                    self.skipped[f"{content.get('contentType')} content"] += 1
            if node.get("onReceive") is not None:
                self.waits(node, do)
                self.actions(self.catch_all, "onReceive", do)
                self.actions(node, "onReceive", do)
            self.transitions(node, do)
        return {"name": self.names[node["name"]], "do": do, "span": self.source.span(node)}

    def form_text(self, form: dict, key: str = "text") -> tuple[str | None, str | None]:
        text, language = _form_text(form, key)
        if language:
            self.languages[language] += 1
        return (_text(text), language) if text is not None else (None, None)

    def actions(self, holder: dict, key: str, do: list[dict]) -> None:
        items = holder.get(key) or []
        for index, action in enumerate(items):
            span = self.source.item_span(items, index)
            verb, _, rest = action.strip().partition(" ")
            args = _args(rest)
            if verb == "say":
                statement = self.say(rest.strip())
                if statement:
                    for reply in statement.get("replies", []):
                        reply["span"] = span  # the buttons are sent by this say
                    reference = rest.strip().partition(" ")[0]
                    do.append({**statement, "span": self.text_span(reference[2:] if reference.startswith("#!")
                                                                   else None, span)})
            elif verb == "builtin/wait":
                delay = args.get("delay")
                seconds = round(float(delay) / 1000) if str(delay).replace(".", "", 1).isdigit() else 0
                if seconds > 0:
                    do.append({"wait": f"{seconds}s", "span": span})
            elif verb == "basic-skills/send_email":
                do.append({"action": "email", "span": span})  # subject and body go to a mailbox
            elif verb == "basic-skills/call_api":
                do.append({"action": "webhook", "text": str(args.get("url") or "call_api"), "span": span})
                do += [{"set": name, "span": span} for name in _fills(verb, args)]
            elif verb.startswith("builtin/") or verb.startswith("basic-skills/"):
                filled = _fills(verb, args)
                do += [{"set": name, "span": span} for name in filled]
                if filled or verb.startswith("basic-skills/"):
                    continue  # the basic skills' other actions are their bookkeeping, modeled with the skill
                if verb == "builtin/setVariable":
                    value = args.get("value")
                    reset = value is None or str(value).strip().lower() in _EMPTY_VALUES
                    self.skipped["variable resets (setVariable to null)" if reset
                                 else "setVariable actions without a name"] += 1
                else:
                    self.skipped[f"{verb} actions"] += 1
            else:
                # Custom code: it may fill variables or call anything, like a webhook.
                do.append({"action": "webhook", "text": verb, "span": span})

    def say(self, rest: str) -> dict | None:
        """`#!builtin_text-abc {...}`: the message the content element holds; None if unknown."""
        reference, _, args = rest.partition(" ")
        if not reference.startswith("#!"):
            text = _args(args).get("text")  # an inline message: say #builtin_text {"text": ...}
            if isinstance(text, str):
                return {"say": _text(text)}
            self.skipped[f"{reference.lstrip('#') or 'empty'} messages"] += 1
            return None
        content_id = reference[2:]
        element = self.content.get(content_id)
        kind = self.content.kinds.get(content_id, "")
        if element is None:
            if self.content.found:
                self.skipped["unresolved content"] += 1
            else:  # a bot without any content elements gets one notice for all of it
                self.without_content = True
            return None
        form = _dict(element.get("formData"))
        text, _ = self.form_text(form)
        if kind == "builtin_single-choice":
            choices = _choices(form)
            return {"ask": text or "", "replies": [{"label": label} for label, _ in choices]}
        if text is None or kind != "builtin_text":
            self.skipped[f"{kind} messages"] += 1
            return None
        return {"say": text}

    def waits(self, node: dict, do: list[dict]) -> None:
        """The node waits for the person: its last message is the question."""
        span = self.source.span(node, "onReceive")
        if do and "say" in do[-1]:
            said = do.pop()
            do.append({"ask": said["say"], "span": said["span"]})
        elif not (do and "ask" in do[-1]):
            do.append({"wait_for_reply": None, "span": span})
        answer = self.answer_tested(node)
        if answer and "ask" in do[-1]:
            do[-1]["capture"] = answer  # the transitions after the wait route on the person's answer
        for trigger in self.triggers:  # NDU: any message can fire a trigger node
            if trigger is not node:
                test = {"var": "trigger", "equals": self.trigger_label(trigger), "span": self.source.span(trigger)}
                do.append({"if": test, "then": self.names[trigger["name"]], "span": self.source.span(trigger)})

    def answer_tested(self, node: dict) -> str | None:
        """The field of the person's message (event.nlu.intent.name, event.payload.text) that the
        transitions after a wait test first, named as a capture: the answer they route on."""
        for transition in _list(self.catch_all.get("next")) + _list(node.get("next")):
            test = str(transition.get("condition") or "").strip()
            var = condition(test)["var"] if test not in ALWAYS else None
            if var and var.startswith("event_"):  # memory is dotted (user.x), the event's fields are not
                return var
        return None

    def transitions(self, node: dict, do: list[dict]) -> None:
        for transition in self.catch_all.get("next") or []:
            if transition["node"] != node["name"]:  # Botpress skips a catch-all to the node itself
                self.transition(transition, do, conditional=True)
        for transition in node.get("next") or []:
            if self.transition(transition, do):
                return
        do.append({"end": True, "span": self.source.span(node, "next") if "next" in node else self.source.span(node)})

    def transition(self, transition: dict, do: list[dict], conditional: bool = False) -> bool:
        """Adds one transition; True if it always applies (nothing after it runs)."""
        test = str(transition.get("condition") or "").strip()
        if test in ALWAYS and not conditional:
            do.append(self.jump(transition["node"], transition))
            return True
        do.append({"if": {**condition(test or "true"), "span": self.source.span(transition)},
                   "then": self.step_for(transition["node"], transition), "span": self.source.span(transition)})
        return False

    # --- skills ---
    def skill_data(self, node: dict) -> dict:
        """The skillData of the skill flow a skill-call node runs ({} if it cannot be read)."""
        if not node.get("flow"):
            return {}
        skill_file = self.inside(node["flow"])
        if skill_file is None or not skill_file.is_file():
            self.missing.append({"kind": "skill", "name": str(node["flow"]), "span": self.source.span(node, "flow")})
            return {}
        try:
            return _dict(_dict(read_json(skill_file, self.display_of(skill_file)).data).get("skillData"))
        except FlowSyntaxError:
            self.skipped["unreadable skill flows (reported with that file)"] += 1
            return {}

    def skill_call(self, node: dict, do: list[dict]) -> None:
        skill = self.skill_data(node)
        kind = str(node.get("skill") or "")
        span = self.source.span(node)
        if kind == "choice":
            self.choice(node, skill, do)
            return
        if kind.lower() == "slot":
            text = self.content_text(skill.get("contentElement"))
            ask: dict[str, Any] = {"ask": text or "", "span": span}
            slot = skill.get("slotName")
            if isinstance(slot, str) and slot:
                ask.update(capture=_var(slot), expect="text")
                do += [ask, {"set": variable(f"session.slots.{slot}"), "span": span},
                       {"set": variable(f"session.slots.{slot}.value"), "span": span}]
            else:
                do.append(ask)
        elif kind.lower() == "callapi":
            do.append({"action": "webhook", "text": str(skill.get("url") or "CallAPI"), "span": span})
            if isinstance(skill.get("variable"), str) and skill["variable"]:
                do.append({"set": variable(f"{skill.get('memory') or 'temp'}.{skill['variable']}"), "span": span})
        elif "email" in kind.lower() or "subjectElement" in skill:
            # The subject and body go to a mailbox: they are not chat messages.
            do.append({"action": "email", "span": span})
        else:
            self.skipped[f"'{kind or 'unnamed'}' skill calls"] += 1
        self.transitions(node, do)

    def text_span(self, content_id: Any, span: dict) -> dict:
        """Where the text of a content element is sent: at its first use in this flow. One element sent
        from several nodes is one text, written once (in the element), which a person edits in one
        place: the same span tells the rules so (BL107 skips a text written once)."""
        if not isinstance(content_id, str) or content_id not in self.content.elements:
            return span
        return self.first_use.setdefault(content_id, span)

    def content_text(self, content_id: Any) -> str | None:
        element = self.content.get(str(content_id or ""))
        return self.form_text(_dict(_dict(element).get("formData")))[0]

    def choice(self, node: dict, skill: dict, do: list[dict]) -> None:
        """A choice skill: the question, each button routed by the transition that tests its value."""
        element = self.content.get(str(skill.get("contentId") or ""))
        form = _dict(_dict(element).get("formData"))
        text, _ = self.form_text(form)
        if element is None:
            self.skipped["unresolved choice questions"] += 1
        routes: dict[str, dict] = {}
        fallback = None
        for transition in node.get("next") or []:
            test = str(transition.get("condition") or "").strip()
            compared = _compared_literal(test)
            if test in ALWAYS:
                fallback = fallback or transition
            elif compared is not None:
                routes.setdefault(compared, transition)
        replies = []
        for label, value in _choices(form) or [(value, value) for value in routes]:
            reply: dict[str, Any] = {"label": label, "span": self.source.span(routes.get(value, node))}
            if value in routes:
                reply["goto"] = self.step_for(routes[value]["node"], routes[value])
            replies.append(reply)
        span = self.text_span(skill.get("contentId"), self.source.span(node))
        ask: dict[str, Any] = {"ask": text or "", "replies": replies, "span": span}
        gave_up = self.step_for(fallback["node"], fallback) if fallback is not None else None
        otherwise = self.retry(node, self.names[node["name"]], skill, ask, gave_up)
        if otherwise:
            ask["otherwise"] = otherwise
        do.append(ask)

    def retry(self, node: dict, asked: str, skill: dict, ask: dict, gave_up: str | None) -> str | None:
        """The skill's answer to an answer that matches no choice (Botpress's `sorry` node): its
        invalid-answer message, the same question again when it repeats it, until the retries run out
        (then `gave_up`, or the end when no transition applies: None). Returns the retry step; a skill
        that neither says sorry nor repeats waits again in silence, which the person cannot tell from
        no answer at all: then the unmatched answer goes to `gave_up` (None: nowhere)."""
        span = self.source.span(node)
        config = _dict(skill.get("config"))
        sorry = self.content_text(skill.get("invalidContentId"))
        repeat = str(config.get("repeatChoicesOnInvalid", True)).lower() not in ("false", "0", "no", "")
        if not sorry and not repeat:
            return gave_up
        retries = config.get("nbMaxRetries")
        suffix = f"-{skill['randomId']}" if skill.get("randomId") else ""
        limit = f"Number(temp['skill-choice-invalid-count{suffix}']) > Number({retries if retries is not None else 3})"
        name = identifier(f"{asked}_retry", self.taken)
        do: list[dict] = [{"if": {**condition(limit), "span": span}, "then": gave_up or self.step_for("", node),
                           "span": span}]
        said_at = self.text_span(skill.get("invalidContentId"), span)
        if sorry and not repeat:  # the invalid-answer message is what the person answers now
            do.append({**copy.deepcopy(ask), "ask": sorry, "otherwise": name, "span": said_at})
        else:
            if sorry:
                do.append({"say": sorry, "span": said_at})
            do.append({"goto": asked, "span": span})  # the same question, asked again
        self.extra.append({"name": name, "do": do, "span": span})
        return name

    def choice_skill_flow(self, skill: dict) -> list[dict]:
        """A choice skill's own flow: Botpress generates its nodes from `skillData`, which says what
        they do: ask, take a valid choice back to the caller, retry on anything else."""
        entry = self.by_name.get("entry") or {}
        say = next((i for i, action in enumerate(entry.get("onEnter") or []) if action.startswith("say ")), None)
        span = self.source.item_span(entry["onEnter"], say) if say is not None else self.source.span(entry or self.doc)
        element = self.content.get(str(skill.get("contentId") or ""))
        if element is None:
            self.skipped["unresolved choice questions"] += 1
        form = _dict(_dict(element).get("formData"))
        text, _ = self.form_text(form)
        back = self.step_for("#", entry or self.doc)
        span = self.text_span(skill.get("contentId"), span)
        ask: dict[str, Any] = {"ask": text or "", "span": span, "replies": [
            {"label": label, "goto": back, "span": span} for label, _ in _choices(form)]}
        asked = self.names.get("entry") or identifier("entry", self.taken)
        sorry_node = self.by_name.get("sorry") or self.by_name.get("invalid") or entry or self.doc
        ask["otherwise"] = self.retry(sorry_node, asked, skill, ask, back)  # out of retries: back to the caller
        return [{"name": asked, "do": [ask], "span": self.source.span(entry or self.doc)}]


def _args(text: str) -> dict:
    try:
        value = json.loads(text) if text.strip() else {}
    except (ValueError, RecursionError):  # an argument string nested thousands deep
        return {}
    return value if isinstance(value, dict) else {}


def _compared_literal(test: str) -> str | None:
    """The quoted text a condition ends by comparing with (`event.payload.text == "Yes"` -> Yes), as
    `==\\s*(['"])(.*)\\1\\s*$` finds it, in linear time: that search backtracks over the whole
    rest of the condition from every `==` in it."""
    end = len(test.rstrip())
    if end < 2 or test[end - 1] not in "'\"":
        return None
    quote = test[end - 1]
    line_start = test.rfind("\n", 0, end - 1)  # the text between the quotes holds no line break
    at = test.find("==")
    while 0 <= at < end:
        opening = at + 2
        while opening < end and test[opening].isspace():
            opening += 1
        if opening < end - 1 and test[opening] == quote and opening > line_start:
            return test[opening + 1:end - 1]
        at = test.find("==", at + 1)
    return None


def _choices(form: dict) -> list[tuple[str, str]]:
    """(title, value) of a single-choice element's buttons, English first."""
    choices = form.get("choices$en")
    if not isinstance(choices, list):
        choices = next((v for k, v in form.items() if k.startswith("choices$") and isinstance(v, list)), [])
    return [(_text(str(c.get("title") or c.get("value") or "")), str(c.get("value") or c.get("title") or ""))
            for c in choices if isinstance(c, dict)]


def load(path: Path, display: str) -> ImportResult:
    def display_of(other: Path) -> str:
        """Another file of the bot, named the way this one was (relative or absolute)."""
        return os.path.normpath(os.path.join(os.path.dirname(display), os.path.relpath(other, path.parent)))

    result, reader = import_json_file(path, display, "botpress",
                                      lambda source, result: _Flow(source, path, result, display_of))
    if reader is None:
        return result
    for kind, count in sorted(reader.skipped.items()):
        result.notices.append(f"botpress: skipped {count} {kind} in {display}")
    if reader.without_content:  # the same words from every flow of the bot: said once
        where = os.path.dirname(display_of(reader.flows_dir / MAIN)) or "."
        result.notices.append(f"botpress: the bot in {where} has no content elements (no content-elements folder "
                              "beside its flows folder, no content files beside its flows): its messages are skipped")
    return result


def also_reads(path: Path) -> list[Path]:
    """The bot's other flows and its content, which a flow's import reads."""
    flows = _flows_dir(path)
    return [flows, flows.parent / "content-elements"]


IMPORTER = Importer(
    name="botpress",
    description="Botpress v12 flow (flows/*.flow.json, texts from content-elements/)",
    load=load,
    claims_file=claims_file,
    also_reads=also_reads,
    refuses=needs_file("a Botpress flow", "a flows/*.flow.json file"),
    project_folder=lambda path: _flows_dir(path).parent,  # the bot: its flows and content-elements
)
