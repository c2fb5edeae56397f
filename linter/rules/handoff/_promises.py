"""What the promised-human rules share (BL307, BL308): bot messages that promise a person, and
what the flow does next.

A promise is a `say` or `ask` whose text matches `handoff_promise.live` (a person takes over
now: "let me connect you to an agent") or `handoff_promise.later` (a person will contact them:
"someone will reach out"). Words before it in its sentence from `handoff_promise.offer` ("type
'agent' and I'll connect you"), or a question mark ending that sentence, make it an offer for
later, not a promise. From the promise, every path is followed until a handoff, the end of the
flow, or a step already seen; along the way the rules learn which handoffs are reached, whether
a path ends without one, the first message on each path, and whether a webhook or an email
passes the request on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from linter.model.analysis import FlowAnalysis, bot_texts, walk_step
from linter.model.flow import (
    Action, ActionVerb, Ask, Branch, End, Flow, Goto, Handoff, Say, Statement, WaitForReply,
)
from linter.rules.handoff._common import says_a_time

_SENTENCE_END = re.compile(r"[.!?\n]")


@dataclass(frozen=True)
class Promise:
    node: Say | Ask
    text: str
    phrase: str  # the promising words, as written
    live: bool  # a person takes over now (True) or will contact the person later (False)


@dataclass
class WhatFollows:
    """What the flow can do after a promise, over every path."""

    handoffs: list[Handoff] = field(default_factory=list)
    ends: bool = False  # some path reaches the end of the flow without a handoff
    next_messages: list[Say | Ask] = field(default_factory=list)  # the first message on each path
    passed_on: bool = False  # a webhook or an email action follows on some path
    later_promise: bool = False  # another promise of later contact follows on some path


def flow_promises(ctx) -> Iterator[tuple[Flow, FlowAnalysis, object, Promise]]:
    """(flow, its analysis, its lexicon, promise) for every promise in a flow whose language has a lexicon."""
    for flow in ctx.flows():
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        analysis = ctx.analysis(flow)
        for promise in promises(flow, lexicon):
            yield flow, analysis, lexicon, promise


def promises(flow: Flow, lexicon) -> Iterator[Promise]:
    """Every message of the flow that promises a person, in source order."""
    for sent in bot_texts(flow):
        if sent.kind not in ("say", "ask"):
            continue
        for key, live in (("handoff_promise.live", True), ("handoff_promise.later", False)):
            match = next((m for m in lexicon.find(key, sent.text) if not _offer(lexicon, sent.text, m)), None)
            if match is not None:
                yield Promise(sent.node, sent.text, match.text, live)
                break


def _offer(lexicon, text: str, match) -> bool:
    """The promise sits in a question or after an "if"/"type ...": it offers a person, on request."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, match.start)), default=0)
    end = _SENTENCE_END.search(text, match.end)
    if end is not None and end.group() == "?":
        return True
    return bool(lexicon.find("handoff_promise.offer", text[start:match.start]))


def what_follows(flow: Flow, analysis: FlowAnalysis, promise: Say | Ask, lexicon) -> WhatFollows:
    """Follow every path from `promise` to a handoff or the end of the flow (cached per flow)."""
    cache = analysis.derived.setdefault("what_follows_promise", {})
    found = cache.get(id(promise))
    if found is None:
        found = cache[id(promise)] = _follow(flow, analysis, promise, lexicon)
    return found


def _follow(flow: Flow, analysis: FlowAnalysis, promise: Say | Ask, lexicon) -> WhatFollows:
    bodies = {name: list(walk_step(step)) for name, step in analysis.steps.items()}
    order = [step.name for step in flow.steps if analysis.steps.get(step.name) is step]
    start = next(((name, index) for name, body in bodies.items()
                  for index, node in enumerate(body) if node is promise), None)
    result = WhatFollows()
    if start is None:
        return result
    # A position is (step, statement index, whether a message was already sent on this path).
    work: list[tuple[str, int, bool]] = []
    seen: set[tuple[str, int, bool]] = set()

    def go(step: str | None, index: int, messaged: bool) -> None:
        if step is None or step not in bodies:
            return
        key = (step, index, messaged)
        if key not in seen:
            seen.add(key)
            work.append(key)

    def after(step: str, index: int, messaged: bool) -> None:
        """Continue with the statement after `index`, falling into the next step at the end of one."""
        if index + 1 < len(bodies[step]):
            go(step, index + 1, messaged)
            return
        position = order.index(step)
        if position + 1 < len(order):
            go(order[position + 1], 0, messaged)
        else:
            result.ends = True

    if isinstance(promise, Ask):  # a promise in a question: the answers lead on
        _answers(promise, start[0], start[1], False, go, after)
    else:
        after(start[0], start[1], False)
    while work:
        step, index, messaged = work.pop()
        node = bodies[step][index] if index < len(bodies[step]) else None
        if node is None:
            after(step, index, messaged)
            continue
        if isinstance(node, Handoff):
            result.handoffs.append(node)
            continue
        if isinstance(node, End):
            result.ends = True
            continue
        if isinstance(node, (Say, Ask)) and not messaged:
            if all(node is not seen_node for seen_node in result.next_messages):
                result.next_messages.append(node)
        if isinstance(node, Action) and node.action in (ActionVerb.webhook, ActionVerb.email):
            result.passed_on = True
        if isinstance(node, (Say, Ask)) and node is not promise \
                and lexicon.first("handoff_promise.later", message_text(node)):
            result.later_promise = True  # (the promise itself, met again round a loop, is no later one)
        sent = messaged or isinstance(node, (Say, Ask))
        if isinstance(node, Ask):
            _answers(node, step, index, sent, go, after)
        elif isinstance(node, Goto):
            go(node.goto, 0, sent)
        elif isinstance(node, Branch):
            go(node.then, 0, sent)
            if node.else_:
                go(node.else_, 0, sent)
            else:
                after(step, index, sent)
        elif isinstance(node, WaitForReply):
            after(step, index, sent)
            if node.on_timeout:
                go(node.on_timeout, 0, sent)
        else:
            after(step, index, sent)
    return result


def _answers(ask: Ask, step: str, index: int, messaged: bool, go, after) -> None:
    """Where the person's answer to a question leads."""
    routed = False
    for option in ask.replies + ask.buttons + ask.rows:
        if option.goto:
            routed = True
            go(option.goto, 0, messaged)
    for target in (ask.then, ask.otherwise):
        if target:
            routed = True
            go(target, 0, messaged)
    if not routed or (ask.capture and not ask.then):
        after(step, index, messaged)


def broken_promise(flow: Flow, analysis: FlowAnalysis, lexicon, promise: Promise) -> tuple[str, str] | None:
    """(message, hint) when no person can come after `promise` (BL307); None when one can."""
    timing = analysis.timing(promise.node)
    if timing is None:
        return None
    follows = what_follows(flow, analysis, promise.node, lexicon)
    said = f"'{first_words(promise.phrase)}'"
    failed = next((message for message in follows.next_messages
                   if lexicon.first("handoff_promise.failed", message_text(message))), None)
    if failed is not None:
        return (f"promises a person ({said}), but the next message says nobody came: "
                f"'{first_words(message_text(failed))}'",
                "find out whether someone is available before promising one, and otherwise say what will "
                "happen instead (\"We're offline now; Ana will answer here tomorrow by 10:00.\")")
    if follows.handoffs or follows.passed_on or timing.after_call:
        return None  # a handoff follows, or code (a webhook) that may hand over runs before or after
    if not promise.live and (names_a_time(lexicon, promise.text) or follows.later_promise):
        return None  # the message commits the team to a time, or a later promise says it again
    if not follows.next_messages:
        what = "the flow ends right after it"
    else:
        what = f"next the bot says '{first_words(message_text(follows.next_messages[0]))}'"
    if promise.live:
        return (f"promises a person ({said}), but no handoff follows: {what}",
                "hand the conversation over right after the promise, or tell the person how they can reach "
                "someone (an email address, a phone number, opening hours)")
    return (f"promises that a person will get back to them ({said}), but nothing passes the request on "
            f"(no handoff, webhook or email) and no time is named: {what}",
            "hand the request to the team (a handoff, a webhook or an email), and say when they will hear "
            "back (\"Ana will call you within 2 hours, Mon-Fri 9-17\")")


def names_a_time(lexicon, text: str) -> bool:
    """A time (a clock time, a date, hours: see `says_a_time`), or a time word (`handoff_time_words`)
    that is not one of the vague ones ("in a moment")."""
    if says_a_time(text):
        return True
    vague = lexicon.find("handoff_promise.vague_time", text)
    return any(not any(v.start < m.end and m.start < v.end for v in vague)
               for m in lexicon.find("handoff_time_words", text))


def first_words(text: str, limit: int = 80) -> str:
    """A message as quoted in a finding: one line, cut at `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def message_text(node: Statement) -> str:
    return node.say if isinstance(node, Say) else node.ask if isinstance(node, Ask) else ""
