"""The questions rules keep asking of a flow, answered once.

A flow is compiled into a flat program: each step's statements in order
(follow-up bodies inlined), so falling off the end of a step continues with
the next step. A forward data-flow pass over that program then tells, for
every statement, whether the person can have replied yet, who spoke last,
and how much time can have passed since the trigger and since the person's
last message (as [min, max] seconds; max may be infinite).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any, Iterator, NamedTuple

from linter.model.flow import (
    Action, Ask, Branch, End, Flow, FollowUp, Goto, Handoff, Say, SetVariable, Step, Statement, TriggerKind,
    Wait, WaitForReply, WaitUntil, duration_seconds, time_minutes,
)

INF = float("inf")
DAY = 86400
# A bot message after at least this long without an answer is a new "touch" (a follow-up);
# shorter pauses (typing delays, "wait 5s" between bubbles) only pace one message burst.
TOUCH_GAP = 3600

# Triggers where the person has just written or interacted: their "last message" is the trigger.
# `start` too: opening a chat widget or pressing "Get Started" opens Messenger's 24-hour window,
# and the bot's first messages answer that act; they are still before the person's first reply.
USER_INITIATED = {TriggerKind.message, TriggerKind.comment, TriggerKind.opt_in, TriggerKind.start}


class Reference(NamedTuple):
    """A place in a flow that names a step."""

    node: Statement | object
    field: str  # the key that holds the name: goto, then, else, on_timeout
    target: str


class Edge(NamedTuple):
    source: str  # step name
    target: str | None  # None: the name is not a step of this flow
    kind: str  # next, goto, reply, button, capture, otherwise, timeout, then, else, unanswered
    user_replied: bool  # taking this edge means the person said something


@dataclass
class _Instr:
    node: Statement | None  # None: the end of the program (falling off the last step)
    step: str
    index: int


@dataclass
class Timing:
    """When a statement can run, over every path that reaches it."""

    before_first_reply: bool = False  # on some path the person has not replied since the trigger
    after_reply: bool = False  # on some path the person has replied
    user_silent_path: bool = False  # on some path the person never wrote at all (cold outreach)
    since_trigger: tuple[float, float] = (INF, 0.0)
    since_user: tuple[float, float] = (INF, 0.0)  # only over paths where the person wrote
    bot_streak: int = 0  # most bot messages in a row up to and including this one
    # Follow-ups: a message sent after a wait, to a person who has not answered the previous one.
    followup_number: int = 0  # the most follow-ups this message can be (0: not a follow-up)
    gap_before: tuple[float, float] = (INF, 0.0)  # time since the previous unanswered touch
    # What the person last said, over all paths: ("trigger", keywords), ("reply", label),
    # ("button", label), ("capture", variable), ("otherwise", ""), ("answer", "").
    last_inputs: frozenset[tuple[str, Any]] = frozenset()
    captured: frozenset[str] | None = None  # variables captured on every path before this point
    after_call: bool = True  # on every path, a webhook (code that may fill any variable) ran before
    question_number: int = 0  # for a question: the fewest questions asked before it, plus one

    def merge(self, state: _State, touch_after: _State | None = None) -> None:
        """Add one path's state at this point; for a message that is a new touch, `touch_after`
        is the state it leaves behind, and `state` (before it) says which follow-up it is."""
        if state.replied:
            self.after_reply = True
        else:
            self.before_first_reply = True
        if state.since_user is None:
            self.user_silent_path = True
        else:
            self.since_user = _hull(self.since_user, state.since_user)
        self.since_trigger = _hull(self.since_trigger, state.since_trigger)
        self.bot_streak = max(self.bot_streak, state.streak)
        if touch_after is not None and state.touches > 0 and state.since_touch is not None:
            self.followup_number = max(self.followup_number, state.touches)
            self.gap_before = _hull(self.gap_before, state.since_touch)
        self.last_inputs = self.last_inputs | state.last_inputs
        self.captured = state.captured if self.captured is None else self.captured & state.captured
        self.after_call = self.after_call and state.called_out
        self.question_number = state.asked + 1 if not self.question_number else min(self.question_number,
                                                                                       state.asked + 1)


def _hull(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return (min(a[0], b[0]), max(a[1], b[1]))


def _add(interval: tuple[float, float], low: float, high: float) -> tuple[float, float]:
    return (interval[0] + low, interval[1] + high)


def _join(a: tuple[float, float] | None, b: tuple[float, float] | None) -> tuple[float, float] | None:
    if a is None or b is None:
        return a or b
    return _hull(a, b)


class _State(NamedTuple):  # a tuple: created thousands of times per flow, so cheap to copy
    replied: bool
    since_trigger: tuple[float, float]
    since_user: tuple[float, float] | None  # None: the person has not written on this path
    streak: int = 0  # bot messages in a row
    touches: int = 0  # separate unanswered touches since the person last wrote
    since_touch: tuple[float, float] | None = None  # time since the last of those touches
    waited: float = 0.0  # the longest silence since the last bot message
    last_inputs: frozenset[tuple[str, Any]] = frozenset()
    captured: frozenset[str] = frozenset()  # must-information: joined by intersection
    asked: int = 0  # questions asked so far (the fewest over joined paths)
    called_out: bool = False  # a webhook ran on this path (joined by AND)

    def key(self) -> tuple[bool, bool]:
        return (self.replied, self.since_user is not None)

    def elapse(self, low: float, high: float) -> _State:
        return self._replace(since_trigger=_add(self.since_trigger, low, high),
                       since_user=None if self.since_user is None else _add(self.since_user, low, high),
                       since_touch=None if self.since_touch is None else _add(self.since_touch, low, high),
                       waited=max(self.waited, low))

    def user_writes(self, said: tuple[str, Any], within: float = INF, captures: str | None = None) -> _State:
        """The person answers (`said`), some time between now and `within` later."""
        captured = self.captured | {captures} if captures else self.captured
        return _State(True, _add(self.since_trigger, 0, within), (0.0, 0.0), last_inputs=frozenset([said]),
                      captured=captured, asked=self.asked, called_out=self.called_out)

    def bot_says(self) -> tuple[_State, bool]:
        """The state after a bot message, and whether that message is a new touch."""
        touch = self.touches == 0 or self.waited >= TOUCH_GAP
        return self._replace(streak=min(self.streak + 1, _STREAK_CAP),
                       touches=min(self.touches + 1, _STREAK_CAP) if touch else self.touches,
                       since_touch=(0.0, 0.0) if touch else self.since_touch, waited=0.0), touch

    def join(self, other: _State) -> _State:
        return _State(self.replied, _hull(self.since_trigger, other.since_trigger),
                      _join(self.since_user, other.since_user), max(self.streak, other.streak),
                      max(self.touches, other.touches), _join(self.since_touch, other.since_touch),
                      max(self.waited, other.waited), self.last_inputs | other.last_inputs,
                      self.captured & other.captured, min(self.asked, other.asked),
                      self.called_out and other.called_out)

    def widen(self, newer: _State) -> _State:
        """Whatever still grows after many revisits (a loop) jumps to its limit."""
        def grow(old, new):
            if old is None or new is None:
                return new
            return (new[0], INF if new[1] > old[1] else new[1])

        return newer._replace(since_trigger=grow(self.since_trigger, newer.since_trigger),
                       since_user=grow(self.since_user, newer.since_user),
                       since_touch=grow(self.since_touch, newer.since_touch),
                       streak=_STREAK_CAP if newer.streak > self.streak else newer.streak,
                       touches=_STREAK_CAP if newer.touches > self.touches else newer.touches)


_WIDEN_AFTER = 12  # revisits of one point before growing intervals jump to infinity
_STREAK_CAP = 50


@dataclass
class FlowAnalysis:
    flow: Flow
    steps: dict[str, Step] = field(default_factory=dict)
    duplicate_steps: list[Step] = field(default_factory=list)
    _program: list[_Instr] = field(default_factory=list)
    _entry: dict[str, int] = field(default_factory=dict)
    _timing: dict[int, Timing] = field(default_factory=dict)
    _reached: set[int] = field(default_factory=set)
    _successors: dict[str, list[Edge]] = field(default_factory=dict)
    # Facts a rule family derives from this analysis, kept for the family's other rules.
    derived: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for step in self.flow.steps:
            if step.name in self.steps:
                self.duplicate_steps.append(step)
            else:
                self.steps[step.name] = step
        for step in self.flow.steps:
            first = len(self._program)
            self._program.extend(_Instr(node, step.name, 0) for node in _flatten(step.do))
            self._entry.setdefault(step.name, first)
        self._program.append(_Instr(None, "", 0))
        for index, instr in enumerate(self._program):
            instr.index = index
        self._run()

    # --- structure -------------------------------------------------------------
    @property
    def entry(self) -> Step | None:
        return self.flow.steps[0] if self.flow.steps else None

    def references(self) -> Iterator[Reference]:
        """Every place that names a step, in source order."""
        for step in self.flow.steps:
            yield from _references(step.do)

    def successors(self, step_name: str) -> list[Edge]:
        cached = self._successors.get(step_name)
        if cached is None:
            cached = self._successors[step_name] = self._edges_from(step_name)
        return list(cached)

    def _edges_from(self, step_name: str) -> list[Edge]:
        edges: list[Edge] = []
        start = self._entry.get(step_name)
        if start is None:
            return edges
        for index in range(start, len(self._program)):  # not a slice: that copies the rest of the flow
            instr = self._program[index]
            if instr.step != step_name:
                break
            for target, kind, replied in _jumps(instr.node):
                edges.append(Edge(step_name, target if target in self.steps else None, kind, replied))
            if not _falls_through(instr.node):
                return edges
        following = self._program[self._step_end(start)]
        if following.node is not None:
            edges.append(Edge(step_name, following.step, "next", False))
        return edges

    def falls_off_end(self) -> Statement | None:
        """The statement after which a reachable path runs off the end of the flow, if any."""
        if len(self._program) - 1 not in self._reached or len(self._program) < 2:
            return None
        return self._program[-2].node

    def step_cycles(self) -> list[list[str]]:
        """Sets of steps that can lead back to themselves (strongly connected, with a cycle), in source order."""
        if "step_cycles" not in self.derived:
            self.derived["step_cycles"] = self._step_cycles()
        return [list(cycle) for cycle in self.derived["step_cycles"]]

    def _step_cycles(self) -> list[list[str]]:
        order = [step.name for step in self.flow.steps if step.name in self.steps and step is self.steps[step.name]]
        position = {name: number for number, name in enumerate(order)}
        graph = {name: [e.target for e in self.successors(name) if e.target in position] for name in order}
        components = [sorted(component, key=position.__getitem__) for component in strongly_connected(order, graph)
                      if len(component) > 1 or component[0] in graph[component[0]]]
        return sorted(components, key=lambda component: position[component[0]])

    def reachable_steps(self) -> set[str]:
        return {name for name, index in self._entry.items() if index in self._reached and self._program[index].node}

    def _step_end(self, start: int) -> int:
        index = start
        while self._program[index].node is not None and self._program[index].step == self._program[start].step:
            index += 1
        return index

    # --- time and turn-taking ----------------------------------------------------
    def timing(self, node: Statement) -> Timing | None:
        """When `node` can run; None if no path reaches it."""
        return self._timing.get(id(node))

    def messages_before_first_reply(self) -> list[Say]:
        return [instr.node for instr in self._program
                if isinstance(instr.node, Say) and (t := self.timing(instr.node)) and t.before_first_reply]

    def outgoing_messages(self) -> Iterator[tuple[Say, Timing]]:
        for instr in self._program:
            if isinstance(instr.node, Say) and (timing := self.timing(instr.node)):
                yield instr.node, timing

    @property
    def _window_delay(self) -> float:
        """The longest a send window can hold a message back (0 without a window)."""
        window = self.flow.window
        if window is None:
            return 0.0
        open_minutes = (time_minutes(window.end) - time_minutes(window.start)) % (24 * 60)
        return float((24 * 60 - open_minutes) * 60) if open_minutes else 0.0

    def _run(self) -> None:
        trigger = self.flow.trigger
        person_wrote = trigger is not None and trigger.kind in USER_INITIATED
        initial = _State(False, (0.0, 0.0), (0.0, 0.0) if person_wrote else None,
                         last_inputs=frozenset([("trigger", tuple(trigger.keywords))]) if person_wrote else frozenset())
        seen: dict[tuple[int, tuple[bool, bool]], _State] = {}
        visits: dict[tuple[int, tuple[bool, bool]], int] = {}
        # Worklist in program order; arrivals at a point that is already waiting are joined first,
        # so each point is re-run once per change rather than once per path that reaches it.
        pending: dict[tuple[int, tuple[bool, bool]], _State] = {}
        queue: list[tuple[int, tuple[bool, bool]]] = []

        def arrive(index: int, state: _State) -> None:
            key = (index, state.key())
            if key in pending:
                waiting = pending[key]
                pending[key] = waiting if waiting == state else waiting.join(state)
            else:
                pending[key] = state
                heapq.heappush(queue, key)

        arrive(0, initial)
        while queue:
            key = heapq.heappop(queue)
            index = key[0]
            state = pending.pop(key)
            old = seen.get(key)
            if old is not None:
                merged = old if old == state else old.join(state)
                if merged == old:
                    continue
                visits[key] = visits.get(key, 0) + 1
                if visits[key] > _WIDEN_AFTER:
                    merged = old.widen(merged)
                state = merged
            seen[key] = state
            self._reached.add(index)
            for next_index, next_state in self._step(self._program[index], state):
                arrive(next_index, next_state)
        # States only grow as they are joined, so the final state of each point says all there is.
        for (index, _), state in seen.items():
            self._record(self._program[index].node, state)

    def _record(self, node: Statement | None, state: _State) -> None:
        if node is None:
            return
        if isinstance(node, Say):
            after, touch = state.bot_says()
            # A send window can hold a message back until it opens: record the worst case,
            # without carrying it forward (once the window is open, the next messages go at once).
            before = state.elapse(0, self._window_delay) if self._window_delay else state
            self._timing.setdefault(id(node), Timing()).merge(before._replace(streak=after.streak),
                                                             after if touch else None)
        else:
            self._timing.setdefault(id(node), Timing()).merge(state)

    def _target(self, name: str | None) -> int | None:
        return self._entry.get(name) if name else None

    def _step(self, instr: _Instr, state: _State) -> Iterator[tuple[int, _State]]:
        node, following = instr.node, instr.index + 1
        if node is None:
            return
        if isinstance(node, Say):
            yield following, state.bot_says()[0]
            return
        if isinstance(node, Ask):
            state = state._replace(asked=state.asked + 1)
            for option, kind in ([(o, "reply") for o in node.replies] + [(o, "button") for o in node.buttons]
                                 + [(o, "row") for o in node.rows]):
                target = self._target(option.goto)
                if target is not None:
                    yield target, state.user_writes((kind, option.label))
            if node.capture:
                answered = state.user_writes(("capture", node.capture), captures=node.capture)
                target = self._target(node.then) if node.then else following
                if target is not None:
                    yield target, answered
            if node.otherwise and (target := self._target(node.otherwise)) is not None:
                yield target, state.user_writes(("otherwise", ""))
            if _falls_through(node) and not node.capture:
                yield following, state.user_writes(("answer", ""))
        elif isinstance(node, Wait):
            seconds = duration_seconds(node.wait)
            yield following, state.elapse(seconds, seconds)
        elif isinstance(node, WaitUntil):
            yield following, state.elapse(0, DAY)
        elif isinstance(node, WaitForReply):
            timeout = duration_seconds(node.wait_for_reply) if node.wait_for_reply else INF
            yield following, state.user_writes(("answer", ""), timeout, captures=node.capture)
            target = self._target(node.on_timeout)
            if node.wait_for_reply and target is not None:
                yield target, state.elapse(timeout, timeout)
        elif isinstance(node, FollowUp):
            seconds = duration_seconds(node.followup_after)
            yield following, state.elapse(seconds, seconds)  # a reply ends the sequence instead
        elif isinstance(node, Handoff):
            target = self._target(node.on_timeout)
            if target is not None:
                sla = duration_seconds(node.sla) if node.sla else INF
                # Nobody from the team answered: the person is waiting for us, not ignoring us, so
                # what the bot says then answers that wait and is no unanswered follow-up.
                yield target, state.elapse(sla, sla)._replace(touches=0, since_touch=None)
        elif isinstance(node, (Branch, Goto)):
            held = _holds_value(node)
            for name, kind, _ in _jumps(node):
                target = self._target(name)
                if target is not None:
                    # `if x != ""`: on its then-branch x has a value (also on the else-branch of `if x == ""`)
                    known = held is not None and kind == held[1]
                    yield target, state._replace(captured=state.captured | {held[0]}) if known else state
            if _falls_through(node):
                known = held is not None and held[1] == "else"
                yield following, state._replace(captured=state.captured | {held[0]}) if known else state
        elif isinstance(node, SetVariable):
            yield following, state._replace(captured=state.captured | {node.set})
        elif isinstance(node, Action):
            if node.action.value == "webhook" and not state.called_out:
                state = state._replace(called_out=True)
            yield following, state
        # End: nothing follows


def strongly_connected(order: list[str], graph: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of `graph` (every node in `order`; edges to nodes of `order`).

    Tarjan's algorithm with an explicit stack: a flow may have 10,000 steps in a chain, far deeper
    than Python's recursion limit."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in order:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            name, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                    break
                if target in on_stack:
                    low[name] = min(low[name], index[target])
            else:  # every successor seen: close `name`
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[name])
                if low[name] == index[name]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == name:
                            break
                    components.append(component)
    return components


def _flatten(statements: list[Statement]) -> Iterator[Statement]:
    for statement in statements:
        yield statement
        if isinstance(statement, FollowUp):
            yield from _flatten(statement.do)


def _jumps(node: Statement | None) -> Iterator[tuple[str, str, bool]]:
    """(target step, edge kind, whether the person spoke) for each jump a statement can take."""
    if isinstance(node, Ask):
        for option in node.replies:
            if option.goto:
                yield option.goto, "reply", True
        for option in node.buttons:
            if option.goto:
                yield option.goto, "button", True
        for option in node.rows:
            if option.goto:
                yield option.goto, "row", True
        if node.then:
            yield node.then, "capture", True
        if node.otherwise:
            yield node.otherwise, "otherwise", True
    elif isinstance(node, Branch):
        yield node.then, "then", False
        if node.else_:
            yield node.else_, "else", False
    elif isinstance(node, Goto):
        yield node.goto, "goto", False
    elif isinstance(node, WaitForReply) and node.on_timeout:
        yield node.on_timeout, "timeout", False
    elif isinstance(node, Handoff) and node.on_timeout:
        yield node.on_timeout, "unanswered", False


# What an unset variable compares equal to, across platforms (JavaScript, Python, Dialogflow, Composer).
NO_VALUE = {"", "null", "undefined", "none", "nil"}


def _holds_value(node: Statement) -> tuple[str, str] | None:
    """(variable, edge) where a branch proves a variable holds a value: the then-edge of `x != ""`
    or `x == "vip"`, the else-edge (or fall-through) of `x == ""` or `x != "vip"`."""
    test = node.if_ if isinstance(node, Branch) else None
    if test is None or test.var is None:
        return None
    compared = test.equals if test.equals is not None else test.not_equals
    if compared is None:
        return None
    unset = compared.strip().lower() in NO_VALUE
    return test.var, "then" if (test.equals is not None) != unset else "else"


def _falls_through(node: Statement | None) -> bool:
    """Whether control can continue with the next statement."""
    if node is None or isinstance(node, (Goto, End, Handoff)):
        return False
    if isinstance(node, Branch):
        return node.else_ is None
    if isinstance(node, Ask):
        routed = any(option.goto for option in node.replies + node.buttons + node.rows) or node.otherwise
        return bool(node.capture and not node.then) or not routed
    return True


def _references(statements: list[Statement]) -> Iterator[Reference]:
    for node in statements:
        if isinstance(node, Ask):
            for option in node.replies + node.buttons + node.rows:
                if option.goto:
                    yield Reference(option, "goto", option.goto)
            if node.then:
                yield Reference(node, "then", node.then)
            if node.otherwise:
                yield Reference(node, "otherwise", node.otherwise)
        elif isinstance(node, FollowUp):
            yield from _references(node.do)
        else:
            for target, kind, _ in _jumps(node):
                field_name = {"then": "then", "else": "else", "goto": "goto", "timeout": "on_timeout",
                              "unanswered": "on_timeout"}[kind]
                yield Reference(node, field_name, target)


def walk_statements(flow: Flow) -> Iterator[Statement]:
    """Every statement of a flow in source order, follow-up bodies included."""
    cached = _STATEMENTS.get(id(flow))
    if cached is None or cached[0] is not flow:
        if len(_STATEMENTS) > 1024:  # many rules walk the same flow: keep the last few
            _STATEMENTS.clear()
        cached = _STATEMENTS[id(flow)] = (flow, tuple(node for step in flow.steps for node in _flatten(step.do)))
    return iter(cached[1])


_STATEMENTS: dict[int, tuple[Flow, tuple[Statement, ...]]] = {}


class BotText(NamedTuple):
    node: Statement  # where a finding about this text points
    text: str
    kind: str  # say, ask, tell, off_hours, option, action


def bot_texts(flow: Flow, options: bool = False) -> Iterator[BotText]:
    """Every text the bot sends, in source order: messages, questions, what a handoff tells the
    person, and the text of actions (comments, posts, connection notes). Reply and button labels
    only with `options=True`."""
    key = (id(flow), options)
    cached = _BOT_TEXTS.get(key)
    if cached is None or cached[0] is not flow:
        if len(_BOT_TEXTS) > 1024:  # most rules ask for the same flow's texts: keep the last few
            _BOT_TEXTS.clear()
        cached = _BOT_TEXTS[key] = (flow, tuple(_bot_texts(flow, options)))
    return iter(cached[1])


_BOT_TEXTS: dict[tuple[int, bool], tuple[Flow, tuple[BotText, ...]]] = {}


def forget_documents() -> None:
    """Drop the per-flow caches once a document is linted: they would keep its model alive; and
    what was worked out about its texts (linter.model.text.forget_texts)."""
    from linter.model.text import forget_texts

    _STATEMENTS.clear()
    _BOT_TEXTS.clear()
    forget_texts()


def _bot_texts(flow: Flow, options: bool) -> Iterator[BotText]:
    for statement in walk_statements(flow):
        if isinstance(statement, Say):
            yield BotText(statement, statement.say, "say")
        elif isinstance(statement, Ask):
            yield BotText(statement, statement.ask, "ask")
            if options:
                for option in statement.replies + statement.buttons + statement.rows:
                    yield BotText(option, option.label, "option")
        elif isinstance(statement, Handoff):
            if statement.tell:
                yield BotText(statement, statement.tell, "tell")
            if statement.off_hours:
                yield BotText(statement, statement.off_hours, "off_hours")
        elif isinstance(statement, Action) and statement.text and statement.action.value in (
                "message", "comment", "post", "connect", "invite", "email"):
            yield BotText(statement, statement.text, "action")


def walk_step(step: Step) -> Iterator[Statement]:
    """A step's statements in order, follow-up bodies included."""
    return _flatten(step.do)
