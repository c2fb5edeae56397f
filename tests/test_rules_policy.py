"""Platform-policy rules (BL7xx): flows each must flag and near-misses each must not.

The time semantics the window rules rest on (waits, follow-ups, replies,
loops, send windows, handoffs) are exercised through the rules themselves.
"""

import textwrap
from pathlib import Path

import pytest

from conftest import REPO, codes
from linter.cli import main


@pytest.fixture
def lint(lint):
    """The shared `lint`, plus: every snippet here must parse (a flow that fails to parse has no findings)."""
    def run(source, *args, **kwargs):
        result = lint(source, *args, **kwargs)
        assert not result.errors, [error.message for error in result.errors]
        return result

    return run


def join(*sources):
    return "".join(textwrap.dedent(source) for source in sources)


def only(result, code):
    return [f for f in result.findings if f.code == code]


def lines(result, code):
    return [f.line for f in only(result, code)]


# --- BL701 outside-messaging-window -------------------------------------------------------

MESSENGER_NUDGE = """\
    flow grinder:
      channel messenger
      trigger message keywords "grinder"
      step start:
        say "I'm the Brightbean bot. The Ode grinder is back, 289 EUR."
        say "Want me to hold one for you? Just reply YES."
        wait for reply timeout {timeout} -> nudge
        goto hold
      step hold:
        say "Done! It's reserved under your name until Friday."
        end
      step nudge:
        say "Still thinking about the Ode grinder?"
        end
    """


def test_bl701_flags_a_nudge_two_days_after_the_persons_last_message(lint):
    result = lint(MESSENGER_NUDGE.format(timeout="2d"), select=["BL701"])
    [finding] = result.findings
    assert (finding.code, finding.line, finding.col) == ("BL701", 13, 5)
    assert "up to 2 days after the person's last message" in finding.message
    assert "within 24 hours" in finding.message
    assert "POST_PURCHASE_UPDATE" in finding.hint


def test_bl701_near_miss_replies_and_a_nudge_inside_the_window(lint):
    # "Done!" answers the person's reply; the nudge comes 12 hours after their last message.
    assert codes(lint(MESSENGER_NUDGE.format(timeout="12h"), select=["BL701"])) == []


def test_bl701_a_followup_after_two_days_is_flagged_and_the_same_after_a_reply_is_not(lint):
    result = lint("""\
        flow course:
          channel messenger
          trigger message keywords "course"
          step start:
            ask "Shall I send you the course dates?":
              reply "Yes" -> dates
              otherwise -> dates
          step dates:
            say "Next courses: 12 May and 9 June, both in Hamburg."
            wait for reply timeout 2d -> reminder
            say "Great, see you there!"
            end
          step reminder:
            followup after 1d:
              say "Seats for 12 May are still open, shall I book one?"
            end
        """, select=["BL701"])
    assert lines(result, "BL701") == [15]  # "Great, see you there!" answers a reply: not flagged
    assert "up to 3 days" in result.findings[0].message


def test_bl701_a_loop_with_a_daily_wait_is_flagged(lint):
    result = lint("""\
        flow daily_tip:
          channel messenger
          trigger message keywords "tips"
          step tip:
            say "Today's tip: rinse the paper filter before brewing."
            wait 1d
            goto tip
        """, select=["BL701"])
    [finding] = result.findings
    assert finding.line == 5 and "any time after the person's last message" in finding.message


def test_bl701_near_miss_a_daily_loop_the_person_renews_by_replying(lint):
    result = lint("""\
        flow daily_tip:
          channel messenger
          trigger message keywords "tips"
          step tip:
            say "Today's tip: rinse the paper filter before brewing."
            ask "Another tip tomorrow?":
              reply "Yes please" -> tomorrow
              reply "No thanks" -> stop
          step tomorrow:
            wait 20h
            goto tip
          step stop:
            say "Okay, no more tips. Write \\"tips\\" to restart."
            end
        """, select=["BL701"])
    assert codes(result) == []


def test_bl701_a_branch_that_waits_on_one_path_only(lint):
    result = lint("""\
        flow feedback:
          channel messenger
          trigger message keywords "delivered"
          step start:
            if tag "vip" -> vip else -> regular
          step vip:
            say "Thanks for being a regular! How was the delivery?"
            end
          step regular:
            wait 30h
            goto vip
        """, select=["BL701"])
    assert lines(result, "BL701") == [7]
    assert "up to 30 hours" in result.findings[0].message


def test_bl701_broadcast_reaches_people_who_never_wrote_unless_tagged(lint):
    result = lint("""\
        sequence workshop:
          channel messenger
          trigger broadcast "Workshop attendees"
          step remind:
            say "Reminder: your latte art workshop starts Saturday at 10:00." tag CONFIRMED_EVENT_UPDATE
            say "Bring a friend next time and both get 20% off!"
            end
        """, select=["BL701"])
    [finding] = result.findings
    assert finding.line == 6 and "people who have not written to you (a 'broadcast' flow)" in finding.message


def test_bl701_subscribe_trigger_is_judged_only_after_the_window(lint):
    result = lint("""\
        sequence onboarding:
          channel messenger
          trigger subscribe "Brew guide"
          step one:
            say "Here's part 1 of the brew guide: water temperature."
            wait 2d
            say "Part 2: grind size."
            end
        """, select=["BL701"])
    assert lines(result, "BL701") == [7]
    assert "up to 2 days after the flow starts" in result.findings[0].message


def test_bl701_send_window_hold_back_counts(lint):
    source = """\
        flow reorder:
          channel messenger
          trigger message keywords "beans"
          {window}
          step start:
            say "Your usual Ethiopian roast? I'll check in tomorrow."
            wait 12h
            say "Morning! Shall I order the Ethiopian roast again?"
            end
        """
    held = lint(source.format(window="window 09:00-18:00 recipient"), select=["BL701"])
    assert lines(held, "BL701") == [8] and "up to 27 hours" in held.findings[0].message
    assert codes(lint(source.format(window=""), select=["BL701"])) == []


def test_bl701_instagram_has_no_tag_for_bots(lint):
    result = lint("""\
        flow giveaway:
          channel instagram
          trigger follow
          step start:
            say "Thanks for the follow!"
            end
        """, select=["BL701"])
    [finding] = result.findings
    assert "instagram has no tag for automated messages" in finding.hint


def test_bl701_silent_without_trigger_channel_or_policy(lint):
    flow = """\
        flow nudge:
          {channel}
          {trigger}
          step start:
            wait 3d
            say "Still there?"
            end
        """
    assert codes(lint(flow.format(channel="channel messenger", trigger=""), select=["BL701"])) == []
    assert codes(lint(flow.format(channel="", trigger='trigger message keywords "hi"'), select=["BL701"])) == []
    assert codes(lint(flow.format(channel="channel telegram", trigger='trigger message keywords "hi"'),
                      select=["BL701"])) == []
    source = flow.format(channel="channel messenger", trigger='trigger message keywords "hi"')
    assert codes(lint(source, select=["BL701"])) == ["BL701"]
    assert codes(lint(source, select=["BL701"], config="policy: {messenger: none}\n")) == []


# --- BL702 promotional-message-tag ---------------------------------------------------------

def test_bl702_flags_an_offer_in_a_post_purchase_update(lint):
    result = lint("""\
        sequence shipped:
          channel messenger
          trigger event "order_shipped"
          step notify:
            say "Your order is on its way! Use code THANKS15 for 15% off your next bag." tag POST_PURCHASE_UPDATE
            end
        """, select=["BL702"])
    [finding] = result.findings
    assert (finding.code, finding.line) == ("BL702", 5)
    assert "'15% off'" in finding.message and "POST_PURCHASE_UPDATE" in finding.message


def test_bl702_near_miss_a_receipt_and_an_untagged_offer(lint):
    result = lint("""\
        flow order:
          channel messenger
          trigger message keywords "order"
          step receipt:
            say "Receipt for order 1042: your 10% discount was applied, total 24.30 EUR." tag POST_PURCHASE_UPDATE
            say "Fancy a second bag? Use code MORE10 for 10% off today."
            end
        """, select=["BL702"])
    assert codes(result) == []


@pytest.mark.parametrize("language, receipt, offers", [
    ("en", "Thanks for your order! Your discount code was applied.", False),
    ("en", "Thanks for your order! Here's 10% off your next one.", True),
    ("de", "Danke für Ihre Bestellung! Ihr Gutschein wurde bereits abgezogen.", False),
    ("de", "Danke! Wir haben Ihnen den Gutschein abgezogen.", False),
    ("de", "Danke! Für die nächste Bestellung gibt es 10 % Rabatt.", True),
    ("ru", "Спасибо за заказ! Мы применили вашу скидку 10%.", False),
    ("hr", "Hvala na narudžbi! Uračunali smo ti popust od 10%.", False),
])
def test_bl201_and_bl702_a_discount_already_applied_is_not_an_offer(lint, language, receipt, offers):
    result = lint(f"""\
        sequence receipt:
          channel messenger
          language {language}
          trigger event "order_paid"
          step thanks:
            say "{receipt}" tag POST_PURCHASE_UPDATE
            end
        """, select=["BL201", "BL702"])
    assert codes(result) == (["BL201", "BL702"] if offers else [])


def test_bl702_german(lint):
    source = """\
        sequence versand:
          channel messenger
          language de
          trigger event "order_shipped"
          step info:
            say "{text}" tag POST_PURCHASE_UPDATE
            end
        """
    flagged = lint(source.format(text="Dein Paket ist unterwegs! Mit dem Rabattcode DANKE15 sparst du 15 % Rabatt."),
                   select=["BL702"])
    assert lines(flagged, "BL702") == [6] and "Rabattcode" in flagged.findings[0].message
    clean = lint(source.format(text="Dein Paket ist unterwegs. Dein Gutschein wurde angerechnet."), select=["BL702"])
    assert codes(clean) == []
    announced = lint(source.format(text="Dein Paket ist unterwegs. Übrigens: Unsere neue Herbstkollektion ist da!"),
                     select=["BL702"])
    assert "Unsere neue Herbstkollektion ist da" in announced.findings[0].message


def test_bl702_an_announcement_with_an_adjective(lint):
    result = lint("""\
        sequence shipped:
          channel messenger
          trigger event "order_shipped"
          step info:
            say "Your order has shipped. By the way, our new autumn collection is here!" tag POST_PURCHASE_UPDATE
            end
        """, select=["BL702"])
    assert "our new autumn collection is here" in result.findings[0].message


# --- BL703 human-agent-tag-misuse ----------------------------------------------------------

def test_bl703_flags_human_agent_on_a_bot_message_and_says_when_it_is_too_late(lint):
    result = lint("""\
        flow support:
          channel messenger
          trigger message keywords "help"
          step start:
            say "Thanks, we're looking into it." tag HUMAN_AGENT
            wait 8d
            say "Did our answer solve your problem?" tag HUMAN_AGENT
            end
        """, select=["BL703"])
    first, late = result.findings
    assert (first.line, late.line) == (5, 7)
    assert "sent by the bot" in first.message and "at most" not in first.message
    assert "up to 8 days after the person's last message, and the tag allows 7 days at most" in late.message


def test_bl703_near_miss_automated_tags_and_channels_without_it(lint):
    result = lint("""\
        sequence account:
          channel messenger
          trigger event "card_declined"
          step notify:
            say "Your card was declined; please update it in your account settings." tag ACCOUNT_UPDATE
            end
        flow wa:
          channel whatsapp
          trigger message keywords "help"
          step start:
            say "One moment please." tag HUMAN_AGENT
            end
        """, select=["BL703"])
    assert codes(result) == []


# --- BL704 unsupported-message-tag ---------------------------------------------------------

def test_bl704_flags_a_messenger_tag_on_instagram_and_a_typo(lint):
    result = lint("""\
        sequence classes:
          channel instagram
          trigger event "class_booked"
          step remind:
            say "Your cupping class starts tomorrow at 18:00." tag CONFIRMED_EVENT_UPDATE
            end
        sequence orders:
          channel messenger
          trigger event "order_shipped"
          step notify:
            say "Your order has shipped." tag POST_PURCHASE_UPDATES
            end
        """, select=["BL704"])
    instagram, typo = result.findings
    assert instagram.line == 5 and "instagram has no message tag 'CONFIRMED_EVENT_UPDATE' (it has: HUMAN_AGENT)" \
        in instagram.message
    assert typo.line == 11 and typo.hint == "did you mean POST_PURCHASE_UPDATE?"


def test_bl704_whatsapp_has_no_tags(lint):
    result = lint("""\
        sequence orders:
          channel whatsapp
          trigger event "order_shipped"
          step notify:
            say "Your order has shipped." tag POST_PURCHASE_UPDATE
            end
        """, select=["BL704"])
    [finding] = result.findings
    assert "whatsapp has no message tags" in finding.message and "template" in finding.hint


def test_bl704_near_miss_known_tag_in_lower_case_and_a_channel_without_policy(lint):
    result = lint("""\
        sequence orders:
          channel messenger
          trigger event "order_shipped"
          step notify:
            say "Your order has shipped." tag post_purchase_update
            end
        sequence tg:
          channel telegram
          trigger event "order_shipped"
          step notify:
            say "Your order has shipped." tag SHIPPING
            end
        """, select=["BL704"])
    assert codes(result) == []


# --- BL705 whatsapp-outside-window ---------------------------------------------------------

def test_bl705_flags_free_form_text_after_the_service_window(lint):
    result = lint("""\
        flow booking:
          channel whatsapp
          trigger message keywords "table"
          step start:
            ask "For how many people?":
              capture guests as number -> confirm
          step confirm:
            say "Booked a table for {guests}. See you on Friday!"
            wait 2d
            say "Reminder: your table for {guests} is tonight at 19:00."
            say "Your table for {guests} is tonight at 19:00." template "table_reminder" category utility
            end
        """, select=["BL705"])
    [finding] = result.findings
    assert (finding.code, finding.line) == ("BL705", 10)
    assert "up to 2 days after the person's last message" in finding.message and "template" in finding.hint


def test_bl705_broadcast_needs_templates_but_answers_do_not(lint):
    result = lint("""\
        sequence restock:
          channel whatsapp
          trigger broadcast "Restock alerts"
          window 10:00-18:00 recipient
          step alert:
            say "The Kenya AA is back." template "restock_alert" category marketing
            ask "Shall I put a bag aside for you?":
              reply "Yes" -> reserve
              reply "No" -> bye
          step reserve:
            say "Done, it's waiting for you until Friday."
            end
          step bye:
            say "No problem!"
            end
        """, select=["BL705"])
    assert codes(result) == []
    free_form = lint("""\
        sequence restock:
          channel whatsapp
          trigger broadcast "Restock alerts"
          step alert:
            say "The Kenya AA is back in our shop."
            end
        """, select=["BL705"])
    assert lines(free_form, "BL705") == [5] and "(a 'broadcast' flow)" in free_form.findings[0].message


# --- BL706 utility-template-marketing ------------------------------------------------------

def test_bl706_flags_marketing_in_a_utility_template(lint):
    result = lint("""\
        sequence shipped:
          channel whatsapp
          trigger event "order_shipped"
          step notify:
            say "On its way! Shop now and get 10% off your next order." template "order_shipped" category utility
            say "Spring sale: 20% off all grinders this week." template "spring_sale" category marketing
            say "Your order 1042 has shipped and arrives on Thursday." template "order_update" category utility
            end
        """, select=["BL706"])
    [finding] = result.findings
    assert (finding.code, finding.line) == ("BL706", 5)
    assert "'Shop now' and '10% off'" in finding.message and "order_shipped" in finding.message


def test_bl706_croatian(lint):
    source = """\
        sequence narudzba:
          channel whatsapp
          language hr
          trigger event "order_shipped"
          step obavijest:
            say "{text}" template "narudzba_poslana" category utility
            end
        """
    flagged = lint(source.format(text="Narudžba je poslana! Iskoristite 15% popusta na sljedeću kupnju."),
                   select=["BL706"])
    assert lines(flagged, "BL706") == [6] and "15% popusta" in flagged.findings[0].message
    clean = lint(source.format(text="Vaša narudžba 1042 je poslana i stiže u četvrtak."), select=["BL706"])
    assert codes(clean) == []


# --- BL707 opt-in-incomplete ---------------------------------------------------------------

OPT_IN = """\
    flow welcome:
      channel whatsapp
      trigger opt-in
      step start:
        say "{text}"
        end
    """


def test_bl707_flags_an_opt_in_that_names_neither_business_nor_scope(lint):
    result = lint(OPT_IN.format(text="Thanks, you're in! 🎉"), select=["BL707"],
                  config="business-name: Brightbean\n")
    [finding] = result.findings
    assert (finding.code, finding.line) == ("BL707", 5)
    assert finding.message == ("opt-in message does not name the business (Brightbean) "
                               "or say what the person signs up for")


def test_bl707_near_miss_a_complete_opt_in_and_no_business_name_configured(lint):
    # Without business-name only the scope is checked.
    scoped = "Thanks! You'll get order updates here."
    assert codes(lint(OPT_IN.format(text=scoped), select=["BL707"])) == []
    assert codes(lint(OPT_IN.format(text=scoped), select=["BL707"], config="business-name: Brightbean\n")) == ["BL707"]
    good = "Thanks! Brightbean will send you order updates and delivery reminders here."
    assert codes(lint(OPT_IN.format(text=good), select=["BL707"], config="business-name: Brightbean\n")) == []


@pytest.mark.parametrize("language, scoped, vague", [
    ("en", "Thanks! We'll message you here about your delivery.", "Thanks, you're in!"),
    ("de", "Danke! Wir schreiben Ihnen hier zur Sendungsverfolgung.", "Danke, Sie sind dabei!"),
    ("ru", "Спасибо! Будем писать сюда, где курьер.", "Спасибо, вы с нами!"),
    ("hr", "Hvala! Ovdje ćemo vam javljati gdje je vaša pošiljka.", "Hvala, tu ste!"),
])
def test_bl707_delivery_tracking_is_a_scope(lint, language, scoped, vague):
    source = OPT_IN.replace("  trigger opt-in", f"  language {language}\n      trigger opt-in")
    assert codes(lint(source.format(text=scoped), select=["BL707"])) == []
    assert codes(lint(source.format(text=vague), select=["BL707"])) == ["BL707"]


def test_bl707_an_opt_in_question_and_its_lead_in(lint):
    result = lint("""\
        flow checkout:
          channel whatsapp
          trigger message keywords "order"
          step ask_updates:
            say "Your order 1042 is confirmed."
            ask "Can we send you messages here on WhatsApp?":
              reply "Yes" -> yes
              reply "No" -> no
          step yes:
            say "Great!"
            end
          step no:
            say "Okay!"
            end
        flow checkout_good:
          channel whatsapp
          trigger message keywords "bestellung"
          step ask_updates:
            say "Brightbean here: your order 1042 is confirmed."
            ask "Can we send you delivery updates here?":
              reply "Yes" -> yes
              reply "No" -> no
          step yes:
            say "Great!"
            end
          step no:
            say "Okay!"
            end
        """, select=["BL707"], config="business-name: Brightbean\n")
    [finding] = result.findings
    assert finding.line == 6 and "Brightbean" in finding.message and "signs up for" in finding.message


def test_bl707_german(lint):
    source = """\
        flow bestellung:
          channel whatsapp
          language de
          trigger message keywords "bestellung"
          step frage:
            ask "{text}":
              reply "Ja" -> ja
              reply "Nein" -> nein
          step ja:
            say "Super!"
            end
          step nein:
            say "Alles klar!"
            end
        """
    flagged = lint(source.format(text="Dürfen wir dir hier Nachrichten schicken?"), select=["BL707"])
    assert lines(flagged, "BL707") == [6] and "signs up for" in flagged.findings[0].message
    clean = lint(source.format(text="Dürfen wir dir hier Bestell-Updates von Brightbean schicken?"),
                 select=["BL707"], config="business-name: Brightbean\n")
    assert codes(clean) == []


def test_bl707_not_on_channels_without_opt_in_rules(lint):
    source = OPT_IN.replace("whatsapp", "messenger").format(text="Thanks, you're in!")
    assert codes(lint(source, select=["BL707"], config="business-name: Brightbean\n")) == []


# --- BL708 sms-quiet-hours -----------------------------------------------------------------

SMS_TIPS = """\
    sequence tips:
      channel sms
      trigger subscribe "Brew tips"
      {window}
      step one:
        say "Brightbean brew tips: 1 msg/week. Reply STOP to opt out, HELP for help."
        wait 7d
        say "Tip: grind right before you brew."
        end
    """


def test_bl708_flags_a_program_without_a_window_and_a_window_past_9pm(lint):
    missing = lint(SMS_TIPS.format(window=""), select=["BL708"])
    [finding] = missing.findings
    assert (finding.line, finding.col) == (1, 1)
    assert "no send window: messages can go out at any hour; allowed: 08:00-21:00" in finding.message
    late = lint(SMS_TIPS.format(window="window 07:30-22:00 recipient"), select=["BL708"])
    [finding] = late.findings
    assert finding.line == 4 and "send window 07:30-22:00 reaches people outside 08:00-21:00" in finding.message


def test_bl708_a_state_profile_changes_the_outcome(lint):
    source = SMS_TIPS.format(window="window 09:00-20:30 recipient")
    assert codes(lint(source, select=["BL708"])) == []
    result = lint(source, select=["BL708"], config="policy: {sms: us-fl}\n")
    [finding] = result.findings
    assert "08:00-20:00 recipient time (Florida Telephone Solicitation Act)" in finding.message
    assert codes(lint(SMS_TIPS.format(window=""), select=["BL708"], config="policy: {sms: none}\n")) == []


def test_bl708_scheduled_times_and_answers(lint):
    result = lint("""\
        sequence morning:
          channel sms
          trigger schedule every 1d at 06:30
          window 09:00-20:00 recipient
          step one:
            say "Brightbean: today's roast is Kenya AA. Reply STOP to opt out."
            end
        flow reorder:
          channel sms
          trigger message keywords "REORDER"
          step start:
            say "Got it! We'll confirm your reorder first thing tomorrow."
            wait until 07:00
            say "Your reorder of Kenya AA is confirmed."
            end
        flow hours:
          channel sms
          trigger message keywords "HOURS"
          step start:
            say "We're open 8-18, Monday to Saturday."
            end
        """, select=["BL708"])
    # 06:30 is held back by the 09:00 window; 07:00 in an answering flow with no window is not.
    [finding] = result.findings
    assert finding.line == 13 and "can go out at 07:00, outside 08:00-21:00" in finding.message


# --- BL709 sms-keywords-unhandled ----------------------------------------------------------

KEYWORD_FLOWS = """\
    flow stop:
      channel sms
      trigger message keywords "STOP", "end", "Cancel", "UNSUBSCRIBE", "QUIT"
      step confirm:
        say "Brightbean: you're unsubscribed and will get no more texts."
        end
    flow help:
      channel sms
      trigger message keywords "HELP"
      step info:
        say "Brightbean brew tips, 1 msg/week. Questions: hello@brightbean.example. Reply STOP to opt out."
        end
    """


def test_bl709_flags_a_program_with_no_keyword_flows(lint):
    result = lint(SMS_TIPS.format(window="window 09:00-20:00 recipient"), select=["BL709"])
    [finding] = result.findings
    assert (finding.code, finding.line) == ("BL709", 1)
    assert "no flow in this file answers STOP, END, CANCEL, UNSUBSCRIBE, QUIT, HELP" in finding.message


def test_bl709_near_miss_all_keywords_answered(lint):
    source = join(SMS_TIPS.format(window="window 09:00-20:00 recipient"), KEYWORD_FLOWS)
    assert codes(lint(source, select=["BL709"])) == []


def test_bl709_a_keyword_flow_must_confirm_with_a_say(lint):
    source = join(SMS_TIPS.format(window="window 09:00-20:00 recipient"), KEYWORD_FLOWS.split("    flow help")[0], """\
        flow help_asks_first:
          channel sms
          trigger message keywords "HELP"
          step check:
            ask "Need help with your order or with our texts?":
              reply "Order" -> order
              otherwise -> order
          step order:
            say "Brightbean: call 555-0100 for orders. Reply STOP to opt out."
            end
        """)
    [finding] = lint(source, select=["BL709"]).findings
    assert finding.line == 1 and finding.message.endswith("no flow in this file answers HELP")
    assert finding.hint == "start the flow for HELP with a `say` that confirms it"


def test_bl709_option_trusts_the_platform(lint, tmp_path):
    (tmp_path / "sms.yaml").write_text("rules:\n  BL709: {platform_handles_keywords: true}\n", encoding="utf-8")
    source = SMS_TIPS.format(window="window 09:00-20:00 recipient")
    assert codes(lint(source, select=["BL709"], config="rulesets: [sms.yaml]\n")) == []


def test_bl709_answering_flows_are_not_programs(lint):
    result = lint("""\
        flow hours:
          channel sms
          trigger message keywords "HOURS"
          step start:
            say "We're open 8-18, Monday to Saturday."
            end
        """, select=["BL709"])
    assert codes(result) == []


# --- BL710 sms-first-message-no-opt-out ----------------------------------------------------

def test_bl710_flags_a_first_text_without_opt_out(lint):
    result = lint("""\
        sequence tips:
          channel sms
          trigger subscribe "Brew tips"
          window 09:00-20:00 recipient
          step one:
            wait until 10:00
            say "Welcome to Brightbean brew tips! Your first tip comes tomorrow."
            wait 1d
            say "Tip 1: rinse the paper filter. Reply STOP to opt out."
            end
        """, select=["BL710"])
    [finding] = result.findings
    assert (finding.code, finding.line) == ("BL710", 7)
    assert "first message of sequence 'tips' does not say how to opt out" in finding.message


def test_bl710_near_miss_opt_out_later_in_the_opening_burst(lint):
    result = lint("""\
        sequence tips:
          channel sms
          trigger subscribe "Brew tips"
          window 09:00-20:00 recipient
          step one:
            say "Welcome to Brightbean brew tips!"
            goto info
          step info:
            say "1 msg/week. Reply STOP to opt out."
            end
        """, select=["BL710"])
    assert codes(result) == []


@pytest.mark.parametrize("language, welcome, tells", [
    ("en", "Acme: thanks for joining! To leave, just send STOP.", True),
    ("en", "Acme: thanks for joining! STOP scrolling, our sale is on.", False),
    ("de", "Acme: Danke fürs Abo! Zum Abmelden STOP senden.", True),
    ("de", "Acme: Danke! Abmelden mit STOP an 12345.", True),
    ("de", "Acme: Danke! Keine Lust mehr? Einfach STOP antworten.", True),
    ("de", "Acme: Danke fürs Abo! Wir senden dir jeden Freitag Tipps.", False),
    ("ru", "Acme: Спасибо! Ответьте СТОП, чтобы не получать сообщения.", True),
    ("hr", "Acme: Hvala! Za odjavu posaljite STOP.", True),  # without diacritics, as BL605 advises for SMS
    ("hr", "Acme: Hvala! Šaljemo vam savjete petkom.", False),
])
def test_bl710_the_keyword_in_capitals_with_a_verb_in_any_order(lint, language, welcome, tells):
    result = lint(f"""\
        sequence tips:
          channel sms
          language {language}
          trigger opt-in
          step one:
            say "{welcome}"
            end
        """, select=["BL710"])
    assert codes(result) == ([] if tells else ["BL710"])


def test_bl710_german(lint):
    source = """\
        sequence tipps:
          channel sms
          language de
          trigger subscribe "Brühtipps"
          window 09:00-20:00 recipient
          step eins:
            say "{text}"
            end
        """
    flagged = lint(source.format(text="Willkommen bei den Brühtipps von Brightbean!"), select=["BL710"])
    assert lines(flagged, "BL710") == [7]
    clean = lint(source.format(text="Willkommen bei den Brühtipps von Brightbean! Antworte STOP zum Abmelden."),
                 select=["BL710"])
    assert codes(clean) == []


# --- BL711 bot-not-disclosed ---------------------------------------------------------------

def test_bl711_flags_an_undisclosed_opening_on_messenger(lint):
    result = lint("""\
        flow welcome:
          channel messenger
          trigger message keywords "hi"
          step start:
            say "Hi! Ana here from Brightbean."
            ask "What can I do for you?":
              reply "Coffee" -> coffee
              otherwise -> coffee
          step coffee:
            say "We roast every Tuesday."
            end
        """, select=["BL711"])
    [finding] = result.findings
    assert (finding.code, finding.line) == ("BL711", 5)
    assert finding.message == "first message of the conversation does not say it is automated"


def test_bl711_near_miss_disclosed_in_the_opening_burst(lint):
    result = lint("""\
        flow welcome:
          channel messenger
          trigger message keywords "hi"
          step start:
            say "Hi!"
            say "I'm the Brightbean bot. Type \\"human\\" any time to reach Ana."
            end
        """, select=["BL711"])
    assert codes(result) == []


@pytest.mark.parametrize("language, greeting, opening, disclosed", [
    ("en", "hi", "Hi! I'm Max, the Acme bot. What can I do for you?", True),
    ("en", "hi", "Hi! Acme bot here. How can I help?", True),
    ("en", "hi", "Hey, this is Max, a bot from Acme.", True),
    ("en", "hi", "Hi! I'm Max, Acme's virtual helper.", True),
    ("en", "hi", "Hi! I'm Max. Not a bot, promise!", False),
    ("de", "hallo", "Hallo! Ich bin Kalle, der Acme-Bot.", True),
    ("de", "hallo", "Kalle hier, der Bot von Acme.", True),
    ("de", "hallo", "Hallo, ich bin kein Roboter, sondern Kalle.", False),
    ("de", "hallo", "Hallo! Heute gibt es ein Angebot für dich.", False),
    ("ru", "привет", "Привет! На связи бот кофейни «Зерно».", True),
    ("ru", "привет", "Я Зёрнышко, виртуальный консультант кофейни.", True),
    ("ru", "привет", "Привет, я не робот, я Аня.", False),
    ("ru", "привет", "Привет! Новые ботинки уже в наличии.", False),
    ("hr", "bok", "Bok! Ja sam Robi, robot trgovine Kavana.", True),
    ("hr", "bok", "Bok, nisam robot, ja sam Ana.", False),
])
def test_bl711_the_bot_calling_itself_a_bot_in_any_words_is_disclosure(lint, language, greeting, opening, disclosed):
    result = lint(f"""\
        flow welcome:
          channel messenger
          language {language}
          trigger message keywords "{greeting}"
          step start:
            say "{opening}"
            end
        """, select=["BL711"])
    assert codes(result) == ([] if disclosed else ["BL711"])


def test_bl711_a_flow_the_bot_opens_counts_but_one_for_any_keyword_does_not(lint):
    result = lint("""\
        sequence shipped:
          channel messenger
          trigger event "order_shipped"
          step notify:
            say "Your order 1042 has shipped." tag POST_PURCHASE_UPDATE
            end
        flow prices:
          channel messenger
          trigger message keywords "price", "prices"
          step start:
            say "Our beans start at 9 EUR per 250 g."
            end
        flow anything:
          channel messenger
          trigger message
          step start:
            say "Thanks for your message!"
            end
        """, select=["BL711"])
    assert lines(result, "BL711") == [5]


def test_bl711_disclose_bot_turns_it_on_everywhere_in_german(lint):
    source = """\
        flow willkommen:
          channel telegram
          language de
          trigger message keywords "hallo"
          step start:
            say "{text}"
            end
        """
    undisclosed = source.format(text="Hallo! Hier ist Brightbean.")
    assert codes(lint(undisclosed, select=["BL711"])) == []
    assert lines(lint(undisclosed, select=["BL711"], config="disclose-bot: true\n"), "BL711") == [6]
    disclosed = source.format(text="Hallo! Ich bin der Bot von Brightbean.")
    assert codes(lint(disclosed, select=["BL711"], config="disclose-bot: true\n")) == []


LONG_GAP = """\
    flow reorder:
      channel messenger
      trigger message keywords "beans"
      step start:
        say "I'm the Brightbean bot: I'll remind you when your beans run low."
        wait 2d
        say "Hi again! Running low on beans?"
        end
    """


def test_bl711_flags_the_first_message_after_a_long_silence(lint, tmp_path):
    [finding] = lint(LONG_GAP, select=["BL711"]).findings
    assert finding.line == 7 and "first message after 2 days of silence" in finding.message
    (tmp_path / "gap.yaml").write_text("rules:\n  BL711: {long_gap_hours: 72}\n", encoding="utf-8")
    assert codes(lint(LONG_GAP, select=["BL711"], config="rulesets: [gap.yaml]\n")) == []


def test_bl711_a_burst_after_a_long_wait_that_follows_the_persons_reply(lint):
    result = lint("""\
        flow reminder:
          channel messenger
          trigger message keywords "remind me"
          step start:
            ask "I'm the Brightbean bot. Shall I remind you to reorder in 3 days?":
              reply "Yes" -> later
              reply "No" -> done
          step later:
            wait 3d
            say "Hi again!"
            say "Time to reorder your beans?"
            end
          step done:
            say "Okay, no reminder."
            end
        """, select=["BL711"])
    [finding] = result.findings
    assert finding.line == 10 and "first message after 3 days of silence" in finding.message


def test_bl711_flags_the_bot_taking_over_after_an_unanswered_handoff(lint, tmp_path):
    source = """\
        flow care:
          channel messenger
          trigger message keywords "help"
          step start:
            say "I'm the Brightbean bot. Let me get a person for you."
            handoff to "Care team":
              sla 2h
              tell "Lena will reply here within 2 hours."
              unanswered -> fallback
          step fallback:
            say "Sorry for the wait! Email care@brightbean.example and we'll answer today."
            end
        """
    [finding] = lint(source, select=["BL711"]).findings
    assert finding.line == 11 and "after an unanswered handoff to 'Care team'" in finding.message
    (tmp_path / "off.yaml").write_text("rules:\n  BL711: {after_handoff: false}\n", encoding="utf-8")
    assert codes(lint(source, select=["BL711"], config="rulesets: [off.yaml]\n")) == []


# --- BL712 handoff-beyond-window -----------------------------------------------------------

HANDOFF = """\
    flow care:
      channel {channel}
      trigger message keywords "help"
      step start:
        say "I'm the Brightbean bot. Let me get a person for you."
        {wait}
        handoff to "Care team":
          sla {sla}
          tell "Someone from our team will reply here."
          unanswered -> fallback
      step fallback:
        say "I'm the Brightbean bot again: sorry, nobody is free. Email care@brightbean.example."
        end
    """


def test_bl712_flags_a_whatsapp_handoff_beyond_the_service_window(lint):
    result = lint(HANDOFF.format(channel="whatsapp", wait="", sla="2d"), select=["BL712"])
    [finding] = result.findings
    assert (finding.code, finding.line, finding.severity) == ("BL712", 7, "warning")
    assert "up to 2 days after the person's last message (the 2d SLA)" in finding.message
    assert "then only templates" in finding.message
    assert codes(lint(HANDOFF.format(channel="whatsapp", wait="", sla="4h"), select=["BL712"])) == []


def test_bl712_time_before_the_handoff_counts(lint):
    result = lint(HANDOFF.format(channel="whatsapp", wait="wait 20h", sla="8h"), select=["BL712"])
    [finding] = result.findings
    assert "up to 28 hours after the person's last message (20 hours before the handoff plus the 8h SLA)" \
        in finding.message
    assert finding.hint.startswith("promise a reply within 4 hours")


def test_bl712_messenger_human_agent_option(lint, tmp_path):
    source = HANDOFF.format(channel="messenger", wait="", sla="3d")
    [finding] = lint(source, select=["BL712"]).findings
    assert "HUMAN_AGENT allows 7 days" in finding.message
    (tmp_path / "ha.yaml").write_text("rules:\n  BL712: {assume_human_agent_tag: true}\n", encoding="utf-8")
    assert codes(lint(source, select=["BL712"], config="rulesets: [ha.yaml]\n")) == []
    too_late = HANDOFF.format(channel="messenger", wait="", sla="8d")
    assert codes(lint(too_late, select=["BL712"], config="rulesets: [ha.yaml]\n")) == ["BL712"]


def test_bl712_silent_on_channels_without_a_window(lint):
    assert codes(lint(HANDOFF.format(channel="linkedin", wait="", sla="3d"), select=["BL712"])) == []


# --- examples ------------------------------------------------------------------------------

POLICY_CODES = {f"BL7{n:02d}" for n in range(1, 13)}
AREAS = ("messenger", "whatsapp", "sms", "disclosure")


def _check(path: Path, capsys) -> str:
    main(["check", str(path), "--format", "json"])
    return capsys.readouterr().out


def test_bad_examples_raise_every_policy_code(capsys, monkeypatch):
    import json

    monkeypatch.chdir(REPO)
    found = set()
    for area in AREAS:
        report = json.loads(_check(Path("examples") / f"policy-{area}-bad.flow", capsys))
        found |= {finding["code"] for finding in report["findings"]} & POLICY_CODES
    assert found == POLICY_CODES


@pytest.mark.parametrize("area", AREAS)
def test_good_examples_are_clean(area, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    assert main(["check", f"examples/policy-{area}-good.flow"]) == 0, capsys.readouterr().out
