"""Dialogflow CX agent exports (the JSON package: a folder with `agent.json` and `flows/`).

Each CX flow (`flows/<Flow>/<Flow>.json` plus `flows/<Flow>/pages/*.json`) becomes one
flow with a `message` trigger. The agent's start flow starts with the person greeting (keywords:
the Default Welcome Intent's training phrases, at most 20; the trigger's value names that intent,
so its start page's other intent routes are told apart as answers to other messages), or, when its start page sends entry
messages of its own, with `start` (the bot speaks first). Flows and pages name each other by
display name (or resource id); the whole agent is read as one unit.

An agent that starts in a playbook (agent.json `startPlaybook`) is linted from its playbooks: each
example conversation (`playbooks/<P>/examples/*.json`) becomes a flow (what the person says ->
the trigger's keyword, then answers; agent utterances -> say/ask; tool uses -> action webhook).
Its instructions are prompts for an LLM, not conversation: skipped with one notice. Flows no
playbook invokes (and that no invoked flow leads to) are never entered: skipped with one notice.

How the CX runtime moves, and how that is mapped:

* The flow's start page (the flow file itself) becomes the first step, "Start_Page";
  every page becomes a step named from its display name.
* Entering a page sends its entry fulfillment (text -> say, first variant only;
  `conditionalCases` -> the first case's messages, like a variant; webhook -> action
  webhook; `liveAgentHandoff`/telephony transfer -> handoff; chips -> options of an ask).
* A form asks each required parameter: its prompt -> ask with capture of the parameter
  (an empty prompt turns the entry message just before it into the question; with no message at
  all, the person answers another flow's question: wait for reply, then `set` the parameter). An
  answer that is not the parameter may match an intent route in scope, else goes to the
  parameter's reprompt handlers (branches of an "<param> other" step); a reprompt message is the
  parameter's question from then on: its answer goes on with the form ("<Page>_<param>_answered").
  Chips of such a question fill the parameter: they go where the captured answer goes.
* Routes with only a condition -> `if`: one comparison (`$flow.x = "v"`, `!= null`, `x : *`,
  `NOT x : *`) maps to var/equals or var/not_equals; of several joined by AND, the first that
  shows a parameter holds a value stands for them (it holds whenever they all do); anything else
  is kept as `condition == "<text>"`. `true` and the form-complete test
  `$page.params.status = "FINAL"` always match: such a route runs in place. A route without a
  target runs what it does when it matches, and the routes after it are still checked ("<Page>_next").
  Event handlers (webhook.error...) -> `if event`.
* Then the page waits for the person (its last message becomes the question, or a
  `wait for reply`; condition routes after that message are checked again after the
  answer, as CX does every turn), and routes by intent: the question captures `intent`, then
  `if intent == "<intent>" -> target`.
  Chips get their own targets only when they match every intent route one to one (a pure
  button menu; matched by intent name or training phrase, read from `intents/`).
  The agent's start page routes the person's first message, so it does not wait first.
* Anything unmatched goes to the no-match/no-input handlers (page, else flow): handlers
  with a target are `if event == "<event>"` branches, the first reprompt is said and stays.
* A route that says something, or ends, or stays on the page gets a small step of its own
  ("<Page>_<intent>") holding its messages and jump; a plain page target is jumped to.
  Staying on a page (no target) keeps the person there: CX neither sends the entry messages again
  nor asks a filled form again, it checks the page's routes once the person has written. So the
  routes after the page's wait are a step of their own ("<Page>_listen"), where staying leads: the
  last message said is the question (else `wait for reply`, or a "<Page>_wait" step). Route groups
  (`transitionRouteGroups/`) add their routes to the pages that use them.
* Parameters that CX fills: set by `setParameterActions` -> set (a null value clears, so it is
  not a set; `true`, `0` are kept as text); extracted by a matched intent (its `parameters`) -> set
  on that route; filled by a called flow (see targets) -> set; a webhook -> action webhook (BL109
  reads that as maybe filled). A condition route that tests a parameter for a value only flows the
  page calls give it (nothing in its own flow or the flows leading there may set it: set actions, forms,
  intents' parameters; webhooks are not known) cannot match on entry: it is checked only on the way back
  from such a flow ("<Page>_returned", before the page's other routes). Flows called by the flow's intent
  routes count too (they come back to this page), unless a route always leaves the page first. On a page
  with a form such routes stay in place (they are checked after the person's answers anyway): their
  target step first sets what that flow fills ("<Page>_route_filled").
* Before a handoff, the last message moves after the parameters set since (unless it shows one):
  what the person was told comes right before the handoff.
* Targets: a page -> goto; END_FLOW, END_SESSION, END_FLOW_WITH_FAILURE/CANCELLATION ->
  end; END_FLOW_WITH_HUMAN_ESCALATION -> handoff; CURRENT_PAGE -> the page again;
  START_PAGE -> the first step; PREVIOUS_PAGE -> a branch per page that leads here;
  `targetFlow` -> that flow runs (linted on its own); if it can end with END_FLOW, CX comes
  back and checks the calling page's routes again: `set` of what it fills (required form
  parameters, values it sets), then a jump to the page's routes (a "<Page>_routes" step when
  the page said something first; "<Page>_returned" before it, see parameters); otherwise -> end.
  A page another flow enters directly (`targetFlow` with `targetPage`) gets an
  `if entry_page == "<page>"` branch on its flow's start.

Flow-level intent routes are in scope on every page of a flow: their steps are made on the
start page, and other pages branch to them (routes that only stay are left there; one calling a
flow that comes back to the page, see parameters, gets a step there). Keys of the
export holding a value of the wrong type (`"transitionRoutes": "oops"`) are errors at the key.
Generators, generative fallback, data-store answers, playbook instructions, code blocks, tools,
media, custom payloads and unknown message kinds are skipped with one notice per kind (a generated
or data-store answer is a message whose text is not in the export: the person stays on the page). Voice
markup (SSML tags) is dropped and `$session.params.x` becomes the placeholder `{x}`. CX has no
channel, audience or schedule: config supplies them.
"""

from __future__ import annotations

import copy
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from linter.core.errors import FlowSyntaxError
from linter.parse.importers import Importer, ImportResult, needs_folder
from linter.parse.importers._source import SourceFile, identifier, json_type, read_json

ENDS = {"END_FLOW", "END_SESSION", "END_FLOW_WITH_FAILURE", "END_FLOW_WITH_CANCELLATION"}
ESCALATION = "END_FLOW_WITH_HUMAN_ESCALATION"
WELCOME = "Default Welcome Intent"  # CX's built-in intent for a greeting (and the WELCOME event)
MAX_KEYWORDS = 20
SPECIAL = ENDS | {ESCALATION, "CURRENT_PAGE", "PREVIOUS_PAGE", "START_PAGE"}
FALLBACK_EVENT = re.compile(r"^sys\.no-(match|input)-(default|\d+)$")
EXPECT = {"@sys.email": "email", "@sys.phone-number": "phone", "@sys.number": "number",
          "@sys.number-integer": "number", "@sys.cardinal": "number", "@sys.ordinal": "number",
          "@sys.date": "date", "@sys.date-time": "date", "@sys.date-period": "date", "@sys.time": "date"}
_PARAM = re.compile(r"\$(?:session\.params|page\.params|intent\.params|flow|request\.generative)\.([A-Za-z_][\w\-]*)")
_GENERATED = re.compile(r"^\s*\$request\.generative\.[\w\-]+\s*$")
_SSML = re.compile(r"</?[A-Za-z][\w\-]*(?:\s[^<>]*)?/?>")
_FINAL = re.compile(r'^\(?\s*\$page\.params\.status\s*=\s*"?FINAL"?\s*\)?$', re.I)
# One test of a parameter: `$flow.x = "v"`, `$session.params.x != null`, `$page.params.x : *` (has a value),
# optionally negated with NOT.
_COMPARE = re.compile(r'^(NOT\s+)?\$(?:session\.params|page\.params|intent\.params|flow)\.([\w\-]+)\s*'
                      r'(?:(!=|=)\s*("(?:[^"\\]|\\.)*"|[\w.\-]+)|:\s*\*)$', re.I)
_NO_VALUE = {"", "null"}  # what CX compares an unset parameter equal to


# The export's keys whose value has one JSON type wherever they appear: a valid JSON file with another
# type there is a broken export (reported at the key), not something to skip quietly.
_OBJECT_LISTS = {"transitionRoutes", "eventHandlers", "parameters", "messages", "setParameterActions",
                 "conditionalCases", "cases", "caseContent", "repromptEventHandlers", "examples", "actions", "steps",
                 "trainingPhrases", "parts"}
_SHAPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    **{key: (list, "a list") for key in _OBJECT_LISTS | {"transitionRouteGroups", "richContent", "generators",
                                                        "referencedFlows"}},
    **{key: (dict, "an object") for key in ("entryFulfillment", "triggerFulfillment", "form", "fillBehavior",
                                            "initialPromptFulfillment", "liveAgentHandoff", "payload",
                                            "additionalCases", "knowledgeConnectorSettings", "instruction",
                                            "userUtterance", "agentUtterance", "toolUse", "flowInvocation",
                                            "playbookInvocation")},
    **{key: (str, "a string") for key in ("displayName", "targetPage", "targetFlow", "intent", "condition", "event",
                                          "webhook", "parameter", "entityType", "startFlow", "startPlaybook",
                                          "defaultLanguageCode")},
    "required": (bool, "true or false"),
}


def claims_folder(folder: Path) -> bool:
    return (folder / "agent.json").is_file() and (folder / "flows").is_dir()


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _special(name: str) -> str:
    """"End Flow", "END_FLOW" and "end_flow" are the same special target."""
    return re.sub(r"[\s\-]+", "_", name.strip()).upper()


def _var(name: str) -> str:
    """A model variable name from a CX parameter ("$flow.zip-code" -> "zip_code")."""
    name = re.sub(r"^\$(?:session\.params|page\.params|intent\.params|flow)\.", "", name.strip())
    return identifier(name.replace("-", "_"), set())  # as in placeholders, which allow no hyphen


def _text(raw: str) -> str:
    """What the person reads: voice markup dropped, parameters as `{name}` placeholders."""
    text = _SSML.sub("", raw) if "<" in raw else raw
    return _PARAM.sub(lambda m: "{" + m[1].replace("-", "_") + "}", text).strip()


def _value(value: Any) -> str | None:
    """A set value as the model writes it: text as is, `true`/`false` and numbers as text; None if computed."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None  # a list or an object: built by CX, not a value to quote


def _comparison(part: str) -> dict[str, str] | None:
    """var/equals (or not_equals) for one test of a parameter; None if it is not one."""
    part = part.strip()
    if part.startswith("(") and part.endswith(")") and "(" not in part[1:-1]:
        part = part[1:-1].strip()
    match = _COMPARE.match(part)
    if not match:
        return None
    negated = bool(match[1])
    if match[3] is None:  # `x : *`: x has a value
        value, equal = "", negated
    else:
        value = match[4][1:-1].replace('\\"', '"').replace("\\,", ",") if match[4].startswith('"') else match[4]
        equal = (match[3] == "=") != negated
    return {"var": _var(match[2]), "equals" if equal else "not_equals": value}


def _proves_value(test: dict[str, str]) -> bool:
    """Whether a comparison, when true, shows its parameter holds a value (`x != null`, `x = "v"`)."""
    if "equals" in test:
        return test["equals"].strip().lower() not in _NO_VALUE
    return test["not_equals"].strip().lower() in _NO_VALUE


def _condition(text: str) -> dict[str, str] | None:
    """A route condition as a model condition; None if it always holds (`true`, the form is complete).
    One comparison maps to var/equals; of several joined by AND, the first that shows a parameter holds
    a value stands for them (it holds whenever they all do); anything else is kept as
    `condition == "<text>"`."""
    parts = [part.strip() for part in re.split(r"\s+AND\s+", (text or "").strip())]
    parts = [part for part in parts if part and part.lower() != "true" and not _FINAL.match(part)]
    if not parts:
        return None
    tests = [] if any(re.search(r"\sOR\s", part) for part in parts) else [_comparison(part) for part in parts]
    if len(tests) == 1 and tests[0]:
        return tests[0]
    proving = [test for test in tests if test and _proves_value(test)]
    if proving:
        return proving[0]
    return {"var": "condition", "equals": " AND ".join(parts)}


class _Agent:
    """The whole export: files read with positions, and what was skipped, for one notice per kind."""

    def __init__(self, folder: Path, display: str, result: ImportResult) -> None:
        self.folder, self.display, self.result = folder, display, result
        self.skipped: Counter[str] = Counter()
        self._seen: set[tuple[str, int]] = set()
        self._errors: set[str] = set()
        self._files: dict[Path, SourceFile | None] = {}
        self.language_code = "en"
        self._intents: dict[str, Path] | None = None
        self._phrases: dict[str, set[str]] = {}
        # What each flow means to the flows that call it (see learn_flows).
        self.returning: set[str] = set()
        self.fills: dict[str, list[str]] = {}
        self.entered_at: dict[str, list[str]] = {}
        self.calls: dict[str, set[str]] = {}
        self.flow_ids: dict[str, str] = {}
        # What else may give a flow's parameters a value: optional form parameters, routed intents' parameters.
        self._optional: dict[str, list[str]] = {}
        self._routed: dict[str, set[str]] = {}

    def learn_flows(self, files: dict[str, list[dict]], ids: dict[str, str]) -> None:
        """Per flow: whether it can end with END_FLOW (back to the page that called it), the parameters
        it fills (required form parameters, values it sets), the flows it calls, and the pages other
        flows enter it at (`targetFlow` with `targetPage`)."""
        self.flow_ids = ids
        for name, nodes in files.items():
            fills, calls = self.fills.setdefault(name, []), self.calls.setdefault(name, set())
            optional, routed = self._optional.setdefault(name, []), self._routed.setdefault(name, set())
            for page in nodes:
                for parameter in _list(_dict(page.get("form")).get("parameters")):
                    if isinstance(_dict(parameter).get("displayName"), str):
                        (fills if parameter.get("required") else optional).append(_var(parameter["displayName"]))
            for node in _walk(nodes):
                if isinstance(node.get("intent"), str):
                    routed.add(node["intent"])
                target = node.get("targetPage")
                if isinstance(node.get("targetFlow"), str):
                    called = self.flow_name(node["targetFlow"])
                    calls.add(called)
                    if isinstance(target, str) and target:
                        self.entered_at.setdefault(called, []).append(target)
                elif isinstance(target, str) and _special(target) == "END_FLOW":
                    self.returning.add(name)
                for action in _list(node.get("setParameterActions")):
                    if isinstance(_dict(action).get("parameter"), str) and action.get("value") is not None:
                        fills.append(_var(action["parameter"]))
            self.fills[name] = list(dict.fromkeys(fills))

    def flow_name(self, reference: str) -> str:
        """A flow's display name from a display name or a resource name (".../flows/<id>")."""
        return self.flow_ids.get(reference.rsplit("/", 1)[-1], reference)

    def may_set(self, flow: str) -> set[str]:
        """The parameters a flow may give a value: what it fills, its optional form parameters, and what
        the intents it routes extract from the person's words."""
        return set(self.fills.get(flow, [])) | set(self._optional.get(flow, [])) | \
            {_var(name) for intent in sorted(self._routed.get(flow, ())) for name in self.intent_parameters(intent)}

    def flows_before(self, flow: str) -> set[str]:
        """The flow and every flow that can lead to it (calls it, or calls a flow that does)."""
        found, pending = set(), [flow]
        while pending:
            name = pending.pop()
            if name not in found:
                found.add(name)
                pending.extend(caller for caller, called in self.calls.items() if name in called)
        return found

    def flows_reached(self, *references: list[str]) -> set[str]:
        found: set[str] = set()
        pending = [self.flow_name(name) for names in references for name in names]
        while pending:
            name = pending.pop()
            if name in self.calls and name not in found:
                found.add(name)
                pending.extend(self.calls[name])
        return found

    def shown(self, path: Path) -> str:
        return os.path.normpath(os.path.join(self.display, path.relative_to(self.folder).as_posix()))

    def read(self, path: Path, check: bool = True) -> SourceFile | None:
        """A JSON object file with positions, read once; None (and an error) if it is broken.
        `check`: report known keys holding a value of the wrong type (flows, pages, route groups, playbooks)."""
        if path not in self._files:
            self.result.files += 1
            try:
                source = read_json(path, self.shown(path))
                if not isinstance(source.data, dict):
                    raise FlowSyntaxError("dialogflow-cx: expected a JSON object", source.display, 1, 1)
                self._files[path] = source
                if check:
                    self.check_shape(source, source.data)
            except FlowSyntaxError as error:
                self.result.errors.append(error)
                self._files[path] = None
        return self._files[path]

    def skip(self, what: str, node: Any, count: int = 1) -> None:
        """Count a skipped element once, however many pages share it (flow-level handlers)."""
        if (what, id(node)) not in self._seen:
            self._seen.add((what, id(node)))
            self.skipped[what] += count

    def error(self, message: str, source: SourceFile, node: Any, key: str | None = None) -> None:
        span = source.span(node, key)
        error = FlowSyntaxError(f"dialogflow-cx: {message}", source.display, span["line"], span["col"])
        if str(error) not in self._errors:  # a flow's routes are read again on each of its pages: said once
            self._errors.add(str(error))
            self.result.errors.append(error)

    def intent_file(self, intent: str, *parts: str) -> SourceFile | None:
        """A file of an intent's folder (`intents/<name>/...`; no parts: `<name>.json`), or None if absent."""
        if self._intents is None:
            base = self.folder / "intents"
            self._intents = {unquote(p.name): p for p in base.iterdir() if p.is_dir()} if base.is_dir() else {}
        folder = self._intents.get(intent)
        path = folder.joinpath(*(parts or (f"{folder.name}.json",))) if folder else None
        return self.read(path) if path and path.is_file() else None

    def training_phrases(self, intent: str) -> list[str]:
        """An intent's training phrases in the agent's language, as written, in file order."""
        source = self.intent_file(intent, "trainingPhrases", f"{self.language_code}.json")
        found: list[str] = []
        for phrase in _list(source.data.get("trainingPhrases")) if source else []:
            parts = _list(_dict(phrase).get("parts"))
            words = " ".join("".join(str(_dict(part).get("text", "")) for part in parts).split())
            if words and words not in found:
                found.append(words)
        return found

    def phrases(self, intent: str) -> set[str]:
        """An intent's name and training phrases (lower case), read only when chips need matching."""
        if intent not in self._phrases:
            self._phrases[intent] = {intent.casefold()} | {p.casefold() for p in self.training_phrases(intent)}
        return self._phrases[intent]

    def intent_parameters(self, intent: str) -> list[str]:
        """The parameters an intent extracts from what the person wrote (they become session parameters)."""
        source = self.intent_file(intent)
        return [str(p["id"]) for p in _list(source.data.get("parameters") if source else None)
                if isinstance(p, dict) and isinstance(p.get("id"), str) and p["id"]]

    def check_shape(self, source: SourceFile, node: Any) -> None:
        """Known keys with a value of the wrong type: an error at the key (the JSON itself is valid)."""
        if isinstance(node, list):
            for item in node:
                self.check_shape(source, item)
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            expected = _SHAPES.get(key)
            if value is None or expected is None:
                pass
            elif not isinstance(value, expected[0]):
                self.error(f"'{key}' should be {expected[1]}, not {json_type(value)}", source, node, key)
                continue
            elif key in _OBJECT_LISTS:
                for index, item in enumerate(value):
                    if not isinstance(item, dict):
                        span = source.item_span(value, index)
                        self.result.errors.append(FlowSyntaxError(
                            f"dialogflow-cx: an item of '{key}' should be an object, not {json_type(item)}",
                            source.display, span["line"], span["col"]))
            self.check_shape(source, value)


def load(path: Path, display: str) -> ImportResult:
    result = ImportResult(data={"flows": []}, files=0)
    agent = _Agent(path, display, result)
    settings = agent.read(path / "agent.json")
    settings = settings.data if settings else {}
    code = settings.get("defaultLanguageCode")
    code = code if isinstance(code, str) and code else None  # a wrong type is an error, said by read()
    agent.language_code = code or "en"
    language = agent.language_code.split("-")[0].lower() if code else None
    flows: dict[str, tuple[SourceFile, Path]] = {}
    for folder in sorted(p for p in (path / "flows").iterdir() if p.is_dir()):
        main = folder / f"{folder.name}.json"
        if not main.is_file():
            candidates = sorted(folder.glob("*.json"))
            if not candidates:
                result.errors.append(FlowSyntaxError("dialogflow-cx: flow folder has no flow file "
                                                     f"({folder.name}.json)", agent.shown(folder)))
                continue
            main = candidates[0]
        source = agent.read(main)
        if source:
            flows.setdefault(str(source.data.get("displayName") or unquote(folder.name)), (source, folder))
    pages = {name: _read_pages(agent, folder) for name, (_, folder) in flows.items()}
    agent.learn_flows({name: [flows[name][0].data] + [page for _, page in pages[name]] for name in flows},
                      {str(flows[name][0].data.get("name")): name for name in flows if flows[name][0].data.get("name")})
    playbooks = _read_playbooks(agent)
    start_playbook = settings.get("startPlaybook") if isinstance(settings.get("startPlaybook"), str) else None
    start = None if start_playbook else str(settings.get("startFlow") or "Default Start Flow")
    entered = set(flows)
    if start_playbook:
        # The agent starts in a playbook: only flows a playbook invokes (and the flows they lead to) are entered.
        entered = agent.flows_reached(*(_playbook_flows(agent, *playbook) for playbook in playbooks.values()))
        if unused := sorted(set(flows) - entered):
            agent.skip(f"flows the agent never enters (it starts in playbook '{start_playbook}')", path, len(unused))
    taken: set[str] = set()
    for name in sorted(playbooks, key=lambda name: (name != start_playbook, name)):
        for flow in _PlaybookBuilder(agent, *playbooks[name], name, is_start=(name == start_playbook)).build():
            flow["name"] = identifier(flow["name"], taken)
            flow["language"] = language
            result.data["flows"].append(flow)
    for name in sorted(entered, key=lambda name: (name != start, name)):
        source, folder = flows[name]
        try:
            flow = _FlowBuilder(agent, source, folder, pages[name], name, is_start=(name == start),
                                flows=set(flows)).build()
        except Exception as error:  # noqa: BLE001 - an unexpected shape in one flow must not stop the others
            result.errors.append(FlowSyntaxError(f"dialogflow-cx: cannot read flow '{name}' ({error})", source.display))
            continue
        flow["name"] = identifier(name, taken)
        flow["language"] = language
        result.data["flows"].append(flow)
    if (path / "tools").is_dir():
        agent.skip("tools (for playbooks)", path / "tools", sum(1 for p in (path / "tools").iterdir() if p.is_dir()))
    result.notices.extend(f"dialogflow-cx: skipped {count} {what} in {display}"
                          for what, count in sorted(agent.skipped.items()))
    return result


def _read_pages(agent: _Agent, folder: Path) -> list[tuple[SourceFile, dict]]:
    return [(page, page.data) for path in sorted((folder / "pages").glob("*.json")) if (page := agent.read(path))]


def _read_playbooks(agent: _Agent) -> dict[str, tuple[SourceFile, Path]]:
    found: dict[str, tuple[SourceFile, Path]] = {}
    base = agent.folder / "playbooks"
    for folder in sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []:
        main = folder / f"{folder.name}.json"
        if main.is_file() and (source := agent.read(main)):
            found.setdefault(str(source.data.get("displayName") or unquote(folder.name)), (source, folder))
    return found


def _playbook_flows(agent: _Agent, source: SourceFile, folder: Path) -> list[str]:
    """The flows a playbook can hand the conversation to (resource names or display names)."""
    names = [str(f) for f in _list(source.data.get("referencedFlows"))]
    for example in _examples(agent, folder):
        names += [str(_dict(a.get("flowInvocation")).get("flow")) for a in _list(example.data.get("actions"))
                  if isinstance(a, dict) and a.get("flowInvocation")]
    return names


def _examples(agent: _Agent, folder: Path) -> list[SourceFile]:
    return [source for path in sorted((folder / "examples").glob("*.json")) if (source := agent.read(path))]


class _FlowBuilder:
    """One CX flow into one model flow: the start page and every page, each with its route steps."""

    def __init__(self, agent: _Agent, source: SourceFile, folder: Path, pages: list[tuple[SourceFile, dict]],
                 name: str, is_start: bool, flows: set[str]) -> None:
        self.agent, self.source, self.name, self.is_start, self.flow_names = agent, source, name, is_start, flows
        self.pages: list[tuple[SourceFile, dict]] = [(source, source.data)] + pages
        self.groups: dict[str, list[tuple[SourceFile, dict]]] = {}
        for base in (agent.folder / "transitionRouteGroups", folder / "transitionRouteGroups"):
            for path in sorted(base.glob("*.json")):
                if group := agent.read(path):
                    routes = [(group, r) for r in _list(group.data.get("transitionRoutes")) if isinstance(r, dict)]
                    self.groups[str(group.data.get("displayName") or unquote(path.stem))] = routes
        # Step names first, so that routes can name pages defined further down.
        self.taken: set[str] = set()
        self.step_names = [identifier("Start Page", self.taken)]
        self.by_page: dict[str, str] = {}
        for _, page in self.pages[1:]:
            label = str(page.get("displayName") or "page")
            self.step_names.append(identifier(label, self.taken))
            self.by_page.setdefault(label, self.step_names[-1])
        self.predecessors = self._predecessors()
        self.fallbacks = _handlers(source, source.data)  # flow-level: for pages without their own
        # Flow-level intent routes are in scope on every page; their steps are made on the start page.
        self.shared = [(s, r) for s, r in self.routes(source, source.data, report=False) if r.get("intent")]
        self.route_steps: dict[int, str] = {}
        self.speaks_first = False

    def build(self) -> dict:
        steps: list[dict] = []
        for index, (source, page) in enumerate(self.pages):
            try:
                steps.extend(_Page(self, source, page, index).build())
            except Exception as error:  # noqa: BLE001 - one odd page must not lose the flow
                self.agent.error(f"cannot read page ({error})", source, page)
        span = self.source.span(self.source.data, "displayName")
        trigger = {"kind": "message", "span": span}
        if self.speaks_first:
            trigger["kind"] = "start"  # the start page speaks before the person has said anything
        elif self.is_start:
            # The person opens the conversation by greeting: what the welcome intent was trained on.
            welcome = [phrase for _, r in self.shared if r["intent"] == WELCOME
                       for phrase in self.agent.training_phrases(WELCOME)]
            trigger["keywords"] = welcome[:MAX_KEYWORDS]
            if welcome:
                trigger["value"] = WELCOME  # the start page's other intent routes answer other messages
        flow = {"kind": "flow", "name": "flow", "title": self.name, "trigger": trigger, "steps": steps, "span": span}
        description = self.source.data.get("description")
        if isinstance(description, str) and description.strip():
            flow["description"] = description
        return flow

    def page_step(self, name: str) -> str:
        """The step of a page by display name; an unknown page keeps its name (BL001 reports it)."""
        return self.by_page.get(name) or identifier(name, set())

    def routes(self, source: SourceFile, page: dict, report: bool = True) -> list[tuple[SourceFile, dict]]:
        """A page's own routes, then those of the route groups it uses (other files)."""
        found = [(source, r) for r in _list(page.get("transitionRoutes")) if isinstance(r, dict)]
        groups = _list(page.get("transitionRouteGroups"))
        for index, group in enumerate(groups):
            if str(group) in self.groups:
                found.extend(self.groups[str(group)])
            elif report:
                span = source.item_span(groups, index)
                self.agent.result.errors.append(FlowSyntaxError(
                    f"dialogflow-cx: route group '{group}' is not in this agent", source.display,
                    span["line"], span["col"]))
        return found

    def _predecessors(self) -> dict[str, list[str]]:
        """For PREVIOUS_PAGE: the steps whose routes lead to each page."""
        found: dict[str, list[str]] = {}
        for step, (_, page) in zip(self.step_names, self.pages):
            for node in _route_nodes(page):
                target = node.get("targetPage")
                if isinstance(target, str) and step not in found.setdefault(target, []):
                    found[target].append(step)
        return found


def _route_nodes(page: dict) -> list[dict]:
    nodes = [r for r in _list(page.get("transitionRoutes")) + _list(page.get("eventHandlers")) if isinstance(r, dict)]
    for parameter in _list(_dict(page.get("form")).get("parameters")):
        nodes += [h for h in _list(_dict(_dict(parameter).get("fillBehavior")).get("repromptEventHandlers"))
                  if isinstance(h, dict)]
    return nodes


def _handlers(source: SourceFile, node: dict, key: str = "eventHandlers") -> list[tuple[SourceFile, dict]]:
    """The no-match / no-input handlers of a page or parameter: the question's fallback."""
    return [(source, h) for h in _list(node.get(key))
            if isinstance(h, dict) and FALLBACK_EVENT.match(str(h.get("event", "")))]


def _walk(node: Any) -> Any:
    """Every JSON object inside a value, depth first."""
    if isinstance(node, dict):
        yield node
        node = list(node.values())
    for item in node if isinstance(node, list) else []:
        yield from _walk(item)


def _stops(statement: dict) -> bool:
    return "goto" in statement or "end" in statement or "handoff" in statement


def _tell_last(do: list[dict]) -> None:
    """Before a handoff: the last message moves after the parameters set since, so that what the person
    was told comes right before the handoff (unless that message shows one of those parameters)."""
    index = len(do)
    while index and "set" in do[index - 1]:
        index -= 1
    if index == len(do) or not index or "say" not in do[index - 1]:
        return
    shown = {match.replace("-", "_") for match in re.findall(r"\{([\w\-.]+)\}", do[index - 1]["say"])}
    if not shown & {statement["set"] for statement in do[index:]}:
        do.append(do.pop(index - 1))


def _routed(ask: dict) -> bool:
    options = ask.get("replies", []) + ask.get("buttons", [])
    return bool(ask.get("otherwise") or ask.get("then") or any(o.get("goto") for o in options))


class _Page:
    """One page (or the flow's start page) into its step, plus small steps for routes that say something."""

    def __init__(self, flow: _FlowBuilder, source: SourceFile, page: dict, index: int) -> None:
        self.flow, self.agent, self.source, self.page = flow, flow.agent, source, page
        self.step = flow.step_names[index]
        self.index = index
        self.display = str(page.get("displayName") or "") if index else ""
        # The agent's start page routes the person's first message; every other page waits first.
        self.waits = not (index == 0 and flow.is_start)
        self.own_fallbacks = _handlers(source, page)
        self.do: list[dict] = []
        self.extra: list[dict] = []
        self.closed = False
        self._wait_step: str | None = None
        # Staying on a waiting page leads here: the page's routes, checked again once the person has written
        # (its entry messages and form are not repeated). Named when first needed.
        self._listen: str | None = None
        # The form parameter being asked, while its reprompt handlers are made: a reprompt is its question.
        self._filling: dict | None = None
        self.called: set[str] = set()  # flows this page (or a flow route in scope) calls that come back to it
        # Condition routes that test a value only such a called flow gives: checked on the way back only.
        self.after_call: list[tuple[SourceFile, dict]] = []
        self.form: list[dict] = []  # the required form parameters the page asks
        self._targets: dict[tuple[int, bool, bool], str | None] = {}
        self.resume: str | None = None  # where a called flow comes back to: this page's routes
        # A page split into several steps: the later steps' names and spans, the earlier steps' statements.
        self.segments: list[tuple[str, dict]] = []
        self.parts: list[list[dict]] = []

    def build(self) -> list[dict]:
        span = self.source.span(self.page, "displayName")
        if self.index == 0:  # pages other flows enter this flow at (targetFlow with targetPage)
            for page in dict.fromkeys(self.agent.entered_at.get(self.flow.name, [])):
                self.add([{"if": {"var": "entry_page", "equals": page, "span": span},
                           "then": self.flow.page_step(page), "span": span}])
        entry = self.fulfillment(self.source, _dict(self.page.get("entryFulfillment")))
        if not self.waits and any("say" in statement for statement in entry):
            self.waits = self.flow.speaks_first = True  # the bot spoke first: the person answers it
        self.add(entry)
        if _dict(self.page.get("knowledgeConnectorSettings")).get("enabled"):
            self.agent.skip("data store (knowledge connector) answers", self.page)
        routes = self.flow.routes(self.source, self.page)
        intents = [(s, r) for s, r in routes if r.get("intent")]
        conditions = [(s, r) for s, r in routes if not r.get("intent")]
        self.form = [p for p in _list(_dict(self.page.get("form")).get("parameters")) if _dict(p).get("required")]
        for parameter in self.form:
            if not self.closed:
                self.parameter(parameter, intents)  # CX prompts for required parameters only
        self.called = self.calls(routes + [(self.source, h) for h in self.own_handlers()])
        # The flow's intent routes apply once the person writes (not on a page a route always leaves first):
        # the flows they call come back here too. Modelled when this page's routes test what such a flow gives.
        leaves = any(_condition(str(r.get("condition") or "true")) is None
                     and (r.get("targetPage") or r.get("targetFlow")) for _, r in conditions)
        in_scope = self.called | (set() if leaves else self.calls(self.shared_routes(intents)))
        if not self.form:  # after a form the routes wait for the person's answers: not checked on entry anyway
            self.after_call = [(s, r) for s, r in conditions if (test := _condition(str(r.get("condition") or "true")))
                               and self.only_given_by(test, in_scope)]
        if self.after_call:
            self.called = in_scope
        if not self.closed and self.called:
            # A flow this page calls comes back here when it ends: CX then checks this page's routes
            # again (without its entry messages), so the routes get a step of their own.
            if self.after_call:
                # Routes testing a value only that flow gives cannot match on entry: the way in skips them.
                checked = self.reserve("routes")
                self.add([{"goto": checked, "span": span}])  # closes the entry: the split adds no jump
                self.resume = self.split("returned", span)
                for source, route in self.after_call:
                    if not self.closed:
                        self.check(source, route)
                self.split("routes", span, checked)
            else:
                self.resume = self.split("routes", span) if self.do else self.step  # nothing to skip: the page itself
        for source, route in conditions:
            if not self.closed and not any(route is done for _, done in self.after_call):
                self.check(source, route)
        for handler in self.own_handlers():
            event = str(handler.get("event", ""))
            if event and not FALLBACK_EVENT.match(event) and not self.closed:
                self.branch({"var": "event", "equals": event}, self.source, handler, "event", event, False)
        if not self.closed:
            self.listen(intents)
        names = [self.step] + [name for name, _ in self.segments]
        spans = [span] + [part_span for _, part_span in self.segments]
        parts = self.parts + [self.do]
        return [{"name": n, "do": do, "span": sp} for n, do, sp in zip(names, parts, spans)] + self.extra

    def split(self, label: str, span: dict, name: str | None = None) -> str:
        """End the page's step here with a jump to a new step holding what follows; returns its name
        (`name`: one reserved earlier, when something had to jump there before it existed)."""
        name = name or self.reserve(label)
        self.add([{"goto": name, "span": span}])
        self.segments.append((name, span))
        self.parts.append(self.do)
        self.do, self.closed = [], False
        return name

    def reserve(self, label: str) -> str:
        return identifier(f"{self.step} {label}", self.flow.taken)

    def calls(self, routes: list[tuple[SourceFile, dict]]) -> set[str]:
        """The flows these routes call that come back to the calling page when they end."""
        return {self.agent.flow_name(r["targetFlow"]) for _, r in routes
                if isinstance(r.get("targetFlow"), str)} & self.agent.returning

    def listen_step(self) -> str:
        """Where staying on the page leads once the person has written: the page's routes."""
        if not self.waits:
            return self.step  # the page is its routes (the agent's start page)
        if self._listen is None:
            self._listen = self.reserve("listen")
        return self._listen

    def own_handlers(self) -> list[dict]:
        return [h for h in _list(self.page.get("eventHandlers")) if isinstance(h, dict)]

    def shared_routes(self, intents: list[tuple[SourceFile, dict]]) -> list[tuple[SourceFile, dict]]:
        """The flow's intent routes, in scope on this page too, unless the page routes the same intent."""
        if self.index == 0:
            return []
        own = {str(route["intent"]) for _, route in intents}
        return [(s, r) for s, r in self.flow.shared if str(r["intent"]) not in own]

    def shared_branches(self, intents: list[tuple[SourceFile, dict]]) -> list[dict]:
        """Branches for the flow's intent routes: to the step the start page made for each (messages
        said once), or, for a route that stays, back to this page."""
        found = []
        for source, route in self.shared_routes(intents):
            if not (route.get("targetPage") or route.get("targetFlow")):
                continue  # it says something and stays: its messages are linted on the start page
            returns = isinstance(route.get("targetFlow"), str) and \
                self.agent.flow_name(route["targetFlow"]) in self.called  # to this page, not the start page
            target = (None if returns else self.flow.route_steps.get(id(route))) or \
                self.target(source, route, str(route["intent"]), True, quiet=True)
            if target:
                found.append({"if": {"var": "intent", "equals": str(route["intent"]),
                                     "span": source.span(route, "intent")}, "then": target, "span": source.span(route)})
        return found

    # --- statements ---------------------------------------------------------------------------------

    def add(self, statements: list[dict], into: list[dict] | None = None) -> None:
        """Append statements; chips become options of the question before them; nothing runs after a jump."""
        target = self.do if into is None else into
        for statement in statements:
            if into is None and self.closed:
                return
            if "_options" in statement:
                self.attach(target, statement)
                continue
            if "handoff" in statement:
                _tell_last(target)
            target.append(statement)
            if into is None and _stops(statement):
                self.closed = True

    def attach(self, do: list[dict], marker: dict) -> None:
        last = do[-1] if do else {}
        if "say" in last:
            do[-1] = {"ask": last["say"], marker["_kind"]: marker["_options"], "span": last["span"]}
        elif "ask" in last and not last.get("capture") and not _routed(last):
            last.setdefault(marker["_kind"], []).extend(marker["_options"])
        else:
            self.agent.skip("chips or buttons without a message before them", marker["_node"])

    def fulfillment(self, source: SourceFile, fulfillment: dict, quiet: bool = False) -> list[dict]:
        """Messages, handoffs and the webhook call of a fulfillment (`quiet`: none, just count skips)."""
        if fulfillment.get("generators"):
            self.agent.skip("generators (LLM-written messages)", fulfillment, len(_list(fulfillment["generators"])))
        if fulfillment.get("enableGenerativeFallback"):
            self.agent.skip("generative fallbacks", fulfillment)
        if quiet:
            return []
        statements: list[dict] = []
        # Parameters the agent sets itself: later {placeholders} of them are filled.
        actions = _list(fulfillment.get("setParameterActions"))
        for index, action in enumerate(actions):
            parameter = _dict(action).get("parameter")
            value = _dict(action).get("value")
            if isinstance(parameter, str) and parameter.strip() and value is not None:  # null clears it
                statements.append({"set": _var(parameter), "value": _value(value),
                                   "span": source.item_span(actions, index)})
        for message in self.messages(fulfillment):
            statements.extend(self.message(source, message))
        if isinstance(fulfillment.get("webhook"), str):
            statements.append({"action": "webhook", "text": fulfillment["webhook"],
                               "span": source.span(fulfillment, "webhook")})
        return statements

    def messages(self, fulfillment: dict) -> list[dict]:
        """The fulfillment's messages, then those of the first of its conditional cases (like a variant)."""
        found = [m for m in _list(fulfillment.get("messages")) if isinstance(m, dict)]
        for group in _list(fulfillment.get("conditionalCases")):
            cases = [c for c in _list(_dict(group).get("cases")) if isinstance(c, dict)]
            while cases:
                content = _list(cases[0].get("caseContent"))
                found += [_dict(item["message"]) for item in content if isinstance(item, dict) and item.get("message")]
                nested = [_dict(item.get("additionalCases")) for item in content
                          if isinstance(item, dict) and item.get("additionalCases")]
                cases = [c for c in _list(nested[0].get("cases")) if isinstance(c, dict)] if nested else []
        language = self.agent.language_code.split("-")[0].lower()
        return [m for m in found if str(m.get("languageCode") or language).split("-")[0].lower() == language]

    def message(self, source: SourceFile, message: dict) -> list[dict]:
        if "text" in message:
            # `text` means three things in an export; here it is {"text": ["variant", ...]}.
            if not isinstance(message["text"], dict) or not isinstance(message["text"].get("text", []), list):
                wrong, where = (message, "'text' of a message") if not isinstance(message["text"], dict) \
                    else (message["text"], "'text' of a text message")
                expected = "an object" if wrong is message else "a list"
                self.agent.error(f"{where} should be {expected}, not {json_type(wrong['text'])}", source, wrong, "text")
                return []
            texts = _list(_dict(message["text"]).get("text"))
            for index, raw in enumerate(texts):  # variants: the first non-empty one
                if isinstance(raw, str) and raw.strip():
                    if _GENERATED.match(raw):
                        return []  # a generator's output, counted with the generators
                    text = _text(raw)
                    return [{"say": text, "span": source.item_span(texts, index)}] if text else []
            return []
        if "payload" in message:
            return self.payload(source, _dict(message["payload"]))
        if "liveAgentHandoff" in message:
            metadata = _dict(_dict(message["liveAgentHandoff"]).get("metadata"))
            team = next((str(metadata[k]) for k in ("team", "queue", "department", "group", "skill")
                         if isinstance(metadata.get(k), str)), None)
            return [{"handoff": team, "span": source.span(message)}]
        if "telephonyTransferCall" in message:
            number = _dict(message["telephonyTransferCall"]).get("phoneNumber")
            return [{"handoff": str(number) if number else None, "span": source.span(message)}]
        if "endInteraction" in message:
            return [{"end": True, "span": source.span(message)}]
        if "outputAudioText" in message:
            audio = _dict(message["outputAudioText"])
            raw = audio.get("text") or audio.get("ssml")
            return [{"say": _text(raw), "span": source.span(audio)}] if isinstance(raw, str) and _text(raw) else []
        kind = next((key for key in message if key not in ("languageCode", "channel")), "empty")
        if kind != "conversationSuccess":  # a success signal for analytics: nothing is said
            self.agent.skip(f"messages of type '{kind}'", message)
        return []

    def payload(self, source: SourceFile, payload: dict) -> list[dict]:
        """Rich content: chips and buttons become options of the message before them."""
        if "richContent" not in payload:
            self.agent.skip("custom payloads", payload)
            return []
        found = []
        for row in _list(payload["richContent"]):
            for element in (row if isinstance(row, list) else [row]):
                element = _dict(element)
                kind = str(element.get("type", "?"))
                if kind == "chips":
                    if not isinstance(element.get("options", []), list):
                        self.agent.error(f"'options' of chips should be a list, not {json_type(element['options'])}",
                                         source, element, "options")
                    items = _list(element.get("options"))
                    options = [self.option(source, items, i, "text") for i in range(len(items))]
                    found.append({"_options": [o for o in options if o], "_kind": "replies", "_node": element})
                elif kind == "button" and element.get("text"):
                    option = {"label": str(element["text"]), "span": source.span(element)}
                    if element.get("link"):
                        option["url"] = str(element["link"])
                    found.append({"_options": [option], "_kind": "buttons", "_node": element})
                else:
                    self.agent.skip(f"rich content elements of type '{kind}'", element)
        return found

    @staticmethod
    def option(source: SourceFile, items: list, index: int, key: str) -> dict | None:
        item = _dict(items[index])
        if not isinstance(item.get(key), str) or not item[key].strip():
            return None
        option = {"label": item[key].strip(), "span": source.span(item, key)}
        if isinstance(item.get("link"), str) and item["link"]:
            option["url"] = item["link"]
        return option

    # --- form, routes, fallbacks ----------------------------------------------------------------------

    def question(self, past_branches: bool = False, convert: bool = True) -> dict | None:
        """The message just sent, as the question the next answer replies to (None: there is none).
        `past_branches`: condition routes after it are checked again once the person answers."""
        index = len(self.do) - 1 if not self.closed else -1
        while past_branches and index >= 0 and "if" in self.do[index]:
            index -= 1
        last = self.do[index] if index >= 0 else {}
        if "say" in last and convert:
            self.do[index] = last = {"ask": last["say"], "span": last["span"]}
        return last if "ask" in last and not last.get("capture") and not _routed(last) else None

    def parameter(self, parameter: dict, intents: list[tuple[SourceFile, dict]]) -> None:
        """A required form parameter: its prompt asks, the answer fills it. An answer that is not the
        parameter may match an intent route in scope (the page's, its groups', the flow's), else it goes
        to the parameter's reprompt handlers, whose message is the parameter's question from then on."""
        fill = _dict(parameter.get("fillBehavior"))
        self.add(self.fulfillment(self.source, _dict(fill.get("initialPromptFulfillment"))))
        name = _var(str(parameter.get("displayName") or "value"))
        expect = EXPECT.get(str(parameter.get("entityType")), "text")
        handlers = _handlers(self.source, fill, "repromptEventHandlers")
        self._filling = {"name": name, "expect": expect, "answered": None, "reprompts": []}
        otherwise = self.fallback(handlers, f"{name} no-match") if handlers else None
        filling, self._filling = self._filling, None
        branches = [b for source, route in intents if (b := self.intent_branch(source, route))]
        branches += self.shared_branches(intents)
        if branches:
            span = self.source.span(parameter)
            branches.append({"goto": otherwise or self.step, "span": span})
            otherwise = self.new_step(f"{name} other", branches, span)
        for reprompt in filling["reprompts"]:
            if otherwise:
                reprompt["otherwise"] = otherwise  # not the parameter again: the next reprompt handler
        ask = self.question()
        span = self.source.span(parameter)
        if ask is None:  # nothing was said: the person answers an earlier message (another flow's, often)
            self.add([{"wait_for_reply": None, "span": span}])
            if otherwise:
                self.add([{"if": {"var": name, "equals": "", "span": span}, "then": otherwise, "span": span}])
            self.add([{"set": name, "value": None, "span": span}])
        else:
            ask["capture"] = name
            ask["expect"] = expect
            if otherwise:
                ask["otherwise"] = otherwise
            if otherwise and (ask.get("replies") or ask.get("buttons")):
                # Tapping a chip answers the question: it goes where the captured answer goes.
                ask["then"] = filling["answered"] = self.split(f"{name} answered", ask["span"], filling["answered"])
                for option in ask.get("replies", []) + ask.get("buttons", []):
                    option.setdefault("goto", ask["then"])
                return
        if filling["answered"]:  # an answer to a reprompt goes on with the form from here
            self.split(f"{name} answered", span, filling["answered"])

    def check(self, source: SourceFile, route: dict) -> None:
        """A condition route -> if. One that always matches runs in place: without a target, what it
        says or calls (a webhook setting parameters) is followed by the next routes, evaluated again."""
        test = _condition(str(route.get("condition") or "true"))
        if test is None:
            self.add(self.fulfillment(source, _dict(route.get("triggerFulfillment"))))
            self.add(self.jump(source, route) or [])
        elif self.jump(source, route) is None:
            # No target: when it matches, what it does runs, and the routes after it are still checked.
            said = self.fulfillment(source, _dict(route.get("triggerFulfillment")))
            if not said:
                return
            stops = any(_stops(statement) for statement in said)
            following = None if stops else self.reserve("next")
            do: list[dict] = []
            self.add(said + ([] if stops else [{"goto": following, "span": source.span(route)}]), into=do)
            done = self.new_step("route", do, source.span(route))
            self.add([{"if": {**test, "span": source.span(route, "condition")}, "then": done,
                       "span": source.span(route, "condition")}])
            if following:
                self.split("next", source.span(route), following)
        else:
            self.branch(test, source, route, "condition", "route", False)

    def branch(self, test: dict, source: SourceFile, route: dict, key: str, label: str, after_input: bool,
               quiet: bool = False) -> None:
        target = self.target(source, route, label, after_input, quiet)
        if target:
            # Point at the target when the branch jumps straight to it (a misspelt page shows there).
            direct = isinstance(route.get("targetPage"), str) and target == self.flow.page_step(route["targetPage"])
            span = source.span(route, "targetPage" if direct else key)
            if self.form and self.only_given_by(test, self.called):
                # After a form, a value only a flow this page calls gives: it ran, and filled what it fills.
                filled = dict.fromkeys(name for flow in sorted(self.called) for name in self.agent.fills[flow]
                                       if test["var"] in self.agent.fills[flow])
                statements = [{"set": name, "value": None, "span": source.span(route, key)} for name in filled]
                target = self.new_step(f"{label} filled", statements + [{"goto": target, "span": span}],
                                       source.span(route, key))
            self.add([{"if": {**test, "span": source.span(route, key)}, "then": target, "span": span}])

    def only_given_by(self, test: dict, called: set[str]) -> bool:
        """Whether `test` shows a parameter holds a value that only the `called` flows give it: nothing
        in this flow or in the flows that lead to it may set it (forms, set actions, intents), so it holds
        only once such a flow has run and come back."""
        name = test.get("var")
        if name in (None, "condition", "intent", "event") or not _proves_value(test) \
                or not any(name in self.agent.fills.get(flow, []) for flow in called):
            return False
        return not any(name in self.agent.may_set(flow) for flow in self.agent.flows_before(self.flow.name))

    def listen(self, intents: list[tuple[SourceFile, dict]]) -> None:
        """Wait for the person (unless this page routes the first message), route by intent, else fall back.
        When something stays on the page, the routes after the wait are a step of their own ("<Page>_listen")."""
        own = bool(self.own_fallbacks)
        fallback = self.fallback(self.own_fallbacks if own else self.flow.fallbacks, "no-match", quiet=not own)
        otherwise = fallback or self.stay_target(after_input=True)
        shared = self.shared_branches(intents)
        ask = self.question(past_branches=True, convert=bool(intents or shared)) if self.waits else None
        span = self.source.span(self.page, "displayName")
        if self.waits and ask is None:
            # CX classifies what the person says: the intent routes below test it
            self.add([{"wait_for_reply": None, "span": span, **({"capture": "intent"} if intents or shared else {})}])
        if ask is not None and ask is self.do[-1] and self.menu(ask, intents, otherwise, shared):
            if self._listen:  # once the person stays on the page, what they type is routed like the chips
                branches = [{**branch, "span": branch["if"]["span"]}  # its target is reported at the chip
                            for source, route in intents if (branch := self.intent_branch(source, route))]
                self.extra.append({"name": self._listen, "do": branches + [{"goto": ask["otherwise"], "span": span}],
                                   "span": span})
            return
        if ask is not None and (intents or shared):
            ask["capture"] = "intent"  # CX classifies the answer; the branches below test it
        branches = [branch for source, route in intents if (branch := self.intent_branch(source, route))]
        if self._listen and self.waits:
            # Condition routes are checked again after each answer: those after the question move along;
            # those checked before the page waits (it asked nothing) are checked there too.
            if ask is not None:
                waited = next(i for i, statement in enumerate(self.do) if statement is ask)
                checked_again = self.do[waited + 1:]
                del self.do[waited + 1:]
            else:
                checked = len(self.do) - 1
                while checked and "if" in self.do[checked - 1]:
                    checked -= 1
                checked_again = copy.deepcopy(self.do[checked:-1])
            self.split("listen", span, self._listen)
            self.add(checked_again)
        self.add(branches + shared + [{"goto": otherwise, "span": span}])

    def intent_branch(self, source: SourceFile, route: dict) -> dict | None:
        intent = str(route["intent"])
        target = self.target(source, route, intent, True)
        if self.index == 0 and target:
            self.flow.route_steps[id(route)] = target  # the flow's routes: other pages branch here too
        if not target:
            return None
        direct = isinstance(route.get("targetPage"), str) and target == self.flow.page_step(route["targetPage"])
        return {"if": {"var": "intent", "equals": intent, "span": source.span(route, "intent")}, "then": target,
                "span": source.span(route, "targetPage" if direct else "intent")}

    def menu(self, ask: dict, intents: list[tuple[SourceFile, dict]], otherwise: str, shared: list[dict]) -> bool:
        """Chips that match every intent route one to one: a button menu, routed on the options."""
        names = [str(route["intent"]) for _, route in intents]
        if not ask.get("replies") or not names or len(set(names)) != len(names):
            return False
        chosen = []
        for option in ask["replies"]:
            label = " ".join(option["label"].casefold().split())
            chosen.append(next((i for i, name in enumerate(names) if label in self.agent.phrases(name)), None))
        if None in chosen or set(chosen) != set(range(len(names))):
            return False
        for option, index in zip(ask["replies"], chosen):
            source, route = intents[index]
            option["goto"] = self.target(source, route, names[index], True) or otherwise
        if shared:  # typed text may still match one of the flow's routes
            span = self.source.span(self.page, "displayName")
            otherwise = self.new_step("other", shared + [{"goto": otherwise, "span": span}], span)
        ask["otherwise"] = otherwise
        self.closed = True
        return True

    def fallback(self, handlers: list[tuple[SourceFile, dict]], label: str, quiet: bool = False) -> str | None:
        """The step an unmatched answer goes to: handlers with a target as branches, then the first reprompt.
        `quiet`: the flow's handlers on another page: their jumps only (their messages are linted once)."""
        branches, reprompt = [], None
        for source, handler in handlers:
            if handler.get("targetPage") or handler.get("targetFlow"):
                branches.append((source, handler))
                continue
            said = self.fulfillment(source, _dict(handler.get("triggerFulfillment")), quiet)
            if reprompt is None and said:
                reprompt = (source, handler, said)
        if not branches and reprompt is None:
            return None
        if not reprompt and len(branches) == 1 and re.search(r"-(default|1)$", str(branches[0][1].get("event"))):
            source, handler = branches[0]
            return self.target(source, handler, str(handler.get("event")), True, quiet)
        do: list[dict] = []
        for source, handler in branches:
            event = str(handler.get("event"))
            target = self.target(source, handler, event, True, quiet)
            do.append({"if": {"var": "event", "equals": event, "span": source.span(handler, "event")},
                       "then": target, "span": source.span(handler)})
        source, node = reprompt[:2] if reprompt else branches[0]
        self.add(reprompt[2] if reprompt else [], into=do)
        if not any(_stops(statement) for statement in do):
            do += self.stay(do, source, node, True)
        return self.new_step(label, do, source.span(node))

    def target(self, source: SourceFile, route: dict, label: str, after_input: bool,
               quiet: bool = False) -> str | None:
        """The step a route leads to (made once per route): its target page, or a small step with what
        it says and where it goes."""
        key = (id(route), after_input, quiet)
        if key not in self._targets:
            self._targets[key] = self._target(source, route, label, after_input, quiet)
        return self._targets[key]

    def _target(self, source: SourceFile, route: dict, label: str, after_input: bool, quiet: bool) -> str | None:
        said = self.fulfillment(source, _dict(route.get("triggerFulfillment")), quiet)
        if isinstance(route.get("intent"), str) and not quiet:
            # What the intent extracted from the message becomes session parameters.
            said = [{"set": _var(name), "value": None, "span": source.span(route, "intent")}
                    for name in self.agent.intent_parameters(route["intent"])] + said
        jump = self.jump(source, route)
        if not said and jump and len(jump) == 1 and "goto" in jump[0]:
            return jump[0]["goto"]
        if not said and jump is None:
            return self.stay_target(after_input) if after_input else None  # a condition that only sets values
        do: list[dict] = []
        self.add(said, into=do)
        if not any(_stops(statement) for statement in do):
            self.add(jump if jump is not None else self.stay(do, source, route, after_input), into=do)
        return self.new_step(label, do, source.span(route))

    def jump(self, source: SourceFile, route: dict) -> list[dict] | None:
        """Where a route goes, as statements; None if it stays on the page."""
        if route.get("targetFlow"):
            flow = self.agent.flow_name(str(route["targetFlow"]))
            span = source.span(route, "targetFlow")
            if flow not in self.flow.flow_names:
                self.agent.error(f"route names flow '{flow}', which the agent does not define", source, route,
                                 "targetFlow")
            if self.resume is None:
                return [{"end": True, "span": span}]  # the conversation goes on there (linted on its own)
            # That flow runs (linted on its own), fills its parameters and comes back to this page's routes.
            return [{"set": name, "value": None, "span": span} for name in self.agent.fills.get(flow, [])] + \
                [{"goto": self.resume, "span": span}]
        name = route.get("targetPage")
        if not isinstance(name, str) or not name:
            return None
        span = source.span(route, "targetPage")
        special = _special(name)
        if name in self.flow.by_page or special not in SPECIAL:
            return [{"goto": self.flow.page_step(name), "span": span}]
        if special in ENDS:
            return [{"end": True, "span": span}]
        if special == ESCALATION:
            return [{"handoff": None, "span": span}]
        if special == "CURRENT_PAGE":
            return [{"goto": self.step, "span": span}]
        if special == "START_PAGE":
            return [{"goto": self.flow.step_names[0], "span": span}]
        back = [step for step in self.flow.predecessors.get(self.display, []) if step != self.step]
        if not back:
            return [{"end": True, "span": span}]  # no page leads here: back to whatever flow called this one
        branches = [{"if": {"var": "previous_page", "equals": step, "span": span}, "then": step, "span": span}
                    for step in back[:-1]]
        return branches + [{"goto": back[-1], "span": span}]

    def stay(self, do: list[dict], source: SourceFile, route: dict, after_input: bool) -> list[dict]:
        """Staying on the page: the last message is the question the person answers next, then the page's
        routes are checked again; its entry messages and form are not repeated. While a form parameter is
        asked, a reprompt is that parameter's question: its answer goes on with the form."""
        span = source.span(route)
        if self._filling is not None:
            filling = self._filling
            filling["answered"] = filling["answered"] or self.reserve(f"{filling['name']} answered")
            if do and "say" in do[-1]:
                do[-1] = {"ask": do[-1]["say"], "capture": filling["name"], "expect": filling["expect"],
                          "then": filling["answered"], "span": do[-1]["span"]}
                filling["reprompts"].append(do[-1])
                return []
            return [{"wait_for_reply": None, "span": span}, {"set": filling["name"], "value": None, "span": span},
                    {"goto": filling["answered"], "span": span}]
        wait = []
        if do and "say" in do[-1]:
            do[-1] = {"ask": do[-1]["say"], "span": do[-1]["span"]}
        elif not (do and "ask" in do[-1] and not _routed(do[-1])):
            wait = [{"wait_for_reply": None, "span": span}]
        return wait + [{"goto": self.listen_step(), "span": span}]

    def stay_target(self, after_input: bool) -> str:
        """A step that waits for the person's next message, then checks the page's routes again."""
        if self._wait_step is None:
            span = self.source.span(self.page, "displayName")
            self._wait_step = self.new_step("wait", [{"wait_for_reply": None, "span": span},
                                                     {"goto": self.listen_step(), "span": span}], span)
        return self._wait_step

    def new_step(self, label: str, do: list[dict], span: dict) -> str:
        name = identifier(f"{self.step} {label}", self.flow.taken)
        self.extra.append({"name": name, "do": do, "span": span})
        return name


class _PlaybookBuilder:
    """A playbook (a generative agent: instructions for an LLM, plus example conversations) into one
    flow per example. The examples are the conversation its author meant: what the person says, what
    the agent answers, the tools it calls. The instructions are prompts, not conversation: skipped."""

    def __init__(self, agent: _Agent, source: SourceFile, folder: Path, name: str, is_start: bool) -> None:
        self.agent, self.source, self.folder, self.name, self.is_start = agent, source, folder, name, is_start

    def build(self) -> list[dict]:
        data = self.source.data
        if _dict(data.get("instruction")).get("steps") or data.get("steps") or data.get("goal"):
            self.agent.skip("playbook instructions (prompts for an LLM)", data)
        for key, what in (("codeBlock", "code blocks"), ("inlineActions", "code blocks"),
                          ("handlers", "playbook event handlers")):
            if data.get(key):
                self.agent.skip(what, data[key], len(_list(data[key])) or 1)
        flows = []
        for index, example in enumerate(_examples(self.agent, self.folder)):
            steps = self.example(example)
            if steps is None:
                continue
            label = str(example.data.get("displayName") or f"Example {index + 1}")
            span = example.span(example.data, "actions")
            flow = {"kind": "flow", "name": f"{self.name} {label}", "title": f"{self.name}: {label}",
                    "trigger": steps.pop(0), "steps": [{"name": "start", "do": steps, "span": span}], "span": span}
            if isinstance(data.get("goal"), str) and data["goal"].strip():
                flow["description"] = data["goal"]
            flows.append(flow)
        return flows

    def example(self, example: SourceFile) -> list[dict] | None:
        """[trigger, statements...] of one example conversation; None if it has no agent message."""
        actions = _list(example.data.get("actions"))
        do: list[dict] = []
        trigger: dict = {"kind": "message", "span": example.span(example.data, "actions")}
        for index, action in enumerate(actions):
            action = _dict(action)
            span = example.item_span(actions, index)
            said = _dict(action.get("userUtterance")).get("text")
            if isinstance(said, str):
                if not do and "keywords" not in trigger:
                    if self.is_start:
                        trigger["keywords"] = [said.strip()] if said.strip() else []
                    continue
                if do and "say" in do[-1]:
                    do[-1] = {"ask": do[-1]["say"], "span": do[-1]["span"]}  # the person answers it
                elif not (do and "ask" in do[-1]):
                    do.append({"wait_for_reply": None, "span": span})
                continue
            answer = _dict(action.get("agentUtterance")).get("text")
            if isinstance(answer, str):
                if _text(answer):
                    do.append({"say": _text(answer), "span": example.span(action["agentUtterance"], "text")})
                if len(do) == 1 and self.is_start and "keywords" not in trigger:
                    trigger["kind"] = "start"  # the agent speaks before the person has said anything
                continue
            if action.get("toolUse"):
                tool = _dict(action["toolUse"])
                do.append({"action": "webhook", "text": str(tool.get("action") or tool.get("tool") or "tool"),
                           "span": span})
                continue
            kind = next((key for key in action if key not in ("name", "languageCode")), "empty")
            self.agent.skip({"playbookInvocation": "playbook invocations in examples (linted where defined)",
                             "flowInvocation": "flow invocations in examples (linted where defined)"}.get(
                                 kind, f"example actions of type '{kind}'"), action)
        if not any("say" in statement or "ask" in statement for statement in do):
            self.agent.skip("playbook examples without an agent message", example.data)
            return None
        return [trigger] + do + [{"end": True, "span": example.span(example.data, "actions")}]


IMPORTER = Importer(
    name="dialogflow-cx",
    description="Dialogflow CX agent export (a folder with agent.json and flows/)",
    load=load,
    claims_folder=claims_folder,
    # flows/ is what the import walks; a missing agent.json is an error of its own.
    refuses=needs_folder("a Dialogflow CX agent", "a folder with agent.json and flows/",
                         lambda folder: (folder / "flows").is_dir()),
)
