"""Robotic tone: the bot sounds like a machine or an ad, not a helpful friend (BL1xx)."""

MODULES: tuple[str, ...] = ()
