"""BL107 repeated-message: the same text sent from several places of one flow.

What it does
    Compares every message, question and handoff note of a flow after
    normalising case, whitespace, apostrophes, placeholders and the closing
    punctuation ("Sorry, I didn't get that." and "...that!" are one text). When the same
    text can reach one person twice on one path through the flow, it reports
    the later occurrence with the line of the first. A path goes forward: a
    jump back to an earlier question after the person's answer was understood
    (a menu offered again) starts a new round, so the answers on two branches
    of one menu are not repeats even if the person can pick both in turn. A
    jump back after the answer was not understood (an `otherwise` branch that
    asks again) stays on the path: the flow goes on from that question.
    Texts shorter than `min_chars` ("OK", "Thanks!", "Got it.") are ignored:
    short acknowledgements repeat naturally.

Why is this bad
    Hearing the identical sentence twice is the moment a person realises
    they are talking to a script, typically the same "Sorry, I didn't get
    that" on every question. Each place knows more about what went wrong:
    say that instead. (A text written once and reused, such as an imported
    response or a YAML alias, has no second place to rewrite and is skipped.)

Example
    Bad:
        flow order:
          channel messenger
          trigger message keywords "order"
          step size:
            ask "Which size?":
              reply "250 g" -> grind
              otherwise -> size_help
          step size_help:
            say "Sorry, I didn't get that. Please use the buttons."
            goto size
          step grind:
            ask "Whole beans or ground?":
              reply "Whole beans" -> done
              otherwise -> grind_help
          step grind_help:
            say "Sorry, I didn't get that. Please use the buttons."
            goto grind
          step done:
            say "Thanks, your order is in!"
            end
    Good:
        flow order:
          channel messenger
          trigger message keywords "order"
          step size:
            ask "Which size?":
              reply "250 g" -> grind
              otherwise -> size_help
          step size_help:
            say "Tap one of the sizes below, or type the grams you'd like."
            goto size
          step grind:
            ask "Whole beans or ground?":
              reply "Whole beans" -> done
              otherwise -> grind_help
          step grind_help:
            say "Whole beans keep fresher; ground is ready for your filter. Which one?"
            goto grind
          step done:
            say "Thanks, your order is in!"
            end
"""

from functools import lru_cache

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import bot_texts
from linter.model.text import PLACEHOLDER_RE
from linter.rules._wording import quote
from linter.rules.base import place, rule
from linter.rules.tone._common import is_bubble, step_statements


class Options(RuleOptions):
    min_chars: int = Field(ge=0, description="texts shorter than this (\"OK\", \"Thanks!\") may repeat")


@rule(code="BL107", name="repeated-message", severity="warning",
      summary="the same text sent from several places of one flow", options=Options)
def RULE(ctx):
    min_chars = ctx.options.min_chars or 0
    for flow in ctx.flows():
        analysis = ctx.analysis(flow)
        step_of = {id(statement): step.name for step in flow.steps for statement in step_statements(step.do)}
        seen: dict[str, list] = {}  # normalised text -> earlier occurrences (text, step), in source order
        reaches = _one_path(analysis)
        for text in bot_texts(flow):
            if not is_bubble(text) or text.kind == "action" or analysis.timing(text.node) is None:
                continue
            key = _normalise(text.text)
            if len(key) < min_chars:
                continue
            step = step_of.get(id(text.node))
            earlier = seen.setdefault(key, [])
            if any(_same_source(text, other) for other, _ in earlier):
                continue  # written once and reused (an imported response, a YAML alias)
            first = next((other for other, other_step in earlier
                          if reaches(other_step, step) or reaches(step, other_step)), None)
            if first is not None:
                yield ctx.finding(text.node, f"same text as {place(first.node, text.node)}: {quote(text.text)}",
                                  "word it for this place: say what this step needs from the person")
            earlier.append((text, step))


def _same_source(one, other) -> bool:
    return one.node.span is not None and one.node.span == other.node.span


def _normalise(text: str) -> str:
    text = PLACEHOLDER_RE.sub("{}", text.casefold().replace("’", "'"))
    # "Sorry, I didn't get that." and "Sorry, I didn't get that!" read as the same sentence.
    return " ".join(text.split()).rstrip(".!…? ")


def _one_path(analysis):
    """reaches(a, b): can one person, going forward through the flow, be at step a and later at step b?

    The step graph's back edges (a jump to a step still open on the depth-first path from the
    entry: a loop) are cut. A back edge into a question whose loop began with that question's
    `otherwise` branch is a retry: the person is still at the question, so the path goes on
    with the question's other branches."""
    graph = {name: [edge for edge in analysis.successors(name) if edge.target] for name in analysis.steps}
    forward = {name: set() for name in graph}
    back: list[tuple[str, str]] = []
    entry = analysis.entry.name if analysis.entry else None
    state: dict[str, int] = {}  # 1: on the depth-first path, 2: done
    if entry is not None:
        state[entry] = 1
        work = [(entry, iter(graph[entry]))]
        while work:  # iterative: a flow can be a chain of thousands of steps
            name, edges = work[-1]
            for edge in edges:
                target = edge.target
                if state.get(target) == 1:
                    back.append((name, target))
                    continue
                forward[name].add(target)
                if target not in state:
                    state[target] = 1
                    work.append((target, iter(graph[target])))
                    break
            else:
                state[name] = 2
                work.pop()

    @lru_cache(maxsize=None)
    def ahead(start: str) -> frozenset[str]:
        found, todo = {start}, [start]
        while todo:
            for target in forward.get(todo.pop(), ()):
                if target not in found:
                    found.add(target)
                    todo.append(target)
        return frozenset(found)

    resumed = []  # worked out on the forward graph alone, then added
    for source, question in back:
        retries = [edge.target for edge in graph[question] if edge.kind == "otherwise"]
        if any(source in ahead(start) for start in retries):
            resumed.append((source, {edge.target for edge in graph[question]
                                     if edge.kind != "otherwise" and source not in ahead(edge.target)}))
    for source, targets in resumed:
        forward[source] |= targets
    ahead.cache_clear()

    def reaches(source: str | None, target: str | None) -> bool:
        return source is not None and target is not None and target in ahead(source)

    return reaches
