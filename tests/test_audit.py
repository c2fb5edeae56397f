"""`botlint audit`: the facts per flow, the scores, and the text, Markdown and HTML reports."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import textwrap
from html import escape
from html.parser import HTMLParser

import pytest

from conftest import REPO
from linter.audit.build import build_audit
from linter.audit.facts import Excerpt, FindingFacts, FindingGroup, summarize
from linter.audit.score import Weights, _weights, load_weights, score_groups
from linter.cli import main
from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver
from linter.core.errors import ConfigError

DRIP = """\
    sequence drip "Drip":
      channel linkedin
      language en
      trigger connection-accepted
      audience opted-in

      step hello:
        say "Thanks for connecting!"
        wait 2d
        say "Here is a guide."
        followup after 3d:
          say "Did the guide help?"
        followup after 3d:
          say "Last note from me."
        end
    """

SUPPORT = """\
    flow support "Support":
      channel messenger
      language en
      trigger message keywords "help"
      audience opted-in
      step start:
        say "Hi! I'm the support bot."
        say "I can help with orders."
        say "Or find you a person."
        say "Or track a parcel."
        ask "What do you need?":
          reply "Orders" -> orders
          reply "A person" -> human
          otherwise -> human

      step orders:
        say "Orders ship in 2 days."
        goto checkout

      step human:
        handoff to "Support":
          owner "ana@example.com"
          sla 4h
          hours mon-fri 09:00-17:00 "Europe/Zagreb"
          tell "Ana will reply within 4 hours."
          off-hours "We're closed; we'll reply tomorrow."
          unanswered -> sorry

      step sorry:
        say "Sorry for the wait. I'm a bot: email care@example.com."
        end
    """


@pytest.fixture
def audit_of(tmp_path):
    """audit_of(source, name=...) -> the Audit of one file, linted with the default rules."""

    def run(source: str, name: str = "test.flow", **overrides):
        path = tmp_path / name
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        result = lint_paths([path], SettingsResolver(Overrides(**overrides), cwd=tmp_path), summarize=summarize)
        return build_audit(result, load_weights())

    return run


def only_flow(audit):
    [file] = audit.files
    [flow] = file.flows
    return flow


# --- facts ---------------------------------------------------------------------------------------

def test_sequence_timeline_has_the_times_of_waits_and_followups(audit_of):
    facts = only_flow(audit_of(DRIP)).facts
    messages = [(event.when, event.text) for event in facts.timeline if event.kind == "message"]
    assert messages == [("+0", "Thanks for connecting!"), ("+2d", "Here is a guide."),
                        ("+5d", "Did the guide help?"), ("+8d", "Last note from me.")]
    followups = [event for event in facts.timeline if event.kind == "followup"]
    assert [(event.when, event.title) for event in followups] == [
        ("+2d", "Follow-up after 3d if no reply"), ("+5d", "Follow-up after 3d if no reply")]
    assert [event.title for event in facts.timeline if event.kind == "wait"] == ["Waits 2d"]


def test_sequence_counts_followups_their_spacing_and_the_first_day(audit_of):
    key = only_flow(audit_of(DRIP)).facts.key
    assert key.followups == 3  # the guide after 2 days of silence is a follow-up too
    assert key.followup_gaps == ["2d", "3d", "3d"]
    assert key.followup_spacing == "2d, then 3d"
    assert key.first_day_messages == 1
    assert key.before_first_reply == 4
    assert key.before_first_chance == 2  # the first follow-up is where the sequence listens for a reply
    assert ("Follow-ups without a reply", "3, 2d, then 3d apart") in key.rows


def test_a_send_window_widens_the_latest_time(audit_of):
    window = "  audience opted-in\n  window 09:00-17:00 recipient\n"
    windowed = textwrap.dedent(DRIP).replace("  audience opted-in\n", window)
    facts = only_flow(audit_of(windowed)).facts
    first = next(event for event in facts.timeline if event.kind == "message")
    assert first.when == "+0–16h"  # the window can hold the first message back until it opens
    assert "09:00–17:00 the recipient's time" in dict(facts.key.rows)["Send window"]


def test_handoff_sla_hours_and_the_fallback_appear(audit_of):
    facts = only_flow(audit_of(SUPPORT)).facts
    [handoff] = facts.key.handoffs
    assert (handoff.team, handoff.owner, handoff.sla, handoff.fallback) == ("Support", "ana@example.com", "4h", "sorry")
    assert dict(facts.key.rows)["Human reply (Support)"] == "within 4h (mon–fri 09:00–17:00 Europe/Zagreb)"
    event = next(event for event in facts.timeline if event.kind == "handoff")
    assert event.text == "Ana will reply within 4 hours."
    assert "promises a human reply within 4h" in event.details
    sorry = next(event for event in facts.timeline if event.step == "sorry")
    assert sorry.via == "if nobody answers within 4h"
    assert sorry.when == "4h after they wrote"


def test_messages_before_the_first_chance_to_reply_and_the_question_options(audit_of):
    facts = only_flow(audit_of(SUPPORT)).facts
    assert facts.key.before_first_chance == 4
    assert facts.key.before_first_reply == 5  # the four messages and the question
    question = next(event for event in facts.timeline if event.kind == "question")
    assert question.replyable and question.options == [("Orders", "→ orders"), ("A person", "→ human")]
    assert question.details == ["anything else → human"]
    assert question.flags == []  # the question ends the run of bubbles: it is not one of them
    fourth = next(event for event in facts.timeline if event.text == "Or track a parcel.")
    assert [code for code, _ in fourth.flags] == ["BL106"]  # four bubbles before the question


def test_main_path_first_then_branches(audit_of):
    facts = only_flow(audit_of(SUPPORT)).facts
    steps = [(event.step, event.main) for event in facts.timeline if event.kind != "end"]
    assert steps[:6] == [("start", True)] * 5 + [("orders", True)]
    assert ("human", False) in steps and ("sorry", False) in steps
    orders = next(event for event in facts.timeline if event.step == "orders")
    assert orders.via == "if they tap 'Orders'"


def test_step_graph_nodes_edges_and_flagged_steps(audit_of):
    facts = only_flow(audit_of(SUPPORT)).facts
    nodes = {node.id: node for node in facts.nodes}
    assert nodes["start"].entry and nodes["start"].depth == 0
    assert nodes["sorry"].depth == 2
    assert nodes["missing:checkout"].missing  # `goto checkout` names no step
    assert nodes["orders"].severity == "error" and nodes["orders"].findings == 1  # BL001
    assert nodes["sorry"].severity is None
    edges = {(edge.source, edge.target, edge.kind, edge.label) for edge in facts.edges}
    assert ("start", "orders", "reply", "'Orders'") in edges
    assert ("start", "human", "otherwise", "anything else") in edges
    assert ("human", "sorry", "unanswered", "nobody answers within 4h") in edges
    assert ("orders", "missing:checkout", "goto", "") in edges


def test_findings_are_grouped_by_family_with_the_offending_text(audit_of):
    flow = only_flow(audit_of(SUPPORT))
    groups = {group.family: group for group in flow.facts.findings}
    assert set(groups) == {"structure", "tone"}
    [undefined] = groups["structure"].findings
    assert (undefined.code, undefined.line, undefined.col, undefined.step) == ("BL001", 18, 5, "orders")
    assert undefined.excerpt.marked == "goto checkout"


def test_findings_outside_any_flow_go_to_the_file(audit_of):
    source = "# botlint: disable-file=BL601\n" + textwrap.dedent(SUPPORT)
    audit = audit_of(source, extend_select=["BL900"])
    [file] = audit.files
    assert [f.code for group in file.facts.findings for f in group.findings] == ["BL900"]
    assert file.outside.overall == 99
    assert all(finding.code != "BL900" for finding in file.flows[0].findings)
    assert file.score == 80 - 1  # the flow's score, less what the file-level finding costs
    assert re.search(r"\n  BL900 info    1:1  unused suppression", render(audit, "text"))
    assert "### Findings outside any flow" in render(audit, "md")


def test_excerpt_splits_the_line_around_the_offending_text():
    from linter.audit.facts import excerpt

    line = '    say "Hi there, FREE money!" tag UPDATE'
    assert excerpt(line, 9, '"Hi there, FREE money!"') == Excerpt("say ", '"Hi there, FREE money!"', " tag UPDATE")
    assert excerpt(None, 1, "x") == Excerpt("", "x", "")


def test_excerpt_focuses_on_what_the_message_quotes():
    from linter.audit.facts import focus

    text = 'say "Thanks for following! Sorry, I didn\'t get that. Hi {first_name}, 15% off"'
    def spans(message):
        return [text[start:end] for start, end in focus(text, message)]

    assert spans("pitches with a discount '15% off', before") == ["15% off"]
    assert spans("people who have not written (a 'follow' flow)") == []  # a whole word only
    assert spans("placeholder can come out empty: {first_name}") == ["{first_name}"]
    assert spans("apology 'Sorry, I didn't get that'") == ["Sorry, I didn't get that"]
    assert spans("starts with 'Thanks for follow…'") == ["Thanks for following"]


# --- scores --------------------------------------------------------------------------------------

def finding(code: str, severity: str, family: str = "tone", line: int = 1) -> FindingFacts:
    return FindingFacts(code, "name", family, severity, "message", None, "f.flow", line, 1, None, "x",
                        Excerpt("", "x", ""))


WEIGHTS = Weights({"error": 15, "warning": 5, "info": 1}, 30, ((90, "good"), (70, "fair")))


def test_score_is_100_less_the_deductions_per_family_and_overall():
    groups = [FindingGroup("tone", "Robotic tone", [finding("BL101", "warning"), finding("BL104", "info")]),
              FindingGroup("channel", "Channel limits", [finding("BL601", "error", "channel")])]
    score = score_groups(groups, WEIGHTS)
    families = {family.family: family.score for family in score.families}
    assert families["tone"] == 94 and families["channel"] == 85 and families["structure"] == 100
    assert score.overall == 79 and score.grade == "fair"
    assert [(d.code, d.points) for d in score.deductions] == [("BL101", 5), ("BL104", 1), ("BL601", 15)]
    assert "meta" not in families  # suppressions are scored only when they found something


def test_one_rule_costs_at_most_its_cap():
    noisy = [finding("BL705", "error", "policy", line) for line in range(1, 6)]
    score = score_groups([FindingGroup("policy", "Platform policy", noisy)], WEIGHTS)
    assert [d.points for d in score.deductions] == [15, 15, 0, 0, 0]
    assert [d.capped for d in score.deductions] == [False, False, True, True, True]
    assert score.overall == 70
    partial = score_groups([FindingGroup("policy", "Platform policy", noisy[:3])],
                           Weights(WEIGHTS.deduction, 20, WEIGHTS.grades))
    assert [d.points for d in partial.deductions] == [15, 5, 0]


def test_scores_floor_at_zero():
    many = [finding(f"BL7{index:02d}", "error", "policy") for index in range(10)]
    score = score_groups([FindingGroup("policy", "Platform policy", many)], WEIGHTS)
    assert score.overall == 0 and score.grade == "poor"
    assert score.families[-1].score == 0


def test_weights_are_data_and_checked():
    weights = load_weights()
    assert weights.deduction == {"error": 15, "warning": 5, "info": 1} and weights.cap_per_rule == 30
    assert weights.grade(95) == "good" and weights.grade(70) == "fair" and weights.grade(10) == "poor"
    assert "cap_per_rule" in (REPO / "rulesets" / "audit.yaml").read_text(encoding="utf-8")
    with pytest.raises(ConfigError, match="deduction"):
        _weights({"deduction": {"error": 1}, "cap_per_rule": 3, "grades": {}}, "audit.yaml")
    with pytest.raises(ConfigError, match="whole number"):
        _weights({"deduction": {"error": -1, "warning": 1, "info": 1}, "cap_per_rule": 3, "grades": {}}, "x")


def test_a_file_scores_the_average_of_its_flows(audit_of):
    audit = audit_of(textwrap.dedent(SUPPORT) + "\n" + textwrap.dedent(DRIP))
    [file] = audit.files
    scores = [flow.score.overall for flow in file.flows]
    assert scores == [80, 95]  # BL001 error + BL106 warning; BL401 warning
    assert file.score == round(sum(scores) / 2) and audit.score == file.score


# --- reports -------------------------------------------------------------------------------------

def render(audit, fmt: str, color: bool = False) -> str:
    from linter.report import get_audit_renderer

    out = io.StringIO()
    get_audit_renderer(fmt)(audit, out, color=color)
    return out.getvalue()


def test_text_summary_per_flow_with_facts_and_top_findings(audit_of):
    text = render(audit_of(SUPPORT), "text")
    assert "flow support \"Support\"  80/100 fair" in text
    assert "channel messenger · trigger message, keywords \"help\" · audience opted-in" in text
    assert "human reply within 4h" in text
    assert re.search(r"BL001 error\s+18:5  'goto' names step 'checkout'", text)
    assert text.rstrip().endswith("Audited 1 flow in 1 file: 80/100 fair; 2 findings (1 error, 1 warning).")
    assert "\033[" not in text
    assert "\033[31m" in render(audit_of(SUPPORT), "text", color=True)


def mermaid_blocks(markdown: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", markdown, re.S)


def test_markdown_has_a_valid_looking_mermaid_diagram_with_the_flagged_step_classed(audit_of):
    source = SUPPORT.replace('reply "Orders" -> orders', 'reply "Say \\"hi\\" <b>" -> orders')
    markdown = render(audit_of(source), "md")
    [block] = mermaid_blocks(markdown)
    lines = block.strip().split("\n")
    assert lines[0] == "flowchart TD"
    node = re.compile(r'^  [sm]_[A-Za-z0-9_]+\["[^"<>]*(<br/><small>[^"<>]*</small>)?"\]$')
    edge = re.compile(r'^  [sm]_[A-Za-z0-9_]+ (-->|-\.->)(\|"[^"<>]*"\|)? [sm]_[A-Za-z0-9_]+$')
    styles = re.compile(r"^  (classDef \w+ [\w:#,.\- ]+|class [\w,]+ \w+)$")
    for line in lines[1:]:
        assert node.match(line) or edge.match(line) or styles.match(line), line
    assert '-->|"\'Say #quot;hi#quot; #lt;b#gt;\'"| s_orders' in block  # quotes and markup escaped
    assert "  class s_orders error" in lines
    assert "m_checkout" in block


def test_markdown_has_facts_timeline_scores_and_highlighted_findings(audit_of):
    markdown = render(audit_of(SUPPORT), "md")
    assert "### flow `support` — Support — 80/100 (fair)" in markdown
    assert "| Human reply \\(Support\\) | within 4h \\(mon–fri 09:00–17:00 Europe/Zagreb\\) |" not in markdown
    assert "| Human reply (Support) | within 4h (mon–fri 09:00–17:00 Europe/Zagreb) |" in markdown
    assert "| right away | orders | *if they tap 'Orders':* **Message** “Orders ship in 2 days.” |" in markdown
    assert "| Flow structure | 85 | BL001 line 18 −15 |" in markdown
    assert "  > **`goto`** **`checkout`**" in markdown  # the offending text under the finding, what it quotes bold
    assert "  > **`say \"Or track a parcel.\"`**" in markdown  # a message that quotes nothing: all of it bold


def test_markdown_mermaid_ids_never_collide_or_use_keywords():
    from linter.report.audit_md import mermaid_ids

    ids = mermaid_ids(["end", "wrap-up", "wrap_up", "missing:end"])
    assert ids == {"end": "s_end", "wrap-up": "s_wrap_up", "wrap_up": "s_wrap_up_2", "missing:end": "m_end"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_is_self_contained(audit_of):
    page = render(audit_of(SUPPORT), "html")
    parser = _Links()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed"), tag
        for name in ("src", "href", "xlink:href", "action", "srcset"):
            value = attrs.get(name) or ""
            assert not re.match(r"^\s*(https?:)?//", value), (tag, name, value)
    assert not re.search(r"url\((?!#)", page)  # CSS only points at the diagram's own arrowhead
    assert "@import" not in page
    assert "care@example.com" in page  # texts stay, as text


def test_html_has_diagram_timeline_facts_and_scores(audit_of):
    audit = audit_of(SUPPORT)
    page = render(audit, "html")
    assert page.count('<svg class="flow-diagram"') == 1
    steps = re.findall(r'<g class="(step[^"]*)" data-step="([^"]+)"', page)
    assert {name for _, name in steps} == {"start", "orders", "human", "sorry", "checkout"}
    assert "step-error" in dict((name, classes) for classes, name in steps)["orders"]
    assert "step-missing" in dict((name, classes) for classes, name in steps)["checkout"]
    assert page.count('<li class="event ') == len(only_flow(audit).facts.timeline) == 9
    assert '<table class="key-facts">' in page and "<th>Human reply (Support)</th>" in page
    assert 'data-family="structure"><th>Flow structure</th>' in page
    assert '<b>−15</b>' in page


def test_html_marks_every_finding_snippet_and_escapes_texts(audit_of):
    source = SUPPORT.replace("Orders ship in 2 days.", "<script>alert(1)</script> ship now!!!")
    audit = audit_of(source)
    page = render(audit, "html")
    marked = [re.sub(r"</?strong>", "", text) for text in re.findall(r"<mark>(.*?)</mark>", page, re.S)]
    snippets = [f.excerpt.marked for file in audit.files for f in file.findings]
    assert snippets and all(escape(snippet) in marked for snippet in snippets)
    assert "<mark><strong>goto</strong> <strong>checkout</strong></mark>" in page  # what the message quotes
    assert page.count('<div class="finding ') == len(snippets)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- the command ---------------------------------------------------------------------------------

@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


def test_cli_html_report_of_the_examples(in_repo, tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["audit", "examples/", "--format", "html", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count('<article class="flow"') == page.count('<svg class="flow-diagram"') > 20
    assert "examples/everything-wrong.flow" in page
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""  # the report went to the file; no progress bar off a terminal


def test_cli_markdown_report(in_repo, tmp_path):
    out = tmp_path / "report.md"
    assert main(["audit", "examples/everything-wrong.flow", "examples/linkedin-followup.flow",
                 "--format", "md", "-o", str(out)]) == 0
    markdown = out.read_text(encoding="utf-8")
    assert markdown.startswith("# botlint audit\n")
    assert len(mermaid_blocks(markdown)) == 2
    assert "class s_start,s_discount,s_goodbye error" in markdown


def test_cli_text_summary_to_stdout(in_repo, capsys):
    assert main(["audit", "examples/everything-wrong.flow"]) == 0  # findings do not fail an audit
    out = capsys.readouterr().out
    assert "flow promo \"Everything wrong\"  9/100 poor" in out
    assert "… and 6 more findings" in out
    assert out.rstrip().endswith("(5 errors, 3 warnings, 1 info).")


def test_cli_parallel_jobs_give_the_same_report(in_repo, tmp_path):
    one, two = tmp_path / "one.md", tmp_path / "two.md"
    assert main(["audit", "examples/", "--format", "md", "-j", "1", "-o", str(one)]) == 0
    assert main(["audit", "examples/", "--format", "md", "-j", "2", "-o", str(two)]) == 0
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")


def test_broken_file_exits_2_and_the_report_is_still_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.flow").write_text(textwrap.dedent(SUPPORT), encoding="utf-8")
    (tmp_path / "broken.flow").write_text('flow x:\n  step a:\n    sya "hi"\n', encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["audit", ".", "--format", "html", "-o", str(out)]) == 2
    page = out.read_text(encoding="utf-8")
    assert 'data-flow="support"' in page
    assert 'id="errors"' in page and "broken.flow:3:5" in page
    err = capsys.readouterr().err
    assert err.startswith("broken.flow:3:5: error: unexpected 'sya'")


def test_missing_path_exits_2_with_the_report(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["audit", "nowhere"]) == 2
    captured = capsys.readouterr()
    assert "not audited: nowhere: no such file or directory" in captured.out
    assert "Audited 0 flows in 0 files: no score; 0 findings" in captured.out
    assert captured.err == "nowhere: error: no such file or directory\n"


def test_progress_bar_redraws_one_line_and_clears_it():
    from linter.audit.command import Progress

    stream = io.StringIO()
    progress = Progress(stream)
    progress(0, 4)
    progress(2, 4)
    progress(4, 4)
    progress.clear()
    written = stream.getvalue()
    assert "\rauditing 2/4 files [" + "#" * 15 + "." * 15 + "]" in written
    assert "\rauditing 4/4 files [" + "#" * 30 + "]" in written
    assert "\n" not in written and written.endswith(" " * len("auditing 4/4 files [" + "#" * 30 + "]") + "\r")
    quiet = io.StringIO()
    Progress(quiet)(1, 1)  # one file: nothing to show
    assert quiet.getvalue() == ""


def test_the_command_line_does_not_import_the_audit():
    code = ("import sys, linter.cli as c; c.main(['rules']); "
            "sys.stderr.write(str(sorted(m for m in sys.modules if m.startswith('linter.audit'))))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert run.stderr == "[]"


def test_readme_audit_example_is_real_output(monkeypatch, capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- audit-example:", 1)[1].split("<!-- /audit-example -->", 1)[0]
    shown = block.split("~~~markdown\n", 1)[1].rsplit("~~~", 1)[0]
    monkeypatch.chdir(REPO)
    assert main(["audit", "examples/everything-wrong.flow", "--format", "md"]) == 0
    real = set(capsys.readouterr().out.splitlines())
    missing = [line for line in shown.splitlines() if line.strip() and line not in real]
    assert not missing, missing
    assert (REPO / "docs" / "audit-everything-wrong.png").is_file()  # the screenshot README shows
