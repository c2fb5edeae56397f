"""Flow-graph rules (BL5xx): a flow each must flag and a near-miss each must not."""

import pytest

from conftest import codes


def only(result, code):
    return [f for f in result.findings if f.code == code]


def test_bl501_flags_a_step_nothing_reaches(lint):
    result = lint("""\
        flow f:
          step start:
            ask "Coffee or tea?":
              reply "Coffee" -> coffee
              otherwise -> start
          step coffee:
            say "Great choice!"
            end
          step tea:
            say "Lovely."
            end
        """)
    [finding] = only(result, "BL501")
    assert (finding.line, finding.col) == (9, 3) and "'tea'" in finding.message


def test_bl501_one_finding_for_a_piece_nothing_reaches(lint):
    result = lint("""\
        flow f:
          step start:
            say "Coffee it is."
            end
          step tea:
            ask "Green or black?":
              reply "Green" -> green
              reply "Black" -> black
          step green:
            say "Sencha, then."
            end
          step black:
            say "Assam, then."
            goto tea
          step leftover:
            say "Old text."
            end
        """)
    found = [(f.line, f.message) for f in only(result, "BL501")]
    assert found == [
        (5, "step 'tea' is never reached from the start of flow 'f' (nor are the steps it leads to: 'green', 'black')"),
        (15, "step 'leftover' is never reached from the start of flow 'f'"),
    ]


def test_bl501_near_miss_reached_by_fall_through_and_timeouts(lint):
    result = lint("""\
        sequence s:
          trigger connection-accepted
          step hello:
            say "Thanks for connecting!"
            wait for reply timeout 3d -> nudge
            goto chat
          step chat:
            handoff to "Sales":
              owner "sam@example.com"
              sla 4h
              unanswered -> sorry
          step sorry:
            say "Sorry for the wait."
            end
          step nudge:
            say "Still keen to chat?"
        """)
    assert only(result, "BL501") == []


def test_bl502_flags_a_question_left_hanging(lint):
    result = lint("""\
        flow f:
          step start:
            say "Hi!"
            ask "Anything else?"
        """)
    [finding] = only(result, "BL502")
    assert finding.line == 4 and "answer goes nowhere" in finding.message


def test_bl502_flags_a_flow_that_just_stops_after_a_message(lint):
    result = lint('flow f:\n  step start:\n    say "Thanks!"\n')
    assert [f.line for f in only(result, "BL502")] == [3]


def test_bl502_near_misses_end_handoff_and_a_drip_that_runs_out(lint):
    assert only(lint('flow f:\n  step start:\n    say "Thanks!"\n    end\n'), "BL502") == []
    assert only(lint('flow f:\n  step start:\n    handoff to "Care"\n'), "BL502") == []
    assert only(lint('sequence s:\n  step one:\n    say "Tip 1"\n    wait 2d\n    say "Tip 2"\n'), "BL502") == []
    assert [f.line for f in only(lint('sequence s:\n  step one:\n    ask "Did it help?"\n'), "BL502")] == [3]


def test_bl503_flags_a_loop_nothing_leaves(lint):
    result = lint("""\
        flow f:
          step ask_email:
            ask "What's your email?":
              capture email as email -> check
          step check:
            if email == "" -> ask_email else -> ask_email
        """)
    [finding] = only(result, "BL503")
    assert finding.line == 2 and "ask_email -> check -> ask_email" in finding.message


def test_bl503_flags_a_self_loop(lint):
    result = lint('sequence s:\n  step ping:\n    say "Still there?"\n    wait 1d\n    goto ping\n')
    assert [f.message for f in only(result, "BL503")] == ["loop with no exit: ping -> ping"]


@pytest.mark.parametrize("exit_line", [
    'if email == "" -> ask_email else -> thanks',
    'handoff to "Care"',
])
def test_bl503_near_miss_loops_with_a_way_out(lint, exit_line):
    result = lint(f"""\
        flow f:
          step ask_email:
            ask "What's your email?":
              capture email as email -> check
          step check:
            {exit_line}
          step thanks:
            say "Thanks!"
            end
        """)
    assert only(result, "BL503") == []


MENU_HUB = """\
flow f:
  step menu:
    ask "What would you like to see?":
{answers}
  step beans:
    say "Our beans come from Huila."
    goto menu
  step mugs:
    say "Mugs are back in stock."
    goto menu
"""
REPLY = '      reply "{label}" -> {target}'
CAPTURE = "      capture choice"
ROUTE = '    if choice == "{value}" -> {target}'


@pytest.mark.parametrize("answers", [
    # replies with their own targets
    [REPLY.format(label="Beans", target="beans"), REPLY.format(label="Mugs", target="mugs"), "      otherwise -> menu"],
    # a captured answer routed by its value right after the question
    [CAPTURE, ROUTE.format(value="Beans", target="beans"), ROUTE.format(value="Mugs", target="mugs"), "    goto menu"],
])
def test_bl503_near_miss_a_menu_hub_is_a_choice_not_a_trap(lint, answers):
    result = lint(MENU_HUB.format(answers="\n".join(answers)))
    assert not result.errors, [str(e) for e in result.errors]
    assert only(result, "BL503") == []


@pytest.mark.parametrize("question", [
    'ask "Beans or mugs?":\n              capture choice -> route',
    'ask "Beans or mugs?":\n              capture choice\n            goto route',
])
def test_bl503_near_miss_answer_routed_where_the_capture_goes(lint, question):
    result = lint(f"""\
        flow f:
          step menu:
            {question}
          step route:
            if choice == "beans" -> beans
            if choice == "mugs" -> mugs
            goto menu
          step beans:
            say "Huila beans."
            goto menu
          step mugs:
            say "Back in stock."
            goto menu
        """)
    assert not result.errors, [str(e) for e in result.errors]
    assert only(result, "BL503") == []


@pytest.mark.parametrize("answers", [
    # one real answer, anything else asks again: no choice
    [REPLY.format(label="Beans", target="beans"), "      otherwise -> menu"],
    # two replies to the same place: the answer changes nothing
    [REPLY.format(label="Beans", target="beans"), REPLY.format(label="Arabica", target="beans"),
     "      otherwise -> menu"],
    # a test for a missing answer asks again; it is no choice
    [CAPTURE, '    if choice == "" -> menu else -> beans'],
])
def test_bl503_flags_a_loop_whose_question_decides_nothing(lint, answers):
    result = lint(MENU_HUB.format(answers="\n".join(answers)))
    assert not result.errors, [str(e) for e in result.errors]
    assert [f.message for f in only(result, "BL503")] == ["loop with no exit: menu -> beans -> menu"]


def test_bl504_flags_routed_question_without_otherwise(lint):
    result = lint("""\
        flow f:
          step start:
            ask "Pickup or delivery?":
              reply "Pickup" -> done
              reply "Delivery" -> done
          step done:
            end
        """)
    assert [f.line for f in only(result, "BL504")] == [3]


def test_bl504_near_misses_otherwise_capture_and_unrouted_questions(lint):
    result = lint("""\
        flow f:
          step start:
            ask "Pickup or delivery?":
              reply "Pickup" -> done
              otherwise -> start
            ask "Your name?":
              capture name -> done
            ask "How was it?"
          step done:
            end
        """)
    assert only(result, "BL504") == []


def test_bl505_flags_option_without_target_among_routed_ones(lint):
    result = lint("""\
        flow f:
          step start:
            ask "Want the menu?":
              reply "Yes" -> done
              reply "Later"
              button "Website" url "https://example.com"
              otherwise -> start
          step done:
            end
        """)
    [finding] = only(result, "BL505")
    assert (finding.line, finding.col) == (5, 7) and "'Later'" in finding.message


def test_bl505_near_miss_rating_question_whose_answers_all_continue(lint):
    result = lint('flow f:\n  step s:\n    ask "How was it?":\n      reply "Good"\n      reply "Bad"\n    end\n')
    assert only(result, "BL505") == []


def test_bl506_flags_labels_equal_but_for_case_and_spaces(lint):
    result = lint("""\
        flow f:
          step start:
            ask "When?":
              reply "Today" -> done
              button "today " -> done
              otherwise -> done
          step done:
            end
        """)
    [finding] = only(result, "BL506")
    assert finding.line == 5 and "line 4" in finding.message


def test_bl506_near_miss_same_label_in_different_questions(lint):
    result = lint("""\
        flow f:
          step start:
            ask "Coffee?":
              reply "Yes" -> next
              reply "No" -> next
              otherwise -> next
          step next:
            ask "Milk?":
              reply "Yes" -> done
              reply "No" -> done
              otherwise -> done
          step done:
            end
        """)
    assert codes(result) == []


ASK_AGAIN = """\
    flow f:
      step start:
        ask "What's your email?":
          capture email -> bye
      step bye:
        ask "Thanks, we'll write to you. Anything else?":
          capture request -> route
      step route:
        if request == "start over" -> start
        goto {otherwise}
    {more}"""


def test_bl503_near_miss_going_round_takes_a_particular_answer(lint):
    # After the goodbye only a "Restart" button leads back; asking for the form again (a branch on a
    # particular answer) restarts it. The person chooses to go round: no trap.
    restart = 'step bye_again:\n        ask "Bye for now!":\n          button "Restart" -> start\n'
    result = lint(ASK_AGAIN.format(otherwise="bye_again", more="  " + restart))
    assert not result.errors, [str(e) for e in result.errors]
    assert only(result, "BL503") == []


def test_bl503_flags_a_loop_that_goes_round_whatever_is_said_beside_a_particular_answer(lint):
    # The same loop, but anything else also leads back to the first question: a trap.
    result = lint(ASK_AGAIN.format(otherwise="start", more=""))
    assert [f.message for f in only(result, "BL503")] == ["loop with no exit: start -> bye -> route -> start"]


def test_bl503_near_miss_a_finished_conversation_only_listens(lint):
    # After the thank-you the flow waits; only asking for the form again (an intent the wait keeps)
    # starts it over. Waiting silently is a finished conversation, and going round is the person's choice.
    result = lint("""\
        flow f:
          step form:
            ask "Where to?":
              capture destination -> done
          step done:
            say "Thanks, we'll send offers."
            goto listen
          step listen:
            wait for reply as intent
            if intent == "new_request" -> form
            goto listen
        """)
    assert not result.errors, [str(e) for e in result.errors]
    assert only(result, "BL503") == []


LOOKUP = """\
    flow f:
      step city:
        ask "Which city?":
          capture city -> look_up
      step look_up:
        action webhook "https://hooks.brightbean.example/weather"
        say "{shown}"
        goto city
    """


def test_bl503_near_miss_a_lookup_the_person_repeats(lint):
    # Each round code looks up the city and the bot shows what it found: a search box, not a trap.
    result = lint(LOOKUP.format(shown="It is {weather.temperature} °C in {weather.city}."))
    assert not result.errors, [str(e) for e in result.errors]
    assert only(result, "BL503") == []


@pytest.mark.parametrize("shown", [
    "Sorry, {city} is not a city I know.",   # only echoes the answer: no news, the same question again
    "Sorry, I could not find that city.",    # code ran, but nothing it found is shown
])
def test_bl503_flags_a_loop_whose_code_tells_the_person_nothing_new(lint, shown):
    result = lint(LOOKUP.format(shown=shown))
    assert [f.message for f in only(result, "BL503")] == ["loop with no exit: city -> look_up -> city"]


def test_bl503_flags_a_lookup_loop_that_shows_a_value_the_flow_set_itself(lint):
    flow = LOOKUP.format(shown="It is {forecast} today.").replace(
        '        say', '        set forecast = "sunny"\n        say')
    result = lint(flow)
    assert not result.errors, [str(e) for e in result.errors]
    assert [f.message for f in only(result, "BL503")] == ["loop with no exit: city -> look_up -> city"]
