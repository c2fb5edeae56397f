"""How serious a finding is, in order: info < warning < error."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    def milder(self) -> Severity:
        """One step lower (info stays info)."""
        return _ORDER[max(0, self.rank - 1)]

    def __lt__(self, other: object) -> bool:
        return self.rank < Severity(other).rank

    def __le__(self, other: object) -> bool:
        return self.rank <= Severity(other).rank

    def __gt__(self, other: object) -> bool:
        return self.rank > Severity(other).rank

    def __ge__(self, other: object) -> bool:
        return self.rank >= Severity(other).rank


_ORDER = tuple(Severity)
SEVERITIES = tuple(severity.value for severity in _ORDER)  # ("info", "warning", "error"), for messages
