"""Automation rules (BL4xx): a flow each must flag and a near-miss each must not, in several languages."""

import pytest

from conftest import REPO, codes
from linter.core.errors import ConfigError


def only(result, code):
    return [f for f in result.findings if f.code == code]


# --- BL401 auto-dm-on-follow ---------------------------------------------------------------

def test_bl401_flags_a_discount_in_the_dm_sent_on_follow(lint):
    result = lint("""\
        sequence ig_new_followers "Instagram: new followers":
          channel instagram
          language en
          trigger follow
          step hello:
            say "Hey {first_name}, welcome to the Brightbean family!"
            say "As a thank-you, here's 15% off your first bag with code HELLO15."
            end
        """, select=["BL401"])
    [finding] = result.findings
    assert (finding.line, finding.severity) == (7, "error")
    assert finding.message == ("automatic DM on a follow pitches with a discount '15% off', before the person "
                               "has said a word")


def test_bl401_flags_a_link_in_a_connection_note_and_behind_a_button(lint):
    result = lint("""\
        sequence li_accept:
          channel linkedin
          trigger connection-accepted
          step thanks:
            say "Thanks for connecting, {first_name}! Our latest case study: https://brightbean.example/b2b"
            end
        sequence tg_subscribers:
          channel telegram
          trigger subscribe
          step hi:
            ask "Welcome, {first_name|friend}! Fancy a look around?":
              button "Open the shop" url "https://brightbean.example"
              otherwise -> bye
          step bye:
            end
        """, select=["BL401"])
    assert [(f.line, f.severity) for f in result.findings] == [(5, "error"), (11, "error")]
    assert "on an accepted connection request sends a link 'https://brightbean.example/b2b'" \
        in result.findings[0].message
    assert "on a subscription sends a link (button 'Open the shop'" in result.findings[1].message


@pytest.mark.parametrize("language, text, evidence", [
    ("de", "Danke fürs Folgen! Jetzt bestellen und die erste Packung sichern.", "Jetzt bestellen"),
    ("ru", "Спасибо за подписку! Ваш промокод на первый заказ: KOFE10", "промокод"),
    ("hr", "Hvala na praćenju! Naruči odmah i dobij vrećicu kave na poklon.", "Naruči odmah"),
])
def test_bl401_flags_a_pitch_in_other_languages(lint, language, text, evidence):
    result = lint(f"""\
        sequence followers:
          channel instagram
          language {language}
          trigger follow
          step hello:
            say "Hallo {{first_name}}!"
            say "{text}"
            end
        """, select=["BL401"])
    [finding] = result.findings
    assert finding.line == 7 and f"'{evidence}'" in finding.message


@pytest.mark.parametrize("language, text, flagged", [
    ("en", "Acme: you're in! Plan 4.99 USD a month. Msg and data rates may apply. Reply STOP to cancel.", False),
    ("en", "Acme: you're in! Beans are 4.99 USD today only.", True),  # no terms: a pitch
    ("de", "Acme: Ihr Gartenabo für 4,99 € im Monat ist aktiv. Antworten Sie STOP zum Abmelden.", False),
    ("ru", "Acme: подписка за 299 ₽ в месяц оформлена. Для отписки отправьте СТОП.", False),
    ("hr", "Acme: pretplata od 4,99 € mjesečno je aktivna. Za odjavu pošaljite STOP.", False),
])
def test_bl401_a_subscription_confirmation_with_its_terms_is_no_pitch(lint, language, text, flagged):
    result = lint(f"""\
        sequence garden:
          channel sms
          language {language}
          trigger subscribe "Garden tips"
          step confirm:
            say "{text}"
            end
        """, select=["BL401"])
    assert codes(result) == (["BL401"] if flagged else [])


def test_bl401_after_a_subscription_only_the_dm_on_subscribing_is_judged(lint):
    source = """\
        sequence brew_tips:
          channel sms
          trigger subscribe "Brew tips"
          step welcome:
            say "Hi {{first_name|there}}, welcome to brew tips: 1 msg/week. Reply STOP to opt out."
            {wait}
            say "Tip 1: rinse the paper filter before you brew. Video: https://brightbean.example/rinse"
            end
        """
    assert codes(lint(source.format(wait="wait 7d"), select=["BL401"])) == []  # the program's content
    assert codes(lint(source.format(wait="wait 5m"), select=["BL401"])) == ["BL401"]  # part of the DM
    confirmation = """\
        sequence webinar:
          channel telegram
          trigger subscribe "Webinar"
          step registered:
            say "You're registered for Thursday's webinar at 19:00. I'll remind you the day before."
            end
        """
    assert codes(lint(confirmation, select=["BL401"])) == []  # the same text for everyone, as it should be


@pytest.mark.parametrize("language, text", [
    ("de", "Danke für Ihre Anmeldung zum Webinar. Mit STOP melden Sie sich ab."),
    ("de", "Danke für Ihre Anmeldung zum Webinar. Senden Sie /stop, um sich abzumelden."),
    ("en", "Thanks for signing up for the webinar. Send /stop to opt out."),
    ("ru", "Спасибо за регистрацию на вебинар. Чтобы отписаться, отправьте /stop."),
])
def test_bl401_opt_out_said_as_people_say_it_makes_a_confirmation(lint, language, text):
    result = lint(f"""\
        sequence anmeldung:
          channel telegram
          language {language}
          trigger subscribe "Webinar"
          step confirm:
            say "{text}"
            end
        """, select=["BL401"])
    assert codes(result) == []


def test_bl401_warns_about_a_form_letter_one_level_below_the_rule(lint):
    source = """\
        sequence new_followers:
          channel instagram
          trigger follow
          step hello:
            say "Thanks for following! We post a new roast every Tuesday."
            ask "What do you brew with at home?":
              reply "Espresso" -> done
              reply "Filter" -> done
              otherwise -> done
          step done:
            say "Nice, thanks for telling us!"
            end
        """
    [finding] = lint(source, select=["BL401"]).findings
    assert (finding.line, finding.severity) == (5, "warning")
    assert "on a follow is a form letter: nothing before the person's first reply is personalised" in finding.message
    lowered = lint(source, select=["BL401"], config="severity: {BL401: warning}\n")
    assert [f.severity for f in lowered.findings] == ["info"]


def test_bl401_near_misses(lint):
    result = lint("""\
        sequence ig_followers:
          channel instagram
          trigger follow
          step hello:
            ask "Hi {first_name|there}, thanks for the follow! Espresso or filter?":
              reply "Espresso" -> espresso
              otherwise -> espresso
          step espresso:
            say "Then you'll love Night Owl: 20% off this week at https://brightbean.example/shop"
            end
        sequence li_webinar:
          channel linkedin
          trigger connection-accepted
          audience segment "Webinar attendees"
          step thanks:
            say "Thanks for connecting! Glad you made it to the onboarding webinar."
            end
        sequence wa_optin:
          channel whatsapp
          trigger opt-in
          step welcome:
            say "You're in! Here's 10% off your first order: https://brightbean.example/shop"
            end
        sequence de_followers:
          channel instagram
          language de
          trigger follow
          step hallo:
            say "Hallo {first_name}, danke fürs Folgen! Wie trinkst du deinen Kaffee am liebsten?"
            end
        """, select=["BL401"])
    assert codes(result) == []


# --- BL402 follow-up-barrage ---------------------------------------------------------------

CADENCE = """\
    sequence cold_cadence:
      channel linkedin
      trigger connection-accepted
      step one:
        say "Thanks for connecting, {first_name}! How does your team onboard new clients today?"
        followup after 4d:
          say "Curious whether onboarding is on your radar this quarter."
        followup after 4d:
          say "Sharing a short checklist we use: https://brightbean.example/checklist"
        followup after 5d:
          say "Should I stop writing about this?"
        followup after 7d:
          say "Last note from me: if it ever becomes a priority, I'm here."
        end
    """


def test_bl402_flags_the_fourth_unanswered_follow_up(lint):
    [finding] = only(lint(CADENCE, select=["BL402"]), "BL402")
    assert finding.line == 13
    assert finding.message == "follow-up number 4 without a reply (more than 3)"


def test_bl402_max_followups_comes_from_the_rule_pack(lint, tmp_path):
    (tmp_path / "pack.yaml").write_text("rules:\n  BL402: {max_followups: 4}\n", encoding="utf-8")
    assert only(lint(CADENCE, select=["BL402"], config="rulesets: [pack.yaml]\n"), "BL402") == []


def test_bl402_flags_a_nudge_that_loops_for_ever(lint):
    result = lint("""\
        sequence reengage:
          channel messenger
          trigger tag-added "inactive"
          step hello:
            say "Hi {first_name|there}, we miss you at Brightbean!"
          step ping:
            wait 1w
            say "New roasts are in. Still keen on coffee?"
            goto ping
        """, select=["BL402"])
    assert [(f.line, f.message) for f in result.findings] == [
        (8, "follow-ups without a reply repeat in a loop, with no limit (more than 3)")]


def test_bl402_flags_a_nudge_the_next_day(lint, tmp_path):
    source = """\
        sequence demo_nudge:
          channel linkedin
          trigger connection-accepted
          step hello:
            say "Hi {first_name}, thanks for connecting! Want to see a two-minute demo?"
            wait for reply timeout 1d -> nudge
            end
          step nudge:
            say "Just bumping this up in case it got buried!"
            end
        """
    [finding] = lint(source, select=["BL402"]).findings
    assert finding.line == 9
    assert finding.message == "sent 24 hours after the previous unanswered message (less than 2 days)"
    (tmp_path / "pack.yaml").write_text("rules:\n  BL402: {min_gap_days: 1}\n", encoding="utf-8")
    assert lint(source, select=["BL402"], config="rulesets: [pack.yaml]\n").findings == []


@pytest.mark.parametrize("trigger, audience, flagged", [
    ('event "webinar_day_before"', "opted-in", False),  # reminders of their own booking
    ('subscribe "Webinar tips"', "opted-in", False),  # the program they subscribed to
    ('event "cart_abandoned"', "everyone", True),  # nobody asked: a chase
    ('tag-added "Lead"', "opted-in", True),
])
def test_bl402_reminders_the_person_asked_for_are_no_barrage(lint, trigger, audience, flagged):
    result = lint(f"""\
        sequence reminders:
          channel telegram
          trigger {trigger}
          audience {audience}
          step day_before:
            say "Quick reminder: the webinar starts tomorrow at 18:00. I'll send your link an hour before."
            wait 1d
            say "We start in an hour! Here's your link: https://webinar.example/june"
            end
        """, select=["BL402"])
    assert codes(result) == (["BL402"] if flagged else [])


def test_bl402_near_misses_pacing_bubbles_an_answered_thread_and_an_opt_in_course(lint):
    result = lint("""\
        flow faq:
          channel messenger
          trigger message keywords "hours"
          step hours:
            say "We're open 8 to 6 on weekdays."
            wait 5s
            say "And 9 to 2 on Saturdays."
            wait 5s
            say "Sundays we rest."
            wait 5s
            say "Public holidays too."
            wait 5s
            say "Anything else?"
            end
        sequence brew_course "5-day brewing course":
          channel whatsapp
          trigger opt-in
          audience opted-in
          step day1:
            say "Day 1: grind size. Finer for espresso, coarser for French press."
            wait 1d
            say "Day 2: water. Just off the boil, about 94 degrees."
            wait 1d
            say "Day 3: ratio. Start with 1 to 16."
            wait 1d
            say "Day 4: bloom. Wet the grounds and wait 30 seconds."
            wait 1d
            say "Day 5: taste and adjust. That's the course!"
            followup after 3d:
              say "How did your brews turn out, {first_name}?"
            end
        sequence linkedin_followup:
          channel linkedin
          trigger connection-accepted
          step thanks:
            say "Thanks for connecting, {first_name}!"
            wait for reply timeout 4d -> nudge
            end
          step nudge:
            followup after 3d:
              say "What's the hardest part of onboarding for your team right now?"
            end
        """, select=["BL402"])
    assert codes(result) == []


def test_bl402_opt_in_flow_still_checks_its_reminders(lint):
    result = lint("""\
        sequence lead_magnet:
          channel messenger
          trigger opt-in
          step send:
            say "Here's your brew guide, {first_name}: https://brightbean.example/guide"
            followup after 12h:
              say "Did the guide arrive? Let me know if the link doesn't work."
            end
        """, select=["BL402"])
    assert [(f.line, f.message) for f in result.findings] == [
        (7, "sent 12 hours after the previous unanswered message (less than 2 days)")]


# --- BL403 mass-mentions -------------------------------------------------------------------

def test_bl403_flags_many_handles_and_a_mention_count(lint):
    result = lint("""\
        sequence giveaway:
          channel instagram
          trigger schedule at 10:00
          step post:
            action post "Giveaway! Win a year of coffee. @ana.brews @coffeetom @Latte_Lu @beanqueen @ana.brews"
            action mention "Tag 3 friends who need coffee" count 12
            end
        """, select=["BL403"])
    assert [f.line for f in result.findings] == [5, 6]
    assert "tags 4 people (@ana.brews, @coffeetom, @Latte_Lu, @beanqueen); more than 3" in result.findings[0].message
    assert "tags 12 people; more than 3" in result.findings[1].message


def test_bl403_near_misses_and_the_pack_limit(lint, tmp_path):
    source = """\
        sequence collab:
          channel instagram
          trigger schedule at 10:00
          step post:
            action post "Autumn roast, shot by @mira.photo with @ana.brews and @coffeetom. Ask: hi@brightbean.example"
            say "Write to orders@brightbean.example or support@brightbean.example, or ping @brightbean."
            end
        """
    assert codes(lint(source, select=["BL403"])) == []
    (tmp_path / "pack.yaml").write_text("rules:\n  BL403: {max_mentions: 2}\n", encoding="utf-8")
    assert [f.line for f in lint(source, select=["BL403"], config="rulesets: [pack.yaml]\n").findings] == [5]


# --- BL404 inhuman-volume ------------------------------------------------------------------

def test_bl404_flags_daily_connection_requests_over_the_weekly_cap(lint):
    result = lint("""\
        sequence grow:
          channel linkedin
          trigger schedule every 1d
          step connect:
            action connect "Hi {first_name}, fellow coffee nerd here!" limit 40 per day
            end
        """, select=["BL404"])
    [finding] = result.findings
    assert (finding.line, finding.col) == (5, 64)
    assert finding.message == ("limit 40 per day is 40 connection requests a day, 280 a week; "
                               "one person on linkedin manages about 20 a day, 100 a week")


def test_bl404_hourly_limits_use_the_send_window_and_counts_the_schedule(lint):
    result = lint("""\
        sequence likes:
          channel instagram
          trigger schedule every 1h
          window 09:00-17:00 recipient
          step like:
            action like limit 20 per hour
            action follow count 5
            end
        sequence x_follow:
          channel twitter
          trigger broadcast
          step follow:
            action follow count 300
            end
        """, select=["BL404"])
    assert [f.line for f in result.findings] == [6, 7, 13]
    assert "limit 20 per hour over 8 sending hours is 160 likes a day" in result.findings[0].message
    assert "count 5 every 1h is 120 follows a day" in result.findings[1].message
    assert "count 300 at once is 300 follows a day, 300 a week; one person on x" in result.findings[2].message


def test_bl404_near_misses(lint):
    result = lint("""\
        sequence polite_grow:
          channel linkedin
          trigger schedule every 1d
          step connect:
            action connect "Hi {first_name}, loved your talk on onboarding!" limit 60 per week
            action like limit 10 per day
            action follow
            end
        sequence restock:
          channel whatsapp
          trigger broadcast
          audience opted-in
          step alert:
            action message "Your beans are back!" limit 5000 per day
            end
        sequence unknown_channel:
          trigger schedule every 1d
          step connect:
            action connect limit 500 per day
            end
        """, select=["BL404"])
    assert codes(result) == []


def test_bl404_figures_come_from_the_rule_pack(lint, tmp_path):
    (tmp_path / "pack.yaml").write_text(
        "rules:\n  BL404:\n    per_person:\n      linkedin:\n        connect: {week: 50}\n", encoding="utf-8")
    result = lint("""\
        sequence grow:
          channel linkedin
          trigger schedule every 1d
          step connect:
            action connect limit 60 per week
            end
        """, select=["BL404"], config="rulesets: [pack.yaml]\n")
    assert [f.message for f in result.findings] == [
        "limit 60 per week is 8.6 connection requests a day, 60 a week; one person on linkedin manages about 50 a week"]


# --- BL405 quiet-hours ---------------------------------------------------------------------

def test_bl405_flags_a_window_a_wait_and_a_schedule_at_night(lint):
    result = lint("""\
        sequence restock:
          channel whatsapp
          trigger broadcast "Restock alerts"
          audience opted-in
          window 07:00-23:00 recipient
          step alert:
            say "Your favourite beans are back, {first_name}!" template "restock" category utility
            end
        sequence launch:
          channel messenger
          trigger schedule at 22:30
          audience opted-in
          step teaser:
            say "Tomorrow we launch our winter roast. Sleep well!"
            wait until 06:00
            say "It's here: Winter Fire is live."
            end
        """, select=["BL405"])
    assert [f.line for f in result.findings] == [5, 11, 15]
    assert all(f.severity == "warning" for f in result.findings)
    assert result.findings[0].message == ("send window 07:00-23:00 (the recipient's time) overlaps the quiet "
                                          "hours 21:00-08:00: 07:00-08:00, 21:00-23:00")
    assert "schedule at 22:30 (the account's clock) sends at night" in result.findings[1].message
    assert "wait until 06:00 (the recipient's time) sends at night" in result.findings[2].message


def test_bl405_informs_about_one_clock_for_a_scattered_audience(lint):
    result = lint("""\
        sequence webinar_reminder:
          channel linkedin
          trigger schedule at 10:00
          audience segment "Webinar sign-ups"
          window 09:00-18:00 "Europe/Berlin"
          step remind:
            say "Our brewing webinar starts in one hour, {first_name}."
            wait until 11:00 "Europe/Berlin"
            say "We're live now!"
            end
        """, select=["BL405"])
    [finding] = result.findings
    assert (finding.line, finding.severity) == (3, "info")
    assert finding.message == ("schedule at 10:00 (the account's clock) is on one clock for audience segment "
                               "'Webinar sign-ups', whose people may live in other time zones "
                               "(and 2 more on one clock)")


def test_bl405_near_misses(lint):
    result = lint("""\
        sequence restock:
          channel whatsapp
          trigger broadcast "Restock alerts"
          audience opted-in
          window 09:00-20:00 recipient
          step alert:
            say "Your favourite beans are back, {first_name}!" template "restock" category utility
            wait until 23:00
            say "Reserved packs go back on the shelf tomorrow."
            end
        sequence late_chat:
          channel messenger
          trigger message keywords "hours"
          window 00:00-00:00 recipient
          step answer:
            say "We're open until 18:00 on weekdays."
            end
        sequence digest:
          channel email
          trigger schedule at 07:30
          audience everyone
          window 09:00-18:00 recipient
          step send:
            say "This week's brewing tips are in."
            end
        """, select=["BL405"])
    assert codes(result) == []


def test_bl405_quiet_hours_come_from_the_rule_pack(lint, tmp_path):
    source = """\
        sequence evening_tip:
          channel messenger
          trigger schedule at 21:30
          audience opted-in
          step tip:
            say "Tonight's tip: grind right before you brew."
            end
        """
    assert [f.line for f in lint(source, select=["BL405"]).findings] == [3]
    (tmp_path / "pack.yaml").write_text('rules:\n  BL405: {quiet_hours: "22:00-07:00"}\n', encoding="utf-8")
    assert lint(source, select=["BL405"], config="rulesets: [pack.yaml]\n").findings == []
    (tmp_path / "pack.yaml").write_text('rules:\n  BL405: {quiet_hours: "late"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="quiet_hours"):
        lint(source, select=["BL405"], config="rulesets: [pack.yaml]\n")


# --- BL406 cold-dm -------------------------------------------------------------------------

def test_bl406_flags_the_first_message_to_a_cold_list_and_to_everyone(lint):
    result = lint("""\
        sequence q3_outreach:
          channel linkedin
          trigger schedule at 10:00
          audience cold-list "leads-q3.csv"
          step pitch:
            say "Hi {first_name}, we help agencies cut onboarding time in half."
            ask "Got 15 minutes this week?":
              reply "Sure" -> book
              otherwise -> book
          step book:
            handoff to "Sales"
        sequence black_friday:
          channel sms
          trigger broadcast
          audience everyone
          step offer:
            action message "Brightbean: 30% off all beans this weekend only."
            end
        """, select=["BL406"])
    assert [(f.line, f.severity) for f in result.findings] == [(6, "error"), (17, "error")]
    assert result.findings[0].message == ("unsolicited message to a cold list ('leads-q3.csv'), started by a "
                                          "schedule trigger, not by the person (and 1 more before anyone replies)")
    assert "to everyone, including people who never opted in, started by a broadcast trigger" \
        in result.findings[1].message


def test_bl406_near_misses(lint):
    result = lint("""\
        sequence newsletter:
          channel whatsapp
          trigger broadcast
          audience opted-in
          step news:
            say "New roast this week: Ethiopia Guji."
            end
        sequence cold_connect:
          channel linkedin
          trigger schedule every 1d
          audience cold-list "leads.csv"
          step knock:
            action connect "Hi {first_name}, loved your talk on onboarding!" limit 12 per day
            end
        sequence after_accept:
          channel linkedin
          trigger connection-accepted
          audience cold-list "leads.csv"
          step thanks:
            say "Thanks for connecting, {first_name}!"
            end
        sequence shipped:
          channel whatsapp
          trigger event "order.shipped"
          audience everyone
          step notify:
            say "Your order {order_id} is on its way." template "order_shipped" category utility
            end
        sequence inbound:
          channel messenger
          trigger message
          audience everyone
          step hi:
            say "Hi! How can we help?"
            end
        """, select=["BL406"])
    assert codes(result) == []


def test_bl406_transactional_categories_come_from_the_rule_pack(lint, tmp_path):
    source = """\
        sequence shipped:
          channel whatsapp
          trigger event "order.shipped"
          audience everyone
          step notify:
            say "Your order {order_id} is on its way." template "order_shipped" category utility
            end
        """
    (tmp_path / "pack.yaml").write_text("rules:\n  BL406: {transactional_categories: [authentication]}\n",
                                        encoding="utf-8")
    assert [f.line for f in lint(source, select=["BL406"], config="rulesets: [pack.yaml]\n").findings] == [6]


# --- BL407 canned-reply --------------------------------------------------------------------

def test_bl407_flags_identical_public_replies_and_dms_to_every_commenter(lint):
    result = lint("""\
        flow comment_reply:
          channel instagram
          trigger comment "autumn-roast-post"
          step reply:
            action comment "Thanks for your comment! Check your DMs 📩"
            say "Thanks for commenting! Our autumn roast is here: https://brightbean.example/autumn"
            end
        """, select=["BL407"])
    assert [f.line for f in result.findings] == [5, 6]
    assert "the same public reply 'Thanks for your comment! Check your DMs 📩' under every comment" \
        in result.findings[0].message
    assert "the same DM 'Thanks for commenting!" in result.findings[1].message


def test_bl407_near_misses_placeholder_keywords_and_branching(lint):
    result = lint("""\
        flow guide_on_request:
          channel instagram
          trigger comment "brew-guide-post" keywords "GUIDE"
          step reply:
            action comment "Sent, {first_name}! Enjoy the guide."
            say "Here's the brew guide you asked for: https://brightbean.example/guide"
            end
        flow by_customer:
          channel messenger
          trigger comment "menu-post"
          step route:
            if tag "customer" -> regular else -> newcomer
          step regular:
            action comment "Good to see you again!"
            end
          step newcomer:
            action comment "Welcome! Our menu is in the highlights."
            end
        """, select=["BL407"])
    assert codes(result) == []


def test_bl407_flags_a_post_cross_posted_unchanged(lint):
    result = lint("""\
        sequence li_launch:
          channel linkedin
          trigger schedule at 10:00
          step post:
            action post "Our winter roast is here. Dark chocolate, cherry, a hint of smoke."
            end
        sequence x_launch:
          channel x
          trigger schedule at 10:00
          step post:
            action post "Our winter roast is here.  Dark chocolate, cherry, a hint of smoke."
            end
        sequence tw_launch:
          channel twitter
          trigger schedule at 11:00
          step post:
            action post "Our Winter Roast is here. Dark chocolate, cherry, a hint of smoke."
            end
        """, select=["BL407"])
    assert [f.line for f in result.findings] == [11, 17]
    assert result.findings[0].message == "same post text as on linkedin (line 5), cross-posted unchanged to x"


def test_bl407_near_miss_texts_written_per_network(lint):
    result = lint("""\
        sequence li_launch:
          channel linkedin
          trigger schedule at 10:00
          step post:
            action post "Our winter roast is here: what went into sourcing it, in a short thread below."
            action post "Our winter roast is here: what went into sourcing it, in a short thread below."
            end
        sequence x_launch:
          channel x
          trigger schedule at 10:00
          step post:
            action post "Winter roast is live ☕ Dark chocolate, cherry, smoke."
            end
        """, select=["BL407"])
    assert codes(result) == []


# --- BL408 fake-personal-touch -------------------------------------------------------------

@pytest.mark.parametrize("language, text, claim", [
    ("en", "Hi {first_name}, I came across your profile and had to reach out!", "I came across your profile"),
    ("de", "Hallo {first_name}, ich bin gerade auf dein Profil gestoßen.", "bin gerade auf dein Profil gestoßen"),
    ("ru", "Привет, {first_name}! Я не бот, честно.", "Я не бот"),
    ("hr", "Bok {first_name}, ovo nije automatska poruka.", "ovo nije automatska poruka"),
    ("en", "Hi {first_name}, I noticed your recent post on logistics.", "I noticed your recent post"),
    ("de", "Hallo {first_name}, Ihr Beitrag zur Logistik ist mir sofort aufgefallen.",
     "Ihr Beitrag zur Logistik ist mir sofort aufgefallen"),
])
def test_bl408_flags_claims_of_handwork(lint, language, text, claim):
    result = lint(f"""\
        sequence connect_note:
          channel linkedin
          language {language}
          trigger connection-accepted
          step hello:
            say "{text}"
            end
        """, select=["BL408"])
    [finding] = result.findings
    assert finding.line == 6 and f"claims a personal touch: '{claim}'" in finding.message


def test_bl408_a_quoted_label_is_no_claim(lint):
    source = """\
        flow podpiska:
          channel telegram
          language ru
          trigger message keywords "подписка"
          step hello:
            say "{text}"
            end
        """
    quoted = source.format(text="Поставьте галочку «Я не робот» и нажмите «Далее».")
    assert codes(lint(quoted, select=["BL408"])) == []
    claimed = source.format(text="Я не робот, пишу вам лично!")
    assert codes(lint(claimed, select=["BL408"])) == ["BL408"]


def test_bl408_checks_every_bot_text(lint):
    result = lint("""\
        sequence newsletter_signoff:
          channel email
          trigger broadcast
          audience opted-in
          step send:
            action email "Fresh beans are in. Sent from my iPhone"
            handoff to "Sales":
              tell "I personally will answer you within a day."
        """, select=["BL408"])
    assert [f.line for f in result.findings] == [6, 7]


def test_bl408_near_misses_true_statements_and_a_language_without_lexicon(lint):
    result = lint("""\
        flow help:
          channel messenger
          trigger message
          step start:
            say "Thanks for your message! Sam from our team will reply to you personally today."
            handoff to "Care":
              tell "I'm Brightbean's assistant. I've passed your question to Sam."
        flow aide:
          channel messenger
          language fr
          trigger message
          step start:
            say "Sent from my iPhone"
            end
        flow hilfe:
          channel messenger
          language de
          trigger message
          step start:
            say "Ich habe mir deine Frage angesehen: die Bestellung ist unterwegs."
            end
        """, select=["BL408"])
    assert codes(result) == []
    assert any("no lexicon for language 'fr'" in notice for notice in result.notices)


# --- shipped examples ----------------------------------------------------------------------

AUTOMATION_CODES = {f"BL40{n}" for n in range(1, 9)}


def test_bad_example_raises_every_automation_rule(lint):
    source = (REPO / "examples" / "automation-bad.flow").read_text(encoding="utf-8")
    result = lint(source, name="automation-bad.flow")
    assert result.errors == []
    assert AUTOMATION_CODES <= set(codes(result))


def test_good_example_is_clean_under_every_rule(lint):
    source = (REPO / "examples" / "automation-good.flow").read_text(encoding="utf-8")
    result = lint(source, name="automation-good.flow")
    assert result.errors == [] and result.findings == []


def test_bl405_leaves_channels_with_legal_send_hours_to_bl708(lint):
    source = """\
        sequence tips:
          channel sms
          language en
          trigger schedule every 1w at 07:00
          audience opted-in
          step tip:
            say "Brew tip of the week: rinse the filter first. Reply STOP to opt out."
            end
        """
    assert {f.code for f in lint(source, select=["BL405", "BL708"]).findings} == {"BL708"}
    assert [f.code for f in lint(source.replace("sms", "messenger"), select=["BL405"]).findings] == ["BL405"]


FALLBACK = {
    "en": ("Sorry, nobody from the team got to you in time. Call us at 555 0142.", "Still there?", "Any news?"),
    "de": ("Tut mir leid, heute hat es niemand aus dem Team geschafft. Ruf uns an: 030 1234.", "Noch da?",
           "Schon etwas Neues?"),
    "ru": ("Простите, никто из команды не успел ответить. Позвоните нам: 8 800 555 35 35.", "Вы ещё здесь?",
           "Есть новости?"),
    "hr": ("Oprostite, nitko iz tima nije stigao odgovoriti. Nazovite nas na 01 234 5678.", "Jeste li još tu?",
           "Ima li novosti?"),
}


HANDOFF_THEN = """\
    flow support:
      channel webchat
      language {language}
      trigger message
      step start:
        handoff to "Support":
          owner "ana@example.com"
          sla 2h
          tell "Ana"
          unanswered -> sorry
      step sorry:
        say "{sorry}"
{after}
        end
    """


@pytest.mark.parametrize("language", sorted(FALLBACK))
def test_bl402_near_miss_a_handoffs_fallback_answers_the_wait(lint, language):
    sorry, _, _ = FALLBACK[language]
    result = lint(HANDOFF_THEN.format(language=language, sorry=sorry, after=""))
    assert [f for f in result.findings if f.code == "BL402"] == []


@pytest.mark.parametrize("language", sorted(FALLBACK))
def test_bl402_flags_nudges_after_the_fallback_that_nobody_answers(lint, language):
    sorry, nudge, again = FALLBACK[language]
    after = f'        followup after 1d:\n          say "{nudge}"\n        followup after 1d:\n          say "{again}"'
    result = lint(HANDOFF_THEN.format(language=language, sorry=sorry, after=after))
    flagged = [f.snippet for f in result.findings if f.code == "BL402"]
    assert len(flagged) == 2 and nudge in flagged[0] and again in flagged[1]
