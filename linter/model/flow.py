"""The flow model: one pydantic model that every input format maps into.

The YAML form of a flow is exactly this model's input shape (minus source
spans), so the JSON Schema generated from it validates YAML flows in editors.
"""

import re
from enum import Enum
from typing import Annotated, Any, Literal, NamedTuple, Union

from pydantic import (
    AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationInfo, model_validator)


class Span(NamedTuple):
    """Where a node sits in its source file (1-based lines and columns). A tuple, not a model: every
    node has one, and a model instance costs about four times the memory (validated alike, from the
    readers' dicts, unknown keys refused)."""

    line: int
    col: int
    end_line: int
    end_col: int
    file: str | None = None  # set when a flow is imported from several files (a project folder)


IMPORTED = "imported"  # the validation context key importers pass: they may set importer-only facts


def _importer_only(data: Any, info: ValidationInfo, keys: tuple[str, ...]) -> Any:
    """Facts only an importer knows (a flow's origin, what it names but lacks, a handoff code makes)
    are refused in a flow file, as any unknown key is."""
    if isinstance(data, dict) and not (info.context or {}).get(IMPORTED):
        for key in keys:
            if key in data:
                raise ValueError(f"unknown key '{key}'")
    return data


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)
    # Positions are kept out of dumps (and out of the JSON Schema, see
    # linter.model.schema): they are facts about the file, not part of the flow.
    span: Span | None = Field(default=None, exclude=True, repr=False)


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION_RE = re.compile(r"^([0-9]+)([smhdw])$")
_TIME_RE = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")


def _check_duration(text: str) -> str:
    if not _DURATION_RE.match(text):
        raise ValueError(f"'{text}' is not a duration: use a number and a unit s, m, h, d or w, e.g. 30m, 2d")
    return text


def _check_time(text: str) -> str:
    match = _TIME_RE.match(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"'{text}' is not a time of day: use HH:MM, 00:00 to 23:59")
    return f"{int(match[1]):02d}:{match[2]}"


Duration = Annotated[str, AfterValidator(_check_duration), Field(json_schema_extra={"pattern": _DURATION_RE.pattern})]
TimeOfDay = Annotated[str, AfterValidator(_check_time), Field(json_schema_extra={"pattern": _TIME_RE.pattern})]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_\-]*$")]
# Variables may be namespaced by their platform (user.nickname, session.order_id), as in placeholders.
VariableName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_.\-]*$")]


def duration_seconds(duration: str) -> int:
    match = _DURATION_RE.match(duration)
    assert match, duration
    return int(match[1]) * _UNITS[match[2]]


def time_minutes(time_of_day: str) -> int:
    hours, minutes = time_of_day.split(":")
    return int(hours) * 60 + int(minutes)


class Channel(str, Enum):
    messenger = "messenger"
    instagram = "instagram"
    whatsapp = "whatsapp"
    telegram = "telegram"
    sms = "sms"
    linkedin = "linkedin"
    x = "x"
    twitter = "twitter"
    email = "email"
    webchat = "webchat"


class TriggerKind(str, Enum):
    message = "message"  # the person wrote to us, optionally with a keyword
    # The person opened the conversation without saying anything yet (a chat widget, a "Get Started"
    # button, a new session): the bot speaks first. Importers set it on a bot's entry point.
    start = "start"
    comment = "comment"  # the person commented on a post
    follow = "follow"
    connection_accepted = "connection-accepted"
    opt_in = "opt-in"
    subscribe = "subscribe"
    tag_added = "tag-added"
    schedule = "schedule"
    broadcast = "broadcast"
    event = "event"  # an external system, e.g. an order was shipped


class Trigger(Node):
    kind: TriggerKind
    keywords: list[str] = []
    value: str | None = None  # the tag, list, post or event the trigger names
    every: Duration | None = None
    at: TimeOfDay | None = None


class AudienceKind(str, Enum):
    opted_in = "opted-in"
    everyone = "everyone"
    segment = "segment"
    cold_list = "cold-list"


class Audience(Node):
    kind: AudienceKind
    name: str | None = None


class SendWindow(Node):
    start: TimeOfDay
    end: TimeOfDay
    timezone: str = "recipient"  # "recipient" or an IANA zone such as Europe/Berlin


class Option(Node):
    """A quick reply or button the person can tap."""

    label: str
    goto: Identifier | None = None
    url: str | None = None


class Say(Node):
    say: str
    tag: str | None = None  # platform message tag, e.g. POST_PURCHASE_UPDATE
    template: str | None = None  # pre-approved template name (WhatsApp)
    category: str | None = None  # template category: utility, marketing, authentication


class Ask(Node):
    ask: str
    replies: list[Option] = []  # quick replies
    buttons: list[Option] = []
    rows: list[Option] = []  # list-message rows (WhatsApp list messages)
    capture: Identifier | None = None  # variable that receives a free-text answer
    expect: str | None = None  # kind of free-text answer: text, email, phone, number, date
    then: Identifier | None = None  # where a captured answer goes
    otherwise: Identifier | None = None  # where anything unexpected goes


class Wait(Node):
    wait: Duration


class WaitUntil(Node):
    wait_until: TimeOfDay
    timezone: str = "recipient"


class WaitForReply(Node):
    wait_for_reply: Duration | None  # the timeout; null waits for ever
    on_timeout: Identifier | None = None
    capture: Identifier | None = None  # the variable the answer is kept in (e.g. the intent a platform reads)


class Condition(Node):
    """Exactly one of: replied, has_tag, lacks_tag, or var with equals/not_equals."""

    replied: bool | None = None
    has_tag: str | None = None
    lacks_tag: str | None = None
    var: VariableName | None = None  # platform variables may be namespaced: session.order_id
    equals: str | None = None
    not_equals: str | None = None

    @model_validator(mode="after")
    def _one_test(self) -> "Condition":
        tests = [self.replied is not None, self.has_tag is not None, self.lacks_tag is not None, self.var is not None]
        if sum(tests) != 1:
            raise ValueError("a condition needs exactly one of replied, has_tag, lacks_tag or var")
        if self.var is not None and (self.equals is None) == (self.not_equals is None):
            raise ValueError("a condition on a variable needs exactly one of equals or not_equals")
        return self


class Branch(Node):
    if_: Condition = Field(alias="if")
    then: Identifier
    else_: Identifier | None = Field(default=None, alias="else")


class Goto(Node):
    goto: Identifier


class BusinessHours(Node):
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]]
    start: TimeOfDay
    end: TimeOfDay
    timezone: str | None = None


class Handoff(Node):
    handoff: str | None  # the team the conversation is handed to
    owner: str | None = None
    sla: Duration | None = None  # promised time to a human reply
    hours: BusinessHours | None = None
    tell: str | None = None  # what the person is told
    off_hours: str | None = None  # what the person is told outside business hours
    on_timeout: Identifier | None = None  # where the flow goes if nobody picks it up
    # Code performs it (an imported project's custom action): what that code tells the person is
    # not in the project's files. Importers set it; a flow file cannot.
    by_code: bool = Field(default=False, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _no_importer_facts(cls, data: Any, info: ValidationInfo) -> Any:
        return _importer_only(data, info, ("by_code",))


class ActionVerb(str, Enum):
    tag = "tag"
    untag = "untag"
    follow = "follow"
    like = "like"
    connect = "connect"
    invite = "invite"
    mention = "mention"
    post = "post"
    comment = "comment"
    email = "email"
    webhook = "webhook"
    message = "message"


class Rate(Node):
    count: int = Field(ge=0)
    per: Literal["hour", "day", "week"]


class Action(Node):
    action: ActionVerb
    text: str | None = None  # tag name, note, post or comment text, URL
    count: int | None = Field(default=None, ge=0)  # e.g. people mentioned
    limit: Rate | None = None


class SetVariable(Node):
    """The flow fills a variable itself (a computed value, an API result): later placeholders can rely on it."""

    set: VariableName
    value: str | None = None  # None: computed by the platform or code


class FollowUp(Node):
    """Runs its body if the person has not replied `followup_after` later; a reply ends the sequence."""

    followup_after: Duration
    do: "list[Statement]"  # a FollowUp holds statements, and a statement may be a FollowUp


class End(Node):
    end: Literal[True] = True


# The statements, one line each: the class, its kind (what messages and the YAML schema call it)
# and the key that tells it in a YAML mapping. A new statement is a class above and a line here
# (plus its syntax in grammars/flow.lark and parse/dsl.py, and what it means in model/analysis.py).
STATEMENTS: tuple[tuple[type[Node], str, str], ...] = (
    (Say, "say", "say"),
    (Ask, "ask", "ask"),
    (Wait, "wait", "wait"),
    (WaitUntil, "wait_until", "wait_until"),
    (WaitForReply, "wait_for_reply", "wait_for_reply"),
    (Branch, "if", "if"),
    (Goto, "goto", "goto"),
    (Handoff, "handoff", "handoff"),
    (Action, "action", "action"),
    (SetVariable, "set", "set"),
    (FollowUp, "followup", "followup_after"),
    (End, "end", "end"),
)
STATEMENT_KEYS = {key: kind for _, kind, key in STATEMENTS}  # YAML key -> kind
_KIND_BY_CLASS: dict[type, str] = {cls: kind for cls, kind, _ in STATEMENTS}


def statement_kind(value: object) -> str | None:
    """Tell a statement's kind by its keyword key, as in `- say: Hi`."""
    if isinstance(value, dict):
        for key in value:
            if key in STATEMENT_KEYS:
                return STATEMENT_KEYS[key]
        return None
    return _KIND_BY_CLASS.get(type(value))


Statement = Annotated[
    Union[tuple(Annotated[cls, Tag(kind)] for cls, kind, _ in STATEMENTS)],  # type: ignore[valid-type]
    Discriminator(
        statement_kind,
        custom_error_type="unknown_statement",
        custom_error_message="unknown statement: expected a mapping with one of the keys "
        + ", ".join(STATEMENT_KEYS),
    ),
]


class Step(Node):
    name: Identifier
    do: list[Statement]


class MissingReference(Node):
    """Something an imported project names but does not define: a response, another flow or a
    node of it, a skill. The bot breaks there; the rest of the project is still linted."""

    kind: Literal["response", "flow", "node", "skill"]
    name: str  # as the project names it: utter_x, other.flow.json, other.flow.json#node


class Flow(Node):
    kind: Literal["flow", "sequence"]
    name: Identifier
    title: str | None = None
    description: str | None = None
    channel: Channel | None = None
    language: str | None = None  # None: the configured default language
    trigger: Trigger | None = None
    audience: Audience | None = None
    window: SendWindow | None = None
    steps: list[Step]
    # The importer that built this flow (rasa, typebot...); None for .flow and .flow.yaml files.
    # Rules use it to stay silent about facts the source format cannot state (a handoff's SLA).
    origin: str | None = Field(default=None, exclude=True)
    # What the importer found named but not defined (BL003 reports it); a flow file has none.
    missing: list[MissingReference] = Field(default_factory=list, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _no_importer_facts(cls, data: Any, info: ValidationInfo) -> Any:
        return _importer_only(data, info, ("origin", "missing"))


class Document(Node):
    """One flow file: the root of the model."""

    flows: list[Flow]

