"""BL109 broken-template: a placeholder that can come out empty, or template syntax that will show as written.

What it does
    For every text the bot sends:
    - a placeholder without a fallback (`{first_name}` rather than
      `{first_name|there}`; an empty fallback counts as none where the gap
      shows, right before punctuation: "Hi {first_name|}," reads "Hi ,") is reported unless its variable is captured on
      every path to that message (by a question or a `set`), or a webhook
      ran on every path and the flow never fills the variable itself (the
      webhook may have: botlint cannot see into code), or the flow's
      channel fills it in from the person's profile (`profile_fields` in
      channels.yaml: {first_name} on Messenger and Telegram, also as the
      last part of a dotted name such as {user.first_name}), or is listed
      in `always_provided` (fields your platform guarantees, as names or
      patterns such as "page.*"; empty by default);
    - leftovers of other template syntaxes ("[NAME]", "{{ name }}",
      "%FIRST_NAME%", "${name}"), a builder's fill-in note in capitals
      ("<FIRST_NAME>", "<INSERT YOUR LINK HERE>"; a one-word "<BR>" is an
      HTML tag) and stray braces are reported as malformed,
      with the severity `malformed_severity` (error by default) unless you
      configure a severity for BL109, which then applies to both. A
      bracketed tag that opens a line ("[UPDATE] Your order has shipped")
      is a label, not a leftover, and a "$" before an amount or a name
      ("$49", "R$ 225,00", "$user") is a currency sign or plain text.
    Placeholders in messages no path reaches are not judged (nothing is
    known about what was captured there).

Why is this bad
    "Hi , thanks for your order" or "Hi [NAME]!" tells the person at once
    that a machine wrote to them, and that nobody checked it.

Example
    Bad:
        flow status:
          channel whatsapp
          trigger message keywords "order"
          step hello:
            say "Hi {first_name}, your order {order_id} is on its way!"
            end
    Good:
        flow status:
          channel whatsapp
          trigger message keywords "order"
          step hello:
            ask "What's your order number?":
              capture order_id -> status
          step status:
            say "Hi {first_name|there}, your order {order_id} is on its way!"
            end
"""


from fnmatch import fnmatchcase
from typing import Literal

from pydantic import Field

from linter.core.options import RuleOptions
from linter.model.analysis import bot_texts
from linter.model.flow import Ask, SetVariable
from linter.model.text import placeholders, template_problems
from linter.rules._wording import quote_all
from linter.rules.base import rule
from linter.rules.tone._common import step_statements

CONTEXT_CHARS = 8  # characters around a stray brace quoted to show where it is


class Options(RuleOptions):
    always_provided: list[str] = Field(description=(
        "fields your platform always fills, as names or patterns such as \"page.*\""))
    malformed_severity: Literal["info", "warning", "error"] | None = Field(description=(
        "the severity of malformed template syntax, unless a severity is configured for BL109"))


@rule(code="BL109", name="broken-template", severity="warning",
      summary="placeholder that can come out empty, or malformed template syntax",
      options=Options)
def RULE(ctx):
    provided = [str(name) for name in ctx.options.always_provided or []]
    for flow in ctx.flows():
        analysis = ctx.analysis(flow)
        profile = {str(field) for field in ctx.channel_data(flow).get("profile_fields") or []}
        filled_anywhere = {s.capture if isinstance(s, Ask) else s.set for step in flow.steps
                           for s in step_statements(step.do)
                           if (isinstance(s, Ask) and s.capture) or isinstance(s, SetVariable)}
        for text in bot_texts(flow):
            problems = [p for p in template_problems(text.text) if not _label(text.text, *p)]
            if problems:
                yield _malformed(ctx, text, problems)
            timing = analysis.timing(text.node)
            if timing is None:
                continue
            captured = timing.captured or frozenset()
            missing = [p for p in placeholders(text.text) if _no_fallback_reads_well(text.text, p)
                       and p.name not in captured
                       and not any(start <= p.start and p.end <= end for start, end, _ in problems)  # "{{x}}": once
                       and not any(fnmatchcase(p.name, pattern) for pattern in provided)
                       and not _from_profile(p.name, profile)
                       # a webhook ran on every path and the flow itself never fills it: the webhook may have
                       and not (timing.after_call and p.name not in filled_anywhere)]
            if missing:
                yield _no_fallback(ctx, text, missing, filled_anywhere)


def _no_fallback_reads_well(text: str, placeholder) -> bool:
    """No fallback, or an empty one where the gap shows: "Hi {first_name|}, ..." reads "Hi , ...",
    while "your order {order_id|} is on its way" reads well without the number."""
    if placeholder.fallback is None:
        return True
    return not placeholder.fallback.strip() and text[placeholder.end:placeholder.end + 1] in tuple(",.!?;:")


def _from_profile(name: str, fields: set[str]) -> bool:
    """The channel fills this in from the person's profile: {first_name}, {user.first_name}."""
    return any(name == field or name.endswith("." + field) for field in fields)


def _malformed(ctx, text, problems):
    shown = [f"{_snippet(text.text, start, end)} ({kind})" for start, end, kind in _pair_braces(text.text, problems)]
    finding = ctx.finding(text.node, f"malformed template: {', '.join(shown)} will reach the person as written",
                          "write placeholders as {name} or {name|fallback}, and keep other braces out of the text")
    severity = ctx.options.malformed_severity
    # Only when nobody configured BL109's severity: a configured one applies to every finding.
    if severity and ctx.severity == ctx.rule.severity:
        finding = finding._replace(severity=severity)
    return finding


def _label(text: str, start: int, end: int, kind: str) -> bool:
    """A bracketed tag opening a line and followed by words is a label ("[UPDATE] Your order has shipped")."""
    return (text[start] == "[" and not text[:start].rpartition("\n")[2].strip()
            and text[end:end + 1] == " " and text[end + 1:end + 2].isalpha())


def _pair_braces(text, problems):
    """A stray '{' and the next stray '}' on the same line are one malformed placeholder ("{first name}")."""
    paired, index = [], 0
    while index < len(problems):
        start, end, kind = problems[index]
        if text[start:end] in "{}":
            following = problems[index + 1] if index + 1 < len(problems) else None
            if (text[start:end] == "{" and following and text[following[0]:following[1]] == "}"
                    and not any(char in "{}\n" for char in text[end:following[0]])):
                paired.append((start, following[1], "malformed placeholder"))
                index += 2
                continue
            kind = f"stray '{text[start:end]}'"
        paired.append((start, end, kind))
        index += 1
    return paired


def _no_fallback(ctx, text, missing, filled_anywhere):
    names = list(dict.fromkeys(p.name for p in missing))
    reasons = ["captured on some paths only" if name in filled_anywhere else "never captured in this flow"
               for name in names]
    listed = ", ".join(f"{{{name}}} ({reason})" for name, reason in zip(names, reasons))
    return ctx.finding(text.node, f"placeholder without a fallback can come out empty: {listed}",
                       f"add a fallback that still reads well, as in {{{names[0]}|…}}, or capture "
                       f"{names[0]} on every path before this message")


def _snippet(text: str, start: int, end: int) -> str:
    if text[start:end] in "{}":  # a lone brace: show where it sits
        start, end = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    return quote_all([text[start:end]])
