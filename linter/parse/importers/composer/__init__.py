"""Bot Framework Composer bots (a folder: `<bot>.dialog` beside `dialogs/` or `language-generation/`).

Composer keeps the conversation in adaptive dialogs (`*.dialog`, JSON: `triggers[]`, each with
`actions[]`) and the bot's words in Language Generation files (`*.lg`: `# Template` headers followed
by `- variation` lines, IF/SWITCH blocks or structured `[Activity ...]` bodies). The bot folder is read
as one unit, so references between files (BeginDialog, `${Template()}`, `[import]`) resolve.

Flows. Every trigger is a flow of its own, named `<dialog>-<intent>` (`-unknown-intent`,
`-conversation-update`, `-begin`...) with trigger `message` (the intent as its value; `event` for event,
typing or reaction activities): each trigger runs on a message of the person, and afterwards the runtime waits
for the next one, so a trigger's actions end with `end`. A conversation update is the bot greeting someone who
joined: trigger `start`, the bot speaks first (the person has said nothing yet). An EmitEvent runs the
emitting dialog's OnDialogEvent handler of that event in place (the runtime inserts the handler's actions
before the rest), so such a handler is no flow of its own. BeginDialog is a call, so the begun dialog's
OnBeginDialog actions are inlined at the call (steps named after that dialog) and its end returns to the
caller's next action: questions, captures and turn-taking are seen as the person lives them. A dialog nobody
begins gets a flow of its own; a dialog begun again from inside itself jumps back to its start; the other
triggers of a begun dialog (its interruptions) are flows of their own. ReplaceDialog is inlined the same way,
returning where the replaced one would.

Actions. SendActivity -> say (with suggested actions, or Ask: an ask with those replies); Text/Number/
DateTime/Attachment/OAuth input -> ask with capture of its `property`; ChoiceInput -> the same with its
choices as replies; ConfirmInput -> with Yes/No. An input's invalid or unrecognized prompt is a retry step
(the question's `otherwise`; then the answer goes on via `then`, a tapped choice too); one that repeats the
question word for word is the input's plain re-ask, as without one (no second message). IfCondition and
SwitchCondition -> steps with `if` (one comparison of a property -> var/equals, `exists(x)` -> x not_equals
"", anything else kept as `condition == "<expression>"`); Foreach/ForeachPage -> a loop step (`if` more items
-> body, else on), Break/ContinueLoop -> goto; GotoAction -> goto the step cut at the action it names;
RepeatDialog -> goto the dialog's start (from an interruption trigger: the dialog's OnBeginDialog actions,
inlined); EndDialog -> back to the caller (end at the top); CancelAllDialogs/CancelDialog/ThrowException ->
end; EndTurn -> wait for reply (not end: the runtime resumes after it on the next message);
SendHandoffActivity and Telephony.CallTransfer -> handoff (team: its queue or designer name; what follows is
not run); EmitEvent of an event the dialog handles -> that handler's actions, then the rest;
SetProperty/SetProperties/EditArray push/BeginDialog options and result -> set, so later placeholders of those
properties (and of the fields under them) count as filled; HttpRequest -> action webhook and a set of its
result; EditActions -> its actions. Logging, tracing and deleting properties are skipped quietly; other
actions (skills, custom actions...) with one notice per kind.

Texts. A template is looked up in the dialog's own .lg file, its imports, then any .lg file of the bot's
language (settings' defaultLanguage, else en-us, else the most common locale; it is the flows' language). The
first variation is taken (of an IF/SWITCH, the first branch's). A card (`[HeroCard ...]`, `[ThumbnailCard
...]`...) says its title, subtitle and text as separate paragraphs (a blank line between), not as one
sentence. `${user.name}` becomes the placeholder `{user_name}`, named like the captures and sets so BL109
knows when it is filled (a deeper path names the filled property it starts with); platform values (this.value,
turn.activity...) and computed expressions get a fallback (`{count_user_todos|N}`): they are never empty.
Findings on a text point at its `- variation` line in the .lg file (through templates that only call another);
inline texts point into the .dialog. `> botlint: disable-next-line=CODE` comments in .lg files work as
suppressions. Recognizer stubs (`*.lu.dialog`, `*.qna.dialog`) are skipped silently. Composer has no channel,
audience or schedule.

Broken input. A .dialog that is not JSON, or a value of the wrong JSON type where the format fixes one
(`"actions": "none"`, a trigger that is not an object), is an error at its position; the rest is still read.

Modules, each importing only those after it: `build` (a trigger into a flow), `project` (the bot folder read),
`render` (LG templates into texts), `lg` (the .lg format and expression syntax).
"""

from __future__ import annotations

from pathlib import Path

from linter.parse.importers import Importer, ImportResult, needs_folder
from linter.parse.importers._source import identifier
from linter.parse.importers.composer.build import FlowBuilder, trigger_label
from linter.parse.importers.composer.project import Project, as_list, claims_folder


def load(path: Path, display: str) -> ImportResult:
    result = ImportResult(data={"flows": []}, files=0)
    project = Project(path, display, result)
    project.read()
    language = project.locale.split("-")[0].lower() if project.locale else None
    taken: set[str] = set()
    for dialog in project.dialogs.values():
        for trigger in as_list(dialog.data.get("triggers")):
            if not isinstance(trigger, dict) or not as_list(trigger.get("actions")):
                continue  # nothing to say or do
            if trigger.get("$kind") == "Microsoft.OnBeginDialog" and dialog.id in project.begun:
                continue  # inlined where the dialog is begun
            if trigger.get("$kind") == "Microsoft.OnDialogEvent" and trigger.get("event") in dialog.emitted:
                continue  # run in place where the dialog emits its event
            try:
                name = identifier(f"{dialog.id}-{trigger_label(trigger)}", taken)
                flow = FlowBuilder(project, dialog, trigger, name).build()
            except Exception as error:  # noqa: BLE001 - one odd trigger must not stop the others
                span = dialog.source.span(trigger)
                project.error(f"cannot read trigger '{trigger.get('$kind')}' ({error})", dialog.source.display, span)
                continue
            if language:
                flow["language"] = language
            result.data["flows"].append(flow)
    result.notices.extend(f"composer: skipped {count} {what} in {display}"
                          for what, count in sorted(project.skipped.items()))
    return result


IMPORTER = Importer(
    name="composer",
    description="Bot Framework Composer bot folder (adaptive .dialog files and .lg language generation)",
    load=load,
    claims_folder=claims_folder,
    refuses=needs_folder("a Bot Framework Composer bot",
                         "a folder with <bot>.dialog beside dialogs/ or language-generation/",
                         lambda folder: any(folder.glob("*.dialog")) or (folder / "dialogs").is_dir()),
)
