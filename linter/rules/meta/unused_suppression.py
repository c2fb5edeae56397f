"""BL900 unused-suppression: a `# botlint: disable` comment that silences nothing.

What it does
    Reports suppression comments whose rule codes raised no finding where the
    comment applies (like ruff's RUF100). The suppressions report their own
    unused entries once the engine has applied them, as sqlfluff's noqa does.

Why is this bad
    A stale suppression hides the next real problem on that line and makes
    readers think something is wrong there.

Example
    Bad (the message is short, so BL601 never fires):
        flow hello:
          channel instagram
          trigger message
          step start:
            say "Hi!"  # botlint: disable=BL601
            end
    Good:
        flow hello:
          channel instagram
          trigger message
          step start:
            say "Hi!"
            end
"""

from linter.rules.base import rule


@rule(code="BL900", name="unused-suppression", severity="info",
      summary="suppression comment silences nothing")
def RULE(ctx):
    """Reported by the suppressions themselves (linter.engine.suppress), once they have been applied:
    a rule sees the model, not the comments that silence other rules."""
    return ()
