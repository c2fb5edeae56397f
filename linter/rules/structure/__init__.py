"""Flow structure: references, step names, the shape of the graph (BL0xx, BL5xx)."""

MODULES = ("undefined_step", "duplicate_step")
