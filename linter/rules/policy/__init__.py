"""Platform policy: messaging windows, message tags, opt-outs, quiet hours by law (BL7xx)."""

MODULES: tuple[str, ...] = ()
