"""BL503 loop-without-exit: steps that lead back to each other with no way out and no choice in them.

What it does
    Finds groups of steps that can cycle (a goto back, a fallback to an
    earlier question) and reports a group from which nothing leaves: no
    `end`, no handoff, and no reply, timeout or branch to a step outside it,
    unless the person decides what happens in it:
    - a question in it gives a real choice: two or more of its answers lead
      to different steps (replies, buttons or list rows with their own
      targets, or branches on the value it captured, "if choice == "news"
      -> news", right after it or at the start of the step its answer goes
      to). Such a group is a menu hub: each choice shows something else and
      comes back;
    - or it goes round only when the person gives a particular answer (picks
      an option, such as a "Restart" button after a goodbye, or says
      something a branch tests for, such as an intent asking for the form
      again): that is their choice, not a trap;
    - or each round answers what the person asked: code runs in it (a
      webhook) and a message in it shows a value that neither the person's
      answer nor the flow itself fills, so the code found it ("It is
      {weather.temperature} °C in {weather.city}. Another city?"). Such a
      group is a lookup the person can repeat, like a search box.
    "Anything else" (`otherwise`, an `else`, the step that follows, a
    capture's `then`, a timeout) and a test for an empty answer (`if x ==
    ""`) lead round whatever is said, and are no choice.

Why is this bad
    The person is stuck: the bot repeats the same question or message for
    ever, whatever they answer.

Example
    Bad:
        flow signup:
          channel messenger
          trigger message keywords "newsletter"
          step ask_email:
            ask "What's your email?":
              capture email as email -> check
          step check:
            if email == "" -> ask_email else -> ask_email
    Good:
        flow signup:
          channel messenger
          trigger message keywords "newsletter"
          step ask_email:
            ask "What's your email?":
              capture email as email -> check
          step check:
            if email == "" -> ask_email else -> thanks
          step thanks:
            say "Thanks! You're on the list for our monthly newsletter."
            end
"""

from linter.model.analysis import NO_VALUE, bot_texts, strongly_connected, walk_step
from linter.model.flow import Action, ActionVerb, Ask, Branch, End, Goto, Handoff, Say, SetVariable, Step, WaitForReply
from linter.model.text import placeholders
from linter.rules.base import rule

_CHOSEN = {"reply", "button", "row"}  # edges the person takes by picking an option
CHOICE_TARGETS = 2  # answers leading to this many different steps make a question a real choice


@rule(code="BL503", name="loop-without-exit", severity="warning", summary="a loop nothing leaves")
def RULE(ctx):
    for flow in ctx.flows():
        analysis = ctx.analysis(flow)
        reachable = analysis.reachable_steps()
        last = analysis.falls_off_end()
        answers = {node.capture for step in flow.steps for node in walk_step(step)
                   if isinstance(node, (Ask, WaitForReply)) and node.capture}
        for cycle in analysis.step_cycles():
            members = set(cycle)
            if not members & reachable:
                continue
            leaves = any(edge.target not in members for name in cycle for edge in analysis.successors(name))
            stops = any(isinstance(node, (End, Handoff)) for name in cycle for node in walk_step(analysis.steps[name]))
            runs_off = last is not None and any(last in list(walk_step(analysis.steps[name])) for name in cycle)
            if leaves or stops or runs_off:
                continue
            if any(_offers_a_choice(analysis.steps[name], analysis.steps) for name in cycle):
                continue  # a menu hub: the answer decides what comes next
            if not _cycles_whatever_is_said(cycle, analysis, answers):
                continue  # going round takes a particular answer: the person's choice (a restart)
            if _answers_each_round(cycle, analysis, flow, answers):
                continue  # a lookup the person repeats: each round tells them something new
            path = " -> ".join(cycle + [cycle[0]])
            yield ctx.finding(analysis.steps[cycle[0]], f"loop with no exit: {path}",
                              "give the person a way out: a reply or timeout to another step, a handoff, or `end`")


def _cycles_whatever_is_said(cycle: list[str], analysis, answers: set[str]) -> bool:
    """Whether some steps of the group keep the person going round whatever they say: with the edges
    that take a particular answer left out, a part of the group that cycles, that nothing leaves,
    and where the bot says something (a part that only waits is a finished conversation, idle)."""
    members = set(cycle)
    graph = {name: [edge.target for edge in analysis.successors(name)
                    if edge.target in members and not _particular(edge, analysis.steps[name], answers)]
             for name in cycle}
    for part in strongly_connected(cycle, graph):
        closed = all(target in part for name in part for target in graph[name])
        cycles = len(part) > 1 or part[0] in graph[part[0]]
        speaks = any(isinstance(node, (Say, Ask)) for name in part for node in walk_step(analysis.steps[name]))
        if closed and cycles and speaks:
            return True
    return False


def _answers_each_round(cycle: list[str], analysis, flow, answers: set[str]) -> bool:
    """Whether code runs in the group and a message of it shows a value only code can have given: not
    an answer of the person (echoing "{email} is not valid" is no news) and not set by the flow."""
    statements = [node for name in cycle for node in walk_step(analysis.steps[name])]
    if not any(isinstance(node, Action) and node.action is ActionVerb.webhook for node in statements):
        return False
    nodes = {id(node) for node in statements}
    set_by_flow = {node.set for step in flow.steps for node in walk_step(step) if isinstance(node, SetVariable)
                   and node.value is not None}
    return any(placeholder.name not in answers and placeholder.name not in set_by_flow
               for text in bot_texts(flow) if id(text.node) in nodes
               for placeholder in placeholders(text.text))


def _particular(edge, step, answers: set[str]) -> bool:
    """An edge the person takes only by giving a particular answer: an option they pick, or a
    branch on a particular value of something they answered (every branch to that target so)."""
    if edge.kind in _CHOSEN:
        return True
    if edge.kind not in ("then", "else"):
        return False
    branches = [node for node in walk_step(step) if isinstance(node, Branch)
                and (node.then if edge.kind == "then" else node.else_) == edge.target]
    return bool(branches) and all(_on_a_value(node, edge.kind, answers) for node in branches)


def _on_a_value(branch: Branch, kind: str, answers: set[str]) -> bool:
    test = branch.if_
    compared = test.equals if test.equals is not None else test.not_equals
    if test.var not in answers or compared is None or compared.strip().lower() in NO_VALUE:
        return False
    return kind == ("then" if test.equals is not None else "else")


def _offers_a_choice(step: Step, steps: dict[str, Step]) -> bool:
    """A question in this step whose answers lead to two or more different steps."""
    statements = list(walk_step(step))
    for index, node in enumerate(statements):
        if not isinstance(node, Ask):
            continue
        targets = {option.goto for option in node.replies + node.buttons + node.rows if option.goto}
        if node.capture:
            # The captured answer is routed right after the question, or at the start of the step
            # its answer goes to (`then`, or the `goto` that follows the question).
            after = statements[index + 1:]
            targets |= _routes_on(node.capture, after)
            for target in (node.then, _goto_after(after)):
                if target in steps:
                    targets |= _routes_on(node.capture, list(walk_step(steps[target])))
        if len(targets) >= CHOICE_TARGETS:
            return True
    return False


def _goto_after(statements: list) -> str | None:
    """The step a question's answer goes on to when a `goto` follows it (past variables being set)."""
    for node in statements:
        if isinstance(node, Goto):
            return node.goto
        if not isinstance(node, SetVariable):
            return None
    return None


def _routes_on(variable: str, statements: list) -> set[str]:
    """Steps the leading branches send a particular value of `variable` to (tests for a missing
    value are not a choice)."""
    targets: set[str] = set()
    for node in statements:
        if isinstance(node, SetVariable):
            continue
        if not isinstance(node, Branch):
            break
        test = node.if_
        compared = test.equals if test.equals is not None else test.not_equals
        if test.var == variable and compared is not None and compared.strip().lower() not in NO_VALUE:
            target = node.then if test.equals is not None else node.else_
            if target:
                targets.add(target)
        if node.else_:
            break  # nothing after a two-way branch runs
    return targets
