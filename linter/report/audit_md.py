"""`botlint audit --format md`: a Markdown report to read on GitHub or paste into a client's ticket.

Per flow: key facts, the timeline, a Mermaid diagram of the steps (flagged
steps classed by severity), the scores with their deductions, and the
findings with the offending text in bold.

Text from the input is shown, never read as markup: unprintable characters escaped
(`linter.report.escape_unprintable`), Markdown specials backslashed, Mermaid labels one quoted line
with Mermaid syntax as entity codes (`mermaid_label`).
"""

from __future__ import annotations

import re
from typing import TextIO

from linter.audit.build import Audit, FileAudit, FlowAudit, tally
from linter.audit.facts import FindingFacts, FindingGroup
from linter.audit.score import Score
from linter.audit.wording import plural, severity_counts
from linter.report import escape_unprintable

TIMELINE_TEXT_CHARS = 200
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
_NOT_ID = re.compile(r"[^A-Za-z0-9_]")
# Mermaid runs regular expressions over the whole source before parsing it, labels included:
# `%%{...}%%` is a directive anywhere, and a line with `style` or `classDef`, a colon and a `#`
# loses its last `;`. So labels hold none of `%#`, nor quotes, brackets, pipes or markup, but
# entity codes (Mermaid decodes `#quot;` and `#35;` in quoted labels), and spell no `click`,
# `class` (`classDef`) or `style` (`linkStyle`), even inside a word: their first letter goes as a code.
_MERMAID_SYNTAX = re.compile(r'[#"%&<>\[\](){}|`\\]')
_MERMAID_NAMED = {'"': "quot", "<": "lt", ">": "gt", "&": "amp"}
_MERMAID_KEYWORD = re.compile(r"click|class|style", re.IGNORECASE)
MERMAID_CLASSES = {
    "error": "fill:#fde7e9,stroke:#c5221f,stroke-width:2px,color:#202124",
    "warning": "fill:#fef3e0,stroke:#e37400,stroke-width:2px,color:#202124",
    "info": "fill:#e8f0fe,stroke:#1a73e8,stroke-width:2px,color:#202124",
    "missing": "fill:#ffffff,stroke:#c5221f,stroke-dasharray:4 3,color:#c5221f",
    "unreachable": "fill:#f1f3f4,stroke:#9aa0a6,stroke-dasharray:4 3,color:#5f6368",
}


def render(audit: Audit, out: TextIO, *, color: bool = False) -> None:
    out.write("# botlint audit\n\n")
    out.write(_summary(audit) + "\n\n")
    if audit.errors:
        out.write("**Not audited** (could not be read):\n\n")
        out.writelines(f"- {code(error.location())}: {text(error.message)}\n" for error in audit.errors)
        out.write("\n")
    if audit.files:
        out.write("| file | flows | score | findings |\n|---|---|---|---|\n")
        for file in audit.files:
            out.write(f"| {cell(file.path)} | {len(file.flows)} | {file.score} ({file.grade}) "
                      f"| {severity_counts(tally(file.findings))} |\n")
        out.write("\n")
    for file in audit.files:
        _file(file, out)
    for notice in audit.notices:
        out.write(f"> note: {text(notice)}\n")


def _summary(audit: Audit) -> str:
    score = f"overall score **{audit.score}/100** ({audit.grade})" if audit.score is not None else "no score"
    counts = f" ({severity_counts(audit.counts)})" if audit.findings else ""
    return (f"**{plural(len(audit.files), 'file')} · {plural(audit.flows, 'flow')} · "
            f"{plural(audit.findings, 'finding')}**{counts} · {score}")


def _file(file: FileAudit, out: TextIO) -> None:
    out.write(f"## {text(file.path)} — {file.score}/100 ({file.grade})\n\n")
    if file.facts.findings:
        out.write("### Findings outside any flow\n\n")
        _findings(file.facts.findings, out)
    for flow in file.flows:
        _flow(flow, out)


def _flow(flow: FlowAudit, out: TextIO) -> None:
    facts = flow.facts
    title = f" — {text(facts.title)}" if facts.title else ""
    out.write(f"### {facts.kind} {code(facts.name)}{title} — {flow.score.overall}/100 ({flow.score.grade})\n\n")
    out.write("| key fact | |\n|---|---|\n")
    out.writelines(f"| {cell(label)} | {cell(value)} |\n" for label, value in facts.key.rows)
    out.write("\n#### What the recipient gets\n\n")
    _timeline(flow, out)
    out.write("#### Steps\n\n")
    out.write("```mermaid\n" + mermaid(flow) + "```\n\n" if facts.nodes else "*No steps.*\n\n")
    out.write("#### Score\n\n")
    _score(flow.score, out)
    if facts.findings:
        out.write("#### Findings\n\n")
        _findings(facts.findings, out)


def _timeline(flow: FlowAudit, out: TextIO) -> None:
    out.write("| when | step | what |\n|---|---|---|\n")
    for event in flow.facts.timeline:
        what = f"**{text(event.title)}**"
        if event.via:
            what = f"*{text(event.via)}:* " + what
        if event.text:
            shown = event.text if len(event.text) <= TIMELINE_TEXT_CHARS else event.text[:TIMELINE_TEXT_CHARS] + "…"
            what += f" “{text(shown)}”"
        lines = [f"'{label}' {where}" for label, where in event.options] + event.details
        if lines:
            what += "<br>" + "<br>".join(f"↳ {text(line)}" for line in lines)
        if event.flags:
            what += "<br>⚠ " + ", ".join(f"{code} ({severity})" for code, severity in event.flags)
        branch = "" if event.main else " (branch)"
        out.write(f"| {cell(event.when)} | {cell(event.step)}{branch} | {cell(what, escaped=True)} |\n")
    out.write("\n")


def _score(score: Score, out: TextIO) -> None:
    out.write("| family | score | deductions |\n|---|---|---|\n")
    for family in score.families:
        lost = ", ".join(f"{d.code} line {d.line} −{d.points}" + (" (capped)" if d.capped else "")
                         for d in family.deductions)
        out.write(f"| {cell(family.title)} | {family.score} | {cell(lost) or '—'} |\n")
    out.write(f"| **overall** | **{score.overall}** | |\n\n")


def _findings(groups: list[FindingGroup], out: TextIO) -> None:
    for group in groups:
        out.write(f"##### {text(group.title)}\n\n")
        for finding in group.findings:
            step = f" · step {code(finding.step)}" if finding.step else ""
            place = f"{text(finding.path)}:{finding.line}:{finding.col}"
            out.write(f"- **{text(finding.code)}** {finding.severity} · {place}{step} — "
                      f"{prose(finding.message)}\n\n")
            # Blank lines around the quote: a line right after it would join it as a lazy continuation.
            out.write(_excerpt(finding) + "\n")
            if finding.hint:
                out.write(f"  *hint:* {prose(finding.hint)}\n\n")


def _excerpt(finding: FindingFacts) -> str:
    """The source line as code under the finding, in a quote; in bold what the message quotes
    (or, when it quotes nothing, all the offending text)."""
    excerpt = finding.excerpt
    lines: list[list[tuple[str, bool]]] = [[(excerpt.before, False)]]
    for part, strong in _marked_parts(excerpt):
        for index, piece in enumerate(part.split("\n")):
            if index:
                lines.append([])
            lines[-1].append((piece, strong))
    lines[-1].append((excerpt.after, False))
    rendered = []
    for line in lines:
        merged: list[tuple[str, bool]] = []  # two code spans side by side would read as one "``"
        for piece, strong in line:
            if merged and merged[-1][1] == strong:
                merged[-1] = (merged[-1][0] + piece, strong)
            elif piece:
                merged.append((piece, strong))
        shown = "".join(_piece(piece, strong) for piece, strong in merged).strip()
        if shown:
            rendered.append(f"  > {shown}")
    return "\\\n".join(rendered) + "\n"  # a backslash at the end of a line keeps the line break


def _piece(piece: str, strong: bool) -> str:
    if not piece.strip():
        return " "  # between two bold spans: "****" would not read as two
    if not strong:
        return code(piece)
    # Bold must hug its text: spaces at its ends go outside it.
    return " " * (piece[0] == " ") + f"**{code(piece.strip())}**" + " " * (piece[-1] == " ")


def _marked_parts(excerpt) -> list[tuple[str, bool]]:
    if not excerpt.focus:
        return [(excerpt.marked, True)]
    parts, last = [], 0
    for start, end in excerpt.focus:
        parts += [(excerpt.marked[last:start], False), (excerpt.marked[start:end], True)]
        last = end
    return parts + [(excerpt.marked[last:], False)]


def code(value: str) -> str:
    """An inline code span that holds any text: a longer fence than any run of backticks inside."""
    value = escape_unprintable(value.replace("\n", " "))
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    # A span that starts and ends with a space (or a backtick) loses one space at each end: pad it.
    pad = " " if value[:1] == "`" or value[-1:] == "`" or (value[:1] == " " and value[-1:] == " ") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def text(value: str) -> str:
    """Plain text that Markdown must not read as markup."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escape_unprintable(value.replace("\n", " ")))


def prose(value: str) -> str:
    """A message or hint: plain text, but its `code` spans stay code."""
    return "".join(escape_unprintable(part) if _CODE_SPAN.fullmatch(part) else text(part)
                   for part in _CODE_SPAN.split(value))


def cell(value: str, escaped: bool = False) -> str:
    return (value if escaped else text(value)).replace("\n", "<br>")


# --- Mermaid ---------------------------------------------------------------------------------

def mermaid_label(value: str) -> str:
    """Text for inside a quoted Mermaid label: one line, unprintable characters shown escaped,
    Mermaid syntax and keywords as entity codes."""
    value = _MERMAID_SYNTAX.sub(lambda char: f"#{_MERMAID_NAMED.get(char[0]) or ord(char[0])};",
                                escape_unprintable(value.replace("\n", " ")))
    return _MERMAID_KEYWORD.sub(lambda word: f"#{ord(word[0][0])};{word[0][1:]}", value)


def mermaid_ids(names: list[str]) -> dict[str, str]:
    """Node id -> a Mermaid id: letters, digits and _ only, never a keyword (`end`), unique."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        prefix = "m_" if name.startswith("missing:") else "s_"
        base = prefix + _NOT_ID.sub("_", name.split(":", 1)[-1])
        candidate, number = base, 2
        while candidate in used:
            candidate, number = f"{base}_{number}", number + 1
        used.add(candidate)
        ids[name] = candidate
    return ids


def mermaid(flow: FlowAudit) -> str:
    facts = flow.facts
    ids = mermaid_ids([node.id for node in facts.nodes])
    lines = ["flowchart TD"]
    classes: dict[str, list[str]] = {}
    for node in facts.nodes:
        label = mermaid_label(node.name)
        flagged = f"{node.findings} ⚠" if node.findings else ""
        detail = " · ".join(part for part in (mermaid_label(node.summary), flagged) if part)
        small = f"<br/><small>{detail}</small>" if detail else ""
        lines.append(f'  {ids[node.id]}["{label}{small}"]')
        style = node.severity or ("missing" if node.missing else None) or (None if node.reachable else "unreachable")
        if style:
            classes.setdefault(style, []).append(ids[node.id])
    for edge in facts.edges:
        arrow = "-.->" if edge.kind in ("timeout", "unanswered", "otherwise") else "-->"
        label = f'|"{mermaid_label(edge.label)}"|' if edge.label else ""
        lines.append(f"  {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
    for style, members in classes.items():
        lines.append(f"  classDef {style} {MERMAID_CLASSES[style]}")
        lines.append(f"  class {','.join(members)} {style}")
    return "\n".join(lines) + "\n"
