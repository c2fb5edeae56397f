"""BL900 unused-suppression: a `# botlint: disable` comment that silences nothing.

What it does
    Reports suppression comments whose rule codes raised no finding where the
    comment applies (like ruff's RUF100). The engine applies suppressions and
    tells this rule which were used.

Why is this bad
    A stale suppression hides the next real problem on that line and makes
    readers think something is wrong there.

Example
    Bad (the message is short, so BL601 never fires):
        say "Hi!"  # botlint: disable=BL601
    Good:
        say "Hi!"
"""

from linter.rules.base import rule


@rule(code="BL900", name="unused-suppression", severity="info",
      summary="suppression comment silences nothing")
def RULE(ctx):
    for suppression in ctx.suppressions:
        if suppression.codes is None:
            if not suppression.used:
                yield ctx.finding_at(suppression.comment_line, suppression.comment_col,
                                     "unused blanket suppression: no finding here",
                                     hint="remove the comment", file=suppression.file)
            continue
        unused = sorted(code for code in suppression.codes
                        if code not in suppression.used and code in ctx.selected_codes)
        if unused:
            yield ctx.finding_at(suppression.comment_line, suppression.comment_col,
                                 f"unused suppression for {', '.join(unused)}",
                                 hint="remove the code from the comment, or the whole comment", file=suppression.file)
