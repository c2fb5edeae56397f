"""BL403 mass-mentions: a post, comment or message tags more people than anyone would by hand.

What it does
    Counts the people one text tags: `action mention count N`, and the
    distinct @handles in any text the bot sends (messages, questions,
    posts, comments, connection notes; an e-mail address is not a handle).
    Reports the text when that is more than `max_mentions` (default 3).

Why is this bad
    Tagging a crowd so that their followers see the post is a reach hack
    every platform treats as spam. The people tagged get a notification
    about something that is not about them, and many remove the tag, mute
    or report the account.

Example
    Bad:
        sequence launch:
          channel instagram
          trigger schedule at 10:00
          step post:
            action post "New autumn roast is out! @ana.brews @coffeetom @latte_lu @beanqueen @joe.grinds"
            end
    Good:
        sequence launch:
          channel instagram
          trigger schedule at 10:00
          step post:
            action post "New autumn roast is out! Roasted with our friends at @ana.brews."
            end
"""

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import bot_texts, walk_statements
from linter.model.flow import Action, ActionVerb
from linter.rules.automation._common import handles
from linter.rules.base import rule


class Options(RuleOptions):
    max_mentions: int = Field(ge=0, description="the most people one text may tag")


@rule(code="BL403", name="mass-mentions", severity="warning",
      summary="tags more people than anyone would by hand", options=Options)
def RULE(ctx):
    limit = ctx.options.max_mentions
    if limit is None:
        return
    for flow in ctx.flows():
        for node, tagged, named in _mentions(flow):
            if tagged > limit:
                listed = f" ({', '.join(named)})" if named else ""
                yield ctx.finding(node, f"tags {tagged} people{listed}; more than {limit} reads as a grab for reach",
                                  "tag only the people the text is about, and ask them first")


def _mentions(flow):
    """(node, how many people it tags, the handles named) for every text that tags someone."""
    counted: dict[int, tuple[object, int, list[str]]] = {}
    for sent in bot_texts(flow):
        found = handles(sent.text)
        if found:
            counted[id(sent.node)] = (sent.node, len(found), found)
    for statement in walk_statements(flow):
        if isinstance(statement, Action) and statement.action == ActionVerb.mention:
            found = handles(statement.text or "")
            counted[id(statement)] = (statement, max(statement.count or 0, len(found)), found)
    return counted.values()
