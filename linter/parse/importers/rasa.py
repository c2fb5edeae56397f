"""Rasa projects: a folder with a domain (domain.yml or domain/) and training data (data/).

What becomes what:
- every story and rule (Rasa 2.x/3.x YAML) and every CALM flow (Rasa Pro `flows:`) is a Flow,
  started by the person (trigger `message`, the first intent as its value); the language comes
  from config.yml. Channel, audience and send window are not in the format and stay unset.
- a story's user turns (`intent`, `or`, e2e `user`) start steps named after the intent; before
  each, the bot waits for the person (`wait_for_reply`: Rasa's NLU reads every answer, so it is
  no free-text question for a person), or, when the answer fills a slot, the text before asks
  and captures it. Response buttons are options: the one the story follows goes to its turn's
  step; the story is one example, so other buttons and answers go to a step that ends it ("other
  stories handle it"), except a button whose intent no story or rule handles, which has no goto.
- `action: utter_x` sends the response's first variation; a form (`action: some_form`) asks one
  question per required slot and captures it; handoff/human/agent actions and
  `pattern_human_handoff` hand over; other custom actions are webhook calls; a story ends with
  `end`, because a Rasa conversation that runs out of story just listens (it is not a dead end).
- CALM steps map one to one: `collect` asks and captures, `next` becomes goto, `if/then/else`
  branches and `END` ends; `link` leaves the flow.

Where findings point: the text of a message is the response in the domain (or data file) that
defines it, because that is the line to fix and one `# botlint: disable` there covers every story
that sends it; structure (steps, waits, gotos, the end) points into the story, rule or flow file.
NLU training data (`nlu:`) is not conversation flow and is skipped without a word.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.errors import BotlintError
from linter.parse.importers import Importer, ImportResult, read_head
from linter.parse.importers._source import FlowSyntaxError, SourceFile, identifier, read_yaml
from linter.parse.source import read_bytes

_YAML = (".yml", ".yaml")
# Top-level keys only a Rasa domain has (a bare `version:` is in many YAML files).
_DOMAIN_KEY = re.compile(r"^(?:intents|responses|templates|slots|actions|forms|session_config|entities)\s*:", re.M)
# Data files that hold conversation flow or bot texts; the rest (nlu, lookups, synonyms) is not read.
_FLOW_KEY = re.compile(r"^(?:stories|rules|flows|responses)\s*:", re.M)
_PAYLOAD_INTENT = re.compile(r"^/([^\s{(]+)")
_URL = re.compile(r"^https?://", re.I)
_HANDOFF_WORDS = {"handoff", "human", "agent"}
# Built-in actions that are bookkeeping, not something the person notices.
_SILENT_ACTIONS = {"action_listen", "action_session_start", "action_deactivate_loop", "action_back",
                   "action_unlikely_intent", "action_extract_slots"}
_USER_TURN = ("intent", "or", "user")
# Intents Rasa itself answers (`/restart`...), and CALM's button command.
_BUILTIN_INTENTS = {"restart", "back", "session_start", "SetSlots"}


def claims_folder(folder: Path) -> bool:
    """A domain (file or folder) that reads like Rasa, plus data/ or config.yml: only cheap checks."""
    if not ((folder / "data").is_dir() or (folder / "config.yml").is_file()):
        return False
    for name in ("domain.yml", "domain.yaml"):
        if (folder / name).is_file():
            return bool(_DOMAIN_KEY.search(read_head(folder / name)))
    domain = folder / "domain"
    return domain.is_dir() and any(path.suffix in _YAML and _DOMAIN_KEY.search(read_head(path))
                                   for path in sorted(domain.rglob("*"))[:20])


@dataclass
class _Response:
    source: SourceFile
    variant: dict  # the first variation: the one we lint


@dataclass
class _Project:
    folder: Path
    display: str
    result: ImportResult
    responses: dict[str, _Response] = field(default_factory=dict)
    forms: dict[str, list[str]] = field(default_factory=dict)
    actions: set[str] = field(default_factory=set)
    responses_known: bool = True  # False: a file that may define responses is broken: no "undefined" errors
    language: str | None = None
    skipped: dict[str, tuple[set, set[str]]] = field(default_factory=dict)  # notice kind -> (what, files)
    flow_names: set[str] = field(default_factory=set)
    intents: set[str] = field(default_factory=lambda: set(_BUILTIN_INTENTS))  # intents some turn handles
    _retrieval: dict[str, _Response] | None = None

    def shown(self, path: Path) -> str:
        return os.path.normpath(os.path.join(self.display, os.path.relpath(path, self.folder)))

    def read(self, path: Path) -> SourceFile | None:
        """A YAML file with positions; a broken one is an error and None, the others still load."""
        self.result.files += 1
        try:
            source = read_yaml(path, self.shown(path))
        except BotlintError as exc:
            self.result.errors.append(exc if isinstance(exc, FlowSyntaxError)
                                      else FlowSyntaxError(exc.message, exc.path, exc.line, exc.col))
            return None
        self.result.comments.extend(source.comments)
        return source

    def skip(self, kind: str, shown: str, what: Any = None) -> None:
        """Count a skipped element (each `what` once); one notice per kind says how many and where."""
        items, files = self.skipped.setdefault(kind, (set(), set()))
        items.add(what if what is not None else (shown, len(items)))
        files.add(shown)

    def error(self, message: str, source: SourceFile, node: Any, key: str | None = None) -> None:
        span = source.span(node, key)
        self.result.errors.append(FlowSyntaxError(message, source.display, span["line"], span["col"]))

    def handles(self, intent: str) -> bool:
        return intent in self.intents or intent.split("/")[0] in self.intents

    def response(self, name: str) -> _Response | None:
        found = self.responses.get(name)
        if found is None and "/" not in name:
            # A retrieval action (utter_faq) answers with one of utter_faq/<question>: lint the first.
            if self._retrieval is None:
                self._retrieval = {}
                for key, response in self.responses.items():
                    self._retrieval.setdefault(key.split("/")[0], response)
            found = self._retrieval.get(name)
        return found


def load(path: Path, display: str) -> ImportResult:
    project = _Project(path, display, ImportResult(data={"flows": []}, files=0))
    _read_config(project)
    for domain in _domain_files(path):
        source = project.read(domain)
        if source is None:
            project.responses_known = False
        elif isinstance(source.data, dict):
            _read_domain(project, source)
    sources = []
    for file in _data_files(project):
        source = project.read(file)
        if source is None:
            project.responses_known = False
        else:
            sources.append(source)
    for source in sources:  # responses first: stories in any file may send them
        if isinstance(source.data, dict):
            _read_responses(project, source, source.data.get("responses"))
    for source in sources:
        project.intents.update(_turn_intents(source.data))
    for source in sources:
        _read_data(project, source)
    project.result.notices.extend(_notices(project))
    return project.result


# --- the files of a project -------------------------------------------------------------

def _domain_files(folder: Path) -> list[Path]:
    for name in ("domain.yml", "domain.yaml"):
        if (folder / name).is_file():
            return [folder / name]
    return sorted(p for p in (folder / "domain").rglob("*") if p.suffix in _YAML and p.is_file())


def _data_files(project: _Project) -> list[Path]:
    """Data files with stories, rules, flows or responses; NLU-only files are skipped unread."""
    data = project.folder / "data"
    files = sorted(p for p in data.rglob("*") if p.is_file()) if data.is_dir() else []
    found = []
    for path in files:
        if path.suffix == ".md" and re.search(r"^##\s", read_head(path), re.M):
            project.skip("markdown", project.shown(path))
        elif path.suffix in _YAML:
            try:
                flow_data = bool(_FLOW_KEY.search(read_bytes(path, str(path)).decode("utf-8", errors="replace")))
            except FlowSyntaxError:
                flow_data = True  # reading it again reports the problem (unreadable, too large) with its path
            if flow_data:
                found.append(path)
            else:
                project.result.files += 1  # training data: read, nothing to lint
    return found


def _read_config(project: _Project) -> None:
    config = project.folder / "config.yml"
    if config.is_file():
        source = project.read(config)
        if source is not None and isinstance(source.data, dict) and isinstance(source.data.get("language"), str):
            project.language = source.data["language"]


def _read_domain(project: _Project, source: SourceFile) -> None:
    data = source.data
    for key in ("responses", "templates"):  # `templates` is the Rasa 1.x name
        _read_responses(project, source, data.get(key))
    for action in data.get("actions") or []:
        if isinstance(action, str):
            project.actions.add(action)
        elif isinstance(action, dict):  # Rasa 3: `- action_x: {send_domain: true}`
            project.actions.update(str(name) for name in action)
    forms = data.get("forms")
    if isinstance(forms, dict):
        for name, form in forms.items():
            project.forms[str(name)] = _form_slots(form)


def _form_slots(form: Any) -> list[str]:
    """Required slots: a list (Rasa 3), a mapping of slot -> mappings (Rasa 2), or the old bare mapping."""
    if not isinstance(form, dict):
        return []
    slots = form.get("required_slots", form if "required_slots" not in form else None)
    if isinstance(slots, dict):
        return [str(slot) for slot in slots if slot not in ("ignored_intents",)]
    return [str(slot) for slot in slots] if isinstance(slots, list) else []


def _read_responses(project: _Project, source: SourceFile, responses: Any) -> None:
    if not isinstance(responses, dict):
        return
    for name, variants in responses.items():
        if isinstance(variants, list) and variants and isinstance(variants[0], dict):
            project.responses.setdefault(str(name), _Response(source, variants[0]))


def _read_data(project: _Project, source: SourceFile) -> None:
    data = source.data
    if not isinstance(data, dict):
        project.error("expected a mapping with stories, rules, flows or responses", source, data)
        return
    for key in ("stories", "rules"):
        items = data.get(key)
        if items is None:
            continue
        if not isinstance(items, list):
            project.error(f"'{key}' should be a list", source, data, key)
            continue
        for item in items:
            if isinstance(item, dict):
                kind = "story" if key == "stories" else "rule"
                _guarded(project, source, item, lambda: _Story(project, source, item, kind).build())
    flows = data.get("flows")
    if isinstance(flows, dict):
        for flow_id, flow in flows.items():
            if isinstance(flow, dict):
                _guarded(project, source, flow, lambda: _CalmFlow(project, source, str(flow_id), flow).build())
    elif flows is not None:
        project.error("'flows' should be a mapping of flow ids to flows", source, data, "flows")


def _turn_intents(data: Any):
    """Every intent a story or rule turn, or a CALM flow's nlu_trigger, handles in one data file."""
    if not isinstance(data, dict):
        return
    for key in ("stories", "rules"):
        items = data.get(key)
        for item in items if isinstance(items, list) else []:
            events = item.get("steps") if isinstance(item, dict) else None
            for event in events if isinstance(events, list) else []:
                if isinstance(event, dict):
                    yield from _intents(event)
    flows = data.get("flows")
    for flow in flows.values() if isinstance(flows, dict) else []:
        if isinstance(flow, dict):
            intent = _trigger_intent(flow)
            if intent:
                yield intent


def _guarded(project: _Project, source: SourceFile, node: dict, build) -> None:
    """Build one story or flow; an unexpected shape in it is an error there, not the end of the import."""
    try:
        flow = build()
    except Exception as exc:  # noqa: BLE001 - any surprise in one story must not stop the others
        project.error(f"could not import this part: {exc}", source, node)
        return
    if flow is not None:
        project.result.data["flows"].append(flow)


_NOTICES = {
    "markdown": "Markdown training file{s} (the Rasa 1.x format)",
    "checkpoint": "checkpoint{s} (not followed: each story is linted on its own)",
    "no_text": "response{s} without text (an image or a custom payload)",
}


def _notices(project: _Project) -> list[str]:
    notices = []
    for kind, (items, files) in sorted(project.skipped.items()):
        shown = sorted(files)
        listed = ", ".join(shown[:3]) + (f" and {len(shown) - 3} more" if len(shown) > 3 else "")
        where, _, element = kind.partition(":")  # e.g. "story step:foo"
        plural = "" if len(items) == 1 else "s"
        # The element is the file's own text (braces and all): never a format string.
        label = _NOTICES[kind].format(s=plural) if kind in _NOTICES else \
            f"{where}{plural} of unsupported type '{element}'"
        notices.append(f"rasa: skipped {len(items)} {label} in {listed}")
    return notices


# --- what one action does: shared by stories, rules and CALM flows -----------------------

class _Builder:
    """Turns actions into statements, with spans into the right file."""

    def __init__(self, project: _Project, source: SourceFile) -> None:
        self.project = project
        self.source = source
        self.taken: set[str] = set()  # step names of the flow being built

    def span(self, node: Any, key: str | None = None) -> dict:
        return self.source.span(node, key)

    def flow(self, name: str, title: str, node: dict, steps: list[dict], intent: str | None,
             description: str | None = None) -> dict:
        flow = {"kind": "flow", "name": identifier(name, self.project.flow_names), "title": title,
                "trigger": {"kind": "message", "value": intent, "span": self.span(node)},
                "steps": steps, "span": self.span(node)}
        if description:
            flow["description"] = description
        if self.project.language:
            flow["language"] = self.project.language
        return flow

    def message(self, name: str) -> dict | None:
        """A say (or, with buttons, an ask) with the response's first variation; span at its text."""
        found = self.project.response(name)
        if found is None:
            return None
        variant, source = found.variant, found.source
        text = variant.get("text")
        if not isinstance(text, (str, int, float)) or isinstance(text, bool):
            self.project.skip("no_text", source.display, name)
            return {}
        span = source.span(variant, "text")
        buttons = [self._option(b, source) for b in variant.get("buttons") or [] if isinstance(b, dict)]
        if buttons:
            return {"ask": str(text), "buttons": buttons, "span": span}
        return {"say": str(text), "span": span}

    @staticmethod
    def _option(button: dict, source: SourceFile) -> dict:
        payload = str(button.get("payload") or "")
        option = {"label": str(button.get("title") or payload), "span": source.span(button)}
        url = button.get("url") or (payload if _URL.match(payload) else None)
        if url:
            option["url"] = str(url)
        else:
            match = _PAYLOAD_INTENT.match(payload)
            option["_intent"] = match[1] if match else None  # resolved to a step later, then removed
        return option

    def action(self, name: str, node: dict) -> list[dict]:
        """What `action: name` does, as statements."""
        if name in self.project.forms:
            return self.form(name, node)
        message = self.message(name)
        if message is not None:
            return [message] if message else []
        if name.startswith("utter_") and name not in self.project.actions:
            if self.project.responses_known:
                self.project.error(f"response '{name}' is not defined in the domain", self.source, node, "action")
            return []
        if name in _SILENT_ACTIONS:
            return []
        if name == "action_restart":
            return [{"end": True, "span": self.span(node)}]
        if _HANDOFF_WORDS & set(re.split(r"[_\-\s.]+", name.lower())):
            return [{"handoff": name, "span": self.span(node)}]
        return [{"action": "webhook", "text": name, "span": self.span(node)}]

    def form(self, name: str, node: dict) -> list[dict]:
        statements = []
        for slot in self.project.forms[name]:
            statements.extend(self.question(slot, [f"utter_ask_{name}_{slot}", f"utter_ask_{slot}"], node))
        return statements

    def question(self, slot: str, responses: list[str], node: dict) -> list[dict]:
        """Ask for a slot with its utter_ask response and capture the answer."""
        variable = identifier(slot, set())
        for name in responses:
            message = self.message(name)
            if message:
                ask = {"ask": message.get("ask", message.get("say")), "capture": variable, "span": message["span"]}
                if message.get("buttons"):
                    ask["buttons"] = message["buttons"]
                return [ask]
        # Asked by a custom action (action_ask_<slot>): its text is code, but the wait is real.
        return [{"action": "webhook", "text": f"action_ask_{slot}", "span": self.span(node)},
                {"wait_for_reply": None, "span": self.span(node)}]


def _clean(statements: list[dict]) -> None:
    """Drop the helper keys the model does not know."""
    for statement in statements:
        for option in statement.get("buttons", []):
            option.pop("_intent", None)


# --- stories and rules ---------------------------------------------------------------

class _Story(_Builder):
    def __init__(self, project: _Project, source: SourceFile, node: dict, kind: str) -> None:
        super().__init__(project, source)
        self.node = node
        self.kind = kind  # story or rule
        self.elsewhere: dict | None = None  # the step for answers other stories handle, made when needed

    def build(self) -> dict | None:
        events = self.node.get("steps")
        if not isinstance(events, list):
            self.project.error(f"this {self.kind} has no list of 'steps'", self.source, self.node)
            return None
        steps: list[dict] = []
        trigger = None
        for index, event in enumerate(events):
            if not isinstance(event, dict) or not event:
                continue
            kind = next((key for key in ("intent", "or", "user", "action", "bot", "active_loop",
                                         "slot_was_set", "checkpoint") if key in event), next(iter(event)))
            intents = _intents(event) if kind in _USER_TURN else []
            if kind in _USER_TURN and (intents or kind == "user"):
                name = identifier(intents[0] if intents else "user", self.taken)
                if steps:
                    self.listen(steps[-1]["do"], name, intents, event, _slots_filled(event, events[index + 1:]))
                else:
                    trigger = intents[0] if intents else None
                steps.append({"name": name, "do": [], "span": self.span(event)})
                continue
            if not steps:
                steps.append({"name": identifier("start", self.taken), "do": [], "span": self.span(event)})
            do = steps[-1]["do"]
            if kind == "action" and isinstance(event["action"], str):
                do.extend(self.action(event["action"], event))
            elif kind == "bot" and isinstance(event["bot"], str):  # end-to-end story: the bot's text itself
                do.append({"say": event["bot"], "span": self.span(event, "bot")})
            elif kind == "checkpoint":
                self.project.skip("checkpoint", self.source.display)
            elif kind not in ("active_loop", "slot_was_set", "or", "intent"):
                self.project.skip(f"{self.kind} step:{kind}", self.source.display)
        if not steps:
            return None
        last = steps[-1]["do"]
        if not last or not any(key in last[-1] for key in ("end", "handoff")):
            final = next((e for e in reversed(events) if isinstance(e, dict)), self.node)
            last.append({"end": True, "span": self.span(final)})
        if self.elsewhere:
            steps.append(self.elsewhere)
        for step in steps:
            _clean(step["do"])
        name = str(self.node.get(self.kind) or self.kind)
        return self.flow(name, name, self.node, steps, trigger)

    def listen(self, do: list[dict], target: str, intents: list[str], event: dict, slots: list[str]) -> None:
        """The bot waits for the person's next turn (`target`, reached by saying one of `intents`).

        Rasa's NLU turns every answer into an intent, so a plain text before a turn is not a
        free-text question a person must read: it is a message, then a wait for the reply. When
        the answer fills a slot (an entity, `slot_was_set`), that text asked for it: a capture."""
        last = do[-1] if do else None
        if last is not None and ("end" in last or "handoff" in last):
            return
        if last is not None and "say" in last and slots:
            do[-1] = {"ask": last["say"], "capture": identifier(slots[0], set()), "span": last["span"]}
        elif last is None or "ask" not in last:
            do.append({"wait_for_reply": None, "span": self.span(event)})
        elif "capture" not in last and any("_intent" in option for option in last.get("buttons", [])):
            self.route(last, target, intents, event)
        # a form question (capture): its answer falls through to the next turn

    def route(self, ask: dict, target: str, intents: list[str], event: dict) -> None:
        """Buttons of the question before a turn. The button the story follows goes to the turn's
        step; the story is one example conversation, so other buttons and other answers go on in
        other stories and rules (or Rasa's fallback): they lead to a step that ends this one. A
        button whose intent no story or rule handles at all keeps no goto (BL505 reports it)."""
        options = [option for option in ask["buttons"] if "_intent" in option]
        matched = [option for option in options if _same_intent(option["_intent"], intents)]
        for option in options:
            if option in matched:
                option["goto"] = target
            elif option["_intent"] is None or self.project.handles(option["_intent"]):
                option["goto"] = self.other_stories(event)
        ask["otherwise"] = self.other_stories(event) if matched else target

    def other_stories(self, event: dict) -> str:
        if self.elsewhere is None:
            self.elsewhere = {"name": identifier("other_stories", self.taken),
                              "do": [{"end": True, "span": self.span(event)}], "span": self.span(event)}
        return self.elsewhere["name"]


def _intents(event: dict) -> list[str]:
    """The intents of a user turn: `intent`, e2e `user` with an intent, or the alternatives of `or`."""
    if "or" in event:
        found = []
        for alternative in event["or"] if isinstance(event["or"], list) else []:
            if isinstance(alternative, dict) and isinstance(alternative.get("intent"), str):
                found.append(alternative["intent"])
        return found
    intent = event.get("intent")
    return [intent] if isinstance(intent, str) else []


def _slots_filled(turn: dict, after: list) -> list[str]:
    """Slots a user turn fills: its entities (a slot of the same name takes them), then the
    `slot_was_set` events that record it before the bot acts."""
    names = []
    alternatives = turn["or"] if isinstance(turn.get("or"), list) else [turn]
    for alternative in alternatives[:1]:
        for entity in alternative.get("entities") or [] if isinstance(alternative, dict) else []:
            if isinstance(entity, dict):
                names.append(str(entity.get("entity") or next(iter(entity), "")))
            elif isinstance(entity, str):
                names.append(entity)
    for event in after:
        if not isinstance(event, dict) or "slot_was_set" not in event:
            break
        for slot in event["slot_was_set"] if isinstance(event["slot_was_set"], list) else []:
            names.append(str(next(iter(slot), "")) if isinstance(slot, dict) else str(slot))
    return [name for name in dict.fromkeys(names) if name]


def _same_intent(payload: str | None, intents: list[str]) -> bool:
    """A button's /intent matches a turn's intent, also a retrieval intent's base (faq/price ~ faq)."""
    return bool(payload) and any(payload == i or payload.split("/")[0] == i.split("/")[0] for i in intents)


# --- Rasa Pro (CALM) flows --------------------------------------------------------------

class _CalmFlow(_Builder):
    def __init__(self, project: _Project, source: SourceFile, flow_id: str, node: dict) -> None:
        super().__init__(project, source)
        self.flow_id = flow_id
        self.node = node
        self.ids: dict[str, str] = {}  # CALM step id -> our step name
        self.names: dict[int, str] = {}  # CALM step (by identity) -> our step name
        self.steps: list[dict] = []
        self.pending: list[tuple[list, dict]] = []  # nested step lists, built after the top level
        self.end_step: dict | None = None  # one shared step for branches that go to END, added last

    def build(self) -> dict | None:
        top = self.node.get("steps")
        if not isinstance(top, list):
            self.project.error(f"flow '{self.flow_id}' has no list of 'steps'", self.source, self.node)
            return None
        self._name_ids(top)
        self.steps_of(top, self.node)
        while self.pending:  # nested lists (next: [...], then: [...]) follow, each ending on its own
            items, where = self.pending.pop(0)
            self.steps_of(items, where)
        if self.end_step:  # after everything: nothing may fall through into it
            self.steps.append(self.end_step)
        intent = _trigger_intent(self.node)
        title = str(self.node.get("name") or self.flow_id)
        description = self.node.get("description")
        return self.flow(self.flow_id, title, self.node, self.steps, intent,
                         str(description) if description else None)

    def _name_ids(self, items: list) -> None:
        """Give every step with an `id` its name first, so a `next` may point forward or into a branch."""
        for item in items:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("id"), (str, int)) and str(item["id"]) not in self.ids:
                self.ids[str(item["id"])] = self.names[id(item)] = identifier(str(item["id"]), self.taken)
            nxt = item.get("next")
            branches = nxt if isinstance(nxt, list) else []
            for branch in branches:
                if isinstance(branch, dict):
                    for key in ("then", "else"):
                        if isinstance(branch.get(key), list):
                            self._name_ids(branch[key])
            if branches and not any(isinstance(b, dict) and ("if" in b or "else" in b) for b in branches):
                self._name_ids(branches)

    def steps_of(self, items: list, where: dict) -> str | None:
        """Append one model step per CALM step; return the first one's name."""
        names = []
        steps = [item for item in items if isinstance(item, dict)]
        for index, item in enumerate(steps):
            do = self.statements(item)
            if "next" in item:
                do.extend(self.next(item["next"], item))
            # The end of a step list ends the flow (also when no branch condition holds).
            if index == len(steps) - 1 and not (do and any(k in do[-1] for k in ("end", "handoff", "goto"))):
                do.append({"end": True, "span": self.span(item)})
            _clean(do)
            if index and "id" not in item and "next" not in steps[index - 1]:
                # Nothing can jump here: it just follows the step before, as statements of one step do
                # (so "the message right before a handoff" holds as in Rasa).
                self.steps[-1]["do"].extend(do)
                continue
            names.append(self.name_of(item))
            self.steps.append({"name": names[-1], "do": do, "span": self.span(item)})
        return names[0] if names else None

    def name_of(self, item: dict) -> str:
        if id(item) not in self.names:
            self.names[id(item)] = identifier(_step_label(item), self.taken)
        return self.names[id(item)]

    def statements(self, item: dict) -> list[dict]:
        if "collect" in item:
            slot = str(item["collect"])
            responses = [str(item["utter"])] if item.get("utter") else []
            return self.question(slot, responses + [f"utter_ask_{slot}"], item)
        if "action" in item:
            return self.action(str(item["action"]), item)
        for key in ("link", "call"):
            if key in item:
                if str(item[key]) == "pattern_human_handoff":
                    return [{"handoff": None, "span": self.span(item)}]
                # A link hands the conversation to another flow for good; a call comes back.
                return [{"end": True, "span": self.span(item)}] if key == "link" else []
        if not any(key in item for key in ("set_slots", "noop", "id", "next")):
            self.project.skip(f"flow step:{next(iter(item), '?')}", self.source.display)
        return []

    def next(self, value: Any, item: dict) -> list[dict]:
        span = self.span(item, "next")
        if isinstance(value, list) and value and all(isinstance(b, dict) and ("if" in b or "else" in b)
                                                     for b in value):
            statements = []
            for branch in value:
                target = self.target(branch.get("then") if "if" in branch else branch.get("else"), branch)
                if "if" in branch:
                    statements.append({"if": _condition(branch["if"], self.source.span(branch)), "then": target,
                                       "span": self.source.span(branch)})
                else:
                    statements.append({"goto": target, "span": self.source.span(branch)})
                    break
            return statements
        if value == "END":
            return [{"end": True, "span": span}]
        return [{"goto": self.target(value, item), "span": span}]

    def target(self, value: Any, where: dict) -> str:
        """The step a `next`/`then`/`else` names: an id, END, or a nested list of steps."""
        if isinstance(value, list):
            first = next((i for i in value if isinstance(i, dict)), None)
            if first is None:
                return self.target(None, where)
            self.pending.append((value, where))  # built after the top level; its first step's name is fixed now
            return self.name_of(first)
        if value is None or str(value) == "END":
            if self.end_step is None:
                self.end_step = {"name": identifier("END", self.taken), "do": [{"end": True, "span": self.span(where)}],
                                 "span": self.span(where)}
            return self.end_step["name"]
        return self.ids.get(str(value)) or identifier(str(value), set())  # unknown: BL001 reports it


def _trigger_intent(flow: dict) -> str | None:
    """The first intent of a CALM flow's `nlu_trigger` (`- intent: x` or `- intent: {name: x}`)."""
    trigger = flow.get("nlu_trigger")
    first = trigger[0] if isinstance(trigger, list) and trigger else None
    intent = first.get("intent") if isinstance(first, dict) else first
    intent = intent.get("name") if isinstance(intent, dict) else intent
    return str(intent) if isinstance(intent, (str, int)) else None


def _step_label(item: dict) -> str:
    for key in ("collect", "action", "link", "call"):
        if key in item:
            return f"{key}_{item[key]}" if key != "action" else str(item[key])
    return "step"


# `slots.x == "value"` (also `=`, `!=`, `is`, `is not`) with one quoted or bare value.
_EQUALITY = re.compile(r"\s*(?:slots\.)?([A-Za-z_][\w\-]*)\s*(==|=|!=|is not|is)\s*('[^']*'|\"[^\"]*\"|[^\s'\"()]+)\s*")


def _condition(expression: Any, span: dict) -> dict:
    """Our conditions are equality tests; a CALM predicate that is one maps exactly, anything else
    keeps its text as the compared value (the branch targets are what the analysis needs)."""
    text = str(expression)
    match = _EQUALITY.fullmatch(text)
    if match:
        value = match[3].strip("'\"")
        test = "equals" if match[2] in ("==", "=", "is") else "not_equals"
        return {"var": identifier(match[1], set()), test: value, "span": span}
    truthy = re.fullmatch(r"\s*(not\s+)?slots\.([A-Za-z_][\w\-]*)\s*", text)
    if truthy:  # `slots.x` / `not slots.x`: a yes/no slot
        return {"var": identifier(truthy[2], set()), "not_equals" if truthy[1] else "equals": "true", "span": span}
    slot = re.search(r"slots\.([A-Za-z_][\w\-]*)", text)
    return {"var": identifier(slot[1] if slot else "condition", set()), "equals": text, "span": span}


IMPORTER = Importer(
    name="rasa",
    description="Rasa project folder: domain.yml (or domain/) plus data/ stories, rules and CALM flows",
    load=load,
    claims_folder=claims_folder,
)
