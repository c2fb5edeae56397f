"""Rasa projects: a folder with a domain (domain.yml or domain/) and training data (data/).

Where the parts are: the domain is `domain.yml`, or every file of `domain/` that Rasa reads as one
(a mapping with a domain key; a bare list or fragment there is skipped, as Rasa skips it), or, in
Rasa 1.x layouts, the one `domain.yml` of a subfolder (`core/domain.yml`, `de/domain.yml`) when
the training data sits around it. Training data is `data/` (or, without it, the project folder):
YAML stories, rules, CALM flows, responses and NLU, and the Rasa 1.x Markdown stories
(`## story` / `* intent` / `  - action`) and NLU (`## intent:name` / `- example`), read line by
line with positions.

What becomes what:
- every story and rule (YAML or Markdown) and every CALM flow (Rasa Pro `flows:`) is a Flow,
  started by the person (trigger `message`: the first intent as its value, that intent's NLU
  examples, entity annotations reduced to their text, as its keywords); one that starts with the
  `session_start` intent (a chat widget opened) is started by the bot (trigger `start`). The
  language comes from config.yml (or a Rasa 1.x pipeline file such as nlu_config.yml). Channel,
  audience and send window are not in the format.
- a story's user turns (`intent`, `or`, e2e `user`) start steps named after the intent; before
  each, the bot waits for the person (`wait_for_reply`: Rasa's NLU reads every answer, so it is
  no free-text question for a person), or, when the answer fills a slot, the text before asks
  and captures it. Response buttons are options: the one the story follows goes to its turn's
  step; the story is one example, so other buttons and answers go to a step that ends it ("other
  stories handle it"), except a button whose intent no story or rule handles, which has no goto.
- a slot the project fills is `set` where it is filled: `slot_was_set` (Markdown `slot{...}`),
  and at a user turn the slots its entities or its intent fill by the domain's slot mappings
  (or, before Rasa 3, by an entity of the slot's name); a slot with an `initial_value` is set
  at the start of every flow. A `requested_slot` the story records
  without a form that asks it is that slot's question.
- `action: utter_x` sends the response's first variation (a `custom` payload: the first "text"
  in it, with its first list of labelled choices as buttons); a form (`action: some_form`) asks one
  question per required slot and captures it (its `validate_<form>` action, when declared, runs
  before and after each answer); an action whose name says handoff/human/agent is code that
  hands over (a webhook call, which may tell the person something, then the handoff), unless it
  names a bot, skill or assistant (a transfer to another bot) or is a menu of options;
  `pattern_human_handoff` hands over. Rasa's own actions and responses
  (rulesets/platforms/rasa.yaml) are known: bookkeeping is silent, `action_restart` ends, a
  fallback sends the project's response when it defines one. Other custom actions are webhook
  calls. A story ends with `end`, because a Rasa conversation that runs out of story just listens
  (it is not a dead end).
- CALM steps map one to one: `collect` asks and captures, `set_slots` sets, `next` becomes goto,
  `if/then/else` branches and `END` ends; `link` leaves the flow.
- responses no story, rule, flow or form sends (custom actions, fallbacks and retrieval intents
  send them) are one more flow, `responses_sent_by_code`: after the person's message and a
  webhook (the code), a branch to each response's own step, which sends it and ends. Every step
  is reachable and ends, so structure rules have nothing to say about it, while the text rules
  read every text.

Where findings point: the text of a message is the response in the domain (or data file) that
defines it, because that is the line to fix and one `# botlint: disable` there covers every story
that sends it; structure (steps, waits, gotos, the end) points into the story, rule or flow file.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from linter.core.errors import BotlintError
from linter.parse.importers import Importer, ImportResult, needs_folder, read_head
from linter.parse.importers._source import FlowSyntaxError, SourceFile, identifier, read_yaml
from linter.parse.locate import Positions
from linter.parse.source import read_text

_YAML = (".yml", ".yaml")
# Top-level keys only a Rasa domain has (a bare `version:` is in many YAML files).
_DOMAIN_KEY = re.compile(r"^(?:intents|responses|templates|slots|actions|forms|session_config|entities)\s*:", re.M)
# Data files that hold conversation flow or bot texts, and NLU training data (the trigger's keywords).
_FLOW_KEY = re.compile(r"^(?:stories|rules|flows|responses)\s*:", re.M)
_NLU_KEY = re.compile(r"^nlu\s*:", re.M)
# Rasa 1.x Markdown: a story is `## name` followed by `* intent` turns; NLU is `## intent:name`.
_MD_STORY_TURN = re.compile(r"^##[^#\n]*\n(?:[ \t]*(?:<!--.*-->)?[ \t]*\n)*[ \t]*\*[ \t]*[\w/.\-]+", re.M)
_MD_NLU = re.compile(r"^##\s*(?:intent|synonym|regex|lookup):", re.M)
_MD_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CONFIG_NAMES = ("config.yml", "config.yaml")
_CONFIG_KEY = re.compile(r"^(?:language|pipeline|policies|recipe)\s*:", re.M)
_PAYLOAD_INTENT = re.compile(r"^/([^\s{(]+)")
_URL = re.compile(r"^https?://", re.I)
_HANDOFF_WORDS = {"handoff", "handover", "human", "agent"}
# A handoff action that names one of these hands to another bot, or offers a menu: not to a person.
_NOT_A_PERSON = {"bot", "chatbot", "skill", "assistant", "options", "option", "menu"}
_USER_TURN = ("intent", "or", "user")
# Intents Rasa itself answers (`/restart`...), and CALM's button command.
_BUILTIN_INTENTS = {"restart", "back", "session_start", "SetSlots"}
_SESSION_START = "session_start"
_MAX_KEYWORDS = 20
# `[text](entity)`, `[text](entity:value)`, `[text]{"entity": ...}`: the person typed the text.
_ANNOTATION = re.compile(r"\[([^\]\n]*)\](?:\([^)\n]*\)|\{[^}\n]*\})")
_ANNOTATED_ENTITY = re.compile(r"\[[^\]\n]*\](?:\(([^):\n]+)[^)\n]*\)|\{[^}\n]*\"entity\"\s*:\s*\"([^\"]+)\"[^}\n]*\})")
_SKIPPED_DIRS = {"node_modules", "__pycache__", "models", "results"}


@lru_cache(maxsize=1)
def _defaults() -> dict[str, Any]:
    """What Rasa defines itself (rulesets/platforms/rasa.yaml): responses, patterns, built-in actions."""
    from linter.resources import data_dir

    path = data_dir("rulesets") / "platforms" / "rasa.yaml"
    data = read_yaml(path, str(path)).data
    actions = data.get("actions") or {}
    return {"responses": set(data.get("responses") or []), "patterns": set(data.get("patterns") or []),
            "silent": set(actions.get("silent") or []), "ends": set(actions.get("ends") or []),
            "sends": dict(actions.get("sends") or {})}


# --- where a project keeps its parts -------------------------------------------------------

@dataclass
class _Layout:
    domain: list[Path]  # the domain files, merged in this order (the first definition wins)
    in_domain_dir: bool  # the files come from a domain/ folder: Rasa skips those without domain keys
    data: Path | None  # the training data: every file under it
    config: Path | None


def claims_folder(folder: Path) -> bool:
    """A domain (file or folder) that reads like Rasa, plus its training data: only cheap checks."""
    return _layout(folder) is not None


def _is_domain(path: Path) -> bool:
    return path.is_file() and bool(_DOMAIN_KEY.search(read_head(path)))


def _own_domain(folder: Path) -> tuple[list[Path], bool] | None:
    for name in ("domain.yml", "domain.yaml"):
        if (folder / name).is_file():
            return ([folder / name], False) if _is_domain(folder / name) else None
    domain = folder / "domain"
    if domain.is_dir():
        files = sorted(p for p in domain.rglob("*") if p.suffix in _YAML and p.is_file())
        if any(_is_domain(path) for path in files[:20]):
            return files, True
    return None


def _config(*folders: Path) -> Path | None:
    """config.yml, or a Rasa 1.x pipeline file (nlu_config.yml, config_spacy.yml), in the first folder with one."""
    for folder in folders:
        try:
            named = sorted(p for p in folder.glob("*config*") if p.suffix in _YAML and p.name not in _CONFIG_NAMES)
        except OSError:
            continue
        for path in [folder / name for name in _CONFIG_NAMES] + named:
            if path.is_file() and _CONFIG_KEY.search(read_head(path)):
                return path
    return None


def _layout(folder: Path) -> _Layout | None:
    own = _own_domain(folder)
    if own is not None:
        domain, in_dir = own
        config = _config(folder)
        if (folder / "data").is_dir():
            return _Layout(domain, in_dir, folder / "data", config)
        if _training_files_in(folder):  # Rasa 1.x: stories.md and nlu.md next to domain.yml
            return _Layout(domain, in_dir, folder, config)
        return _Layout(domain, in_dir, None, config) if config else None
    # Rasa 1.x: the domain in one subfolder (core/domain.yml), the data around it (nlu/, stories.md).
    try:
        subfolders = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))[:50]
    except OSError:
        return None
    owners = [sub for sub in subfolders if any(_is_domain(sub / name) for name in ("domain.yml", "domain.yaml"))]
    if len(owners) != 1:
        return None
    owner = owners[0]
    if _training_files_in(folder) or any(_training_files_in(sub) for sub in subfolders if sub != owner):
        domain = next(owner / name for name in ("domain.yml", "domain.yaml") if (owner / name).is_file())
        return _Layout([domain], False, folder, _config(folder, owner, *subfolders))
    return None


def _training_files_in(folder: Path) -> bool:
    """Rasa Markdown stories or NLU directly in `folder` (a cheap look at the first few files)."""
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix == ".md" and p.is_file())[:10]
    except OSError:
        return False
    return any(_markdown_kind(read_head(path)) for path in files)


def _markdown_kind(text: str) -> str | None:
    text = _MD_COMMENT.sub("", text)
    if _MD_NLU.search(text):
        return "nlu"
    return "stories" if _MD_STORY_TURN.search(text) else None


# --- the project being read ------------------------------------------------------------------

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
    slots: dict[str, Any] = field(default_factory=dict)  # slot name -> its definition (mappings)
    examples: dict[str, list[str]] = field(default_factory=dict)  # intent -> what people wrote
    example_entities: dict[str, set[str]] = field(default_factory=dict)  # intent -> entities annotated
    sent: set[str] = field(default_factory=set)  # responses some story, rule, flow or form sends
    responses_known: bool = True  # False: a file that may define responses is broken: no "undefined" errors
    language: str | None = None
    skipped: dict[str, tuple[set, set[str]]] = field(default_factory=dict)  # notice kind -> (what, files)
    flow_names: set[str] = field(default_factory=set)
    intents: set[str] = field(default_factory=lambda: set(_BUILTIN_INTENTS))  # intents some turn handles
    # form -> what its one completion rule (`condition: active_loop: form`) does once the form is done
    form_endings: dict[str, tuple[SourceFile, list]] = field(default_factory=dict)
    _retrieval: dict[str, str] | None = None

    def shown(self, path: Path) -> str:
        return os.path.normpath(os.path.join(self.display, os.path.relpath(path, self.folder)))

    def read(self, path: Path) -> SourceFile | None:
        """A YAML file with positions; a broken one is an error and None, the others still load."""
        self.result.files += 1
        try:
            source = read_yaml(path, self.shown(path))
        except BotlintError as exc:
            self.fail(exc)
            return None
        self.result.comments.extend(source.comments)
        return source

    def fail(self, exc: BotlintError) -> None:
        self.result.errors.append(exc if isinstance(exc, FlowSyntaxError)
                                  else FlowSyntaxError(exc.message, exc.path, exc.line, exc.col))

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

    def response(self, name: str) -> tuple[str, _Response] | None:
        """The response an action sends, with its name."""
        found = self.responses.get(name)
        if found is not None:
            return name, found
        if "/" not in name:
            # A retrieval action (utter_faq) answers with one of utter_faq/<question>: lint the first.
            if self._retrieval is None:
                self._retrieval = {}
                for key in self.responses:
                    self._retrieval.setdefault(key.split("/")[0], key)
            key = self._retrieval.get(name)
            if key is not None:
                return key, self.responses[key]
        return None

    def keywords(self, intent: str | None) -> list[str]:
        return self.examples.get(intent, [])[:_MAX_KEYWORDS] if intent else []

    def preset_slots(self) -> dict[str, str]:
        """Slots the domain gives an `initial_value`, with it: filled before anyone speaks."""
        return {slot: str(definition["initial_value"]) for slot, definition in self.slots.items()
                if isinstance(definition, dict) and isinstance(definition.get("initial_value"), (str, int, float))
                and not isinstance(definition.get("initial_value"), bool)}

    def turn_fills(self, intents: list[str], entities: list[str]) -> list[str]:
        """Slots a user turn fills by the domain's slot mappings: the turn's entities (named in the
        story, or annotated in its intent's NLU examples), its intent, or any text. Mappings that
        apply only while a form asks (`conditions`) are the form's questions, not this."""
        entities = set(entities)
        for intent in intents[:1]:
            entities |= self.example_entities.get(intent, set())
        filled = []
        for slot, definition in self.slots.items():
            mappings = definition.get("mappings") if isinstance(definition, dict) else None
            if mappings is None:  # before Rasa 3: a slot takes the entity of its name (auto_fill)
                if slot in entities and not (isinstance(definition, dict) and definition.get("auto_fill") is False):
                    filled.append(slot)
                continue
            for mapping in mappings if isinstance(mappings, list) else []:
                if isinstance(mapping, dict) and not mapping.get("conditions") and _mapping_fills(mapping, intents,
                                                                                                   entities):
                    filled.append(slot)
                    break
        return filled


def _mapping_fills(mapping: dict, intents: list[str], entities: set[str]) -> bool:
    def listed(key: str) -> list[str]:
        value = mapping.get(key)
        return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value is not None else []

    intent = intents[0] if intents else None
    if listed("intent") and intent not in listed("intent") or intent in listed("not_intent"):
        return False
    kind = mapping.get("type")
    if kind == "from_entity":
        return str(mapping.get("entity")) in entities
    return kind in ("from_text", "from_intent")


def load(path: Path, display: str) -> ImportResult:
    project = _Project(path, display, ImportResult(data={"flows": []}, files=0))
    layout = _layout(path) or _Layout(*(_own_domain(path) or ([], False)), path / "data" if (path / "data").is_dir()
                                      else path, _config(path))
    _read_config(project, layout.config)
    for domain in layout.domain:
        _read_domain_file(project, domain, layout.in_domain_dir)
    sources, nlu = _data_files(project, layout)
    for source in sources:  # responses first: stories in any file may send them
        if isinstance(source.data, dict):
            _read_responses(project, source, source.data.get("responses"))
    for source in nlu:
        _read_nlu(project, source)
    for source in sources:
        project.intents.update(_turn_intents(source.data))
    project.form_endings = _form_endings(project, sources)
    for source in sources:
        _read_data(project, source)
    unsent = _unsent_responses(project)
    if unsent is not None:
        project.result.data["flows"].append(unsent)
    project.result.notices.extend(_notices(project))
    return project.result


# --- the files of a project -------------------------------------------------------------

def _read_domain_file(project: _Project, path: Path, in_domain_dir: bool) -> None:
    if in_domain_dir:
        # Rasa reads a file of domain/ only if it has a domain key at the top (is_domain_file).
        try:
            text = read_text(path, project.shown(path))
        except BotlintError as exc:
            project.result.files += 1
            project.fail(exc)
            project.responses_known = False
            return
        if not _DOMAIN_KEY.search(text):
            project.result.files += 1
            project.skip("not_domain", project.shown(path))
            return
    source = project.read(path)
    if source is None:
        project.responses_known = False
    elif isinstance(source.data, dict):
        _read_domain(project, source)


def _data_files(project: _Project, layout: _Layout) -> tuple[list[SourceFile], list[SourceFile]]:
    """Data files with stories, rules, flows or responses, and those with NLU examples (YAML or
    Markdown); the rest (lookups, synonyms, configuration) is counted, not read."""
    if layout.data is None:
        return [], []
    own = {path.resolve() for path in layout.domain} | ({layout.config.resolve()} if layout.config else set())
    files = sorted(p for p in layout.data.rglob("*") if p.is_file() and p.resolve() not in own
                   and not any(part.startswith(".") or part in _SKIPPED_DIRS
                               for part in p.relative_to(layout.data).parts[:-1]))
    flows, nlu = [], []
    for path in files:
        if path.suffix == ".md":
            kind = _markdown_kind(read_head(path))
            if kind is None:
                if re.search(r"^##\s", read_head(path), re.M):  # a heading like Rasa's, but no turns or intents
                    project.skip("markdown_other", project.shown(path))
                continue
            source = _read_markdown(project, path, kind)
            if source is None:
                project.responses_known = project.responses_known and kind == "nlu"
            else:
                (flows if kind == "stories" else nlu).append(source)
        elif path.suffix in _YAML:
            try:
                text = read_text(path, project.shown(path))
            except BotlintError:
                text = "stories:"  # reading it again reports the problem (unreadable, too large) with its path
            if _FLOW_KEY.search(text):
                source = project.read(path)
                if source is None:
                    project.responses_known = False
                else:
                    flows.append(source)
                    if _NLU_KEY.search(text):
                        nlu.append(source)
            elif _NLU_KEY.search(text):
                source = project.read(path)
                if source is not None:
                    nlu.append(source)
            else:
                project.result.files += 1  # lookups, synonyms, configuration: read, nothing to lint
    return flows, nlu


def _read_config(project: _Project, config: Path | None) -> None:
    if config is not None:
        source = project.read(config)
        if source is not None and isinstance(source.data, dict) and isinstance(source.data.get("language"), str):
            project.language = source.data["language"]


def _read_domain(project: _Project, source: SourceFile) -> None:
    data = source.data
    for key in ("responses", "templates"):  # `templates` is the Rasa 1.x name
        _read_responses(project, source, data.get(key), key)
    actions = data.get("actions")
    if actions is not None and not isinstance(actions, list):
        project.error("'actions' should be a list of action names", source, data, "actions")
    for action in actions if isinstance(actions, list) else []:
        if isinstance(action, str):
            project.actions.add(action)
        elif isinstance(action, dict):  # Rasa 3: `- action_x: {send_domain: true}`
            project.actions.update(str(name) for name in action)
    for key in ("intents", "entities"):
        if data.get(key) is not None and not isinstance(data[key], list):
            project.error(f"'{key}' should be a list", source, data, key)
    slots = data.get("slots")
    if isinstance(slots, dict):
        for name, slot in slots.items():
            project.slots.setdefault(str(name), slot)
    elif slots is not None:
        project.error("'slots' should be a mapping of slot names to slots", source, data, "slots")
    forms = data.get("forms")
    if isinstance(forms, dict):
        for name, form in forms.items():
            project.forms.setdefault(str(name), _form_slots(form))
    elif isinstance(forms, list):  # Rasa 1.x: form names; their questions are in Python code
        project.actions.update(str(name) for name in forms if isinstance(name, str))
    elif forms is not None:
        project.error("'forms' should be a mapping of form names to forms", source, data, "forms")


def _form_slots(form: Any) -> list[str]:
    """Required slots: a list (Rasa 3), a mapping of slot -> mappings (Rasa 2), or the old bare mapping."""
    if not isinstance(form, dict):
        return []
    slots = form.get("required_slots", form if "required_slots" not in form else None)
    if isinstance(slots, dict):
        return [str(slot) for slot in slots if slot not in ("ignored_intents",)]
    return [str(slot) for slot in slots] if isinstance(slots, list) else []


def _read_responses(project: _Project, source: SourceFile, responses: Any, key: str = "responses") -> None:
    if responses is None:
        return
    if not isinstance(responses, dict):
        project.error(f"'{key}' should be a mapping of response names to their variations", source, source.data, key)
        return
    for name, variants in responses.items():
        if isinstance(variants, list) and variants and isinstance(variants[0], dict):
            project.responses.setdefault(str(name), _Response(source, variants[0]))
        elif not isinstance(variants, list) or variants and not isinstance(variants[0], dict):
            project.error(f"response '{name}' should be a list of variations (`- text: ...`)", source, responses,
                          str(name))


def _read_nlu(project: _Project, source: SourceFile) -> None:
    """The examples of every intent (YAML `nlu:` or Markdown), for the trigger's keywords."""
    items = source.data.get("nlu") if isinstance(source.data, dict) else None
    if items is None:
        return
    if not isinstance(items, list):
        project.error("'nlu' should be a list", source, source.data, "nlu")
        return
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("intent"), str):
            continue  # synonyms, regexes and lookups: not what people say to start a story
        examples = item.get("examples")
        if isinstance(examples, str):
            lines = [line.strip()[1:].strip() for line in examples.splitlines() if line.strip().startswith("-")]
        elif isinstance(examples, list):  # `- text: ...` (with metadata) or plain strings
            lines = [str(e.get("text") if isinstance(e, dict) else e) for e in examples]
        else:
            continue
        intent = item["intent"]
        for line in lines:
            project.example_entities.setdefault(intent, set()).update(
                a or b for a, b in _ANNOTATED_ENTITY.findall(line))
            text = " ".join(_ANNOTATION.sub(r"\1", line).split())
            known = project.examples.setdefault(intent, [])
            if text and text not in known:
                known.append(text)


# --- Rasa 1.x Markdown -------------------------------------------------------------------

def _read_markdown(project: _Project, path: Path, kind: str) -> SourceFile | None:
    """Markdown stories or NLU as the YAML of Rasa 2 (`stories:` / `nlu:`), with positions."""
    project.result.files += 1
    shown = project.shown(path)
    try:
        text = read_text(path, shown)
    except BotlintError as exc:
        project.fail(exc)
        return None
    # Comments become blanks, so every column stays where it is.
    text = _MD_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)
    positions = Positions()
    data = _markdown_stories(project, shown, text, positions) if kind == "stories" else _markdown_nlu(text)
    return SourceFile(shown, data, positions)


def _md_node(positions: Positions, node: dict, line: int, col: int, end_col: int, keys: tuple = ()) -> dict:
    positions.add_span(node, (line, col, line, end_col))
    positions.add_keys(node, {key: (line, col) for key in (*keys, *node)})
    return node


def _markdown_stories(project: _Project, shown: str, text: str, positions: Positions) -> dict:
    stories: list[dict] = []
    story: dict | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        body = line.lstrip()
        if not body:
            continue
        col = len(line) - len(body) + 1
        if body.startswith("##"):
            story = _md_node(positions, {"story": body.lstrip("#").strip(), "steps": []}, number, col, len(line) + 1)
            stories.append(story)
            continue
        if story is None or body.startswith("#"):  # text before the first story, or a comment line
            if story is None:
                project.skip("markdown line", shown, number)
            continue
        marker, rest = body[0], body[1:].strip()
        at = col + len(body) - len(body[1:].lstrip())  # the column of what follows the marker
        if marker == "*" and rest:
            event = _md_turn(rest)
        elif marker == "-" and rest:
            event = _md_event(rest)
        elif marker == ">" and rest:
            event = {"checkpoint": rest}
        else:
            event = None
        if event is None:
            project.skip("markdown line", shown, number)
            continue
        story["steps"].append(_md_node(positions, event, number, at, len(line) + 1))
        start = positions.span(story)
        positions.add_span(story, (start[0], start[1], number, len(line) + 1))
    return {"stories": stories}


def _md_turn(text: str) -> dict | None:
    """`greet`, `inform{"size": "large"}`, `affirm OR thank`, `greet: hello there` (end-to-end)."""
    alternatives = []
    for part in re.split(r"\s+OR\s+", text):
        match = re.fullmatch(r"([\w/.\-]+)\s*(\{.*\})?\s*(?::\s*(.*))?", part.strip())
        if not match:
            return None
        turn: dict[str, Any] = {"intent": match[1]}
        if match[2]:
            try:
                values = json.loads(match[2])
            except ValueError:
                values = {}
            if isinstance(values, dict) and values:
                turn["entities"] = [{str(key): value} for key, value in values.items()]
        alternatives.append(turn)
    return alternatives[0] if len(alternatives) == 1 else {"or": alternatives}


def _md_event(text: str) -> dict | None:
    """`utter_x`, `action_y`, `slot{"x": "y"}`, `form{"name": "some_form"}`, `form: some_form`."""
    match = re.fullmatch(r"([\w/.\-]+)\s*(\{.*\})?", text)
    if text.startswith("form:"):  # Rasa 1.x: an action that runs while the form is active
        match = re.fullmatch(r"([\w/.\-]+)\s*(\{.*\})?", text[5:].strip())
    if not match:
        return None
    name, values = match[1], {}
    if match[2]:
        try:
            values = json.loads(match[2])
        except ValueError:
            return None
    if name == "slot" and isinstance(values, dict):
        return {"slot_was_set": [{str(key): value} for key, value in values.items()]}
    if name in ("form", "active_loop") and isinstance(values, dict):
        return {"active_loop": values.get("name")}
    return {"action": name}


def _markdown_nlu(text: str) -> dict:
    """`## intent:name` and its `- example` lines as YAML NLU (one `examples` block per intent)."""
    items: list[dict] = []
    current: list[str] | None = None
    for raw in text.splitlines():
        body = raw.strip()
        if body.startswith("##"):
            header = body.lstrip("#").strip()
            current = None
            if header.startswith("intent:"):
                current = []
                items.append({"intent": header[len("intent:"):].strip(), "examples": current})
        elif current is not None and body.startswith("-"):
            current.append(body[1:].strip())
    for item in items:
        item["examples"] = "\n".join(f"- {line}" for line in item["examples"])
    return {"nlu": items}


# --- stories, rules and flows of one data file ----------------------------------------------

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
        kind = "story" if key == "stories" else "rule"
        for index, item in enumerate(items):
            if isinstance(item, dict):
                _guarded(project, source, item, lambda: _Story(project, source, item, kind).build())
            else:
                span = source.item_span(items, index)
                project.result.errors.append(FlowSyntaxError(
                    f"each entry of '{key}' should be a mapping with '{kind}' and 'steps'",
                    source.display, span["line"], span["col"]))
    flows = data.get("flows")
    if isinstance(flows, dict):
        for flow_id, flow in flows.items():
            if isinstance(flow, dict):
                _guarded(project, source, flow, lambda: _CalmFlow(project, source, str(flow_id), flow).build())
            else:
                project.error(f"flow '{flow_id}' should be a mapping with 'steps'", source, flows, str(flow_id))
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


def _form_endings(project: _Project, sources: list[SourceFile]) -> dict[str, tuple[SourceFile, list]]:
    """What happens when a form is done, for each form with exactly one rule that says so: a rule
    with `condition: active_loop: <form>` whose form completes (`active_loop: null`); its events
    after that, up to the person's next turn. A story or rule that leaves the form active ends
    with the form still asking, and this rule takes over (Rasa's "submit form" rule)."""
    found: dict[str, list[tuple[SourceFile, list]]] = {}
    for source in sources:
        rules = source.data.get("rules") if isinstance(source.data, dict) else None
        for rule in rules if isinstance(rules, list) else []:
            if not isinstance(rule, dict) or not isinstance(rule.get("condition"), list):
                continue
            forms = {c.get("active_loop") for c in rule["condition"] if isinstance(c, dict)} & set(project.forms)
            events = [e for e in rule.get("steps") or [] if isinstance(e, dict)] \
                if isinstance(rule.get("steps"), list) else []
            done = next((i for i, e in enumerate(events) if "active_loop" in e and e["active_loop"] is None), None)
            if len(forms) != 1 or done is None:
                continue  # an interruption while the form asks, or not about one form
            after = []
            for event in events[done + 1:]:
                if any(key in event for key in _USER_TURN):
                    break
                after.append(event)
            found.setdefault(forms.pop(), []).append((source, after))
    return {form: endings[0] for form, endings in found.items() if len(endings) == 1}


def _guarded(project: _Project, source: SourceFile, node: dict, build) -> None:
    """Build one story or flow; an unexpected shape in it is an error there, not the end of the import."""
    try:
        flow = build()
    except Exception as exc:  # noqa: BLE001 - any surprise in one story must not stop the others
        project.error(f"could not import this part: {exc}", source, node)
        return
    if flow is not None:
        project.result.data["flows"].append(flow)


_UNSENT_FLOW = "responses_sent_by_code"


def _unsent_responses(project: _Project) -> dict | None:
    """One flow for the responses no story, rule, flow or form sends: custom actions, fallbacks and
    retrieval intents send them, so their texts reach the person all the same, in a conversation
    under way. After the person's message the code picks one (a webhook, then a branch per
    response); each is sent in its own step, which ends."""
    unsent = [name for name in project.responses if name not in project.sent]
    if not unsent:
        return None
    first = project.responses[unsent[0]]
    builder = _Builder(project, first.source)
    node = first.variant
    # Code answers in a conversation under way: the person has written (the wait), then the code runs.
    dispatch: list[dict] = [{"wait_for_reply": None, "span": builder.span(node)},
                            {"action": "webhook", "text": "custom actions, forms and fallbacks",
                             "span": builder.span(node)}]
    steps: list[dict] = []
    other = None
    builder.taken.add("code")
    for name in unsent:
        message = builder.message(name)
        if not message:
            continue
        if message.get("buttons"):  # its buttons lead to whatever story or rule handles their intent
            if other is None:
                other = {"name": identifier("other_stories", builder.taken),
                         "do": [{"end": True, "span": message["span"]}], "span": message["span"]}
            for option in message["buttons"]:
                if "_intent" in option and (option["_intent"] is None or project.handles(option["_intent"])):
                    option["goto"] = other["name"]
            message["otherwise"] = other["name"]
        step = identifier(name, builder.taken)
        dispatch.append({"if": {"var": "response", "equals": name, "span": message["span"]}, "then": step,
                         "span": message["span"]})
        steps.append({"name": step, "do": [message, {"end": True, "span": message["span"]}], "span": message["span"]})
    if not steps:
        return None
    dispatch.append({"end": True, "span": builder.span(node)})
    steps = [{"name": "code", "do": dispatch, "span": builder.span(node)}, *steps, *([other] if other else [])]
    for step in steps:
        _clean(step["do"])
    return builder.flow(_UNSENT_FLOW, "Responses sent by custom actions, forms or fallbacks", node, steps, None)


_NOTICES = {
    "markdown line": "Markdown line{s} that {are} no story step (`* intent`, `- action`, `> checkpoint`)",
    "markdown_other": "Markdown file{s} with headings that {are} neither stories nor NLU",
    "not_domain": "file{s} in domain/ without a domain key (Rasa does not read {them} as domain)",
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
        label = _NOTICES[kind].format(s=plural, are="is" if len(items) == 1 else "are",
                                      them="it" if len(items) == 1 else "them") if kind in _NOTICES else \
            f"{where}{plural} of unsupported type '{element}'"
        notices.append(f"rasa: skipped {len(items)} {label} in {listed}")
    return notices


# --- what one action does: shared by stories, rules and CALM flows -----------------------

def _hands_to_person(name: str) -> bool:
    """`action_human_handoff`, `action_handoff`, `action_transfer_to_agent`: a person takes over.
    `action_handoff_to_billing_bot` transfers to another bot, `action_handoff_options` shows where
    one could go: neither hands the conversation to a person."""
    words = set(re.split(r"[_\-\s.]+", name.lower()))
    return bool(_HANDOFF_WORDS & words) and not (_NOT_A_PERSON & words)


class _Builder:
    """Turns actions into statements, with spans into the right file."""

    def __init__(self, project: _Project, source: SourceFile) -> None:
        self.project = project
        self.source = source
        self.taken: set[str] = set()  # step names of the flow being built
        self.missing: list[dict] = []  # responses it sends that nobody defines (BL003)

    def span(self, node: Any, key: str | None = None) -> dict:
        return self.source.span(node, key)

    def flow(self, name: str, title: str, node: dict, steps: list[dict], intent: str | None,
             description: str | None = None) -> dict:
        if intent == _SESSION_START:  # the chat opened: the bot speaks first
            trigger = {"kind": "start", "value": intent, "span": self.span(node)}
        else:
            trigger = {"kind": "message", "value": intent, "span": self.span(node)}
            if self.project.keywords(intent):
                trigger["keywords"] = self.project.keywords(intent)
        preset = self.project.preset_slots()
        if preset and steps:  # a slot with an `initial_value` holds it from the start of every conversation
            steps[0]["do"][:0] = [{"set": identifier(slot, set()), "value": value, "span": self.span(node)}
                                  for slot, value in preset.items()]
        flow = {"kind": "flow", "name": identifier(name, self.project.flow_names), "title": title,
                "trigger": trigger, "steps": steps, "span": self.span(node)}
        if self.missing:
            flow["missing"] = self.missing
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
        key, response = found
        self.project.sent.add(key)
        variant, source = response.variant, response.source
        text, holder, choices = variant.get("text"), variant, variant.get("buttons") or []
        if text is None and isinstance(variant.get("custom"), (dict, list)):
            text, holder = _custom_text(variant["custom"])
            choices = _custom_choices(variant["custom"])
        if not isinstance(text, (str, int, float)) or isinstance(text, bool):
            self.project.skip("no_text", source.display, key)
            return {}
        span = source.span(holder, "text")
        buttons = [self._option(b, source) for b in choices if isinstance(b, dict)]
        if buttons:
            return {"ask": str(text), "buttons": buttons, "span": span}
        return {"say": str(text), "span": span}

    @staticmethod
    def _option(button: dict, source: SourceFile) -> dict:
        payload = str(button.get("payload") or button.get("value") or "")  # "value": a custom payload's choice
        option = {"label": str(button.get("title") or button.get("label") or payload), "span": source.span(button)}
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
        defaults = _defaults()
        if name.startswith("utter_") and name not in self.project.actions:
            # Rasa's own response (not overridden): its text is Rasa's, nothing of the project's to lint.
            if name not in defaults["responses"] and self.project.responses_known:
                self.missing.append({"kind": "response", "name": name, "span": self.span(node, "action")})
            return []
        statements = []
        custom = name in self.project.actions and name != "action_listen"  # a project may override a default
        if name in defaults["sends"] and not custom:
            response = defaults["sends"][name]
            message = self.message(response) if response else None
            if message:
                statements.append(message)
        if name in defaults["ends"]:
            return [*statements, {"end": True, "span": self.span(node)}]
        if not custom and (name in defaults["sends"] or name in defaults["silent"]):
            return statements
        if _hands_to_person(name):
            # Custom code performs the handoff: it runs (and may tell the person something), then hands over.
            return [{"action": "webhook", "text": name, "span": self.span(node)},
                    {"handoff": name, "by_code": True, "span": self.span(node)}]
        return [{"action": "webhook", "text": name, "span": self.span(node)}]

    def form(self, name: str, node: dict) -> list[dict]:
        """The form's questions; its validation action (custom code that may fill any slot) runs
        when the form starts and after every answer."""
        validate = f"validate_{name}"
        check = [{"action": "webhook", "text": validate}] if validate in self.project.actions else []
        statements = [dict(s, span=self.span(node)) for s in check]
        for slot in self.project.forms[name]:
            statements.extend(self.question(slot, [f"utter_ask_{name}_{slot}", f"utter_ask_{slot}"], node))
            statements.extend(dict(s, span=self.span(node)) for s in check)
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
        # Asked by a custom action (action_ask_<slot>): its text is code, but the wait and the answer are real.
        return [{"action": "webhook", "text": f"action_ask_{slot}", "span": self.span(node)},
                {"wait_for_reply": None, "span": self.span(node)},
                {"set": variable, "span": self.span(node)}]


def _custom_text(payload) -> tuple[object, dict]:
    """The first text a custom payload shows, with the mapping that holds it: channels and chat
    widgets put what the person reads under "text" ({"answers": [{"type": "text", "text": ...}]},
    Slack's blocks, Telegram's messages); (None, {}) where it holds none (an image, a card of data)."""
    holder = _first_mapping(payload, lambda node: isinstance(node.get("text"), str) and node["text"].strip())
    return (holder["text"], holder) if holder is not None else (None, {})


_CHOICE_LISTS = ("buttons", "quick_replies", "options", "choices", "replies")


def _custom_choices(payload) -> list:
    """The choices a custom payload offers beside its text: the first list of labelled items under
    one of `_CHOICE_LISTS` ({"type": "multichoice", "options": [{"label": ..., "value": ...}]})."""
    holder = _first_mapping(payload, lambda node: _choice_list(node) is not None)
    return _choice_list(holder) if holder is not None else []


def _choice_list(node: dict) -> list | None:
    for key in _CHOICE_LISTS:
        items = node.get(key)
        if isinstance(items, list) and any(isinstance(item, dict) and (item.get("title") or item.get("label"))
                                           for item in items):
            return items
    return None


def _first_mapping(payload, wanted) -> dict | None:
    """The first mapping in a custom payload, depth first in document order, that is `wanted`."""
    pending = [payload]
    while pending:
        node = pending.pop(0)
        if isinstance(node, dict) and wanted(node):
            return node
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        pending[:0] = [child for child in children if isinstance(child, (dict, list))]
    return None


def _clean(statements: list[dict]) -> None:
    """Drop the helper keys the model does not know."""
    for statement in statements:
        for option in statement.get("buttons", []):
            option.pop("_intent", None)


def _set_slot(do: list[dict], slot: str, value: Any, span: dict) -> None:
    """Record that a slot holds a value. A message cannot set a slot: the user turn or the action
    before it did, so the `set` goes before the messages at the end of the step (and never between
    a message and the handoff it announces)."""
    statement = {"set": identifier(slot, set()), "span": span}
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        statement["value"] = str(value)
    index = len(do)
    while index and ("say" in do[index - 1] or ("ask" in do[index - 1] and "capture" not in do[index - 1])):
        index -= 1
    do.insert(index, statement)


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
        filled: set[str] = set()  # slots the current step knows to be filled
        active_form = None  # a form this story leaves asking (`active_loop: form` not yet null)
        for index, event in enumerate(events):
            if not isinstance(event, dict):
                span = self.source.item_span(events, index)
                self.project.result.errors.append(FlowSyntaxError(
                    f"a {self.kind} step should be a mapping such as `- intent: x` or `- action: y`",
                    self.source.display, span["line"], span["col"]))
                continue
            if not event:
                continue
            kind = next((key for key in ("intent", "or", "user", "action", "bot", "active_loop",
                                         "slot_was_set", "checkpoint") if key in event), next(iter(event)))
            intents = _intents(event) if kind in _USER_TURN else []
            if kind in _USER_TURN and (intents or kind == "user"):
                name = identifier(intents[0] if intents else "user", self.taken)
                filled = set()
                if steps:
                    captured = self.listen(steps[-1]["do"], name, intents, event,
                                           _slots_filled(event, events[index + 1:]))
                    filled.update([captured] if captured else [])
                else:
                    trigger = intents[0] if intents else None
                do: list[dict] = []
                for slot in self.project.turn_fills(intents, _entities(event)):
                    if identifier(slot, set()) not in filled:
                        filled.add(identifier(slot, set()))
                        do.append({"set": identifier(slot, set()), "span": self.span(event)})
                steps.append({"name": name, "do": do, "span": self.span(event)})
                continue
            if not steps:
                steps.append({"name": identifier("start", self.taken), "do": [], "span": self.span(event)})
            do = steps[-1]["do"]
            if kind == "action" and isinstance(event["action"], str):
                do.extend(self.action(event["action"], event))
            elif kind == "bot" and isinstance(event["bot"], str):  # end-to-end story: the bot's text itself
                do.append({"say": event["bot"], "span": self.span(event, "bot")})
            elif kind == "slot_was_set":
                self.slots_set(do, event, filled)
            elif kind == "active_loop":
                active_form = event["active_loop"] if event["active_loop"] in self.project.forms else None
            elif kind == "checkpoint":
                self.project.skip("checkpoint", self.source.display)
            elif kind not in ("active_loop", "or", "intent"):
                self.project.skip(f"{self.kind} step:{kind}", self.source.display)
        if not steps:
            return None
        last = steps[-1]["do"]
        if active_form in self.project.form_endings and not any("end" in s or "handoff" in s for s in last[-1:]):
            last.extend(self.form_ending(active_form))
        if not last or not any(key in last[-1] for key in ("end", "handoff")):
            final = next((e for e in reversed(events) if isinstance(e, dict)), self.node)
            last.append({"end": True, "span": self.span(final)})
        if self.elsewhere:
            steps.append(self.elsewhere)
        for step in steps:
            _clean(step["do"])
        name = str(self.node.get(self.kind) or self.kind)
        return self.flow(name, name, self.node, steps, trigger)

    def form_ending(self, form: str) -> list[dict]:
        """What the form's completion rule does once its last answer is in (spans in that rule's file)."""
        source, events = self.project.form_endings[form]
        builder = _Builder(self.project, source)
        statements: list[dict] = []
        for event in events:
            if isinstance(event.get("action"), str) and event["action"] != form:
                statements.extend(builder.action(event["action"], event))
        return statements

    def slots_set(self, do: list[dict], event: dict, filled: set[str]) -> None:
        """`slot_was_set`: the slots hold values from here on. `requested_slot: x` without a form
        that asks it records that the bot asked for x (Rasa 1.x forms are code): its question."""
        values = event["slot_was_set"]
        for item in values if isinstance(values, list) else [values]:
            pairs = list(item.items()) if isinstance(item, dict) else [(item, None)]
            for slot, value in pairs:
                if slot == "requested_slot":
                    if isinstance(value, str) and not any(s.get("capture") == identifier(value, set()) for s in do):
                        question = self.question(value, [f"utter_ask_{value}"], event)
                        if "ask" in question[0]:  # a question we can show; a custom action asks the others
                            do.extend(question)
                    continue
                variable = identifier(str(slot), set())
                if variable not in filled:
                    filled.add(variable)
                    _set_slot(do, str(slot), value, self.span(event))

    def listen(self, do: list[dict], target: str, intents: list[str], event: dict, slots: list[str]) -> str | None:
        """The bot waits for the person's next turn (`target`, reached by saying one of `intents`).

        Rasa's NLU turns every answer into an intent, so a plain text before a turn is not a
        free-text question a person must read: it is a message, then a wait for the reply. When
        the answer fills a slot (an entity, `slot_was_set`), that text asked for it: a capture,
        whose variable this returns."""
        last = do[-1] if do else None
        if last is not None and ("end" in last or "handoff" in last):
            return None
        if last is not None and "say" in last and slots:
            do[-1] = {"ask": last["say"], "capture": identifier(slots[0], set()), "span": last["span"]}
            return do[-1]["capture"]
        if last is None or "ask" not in last:
            do.append({"wait_for_reply": None, "span": self.span(event)})
        elif "capture" not in last and any("_intent" in option for option in last.get("buttons", [])):
            self.route(last, target, intents, event)
        # a form question (capture): its answer falls through to the next turn
        return last.get("capture") if last is not None else None

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



def _entities(turn: dict) -> list[str]:
    """The entities a user turn carries (`entities:` of the turn, or of its first alternative)."""
    alternatives = turn["or"] if isinstance(turn.get("or"), list) else [turn]
    first = alternatives[0] if alternatives and isinstance(alternatives[0], dict) else {}
    names = []
    for entity in first.get("entities") or [] if isinstance(first.get("entities"), list) else []:
        if isinstance(entity, dict):
            names.append(str(entity.get("entity") or next(iter(entity), "")))
        elif isinstance(entity, str):
            names.append(entity)
    return [name for name in names if name]



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
        if isinstance(item.get("set_slots"), list):
            return [{"set": identifier(str(slot), set()), "span": self.span(item),
                     **({"value": str(value)} if isinstance(value, (str, int, float)) and not isinstance(value, bool)
                        else {})}
                    for pair in item["set_slots"] if isinstance(pair, dict) for slot, value in pair.items()]
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
    refuses=needs_folder("a Rasa project", "a folder with domain.yml or data/",
                         lambda folder: _layout(folder) is not None
                         or any((folder / name).exists() for name in ("domain.yml", "domain.yaml", "domain", "data"))),
)
