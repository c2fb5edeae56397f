"""Unanswered manual-handoff steps: nobody owns the reply, or it comes days late (BL3xx)."""

MODULES: tuple[str, ...] = ("handoff_without_owner", "handoff_slow_or_no_sla", "handoff_without_timeout",
                            "silent_handoff", "early_manual_question", "handoff_off_hours", "promised_human",
                            "human_promised_soon")
