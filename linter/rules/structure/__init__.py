"""Flow structure: references, step names, the shape of the graph (BL0xx, BL5xx)."""

MODULES = ("undefined_step", "undefined_reference", "duplicate_step", "unreachable_step", "dead_end", "loop_without_exit",
           "question_without_fallback", "option_leads_nowhere", "duplicate_option_label")
