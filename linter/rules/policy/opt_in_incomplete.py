"""BL707 opt-in-incomplete: an opt-in message does not say who will message the person, or about what.

What it does
    On channels whose policy profile sets opt-in requirements (WhatsApp),
    finds the opt-in messages: the opening messages of a flow triggered by
    `opt-in`, and a question that asks for permission to send messages
    (lexicon `policy.opt_in_request`, e.g. "Can we send you order updates
    here?") together with the messages right before it. It reports them
    when none of them names the business (the `business-name` setting; not
    checked when it is not configured) or says what the person signs up for
    (lexicon `policy.consent_scope`: order updates, reminders, offers...;
    reply labels count). Languages without a lexicon get only the name check.

Why is this bad
    WhatsApp's Business Messaging Policy requires an opt-in that clearly
    names the business and tells people what they agree to receive. A vague
    opt-in is not valid consent: people block or report the number, and the
    account's quality rating and messaging limits drop.

Example
    Config:
        business-name: "Brightbean"
    Bad:
        flow welcome:
          channel whatsapp
          trigger opt-in
          step start:
            say "Thanks, you're in! 🎉"
            end
    Good:
        flow welcome:
          channel whatsapp
          trigger opt-in
          step start:
            say "Thanks! Brightbean will send you order and delivery updates here. Reply STOP to opt out."
            end
"""

from linter.model.flow import Action, Ask, Say, TriggerKind
from linter.rules.base import rule
from linter.rules.policy._common import message_text, opening_messages


@rule(code="BL707", name="opt-in-incomplete", severity="warning",
      summary="opt-in message does not name the business or what the person consents to")
def RULE(ctx):
    for flow in ctx.flows():
        requirements = (ctx.policy(flow) or {}).get("opt_in")
        if not isinstance(requirements, dict):
            continue
        lexicon = ctx.lexicon(flow)
        name = ctx.business_name if requirements.get("name_business") else None
        scope = lexicon is not None and requirements.get("state_scope")
        seen = set()  # an opt-in question can also open an opt-in flow: judge it once
        for messages in _opt_in_messages(ctx, flow, lexicon):
            where = messages[-1] if isinstance(messages[-1], Ask) else messages[0]
            if id(where) in seen:
                continue
            seen.add(id(where))
            text = "\n".join(message_text(m) for m in messages)
            missing = []
            if name and name.casefold() not in text.casefold():
                missing.append(f"name the business ({name})")
            if scope and not lexicon.find("policy.consent_scope", text):
                missing.append("say what the person signs up for")
            if missing:
                yield ctx.finding(where, f"opt-in message does not {' or '.join(missing)}",
                                  f"say who will message them and about what, e.g. \"{name or '<business>'} "
                                  "will send you order updates here\"")


def _opt_in_messages(ctx, flow, lexicon):
    """Each opt-in, as the list of messages the person reads when giving it."""
    analysis = ctx.analysis(flow)
    if flow.trigger is not None and flow.trigger.kind == TriggerKind.opt_in:
        opening = opening_messages(flow, analysis, analysis.entry)
        if opening:
            yield opening
    if lexicon is None:
        return
    for step in flow.steps:
        for index, statement in enumerate(step.do):
            if isinstance(statement, Ask) and lexicon.find("policy.opt_in_request", statement.ask):
                yield [*_lead_in(step.do[:index]), statement]


def _lead_in(before):
    """The messages sent right before a question, without a wait in between (actions send nothing)."""
    messages = []
    for statement in reversed(before):
        if isinstance(statement, Say):
            messages.insert(0, statement)
        elif not isinstance(statement, Action):
            break
    return messages
