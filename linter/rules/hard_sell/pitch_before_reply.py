"""BL201 pitch-before-reply: a sales pitch reaches the person before they have said anything.

What it does
    Looks at every text the bot can send before the person's first reply
    (messages, questions, their buttons and button links, what a handoff
    says, connection notes): in a sequence, everything up to the first
    answer; in a flow, everything between the trigger and the person's first
    answer. It reports a pitch, quoting the evidence: a currency amount, price
    wording with an amount ("costs just 49"; a number followed by a word not
    in `pitch.amount_follows` counts things: "per month 2 tips"), a discount, coupon or percent
    off (not one already applied to the order, `policy.applied_discount`:
    "your code was applied"), a buy / order / checkout call to action, or a cart, checkout or
    payment link (word lists `pitch.*` of the flow's language).

    A flow the person opens without a word (`trigger start`: a chat widget
    opened, a "Get Started" button) and one they open with a greeting
    (trigger keywords from `policy.conversation_openers`: "hi", "hello")
    are openings: the finding says the person has said nothing, or only
    a greeting, yet. So is an automatic DM on a follow, connection or
    subscription: BL401 reports that it is sent at all, this rule the pitch
    in it (two problems: either can be fixed or ignored on its own).

    Not reported: the person asked for it. They started the flow asking
    about prices, costs, availability, free spots, booking, a discount or a
    code: every trigger keyword is such a question (word lists
    `price_intent`, `availability_intent`, `booking_intent` and
    `discount_intent`: "price", "any free spots?", "book a table",
    "promo code", "CODE" on a comment-for-a-code post; someone who typed
    "hi", or "hi" and "price", did not ask). Or they started it by tapping
    a reply, button or row another flow of the file offers without a
    target (the tap sends its label, which starts this flow), and that
    option or its question asks ("Want to see our prices?" - "Yes
    please"). Within a flow, whatever follows the person's first answer
    is not judged at all: a reply led there. An imported flow (Rasa,
    Dialogflow CX...) started by a message is judged only when it is an opening (a greeting
    intent: at least half of its training examples are greetings): any
    other intent's flow answers what the person asked ("what does it
    cost?", "which payment options?"), and an amount there is the answer,
    not a pitch; so does a route that a flow opened by a greeting takes when
    the first message matched another intent (a Dialogflow CX start page
    routes it by intent: its "pricing" route answers a question). The same holds in our own format: in a flow the person
    opens with a message about something (trigger keywords, none of them a
    greeting: "balance", "shipping", "refund"), an amount answers what they
    wrote, so only discounts and calls to action count there. In a
    transactional message (a message tag, a template in a transactional
    category, or a flow triggered by an event such as an order) amounts and
    payment links are facts of the order, so only discounts and calls to
    action count there too. Flows in a language
    without a lexicon are skipped.

Why is this bad
    Sales happen in messengers, but after some nurturing, education and
    engagement. An offer to someone who has not said a word reads as spam:
    they block, report or mute the bot, and the channel's quality rating
    drops for every later message.

Example
    Bad:
        sequence new_subscribers:
          channel telegram
          trigger opt-in
          step hello:
            say "Thanks for signing up! Beans from 9.90 EUR, 20% off today: https://shop.example.com/checkout"
            end
    Good:
        sequence new_subscribers:
          channel telegram
          trigger opt-in
          step hello:
            ask "Thanks for signing up! How do you brew at home?":
              reply "Espresso" -> beans
              reply "Filter" -> beans
              otherwise -> beans
          step beans:
            say "Then you'll like our house blend, 9.90 EUR: https://shop.example.com/house-blend"
            end
    Good (they asked):
        flow prices:
          channel telegram
          trigger message keywords "price", "any free spots?"
          step answer:
            say "A tasting is 25 EUR; Saturday still has 4 free spots."
            end
"""

import re

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import walk_statements, walk_step
from linter.model.flow import Ask, Branch, Say, TriggerKind
from linter.rules._wording import quote
from linter.rules.base import rule
from linter.rules.hard_sell._common import all_match, person_wrote_first, timed_texts, trigger_asked
from linter.rules.policy._common import greeting_trigger, offered_discounts

# The lexicon lists under `pitch` and what each is called in a message, in the order reported.
_NAMES = {"currency": "amount", "price_words": "price", "discount": "discount", "cta": "call to action",
          "link": "checkout link"}
# In a receipt or an invoice, and in an answer to what the person wrote ("balance", "shipping"),
# an amount is a fact, not an offer: there only a discount or a call to action sells.
_OFFER_EVIDENCE = {"discount", "cta"}


class Options(RuleOptions):
    price_amount_words: int = Field(ge=0, description="how many words price wording may stand before its number")
    transactional_categories: list[str] = Field(description=(
        "template categories that are receipts or codes: there an amount or a payment link is part of the order"))


@rule(code="BL201", name="pitch-before-reply", severity="warning",
      summary="sales pitch before the person has said anything",
      options=Options)
def RULE(ctx):
    tapped: list[dict[str, list[str]]] = []  # the file's target-less options, worked out once if needed
    for flow in ctx.flows():
        lexicon = ctx.lexicon(flow)
        if lexicon is None or _asked(ctx, flow, lexicon, tapped):
            continue  # the person asked for it: prices, spots or the code are the answer
        if (flow.origin is not None and flow.trigger is not None and flow.trigger.kind == TriggerKind.message
                and not greeting_trigger(flow, lexicon)):
            continue  # an imported intent's flow answers what the person asked: only openings are judged
        answering = _topic_message(flow, lexicon)
        analysis = ctx.analysis(flow)
        other_intents = _after_other_intents(flow, analysis)
        evidence: dict[int, tuple[object, list[tuple[str, str]]]] = {}  # per node: a button's label and URL
        for sent in timed_texts(flow, analysis):
            if not sent.timing.before_first_reply or id(sent.statement) in other_intents:
                continue  # not yet replied to, and not the answer to another intent
            found = _pitch(lexicon, sent.text, ctx.options)
            if answering or _transactional(flow, sent.statement, ctx.options):
                found = [(kind, text) for kind, text in found if kind in _OFFER_EVIDENCE]
            evidence.setdefault(id(sent.node), (sent.node, []))[1].extend(found)
        for node, found in evidence.values():
            if found:
                listed = ", ".join(f"{_NAMES[kind]} {quote(text)}" for kind, text in found)
                yield ctx.finding(node, f"pitch {_before(flow, lexicon)}: {listed}",
                                  "open with a question or something useful; send the offer once they reply "
                                  "or ask for it (e.g. a 'Prices' reply)")


# What a person asks for when an offer is the answer (lexicon lists, per language).
ASKED = ("price_intent", "availability_intent", "booking_intent", "discount_intent")


def _asked(ctx, flow, lexicon, tapped: list) -> bool:
    """The person opened the flow asking for prices, spots, a booking or a code: in the trigger
    keywords, or in the option of another flow whose tap sends them."""
    if trigger_asked(flow, lexicon, ASKED):
        return True
    if flow.origin is not None or flow.trigger is None or flow.trigger.kind != TriggerKind.message:
        return False
    keywords = [_label(keyword) for keyword in flow.trigger.keywords]
    if not keywords:
        return False
    if not tapped:
        tapped.append(_tapped_options(ctx))
    return all(any(_asks(lexicon, text) for flow_of, text in tapped[0].get(keyword, ()) if flow_of is not flow)
               for keyword in keywords)


def _tapped_options(ctx) -> dict[str, list[tuple[object, str]]]:
    """For each label of a reply, button or row offered with no target and no URL (a tap that
    sends the label as a message, which starts the flow that has it as a keyword): the flow that
    offers it, with the label and with the question that offers it."""
    found: dict[str, list[tuple[object, str]]] = {}
    for flow in ctx.flows():
        for node in walk_statements(flow):
            if not isinstance(node, Ask):
                continue
            for option in node.replies + node.buttons + node.rows:
                if option.goto is None and option.url is None:
                    found.setdefault(_label(option.label), []).extend([(flow, option.label), (flow, node.ask)])
    return found


def _asks(lexicon, text: str) -> bool:
    return any(lexicon.find(key, text) for key in ASKED)


def _label(text: str) -> str:
    return " ".join(text.casefold().split())


def _pitch(lexicon, text: str, options) -> list[tuple[str, str]]:
    """(kind, quoted evidence) for each kind of pitch evidence in the text."""
    found: list[tuple[str, str]] = []
    for kind in _NAMES:
        if kind == "price_words" and any(done == "currency" for done, _ in found):
            continue  # an amount was already quoted: price wording around it adds nothing
        matches = lexicon.find(f"pitch.{kind}", text)
        for match in offered_discounts(lexicon, text, matches) if kind == "discount" else matches:
            end = _amount_end(lexicon, text, match, options.price_amount_words or 0) if kind == "price_words" \
                else match.end
            if end is not None:
                found.append((kind, text[match.start:end]))
                break
    return found


def _amount_end(lexicon, text: str, match, words_between: int) -> int | None:
    """Price wording counts only with a number in it or a few words after it ("costs just 49"), and
    only when that number is an amount: a word after it must be one of `pitch.amount_follows` ("24 a
    month", "49 Euro"), else it counts things ("statt 2 Tagen", "pro Monat 2 Tipps"). Returns where
    the quoted evidence ends, or None."""
    if any(char.isdigit() for char in match.text):
        end = match.end
    else:
        amount = re.match(rf"(?:\s*[^\s\d.!?]+){{0,{words_between}}}\s*\d(?:[\d.,]*\d)?", text[match.end:])
        if amount is None:
            return None
        end = match.end + amount.end()
    following = _NEXT_WORD.match(text, end)
    if any(sign in text[match.start:end] for sign in "€$£₽"):
        return end  # a currency sign makes it an amount, whatever follows
    if following and following[1].casefold() not in _amount_follows(lexicon):
        return None  # a count of things, not an amount
    return end


_NEXT_WORD = re.compile(r"[ \u00a0]*([^\W\d_]+)")


def _amount_follows(lexicon) -> set[str]:
    return {str(word).casefold() for word in lexicon.entries("pitch.amount_follows")}


def _transactional(flow, statement, options) -> bool:
    if flow.trigger is not None and flow.trigger.kind == TriggerKind.event:
        return True
    if not isinstance(statement, Say):
        return False
    return statement.tag is not None or statement.category in (options.transactional_categories or [])


def _after_other_intents(flow, analysis) -> set[int]:
    """The statements an imported flow reaches only once its first message matched another intent
    than the one that opens it (a Dialogflow CX start page routes the first message by intent: the
    route for "pricing" answers a question about prices, not a greeting)."""
    opening = flow.trigger.value if flow.trigger is not None and flow.origin is not None else None
    if opening is None or not flow.steps:
        return set()
    reached, pending = {flow.steps[0].name}, [flow.steps[0].name]
    while pending:
        name = pending.pop()
        other = {node.then for node in analysis.steps[name].do if isinstance(node, Branch)
                 and node.if_.var == "intent" and node.if_.equals not in (None, opening)}
        for edge in analysis.successors(name):
            if edge.target and edge.target not in reached and not (edge.kind == "then" and edge.target in other):
                reached.add(edge.target)
                pending.append(edge.target)
    return {id(node) for name, step in analysis.steps.items() if name not in reached for node in walk_step(step)}


def _greeting(flow, lexicon) -> bool:
    return (all_match(lexicon, ("policy.conversation_openers",), list(flow.trigger.keywords)) if flow.origin is None
            else greeting_trigger(flow, lexicon))  # most of an imported intent's examples


def _topic_message(flow, lexicon) -> bool:
    """The person opened the flow writing about something ("balance", "shipping"): no keyword is a
    greeting, so nobody gets here having said only "hi"."""
    return (flow.trigger is not None and flow.trigger.kind == TriggerKind.message and bool(flow.trigger.keywords)
            and not any(lexicon.find("policy.conversation_openers", keyword) for keyword in flow.trigger.keywords))


def _before(flow, lexicon) -> str:
    if not person_wrote_first(flow):
        return "before the person has said anything"
    keywords = flow.trigger.keywords
    if _greeting(flow, lexicon):
        return f"before the person has said more than a greeting ({quote(keywords[0])})"
    if len(keywords) > _QUOTED_KEYWORDS:  # an imported intent's examples: a few show what it is
        shown = ", ".join(quote(k) for k in keywords[:_QUOTED_KEYWORDS])
        return f"before the person has replied (they only sent something like {shown})"
    sent = f" (they only sent {' or '.join(quote(k) for k in keywords)})" if keywords else ""
    return f"before the person has replied{sent}"


_QUOTED_KEYWORDS = 3
