"""Typebot JSON exports (one `*.json` file = one typebot = one flow).

A typebot is `groups[].blocks[]` joined by `edges[]`; the start event (`events[]`,
or a `start` block in older exports) points at the first group. Each group becomes
a step named from its title. How the runtime moves (Typebot's bot engine):

* blocks of a group run in order; an input block waits for the person;
* after an answer: a choice item's own edge, else the block's edge, else the
  next block of the group, else the conversation is over;
* a logic or integration block with an edge jumps at once; a bubble's edge only
  counts when it is the group's last block;
* a group never falls through to the next group: a group that runs out ends the chat;
* an answer a choice input cannot match is re-asked (a retry message, then the same
  buttons again).

So a group is sometimes cut into several consecutive steps ("Title", "Title_2"...):
where an edge or jump enters it mid-way, where an answer continues with the rest of
the group while other answers leave it, and where a choice question with routed
buttons starts (its `otherwise` goes back to that step: the runtime's re-ask).

Mapping: text bubbles -> say (rich text flattened, `{{Var}}` -> `{Var}`); the text
bubble right before an input becomes that question's text instead of a separate
say (Typebot inputs have no text of their own); choice/picture choice -> ask with
replies routed to the steps their edges reach (a choice that stores its answer and
whose buttons all lead to one place is read as a capture instead, so the variable is
known to be set there); other inputs -> ask with capture of their variable (`expect`
from the input type); Condition -> if (approximate, see `_condition`); Wait -> wait;
Jump -> goto; a Typebot link to this typebot -> goto the group it names (its start group if
none); a link to another typebot -> that bot runs (not linted: one notice), then this one goes on
along the link's edge (end without one); Redirect -> end (the person leaves); Chatwoot/Zendesk ->
handoff (the steps after it are not followed); Webhook-like integrations -> action
webhook; Email -> action email (its subject); Set variable -> set. Code and
tracking blocks are skipped quietly; media bubbles and everything else (AI blocks,
Google Sheets...) are skipped with one notice per kind and file. The flow's trigger is `start`: the
chat opens and the bot speaks first. A value of the wrong JSON type where the export format fixes one
(`"groups": "oops"`, a block that is not an object) is an error at its position: the file is refused.
Typebot has no channel, audience, schedule or language: those stay None (config supplies them).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from linter.core.errors import FlowSyntaxError
from linter.parse.importers import Importer, ImportResult, needs_file, read_head
from linter.parse.importers._source import JsonShape, SourceFile, identifier, import_json_file

BUBBLES = {"text", "image", "video", "audio", "embed"}
MEDIA = BUBBLES - {"text"}
EXPECT = {"text input": "text", "email input": "email", "phone number input": "phone", "number input": "number",
          "date input": "date", "time input": "time", "url input": "url", "rating input": "number",
          "file input": "file"}
CHOICES = {"choice input", "picture choice input"}
QUIET = {"Code", "Script", "Google Analytics", "Meta Pixel", "Pixel", "Return"}
WEBHOOKS = {"Webhook", "webhook", "Zapier", "Make.com", "Pabbly", "Pabbly Connect", "http-request"}
LIVE_CHAT = {"Chatwoot": "Chatwoot", "chatwoot": "Chatwoot", "zendesk": "Zendesk"}
LEAVES = {"Redirect"}
LINK = "Typebot link"
KNOWN = (BUBBLES | CHOICES | set(EXPECT) | QUIET | WEBHOOKS | set(LIVE_CHAT) | LEAVES
         | {"Condition", "Wait", "Jump", LINK, "Email", "Set variable", "start"})
_BLOCK_NODES = {"p", "ol", "ul", "li", "lic", "h1", "h2", "h3", "blockquote"}
_VARIABLE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


# --- detection -------------------------------------------------------------------------------------


def claims_file(path: Path) -> bool:
    """A `.json` file whose start looks like a typebot: groups of blocks joined by edges."""
    name = path.name.lower()
    if not name.endswith(".json") or name.endswith(".flow.json"):
        return False
    head = read_head(path)
    return ('"groups"' in head and '"blocks"' in head and ('"edges"' in head or '"outgoingEdgeId"' in head)
            and ('"events"' in head or '"graphCoordinates"' in head or "typebot" in head.lower()))


# --- small helpers ---------------------------------------------------------------------------------


def ascii_text(text: str) -> str:
    """Accents dropped (Opção -> Opcao), so names made from titles stay readable."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def var_name(name: str) -> str:
    """A Typebot variable name as a placeholder/capture name: `Estimated price` -> Estimated_price."""
    base = re.sub(r"[^A-Za-z0-9_]+", "_", ascii_text(name)).strip("_") or "var"
    return f"v_{base}" if base[0].isdigit() else base


def rich_text(nodes: Any) -> str:
    """A Slate-like rich text tree flattened: paragraphs on their own lines, inline parts joined."""
    def flat(node: Any) -> str:
        if not isinstance(node, dict):
            return ""
        if isinstance(node.get("text"), str):
            return node["text"]
        parts: list[str] = []
        for child in _list(node.get("children")):
            if parts and _dict(child).get("type") in _BLOCK_NODES:
                parts.append("\n")  # a paragraph or list item nested in a list starts a line
            parts.append(flat(child))
        return "".join(parts)

    if not isinstance(nodes, list):
        return ""
    return "\n".join(flat(node) for node in nodes)


class _Shape(JsonShape):
    """Checks that the parts the importer reads have the JSON type the export format gives them, so a
    valid JSON file with a wrong type (`"groups": "oops"`) is refused at that spot, not read as empty."""

    format = "typebot"

    def items(self, parent: dict, key: str, what: str) -> list[dict]:
        """The objects of the list at `key` (missing: none)."""
        found = self.key(parent, key, list, f"'{key}' of {what}") or []
        for index, item in enumerate(found):
            if not isinstance(item, dict):
                span = self.source.item_span(found, index)
                self.fail((span["line"], span["col"]), f"{key}[{index}] of {what}", item, dict)
        return found

    def document(self, doc: dict) -> None:
        if "groups" not in doc:
            raise FlowSyntaxError("typebot: the file has no 'groups'", self.source.display, 1, 1)
        self.items(doc, "events", "the typebot")
        self.items(doc, "variables", "the typebot")
        for edge in self.items(doc, "edges", "the typebot"):
            for end in ("from", "to"):
                self.key(edge, end, dict, f"'{end}' of an edge")
        for group in self.items(doc, "groups", "the typebot"):
            self.key(group, "title", str, "the 'title' of a group")
            for block in self.items(group, "blocks", f"group '{group.get('title') or group.get('id')}'"):
                self.block(block)

    def block(self, block: dict) -> None:
        kind = self.key(block, "type", str, "the 'type' of a block", optional=False)
        self.key(block, "options", dict, f"the 'options' of a '{kind}' block")
        if kind in BUBBLES:
            content = self.key(block, "content", dict, f"the 'content' of a '{kind}' block")
            if kind == "text" and content:
                self.key(content, "richText", list, "the 'richText' of a text block")
        self.items(block, "items", f"a '{kind}' block")


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


# --- one typebot -----------------------------------------------------------------------------------


class _Typebot:
    """Reads one typebot document into one flow (the model's input shape)."""

    def __init__(self, source: SourceFile, stem: str) -> None:
        data = source.data
        if isinstance(data, dict) and isinstance(data.get("typebot"), dict) and "groups" not in data:
            data = data["typebot"]  # some API responses wrap the typebot
        if not isinstance(data, dict):
            raise ValueError("the file is not a JSON object")
        _Shape(source).document(data)
        self.source, self.doc, self.stem = source, data, stem
        self.skipped: Counter[str] = Counter()  # block kinds not mapped
        self.links_out = 0  # Typebot links to other typebots: their blocks are not read
        self.malformed: Counter[str] = Counter()  # blocks of a known kind with an unexpected shape
        self.groups = [g for g in _list(data.get("groups")) if isinstance(g, dict)]
        self.group_index = {g.get("id"): i for i, g in enumerate(self.groups)}
        self.edges = {e.get("id"): e for e in _list(data.get("edges")) if isinstance(e, dict)}
        # Older exports name edges only from their end (from.blockId/itemId), not on the block.
        self.edge_from: dict[tuple[Any, Any], str] = {}
        for edge_id, edge in self.edges.items():
            start = _dict(edge.get("from"))
            self.edge_from.setdefault((start.get("blockId") or start.get("eventId"), start.get("itemId")), edge_id)
        self.variables = {v.get("id"): var_name(str(v.get("name") or v.get("id")))
                          for v in _list(data.get("variables")) if isinstance(v, dict)}
        self.count_skipped()
        self.cuts = self._cut_points()
        self.names = self._segment_names()

    def count_skipped(self) -> None:
        """Blocks not mapped, counted over the whole file (also those after a jump, which never run)."""
        for group in self.groups:
            for block in _list(group.get("blocks")):
                kind = block.get("type")
                if kind in MEDIA or (kind not in KNOWN and not kind.endswith(" input")):
                    self.skip(str(kind))
                elif kind == LINK and self.jump_place(block) is None:
                    self.links_out += 1

    # --- edges and where they lead ---
    def jump_place(self, block: dict) -> tuple[int, int] | str | None:
        """Where a Jump, or a Typebot link to this same typebot, goes on; None for a link to another typebot."""
        options = _dict(block.get("options"))
        if block.get("type") == LINK:
            if options.get("typebotId") not in ("current", self.doc.get("id")) or not options.get("typebotId"):
                return None
            if not options.get("groupId"):  # no group named: this typebot again from its start
                return self._entry() or (0, 0)
        return self.place(options.get("groupId"), options.get("blockId"))

    def edge_of(self, block: dict, item: dict | None = None) -> str | None:
        owner = item if item is not None else block
        edge_id = owner.get("outgoingEdgeId")
        if edge_id:
            return edge_id
        return self.edge_from.get((block.get("id"), item.get("id") if item is not None else None))

    def target(self, edge_id: str | None) -> tuple[int, int] | str | None:
        """(group index, block index) an edge leads to; a string for a broken reference."""
        if not edge_id:
            return None
        edge = self.edges.get(edge_id)
        if edge is None:
            return f"missing_edge_{edge_id}"
        end = _dict(edge.get("to"))
        return self.place(end.get("groupId"), end.get("blockId"))

    def place(self, group_id: Any, block_id: Any = None) -> tuple[int, int] | str:
        index = self.group_index.get(group_id)
        if index is None:
            return f"missing_group_{group_id}"
        blocks = _list(self.groups[index].get("blocks"))
        position = next((i for i, b in enumerate(blocks) if isinstance(b, dict) and b.get("id") == block_id), 0)
        return index, position

    def step_of(self, where: tuple[int, int] | str | None) -> str | None:
        """The step name for a place: the segment of the group that starts at or before it."""
        if where is None:
            return None
        if isinstance(where, str):
            return identifier(where, set())  # a broken reference: the name stays, BL001 reports it
        group, block = where
        start = max(cut for cut in self.cuts[group] if cut <= block)
        return self.names[(group, start)]

    # --- where groups are cut into steps ---
    def _cut_points(self) -> list[set[int]]:
        cuts = [{0} for _ in self.groups]
        entered = [self.target(e.get("id")) for e in self.edges.values()]
        for group in self.groups:  # jumps (and links to this typebot) can name a block too
            for block in _list(group.get("blocks")):
                if block.get("type") in ("Jump", LINK):
                    entered.append(self.jump_place(block))
        for where in entered:
            if isinstance(where, tuple):
                cuts[where[0]].add(where[1])
        for index, group in enumerate(self.groups):
            blocks = _list(group.get("blocks"))
            for position, block in enumerate(blocks):
                if not isinstance(block, dict):
                    continue
                kind = block.get("type")
                if kind in CHOICES and not self.stored_choice(block):
                    routes = self.choice_routes(block)
                    if any(routes):
                        # The question starts a step: its re-ask (otherwise) goes back to it.
                        starts_at_text = (position > 0 and position not in cuts[index]
                                          and _dict(blocks[position - 1]).get("type") == "text")
                        cuts[index].add(position - 1 if starts_at_text else position)
                        if not all(routes) and position + 1 < len(blocks):
                            cuts[index].add(position + 1)  # unrouted buttons continue with the rest of the group
                elif kind == "Condition" and self.edge_of(block) and position + 1 < len(blocks):
                    items = [item for item in _list(block.get("items")) if isinstance(item, dict)]
                    if not all(self.edge_of(block, item) for item in items):
                        cuts[index].add(position + 1)  # a match without an edge continues here
        return cuts

    def choice_routes(self, block: dict) -> list[tuple[int, int] | str | None]:
        """Where each button leads: its own edge, else the block's; None continues the group."""
        default = self.edge_of(block)
        if _multiple(block):  # one answer for all the ticked items: only the block's edge counts
            return [self.target(default) for _ in _choice_items(block)]
        return [self.target(self.edge_of(block, item) or default) for item in _choice_items(block)]

    def stored_choice(self, block: dict) -> bool:
        """A choice whose answer is stored and whose buttons all lead to one place: read as a
        capture (the variable is then known to be set there), not as routed buttons."""
        routes = self.choice_routes(block)
        variable = _dict(block.get("options")).get("variableId") in self.variables
        return _multiple(block) or (variable and len(set(routes)) <= 1)

    def _segment_names(self) -> dict[tuple[int, int], str]:
        taken: set[str] = set()
        names = {}
        for index, group in enumerate(self.groups):  # group names first: they are the ones people know
            names[(index, 0)] = identifier(ascii_text(str(group.get("title") or "")) or f"group {index + 1}", taken)
        for index in range(len(self.groups)):
            for number, cut in enumerate(sorted(self.cuts[index] - {0}), start=2):
                names[(index, cut)] = identifier(f"{names[(index, 0)]}_{number}", taken)
        return names

    # --- the flow ---
    def flow(self) -> dict[str, Any]:
        entry = self._entry()
        order = list(range(len(self.groups)))
        steps: list[dict] = []
        if isinstance(entry, tuple):
            order.remove(entry[0])
            order.insert(0, entry[0])
            if entry[1] != 0:  # the start event enters a group mid-way: a first step that jumps there
                steps.append({"name": identifier("start", set(self.names.values())),
                              "do": [{"goto": self.step_of(entry), "span": self.source.span(self.doc)}],
                              "span": self.source.span(self.doc)})
        for index in order:
            steps.extend(self._group_steps(index))
        name = str(self.doc.get("name") or self.stem)
        events = _list(self.doc.get("events"))
        return {"kind": "flow", "name": identifier(ascii_text(name), set()), "title": name,
                # The chat opens and the bot speaks first: nothing the person typed started it.
                "trigger": {"kind": "start", "span": self.source.span(events[0] if events else self.doc)},
                "steps": steps, "span": self.source.span(self.doc)}

    def _entry(self) -> tuple[int, int] | str | None:
        for event in _list(self.doc.get("events")):
            if isinstance(event, dict) and event.get("type", "start") == "start":
                return self.target(event.get("outgoingEdgeId") or self.edge_from.get((event.get("id"), None)))
        for index, group in enumerate(self.groups):  # older exports: a group holding a `start` block
            if any(_dict(block).get("type") == "start" for block in _list(group.get("blocks"))):
                return index, 0
        return None

    def _group_steps(self, index: int) -> list[dict]:
        group = self.groups[index]
        blocks = _list(group.get("blocks"))
        cuts = sorted(self.cuts[index])
        steps = []
        for number, start in enumerate(cuts):
            end = cuts[number + 1] if number + 1 < len(cuts) else len(blocks)
            last_segment = number + 1 == len(cuts)
            do = _Segment(self, index, blocks, start, end).statements()
            if last_segment and (not do or not _stops(do[-1])):
                # A group never falls through to the next one: running out ends the chat.
                anchor = blocks[-1] if blocks and isinstance(blocks[-1], dict) else group
                do.append({"end": True, "span": self.source.span(anchor)})
            span = self.source.span(group) if start == 0 else self.source.span(blocks[start])
            steps.append({"name": self.names[(index, start)], "do": do, "span": span})
        return steps

    def skip(self, kind: str) -> None:
        self.skipped[kind] += 1


class _Segment:
    """The statements of blocks[start:end] of one group."""

    def __init__(self, bot: _Typebot, group: int, blocks: list, start: int, end: int) -> None:
        self.bot, self.group, self.blocks, self.start, self.end = bot, group, blocks, start, end
        self.source = bot.source
        self.out: list[dict] = []
        self.last_text: dict | None = None  # the say a following input may take as its question

    def statements(self) -> list[dict]:
        for position in range(self.start, self.end):
            block = self.blocks[position]
            if not isinstance(block, dict):
                continue
            try:
                self.block(block, position)
            except (AttributeError, KeyError, TypeError, ValueError, IndexError):
                self.bot.malformed[str(block.get("type"))] += 1  # one odd block never costs the file
            if self.out and _stops(self.out[-1]):
                break  # the runtime never runs what follows a jump
        return self.out

    def emit(self, statement: dict, node: Any) -> dict:
        statement.setdefault("span", self.source.span(node))
        self.out.append(statement)
        self.last_text = None
        return statement

    def goto(self, edge_id: str | None, node: Any) -> None:
        target = self.bot.step_of(self.bot.target(edge_id))
        if target:
            self.emit({"goto": target}, node)

    def continuation(self, position: int) -> str | None:
        """The step holding the rest of the group after `position`, if there is one."""
        if position + 1 >= len(self.blocks):
            return None
        return self.bot.step_of((self.group, position + 1))

    def block(self, block: dict, position: int) -> None:
        kind = block.get("type")
        last = position == len(self.blocks) - 1
        if kind == "text":
            text = self.bot_text(rich_text(_dict(block.get("content")).get("richText"))
                                 or str(_dict(block.get("content")).get("plainText") or ""))
            text = text.strip("\n")  # empty paragraphs around a bubble show as nothing
            if text.strip():
                self.emit({"say": text}, block)
                self.last_text = self.out[-1]
        elif kind in MEDIA:
            pass  # counted for the notice in _Typebot.count_skipped
        elif kind in CHOICES:
            self.choice(block, position)
            return
        elif kind in EXPECT or (isinstance(kind, str) and kind.endswith(" input")):
            self.input(block, kind)
            return
        elif kind == "Condition":
            self.condition(block, position)
            return
        elif kind == "start":
            pass  # older exports: the start block's edge is the first jump
        elif kind == "Wait":
            seconds = _seconds(_dict(block.get("options")).get("secondsToWaitFor"))
            if seconds:
                self.emit({"wait": f"{seconds}s"}, block)
        elif kind in ("Jump", LINK) and self.bot.jump_place(block) is not None:
            self.emit({"goto": self.bot.step_of(self.bot.jump_place(block))}, block)
            return
        elif kind == LINK:  # another typebot runs, then this one goes on along the link's edge
            if not self.bot.edge_of(block):
                self.emit({"end": True}, block)
                return
        elif kind in LEAVES:
            self.emit({"end": True}, block)
            return
        elif kind in LIVE_CHAT:
            if "close" not in str(_dict(block.get("options")).get("task", "")).lower():
                self.emit({"handoff": LIVE_CHAT[kind]}, block)
                return
        elif kind in WEBHOOKS:
            options = _dict(block.get("options"))
            url = _dict(options.get("webhook")).get("url") or options.get("url")
            self.emit({"action": "webhook", "text": self.bot_text(str(url)) if url else None}, block)
        elif kind == "Set variable":
            # The flow fills this variable itself: later {placeholders} of it are safe.
            variable = self.bot.variables.get(_dict(block.get("options")).get("variableId"))
            if variable:
                self.emit({"set": variable}, block)
        elif kind == "Email":
            subject = _dict(block.get("options")).get("subject")
            self.emit({"action": "email", "text": self.bot_text(str(subject)) if subject else None}, block)
        # An edge on a bubble only counts at the end of the group; on any other block it jumps at once.
        if kind not in BUBBLES or last:
            self.goto(self.bot.edge_of(block), block)

    def bot_text(self, text: str) -> str:
        return _VARIABLE.sub(lambda m: "{" + var_name(m[1]) + "}", text)

    def question_text(self, block: dict) -> tuple[str, dict]:
        """The input's question: the text bubble right before it (taken out of the says), else ''."""
        span = self.source.span(block)
        if self.last_text is not None and self.out and self.out[-1] is self.last_text:
            said = self.out.pop()
            self.last_text = None
            start = said["span"]
            return said["say"], {**span, "line": start["line"], "col": start["col"]}
        return "", span

    def input(self, block: dict, kind: str) -> None:
        text, span = self.question_text(block)
        ask: dict[str, Any] = {"ask": text, "span": span}
        variable = self.bot.variables.get(_dict(block.get("options")).get("variableId"))
        target = self.bot.step_of(self.bot.target(self.bot.edge_of(block)))
        if variable:
            ask.update(capture=variable, expect=EXPECT.get(kind, "text"))
            if target:
                ask["then"] = target
        self.emit(ask, block)
        if target and not variable:
            self.emit({"goto": target}, block)

    def choice(self, block: dict, position: int) -> None:
        text, span = self.question_text(block)
        items = _choice_items(block)
        replies = []
        for item in items:
            label = item.get("content") if block.get("type") == "choice input" else item.get("title")
            replies.append({"label": self.bot_text(str(label if label is not None else "")),
                            "span": self.source.item_span(block["items"], block["items"].index(item))})
        ask: dict[str, Any] = {"ask": text, "replies": replies, "span": span}
        routes = [self.bot.step_of(route) for route in self.bot.choice_routes(block)]
        if self.bot.stored_choice(block):
            variable = self.bot.variables.get(_dict(block.get("options")).get("variableId"))
            target = next((route for route in routes if route), None)
            if variable:
                ask.update(capture=variable, expect="text")
                if target:
                    ask["then"] = target
            self.emit(ask, block)
            if target and not variable:
                self.emit({"goto": target}, block)
            return
        if any(routes):
            rest = self.continuation(position)
            for reply, goto in zip(replies, routes):
                if goto or rest:
                    reply["goto"] = goto or rest
            ask["otherwise"] = self.bot.step_of((self.group, position))  # the runtime re-asks
        self.emit(ask, block)

    def condition(self, block: dict, position: int) -> None:
        has_else = bool(self.bot.edge_of(block))
        rest = self.continuation(position) if has_else else None
        for item in _list(block.get("items")):
            if not isinstance(item, dict):
                continue
            target = self.bot.step_of(self.bot.target(self.bot.edge_of(block, item))) or rest
            if target:
                self.emit({"if": self._condition(item), "then": target}, item)
        self.goto(self.bot.edge_of(block), block)

    def _condition(self, item: dict) -> dict:
        """Approximately: one comparison of a variable -> var ==/!= value; anything else is
        kept as an opaque test `var == "<operator> <value>"` (only its targets matter to the rules)."""
        content = _dict(item.get("content"))
        comparisons = [c for c in _list(content.get("comparisons")) if isinstance(c, dict)]
        span = self.source.span(content or item)
        if len(comparisons) == 1:
            comparison = comparisons[0]
            variable = self.bot.variables.get(comparison.get("variableId"))
            operator = comparison.get("comparisonOperator") or "Equal to"
            value = self.bot_text(str(comparison.get("value") or ""))
            if variable:
                simple = {"Equal to": ("equals", value), "Not equal": ("not_equals", value),
                          "Is set": ("not_equals", ""), "Is empty": ("equals", "")}
                key, test = simple.get(operator, ("equals", f"{operator} {value}".strip()))
                return {"var": variable, key: test, "span": span}
        words = []
        for comparison in comparisons:
            variable = self.bot.variables.get(comparison.get("variableId"), "?")
            operator = comparison.get("comparisonOperator") or "Equal to"
            words.append(f"{variable} {operator} {comparison.get('value') or ''}".strip())
        joiner = f" {str(content.get('logicalOperator') or 'AND').lower()} "
        return {"var": "condition", "equals": self.bot_text(joiner.join(words)), "span": span}


def _choice_items(block: dict) -> list[dict]:
    return [item for item in _list(block.get("items")) if isinstance(item, dict)]


def _multiple(block: dict) -> bool:
    return bool(_dict(block.get("options")).get("isMultipleChoice"))


def _seconds(value: Any) -> int | None:
    try:
        seconds = float(str(value).strip())
    except ValueError:
        return None  # a variable, e.g. {{delay}}: unknown
    return max(1, round(seconds)) if seconds > 0 else None


def _stops(statement: dict) -> bool:
    """Whether control cannot continue after this statement (as the analysis sees it)."""
    if "goto" in statement or "end" in statement or "handoff" in statement:
        return True
    if "ask" in statement:
        if statement.get("capture"):
            return bool(statement.get("then"))
        return bool(any(o.get("goto") for o in statement.get("replies", [])) or statement.get("otherwise"))
    return False


# --- loading ---------------------------------------------------------------------------------------


def load(path: Path, display: str) -> ImportResult:
    result, bot = import_json_file(path, display, "typebot",
                                   lambda source, _: _Typebot(source, path.name.removesuffix(".json")))
    if bot is None:
        return result
    for kind, count in sorted(bot.skipped.items()):
        what = f"{kind} blocks (media is not linted)" if kind in MEDIA else f"blocks of unsupported type '{kind}'"
        result.notices.append(f"typebot: skipped {count} {what} in {display}")
    if bot.links_out:
        result.notices.append(f"typebot: skipped {bot.links_out} links to other typebots (their blocks are not "
                              f"linted here) in {display}")
    for kind, count in sorted(bot.malformed.items()):
        result.notices.append(f"typebot: skipped {count} '{kind}' blocks of an unexpected shape in {display}")
    return result


IMPORTER = Importer(
    name="typebot",
    description="Typebot JSON export (groups, blocks and edges of one typebot)",
    load=load,
    claims_file=claims_file,
    refuses=needs_file("a Typebot export", "the .json file Typebot exports"),
)
