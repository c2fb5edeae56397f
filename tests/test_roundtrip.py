"""model -> YAML -> model gives the same model: the YAML writer (`dump_yaml`) and reader agree.

Documents are generated from the model's own shapes (any Unicode text, every statement,
nested followups), written with `dump_yaml`, read back with the YAML flow reader and
compared without positions. Every `.flow` file we ship goes DSL -> model -> YAML -> model.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_fuzz import flow_source

from linter.core.errors import FlowSyntaxError
from linter.model.flow import Document
from linter.parse import parse_text
from linter.parse.yaml_flow import dump_yaml

REPO = Path(__file__).resolve().parents[1]
FLOW_FILES = sorted((REPO / "examples").glob("*.flow")) + sorted((REPO / "tests" / "fixtures").glob("*.flow"))

ROUND_TRIP = settings(max_examples=60, derandomize=True, deadline=2000, database=None,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def plain(document: Document) -> dict:
    """The document without positions (spans are excluded from dumps) or the importer's name."""
    return document.model_dump(by_alias=True)


def round_trip(document: Document) -> Document:
    return parse_text(dump_yaml(document), "round-trip.flow.yaml", "yaml").document


# --- documents built from the model's shapes ----------------------------------------------------------

identifiers = st.from_regex(r"[A-Za-z_][A-Za-z0-9_\-]{0,12}", fullmatch=True)
variables = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,12}", fullmatch=True)
# Any text a file can hold: every plane, controls, bidi marks, quotes, YAML's own syntax. Not
# surrogates: they are no characters, and no reader lets one in.
texts = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    st.sampled_from(["", " ", "yes", "no", "null", "~", "true", "1d", "09:00", "0x1F", "1e3", "- a", "a: b",
                     "#x", "&a", "*a", "!!str", "'", '"', "{x|y}", "\t", "\n", " lead", "trail ", "\u2028",
                     "\ufeff", "\x85", "\x00", "%YAML", "---", "...", "?", "@x", "`x`", "|", ">"]),
)
durations = st.builds(lambda n, unit: f"{n}{unit}", st.integers(0, 10 ** 6), st.sampled_from("smhdw"))
times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
maybe = lambda strategy: st.none() | strategy  # noqa: E731


def node(**fields) -> st.SearchStrategy[dict]:
    """A mapping whose None values are left out (as a person writing YAML would)."""
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not None})


option = node(label=texts, goto=maybe(identifiers), url=maybe(texts))
condition = st.one_of(
    node(replied=st.booleans()), node(has_tag=texts), node(lacks_tag=texts),
    node(var=identifiers, equals=texts), node(var=identifiers, not_equals=texts),
)
simple_statements = st.one_of(
    node(say=texts, tag=maybe(texts), template=maybe(texts), category=maybe(texts)),
    node(ask=texts, replies=maybe(st.lists(option, max_size=3)), buttons=maybe(st.lists(option, max_size=3)),
         rows=maybe(st.lists(option, max_size=2)), capture=maybe(identifiers), expect=maybe(texts),
         then=maybe(identifiers), otherwise=maybe(identifiers)),
    node(wait=durations),
    node(wait_until=times, timezone=maybe(texts)),
    st.fixed_dictionaries({"wait_for_reply": maybe(durations)}, optional={"on_timeout": identifiers}),
    st.fixed_dictionaries({"if": condition, "then": identifiers}, optional={"else": identifiers}),
    node(goto=identifiers),
    st.fixed_dictionaries({"handoff": maybe(texts)}, optional={
        "owner": texts, "sla": durations, "tell": texts, "off_hours": texts, "on_timeout": identifiers,
        "hours": node(days=st.lists(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
                                    min_size=1, max_size=7), start=times, end=times, timezone=maybe(texts))}),
    node(action=st.sampled_from(["tag", "untag", "follow", "like", "connect", "invite", "mention", "post",
                                 "comment", "email", "webhook", "message"]),
         text=maybe(texts), count=maybe(st.integers(0, 10 ** 9)),
         limit=maybe(node(count=st.integers(0, 10 ** 6), per=st.sampled_from(["hour", "day", "week"])))),
    node(set=variables, value=maybe(texts)),
    st.just({"end": True}),
)
statements = st.recursive(
    simple_statements,
    lambda inner: node(followup_after=durations, do=st.lists(inner, max_size=3)),
    max_leaves=12,
)
steps = node(name=identifiers, do=st.lists(statements, max_size=5))
flows = node(
    kind=st.sampled_from(["flow", "sequence"]), name=identifiers, title=maybe(texts), description=maybe(texts),
    channel=maybe(st.sampled_from(["messenger", "instagram", "whatsapp", "telegram", "sms", "linkedin", "x",
                                   "twitter", "email", "webchat"])),
    language=maybe(texts),
    trigger=maybe(node(kind=st.sampled_from(["message", "comment", "follow", "connection-accepted", "opt-in",
                                             "subscribe", "tag-added", "schedule", "broadcast", "event"]),
                       keywords=maybe(st.lists(texts, max_size=3)), value=maybe(texts), every=maybe(durations),
                       at=maybe(times))),
    audience=maybe(node(kind=st.sampled_from(["opted-in", "everyone", "segment", "cold-list"]), name=maybe(texts))),
    window=maybe(node(start=times, end=times, timezone=maybe(texts))),
    steps=st.lists(steps, max_size=4),
)
documents = st.builds(lambda items: Document.model_validate({"flows": items}), st.lists(flows, max_size=3))


@ROUND_TRIP
@given(documents)
def test_model_to_yaml_to_model_is_the_same_model(document):
    assert plain(round_trip(document)) == plain(document)


def test_the_generator_reaches_every_statement_kind():
    """Not trivially passing: the strategy builds every statement, nested in followups too."""
    seen: set[str] = set()
    nested: list[bool] = []

    @settings(max_examples=300, derandomize=True, database=None)
    @given(statements)
    def collect(statement):
        pending = [statement]
        while pending:
            current = pending.pop()
            seen.update(current)
            pending.extend(current.get("do", []))
            nested.append(any("followup_after" in inner for inner in current.get("do", [])))

    collect()
    assert {"say", "ask", "wait", "wait_until", "wait_for_reply", "if", "goto", "handoff", "action", "set",
            "followup_after", "end"} <= seen
    assert any(nested)


@pytest.mark.parametrize("path", FLOW_FILES, ids=lambda p: p.name)
def test_every_shipped_flow_file_survives_dsl_model_yaml_model(path):
    document = parse_text(path.read_text(encoding="utf-8"), path.name, "flow").document
    assert document.flows, "a trivially empty file would prove nothing"
    assert plain(round_trip(document)) == plain(document)


def test_dump_writes_the_readme_shape():
    """Keywords first, defaults left out, no positions: what a person would write."""
    source = ('flow welcome:\n  channel messenger\n  trigger message keywords "hi"\n  step start:\n'
              '    say "Hey!"\n    ask "What can I help with?":\n      reply "Prices" -> prices\n'
              '      otherwise -> start\n  step prices:\n    wait for reply\n    handoff\n    end\n')
    text = dump_yaml(parse_text(source, "w.flow").document)
    assert text == (
        "flows:\n- kind: flow\n  name: welcome\n  channel: messenger\n  trigger:\n    kind: message\n"
        "    keywords:\n    - hi\n  steps:\n  - name: start\n    do:\n    - say: Hey!\n"
        "    - ask: What can I help with?\n      replies:\n      - label: Prices\n        goto: prices\n"
        "      otherwise: start\n  - name: prices\n    do:\n    - wait_for_reply: null\n    - handoff: null\n"
        "    - end: true\n")
    assert "span" not in text and "origin" not in text


def test_a_changed_document_does_not_compare_equal():
    """The comparison can fail: a different text gives a different plain model."""
    document = parse_text('flow a:\n  step s:\n    say "x"\n', "a.flow").document
    changed = parse_text(dump_yaml(document).replace("say: x", "say: y"), "a.flow.yaml", "yaml").document
    assert plain(changed) != plain(document)


@settings(ROUND_TRIP, max_examples=40)
@given(flow_source())
def test_generated_flow_source_survives_the_round_trip(data):
    """Flow-language source from the fuzzing generator: when it parses, its YAML reads back the same."""
    source = data.decode("utf-8")
    try:
        document = parse_text(source, "g.flow", "flow").document
    except FlowSyntaxError:
        return  # undefined names and such: the fuzz tests cover errors
    assert plain(round_trip(document)) == plain(document)
