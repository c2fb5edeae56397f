"""Unanswered manual-handoff steps: nobody owns the reply, or it comes days late (BL3xx)."""

MODULES: tuple[str, ...] = ()
