"""Hard-sell first messages: a pitch before any rapport (BL2xx)."""

MODULES: tuple[str, ...] = ("pitch_before_reply", "urgency_pressure")
