"""BL305 early-manual-question: one of the first questions can only be answered by a person.

What it does
    Looks at the first questions a flow asks (the `first_questions` option,
    default 3; counted along the shortest path) and reports one whose answer
    no automation handles:

    - a free-text question (a question with no options: one with options
      is tapped, even when it saves the label with `capture`)
      that asks the person to describe something in their own words (word
      list `open_request`: "tell us about", "describe", "what's your
      question"; for a question with no text, in the message just before
      it), whose answer no branch tests (`if var ==` or `if var !=`
      anywhere in the flow) and no webhook receives right after. Captures
      of structured data that systems consume (the `automated_expect`
      option: email, phone, number, date) and plain data questions
      ("What's your name?") are not reported; neither are flows in a
      language without a lexicon;
    - a question whose every answer goes straight to a handoff: each route
      leads to a handoff, with at most some messages and tags before it (a
      webhook on the way means automation takes the answer).

    Not reported either: a question whose answer goes straight to a quick,
    owned and covered handoff. The handoff promises an answer within the
    `quick_sla` option (default 4h) with `sla`, names a team or an owner,
    and covers the hours nobody is there: business `hours` with an
    `off-hours` message, or an `unanswered` fallback that does not just hand
    over again. Then a person answers while the prospect is still there;
    a free-text question before such a handoff is the handoff's intake.

Why is this bad
    The bot asks, and then someone has to answer by hand. Mostly nobody
    does in time: by the time a person comes back 48 to 72 hours later, the
    prospect has lost interest. Early questions should be ones the bot can
    act on; hand over once the bot has done what it can, or to a team that
    has promised, and staffed, a quick answer.

Example
    Bad:
        flow enquiry:
          channel messenger
          trigger message
          step start:
            ask "Tell us about your event and we'll get back to you.":
              capture event -> thanks
          step thanks:
            say "Thanks, we've got your details."
            end
    Good:
        flow enquiry:
          channel messenger
          trigger message
          step start:
            ask "What are you planning?":
              reply "Wedding" -> wedding
              reply "Corporate event" -> corporate
              otherwise -> start
          step wedding:
            say "Congratulations! Here are our wedding menus: https://catering.example/weddings"
            end
          step corporate:
            say "Here are our menus for corporate events: https://catering.example/corporate"
            end
    Good (a quick handoff takes the answer):
        flow support:
          channel messenger
          trigger message keywords "help"
          step start:
            ask "What do you need help with?":
              reply "Billing" -> human
              reply "Technical issue" -> human
              otherwise -> human
          step human:
            handoff to "Support":
              owner "ana@example.com"
              sla 2h
              hours mon-fri 09:00-17:00 "Europe/Berlin"
              tell "Ana from support will answer here within 2 hours."
              off-hours "We're offline now; Ana will answer by 10:00 on the next working day."
              unanswered -> sorry
          step sorry:
            say "Sorry, nobody got to you in time. I'm the Brightbean bot: email care@example.com for a reply today."
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import walk_statements, walk_step
from linter.model.flow import Action, ActionVerb, Ask, Branch, Handoff, Say, duration_seconds
from linter.rules.base import rule
from linter.rules.handoff._common import Duration, duration_option, owner, team


class Options(RuleOptions):
    first_questions: int = Field(ge=0, description="how many of the first questions are judged")
    automated_expect: list[str] = Field(description="capture kinds that systems consume (email, phone, number, date)")
    quick_sla: Duration = Field(description="the longest `sla` that counts as a quick answer, such as 4h")


@rule(code="BL305", name="early-manual-question", severity="warning",
      summary="an early question only a person can answer",
      options=Options)
def RULE(ctx):
    first = ctx.options.first_questions or 0
    structured = set(ctx.options.automated_expect or [])
    quick = duration_option(ctx, "quick_sla") or 0
    limit = (ctx.options.quick_sla or "0s").strip()
    for flow in ctx.flows():
        analysis = ctx.analysis(flow)
        lexicon = ctx.lexicon(flow)
        tested = {node.if_.var for node in walk_statements(flow) if isinstance(node, Branch) and node.if_.var}
        for step in flow.steps:
            if analysis.steps.get(step.name) is not step:
                continue  # a duplicate definition: nothing reaches it
            body = list(walk_step(step))
            for index, node in enumerate(body):
                timing = analysis.timing(node) if isinstance(node, Ask) else None
                if timing is None or timing.question_number > first:
                    continue
                number = f"question {timing.question_number} of the flow"
                request = _open_request(lexicon, node, body[index - 1] if index else None)
                if (request and _free_text(node, structured) and node.capture not in tested
                        and not _webhook_after(analysis, node, body[index + 1:])
                        and not _quick(analysis, _handoff_after(analysis, node, body[index + 1:]), quick)):
                    saved = f"saved in '{node.capture}'" if node.capture else "not even saved"
                    yield ctx.finding(node, f"{number} asks for a free-text answer ('{request}', {saved}) that "
                                      "no branch or webhook uses: only a person can answer it",
                                      "offer replies the bot can act on, or send the answer to a webhook "
                                      "and tell the person what happens next")
                elif (reached := _straight_to_handoff(analysis, node, body[index + 1:])) and not all(
                        _quick(analysis, handoff, quick) for handoff in reached):
                    handoff = reached[0]
                    to = f" to '{team(handoff)}'" if team(handoff) else ""
                    yield ctx.finding(node, f"{number}: every answer goes straight to a handoff{to}, so "
                                      "a person has to answer it by hand",
                                      "let the bot answer the common cases first; hand over only what it cannot, "
                                      f"or promise a quick answer (a team or owner, `sla {limit}` or less, and "
                                      "an `off-hours` message or an `unanswered` fallback)")


def _free_text(ask: Ask, structured: set[str]) -> bool:
    """The answer is typed, not tapped: a question with no options, unless what it captures is
    structured (an email, a date). One with options is tapped, even when it saves the label."""
    if ask.replies or ask.buttons or ask.rows:
        return False
    return ask.expect not in structured if ask.capture else True


def _open_request(lexicon, ask: Ask, before) -> str | None:
    """The words that ask the person to describe something: in the question, or, for a question
    with no text of its own (common in imported flows), in the message just before it."""
    if lexicon is None:
        return None
    text = ask.ask if ask.ask.strip() or not isinstance(before, Say) else before.say
    found = lexicon.first("open_request", text)
    return found.text if found else None


def _routes(analysis, ask: Ask, rest: list) -> list[list]:
    """The statements each answer leads to: a routed step's body, or what follows the question."""
    targets = [option.goto for option in ask.replies + ask.buttons + ask.rows if option.goto]
    targets += [name for name in (ask.then, ask.otherwise) if name]
    routes = [list(walk_step(analysis.steps[name])) if name in analysis.steps else [] for name in targets]
    if (ask.capture and not ask.then) or not targets:
        routes.append(rest)  # the answer falls through to the next statement
    return routes


def _lead(statements: list) -> list:
    """The statements that run right away: messages and actions, up to the first one of another kind."""
    lead = []
    for statement in statements:
        lead.append(statement)
        if not isinstance(statement, (Say, Action)):
            break
    return lead


def _is_webhook(statement) -> bool:
    return isinstance(statement, Action) and statement.action == ActionVerb.webhook


def _after_answer(analysis, ask: Ask, rest: list) -> list:
    """What runs right after the typed answer."""
    target = ask.then if ask.capture else ask.otherwise
    after = rest if target is None else list(walk_step(analysis.steps[target])) if target in analysis.steps else []
    return _lead(after)


def _webhook_after(analysis, ask: Ask, rest: list) -> bool:
    """The typed answer goes to a webhook before anything else happens."""
    return any(_is_webhook(statement) for statement in _after_answer(analysis, ask, rest))


def _handoff_after(analysis, ask: Ask, rest: list) -> Handoff | None:
    """The handoff the typed answer goes to at once, if any."""
    lead = _after_answer(analysis, ask, rest)
    return lead[-1] if lead and isinstance(lead[-1], Handoff) else None


def _straight_to_handoff(analysis, ask: Ask, rest: list) -> list[Handoff]:
    """The handoffs the answers reach at once (no webhook on the way); empty unless every answer does."""
    reached = []
    for route in _routes(analysis, ask, rest):
        lead = _lead(route)
        if not lead or not isinstance(lead[-1], Handoff) or any(map(_is_webhook, lead)):
            return []
        reached.append(lead[-1])
    return reached


def _quick(analysis, handoff: Handoff | None, limit: float) -> bool:
    """A person answers soon: the handoff promises an `sla` within `limit`, names who answers, and
    covers the hours nobody is there (hours with an off-hours message, or an unanswered fallback)."""
    if handoff is None or handoff.sla is None or duration_seconds(handoff.sla) > limit:
        return False
    if team(handoff) is None and owner(handoff) is None:
        return False
    return bool(handoff.hours is not None and handoff.off_hours) or _falls_back(analysis, handoff)


def _falls_back(analysis, handoff: Handoff) -> bool:
    """Nobody picking up leads somewhere other than straight back to the same handoff."""
    target = analysis.steps.get(handoff.on_timeout) if handoff.on_timeout else None
    if target is None:
        return False
    lead = _lead(list(walk_step(target)))
    return not (lead and lead[-1] is handoff)
