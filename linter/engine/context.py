"""What a rule sees (the `RuleContext` protocol of linter.core.rules): the model, its analysis,
its own options and the shared data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from linter.core.findings import Violation
from linter.core.rules import Rule

if TYPE_CHECKING:
    from linter.engine.settings import FileSettings
    from linter.model.analysis import FlowAnalysis
    from linter.model.flow import Flow, Node
    from linter.parse import ParsedFile


class DocumentFacts:
    """Per-file facts shared by all rules; each is computed at most once."""

    def __init__(self, parsed: ParsedFile, settings: FileSettings) -> None:
        self.parsed = parsed
        self.settings = settings
        self._analyses: dict[int, FlowAnalysis] = {}
        self.notices: set[str] = set()  # said once per run, not per message

    def analysis(self, flow: Flow) -> FlowAnalysis:
        found = self._analyses.get(id(flow))
        if found is None:
            from linter.model.analysis import FlowAnalysis

            found = self._analyses[id(flow)] = FlowAnalysis(flow)
        return found


class RuleContext:
    def __init__(self, facts: DocumentFacts, rule: Rule) -> None:
        self._facts = facts
        self.rule = rule
        self.options = facts.settings.rule_options(rule)
        self.severity = facts.settings.severity_of(rule)

    @property
    def document(self):
        return self._facts.parsed.document

    @property
    def comments(self):
        return self._facts.parsed.comments

    def flows(self) -> Iterator[Flow]:
        return iter(self.document.flows)

    def analysis(self, flow: Flow) -> FlowAnalysis:
        return self._facts.analysis(flow)

    def channel(self, flow: Flow) -> str | None:
        """The flow's channel, or the configured default; None when unknown."""
        if flow.channel is not None:
            return flow.channel.value
        return self._facts.settings.for_file("channel", self._file_of(flow))

    def language(self, flow: Flow) -> str:
        return flow.language or self._facts.settings.for_file("language", self._file_of(flow))

    def _file_of(self, flow: Flow) -> str:
        return (flow.span.file if flow.span and flow.span.file else None) or self._facts.parsed.path

    def lexicon(self, flow: Flow):
        """The flow's word lists; None (and a one-time notice) for a language without a lexicon."""
        language = self.language(flow)
        lexicon = self._facts.settings.lexicon(language)
        if lexicon is None:
            self._facts.notices.add(
                f"no lexicon for language '{language}': word-list rules skip its flows "
                f"(add one under `lexicons: {{{language}: ...}}` in a ruleset)")
        return lexicon

    def policy(self, flow: Flow) -> dict[str, Any] | None:
        """The platform-policy profile in force for the flow's channel; None when none applies."""
        return self._facts.settings.policy(self.channel(flow))

    @property
    def disclose_bot(self) -> bool:
        """`disclose-bot = true` in the config: every channel must disclose automation."""
        return self._facts.settings.disclose_bot

    @property
    def business_name(self) -> str | None:
        return self._facts.settings.business_name

    def channel_data(self, flow: Flow) -> dict[str, Any]:
        channel = self.channel(flow)
        return self._facts.settings.rulesets.channels.get(channel, {}) if channel else {}

    def finding(self, where: Node | Any, message: str | None = None, hint: str | None = None) -> Violation:
        """A violation at a model node (or a span); message None: the rule's summary."""
        return Violation(where, message, hint)

    def finding_at(self, line: int, col: int, message: str | None = None, hint: str | None = None,
                   file: str | None = None) -> Violation:
        return Violation(None, message, hint, file, line, col)
