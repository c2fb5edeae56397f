"""The model layer's answers: turn-taking, timing, reachability and successors."""

import textwrap

from linter.model.analysis import INF, FlowAnalysis
from linter.parse import parse_text


def analyse(source: str) -> FlowAnalysis:
    return FlowAnalysis(parse_text(textwrap.dedent(source), "t.flow").document.flows[0])


def says(analysis: FlowAnalysis) -> dict[str, object]:
    return {say.say: timing for say, timing in analysis.outgoing_messages()}


WELCOME = """\
    flow f:
      trigger message
      step greet:
        say "Hi!"
        say "I'm a bot."
        ask "What do you need?":
          reply "Prices" -> prices
          otherwise -> help
      step prices:
        say "From 9 EUR."
        end
      step help:
        say "Let me get a human."
        handoff to "Support":
          sla 4h
          unanswered -> sorry
      step sorry:
        say "Sorry for the wait."
        end
      step orphan:
        say "Nobody gets here."
    """


def test_messages_before_first_reply():
    analysis = analyse(WELCOME)
    assert [say.say for say in analysis.messages_before_first_reply()] == ["Hi!", "I'm a bot."]


def test_bot_streak_counts_messages_in_a_row():
    timing = says(analyse(WELCOME))
    assert (timing["Hi!"].bot_streak, timing["I'm a bot."].bot_streak, timing["From 9 EUR."].bot_streak) == (1, 2, 1)


def test_time_since_last_user_message_through_a_handoff_timeout():
    timing = says(analyse(WELCOME))
    assert timing["Sorry for the wait."].since_user == (4 * 3600, 4 * 3600)
    assert timing["Hi!"].since_user == (0, 0)


def test_reachable_steps_and_unreached_messages():
    analysis = analyse(WELCOME)
    assert analysis.reachable_steps() == {"greet", "prices", "help", "sorry"}
    assert "Nobody gets here." not in says(analysis)


def test_successors_with_edge_kinds():
    analysis = analyse(WELCOME)
    assert [(e.target, e.kind, e.user_replied) for e in analysis.successors("greet")] == [
        ("prices", "reply", True), ("help", "otherwise", True)]
    assert [(e.target, e.kind) for e in analysis.successors("help")] == [("sorry", "unanswered")]
    assert analysis.successors("prices") == []


def test_fall_through_to_next_step():
    analysis = analyse("""\
        sequence s:
          step one:
            say "a"
          step two:
            say "b"
        """)
    assert [(e.target, e.kind) for e in analysis.successors("one")] == [("two", "next")]


SEQUENCE = """\
    sequence drip:
      trigger connection-accepted
      step hello:
        say "Thanks for connecting."
        wait for reply timeout 3d -> nudge
        say "Great to hear from you."
        end
      step nudge:
        followup after 2d:
          say "Just checking in."
        wait 1w
        say "Last one, promise."
    """


def test_sequence_timing_when_the_person_never_wrote():
    timing = says(analyse(SEQUENCE))
    nudge = timing["Just checking in."]
    assert nudge.user_silent_path and not nudge.after_reply
    assert nudge.since_trigger == (5 * 86400, 5 * 86400)
    assert nudge.since_user == (INF, 0.0)  # no path where the person wrote
    last = timing["Last one, promise."]
    assert last.since_trigger == (12 * 86400, 12 * 86400)


def test_reply_within_a_timeout():
    timing = says(analyse(SEQUENCE))["Great to hear from you."]
    assert timing.after_reply and not timing.before_first_reply
    assert timing.since_user == (0, 0)
    assert timing.since_trigger == (0, 3 * 86400)


def test_loops_terminate_and_widen_to_infinity():
    analysis = analyse("""\
        flow f:
          trigger message
          step ping:
            say "Still there?"
            wait 1d
            goto ping
        """)
    timing = says(analysis)["Still there?"]
    assert timing.since_user[0] == 0 and timing.since_user[1] == INF
    assert timing.bot_streak >= 2


def test_branches_cover_both_paths():
    timing = says(analyse("""\
        flow f:
          trigger message
          step s:
            if tag "vip" -> fast else -> slow
          step fast:
            say "done"
            end
          step slow:
            wait 2h
            goto fast
        """))["done"]
    assert timing.since_user == (0, 2 * 3600)


def test_wait_until_adds_up_to_a_day():
    timing = says(analyse("""\
        sequence s:
          trigger message
          step s:
            wait until 09:00
            say "Morning!"
        """))["Morning!"]
    assert timing.since_user == (0, 86400)


def test_send_window_can_hold_a_message_back():
    timing = says(analyse("""\
        sequence s:
          trigger message
          window 09:00-17:00 recipient
          step s:
            say "Hi!"
            wait 1d
            say "Checking in."
        """))
    assert timing["Hi!"].since_user == (0, 16 * 3600)  # written at 17:01: held until 09:00
    assert timing["Checking in."].since_user == (86400, 86400 + 16 * 3600)


def test_timing_is_recorded_for_handoffs_too():
    analysis = analyse(WELCOME)
    handoff = analysis.steps["help"].do[1]
    assert analysis.timing(handoff).since_user == (0, 0)
    assert analysis.timing(analysis.steps["greet"].do[2]).question_number == 1


def test_set_variables_count_as_filled_on_later_messages():
    analysis = analyse("""\
        flow f:
          trigger message
          step s:
            if tag "vip" -> vip else -> plain
          step vip:
            set perk = "free shipping"
            goto offer
          step plain:
            goto offer
          step offer:
            say "Your perk: {perk}"
            end
        """)
    assert says(analysis)["Your perk: {perk}"].captured == frozenset()  # not on the 'plain' path
    analysis = analyse('flow f:\n  trigger message\n  step s:\n    set perk\n    say "{perk}"\n    end\n')
    assert says(analysis)["{perk}"].captured == frozenset({"perk"})


def test_follow_up_numbers_and_gaps():
    timing = says(analyse("""\
        sequence s:
          trigger connection-accepted
          step s:
            say "Thanks for connecting."
            wait 5s
            say "Here is our guide."
            followup after 2d:
              say "Did you get a chance to read it?"
            followup after 1d:
              say "Last nudge."
        """))
    assert timing["Thanks for connecting."].followup_number == 0
    assert timing["Here is our guide."].followup_number == 0  # a 5 s pause paces one burst
    assert timing["Did you get a chance to read it?"].followup_number == 1
    assert timing["Did you get a chance to read it?"].gap_before == (2 * 86400 + 5, 2 * 86400 + 5)
    assert timing["Last nudge."].followup_number == 2
    assert timing["Last nudge."].gap_before == (86400, 86400)


def test_a_branch_that_tests_a_variable_is_set_fills_it_on_that_edge():
    timings = says(analyse("""\
        flow f:
          trigger message
          step a:
            if nickname != "" -> known else -> unknown
          step known:
            say "known"
            if order == "null" -> a
            say "after the test"
            end
          step unknown:
            say "unknown"
            if nickname == "vip" -> known
            say "not vip"
            end
        """))
    assert "nickname" in timings["known"].captured  # then-edges of `!= ""` and of `== "vip"`
    assert "nickname" not in timings["unknown"].captured  # the else-edge knows nothing
    assert "order" in timings["after the test"].captured  # falls through `== "null"`: set
    assert "nickname" not in timings["not vip"].captured  # a comparison with a value proves nothing more


def test_a_wait_for_reply_can_keep_the_answer():
    timings = says(analyse("""\
        flow f:
          trigger message
          step a:
            say "What do you need?"
            wait for reply as topic timeout 1d -> later
            say "about the answer"
            end
          step later:
            say "nothing came"
            end
        """))
    assert "topic" in timings["about the answer"].captured
    assert "topic" not in timings["nothing came"].captured  # the timeout: nobody answered
