"""What the hard-sell rules share: every bot text with when it is sent, and whether the person asked."""

from __future__ import annotations

from typing import Iterator, NamedTuple

from linter.model.analysis import USER_INITIATED, FlowAnalysis, Timing, bot_texts, walk_statements
from linter.model.flow import Ask, Flow, Statement, TriggerKind


class TimedText(NamedTuple):  # one per text and rule run: a tuple is cheapest to make
    node: object  # the statement or option a finding points at
    statement: Statement  # the statement that sends it (an option's question)
    text: str
    timing: Timing


def timed_texts(flow: Flow, analysis: FlowAnalysis) -> Iterator[TimedText]:
    """Every reachable text the bot sends, option labels and button URLs included."""
    found = analysis.derived.get("timed_texts")
    if found is None:  # both hard-sell rules read these: work them out once per flow
        found = analysis.derived["timed_texts"] = tuple(_timed_texts(flow, analysis))
    return iter(found)


def _timed_texts(flow: Flow, analysis: FlowAnalysis) -> Iterator[TimedText]:
    question_of = {id(option): node for node in walk_statements(flow) if isinstance(node, Ask)
                   for option in node.replies + node.buttons + node.rows}
    for sent in bot_texts(flow, options=True):
        statement = question_of.get(id(sent.node), sent.node)
        timing = analysis.timing(statement)
        if timing is None:
            continue
        yield TimedText(sent.node, statement, sent.text, timing)
        url = getattr(sent.node, "url", None)
        if sent.kind == "option" and url:
            yield TimedText(sent.node, statement, url, timing)


def person_wrote_first(flow: Flow) -> bool:
    """The flow starts because the person wrote or commented (not a follow, a broadcast, a schedule,
    nor a chat they opened without a word: `start`)."""
    return (flow.trigger is not None and flow.trigger.kind in USER_INITIATED
            and flow.trigger.kind != TriggerKind.start)


def all_match(lexicon, keys: tuple[str, ...], phrases: list[str]) -> bool:
    """Every phrase (at least one) hits one of the lexicon lists."""
    return bool(phrases) and all(any(lexicon.find(key, phrase) for key in keys) for phrase in phrases)


# An imported flow (Rasa, Dialogflow CX) lists its intent's training examples as trigger keywords.
# Examples are phrased freely and a lexicon knows only some phrasings, so the intent counts as a
# question of a kind when this share of its examples match. In the corpus's Rasa bots the price
# intents come to 38-50% with `price_intent` ("faq/opensource_cost" 42 of 103), every other intent
# to at most 12%.
EXAMPLE_SHARE = 1 / 3


def keywords_ask(flow: Flow, lexicon, keys: tuple[str, ...]) -> bool:
    """The trigger's keywords are questions of one intent: every keyword of a native flow (someone
    who typed "hi" or "hi, price" did not ask), or enough of an imported intent's examples."""
    phrases = list(flow.trigger.keywords) if flow.trigger is not None else []
    return phrases_ask(lexicon, keys, phrases, examples=flow.origin is not None)


def phrases_ask(lexicon, keys: tuple[str, ...], phrases: list[str], examples: bool) -> bool:
    if not examples or not phrases:
        return all_match(lexicon, keys, phrases)
    matching = sum(1 for phrase in phrases if any(lexicon.find(key, phrase) for key in keys))
    return matching >= EXAMPLE_SHARE * len(phrases)


def trigger_asked(flow: Flow, lexicon, keys: tuple[str, ...]) -> bool:
    """The person started the flow with keywords of one intent (e.g. "price", "pricing")."""
    return person_wrote_first(flow) and keywords_ask(flow, lexicon, keys)


def last_said_asked(timing: Timing, lexicon, keys: tuple[str, ...], examples: bool = False) -> bool:
    """On every path, the last thing the person said is a question of that intent.

    Only what we can read counts: trigger keywords and the labels of replies, buttons and rows;
    free text (captures, `otherwise`, a bare answer) is unknown, so it does not exempt."""
    if not timing.last_inputs:
        return False
    for kind, said in timing.last_inputs:
        if kind == "trigger":  # an imported flow's trigger keywords are an intent's examples
            if not phrases_ask(lexicon, keys, list(said), examples):
                return False
            continue
        phrases = [said] if kind in ("reply", "button", "row") else []
        if not all_match(lexicon, keys, phrases):
            return False
    return True
