"""Robotic tone: the bot sounds like a machine or an ad, not a helpful friend (BL1xx)."""

MODULES: tuple[str, ...] = (
    "corporate_boilerplate",
    "machine_speak",
    "shouting",
    "hard_to_read",
    "wall_of_text",
    "bubble_flood",
    "repeated_message",
    "mixed_register",
    "broken_template",
    "missing_contraction",
)
