"""Moved to linter.core.errors; kept while the importers move over (removed before the commit that ends this)."""
from linter.core.errors import *  # noqa: F401,F403
from linter.core.errors import MAX_MESSAGE_CHARS, MAX_SOURCE_LINE_CHARS, clip, printable  # noqa: F401
