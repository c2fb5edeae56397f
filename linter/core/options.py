"""A rule's options: a pydantic model declared beside its check (as yamllint's CONF beside a rule).

The model says each option's type, its bounds and what it means; the shipped rule packs in
`rulesets/rules/` give the defaults, with their sources, and users' packs override them. Every
pack is validated against the model when it is loaded, so a bad value is an error at its file,
line and column before anything is linted; the rules then read typed values (`ctx.options.x`).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class RuleOptions(BaseModel):
    """The options of a rule that has none; a rule's own model adds fields (required: the shipped
    pack holds every default)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True, strict=True)

