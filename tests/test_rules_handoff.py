"""Manual handoffs (BL3xx): flows each rule must flag and near-misses it must not."""

import pytest

from conftest import REPO, codes
from linter.core.errors import ConfigError

# A complete, well-run handoff; tests remove or change one line of it.
GOOD_HANDOFF = """\
flow support:
  channel messenger
  language en
  trigger message keywords "help"
  step start:
    ask "What can I help with?":
      reply "My order" -> order
      reply "Talk to a person" -> person
      otherwise -> person
  step order:
    ask "What's your order number?":
      capture order_number as text -> lookup
      otherwise -> person
  step lookup:
    action webhook "https://hooks.brightbean.example/order-status"
    say "Thanks! The latest status of your order is on its way to your inbox."
    end
  step person:
    handoff to "Customer care":
      owner "lena@brightbean.example"
      sla 2h
      hours mon-fri 09:00-18:00 "Europe/Berlin"
      tell "Lena from customer care will answer here within 2 hours."
      off-hours "We're offline right now; Lena will answer on the next working day by 10:00."
      unanswered -> sorry
  step sorry:
    say "Sorry for the wait! Email care@brightbean.example and we'll answer today."
    end
"""
HANDOFF_LINE = 19


def without(*lines: str) -> str:
    return "".join(line for line in GOOD_HANDOFF.splitlines(keepends=True) if line.strip() not in lines)


def test_the_well_run_handoff_passes_every_handoff_rule(lint):
    assert codes(lint(GOOD_HANDOFF, select=["BL3"])) == []


# --- BL301 handoff-without-owner ------------------------------------------------------

def test_bl301_flags_a_handoff_to_nobody(lint):
    source = without('owner "lena@brightbean.example"').replace('handoff to "Customer care":', "handoff:")
    [finding] = lint(source, select=["BL301"]).findings
    assert (finding.code, finding.line) == ("BL301", HANDOFF_LINE)
    assert "no team and no owner" in finding.message


def test_bl301_near_miss_a_team_or_an_owner_is_enough(lint):
    team_only = without('owner "lena@brightbean.example"')
    owner_only = GOOD_HANDOFF.replace('handoff to "Customer care":', "handoff:")
    assert codes(lint(team_only, select=["BL301"])) == []
    assert codes(lint(owner_only, select=["BL301"])) == []


# --- BL302 handoff-slow-or-no-sla -----------------------------------------------------

def test_bl302_flags_a_missing_sla(lint):
    [finding] = lint(without("sla 2h"), select=["BL302"]).findings
    assert finding.line == HANDOFF_LINE and "no response time (no `sla`)" in finding.message


def test_bl302_flags_a_promise_slower_than_a_day(lint):
    [finding] = lint(GOOD_HANDOFF.replace("sla 2h", "sla 3d"), select=["BL302"]).findings
    assert finding.line == HANDOFF_LINE
    assert "within 3d, more than 24h" in finding.message


@pytest.mark.parametrize("sla", ["sla 4h", "sla 24h", "sla 1d"])
def test_bl302_near_miss_within_a_day(lint, sla):
    assert codes(lint(GOOD_HANDOFF.replace("sla 2h", sla), select=["BL302"])) == []


def test_bl302_max_sla_option_changes_the_outcome(lint, tmp_path):
    source = GOOD_HANDOFF.replace("sla 2h", "sla 4h")
    (tmp_path / "fast.yaml").write_text("rules:\n  BL302:\n    max_sla: 1h\n", encoding="utf-8")
    result = lint(source, select=["BL302"], config="rulesets: [fast.yaml]\n")
    assert [(f.line, "more than 1h" in f.message) for f in result.findings] == [(HANDOFF_LINE, True)]


def test_bl302_malformed_max_sla_is_a_config_error(lint, tmp_path):
    (tmp_path / "bad.yaml").write_text("rules:\n  BL302:\n    max_sla: one day\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml:3:5: rule BL302 option 'max_sla': must be a duration such as 24h"):
        lint(GOOD_HANDOFF, select=["BL302"], config="rulesets: [bad.yaml]\n")


# --- BL303 handoff-without-timeout ----------------------------------------------------

def test_bl303_flags_a_handoff_nobody_follows_up(lint):
    [finding] = lint(without("unanswered -> sorry"), select=["BL303"]).findings
    assert finding.line == HANDOFF_LINE and "no `unanswered -> step`" in finding.message


def test_bl303_near_miss_inside_a_followup(lint):
    result = lint(select=["BL303"], source="""\
        sequence demo_followup:
          channel linkedin
          language en
          trigger connection-accepted
          step thanks:
            say "Thanks for connecting! Would a 15-minute demo of our roastery software help?"
            wait for reply timeout 3d -> nudge
            handoff to "Sales":
              owner "sam@brightbean.example"
              sla 4h
              tell "Great! Sam will answer here within 4 hours."
              unanswered -> sorry
          step nudge:
            followup after 2d:
              say "Just checking in: still interested in a demo?"
            end
          step sorry:
            say "Sorry, Sam is on the road today. He'll write to you tomorrow morning."
            end
        """)
    assert codes(result) == []


# --- BL304 silent-handoff -------------------------------------------------------------

def test_bl304_flags_a_handoff_that_says_nothing(lint):
    source = without('tell "Lena from customer care will answer here within 2 hours."')
    [finding] = lint(source, select=["BL304"]).findings
    assert finding.line == HANDOFF_LINE
    assert finding.message == "handoff tells the person nothing: no `tell` and no message right before it"


def test_bl304_a_message_right_before_the_handoff_can_do_the_telling(lint):
    source = without('tell "Lena from customer care will answer here within 2 hours."').replace(
        "  step person:\n", "  step person:\n    say \"Our team will answer here within 2 hours.\"\n")
    assert codes(lint(source, select=["BL304"])) == []


def test_bl304_a_webhook_before_a_handoff_in_our_own_format_tells_nobody_anything(lint):
    # Only an imported project's code may talk to the person (see test_import_rasa): a webhook of
    # ours calls a system.
    source = without('tell "Lena from customer care will answer here within 2 hours."').replace(
        "  step person:\n", '  step person:\n    action webhook "https://hooks.brightbean.example/crm"\n')
    [finding] = lint(source, select=["BL304"]).findings
    assert finding.message == "handoff tells the person nothing: no `tell` and no message right before it"


@pytest.mark.parametrize("tell, flagged", [
    ("Thanks for your message!", True),
    ("Thanks! We'll get back to you soon.", True),  # "soon" is not a time
    ("Thanks! Lena will take it from here.", False),  # the owner's name says who
    ("Thanks! Customer care will take it from here.", False),  # so does the team's
    ("Thanks! Someone from our team will reply.", False),
    ("Thanks! Someone will get back to you.", True),  # "someone" does not say who
    ("Please hold while I transfer you to someone.", False),  # a transfer under way: answered now
    ("Thanks! We'll answer by tomorrow morning.", False),
    ("Thanks! Expect an answer before 18:00.", False),
    ("Thanks! Your ticket number is 48213.", True),  # an ID, not a time
    ("Thanks! Meanwhile, read our 5 best tips.", True),  # a count, not a time
    ("Thanks! We'll answer by 3 pm.", False),
    ("Thanks! Call 0800 123 456 if it is urgent.", True),
])
def test_bl304_a_tell_must_say_who_or_when(lint, tell, flagged):
    source = GOOD_HANDOFF.replace("Lena from customer care will answer here within 2 hours.", tell)
    result = lint(source, select=["BL304"])
    assert [f.line for f in result.findings] == ([HANDOFF_LINE] if flagged else [])
    if flagged:
        assert f"'{tell}' says neither who will answer nor when" in result.findings[0].message


@pytest.mark.parametrize("language, tell, flagged", [
    ("de", "Danke für deine Nachricht! Wir melden uns.", True),
    ("de", "Danke! Ein Kollege aus dem Kundenservice meldet sich heute noch.", False),
    ("de", "Danke! Jemand meldet sich bei dir.", True),
    ("de", "Einen Moment, ich verbinde dich jetzt mit jemandem.", False),
    ("ru", "Спасибо! Кто-то вам ответит.", True),
    ("ru", "Одну минуту, соединяю вас.", False),
    ("hr", "Hvala! Netko će vam odgovoriti.", True),
    ("hr", "Hvala, u vezi s tim javljamo se.", True),  # "s tim" is "about that", not the team
    ("hr", "Hvala! Naš tim javlja se još danas.", False),
    ("ru", "Ваше обращение передано. Номер обращения: 48213.", True),  # a ticket number is no time
    ("ru", "Ваше обращение передано, ответим до 18:00.", False),
    ("de", "Danke! Wir melden uns bis 15 Uhr.", False),
    ("hr", "Hvala! Javljamo se do 15 h.", False),
    ("ru", "Спасибо за сообщение! Скоро ответим.", True),
    ("ru", "Спасибо! Менеджер ответит в течение часа.", False),
    ("hr", "Hvala na poruci! Javit ćemo se uskoro.", True),
    ("hr", "Hvala! Netko iz našeg tima javit će vam se sutra.", False),
])
def test_bl304_other_languages(lint, language, tell, flagged):
    result = lint(select=["BL304"], source=f"""\
        flow anfrage:
          channel whatsapp
          language {language}
          trigger message keywords "hilfe"
          step mensch:
            handoff to "Care":
              owner "care@brightbean.example"
              sla 2h
              tell "{tell}"
              unanswered -> mensch
        """)
    assert [f.line for f in result.findings] == ([6] if flagged else [])


def test_bl304_without_a_lexicon_only_the_structural_check_runs(lint):
    source = """\
        flow aide:
          language fr
          trigger message keywords "aide"
          step humain:
            handoff to "Service":
              owner "care@brightbean.example"
              {tell}
              unanswered -> humain
        """
    assert codes(lint(source.replace("{tell}", 'tell "Merci pour votre message !"'), select=["BL304"])) == []
    assert [f.line for f in lint(source.replace("{tell}", "sla 2h"), select=["BL304"]).findings] == [5]


# --- BL305 early-manual-question ------------------------------------------------------

QUOTE_REQUEST = """\
flow catering:
  channel messenger
  language en
  trigger message keywords "catering"
  step start:
    ask "Tell us about your event: date, number of guests and budget.":
      capture event_details -> thanks
  step thanks:
    say "Thanks! Marko from our events team will email you an offer within a day."
    end
"""


def test_bl305_flags_a_first_question_nobody_but_a_person_can_answer(lint):
    [finding] = lint(QUOTE_REQUEST, select=["BL305"]).findings
    assert (finding.code, finding.line) == ("BL305", 6)
    assert finding.message == ("question 1 of the flow asks for a free-text answer ('Tell us about', saved in "
                               "'event_details') that no branch or webhook uses: only a person can answer it")


def test_bl305_flags_an_open_question_with_no_options_at_all(lint):
    result = lint(select=["BL305"], source="""\
        flow contact:
          channel webchat
          language en
          trigger message keywords "contact"
          step start:
            ask "How can we help you today?"
            say "Thanks! We'll be in touch."
            end
        """)
    [finding] = result.findings
    assert finding.line == 6 and "('How can we help', not even saved)" in finding.message


def test_bl305_near_miss_options_that_save_their_label(lint):
    source = """\
        flow bugs:
          channel webchat
          language en
          trigger message keywords "bug"
          step how_bad:
            ask "Can you describe how bad the bug is?":
              capture severity -> thanks
              reply "Blocking" -> thanks
              reply "Annoying" -> thanks
          step thanks:
            say "Thanks, noted!"
            end
        """
    assert codes(lint(source, select=["BL305"])) == []  # the person taps one of two buttons
    typed = "".join(line for line in source.splitlines(keepends=True) if 'reply "' not in line)
    assert codes(lint(typed, select=["BL305"])) == ["BL305"]


def test_bl305_near_miss_a_plain_data_question(lint):
    result = lint(select=["BL305"], source="""\
        flow newsletter:
          channel messenger
          language en
          trigger message keywords "guide"
          step start:
            ask "Happy to send you our brewing guide! What's your first name?":
              capture first_name -> company
          step company:
            ask "Nice to meet you, {first_name}! Which café or company are you with?":
              capture company -> done
          step done:
            say "Thanks! The guide is on its way."
            end
        """)
    assert codes(result) == []


@pytest.mark.parametrize("language, before, question, flagged", [
    ("de", "Alles klar.", "Beschreib uns kurz dein Projekt, wir melden uns dann.", True),
    ("de", "Alles klar.", "Wie heißt dein Café?", False),
    ("ru", "Понял.", "Опишите, пожалуйста, вашу задачу.", True),
    ("hr", "Opišite nam ukratko svoj projekt.", "", True),  # a question with no text: the message before asks
    ("hr", "Hvala! Zanima nas vaš projekt.", "Kako se zove vaša tvrtka?", False),
    ("hr", "Hvala.", "Kako se zove vaš kafić?", False),
    ("hr", "Dobro.", "Reci mi ukratko što se pokvarilo?", True),
])
def test_bl305_other_languages(lint, language, before, question, flagged):
    result = lint(select=["BL305"], source=f"""\
        flow anfrage:
          channel messenger
          language {language}
          trigger message keywords "projekt"
          step start:
            say "{before}"
            ask "{question}":
              capture projekt -> danke
          step danke:
            say "👍"
            end
        """)
    assert [f.line for f in result.findings] == ([7] if flagged else [])


@pytest.mark.parametrize("change", [
    ("  step thanks:\n", '  step thanks:\n    action webhook "https://hooks.brightbean.example/quotes"\n'),
    ("  step thanks:\n", '  step thanks:\n    if event_details == "wedding" -> thanks else -> thanks\n'),
    ("capture event_details -> thanks", "capture event_details as email -> thanks"),
])
def test_bl305_near_miss_an_answer_automation_uses(lint, change):
    assert codes(lint(QUOTE_REQUEST.replace(*change), select=["BL305"])) == []


def test_bl305_counts_only_the_first_questions_and_the_option_can_widen_them(lint, tmp_path):
    warm_up = """\
  step start:
    ask "Hi! Is this for a private or a company event?":
      reply "Private" -> size
      reply "Company" -> size
      otherwise -> size
  step size:
    ask "Roughly how many guests?":
      reply "Under 20" -> place
      reply "20 or more" -> place
      otherwise -> place
  step place:
    ask "Indoors or outdoors?":
      reply "Indoors" -> details
      reply "Outdoors" -> details
      otherwise -> details
  step details:
"""
    source = QUOTE_REQUEST.replace("  step start:\n", warm_up)
    assert codes(lint(source, select=["BL305"])) == []
    (tmp_path / "wider.yaml").write_text("rules:\n  BL305:\n    first_questions: 4\n", encoding="utf-8")
    result = lint(source, select=["BL305"], config="rulesets: [wider.yaml]\n")
    assert [(f.line, f.message.startswith("question 4 of the flow")) for f in result.findings] == [(21, True)]


def test_bl305_flags_a_question_whose_every_answer_goes_to_a_human(lint):
    result = lint(select=["BL305"], source="""\
        flow support:
          channel messenger
          language en
          trigger message keywords "help"
          step start:
            ask "What do you need help with?":
              reply "Billing" -> human
              reply "Technical issue" -> human
              otherwise -> human
          step human:
            say "Connecting you to our team."
            handoff to "Support":
              owner "care@brightbean.example"
              sla 2h
              tell "Ana from support will answer here within 2 hours."
              unanswered -> human
        """)
    [finding] = result.findings
    assert finding.line == 6
    assert finding.message == ("question 1 of the flow: every answer goes straight to a handoff to 'Support', "
                               "so a person has to answer it by hand")


def test_bl305_near_miss_the_bot_answers_one_of_the_routes(lint):
    assert codes(lint(GOOD_HANDOFF, select=["BL305"])) == []


def test_bl305_near_miss_a_webhook_takes_the_answer_before_the_handoff(lint):
    result = lint(select=["BL305"], source="""\
        flow support:
          channel messenger
          language en
          trigger message keywords "help"
          step start:
            ask "What do you need help with?":
              reply "Billing" -> human
              otherwise -> human
          step human:
            action tag "needs-care"
            action webhook "https://hooks.brightbean.example/tickets"
            handoff to "Support":
              owner "care@brightbean.example"
              sla 2h
              tell "Ana from support will answer here within 2 hours."
              unanswered -> human
        """)
    assert codes(result) == []


# --- BL306 handoff-off-hours ----------------------------------------------------------

def test_bl306_flags_business_hours_without_an_off_hours_message(lint):
    source = without("off-hours \"We're offline right now; Lena will answer on the next working day by 10:00.\"")
    [finding] = lint(source, select=["BL306"]).findings
    assert finding.line == HANDOFF_LINE
    assert finding.message == ("handoff works mon-fri 09:00-18:00 but has no `off-hours` message: people who reach "
                               "it on sat, sun or outside those hours hear nothing")


def test_bl306_near_miss_no_hours_means_unknown(lint):
    source = without("off-hours \"We're offline right now; Lena will answer on the next working day by 10:00.\"",
                     'hours mon-fri 09:00-18:00 "Europe/Berlin"')
    assert codes(lint(source, select=["BL306"])) == []


@pytest.mark.parametrize("window, flagged", [
    ('window 10:00-17:00 "Europe/Berlin"', False),  # the flow only runs while the team is in
    ('window 10:00-17:00 recipient', True),  # another clock: the window proves nothing
    ('window 08:00-17:00 "Europe/Berlin"', True),  # opens before the team does
])
def test_bl306_a_send_window_inside_the_hours_every_day(lint, window, flagged):
    source = without("off-hours \"We're offline right now; Lena will answer on the next working day by 10:00.\"")
    source = source.replace("hours mon-fri", "hours mon,tue,wed,thu,fri,sat,sun").replace(
        '  trigger message keywords "help"\n', f'  trigger message keywords "help"\n  {window}\n')
    assert [f.line for f in lint(source, select=["BL306"]).findings] == ([HANDOFF_LINE + 1] if flagged else [])


# --- examples ------------------------------------------------------------------------

def test_handoff_examples(lint):
    bad = lint((REPO / "examples" / "handoff-bad.flow").read_text(encoding="utf-8"), name="handoff-bad.flow")
    assert {"BL301", "BL302", "BL303", "BL304", "BL305", "BL306"} <= set(codes(bad))
    good = lint((REPO / "examples" / "handoff-good.flow").read_text(encoding="utf-8"), name="handoff-good.flow")
    assert good.findings == [] and good.errors == []


def test_handoff_terms_are_not_demanded_of_imported_flows(tmp_path):
    from linter.engine.runner import lint_paths
    from linter.engine.settings import Overrides, SettingsResolver

    agent = tmp_path / "bot"
    (agent / "data").mkdir(parents=True)
    (agent / "domain.yml").write_text(
        "version: '3.1'\nintents:\n  - human\nresponses:\n  utter_wait:\n    - text: Hang on, Ana from support is on her way.\n",
        encoding="utf-8")
    (agent / "data" / "stories.yml").write_text(
        "version: '3.1'\nstories:\n  - story: talk to a human\n    steps:\n      - intent: human\n"
        "      - action: utter_wait\n      - action: action_human_handoff\n", encoding="utf-8")
    from linter.model.analysis import walk_statements
    from linter.model.flow import Handoff
    from linter.parse import import_unit

    parsed, _ = import_unit(agent, "bot", "rasa")
    assert any(isinstance(s, Handoff) for flow in parsed.document.flows for s in walk_statements(flow))
    result = lint_paths([agent], SettingsResolver(Overrides(select=["BL301", "BL302", "BL303"]), cwd=tmp_path))
    assert result.errors == [] and result.files > 0
    assert result.findings == []
