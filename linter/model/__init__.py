"""The flow model (pydantic) and the questions rules ask of it (analysis)."""
