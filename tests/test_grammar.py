"""The .flow grammar: every construct reaches the model with the right values and positions.

tests/fixtures/constructs.flow uses every construct of grammars/flow.lark at
least once; the positions below are that file's line and column numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.model.flow import (
    Action, Ask, Branch, End, FollowUp, Goto, Handoff, Say, Wait, WaitForReply, WaitUntil,
)
from linter.parse import Comment, parse_file, parse_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONSTRUCTS = FIXTURES / "constructs.flow"


@pytest.fixture(scope="module")
def parsed():
    return parse_text(CONSTRUCTS.read_text(encoding="utf-8"), "constructs.flow", "flow")


@pytest.fixture(scope="module")
def welcome(parsed):
    return parsed.document.flows[0]


@pytest.fixture(scope="module")
def nurture(parsed):
    return parsed.document.flows[1]


def steps(flow):
    return {step.name: step for step in flow.steps}


# --- the fixture parses, units and settings ------------------------------------------------


def test_fixture_has_both_units_with_titles(parsed):
    flows = parsed.document.flows
    assert [(f.kind, f.name, f.title) for f in flows] == [
        ("flow", "welcome", "Welcome: every construct"),
        ("sequence", "nurture", "Nurture: weekly digest"),
    ]
    assert [step.name for step in flows[0].steps] == ["greet", "coffee", "order", "human"]
    assert [step.name for step in flows[1].steps] == ["intro"]


def test_every_statement_kind_is_used(parsed):
    kinds = set()

    def walk(statements):
        for statement in statements:
            kinds.add(type(statement))
            if isinstance(statement, FollowUp):
                walk(statement.do)

    for flow in parsed.document.flows:
        for step in flow.steps:
            walk(step.do)
    assert kinds == {Say, Ask, Wait, WaitUntil, WaitForReply, Branch, Goto, Handoff, Action, FollowUp, End}


def test_settings_of_the_flow(welcome):
    assert welcome.channel.value == "messenger"
    assert welcome.language == "hr"
    assert welcome.trigger.kind.value == "message"
    assert welcome.trigger.keywords == ["hi", "здраво", "grüß dich"]
    assert welcome.trigger.value is None and welcome.trigger.every is None and welcome.trigger.at is None
    assert welcome.audience.kind.value == "opted-in" and welcome.audience.name is None
    assert (welcome.window.start, welcome.window.end, welcome.window.timezone) == ("09:00", "17:00", "recipient")


def test_settings_of_the_sequence(nurture):
    assert nurture.channel.value == "whatsapp"
    assert nurture.language == "de"
    trigger = nurture.trigger
    assert (trigger.kind.value, trigger.value, trigger.every, trigger.at) == ("schedule", "Weekly digest", "1w", "07:30")
    assert trigger.keywords == []
    assert (nurture.audience.kind.value, nurture.audience.name) == ("segment", "Newsletter readers")
    assert (nurture.window.start, nurture.window.end, nurture.window.timezone) == ("08:00", "20:00", "Europe/Zagreb")
    assert nurture.description is None


def test_string_escapes_are_resolved(welcome):
    assert welcome.description == 'Escapes: "q" \\ \n \t \u00e9 \U0001F600'
    assert "é" in welcome.description and "😀" in welcome.description


# --- statements ---------------------------------------------------------------------------------


def test_say_with_tag_placeholders_and_utf8(welcome):
    first, second, _ = steps(welcome)["greet"].do[:3]
    assert first.say == "Bok {first_name|there}! čćžšđ ČĆŽŠĐ"
    assert first.tag == "ACCOUNT_UPDATE" and first.template is None
    assert second.say == "Привет, {first_name}! Schöne Grüße, süß 😀"
    assert second.tag is None


def test_triple_quoted_say_is_dedented_and_keeps_relative_indent(welcome):
    say = steps(welcome)["greet"].do[2]
    assert say.say == (
        "Line one of a long message.\n"
        "  Indented line two.\n"
        "Line three has a # that is not a comment."
    )


def test_say_with_template(welcome):
    with_category, plain = steps(welcome)["coffee"].do[:2]
    assert (with_category.say, with_category.template, with_category.category) == ("Order now", "order_update", "utility")
    assert (plain.template, plain.category) == ("plain_tpl", None)


def test_ask_with_every_item(welcome):
    ask = steps(welcome)["greet"].do[3]
    assert isinstance(ask, Ask)
    assert ask.ask == "What do you need?"
    assert [(o.label, o.goto, o.url) for o in ask.replies] == [("Coffee", "coffee", None), ("Just looking", None, None)]
    assert [(o.label, o.goto, o.url) for o in ask.buttons] == [
        ("Our shop", None, "https://example.com/shop#top"),
        ("Order status", "order", None),
        ("Menu", None, None),
    ]
    assert (ask.capture, ask.expect, ask.then, ask.otherwise) == ("answer", "text", "coffee", "human")


def test_ask_without_block(welcome):
    ask = steps(welcome)["greet"].do[4]
    assert isinstance(ask, Ask)
    assert ask.ask == "Anything else?"
    assert (ask.replies, ask.buttons, ask.capture, ask.otherwise) == ([], [], None, None)


def test_wait_for_reply_with_and_without_timeout(welcome):
    forever, timed = steps(welcome)["greet"].do[5:7]
    assert isinstance(forever, WaitForReply) and isinstance(timed, WaitForReply)
    assert (forever.wait_for_reply, forever.on_timeout) == (None, None)
    assert (timed.wait_for_reply, timed.on_timeout) == ("2h", "human")


def test_every_condition_with_and_without_else(welcome):
    branches = [s for s in steps(welcome)["greet"].do if isinstance(s, Branch)]
    got = [(b.if_.model_dump(exclude_none=True), b.then, b.else_) for b in branches]
    assert got == [
        ({"replied": True}, "coffee", None),
        ({"replied": False}, "human", "coffee"),
        ({"has_tag": "vip"}, "coffee", "order"),
        ({"lacks_tag": "blocked"}, "coffee", None),
        ({"var": "plan", "equals": "pro"}, "order", "human"),
        ({"var": "plan", "not_equals": "free"}, "order", None),
    ]


def test_goto_and_end(welcome):
    greet, coffee = steps(welcome)["greet"], steps(welcome)["coffee"]
    assert isinstance(greet.do[-1], Goto) and greet.do[-1].goto == "coffee"
    assert isinstance(coffee.do[-1], End) and coffee.do[-1].end is True


def test_wait_durations_in_every_unit(welcome):
    waits = [s.wait for s in steps(welcome)["coffee"].do if isinstance(s, Wait)]
    assert waits == ["30s", "15m", "2h", "1d", "1w"]


def test_wait_until_normalises_time_and_zone(welcome):
    untils = [(s.wait_until, s.timezone) for s in steps(welcome)["coffee"].do if isinstance(s, WaitUntil)]
    assert untils == [("09:00", "recipient"), ("18:30", "America/New_York"), ("07:05", "UTC")]


def test_actions(welcome):
    tag, mention, connect, webhook = steps(welcome)["order"].do[:4]
    assert (tag.action.value, tag.text, tag.count, tag.limit) == ("tag", "vip", None, None)
    assert (mention.action.value, mention.count) == ("mention", 3)
    assert (connect.action.value, connect.text) == ("connect", "Hi {first_name}")
    assert (connect.limit.count, connect.limit.per) == (20, "day")
    assert (webhook.action.value, webhook.text) == ("webhook", None)


def test_handoff_without_block(welcome):
    handoff = steps(welcome)["order"].do[-1]
    assert isinstance(handoff, Handoff)
    assert handoff.model_dump() == {
        "handoff": None, "owner": None, "sla": None, "hours": None, "tell": None, "off_hours": None,
        "on_timeout": None,
    }


def test_handoff_with_every_item_and_day_range(welcome):
    handoff = steps(welcome)["human"].do[0]
    assert handoff.handoff == "Customer care"
    assert handoff.owner == "care@example.com"
    assert handoff.sla == "2h"
    assert handoff.tell == "A person will answer soon."
    assert handoff.off_hours == "We are offline right now."
    assert handoff.on_timeout == "coffee"
    hours = handoff.hours
    assert hours.days == ["mon", "tue", "wed", "thu", "fri"]  # mon-fri: five days
    assert (hours.start, hours.end, hours.timezone) == ("09:00", "18:00", "Europe/Berlin")


def test_day_range_wraps_around_the_week_and_lists_combine(welcome):
    handoff = steps(welcome)["human"].do[1]
    assert handoff.handoff is None
    assert handoff.hours.days == ["fri", "sat", "sun", "mon", "wed"]  # fri-mon, wed
    assert (handoff.hours.start, handoff.hours.end, handoff.hours.timezone) == ("08:00", "12:30", "UTC")


def test_followup_with_body(nurture):
    intro = nurture.steps[0]
    followup = intro.do[1]
    assert isinstance(followup, FollowUp)
    assert followup.followup_after == "3d"
    assert [type(s) for s in followup.do] == [Say, Wait]
    assert followup.do[0].say == "Noch da?" and followup.do[1].wait == "1d"
    assert isinstance(intro.do[-1], End)


@pytest.mark.parametrize("text, expected", [
    ("mon-fri", ["mon", "tue", "wed", "thu", "fri"]),
    ("fri-mon", ["fri", "sat", "sun", "mon"]),
    ("sun-sun", ["sun"]),
    ("sat, sun", ["sat", "sun"]),
    ("Mon-Wed", ["mon", "tue", "wed"]),
])
def test_day_expressions(text, expected):
    source = f"flow f:\n  step s:\n    handoff:\n      hours {text} 9:00-17:00\n"
    hours = parse_text(source, "d.flow").document.flows[0].steps[0].do[0].hours
    assert hours.days == expected
    assert (hours.start, hours.end) == ("09:00", "17:00")


# --- positions ----------------------------------------------------------------------------------


def span(node):
    s = node.span
    return (s.line, s.col, s.end_line, s.end_col)


def test_unit_and_setting_spans(parsed, welcome, nurture):
    assert span(welcome) == (4, 1, 72, 8)
    assert span(nurture) == (74, 1, 87, 8)
    assert span(welcome.trigger) == (7, 3, 7, 55)
    assert span(welcome.window) == (9, 3, 9, 31)
    assert span(nurture.window) == (79, 3, 79, 37)


def test_statement_spans(welcome, nurture):
    greet, coffee, order, human = (steps(welcome)[n] for n in ("greet", "coffee", "order", "human"))
    assert span(greet) == (12, 3, 40, 16)  # the header's trailing comment does not matter
    # columns count characters, not UTF-8 bytes: this line has 10 two-byte letters
    assert span(greet.do[0]) == (13, 5, 13, 65)
    assert span(greet.do[1]) == (17, 5, 17, 52)
    assert span(greet.do[2]) == (18, 5, 22, 10)  # triple-quoted: ends after the closing quotes
    assert span(greet.do[-1]) == (40, 5, 40, 16)
    assert span(coffee.do[2]) == (45, 5, 45, 13)  # wait 30s
    assert span(order.do[-1]) == (60, 5, 60, 12)  # bare handoff
    assert span(human.do[0]) == (63, 5, 69, 27)  # handoff block ends at its last item
    followup = nurture.steps[0].do[1]
    assert span(followup) == (83, 5, 86, 14)  # the comment inside the body is skipped over


def test_span_end_points_at_the_last_character(parsed):
    lines = CONSTRUCTS.read_text(encoding="utf-8").split("\n")
    commented = {c.line for c in parsed.comments}  # trailing spaces there: see the xfail tests below
    checked = 0
    for flow in parsed.document.flows:
        for step in flow.steps:
            for statement in step.do:
                s = statement.span
                if s.end_line in commented:
                    continue
                checked += 1
                last = lines[s.end_line - 1]
                assert s.end_col - 1 <= len(last), (statement, s)
                assert last[s.end_col - 2] != " ", (statement, s)
                assert last[s.end_col - 1:].strip() == "", (statement, s)  # nothing after the end
    assert checked == 35


def test_span_end_excludes_spaces_before_trailing_comment(welcome):
    ask = steps(welcome)["greet"].do[3]  # line 30: '      otherwise -> human  # trailing comment ...'
    assert span(ask) == (23, 5, 30, 25)


def test_span_end_excludes_trailing_spaces():
    doc = parse_text('flow f:\n  step s:\n    say "x"   # c\n    say "y"   \n    end\n', "t.flow").document
    first, second, _ = doc.flows[0].steps[0].do
    assert span(first) == (3, 5, 3, 12)
    assert span(second) == (4, 5, 4, 12)


# --- comments -----------------------------------------------------------------------------------


def test_comments_are_collected_with_positions(parsed):
    assert parsed.comments == [
        Comment(1, 1, "# constructs.flow: every construct of the .flow grammar at least once."),
        Comment(2, 1, "# tests/test_grammar.py checks exact positions: keep the line numbers stable."),
        Comment(5, 22, "# trailing comment after a setting"),
        Comment(12, 16, "# trailing comment after a step header"),
        Comment(14, 5, "# a comment at the block's indentation"),
        Comment(15, 1, "# a comment at column 0 inside a block"),
        Comment(16, 11, "# a comment indented deeper than the block"),
        Comment(30, 27, "# trailing comment inside an ask"),
        Comment(85, 7, "# a comment inside a followup"),
    ]


def test_hash_inside_a_string_is_not_a_comment(parsed, welcome):
    lines_with_comments = {c.line for c in parsed.comments}
    assert 21 not in lines_with_comments  # '#' inside the triple-quoted say
    assert 26 not in lines_with_comments  # '#top' inside the button URL
    source = 'flow f:\n  trigger message keywords "#1", "a # b"  # real\n  step s:\n    say "# no"\n'
    result = parse_text(source, "h.flow")
    assert result.comments == [Comment(2, 43, "# real")]
    assert result.document.flows[0].trigger.keywords == ["#1", "a # b"]
    assert result.document.flows[0].steps[0].do[0].say == "# no"


def test_comment_lines_do_not_change_block_structure():
    source = (
        "flow f:\n"
        "  step a:\n"
        "    say \"1\"\n"
        "# col 0\n"
        "        # deep\n"
        "    say \"2\"\n"
        "  # between steps\n"
        "  step b:\n"
        "    end\n"
    )
    flow = parse_text(source, "c.flow").document.flows[0]
    assert [(s.name, len(s.do)) for s in flow.steps] == [("a", 2), ("b", 1)]


# --- line endings and the edges of a file -------------------------------------------------------


def _all_spans(document):
    found = []
    for flow in document.flows:
        found.append(flow.span)
        for step in flow.steps:
            found.append(step.span)
            found.extend(statement.span for statement in step.do)
    return found


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_crlf_and_cr_give_the_same_model_and_lines(tmp_path, newline):
    data = CONSTRUCTS.read_bytes()
    lf = parse_file(CONSTRUCTS, "lf.flow")
    other = tmp_path / "other.flow"
    other.write_bytes(data.replace(b"\n", newline))
    result = parse_file(other, "other.flow")
    assert result.document.model_dump(by_alias=True) == lf.document.model_dump(by_alias=True)
    assert _all_spans(result.document) == _all_spans(lf.document)
    assert result.comments == lf.comments
    assert all("\r" not in c.text for c in result.comments)


def test_file_without_final_newline():
    result = parse_text('flow f:\n  step s:\n    say "hi"\n    end  # bye', "n.flow")
    do = result.document.flows[0].steps[0].do
    assert [type(s) for s in do] == [Say, End]
    assert span(do[1])[:3] == (4, 5, 4)
    assert result.comments == [Comment(4, 10, "# bye")]


def test_file_without_final_newline_ending_in_a_triple_quoted_string():
    result = parse_text('flow f:\n  step s:\n    say """\n      a\n      b"""', "n.flow")
    say = result.document.flows[0].steps[0].do[0]
    assert say.say == "a\nb"
    assert span(say) == (3, 5, 5, 11)


@pytest.mark.parametrize("source, comments", [
    ("", []),
    ("\n\n   \n", []),
    ("# only a comment\n", [Comment(1, 1, "# only a comment")]),
    ("# no newline", [Comment(1, 1, "# no newline")]),
])
def test_empty_files_give_zero_flows(source, comments):
    result = parse_text(source, "e.flow")
    assert result.document.flows == []
    assert result.comments == comments


def test_several_units_back_to_back_and_keyword_like_names():
    source = 'flow a:\n  step wait:\n    goto reply\n  step reply:\n    goto wait\nsequence b:\n  step s:\n    end\n'
    flows = parse_text(source, "k.flow").document.flows
    assert [(f.kind, f.name) for f in flows] == [("flow", "a"), ("sequence", "b")]
    assert [(s.name, s.do[0].goto) for s in flows[0].steps] == [("wait", "reply"), ("reply", "wait")]


def test_list_rows_parse_and_route_like_replies():
    source = 'flow f:\n  channel whatsapp\n  step s:\n    ask "Pick a branch":\n      row "Zagreb" -> zg\n      row "Split"\n  step zg:\n    end\n'
    ask = parse_text(source, "t.flow").document.flows[0].steps[0].do[0]
    assert [(row.label, row.goto, row.span.line) for row in ask.rows] == [("Zagreb", "zg", 5), ("Split", None, 6)]
    yaml_source = ("flows:\n  - kind: flow\n    name: f\n    channel: whatsapp\n    steps:\n      - name: s\n        do:\n"
                   "          - ask: Pick a branch\n            rows:\n              - {label: Zagreb, goto: zg}\n"
                   "              - {label: Split}\n      - name: zg\n        do:\n          - end: true\n")
    twin = parse_text(yaml_source, "t.flow.yaml", "yaml").document
    assert twin.model_dump(by_alias=True) == parse_text(source, "t.flow").document.model_dump(by_alias=True)


def test_set_statement_in_both_forms():
    source = 'flow f:\n  step s:\n    set company = "Acme"\n    set score\n    end\n'
    first, second, _ = parse_text(source, "t.flow").document.flows[0].steps[0].do
    assert (first.set, first.value, first.span.line) == ("company", "Acme", 3)
    assert (second.set, second.value) == ("score", None)
    yaml_source = ("flows:\n  - kind: flow\n    name: f\n    steps:\n      - name: s\n        do:\n"
                   "          - {set: company, value: Acme}\n          - set: score\n          - end: true\n")
    assert (parse_text(yaml_source, "t.flow.yaml", "yaml").document.model_dump(by_alias=True)
            == parse_text(source, "t.flow").document.model_dump(by_alias=True))


def test_readme_language_reference_parses_and_yaml_example_validates():
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```text\nflow welcome")
    reference = readme[start + len("```text\n"):readme.index("```", start + 8)]
    [flow] = parse_text(reference, "README.md").document.flows
    assert flow.name == "welcome" and [step.name for step in flow.steps] == ["start", "nudge"]
    start = readme.index("```yaml\nflows:")
    example = readme[start + len("```yaml\n"):readme.index("```", start + 8)]
    assert parse_text(example, "README.flow.yaml", "yaml").document.flows[0].name == "welcome"
