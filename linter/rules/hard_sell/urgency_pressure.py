"""BL202 urgency-pressure: "today only", "last chance", "only until Friday" in automated outreach that sells.

What it does
    Reports pressure to decide fast in a sales message sent where nobody
    asked for it. Three kinds of wording count, from word lists of the
    flow's language:

    - scarcity and countdowns that name what runs out (`urgency`): "today
      only", "only 3 spots left", "offer ends at midnight", "while stocks
      last", "last chance to book";
    - "be quick" words that support says too (`urgency_push`): "hurry",
      "act fast", "last chance", "don't miss out". Only in a flow that
      sells: one of its messages has an amount, a discount, a buy / order
      call to action, a checkout link (`pitch.*`) or scarcity from
      `urgency`. "Need it fast? Hurry and send us a photo" in a support
      flow is not pressure;
    - deadlines said any way (`urgency_deadline.deadline`): "only until
      Friday", "offer ends Sunday", "this weekend only", "nur noch bis
      Freitag", "только до пятницы", "samo do petka". Only when attached
      to an offer: the same message has offer wording (`pitch.*`,
      `urgency`, `urgency_deadline.offer`: "20% off", "the sale"), or the
      message is a bare deadline ("Only until Friday!", at most
      `deadline_bubble_words` words beside it) and another message of the
      same step has one.

    A deadline or a scarcity word whose sentence is about opening hours,
    delivery, a closure, a reply, cancelling, a refund or a bill
    (`urgency_deadline.not_offer`: "open until Friday 6pm", "today only we
    close at 2 pm", "bis Freitag geschlossen", "arrives by Friday", "you can
    cancel until Thursday", "the invoice is due by Friday") is not an
    offer's.

    Where: in any message of a sequence, in any message of a flow the
    person did not start by writing (a follow, an accepted connection, a
    broadcast, a schedule, a tag, an event), and in any message before the
    person's first reply (also in a `start` flow, where they opened the chat
    without saying anything).

    Not reported: a message whose every path comes straight from the person
    asking about price, availability, a discount code or how long an offer
    runs ("Any seats left?", "How much?", "Any promo code?", "When does the
    sale end?": the last reply, button or trigger keywords they sent are all
    such questions, word lists `price_intent`, `availability_intent` and
    `discount_intent`; of an imported flow's trigger
    keywords, which are an intent's training examples, a third is enough).
    Then "3 seats left" or "until Friday" answers them. Free-text answers do
    not exempt: what they said is unknown. After the person has replied in
    a flow they started, the conversation is theirs and this rule stays
    silent. Flows in a language without a lexicon are skipped.

Why is this bad
    Pressure on someone who has not shown any interest is the hallmark of
    spam. It gets the bot blocked and reported, and on LinkedIn and WhatsApp
    reports cost the account its reach or its number. Urgency in support
    ("Is it urgent? We'll prioritise it") is service, not pressure: only a
    message that sells pushes the person to decide fast.

Example
    Bad:
        sequence workshop_invite:
          channel messenger
          trigger tag-added "Webinar attendee"
          step invite:
            say "Last chance! Only 3 seats left in Saturday's latte art workshop, 20% off until Friday."
            end
    Good:
        sequence workshop_invite:
          channel messenger
          trigger tag-added "Webinar attendee"
          step invite:
            ask "We're running a latte art workshop on Saturday. Want the details?":
              reply "Yes, tell me" -> details
              reply "Not now" -> goodbye
              otherwise -> goodbye
          step details:
            say "Saturday 10:00-12:00 at our Hamburg roastery, 35 EUR with all the milk you can steam."
            end
          step goodbye:
            say "No problem, enjoy your coffee!"
            end
"""

import re

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import walk_step
from linter.model.flow import TriggerKind
from linter.rules._wording import quote
from linter.rules.base import rule
from linter.rules.hard_sell._common import last_said_asked, person_wrote_first, timed_texts

_ASKED = ("price_intent", "availability_intent", "discount_intent")
# Evidence that a text sells: the pitch lists, and scarcity that names what runs out.
_SELLING = ("pitch.cta", "pitch.discount", "pitch.currency", "pitch.link", "urgency")
_OFFER = _SELLING + ("urgency_deadline.offer",)
# A sentence ends at a full stop, ! ? ; or a line break; a dot inside a number ("18.30") or a date
# ("31.05.") does not end one. Commas do not: "open until Friday, until 6pm" is one thought.
_SENTENCE_END = re.compile(r"[!?;\n]|(?<!\d)\.(?!\d)")
_WORD = re.compile(r"\w+")


class Options(RuleOptions):
    deadline_bubble_words: int = Field(ge=0, description=(
        "how many other words a message may have and still be a bare deadline that attaches to an offer "
        "elsewhere in its step (\"Hurry, only until Friday!\")"))


@rule(code="BL202", name="urgency-pressure", severity="warning",
      summary="urgency or scarcity pressure in automated outreach",
      options=Options)
def RULE(ctx):
    for flow in ctx.flows():
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        sent_texts = list(timed_texts(flow, ctx.analysis(flow)))
        flow_sells: list[bool] = []  # worked out once, when a "be quick" word needs it
        by_step: dict[int, list[str]] | None = None
        for sent in sent_texts:
            where = _outreach(flow, sent.timing)
            if not where:
                continue
            found = [m for m in lexicon.find("urgency", sent.text) if not _about_something_else(lexicon, sent.text, m)]
            push = lexicon.find("urgency_push", sent.text)
            if push:
                if not flow_sells:
                    flow_sells.append(any(_has(lexicon, _SELLING, other.text) for other in sent_texts))
                if flow_sells[0]:
                    found.extend(push)
            deadlines = [m for m in lexicon.find("urgency_deadline.deadline", sent.text)
                         if not _about_something_else(lexicon, sent.text, m)]
            if deadlines:
                if _has(lexicon, _OFFER, sent.text):
                    found.extend(deadlines)
                elif _bare(sent.text, deadlines, ctx.options.deadline_bubble_words or 0):
                    if by_step is None:
                        by_step = _texts_by_step(flow, sent_texts)
                    if any(_has(lexicon, _OFFER, other) for other in by_step.get(id(sent.statement), [])):
                        found.extend(deadlines)
            if not found:
                continue
            if last_said_asked(sent.timing, lexicon, _ASKED, examples=flow.origin is not None):
                continue
            pressure = min(found, key=lambda match: match.start)
            yield ctx.finding(sent.node, f"urgency pressure {quote(pressure.text)} {where}",
                              "drop the countdown; say what the offer is and let them ask, "
                              "or keep scarcity for people who asked about availability")


def _has(lexicon, keys: tuple[str, ...], text: str) -> bool:
    return any(lexicon.find(key, text) for key in keys)


def _sentence(text: str, match) -> str:
    """The sentence a match sits in."""
    start = 0
    for end_mark in _SENTENCE_END.finditer(text, 0, match.start):
        start = end_mark.end()
    after = _SENTENCE_END.search(text, match.end)
    return text[start:after.start() if after else len(text)]


def _about_something_else(lexicon, text: str, match) -> bool:
    """The deadline's sentence is about opening hours, delivery, a closure or a reply."""
    return bool(lexicon.find("urgency_deadline.not_offer", _sentence(text, match)))


def _bare(text: str, deadlines, words: int) -> bool:
    """The message is little more than the deadline ("Only until Friday!")."""
    rest = text
    for match in sorted(deadlines, key=lambda m: m.start, reverse=True):
        rest = rest[:match.start] + " " + rest[match.end:]
    return len(_WORD.findall(rest)) <= words


def _texts_by_step(flow, sent_texts) -> dict[int, list[str]]:
    """For each statement, the texts of every statement in its step (its neighbours)."""
    step_of = {id(node): index for index, step in enumerate(flow.steps) for node in walk_step(step)}
    texts: dict[int, list[str]] = {}
    for sent in sent_texts:
        texts.setdefault(step_of.get(id(sent.statement), -1), []).append(sent.text)
    return {key: texts.get(step, []) for key, step in step_of.items()}


def _outreach(flow, timing) -> str | None:
    """Why this message counts as automated outreach, or None."""
    if flow.kind == "sequence":
        return "in a sequence (automated outreach)"
    if flow.trigger is not None and flow.trigger.kind == TriggerKind.start and timing.before_first_reply:
        return "before the person has said anything (they only opened the chat)"
    if flow.trigger is not None and not person_wrote_first(flow) and flow.trigger.kind != TriggerKind.start:
        return f"in a flow started by '{flow.trigger.kind.value}', not by the person writing"
    if timing.before_first_reply:
        return "before the person has replied"
    return None
