"""BL607 linkedin-note-too-long: a connection-request note is longer than LinkedIn accepts.

What it does
    Compares the note of each `action connect "..."` with the channel's
    `connect_note_max_chars` in `rulesets/channels.yaml` (LinkedIn: 300
    characters, the limit on paid accounts; free accounts get 200, so teams
    on free accounts should set 200 in their own ruleset). Placeholders count
    as written. Flows on a channel with no such limit are skipped.

Why is this bad
    LinkedIn will not send the invitation with a longer note: automation
    tools either fail the step or send the request with no note at all, so
    the person gets a bare request from a stranger.

Example
    Bad:
        sequence grow:
          channel linkedin
          trigger schedule every 1d
          step connect:
            action connect \"\"\"
                Hi {first_name|there}, I loved your SaaSConf talk on activation, especially the part about
                onboarding emails. We build Trailhead, a tool that turns product usage into
                onboarding checklists, and teams like yours cut time-to-value by a third with it.
                I'd love to show you a two-minute demo and hear how you run activation today. Would
                you be open to connecting?
                \"\"\" limit 12 per day
            end
    Good:
        sequence grow:
          channel linkedin
          trigger schedule every 1d
          step connect:
            action connect "Hi {first_name|there}, I enjoyed your SaaSConf talk on activation. Glad to connect!" limit 12 per day
            end
"""

from linter.model.analysis import walk_statements
from linter.model.flow import Action, ActionVerb
from linter.rules.base import rule


@rule(code="BL607", name="linkedin-note-too-long", severity="error",
      summary="connection-request note longer than the channel accepts")
def RULE(ctx):
    for flow in ctx.flows():
        limit = ctx.channel_data(flow).get("connect_note_max_chars")
        if not limit:
            continue
        for action in walk_statements(flow):
            if isinstance(action, Action) and action.action is ActionVerb.connect and action.text \
                    and len(action.text) > limit:
                yield ctx.finding(
                    action, f"connection note is {len(action.text)} characters; {ctx.channel(flow)} accepts {limit}",
                    "cut it to one or two sentences: who you are and why you want to connect")
