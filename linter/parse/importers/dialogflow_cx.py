"""Dialogflow CX agent exports (the JSON package: a folder with `agent.json` and `flows/`).

Each CX flow (`flows/<Flow>/<Flow>.json` plus `flows/<Flow>/pages/*.json`) becomes one
flow with a `message` trigger (a CX session always starts with the person writing).
Flows and pages name each other by display name; the whole agent is read as one unit.

How the CX runtime moves, and how that is mapped:

* The flow's start page (the flow file itself) becomes the first step, "Start_Page";
  every page becomes a step named from its display name.
* Entering a page sends its entry fulfillment (text -> say, first variant only;
  `conditionalCases` -> the first case's messages, like a variant; webhook -> action
  webhook; `liveAgentHandoff`/telephony transfer -> handoff; chips -> options of an ask).
* A form asks each required parameter: its prompt -> ask with capture of the parameter
  (an empty prompt turns the entry message just before it into the question).
* Routes with only a condition -> `if` (one `$param = value` comparison maps to
  var/equals; anything else is kept as `condition == "<text>"`). `true` and the
  form-complete test `$page.params.status = "FINAL"` always match: such a route runs in
  place, and without a target the routes after it are still checked (CX checks them again
  once its webhook or parameters have run). Event handlers (webhook.error...) -> `if event`.
* Then the page waits for the person (its last message becomes the question, or a
  `wait for reply`; condition routes after that message are checked again after the
  answer, as CX does every turn), and routes by intent: the question captures `intent`, then
  `if intent == "<intent>" -> target`.
  Chips get their own targets only when they match every intent route one to one (a pure
  button menu; matched by intent name or training phrase, read from `intents/`).
  The agent's start page routes the person's first message, so it does not wait first.
* Anything unmatched goes to the no-match/no-input handlers (page, else flow): handlers
  with a target are `if event == "<event>"` branches, the first reprompt is said, and
  the page is entered again (its question is asked again).
* A route that says something, or ends, or stays on the page gets a small step of its own
  ("<Page>_<intent>") holding its messages and jump; a plain page target is jumped to.
  Staying on a page always passes through the person's next message, so the model has no
  loop of bot messages that CX would not send. Route groups (`transitionRouteGroups/`)
  add their routes to the pages that use them.
* Targets: a page -> goto; END_FLOW, END_SESSION, END_FLOW_WITH_FAILURE/CANCELLATION ->
  end; END_FLOW_WITH_HUMAN_ESCALATION -> handoff; CURRENT_PAGE -> the page again;
  START_PAGE -> the first step; PREVIOUS_PAGE -> a branch per page that leads here;
  `targetFlow` -> end (the conversation continues in that flow, linted on its own).

Flow-level intent routes are in scope on every page of a flow; they are kept on the start
page only (copying them onto every page would multiply options). Generators, generative
fallback, data-store answers, playbooks, media and unknown message kinds are skipped
with one notice per kind. Voice markup (SSML tags) is dropped and `$session.params.x`
becomes the placeholder `{x}`. CX has no channel, audience or schedule: config supplies them.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from linter.errors import FlowSyntaxError
from linter.parse.importers import Importer, ImportResult
from linter.parse.importers._source import SourceFile, identifier, read_json

ENDS = {"END_FLOW", "END_SESSION", "END_FLOW_WITH_FAILURE", "END_FLOW_WITH_CANCELLATION"}
ESCALATION = "END_FLOW_WITH_HUMAN_ESCALATION"
SPECIAL = ENDS | {ESCALATION, "CURRENT_PAGE", "PREVIOUS_PAGE", "START_PAGE"}
FALLBACK_EVENT = re.compile(r"^sys\.no-(match|input)-(default|\d+)$")
EXPECT = {"@sys.email": "email", "@sys.phone-number": "phone", "@sys.number": "number",
          "@sys.number-integer": "number", "@sys.cardinal": "number", "@sys.ordinal": "number",
          "@sys.date": "date", "@sys.date-time": "date", "@sys.date-period": "date", "@sys.time": "date"}
_PARAM = re.compile(r"\$(?:session\.params|page\.params|intent\.params|flow|request\.generative)\.([A-Za-z_][\w\-]*)")
_GENERATED = re.compile(r"^\s*\$request\.generative\.[\w\-]+\s*$")
_SSML = re.compile(r"</?[A-Za-z][\w\-]*(?:\s[^<>]*)?/?>")
_FINAL = re.compile(r'^\(?\s*\$page\.params\.status\s*=\s*"?FINAL"?\s*\)?$', re.I)
_COMPARE = re.compile(r'^\$(?:session\.params|page\.params|intent\.params|flow)\.([\w\-]+)\s*(!=|=)\s*'
                      r'("(?:[^"\\]|\\.)*"|[\w.\-]+)$')


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


def _condition(text: str) -> dict[str, str] | None:
    """var/equals for one comparison; `condition == text` for anything else; None if always true."""
    parts = [part.strip() for part in re.split(r"\s+AND\s+", (text or "").strip())]
    parts = [part for part in parts if part and part.lower() != "true" and not _FINAL.match(part)]
    if not parts:
        return None
    if len(parts) == 1 and (match := _COMPARE.match(parts[0])):
        value = match[3][1:-1].replace('\\"', '"').replace("\\,", ",") if match[3].startswith('"') else match[3]
        return {"var": _var(match[1]), "equals" if match[2] == "=" else "not_equals": value}
    return {"var": "condition", "equals": " AND ".join(parts)}


class _Agent:
    """The whole export: files read with positions, and what was skipped, for one notice per kind."""

    def __init__(self, folder: Path, display: str, result: ImportResult) -> None:
        self.folder, self.display, self.result = folder, display, result
        self.skipped: Counter[str] = Counter()
        self._seen: set[tuple[str, int]] = set()
        self._files: dict[Path, SourceFile | None] = {}
        self.language_code = "en"
        self._intents: dict[str, Path] | None = None
        self._phrases: dict[str, set[str]] = {}

    def shown(self, path: Path) -> str:
        return os.path.normpath(os.path.join(self.display, path.relative_to(self.folder).as_posix()))

    def read(self, path: Path) -> SourceFile | None:
        """A JSON object file with positions, read once; None (and an error) if it is broken."""
        if path not in self._files:
            self.result.files += 1
            try:
                source = read_json(path, self.shown(path))
                if not isinstance(source.data, dict):
                    raise FlowSyntaxError("dialogflow-cx: expected a JSON object", source.display, 1, 1)
                self._files[path] = source
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
        self.result.errors.append(FlowSyntaxError(f"dialogflow-cx: {message}", source.display,
                                                  span["line"], span["col"]))

    def phrases(self, intent: str) -> set[str]:
        """An intent's training phrases (lower case), read only when chips need matching."""
        if self._intents is None:
            base = self.folder / "intents"
            self._intents = {unquote(p.name): p for p in base.iterdir() if p.is_dir()} if base.is_dir() else {}
        if intent not in self._phrases:
            found: set[str] = {intent.casefold()}
            folder = self._intents.get(intent)
            path = folder / "trainingPhrases" / f"{self.language_code}.json" if folder else None
            if path and path.is_file() and (source := self.read(path)):
                for phrase in _list(source.data.get("trainingPhrases")):
                    words = "".join(str(_dict(part).get("text", "")) for part in _list(_dict(phrase).get("parts")))
                    found.add(" ".join(words.casefold().split()))
            self._phrases[intent] = found
        return self._phrases[intent]


def load(path: Path, display: str) -> ImportResult:
    result = ImportResult(data={"flows": []}, files=0)
    agent = _Agent(path, display, result)
    settings = agent.read(path / "agent.json")
    settings = settings.data if settings else {}
    agent.language_code = str(settings.get("defaultLanguageCode") or "en")
    language = agent.language_code.split("-")[0].lower() if settings.get("defaultLanguageCode") else None
    folders = sorted(p for p in (path / "flows").iterdir() if p.is_dir())
    flows: dict[str, tuple[SourceFile, Path]] = {}
    for folder in folders:
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
    start = str(settings.get("startFlow") or "Default Start Flow")
    order = sorted(flows, key=lambda name: (name != start, name))
    taken: set[str] = set()
    for name in order:
        source, folder = flows[name]
        try:
            flow = _FlowBuilder(agent, source, folder, name, is_start=(name == order[0]), flows=set(flows)).build()
        except Exception as error:  # noqa: BLE001 - an unexpected shape in one flow must not stop the others
            result.errors.append(FlowSyntaxError(f"dialogflow-cx: cannot read flow '{name}' ({error})", source.display))
            continue
        flow["name"] = identifier(name, taken)
        flow["language"] = language
        result.data["flows"].append(flow)
    if (path / "playbooks").is_dir():
        agent.skip("playbooks (generative agents)", path, sum(1 for p in (path / "playbooks").iterdir() if p.is_dir()))
    result.notices.extend(f"dialogflow-cx: skipped {count} {what} in {display}"
                          for what, count in sorted(agent.skipped.items()))
    return result


class _FlowBuilder:
    """One CX flow into one model flow: the start page and every page, each with its route steps."""

    def __init__(self, agent: _Agent, source: SourceFile, folder: Path, name: str, is_start: bool,
                 flows: set[str]) -> None:
        self.agent, self.source, self.name, self.is_start, self.flow_names = agent, source, name, is_start, flows
        self.pages: list[tuple[SourceFile, dict]] = [(source, source.data)]
        for path in sorted((folder / "pages").glob("*.json")):
            if page := agent.read(path):
                self.pages.append((page, page.data))
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

    def build(self) -> dict:
        steps: list[dict] = []
        for index, (source, page) in enumerate(self.pages):
            try:
                steps.extend(_Page(self, source, page, index).build())
            except Exception as error:  # noqa: BLE001 - one odd page must not lose the flow
                self.agent.error(f"cannot read page ({error})", source, page)
        span = self.source.span(self.source.data, "displayName")
        flow = {"kind": "flow", "name": "flow", "title": self.name, "trigger": {"kind": "message", "span": span},
                "steps": steps, "span": span}
        description = self.source.data.get("description")
        if isinstance(description, str) and description.strip():
            flow["description"] = description
        return flow

    def page_step(self, name: str) -> str:
        """The step of a page by display name; an unknown page keeps its name (BL001 reports it)."""
        return self.by_page.get(name) or identifier(name, set())

    def routes(self, source: SourceFile, page: dict) -> list[tuple[SourceFile, dict]]:
        """A page's own routes, then those of the route groups it uses (other files)."""
        found = [(source, r) for r in _list(page.get("transitionRoutes")) if isinstance(r, dict)]
        groups = _list(page.get("transitionRouteGroups"))
        for index, group in enumerate(groups):
            if str(group) in self.groups:
                found.extend(self.groups[str(group)])
            else:
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


def _stops(statement: dict) -> bool:
    return "goto" in statement or "end" in statement or "handoff" in statement


def _routed(ask: dict) -> bool:
    options = ask.get("replies", []) + ask.get("buttons", [])
    return bool(ask.get("otherwise") or ask.get("then") or any(o.get("goto") for o in options))


class _Page:
    """One page (or the flow's start page) into its step, plus small steps for routes that say something."""

    def __init__(self, flow: _FlowBuilder, source: SourceFile, page: dict, index: int) -> None:
        self.flow, self.agent, self.source, self.page = flow, flow.agent, source, page
        self.step = flow.step_names[index]
        self.display = str(page.get("displayName") or "") if index else ""
        # The agent's start page routes the person's first message; every other page waits first.
        self.waits = not (index == 0 and flow.is_start)
        self.own_fallbacks = _handlers(source, page)
        self.do: list[dict] = []
        self.extra: list[dict] = []
        self.closed = False
        self._wait_step: str | None = None

    def build(self) -> list[dict]:
        self.add(self.fulfillment(self.source, _dict(self.page.get("entryFulfillment"))))
        if _dict(self.page.get("knowledgeConnectorSettings")).get("enabled"):
            self.agent.skip("data store (knowledge connector) answers", self.page)
        for parameter in _list(_dict(self.page.get("form")).get("parameters")):
            if isinstance(parameter, dict) and parameter.get("required") and not self.closed:
                self.parameter(parameter)  # CX prompts for required parameters only
        routes = self.flow.routes(self.source, self.page)
        for source, route in [(s, r) for s, r in routes if not r.get("intent")]:
            if not self.closed:
                self.check(source, route)
        for handler in _list(self.page.get("eventHandlers")):
            event = str(_dict(handler).get("event", ""))
            if event and not FALLBACK_EVENT.match(event) and not self.closed:
                self.branch({"var": "event", "equals": event}, self.source, handler, "event", event, False)
        if not self.closed:
            self.listen([(s, r) for s, r in routes if r.get("intent")])
        return [{"name": self.step, "do": self.do, "span": self.source.span(self.page, "displayName")}] + self.extra

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
            if isinstance(parameter, str) and parameter.strip():
                value = _dict(action).get("value")
                statements.append({"set": _var(parameter),
                                   "value": value if isinstance(value, str) else None,
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

    def parameter(self, parameter: dict) -> None:
        fill = _dict(parameter.get("fillBehavior"))
        self.add(self.fulfillment(self.source, _dict(fill.get("initialPromptFulfillment"))))
        ask = self.question()
        if ask is None:  # nothing was said: the person answers an earlier message
            self.add([{"wait_for_reply": None, "span": self.source.span(parameter)}])
            return
        ask["capture"] = _var(str(parameter.get("displayName") or "value"))
        ask["expect"] = EXPECT.get(str(parameter.get("entityType")), "text")
        label = f"{ask['capture']} no-match"
        fallback = self.fallback(_handlers(self.source, fill, "repromptEventHandlers"), label)
        if fallback:
            ask["otherwise"] = fallback

    def check(self, source: SourceFile, route: dict) -> None:
        """A condition route -> if. One that always matches runs in place: without a target, what it
        says or calls (a webhook setting parameters) is followed by the next routes, evaluated again."""
        test = _condition(str(route.get("condition") or "true"))
        if test is not None:
            self.branch(test, source, route, "condition", "route", False)
            return
        self.add(self.fulfillment(source, _dict(route.get("triggerFulfillment"))))
        self.add(self.jump(source, route) or [])

    def branch(self, test: dict, source: SourceFile, route: dict, key: str, label: str, after_input: bool,
               quiet: bool = False) -> None:
        target = self.target(source, route, label, after_input, quiet)
        if target:
            # Point at the target when the branch jumps straight to it (a misspelt page shows there).
            direct = isinstance(route.get("targetPage"), str) and target == self.flow.page_step(route["targetPage"])
            span = source.span(route, "targetPage" if direct else key)
            self.add([{"if": {**test, "span": source.span(route, key)}, "then": target, "span": span}])

    def listen(self, intents: list[tuple[SourceFile, dict]]) -> None:
        """Wait for the person (unless this page routes the first message), route by intent, else fall back."""
        own = bool(self.own_fallbacks)
        fallback = self.fallback(self.own_fallbacks if own else self.flow.fallbacks, "no-match", quiet=not own)
        otherwise = fallback or self.stay_target(after_input=True)
        ask = self.question(past_branches=True, convert=bool(intents)) if self.waits else None
        if self.waits and ask is None:
            self.add([{"wait_for_reply": None, "span": self.source.span(self.page, "displayName")}])
        if ask is not None and ask is self.do[-1] and self.menu(ask, intents, otherwise):
            return
        if ask is not None and intents:
            ask["capture"] = "intent"  # CX classifies the answer; the branches below test it
        for source, route in intents:
            intent = str(route["intent"])
            self.branch({"var": "intent", "equals": intent}, source, route, "intent", intent, True)
        self.add([{"goto": otherwise, "span": self.source.span(self.page, "displayName")}])

    def menu(self, ask: dict, intents: list[tuple[SourceFile, dict]], otherwise: str) -> bool:
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
        """The step a route leads to: its target page, or a small step with what it says and where it goes."""
        said = self.fulfillment(source, _dict(route.get("triggerFulfillment")), quiet)
        jump = self.jump(source, route)
        if not said and jump and len(jump) == 1 and "goto" in jump[0]:
            return jump[0]["goto"]
        if not said and jump is None:
            return self.stay_target(after_input) if after_input else None  # a condition that only sets values
        do: list[dict] = []
        self.add(said, into=do)
        if not any(_stops(statement) for statement in do):
            do += jump if jump is not None else self.stay(do, source, route, after_input)
        return self.new_step(label, do, source.span(route))

    def jump(self, source: SourceFile, route: dict) -> list[dict] | None:
        """Where a route goes, as statements; None if it stays on the page."""
        if route.get("targetFlow"):
            flow = str(route["targetFlow"])
            if flow not in self.flow.flow_names:
                self.agent.error(f"route names flow '{flow}', which the agent does not define", source, route,
                                 "targetFlow")
            return [{"end": True, "span": source.span(route, "targetFlow")}]  # that flow is linted on its own
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
        """Staying on the page: enter it again once the person has written (its question is asked again)."""
        span = source.span(route)
        if after_input and self.waits:
            return [{"goto": self.step, "span": span}]
        wait = []
        if do and "say" in do[-1]:
            do[-1] = {"ask": do[-1]["say"], "span": do[-1]["span"]}
        elif not (do and "ask" in do[-1] and not _routed(do[-1])):
            wait = [{"wait_for_reply": None, "span": span}]
        return wait + [{"goto": self.step, "span": span}]

    def stay_target(self, after_input: bool) -> str:
        if after_input and self.waits:
            return self.step
        if self._wait_step is None:
            span = self.source.span(self.page, "displayName")
            self._wait_step = self.new_step("wait", [{"wait_for_reply": None, "span": span},
                                                     {"goto": self.step, "span": span}], span)
        return self._wait_step

    def new_step(self, label: str, do: list[dict], span: dict) -> str:
        name = identifier(f"{self.step} {label}", self.flow.taken)
        self.extra.append({"name": name, "do": do, "span": span})
        return name


IMPORTER = Importer(
    name="dialogflow-cx",
    description="Dialogflow CX agent export (a folder with agent.json and flows/)",
    load=load,
    claims_folder=claims_folder,
)
