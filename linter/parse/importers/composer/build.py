"""One trigger of a dialog into one flow of the model: actions into steps, begun dialogs inlined, branches,
loops and jumps into named steps."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from linter.parse.importers._source import identifier
from linter.parse.importers.composer.lg import IS_PATH, PATH
from linter.parse.importers.composer.project import Dialog, Project, as_dict, as_list
from linter.parse.importers.composer.render import MAX_DEPTH, Renderer, memory_path

INPUTS = {"Microsoft.TextInput": "text", "Microsoft.NumberInput": "number", "Microsoft.DateTimeInput": "date",
          "Microsoft.AttachmentInput": "file", "Microsoft.OAuthInput": "text", "Microsoft.ChoiceInput": None,
          "Microsoft.ConfirmInput": None}
ENDS = {"Microsoft.CancelAllDialogs", "Microsoft.CancelDialog", "Microsoft.ThrowException"}
QUIET = {"Microsoft.DeleteProperty", "Microsoft.DeleteProperties", "Microsoft.EmitEvent", "Microsoft.TraceActivity",
         "Microsoft.LogAction", "Microsoft.TelemetryTrackEventAction", "Microsoft.DebugBreak",
         "Microsoft.SignOutUser", "Microsoft.UpdateActivity", "Microsoft.DeleteActivity"}
SETS = {"Microsoft.GetConversationMembers", "Microsoft.GetActivityMembers"}
# The conversation (or call) goes to a person: what follows in the bot does not run.
HANDOFFS = {"Microsoft.SendHandoffActivity", "Microsoft.Telephony.CallTransfer"}
# Activity triggers that run on something the person did; the others (events, typing, reactions...) are `event`s.
PERSON_ACTIVITIES = {"Microsoft.OnActivity", "Microsoft.OnMessageActivity"}
# Someone joined the conversation (the welcome): the bot speaks first, nobody has written yet.
STARTS = {"Microsoft.OnConversationUpdateActivity", "Microsoft.OnMembersAddedActivity"}
LABELS = {"Microsoft.OnUnknownIntent": "unknown-intent", "Microsoft.OnConversationUpdateActivity":
          "conversation-update", "Microsoft.OnBeginDialog": "begin", "Microsoft.OnQnAMatch": "qna-match"}
MAX_STEPS = 3000  # per flow: a guard against projects that inline the same dialogs over and over
_EXISTS = re.compile(rf"^exists\(\s*({PATH})\s*\)$")
_NOT_EXISTS = re.compile(rf"^(?:!\s*exists\(\s*({PATH})\s*\)|not\(\s*exists\(\s*({PATH})\s*\)\s*\))$")
_COMPARE = re.compile(rf"""^({PATH})\s*(==|!=)\s*('[^']*'|"[^"]*"|-?\d+(?:\.\d+)?|true|false|null)$""")


@dataclass(frozen=True)
class _Ctx:
    """Where control goes from inside one (inlined) dialog."""

    dialog: Dialog
    exit: str | None  # the caller's next step when this dialog ends; None: the conversation turn ends
    start: str  # the dialog's first step (RepeatDialog)
    active: tuple[tuple[str, str], ...]  # dialogs being run: (id, start step), for recursion
    labels: dict  # action id -> step name, for GotoAction (shared by the dialog instance)
    loop: tuple[str, str] | None = None  # (head, exit) of the innermost Foreach
    events: tuple[str, ...] = ()  # event handlers being run in place (an event emitted inside its own handler)


class FlowBuilder:
    def __init__(self, project: Project, dialog: Dialog, trigger: dict, name: str) -> None:
        self.project, self.dialog, self.trigger, self.name = project, dialog, trigger, name
        self.steps: list[dict] = []
        self.missing: list[dict] = []  # what the flow names and the bot does not have (BL003)
        self.taken: set[str] = set()
        self._end: str | None = None
        self._end_span: dict = {}

    def span(self, dialog: Dialog, node: Any) -> dict:
        return dialog.source.span(node, "$kind") if isinstance(node, dict) and "$kind" in node \
            else dialog.source.span(node)

    def build(self) -> dict:
        kind = str(self.trigger.get("$kind"))
        label = trigger_label(self.trigger)
        first = identifier(label, self.taken)
        span = self.span(self.dialog, self.trigger)
        begins = kind == "Microsoft.OnBeginDialog"  # beginning this dialog again comes back here
        ctx = _Ctx(self.dialog, None, first, ((self.dialog.id.lower(), first),) if begins else (), {})
        self.block(as_list(self.trigger.get("actions")), self.add_step(first, span), None, ctx)
        if self._end and self._used(self._end):  # the shared "the turn is over" step, last
            self.add_step(self._end, self._end_span).append({"end": True, "span": self._end_span})
        event = kind == "Microsoft.OnDialogEvent" or (kind.endswith("Activity") and kind not in PERSON_ACTIVITIES)
        trigger: dict[str, Any] = {"kind": "start" if kind in STARTS else "event" if event else "message",
                                   "span": span}
        value = self.trigger.get("intent") or self.trigger.get("event")
        if isinstance(value, str) and value:
            trigger["value"] = value
        designer = as_dict(self.trigger.get("$designer")).get("name")
        flow = {"kind": "flow", "name": self.name, "title": designer if isinstance(designer, str) and designer
                else f"{self.dialog.id}: {label}", "trigger": trigger, "steps": self.steps, "span": span}
        if kind in STARTS:
            flow["description"] = ("Runs when someone joins the conversation (Composer conversation update): "
                                   "the bot speaks first.")
        if self.missing:
            flow["missing"] = self.missing
        return flow

    def _used(self, name: str) -> bool:
        return any(name in (s.get("goto"), s.get("then"), s.get("else"), s.get("otherwise"))
                   for step in self.steps for s in step["do"])

    # --- steps ---
    def add_step(self, name: str, span: dict) -> list[dict]:
        if len(self.steps) > MAX_STEPS:
            raise ValueError("too many steps (dialogs inlined too often)")
        do: list[dict] = []
        self.steps.append({"name": name, "do": do, "span": span})
        return do

    def new_name(self, label: str) -> str:
        return identifier(label, self.taken)

    def target(self, cont: str | None, ctx: _Ctx, span: dict) -> str:
        """A step name for "go on": the continuation, else the caller's, else a step that ends."""
        if cont or ctx.exit:
            return cont or ctx.exit  # type: ignore[return-value]
        if self._end is None:
            self._end = self.new_name("end")
            self._end_span = span
        return self._end

    def finish(self, do: list[dict], cont: str | None, ctx: _Ctx, span: dict) -> None:
        if cont or ctx.exit:
            do.append({"goto": cont or ctx.exit, "span": span})
        else:
            do.append({"end": True, "span": span})

    def block(self, actions: list, do: list[dict], cont: str | None, ctx: _Ctx, anchor: Any = None) -> None:
        """Compile actions into `do` (and new steps); at the end, go on to `cont`."""
        last_span = self.span(ctx.dialog, anchor if anchor is not None else self.trigger)
        for index, action in enumerate(actions):
            if not isinstance(action, dict):
                self.project.skipped["actions that are not objects"] += 1
                continue
            span = self.span(ctx.dialog, action)
            last_span = span
            label = action.get("id")
            if isinstance(label, str) and label in ctx.dialog.goto_targets:  # a GotoAction lands here
                name = ctx.labels.setdefault(label, self.new_name(label))
                do.append({"goto": name, "span": span})
                do = self.add_step(name, span)
            try:
                if self.action(action, actions[index + 1:], do, cont, ctx, span):
                    return
            except (AttributeError, KeyError, TypeError, IndexError):
                self.project.skipped[f"'{action.get('$kind')}' actions of an unexpected shape"] += 1
        self.finish(do, cont, ctx, last_span)

    def rest_step(self, rest: list, cont: str | None, ctx: _Ctx) -> tuple[str, Any]:
        """A name for the step holding the actions after a branching one (compiled by `then_rest`)."""
        if not rest:
            return self.target(cont, ctx, self.span(self.dialog, self.trigger)), None
        return self.new_name(f"{ctx.dialog.id}_next"), rest

    def then_rest(self, name: str, rest: Any, cont: str | None, ctx: _Ctx, prefix: list[dict] | None = None) -> None:
        if rest is None:
            return
        do = self.add_step(name, self.span(ctx.dialog, rest[0]))
        do.extend(prefix or [])
        self.block(rest, do, cont, ctx, rest[0])

    # --- actions ---
    def action(self, action: dict, rest: list, do: list[dict], cont: str | None, ctx: _Ctx, span: dict) -> bool:
        """Compile one action; True when it took care of the rest (a branch, a jump, an end)."""
        kind = str(action.get("$kind"))
        if kind in ("Microsoft.SendActivity", "Microsoft.Ask"):
            self.send(action, do, ctx, waits=kind == "Microsoft.Ask")
        elif kind in INPUTS:
            return self.ask(action, kind, rest, do, cont, ctx, span)
        elif kind == "Microsoft.IfCondition":
            return self.if_condition(action, rest, do, cont, ctx, span)
        elif kind == "Microsoft.SwitchCondition":
            return self.switch(action, rest, do, cont, ctx, span)
        elif kind in ("Microsoft.Foreach", "Microsoft.ForeachPage"):
            return self.foreach(action, kind, rest, do, cont, ctx, span)
        elif kind in ("Microsoft.BeginDialog", "Microsoft.ReplaceDialog"):
            return self.begin(action, kind, rest, do, cont, ctx, span)
        elif kind == "Microsoft.EditActions":
            self.block(as_list(action.get("actions")) + rest, do, cont, ctx, action)
            return True
        elif kind == "Microsoft.EndDialog":
            self.finish(do, None, ctx, span)
            return True
        elif kind in ENDS:
            do.append({"end": True, "span": span})
            return True
        elif kind == "Microsoft.RepeatDialog":
            running = any(active == ctx.dialog.id.lower() for active, _ in ctx.active)
            # From another trigger of the dialog (an interruption), the dialog starts over: its OnBeginDialog.
            if running or not self.begin({**action, "dialog": ctx.dialog.id}, "Microsoft.ReplaceDialog", rest, do,
                                         cont, ctx, span):
                do.append({"goto": ctx.start, "span": span})
            return True
        elif kind == "Microsoft.GotoAction":
            label = str(action.get("actionId"))
            do.append({"goto": ctx.labels.setdefault(label, self.new_name(label)), "span": span})
            return True
        elif kind == "Microsoft.EmitEvent" and ctx.dialog.handler(action.get("eventName")) is not None \
                and action["eventName"] not in ctx.events:
            return self.emit(action, ctx.dialog.handler(action["eventName"]), rest, do, cont, ctx)
        elif kind in ("Microsoft.BreakLoop", "Microsoft.ContinueLoop"):
            if ctx.loop:
                do.append({"goto": ctx.loop[1] if kind == "Microsoft.BreakLoop" else ctx.loop[0], "span": span})
                return True
        elif kind == "Microsoft.EndTurn":
            do.append({"wait_for_reply": None, "span": span})
        elif kind in HANDOFFS:
            team = as_dict(action.get("context")).get("queue") or as_dict(action.get("$designer")).get("name")
            do.append({"handoff": team if isinstance(team, str) and team else None, "span": span})
            return True
        elif kind == "Microsoft.SetProperty":
            self.set(action.get("property"), action.get("value"), do, span)
        elif kind == "Microsoft.SetProperties":
            assignments = as_list(action.get("assignments"))
            for index, item in enumerate(assignments):
                self.set(as_dict(item).get("property"), as_dict(item).get("value"), do,
                         ctx.dialog.source.item_span(assignments, index))
        elif kind == "Microsoft.EditArray":
            if str(action.get("changeType", "push")).lower() in ("push", "insert"):
                self.set(action.get("itemsProperty"), None, do, span)
        elif kind == "Microsoft.HttpRequest":
            do.append({"action": "webhook", "text": str(action.get("url") or "") or None, "span": span})
            self.set(action.get("resultProperty"), None, do, span)
        elif kind in SETS:
            self.set(action.get("property"), None, do, span)
        elif kind not in QUIET:
            self.project.skipped[f"actions of unsupported type '{kind}'"] += 1
        return False

    def emit(self, action: dict, handler: dict, rest: list, do: list[dict], cont: str | None, ctx: _Ctx) -> bool:
        """An event the dialog handles itself: the handler's actions run here, then the rest."""
        after, pending = self.rest_step(rest, cont, ctx) if (rest or cont or ctx.exit) else (None, None)
        inner = replace(ctx, events=ctx.events + (action["eventName"],))
        self.block(as_list(handler.get("actions")), do, after, inner, action)
        if after is not None:
            self.then_rest(after, pending, cont, ctx)
        return True

    def set(self, prop: Any, value: Any, do: list[dict], span: dict) -> None:
        if isinstance(prop, str) and memory_path(prop):
            literal = None
            if isinstance(value, (str, int, float, bool)) and not (isinstance(value, str) and value.startswith("=")):
                literal = str(value).lower() if isinstance(value, bool) else str(value)
            do.extend(self.project.filled(prop, literal, span))

    def send(self, action: dict, do: list[dict], ctx: _Ctx, waits: bool) -> None:
        """A message; with suggested actions (or as an Ask, which waits for the answer) a question."""
        message = self.project.message(action.get("activity"), ctx.dialog, action, "activity")
        if message is None or not message.text:
            if message is not None:
                self.project.skipped["activities without text (cards, attachments)"] += 1
            return
        if message.suggestions or waits:
            do.append({"ask": message.text, "replies": [{"label": label, "span": where}
                                                        for label, where in message.suggestions],
                       "span": message.span})
        else:
            do.append({"say": message.text, "span": message.span})

    def ask(self, action: dict, kind: str, rest: list, do: list[dict], cont: str | None, ctx: _Ctx,
            span: dict) -> bool:
        key = "text" if kind == "Microsoft.OAuthInput" and "prompt" not in action else "prompt"
        message = self.project.message(action.get(key), ctx.dialog, action, key)
        ask: dict[str, Any] = {"ask": message.text if message else "", "span": message.span if message else span}
        replies = self.choices(action, kind, ctx, span)
        replies += [{"label": label, "span": where} for label, where in (message.suggestions if message else [])]
        if replies:
            ask["replies"] = replies
        prop = action.get("property") or action.get("tokenProperty")
        if isinstance(prop, str) and memory_path(prop):
            ask["capture"] = self.project.var(prop)
            if INPUTS[kind]:
                ask["expect"] = INPUTS[kind]
        retry = None
        for key in ("invalidPrompt", "unrecognizedPrompt"):
            retry = retry or self.project.message(action.get(key), ctx.dialog, action, key)
        if retry is not None and " ".join(retry.text.split()) == " ".join(ask["ask"].split()):
            retry = None  # the same question again: what every input does without a retry prompt
        if retry is None or not retry.text or "capture" not in ask:
            do.append(ask)
            return False
        # A retry prompt: the answer goes on (then), anything invalid hears the retry prompt and answers again.
        after, pending = self.rest_step(rest, cont, ctx)
        retry_name = self.new_name(f"{ctx.dialog.id}_retry")
        if ask.get("replies"):  # a tapped choice fills the property too, then goes on like any answer
            chosen = self.new_name(f"{ctx.dialog.id}_chosen")
            self.add_step(chosen, span).extend([{"set": ask["capture"], "span": span}, {"goto": after, "span": span}])
            for reply in ask["replies"]:
                reply["goto"] = chosen
        do.append({**ask, "then": after, "otherwise": retry_name})
        again = {**ask, "ask": retry.text, "span": retry.span, "then": after,
                 "replies": [dict(reply) for reply in ask.get("replies", [])]}
        self.add_step(retry_name, retry.span).append(again)
        self.then_rest(after, pending, cont, ctx)
        return True

    def choices(self, action: dict, kind: str, ctx: _Ctx, span: dict) -> list[dict]:
        if kind == "Microsoft.ConfirmInput":
            custom = as_list(action.get("confirmChoices"))
            labels = [str(as_dict(c).get("value", c)) for c in custom] if custom else ["Yes", "No"]
            return [{"label": label, "span": span} for label in labels]
        if kind != "Microsoft.ChoiceInput":
            return []
        choices = as_list(action.get("choices"))  # a string here is an expression: choices known at run time
        replies = []
        for index, choice in enumerate(choices):
            value = choice if isinstance(choice, str) else as_dict(choice).get("value")
            if isinstance(value, str) and value.strip():
                text = Renderer(self.project.assigned, self.project.scope(ctx.dialog)).expand(value, {}, 0, True)
                replies.append({"label": text.strip(), "span": ctx.dialog.source.item_span(choices, index)})
        return replies

    def condition(self, expression: Any, span: dict) -> dict:
        text = str(expression).strip().lstrip("=").strip() if isinstance(expression, str) else "true"
        match = _COMPARE.match(text)
        renderer = Renderer(self.project.assigned, {})
        if match and not match[1].startswith(("#", "@", "%")):
            value = match[3]
            value = "" if value == "null" else value[1:-1] if value[0] in "'\"" else value
            name = renderer.placeholder(match[1]).strip("{}").split("|")[0]
            return {"var": name, "equals" if match[2] == "==" else "not_equals": value, "span": span}
        exists, missing = _EXISTS.match(text), _NOT_EXISTS.match(text)
        if exists or missing:  # exists(user.name): the property holds a value
            path = exists[1] if exists else missing[1] or missing[2]
            name = renderer.placeholder(path).strip("{}").split("|")[0]
            return {"var": name, "not_equals" if exists else "equals": "", "span": span}
        if IS_PATH.match(text) and not text.startswith(("#", "@", "%")) and text not in ("true", "false"):
            return {"var": renderer.placeholder(text).strip("{}").split("|")[0], "equals": "true", "span": span}
        return {"var": "condition", "equals": text, "span": span}

    def if_condition(self, action: dict, rest: list, do: list[dict], cont: str | None, ctx: _Ctx,
                     span: dict) -> bool:
        after, pending = self.rest_step(rest, cont, ctx)
        branches = []
        statement: dict[str, Any] = {"if": self.condition(action.get("condition"), span), "span": span}
        for key, label in (("actions", "then"), ("elseActions", "else")):
            actions = as_list(action.get(key))
            if actions:
                name = self.new_name(f"{ctx.dialog.id}_{label}")
                branches.append((name, actions))
                statement[label] = name
            else:
                statement[label] = after
        do.append(statement)
        for name, actions in branches:
            self.block(actions, self.add_step(name, self.span(ctx.dialog, actions[0])), after, ctx, actions[0])
        self.then_rest(after, pending, cont, ctx)
        return True

    def switch(self, action: dict, rest: list, do: list[dict], cont: str | None, ctx: _Ctx, span: dict) -> bool:
        after, pending = self.rest_step(rest, cont, ctx)
        subject = str(action.get("condition") or "").strip().lstrip("=")
        branches = []
        cases = as_list(action.get("cases"))
        for index, case in enumerate(cases):
            value = str(as_dict(case).get("value", ""))
            value = value[1:-1] if len(value) > 1 and value[0] in "'\"" and value[-1] == value[0] else value
            where = ctx.dialog.source.item_span(cases, index)
            test = self.condition(f"{subject} == '{value}'", where) if IS_PATH.match(subject) \
                else {"var": "condition", "equals": f"{subject} == {value}", "span": where}
            actions = as_list(as_dict(case).get("actions"))
            name = self.new_name(f"{ctx.dialog.id}_case_{value}") if actions else after
            do.append({"if": test, "then": name, "span": where})
            if actions:
                branches.append((name, actions))
        default = as_list(action.get("default"))
        if default:
            name = self.new_name(f"{ctx.dialog.id}_default")
            branches.append((name, default))
            do.append({"goto": name, "span": span})
        else:
            do.append({"goto": after, "span": span})
        for name, actions in branches:
            self.block(actions, self.add_step(name, self.span(ctx.dialog, actions[0])), after, ctx, actions[0])
        self.then_rest(after, pending, cont, ctx)
        return True

    def foreach(self, action: dict, kind: str, rest: list, do: list[dict], cont: str | None, ctx: _Ctx,
                span: dict) -> bool:
        after, pending = self.rest_step(rest, cont, ctx)
        head, body = self.new_name(f"{ctx.dialog.id}_loop"), self.new_name(f"{ctx.dialog.id}_loop_body")
        items = str(action.get("itemsProperty") or "items")
        do.append({"goto": head, "span": span})
        self.add_step(head, span).append({"if": {"var": "condition", "equals": f"next item of {items}", "span": span},
                                          "then": body, "else": after, "span": span})
        body_do = self.add_step(body, span)
        keys = (("page", "dialog.foreach.page"),) if kind == "Microsoft.ForeachPage" else \
            (("index", "dialog.foreach.index"), ("value", "dialog.foreach.value"))
        for key, default in keys:  # the loop fills its variables
            body_do.append({"set": self.project.var(str(action.get(key) or default)), "span": span})
        self.block(as_list(action.get("actions")), body_do, head, replace(ctx, loop=(head, after)), action)
        self.then_rest(after, pending, cont, ctx)
        return True

    def begin(self, action: dict, kind: str, rest: list, do: list[dict], cont: str | None, ctx: _Ctx,
              span: dict) -> bool:
        ref = action.get("dialog")
        if not isinstance(ref, str) or ref.startswith("="):
            self.project.skipped["dialogs begun by an expression or inline object"] += 1
            return False
        child = self.project.find(ref)
        if child is None:  # a bug in the bot, reported by BL003; the rest is still read and linted
            if ref.lower() not in self.project.unreadable:
                self.missing.append({"kind": "flow", "name": f"{ref}.dialog",
                                     "span": ctx.dialog.source.span(action, "dialog")})
            return False
        for active_id, start in ctx.active:
            if active_id == child.id.lower():  # a dialog begun again from inside itself: back to its start
                do.append({"goto": start, "span": span})
                return True
        begin = next((t for t in as_list(child.data.get("triggers"))
                      if as_dict(t).get("$kind") == "Microsoft.OnBeginDialog"), None)
        if begin is None or len(ctx.active) > MAX_DEPTH:
            return False  # it waits for its own triggers, which are flows of their own
        if kind == "Microsoft.ReplaceDialog":
            after, pending, exit_to = None, None, ctx.exit
        else:
            after, pending = self.rest_step(rest, cont, ctx) if (rest or cont or ctx.exit) else (None, None)
            exit_to = after
        result = action.get("resultProperty") if kind == "Microsoft.BeginDialog" else None
        returned = None  # the BeginDialog is its block's last action: its result is stored on the way on
        if isinstance(result, str) and memory_path(result) and after is not None and pending is None:
            returned = exit_to = self.new_name(f"{ctx.dialog.id}_returned")
        start = self.new_name(child.id)
        do.append({"goto": start, "span": span})
        child_do = self.add_step(start, self.span(child, begin))
        options = as_dict(action.get("options"))
        for key in options:  # the caller's options fill the child's dialog.<key>
            child_do.extend(self.project.filled(f"dialog.{key}", None, ctx.dialog.source.span(options, key)))
        child_ctx = _Ctx(child, exit_to, start, ctx.active + ((child.id.lower(), start),), {})
        self.block(as_list(begin.get("actions")), child_do, None, child_ctx, begin)
        if kind == "Microsoft.BeginDialog" and pending is not None and after is not None:
            prefix = self.project.filled(result, None, span) if isinstance(result, str) else []
            self.then_rest(after, pending, cont, ctx, prefix)
        elif returned is not None:
            self.add_step(returned, span).extend(self.project.filled(result, None, span)
                                                 + [{"goto": after, "span": span}])
        return True


def trigger_label(trigger: dict) -> str:
    """What a trigger reacts to, for flow and step names: the intent, else the kind of trigger."""
    kind = str(trigger.get("$kind"))
    if kind == "Microsoft.OnIntent" and trigger.get("intent"):
        return str(trigger["intent"])
    return LABELS.get(kind) or kind.rsplit(".", 1)[-1].removeprefix("On")
