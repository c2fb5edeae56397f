"""BL407 canned-reply: every commenter gets the identical reply, or one post goes out unchanged on several networks.

What it does
    In a flow triggered by `comment`, when nothing before the person's
    first reply branches (no `if`), so every commenter goes down the same
    path, it reports
    - each public reply (`action comment "..."`) without a placeholder:
      the same words pile up under the post, once per commenter;
    - the first DM without a placeholder, when the trigger has no keywords
      (with keywords, the DM answers what the person asked for, such as
      "comment GUIDE and I'll send it": the same answer to the same request
      is fine).

    Across the flows of one file, it also reports a post or comment
    (`action post`, `action comment`) whose text, after folding case and
    spaces, is the same as one on another network (x and twitter are one),
    pointing at the first. A text already reported as a canned reply is not
    reported again.

Why is this bad
    A person answers each comment in their own words and writes for each
    network. Twenty identical replies under a post, or the same post pasted
    on LinkedIn, X and Instagram, show that nobody is there; platforms also
    rank identical, repeated text down as spam.

Example
    Bad:
        flow comment_reply:
          channel instagram
          trigger comment "autumn-roast-post"
          step reply:
            action comment "Thanks for your comment! Check your DMs 📩"
            say "Thanks for commenting! Here's our shop: https://brightbean.example"
            end
    Good:
        flow comment_reply:
          channel instagram
          trigger comment "autumn-roast-post" keywords "GUIDE"
          step reply:
            action comment "Sent, {first_name}! Enjoy the brew guide."
            say "Here's the brew guide you asked for: https://brightbean.example/guide"
            end
"""

from linter.model.analysis import walk_statements
from linter.model.flow import Action, ActionVerb, Branch, TriggerKind
from linter.rules.automation._common import has_placeholder, network, normalised, opening_messages
from linter.rules._wording import quote
from linter.rules.base import rule

_PUBLIC = (ActionVerb.post, ActionVerb.comment)


@rule(code="BL407", name="canned-reply", severity="warning",
      summary="identical reply to every comment, or one post unchanged on several networks")
def RULE(ctx):
    reported: set[int] = set()
    for flow in ctx.flows():
        for node, message in _canned_replies(flow, ctx.analysis(flow)):
            reported.add(id(node))
            yield ctx.finding(node, message, "vary it with a placeholder or a branch, answer people yourself, "
                                             "or only reply to comments that ask for something (trigger keywords)")
    first_seen: dict[str, tuple[Action, str]] = {}
    for flow in ctx.flows():
        channel = network(ctx.channel(flow))
        if channel is None:
            continue
        for action in walk_statements(flow):
            if not isinstance(action, Action) or action.action not in _PUBLIC or not action.text:
                continue
            first, first_channel = first_seen.setdefault(normalised(action.text), (action, channel))
            if first_channel != channel and id(action) not in reported:
                where = f"line {first.span.line}" if first.span else "another flow"
                yield ctx.finding(action, f"same {action.action.value} text as on {first_channel} ({where}), "
                                          f"cross-posted unchanged to {channel}",
                                  f"write it for {channel}: its length, tone, tags and links differ")


def _canned_replies(flow, analysis):
    """(node, message) for each reply in a comment flow that every commenter gets word for word."""
    trigger = flow.trigger
    if trigger is None or trigger.kind != TriggerKind.comment or _branches_first(flow, analysis):
        return
    for action in walk_statements(flow):
        if (isinstance(action, Action) and action.action == ActionVerb.comment and action.text
                and not has_placeholder(action.text) and _before_reply(analysis, action)):
            yield action, f"the same public reply {quote(action.text)} under every comment"
    if not trigger.keywords:
        first = next(iter(opening_messages(flow, analysis)), None)
        if first is not None and not has_placeholder(first.text):
            yield first.node, f"the same DM {quote(first.text)} to everyone who comments, whatever they wrote"


def _branches_first(flow, analysis) -> bool:
    """An `if` can send commenters different ways before they reply."""
    return any(isinstance(node, Branch) and _before_reply(analysis, node) for node in walk_statements(flow))


def _before_reply(analysis, node) -> bool:
    timing = analysis.timing(node)
    return timing is not None and timing.before_first_reply
