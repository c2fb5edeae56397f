"""BL305 and the fast handoff (issue 14, class 3), in en, de, ru and hr.

A question answered with buttons, or an intake question, whose answer goes straight to a handoff
that promises a quick answer (an `sla` within the `quick_sla` option, 4h by default), names who
answers and covers off hours (business hours with an off-hours message, or an unanswered
fallback) is not a manual question left to wait. The same question before a slow, unowned or
uncovered handoff still is.
"""

import pytest

TEXT = {
    "en": {"ask": "What do you need help with?", "a": "Billing", "b": "Technical issue",
           "open": "Tell us about your project.", "team": "Support",
           "tell": "Ana from support will answer here within 2 hours.",
           "off": "We're offline now; Ana will answer by 10:00 on the next working day.",
           "sorry": "Sorry for the wait! Email care@example.com and we'll answer today."},
    "de": {"ask": "Wobei können wir helfen?", "a": "Rechnung", "b": "Technisches Problem",
           "open": "Beschreib uns kurz dein Projekt.", "team": "Kundenservice",
           "tell": "Lena aus dem Kundenservice antwortet dir hier innerhalb von 2 Stunden.",
           "off": "Wir sind gerade nicht da; Lena antwortet am nächsten Werktag bis 10 Uhr.",
           "sorry": "Sorry für die Wartezeit! Schreib an service@example.com, wir antworten heute."},
    "ru": {"ask": "С чем вам помочь?", "a": "Оплата", "b": "Техническая проблема",
           "open": "Опишите, пожалуйста, вашу задачу.", "team": "Поддержка",
           "tell": "Анна из поддержки ответит здесь в течение 2 часов.",
           "off": "Сейчас мы не на связи; Анна ответит в следующий рабочий день до 10:00.",
           "sorry": "Извините за ожидание! Напишите на help@example.com, ответим сегодня."},
    "hr": {"ask": "Oko čega vam trebamo pomoći?", "a": "Račun", "b": "Tehnički problem",
           "open": "Opišite nam ukratko svoj projekt.", "team": "Podrška",
           "tell": "Ana iz podrške odgovorit će vam ovdje u roku od 2 sata.",
           "off": "Trenutno ne radimo; Ana će odgovoriti sljedeći radni dan do 10:00.",
           "sorry": "Oprostite na čekanju! Pišite na pomoc@example.com, odgovorit ćemo danas."},
}
LANGUAGES = list(TEXT)

# The terms of a quick, owned handoff covered off hours; tests drop or change one of them.
QUICK = ['owner "ana@example.com"', "sla 2h", 'hours mon-fri 09:00-17:00 "Europe/Berlin"', 'tell "{tell}"',
         'off-hours "{off}"']


def buttons_flow(language: str, terms: list[str], to_team: bool = True) -> str:
    words = TEXT[language]
    handoff = f'handoff to "{words["team"]}":' if to_team else "handoff:"
    body = "\n".join(f"      {term}" for term in terms).format(**words)
    return f"""\
flow support:
  channel messenger
  language {language}
  trigger message keywords "help"
  step start:
    ask "{words['ask']}":
      reply "{words['a']}" -> human
      reply "{words['b']}" -> human
      otherwise -> human
  step human:
    {handoff}
{body}
  step sorry:
    say "{words['sorry']}"
    end
"""


def intake_flow(language: str, terms: list[str]) -> str:
    words = TEXT[language]
    body = "\n".join(f"      {term}" for term in terms).format(**words)
    return f"""\
flow project:
  channel messenger
  language {language}
  trigger message keywords "project"
  step start:
    ask "{words['open']}":
      capture details -> human
  step human:
    handoff to "{words['team']}":
{body}
  step sorry:
    say "{words['sorry']}"
    end
"""


def lines(lint, source: str, ruleset: str | None = None, where=None) -> list[int]:
    """BL305's lines; `ruleset` is a ruleset's text, written to `where` and used."""
    config = None
    if ruleset is not None:
        (where / "quick.yaml").write_text(ruleset, encoding="utf-8")
        config = "rulesets: [quick.yaml]\n"
    return [f.line for f in lint(source, select=["BL305"], config=config).findings]


# --- a question answered with buttons -------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_bl305_near_miss_buttons_before_a_quick_owned_handoff_with_off_hours(lint, language):
    assert lines(lint, buttons_flow(language, QUICK)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_bl305_near_miss_buttons_before_a_quick_handoff_with_an_unanswered_fallback(lint, language):
    terms = [t for t in QUICK if not t.startswith(("hours", "off-hours"))] + ["unanswered -> sorry"]
    assert lines(lint, buttons_flow(language, terms)) == []


@pytest.mark.parametrize("language, change", [
    (language, change) for language in LANGUAGES for change in ("slow", "no sla", "no off-hours", "nobody",
                                                                "loops back")])
def test_bl305_flags_buttons_before_a_slow_or_uncovered_handoff(lint, language, change):
    terms = list(QUICK)
    to_team = True
    if change == "slow":  # the 48-72 hours practitioners lose prospects in
        terms[1] = "sla 2d"
    elif change == "no sla":
        terms.remove("sla 2h")
    elif change == "no off-hours":  # hours, and nothing said outside them
        terms.remove('off-hours "{off}"')
    elif change == "nobody":
        terms.remove('owner "ana@example.com"')
        to_team = False
    else:  # "unanswered" hands straight over again: no fallback
        terms = [t for t in QUICK if not t.startswith(("hours", "off-hours"))] + ["unanswered -> human"]
    result = lint(buttons_flow(language, terms, to_team), select=["BL305"])
    [finding] = result.findings
    assert finding.line == 6 and "every answer goes straight to a handoff" in finding.message
    assert "quick answer" in finding.hint


# --- a free-text intake question ------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_bl305_near_miss_an_intake_question_a_quick_handoff_answers(lint, language):
    assert lines(lint, intake_flow(language, QUICK)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_bl305_flags_an_intake_question_before_a_next_days_handoff(lint, language):
    terms = ["sla 2d" if t == "sla 2h" else t for t in QUICK]
    assert lines(lint, intake_flow(language, terms)) == [6]


@pytest.mark.parametrize("language", LANGUAGES)
def test_bl305_flags_an_intake_question_no_handoff_takes(lint, language):
    source = intake_flow(language, QUICK).replace("capture details -> human", "capture details -> sorry")
    assert lines(lint, source) == [6]


# --- the option -----------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_bl305_quick_sla_option_sets_what_counts_as_quick(lint, tmp_path, language):
    source = buttons_flow(language, QUICK)
    assert lines(lint, source) == []
    assert lines(lint, source, "rules:\n  BL305:\n    quick_sla: 1h\n", tmp_path) == [6]
    slow = source.replace("sla 2h", "sla 8h")
    (tmp_path / ".botlint.yaml").unlink()  # back to the shipped 4h
    assert lines(lint, slow) == [6]
    assert lines(lint, slow, "rules:\n  BL305:\n    quick_sla: 8h\n", tmp_path) == []


def test_bl305_a_malformed_quick_sla_is_a_config_error(lint, tmp_path):
    from linter.core.errors import ConfigError

    with pytest.raises(ConfigError, match="quick_sla"):
        lines(lint, buttons_flow("en", QUICK), "rules:\n  BL305:\n    quick_sla: soon\n", tmp_path)
