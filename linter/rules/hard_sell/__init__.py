"""Hard-sell first messages: a pitch before any rapport (BL2xx)."""

MODULES: tuple[str, ...] = ()
