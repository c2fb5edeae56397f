"""Botpress v12 flows (`flows/**/*.flow.json`): each file is one flow, each node a step.

How Botpress runs a node: its `onEnter` actions in order (`say #!<content id>` sends a
message), then, if `onReceive` is not null, it waits for the person, then the first
`next` transition whose condition holds moves on: to a node of this flow, to another
flow (`x.flow.json`), back to the calling flow (`#`) or to the end (`END`). When no
transition holds, the dialog ends. `catchAll.next` transitions apply to every message
the flow receives.

Mapping:
* messages: the text lives in the bot's `content-elements/builtin_text.json` (the bot
  folder is the parent of `flows/`), `formData.text$en` or else the first `text$xx`;
  `variations` are ignored (the first text stands for all). Spans point at the `say`
  in the flow file, where the message is sent (one unit, one file).
* a waiting node: its last message becomes the question (`ask`), or a
  `wait_for_reply` when it sends none. A single-choice message is an ask with replies.
* a `choice` skill call: the skill's question and buttons (from its skill flow and the
  content elements), each button routed by the transition that tests its value, the
  catch-all transition ("On failure") as `otherwise`. Other skills (Slot): a question
  capturing the slot, then the transitions.
* transitions: `true` -> goto; other conditions -> if, read as `var == "value"` when
  they compare one variable with a literal, else kept as an opaque
  `condition == "<the JavaScript>"`. A transition that leaves the flow (another
  flow, `#`, `END`) ends this one; under a condition it goes to a small step that
  ends (`to_<flow>`, `return_to_caller`, `end_of_conversation`).
* NDU flows without a start node start at their trigger nodes.
Skipped with one notice per kind: images, cards and other non-text content, content
that cannot be resolved. Custom actions become `action webhook` (code that may fill variables);
`builtin/setVariable` becomes `set <type>.<name>`. Other built-in actions (contexts) are
skipped quietly. A referenced flow or skill file that is missing is an error.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

from linter.errors import FlowSyntaxError
from linter.parse.importers import Importer, ImportResult, read_head
from linter.parse.importers._source import SourceFile, identifier, import_json_file, read_json

SUFFIX = ".flow.json"
ALWAYS = {"true", "always", ""}
_PATH = r"[A-Za-z_$][\w$]*(?:\.[\w$]+|\[['\"]?[\w$-]+['\"]?\])*"
_LITERAL = r"'[^']*'|\"[^\"]*\"|[\w.-]+"
_COMPARISON = re.compile(rf"\s*({_PATH})\s*(!==|===|!=|==)\s*({_LITERAL})\s*")
_MUSTACHE = re.compile(r"\{\{\{?\s*([^{}]+?)\s*\}?\}\}")


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


def _text(text: str) -> str:
    """Mustache variables as placeholders: {{user.first_name}} -> {user.first_name}."""
    return _MUSTACHE.sub(lambda m: "{" + re.sub(r"[^A-Za-z0-9_.]+", "_", m[1]).strip("_.") + "}", text)


def _var(path: str) -> str:
    """A JavaScript path as a variable name: temp['skill-choice-ret'] -> temp_skill_choice_ret."""
    name = re.sub(r"[^A-Za-z0-9_]+", "_", path).strip("_") or "condition"
    return name if re.match(r"[A-Za-z_]", name) else f"v_{name}"


def condition(text: str) -> dict[str, Any]:
    """A transition condition, approximately (see the module docstring)."""
    match = _COMPARISON.fullmatch(text)
    if match:
        value = match[3][1:-1] if match[3][:1] in "'\"" else match[3]
        return {"var": _var(match[1]), ("not_equals" if match[2].startswith("!") else "equals"): value}
    return {"var": "condition", "equals": text.strip()}


class _Content:
    """The content elements of one bot (every content-elements/*.json), by id."""

    def __init__(self, bot_dir: Path, result: ImportResult, display_of, report: bool) -> None:
        self.elements: dict[str, dict] = {}
        self.kinds: dict[str, str] = {}  # content id -> its file's name: builtin_text, builtin_image...
        folder = bot_dir / "content-elements"
        self.found = folder.is_dir()
        for path in sorted(folder.glob("*.json")) if self.found else []:
            try:
                source = read_json(path, display_of(path))
            except FlowSyntaxError as error:
                # Every flow of the bot reads these files: the bot's first flow reports a broken one,
                # the others say so in a notice (said once), so the error is not repeated per flow.
                if report:
                    result.errors.append(error)
                else:
                    result.notices.append(f"botpress: {error.path} could not be read (see its error)")
                continue
            for element in _list(source.data):
                if isinstance(element, dict) and isinstance(element.get("id"), str):
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
        self.doc = _dict(source.data)
        self.flows_dir = _flows_dir(path)
        first = min(self.flows_dir.rglob("*" + SUFFIX), default=path)
        self.content = _Content(self.flows_dir.parent, result, display_of, report=first == path)
        self.skipped: Counter[str] = Counter()
        self.languages: Counter[str] = Counter()
        self.nodes = [node for node in _list(self.doc.get("nodes")) if isinstance(node, dict)]
        taken: set[str] = set()
        self.names = {str(node.get("name")): identifier(str(node.get("name") or "node"), taken) for node in self.nodes}
        self.taken = taken
        self.triggers = [node for node in self.nodes if node.get("type") == "trigger"]
        self.exits: dict[str, dict] = {}  # synthetic steps that end the flow, by name

    # --- targets ---
    def leaves(self, target: str) -> bool:
        """Whether a transition target is outside this flow ("" is a transition left unconnected: the end)."""
        return target not in self.names and (target.endswith(SUFFIX) or target.startswith("#") or target in ("END", ""))

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

    def check_flow(self, target: str, node: Any) -> None:
        """A transition to another flow names a file that must exist."""
        found = self.inside(target) if target.endswith(SUFFIX) else None
        if target.endswith(SUFFIX) and not (found and found.is_file()):
            span = self.source.span(node)
            self.result.errors.append(FlowSyntaxError(f"botpress: transition to a missing flow '{target}'",
                                                      self.source.display, span["line"], span["col"]))

    def step_for(self, target: str, node: Any) -> str:
        """The step a conditional transition or a button goes to."""
        if target in self.names:
            return self.names[target]
        if not self.leaves(target):
            return identifier(target, set())  # unknown node: the name stays, BL001 reports it
        self.check_flow(target, node)
        label = ("return_to_caller" if target.startswith("#") else "end_of_conversation" if target in ("END", "")
                 else "to_" + target.removesuffix(SUFFIX))
        if label not in self.exits:
            name = identifier(label, self.taken)
            self.exits[label] = {"name": name, "do": [{"end": True, "span": self.source.span(node)}],
                                 "span": self.source.span(node)}
        return self.exits[label]["name"]

    def jump(self, target: str, node: Any) -> dict:
        """An unconditional transition: a goto, or the end of this flow."""
        if self.leaves(target):
            self.check_flow(target, node)
            return {"end": True, "span": self.source.span(node)}
        return {"goto": self.step_for(target, node), "span": self.source.span(node)}

    # --- the flow ---
    def flow(self) -> dict[str, Any]:
        steps = [self.step(node) for node in self.nodes]
        entry = self.entry(steps)
        relative = self.path.relative_to(self.flows_dir) if self.path.is_relative_to(self.flows_dir) else self.path
        name = str(relative.as_posix()).removesuffix(SUFFIX)
        language = self.languages.most_common(1)[0][0] if self.languages else None
        flow = {"kind": "flow", "name": identifier(name, set()), "title": str(self.doc.get("label") or name),
                "trigger": {"kind": "message", "span": self.source.span(self.doc)},
                "steps": entry + steps + list(self.exits.values()), "span": self.source.span(self.doc)}
        if isinstance(self.doc.get("description"), str):
            flow["description"] = self.doc["description"]
        if language:
            flow["language"] = language
        return flow

    def entry(self, steps: list[dict]) -> list[dict]:
        """Put the start node first; an NDU flow with several triggers gets a step that branches to them."""
        start = self.doc.get("startNode")
        first = [i for i, node in enumerate(self.nodes) if node.get("name") == start]
        if not first:
            triggers = [i for i, node in enumerate(self.nodes) if node.get("type") == "trigger"]
            if len(triggers) > 1:
                do = [{"if": {"var": "trigger", "equals": self.trigger_label(self.nodes[i]),
                              "span": self.source.span(self.nodes[i])},
                       "then": steps[i]["name"], "span": self.source.span(self.nodes[i])}
                      for i in triggers[:-1]]
                do.append({"goto": steps[triggers[-1]]["name"], "span": self.source.span(self.nodes[triggers[-1]])})
                return [{"name": identifier("triggers", self.taken), "do": do, "span": self.source.span(self.doc)}]
            first = triggers
        if first and first[0]:
            steps.insert(0, steps.pop(first[0]))
        return []

    @staticmethod
    def trigger_label(node: dict) -> str:
        return " and ".join(str(_dict(c).get("id")) for c in _list(node.get("conditions"))) or str(node.get("name"))

    def step(self, node: dict) -> dict:
        do: list[dict] = []
        if node.get("type") == "skill-call":
            self.skill_call(node, do)
        else:
            self.actions(node, do)
            content = _dict(node.get("content"))  # NDU say_something nodes carry their message
            if content:
                text, _ = self.form_text(_dict(content.get("formData")))
                if text:
                    do.append({"say": text, "span": self.source.span(content)})
                else:
                    self.skipped[f"{content.get('contentType')} content"] += 1
            if node.get("onReceive") is not None:
                self.waits(node, do)
            self.transitions(node, do)
        return {"name": self.names[str(node.get("name"))], "do": do, "span": self.source.span(node)}

    def form_text(self, form: dict, key: str = "text") -> tuple[str | None, str | None]:
        text, language = _form_text(form, key)
        if language:
            self.languages[language] += 1
        return (_text(text), language) if text is not None else (None, None)

    def actions(self, node: dict, do: list[dict]) -> None:
        on_enter = _list(node.get("onEnter"))
        for index, action in enumerate(on_enter):
            if not isinstance(action, str):
                continue
            span = self.source.item_span(on_enter, index)
            verb, _, rest = action.strip().partition(" ")
            if verb == "say":
                statement = self.say(rest.strip())
                if statement:
                    for reply in statement.get("replies", []):
                        reply["span"] = span  # the buttons are sent by this say
                    do.append({**statement, "span": span})
            elif verb == "builtin/wait":
                delay = _args(rest).get("delay")
                seconds = round(float(delay) / 1000) if str(delay).replace(".", "", 1).isdigit() else 0
                if seconds > 0:
                    do.append({"wait": f"{seconds}s", "span": span})
            elif verb.startswith("builtin/set"):
                variable = _args(rest).get("name")
                scope = _args(rest).get("type")
                if isinstance(variable, str) and isinstance(scope, str):
                    do.append({"set": f"{scope}.{variable}", "span": span})
            elif not verb.startswith(("builtin/", "basic-skills/")):
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
            where = "" if self.content.found else " (no content-elements folder)"
            self.skipped[f"unresolved content{where}"] += 1
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
        for transition in _list(_dict(self.doc.get("catchAll")).get("next")):
            self.transition(transition, do, catch_all=True)
        for trigger in self.triggers:  # NDU: any message can fire a trigger node
            if trigger is not node:
                test = {"var": "trigger", "equals": self.trigger_label(trigger), "span": self.source.span(trigger)}
                do.append({"if": test, "then": self.names[str(trigger.get("name"))],
                           "span": self.source.span(trigger)})

    def transitions(self, node: dict, do: list[dict]) -> None:
        for transition in _list(node.get("next")):
            if self.transition(transition, do):
                return
        do.append({"end": True, "span": self.source.span(node, "next") if "next" in node else self.source.span(node)})

    def transition(self, transition: Any, do: list[dict], catch_all: bool = False) -> bool:
        """Adds one transition; True if it always applies (nothing after it runs)."""
        if not isinstance(transition, dict) or not isinstance(transition.get("node"), str):
            return False
        test = str(transition.get("condition") or "").strip()
        if test in ALWAYS and not catch_all:
            do.append(self.jump(transition["node"], transition))
            return True
        do.append({"if": {**condition(test or "true"), "span": self.source.span(transition)},
                   "then": self.step_for(transition["node"], transition), "span": self.source.span(transition)})
        return False

    # --- skills ---
    def skill_call(self, node: dict, do: list[dict]) -> None:
        skill_file = self.inside(str(node.get("flow") or ""))
        skill = {}
        if node.get("flow") and skill_file is not None and skill_file.is_file():
            try:
                skill = _dict(_dict(read_json(skill_file, self.display_of(skill_file)).data).get("skillData"))
            except FlowSyntaxError:
                self.skipped["unreadable skill flows (reported with that file)"] += 1
        elif node.get("flow"):
            span = self.source.span(node, "flow")
            self.result.errors.append(FlowSyntaxError(f"botpress: skill flow '{node.get('flow')}' is missing",
                                                      self.source.display, span["line"], span["col"]))
        span = self.source.span(node)
        if node.get("skill") == "choice":
            self.choice(node, skill, do)
            return
        prompt = self.content.get(str(skill.get("contentElement") or skill.get("contentId") or ""))
        text, _ = self.form_text(_dict(_dict(prompt).get("formData")))
        ask: dict[str, Any] = {"ask": text or "", "span": span}
        if isinstance(skill.get("slotName"), str):
            ask.update(capture=_var(skill["slotName"]), expect="text")
        do.append(ask)
        self.transitions(node, do)

    def choice(self, node: dict, skill: dict, do: list[dict]) -> None:
        """A choice skill: the question, each button routed by the transition that tests its value."""
        element = self.content.get(str(skill.get("contentId") or ""))
        form = _dict(_dict(element).get("formData"))
        text, _ = self.form_text(form)
        if element is None:
            self.skipped["unresolved choice questions"] += 1
        routes: dict[str, dict] = {}
        fallback = None
        for transition in _list(node.get("next")):
            if not isinstance(transition, dict) or not isinstance(transition.get("node"), str):
                continue
            test = str(transition.get("condition") or "").strip()
            match = re.search(r"==\s*(['\"])(.*)\1\s*$", test)
            if test in ALWAYS:
                fallback = fallback or transition
            elif match:
                routes.setdefault(match[2], transition)
        replies = []
        for label, value in _choices(form) or [(value, value) for value in routes]:
            reply: dict[str, Any] = {"label": label, "span": self.source.span(routes.get(value, node))}
            if value in routes:
                reply["goto"] = self.step_for(routes[value]["node"], routes[value])
            replies.append(reply)
        ask: dict[str, Any] = {"ask": text or "", "replies": replies, "span": self.source.span(node)}
        if fallback is not None:
            ask["otherwise"] = self.step_for(fallback["node"], fallback)
        variable = _dict(skill.get("config")).get("variableName")
        routed = fallback is not None or any("goto" in reply for reply in replies)
        if isinstance(variable, str) and variable and not routed:
            ask.update(capture=_var(variable), expect="text")  # stored, and nothing routes: a capture
        do.append(ask)
        if not routed:
            do.append({"end": True, "span": self.source.span(node)})


def _args(text: str) -> dict:
    try:
        value = json.loads(text) if text.strip() else {}
    except (ValueError, RecursionError):  # an argument string nested thousands deep
        return {}
    return value if isinstance(value, dict) else {}


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
    return result


IMPORTER = Importer(
    name="botpress",
    description="Botpress v12 flow (flows/*.flow.json, texts from content-elements/)",
    load=load,
    claims_file=claims_file,
)
