"""BL711 bot-not-disclosed: the bot does not say it is a bot where it must.

What it does
    Where disclosure is required (by the channel's policy profile, which
    turns it on for Messenger, or everywhere with `disclose-bot = true`),
    checks three places, each as the burst of messages sent there without a
    wait in between:
    - the first messages of a flow that starts a conversation: one the
      person opens without a word (`start`: a chat widget opened, a "Get
      Started" button, a new session), one the bot opens (an `opt-in`,
      `subscribe`, `follow`, `comment`, `broadcast`, `schedule`, `event` or
      `connection-accepted` trigger), or one the person opens with a
      greeting (`trigger message keywords` with a word from lexicon
      `policy.conversation_openers`: "hi", "good morning"; for an imported
      flow, whose keywords are its intent's training examples, when at
      least half of them are greetings). A flow for any other keyword, or
      for any message, may run in the middle of a conversation, so its
      opening is not judged;
    - the first message after a long silence: the first `say` of a burst
      sent when the person has not written for more than `long_gap_hours`
      on every path (for people who never wrote: since the flow started);
    - the first messages after a handoff goes unanswered and the bot takes
      the conversation back (`unanswered -> step`; `after_handoff`).
    It reports a burst in which no message says it is automated (lexicon
    `bot_disclosure` and `policy.bot_disclosure`: "I'm a bot", "I'm the
    Brightbean bot", "automated reply"...).

    On every channel, required or not, it reports a message in which the
    bot introduces itself as a named person with a human job title
    (lexicon `persona.introduction`: "I'm Sarah, your customer service
    representative", "Ich bin Lisa, Ihre Beraterin") when neither that
    message, nor any message before it in the flow, nor the rest of its
    burst says it is automated. A name alone ("Hi, I'm Sara") is not
    reported: bots have names. A title made automated ("your virtual
    agent", `persona.automated`) is not reported either.
    Flows without a trigger (except for that check) and languages without
    a lexicon are skipped.

Why is this bad
    Meta requires automated chats to say so where the law does (California's
    bot disclosure law, German law): at the start of a conversation, after a
    significant lapse of time and when a human hands back to the bot. People
    who think a person is typing share more, and feel tricked when they find
    out. A bot that calls itself a named representative goes further than
    staying silent: it claims to be a person, which misleads on any channel
    and is what the disclosure laws forbid, so that check needs no policy.

Example
    Bad:
        flow welcome:
          channel messenger
          trigger message keywords "hi"
          step start:
            say "Hi! Ana here from Brightbean."
            end
    Good:
        flow welcome:
          channel messenger
          trigger message keywords "hi"
          step start:
            say "Hi! I'm the Brightbean bot. Type \\"human\\" any time to reach Ana."
            end
    Bad (a made-up person, on any channel):
        flow welcome:
          channel webchat
          trigger start
          step start:
            say "Hi, I'm Sarah, your customer service representative."
            end
    Good:
        flow welcome:
          channel webchat
          trigger start
          step start:
            say "Hi, I'm Sarah, Brightbean's virtual assistant."
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import walk_statements
from linter.model.flow import Ask, Handoff, Say, TriggerKind
from linter.rules._wording import duration
from linter.rules.base import rule
from linter.rules.policy._common import (
    HOUR, INF, burst_from, greeting_trigger, message_text, opening_messages,
)


# A tag is usually added by a step of an ongoing conversation: its flow is not a new one.
_MID_CONVERSATION = {TriggerKind.tag_added}


class Options(RuleOptions):
    long_gap_hours: float | None = Field(ge=0, description=(
        "after a silence this long the bot says again that it is automated (null: never again)"))
    after_handoff: bool = Field(description=(
        "the first bot message after an unanswered handoff must disclose again (it reads as the human's)"))


@rule(code="BL711", name="bot-not-disclosed", severity="warning",
      summary="automated messages do not say they are automated",
      options=Options)
def RULE(ctx):
    for flow in ctx.flows():
        required = ctx.disclose_bot or (ctx.policy(flow) or {}).get("bot_disclosure")
        lexicon = ctx.lexicon(flow)
        if lexicon is None:
            continue
        reported: set[int] = set()
        for node, introduction in _posing(ctx, flow, lexicon):
            reported.add(id(node))
            yield ctx.finding(node, f"the bot introduces itself as a person ('{introduction}') and no message "
                              "before it says it is automated",
                              "say it is a bot in the same message, e.g. \"I'm Sarah, "
                              f"{ctx.business_name or '<business>'}'s virtual assistant\"")
        if not required or flow.trigger is None:
            continue
        for burst, where in _places(ctx, flow, lexicon):
            if not burst or id(burst[0]) in reported:
                continue
            reported.add(id(burst[0]))
            if not any(_discloses(lexicon, message_text(m, options=False)) for m in burst):
                example = f"I'm the {ctx.business_name or '<business>'} bot"
                yield ctx.finding(burst[0], f"{where} does not say it is automated",
                                  f"say that a bot is writing, e.g. \"{example}\"")


def _places(ctx, flow, lexicon):
    """(burst of messages, what to call it) for each place a disclosure is due, in that order."""
    analysis = ctx.analysis(flow)
    if _opens_conversation(flow, lexicon):
        yield opening_messages(flow, analysis, analysis.entry), "first message of the conversation"
    gap = float(ctx.options.long_gap_hours or 0) * HOUR
    if gap:
        covered: set[int] = set()  # messages already in the burst of an earlier one
        for node in walk_statements(flow):
            if not isinstance(node, Say) or id(node) in covered:
                continue
            silence = _silence(analysis.timing(node))
            if silence > gap:
                burst = burst_from(flow, analysis, node)
                covered.update(id(message) for message in burst)
                yield burst, f"first message after {duration(silence)} of silence"
    if ctx.options.after_handoff:
        for node in walk_statements(flow):
            if isinstance(node, Handoff) and node.on_timeout and node.on_timeout in analysis.steps:
                yield (opening_messages(flow, analysis, analysis.steps[node.on_timeout]),
                       f"first message after an unanswered handoff to '{node.handoff or 'a person'}'")


def _opens_conversation(flow, lexicon) -> bool:
    if flow.trigger.kind == TriggerKind.message:
        return greeting_trigger(flow, lexicon)
    return flow.trigger.kind not in _MID_CONVERSATION  # `start` included: the bot speaks first


def _posing(ctx, flow, lexicon):
    """(message, its self-introduction) for each reachable message that introduces the bot as a
    person with a job title, when no message up to the end of its burst says it is automated."""
    analysis = ctx.analysis(flow)
    disclosed = False  # by a message earlier in the flow
    for node in walk_statements(flow):
        if not isinstance(node, (Say, Ask)):
            continue
        text = message_text(node, options=False)
        introduction = None if disclosed else _introduction(lexicon, text)
        if introduction is not None and analysis.timing(node) is not None and not any(
                _discloses(lexicon, message_text(m, options=False)) for m in burst_from(flow, analysis, node)):
            yield node, introduction
        disclosed = disclosed or _discloses(lexicon, text)


def _introduction(lexicon, text: str) -> str | None:
    for match in lexicon.find("persona.introduction", text):
        if not lexicon.find("persona.automated", match.text):
            return match.text
    return None


def _discloses(lexicon, text: str) -> bool:
    return bool(lexicon.find("bot_disclosure", text) or lexicon.find("policy.bot_disclosure", text))


def _silence(timing) -> float:
    """The least time since the person last wrote, over every path that reaches a message
    (since the trigger on a path where they never wrote); 0 when unknown."""
    if timing is None:
        return 0.0
    least = timing.since_user[0]
    if timing.user_silent_path:
        least = min(least, timing.since_trigger[0])
    return 0.0 if least == INF else least
