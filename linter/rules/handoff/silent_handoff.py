"""BL304 silent-handoff: the person is not told who will answer, or when.

What it does
    Reports a `handoff` that tells the person nothing: no `tell` and no bot
    message right before it in the same step. A handoff that code performs
    in an imported project (a Rasa custom action such as `action_handoff`)
    is judged by the message right before that code, and not reported
    without one: what the code tells the person is not in the project's
    files. When there is such a message,
    it reports one that says neither who will answer nor when: no name of
    the team or the owner, no person or team word (word list
    `handoff_who_words`: "our team", "a colleague"), no time (a clock
    time, a date or a count of hours: "by 3 pm", "18:00"; a ticket or phone
    number says nothing of when) and no time
    word (`handoff_time_words`: "today", "tomorrow", "within the hour";
    vague ones such as "soon" do not count) and no transfer under way
    (`handoff_promise.live`: "please hold while I transfer you" says the
    person is answered now). "Someone" does not say who. The wording check
    is skipped for a language without a lexicon.

Why is this bad
    A bot that suddenly goes quiet looks broken. People who do not know
    that a human will reply, or when, ask again, give up, or write to a
    competitor. "Lena from our team will answer here by 3 pm" keeps them.

Example
    Bad:
        flow contact:
          channel webchat
          trigger message keywords "talk to sales"
          step talk_to_us:
            handoff to "Sales":
              owner "lena@example.com"
              sla 2h
              tell "Thanks for your message!"
              unanswered -> sorry
          step sorry:
            say "Sorry, nobody got to you in time. Email sales@example.com and we'll answer today."
            end
    Good:
        flow contact:
          channel webchat
          trigger message keywords "talk to sales"
          step talk_to_us:
            handoff to "Sales":
              owner "lena@example.com"
              sla 2h
              tell "Thanks! Lena from our sales team will answer here within 2 hours."
              unanswered -> sorry
          step sorry:
            say "Sorry, nobody got to you in time. Email sales@example.com and we'll answer today."
            end
"""

import re

from linter.model.flow import Action, ActionVerb, FollowUp, Handoff, Say
from linter.model.text import words
from linter.rules.base import rule
from linter.rules.handoff._common import owner, says_a_time, team


@rule(code="BL304", name="silent-handoff", severity="warning",
      summary="handoff without telling the person who answers and when")
def RULE(ctx):
    for flow in ctx.flows():
        lexicon = ctx.lexicon(flow)
        for handoff, previous, before_code in _handoffs(flow):
            told = handoff.tell or _message(previous)
            if not told and before_code is not None:
                told = _message(before_code)
                if not told:
                    continue  # the code that hands over may tell the person: botlint cannot see it
            if not told:
                yield ctx.finding(handoff, "handoff tells the person nothing: no `tell` and no message right before it",
                                  'add `tell "Lena from our team will answer here within 2 hours."`')
            elif lexicon is not None and not _says_who(told, handoff, lexicon) and not _says_when(told, lexicon):
                yield ctx.finding(handoff, f"handoff message '{' '.join(told.split())}' says neither who will "
                                  "answer nor when",
                                  "name the person or team and a time: \"Lena from our team will answer here "
                                  "by 3 pm.\"")


def _handoffs(flow):
    """Each handoff with the statement before it in its block and, when code performs it (an
    imported project's custom action), the statement before that code (False: none); else None."""
    for step in flow.steps:
        yield from _in_block(step.do)


def _in_block(statements):
    for index, statement in enumerate(statements):
        if isinstance(statement, FollowUp):
            yield from _in_block(statement.do)
        if not isinstance(statement, Handoff):
            continue
        previous = statements[index - 1] if index else None
        if not statement.by_code:
            yield statement, previous, None
            continue
        code_first = isinstance(previous, Action) and previous.action == ActionVerb.webhook
        before = statements[index - 2] if code_first and index > 1 else previous if not code_first else False
        yield statement, None, before


def _message(statement) -> str | None:
    """The text of a bot message sent right before the handoff."""
    if isinstance(statement, Say):
        return statement.say
    if isinstance(statement, Action) and statement.action == ActionVerb.message:
        return statement.text
    return None


def _says_who(text: str, handoff, lexicon) -> bool:
    names = set()
    for name in (team(handoff), owner(handoff)):
        if name:
            names.update(part.lower() for part in re.split(r"[^\w]+", name.split("@")[0]) if part.isalpha())
    return bool(names & {word.lower() for word in words(text)}) or bool(lexicon.find("handoff_who_words", text))


def _says_when(text: str, lexicon) -> bool:
    """A time, a time word, or a transfer under way ("please hold while I transfer you"): now."""
    return says_a_time(text) or bool(lexicon.find("handoff_time_words", text)) \
        or bool(lexicon.find("handoff_promise.live", text))
