"""Rules about botlint's own comments (BL9xx)."""

MODULES = ("unused_suppression",)
