"""BL003 undefined-reference: an imported bot names a response, flow, node or skill it does not have.

What it does
    Reports what an importer found named but not defined in the project:
    a Rasa story, rule or flow that sends `utter_x` when neither the domain
    nor Rasa's own defaults define it; a Botpress transition to a flow file
    or a node of it that the bot does not have, or a skill call whose skill
    flow is missing; a Composer `BeginDialog` of a dialog the bot does not
    have (one whose file is there but unreadable is that file's error instead). The rest of the project is still read and linted: a
    broken reference is a bug in the bot, not a file botlint cannot read.

Why is this bad
    The platform fails at that point: Rasa refuses to train or the action
    errors at run time, Botpress drops the person out of the conversation.
    Either way the person gets no answer.

Example
    Bad (Rasa story):
        - story: prices
          steps:
          - intent: ask_price
          - action: utter_prices        # the domain defines utter_price
    Good:
        - story: prices
          steps:
          - intent: ask_price
          - action: utter_price
"""

from linter.rules.base import rule

_WHAT = {
    "response": ("response '{}'", "which neither the domain nor the platform defines",
                 "define the response in the domain or fix its name"),
    "flow": ("flow '{}'", "which the bot does not have", "add the flow or point the transition at an existing one"),
    "node": ("node '{}'", "which that flow does not have", "fix the node name or add the node"),
    "skill": ("skill flow '{}'", "which the bot does not have", "add the skill again or remove the call"),
}


@rule(code="BL003", name="undefined-reference", severity="error",
      summary="an imported bot names a response, flow, node or skill it does not define")
def RULE(ctx):
    for flow in ctx.flows():
        for missing in flow.missing:
            named, problem, hint = _WHAT[missing.kind]
            yield ctx.finding(missing, f"{named.format(missing.name)} is used here, {problem}", hint)
