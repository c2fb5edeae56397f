"""BL107 repeated-message: the same text sent from several places of one flow.

What it does
    Compares every message, question and handoff note of a flow after
    normalising case, whitespace, apostrophes and placeholders. When the same
    text appears again at a place the person can reach after the first one
    (or before it: the same conversation can pass both), it reports each
    later occurrence with the line of the first. Texts shorter than
    `min_chars` ("OK", "Thanks!", "Got it.") are ignored: short
    acknowledgements repeat naturally.

Why is this bad
    Hearing the identical sentence twice is the moment a person realises
    they are talking to a script, typically the same "Sorry, I didn't get
    that" on every question. Each place knows more about what went wrong:
    say that instead. (A text written once and reused, such as an imported
    response or a YAML alias, has no second place to rewrite and is skipped.)

Example
    Bad:
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
    Good:
        step size_help:
          say "Tap one of the sizes below, or type the grams you'd like."
          goto size
        step grind_help:
          say "Whole beans keep fresher; ground is ready for your filter. Which one?"
          goto grind
"""

from functools import lru_cache

from linter.model.analysis import bot_texts
from linter.model.text import PLACEHOLDER_RE
from linter.rules.base import rule
from linter.rules.base import place
from linter.rules.tone._common import distinct, is_bubble, quote, step_statements


@rule(code="BL107", name="repeated-message", severity="warning",
      summary="the same text sent from several places of one flow", options={"min_chars": int})
@distinct
def RULE(ctx):
    min_chars = ctx.options.get("min_chars") or 0
    for flow in ctx.flows():
        analysis = ctx.analysis(flow)
        step_of = {id(statement): step.name for step in flow.steps for statement in step_statements(step.do)}
        seen: dict[str, list] = {}  # normalised text -> earlier occurrences (text, step), in source order
        reaches = _reachability(analysis)
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
    return " ".join(text.split())


def _reachability(analysis):
    """reaches(a, b): can a conversation at step a go on to step b? (From the analysis's successors.)"""

    @lru_cache(maxsize=None)
    def reachable_from(start: str) -> frozenset[str]:
        found, todo = {start}, [start]
        while todo:
            for edge in analysis.successors(todo.pop()):
                if edge.target and edge.target not in found:
                    found.add(edge.target)
                    todo.append(edge.target)
        return frozenset(found)

    def reaches(source: str | None, target: str | None) -> bool:
        return source is not None and target is not None and target in reachable_from(source)

    return reaches
