"""Automations of things nobody would do by hand (BL4xx)."""

MODULES: tuple[str, ...] = ()
