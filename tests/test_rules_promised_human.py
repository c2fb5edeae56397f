"""Promised humans (BL307, BL308), a bot posing as a person (BL711) and openings (`trigger start`,
greeting intents) in BL201/BL711: flows each must flag and near-misses each must spare, in every
language with a lexicon. The bots and their wording are invented for these tests."""

from pathlib import Path

import pytest

from conftest import REPO, codes
from linter.engine.settings import Overrides, resolve
from linter.model.analysis import FlowAnalysis
from linter.model.flow import IMPORTED, Flow, Say
from linter.rules import get_rule


def found(result, code: str) -> list:
    return [finding for finding in result.findings if finding.code == code]


def flow(language: str, body: str, trigger: str = 'trigger message keywords "help"') -> str:
    return f"flow support:\n  language {language}\n  {trigger}\n  step start:\n    " + body + "\n"


# --- BL307 promised-human ------------------------------------------------------------------

# (promise, the failure that follows it, the handoff wording that keeps it) per language
PROMISES = {
    "en": ("Let me connect you to one of our agents.", "Sorry, no agents are available right now."),
    "de": ("Ich verbinde Sie mit einem Mitarbeiter.", "Leider ist gerade kein Mitarbeiter verfügbar."),
    "ru": ("Соединяю вас с оператором.", "Извините, все операторы сейчас заняты."),
    "hr": ("Spajam vas s našim agentom.", "Nažalost, nema slobodnih agenata."),
}
KEPT = ('handoff to "Support":\n      owner "ana@example.com"\n      sla 2h\n'
        '      unanswered -> sorry\n  step sorry:\n    say "..."\n    end')


@pytest.mark.parametrize("language", sorted(PROMISES))
def test_bl307_a_promise_then_the_end_is_flagged(lint, language):
    promise, _ = PROMISES[language]
    [finding] = found(lint(flow(language, f'say "{promise}"\n    end'), select=["BL307"]), "BL307")
    assert finding.line == 5
    assert "no handoff follows: the flow ends right after it" in finding.message


@pytest.mark.parametrize("language", sorted(PROMISES))
def test_bl307_a_promise_then_a_failure_message_is_flagged(lint, language):
    promise, failure = PROMISES[language]
    result = lint(flow(language, f'say "{promise}"\n    say "{failure}"\n    end'), select=["BL307"])
    [finding] = found(result, "BL307")
    assert "the next message says nobody came" in finding.message and failure in finding.message


@pytest.mark.parametrize("language", sorted(PROMISES))
def test_bl307_near_miss_a_real_handoff_with_sla_follows(lint, language):
    promise, _ = PROMISES[language]
    assert codes(lint(flow(language, f'say "{promise}"\n    {KEPT}'), select=["BL307", "BL308"])) == []


def test_bl307_a_promise_the_flow_walks_away_from_is_flagged(lint):
    result = lint(flow("en", 'say "Let me connect you to an agent."\n    goto menu\n  step menu:\n'
                             '    ask "What else can I do?":\n      reply "Orders" -> menu\n      otherwise -> menu'),
                  select=["BL307"])
    [finding] = found(result, "BL307")
    assert "no handoff follows: next the bot says 'What else can I do?'" in finding.message


def test_bl307_questions_before_the_handoff_keep_the_promise(lint):
    source = flow("en", 'ask "I\'ll connect you to an agent. What is your order number?":\n'
                        '      capture order -> hand\n  step hand:\n    ' + KEPT)
    assert codes(lint(source, select=["BL307"])) == []


@pytest.mark.parametrize("text", [
    "Our team will reply within 2 hours.",  # a later promise with a time: the team is held to it
    "If someone else uses your account, reset your password.",  # "someone" in another sense
    "Type 'agent' and I'll connect you to a person.",  # an offer, not a promise
    "Shall I connect you to one of our agents?",  # a question
    "It looks like you want to be transferred to a person.",
])
def test_bl307_near_misses(lint, text):
    assert codes(lint(flow("en", f'say "{text}"\n    end'), select=["BL307", "BL308"])) == []


@pytest.mark.parametrize("language, text", [
    ("en", "Someone will reach out to you."),
    ("de", "Ein Mitarbeiter meldet sich bei Ihnen."),
    ("ru", "Наш менеджер свяжется с вами."),
    ("hr", "Javit će vam se naš djelatnik."),
])
def test_bl307_a_later_promise_nothing_passes_on(lint, language, text):
    result = lint(flow(language, f'say "{text}"\n    end'), select=["BL307"])
    [finding] = found(result, "BL307")
    assert "nothing passes the request on" in finding.message
    passed_on = lint(flow(language, f'say "{text}"\n    action webhook "https://example.com/lead"\n    end'),
                     select=["BL307"])
    assert codes(passed_on) == []


@pytest.mark.parametrize("language, text", [
    ("ru", "Наш менеджер Анна свяжется с вами в ближайшее время."),
    ("ru", "Анна из отдела продаж скоро вам напишет."),
    ("ru", "Переключаю вас на нашего специалиста."),
    ("hr", "Kolegica Ana javit će vam se uskoro."),
])
def test_bl307_a_promise_that_names_the_person(lint, language, text):
    assert codes(lint(flow(language, f'say "{text}"\n    end'), select=["BL307"])) == ["BL307"]


@pytest.mark.parametrize("language, text", [
    ("ru", "Подключаю вас к тарифу «Безлимит»."),
    ("ru", "Переключаю вас на русский язык."),
    ("hr", "Preusmjeravam vas na glavni izbornik."),
])
def test_bl307_near_miss_switching_to_a_plan_a_language_or_a_menu(lint, language, text):
    assert codes(lint(flow(language, f'say "{text}"\n    end'), select=["BL307", "BL308"])) == []


def test_bl307_a_loop_back_to_the_promise_is_no_second_promise(lint):
    looped = """\
        flow support:
          language en
          trigger message keywords "help"
          step menu:
            ask "What do you need?":
              reply "Talk to us" -> bye
          step bye:
            ask "Someone from our team will get back to you. Meanwhile, read our 5 best tips!":
              reply "Restart" -> menu
        """
    [finding] = found(lint(looped, select=["BL307"]), "BL307")
    assert finding.line == 8  # a count of tips is no time, and meeting the promise again is no new one


# --- BL308 human-promised-soon ---------------------------------------------------------------

VAGUE = {
    "en": "An agent will be with you shortly.",
    "de": "Ein Mitarbeiter ist gleich für Sie da.",
    "ru": "Оператор скоро ответит.",
    "hr": "Naš agent će vam se uskoro pridružiti.",
}


@pytest.mark.parametrize("language", sorted(VAGUE))
def test_bl308_a_vague_promise_with_no_terms_behind_it(lint, language):
    result = lint(flow(language, f'say "{VAGUE[language]}"\n    handoff to "Support"'), select=["BL307", "BL308"])
    assert codes(result) == ["BL308"]
    kept = lint(flow(language, f'say "{VAGUE[language]}"\n    {KEPT}'), select=["BL308"])
    assert codes(kept) == []


def test_bl308_a_time_in_the_message_spares_it(lint):
    source = flow("en", 'say "An agent will be with you shortly, within 10 minutes."\n    handoff to "Support"')
    assert codes(lint(source, select=["BL308"])) == []


# --- BL711: a bot posing as a person, on every channel -------------------------------------------

POSING = {
    "en": ("Hi, I'm Sarah, your customer service representative.", "Hi, I'm Sarah, Brightbean's virtual assistant."),
    "de": ("Hallo, ich bin Lisa, Ihre Beraterin.", "Hallo, ich bin Lisa, Ihre digitale Beraterin."),
    "ru": ("Здравствуйте! Меня зовут Анна, я ваш консультант.", "Здравствуйте! Я Анна, ваш виртуальный консультант."),
    "hr": ("Bok! Ja sam Ana, vaša savjetnica.", "Bok! Ja sam Ana, vaša virtualna savjetnica."),
}


@pytest.mark.parametrize("language", sorted(POSING))
def test_bl711_flags_a_named_person_with_a_job_title_on_any_channel(lint, language):
    posing, disclosed = POSING[language]
    source = "flow welcome:\n  channel webchat\n  language {language}\n  trigger start\n  step start:\n" \
             "    say \"{text}\"\n    end\n"
    [finding] = found(lint(source.format(language=language, text=posing), select=["BL711"]), "BL711")
    assert finding.line == 6 and "introduces itself as a person" in finding.message
    assert codes(lint(source.format(language=language, text=disclosed), select=["BL711"])) == []


def test_bl711_near_miss_a_named_bot_that_discloses_in_its_burst(lint):
    result = lint("""\
        flow welcome:
          trigger start
          step start:
            say "Hi, I'm Sarah, your customer service representative."
            say "Well, a bot: I'm Brightbean's virtual assistant."
            end
        """, select=["BL711"])
    assert codes(result) == []


def test_bl711_near_miss_a_name_alone_is_no_job_title(lint):
    result = lint('flow welcome:\n  trigger start\n  step start:\n    say "Hey there, my name is Sara."\n    end\n',
                  select=["BL711"])
    assert codes(result) == []


# --- openings: trigger start and greeting intents --------------------------------------------

def test_bl711_a_start_flow_is_an_opening(lint):
    result = lint('flow welcome:\n  channel messenger\n  trigger start\n  step start:\n'
                  '    say "Welcome to Brightbean!"\n    end\n', select=["BL711"])
    [finding] = found(result, "BL711")
    assert finding.message == "first message of the conversation does not say it is automated"


def test_bl201_a_start_flow_pitch_is_before_anything_was_said(lint):
    result = lint('flow welcome:\n  trigger start\n  step start:\n    say "Beans from 9.90 EUR!"\n    end\n',
                  select=["BL201"])
    [finding] = found(result, "BL201")
    assert finding.message.startswith("pitch before the person has said anything:")


def test_bl201_a_greeting_trigger_is_called_a_greeting(lint):
    result = lint('flow welcome:\n  trigger message keywords "hi", "hello"\n  step start:\n'
                  '    say "Beans from 9.90 EUR!"\n    end\n', select=["BL201"])
    [finding] = found(result, "BL201")
    assert finding.message.startswith("pitch before the person has said more than a greeting ('hi'):")


def test_a_start_flow_is_answered_within_the_messaging_window(lint):
    """Opening the chat opens Messenger's 24-hour window: the first reply is not cold outreach."""
    result = lint('flow welcome:\n  channel messenger\n  trigger start\n  step start:\n'
                  '    say "Hi! I\'m the Brightbean bot."\n    end\n', select=["BL701"])
    assert codes(result) == []


def _imported(keywords: list[str], origin: str | None = "rasa") -> Flow:
    return Flow.model_validate({"kind": "flow", "name": "f", "origin": origin,
                                "trigger": {"kind": "message", "keywords": keywords},
                                "steps": [{"name": "s", "do": [{"say": "Hi"}]}]}, context={IMPORTED: True})


@pytest.fixture(scope="module")
def english():
    return resolve(None, Overrides(), Path(REPO)).lexicon("en")


def test_an_imported_greeting_intent_needs_most_of_its_examples_to_greet(english):
    from linter.rules.policy._common import greeting_trigger

    greet = ["hi", "hello there", "good morning", "hey", "howdy", "sup mate", "let's go"]
    assert greeting_trigger(_imported(greet), english)
    # An intent whose examples only contain a greeting word is not a greeting.
    started = ["how do I get started", "hi, how do I install it", "get started with rasa", "where to begin"]
    assert not greeting_trigger(_imported(started), english)
    assert greeting_trigger(_imported(started, origin=None), english)  # a native keyword: any one counts


def test_an_imported_price_intent_needs_a_third_of_its_examples(english):
    from linter.rules.hard_sell._common import keywords_ask

    examples = ["how much is it", "what's the price", "is it free", "do I pay for the enterprise version",
                "what does a licence involve", "pricing please"]  # 3 of 6 match price_intent
    assert keywords_ask(_imported(examples), english, ("price_intent",))
    assert not keywords_ask(_imported(examples, origin=None), english, ("price_intent",))  # native: every one
    assert not keywords_ask(_imported(["where are you", "opening hours", "how much is it", "who are you"]),
                            english, ("price_intent",))


class _Context:
    """Just what BL201 reads from its context, for a model an importer would build."""

    options = get_rule("BL201").options(price_amount_words=1, transactional_categories=[])

    def __init__(self, model: Flow, lexicon) -> None:
        self.model, self._lexicon, self._analysis = model, lexicon, FlowAnalysis(model)

    def flows(self):
        return iter([self.model])

    def lexicon(self, _flow):
        return self._lexicon

    def analysis(self, _flow):
        return self._analysis

    def finding(self, node, message, hint=None):
        return message


def test_bl201_judges_an_imported_intent_only_when_it_is_an_opening(english):
    """A Rasa-style flow for a question about fees: the amount answers it, it is no pitch;
    the same message in the flow of a greeting intent is one."""
    from linter.rules.hard_sell.pitch_before_reply import RULE

    fees = _imported(["which payment options do you take", "can I pay by card", "is a bank transfer possible"])
    fees.steps[0].do[0] = Say(say="Cards cost a 4% fee, a bank transfer 5 USD.")
    assert list(RULE.check(_Context(fees, english))) == []
    greeting = _imported(["hi", "hello there", "good morning"])
    greeting.steps[0].do[0] = Say(say="Hi! Beans from 9.90 USD today.")
    assert list(RULE.check(_Context(greeting, english))) == [
        "pitch before the person has said more than a greeting ('hi'): amount '9.90 USD'"]
