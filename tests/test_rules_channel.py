"""Channel-limit rules (BL601-BL607): flows each must flag and near-misses each must not."""

import pytest

from conftest import REPO, codes


def with_ruleset(tmp_path, text: str) -> str:
    """A config that loads `text` as an extra ruleset (a team's own limits or thresholds)."""
    (tmp_path / "team-rules.yaml").write_text(text, encoding="utf-8")
    return "rulesets: [team-rules.yaml]\n"


# --- BL601 message-too-long: what a handoff tells the person counts too ------------------

def test_bl601_flags_a_handoff_message_over_the_limit(lint):
    tell = "Thanks for your patience! " * 40  # 1039 characters once stripped
    result = lint(select=["BL601"], source=f"""\
        flow care:
          channel instagram
          step start:
            handoff to "Care team":
              owner "care@shop.example"
              tell "{tell.strip()}"
        """)
    [finding] = result.findings
    assert finding.line == 4
    assert "handoff 'tell' message is 1039 characters; instagram allows 1000" in finding.message


# --- BL602 too-many-options ----------------------------------------------------------------

CATEGORIES = ["Monstera", "Ficus", "Calathea", "Pothos", "Cacti", "Succulents", "Orchids", "Ferns",
              "Palms", "Herbs", "Bonsai", "Pots", "Soil", "Fertiliser", "Gift cards"]


def _menu(channel: str, keyword: str, labels: list[str]) -> str:
    options = "\n".join(f"              {keyword} \"{label}\" -> browse" for label in labels)
    return f"""\
        flow shop:
          channel {channel}
          step start:
            ask "What are you shopping for today?":
{options}
              otherwise -> start
          step browse:
            say "Here is our selection."
            end
        """


def test_bl602_flags_the_fourteenth_quick_reply_on_messenger(lint):
    result = lint(_menu("messenger", "reply", CATEGORIES[:14]), select=["BL602"])
    [finding] = result.findings
    assert (finding.code, finding.line, finding.col) == ("BL602", 18, 7)
    assert "'Fertiliser' is the 14th option" in finding.message
    assert "messenger shows at most 13 in quick replies (it has 14)" in finding.message


def test_bl602_near_miss_thirteen_quick_replies_and_a_channel_without_a_limit(lint):
    assert codes(lint(_menu("messenger", "reply", CATEGORIES[:13]), select=["BL602"])) == []
    assert codes(lint(_menu("telegram", "reply", CATEGORIES), select=["BL602"])) == []
    assert codes(lint(_menu("messenger", "reply", CATEGORIES).replace("channel messenger", "language en"),
                      select=["BL602"])) == []


def test_bl602_whatsapp_replies_and_buttons_share_three_places_and_rows_hold_ten(lint):
    result = lint(select=["BL602"], source="""\
        flow delivery:
          channel whatsapp
          step start:
            ask "When should we deliver?":
              reply "Today" -> done
              reply "Tomorrow" -> done
              button "This weekend" -> done
              button "Next week" -> done
              otherwise -> done
          step done:
            say "Booked!"
            end
        """)
    [finding] = result.findings
    assert finding.line == 8 and "whatsapp shows at most 3 in reply buttons (it has 4)" in finding.message
    assert "make them `row` options (a list message: up to 10)" in finding.hint
    rows = lint(_menu("whatsapp", "row", CATEGORIES[:10]), select=["BL602"])
    assert codes(rows) == []
    assert [f.line for f in lint(_menu("whatsapp", "row", CATEGORIES[:11]), select=["BL602"]).findings] == [15]


def test_bl602_messenger_button_template_with_links_gets_no_quick_reply_advice(lint):
    result = lint(select=["BL602"], source="""\
        flow links:
          channel messenger
          step start:
            ask "Where would you like to go?":
              button "Shop" url "https://shop.example"
              button "Blog" url "https://shop.example/blog"
              button "Care guides" url "https://shop.example/care"
              button "Workshops" url "https://shop.example/workshops"
              reply "Talk to us" -> human
              otherwise -> human
          step human:
            handoff to "Care team"
        """)
    [finding] = result.findings
    assert finding.line == 8 and "in a button template" in finding.message
    assert finding.hint == "keep the most useful 3 or split the question in two"


def test_bl602_limit_is_channel_data_a_team_ruleset_can_change(lint, tmp_path):
    config = with_ruleset(tmp_path, """\
        channels:
          messenger:
            interactive:
              quick_replies: {name: quick replies, carries: [replies], max_options: 5}
        """.replace("        ", ""))
    result = lint(_menu("messenger", "reply", CATEGORIES[:6]), select=["BL602"], config=config)
    assert [f.message.split(";")[0] for f in result.findings] == ["'Succulents' is the 6th option of this question"]


# --- BL603 option-label-too-long -------------------------------------------------------------

def test_bl603_flags_a_quick_reply_label_instagram_cuts_off(lint):
    result = lint(select=["BL603"], source="""\
        flow story:
          channel instagram
          step start:
            ask "Glad you liked the story! What next?":
              reply "See the new collection" -> shop
              reply "Ask a question" -> shop
              otherwise -> shop
          step shop:
            say "Here you go: shop.example/new"
            end
        """)
    [finding] = result.findings
    assert (finding.line, finding.col) == (5, 7)
    assert "label 'See the new collection' is 22 characters; instagram shows 20 in quick replies" in finding.message


def test_bl603_near_miss_labels_at_the_limit_and_whatsapp_rows_of_24(lint):
    result = lint(select=["BL603"], source="""\
        flow slots:
          channel whatsapp
          step start:
            ask "Which slot suits you?":
              row "Saturday 10:00 to 12:00!" -> done
              otherwise -> done
            ask "Shall we remind you?":
              reply "Yes, the day before" -> done
              otherwise -> done
          step done:
            end
        """)
    assert codes(result) == []


def test_bl603_flags_a_german_button_label_on_messenger_and_not_on_telegram(lint):
    source = """\
        flow rueckruf:
          channel {channel}
          language de
          step start:
            ask "Wie dürfen wir dir helfen?":
              button "Rückruf vereinbaren, bitte" -> rueckruf
              button "Rückruf vereinbaren" -> rueckruf
              otherwise -> rueckruf
          step rueckruf:
            handoff to "Kundenservice"
        """
    result = lint(source.replace("{channel}", "messenger"), select=["BL603"])
    [finding] = result.findings
    assert finding.line == 6 and "'Rückruf vereinbaren, bitte' is 26 characters" in finding.message
    assert "in a button template" in finding.message
    assert codes(lint(source.replace("{channel}", "telegram"), select=["BL603"])) == []


# --- BL604 interactive-text-too-long ---------------------------------------------------------

PLANS = ("Our Starter plan covers one shop with up to 200 orders a month and email support. " * 9).strip()


def test_bl604_flags_a_messenger_button_template_text_over_640(lint):
    text = PLANS + " Which plan fits you?"  # 758 characters
    result = lint(select=["BL604"], source=f"""\
        flow plans:
          channel messenger
          step start:
            ask "{text}":
              button "Starter" -> pick
              button "Growth" -> pick
              otherwise -> pick
          step pick:
            handoff to "Sales"
        """)
    [finding] = result.findings
    assert finding.line == 4
    assert f"question text is {len(text)} characters; messenger allows 640 in a button template" in finding.message


def test_bl604_near_miss_the_same_text_with_quick_replies_only(lint):
    text = PLANS + " Which plan fits you?"
    result = lint(select=["BL604"], source=f"""\
        flow plans:
          channel messenger
          step start:
            ask "{text}":
              reply "Starter" -> pick
              reply "Growth" -> pick
              otherwise -> pick
          step pick:
            handoff to "Sales"
        """)
    assert codes(result) == []


def test_bl604_whatsapp_reply_buttons_allow_1024_and_lists_4096(lint):
    body = (PLANS + " ") * 2  # 1512 characters
    source = f"""\
        flow plans:
          channel whatsapp
          step start:
            ask "{body}Which plan fits you?":
              {{kind}} "Starter" -> pick
              {{kind}} "Growth" -> pick
              otherwise -> pick
          step pick:
            handoff to "Sales"
        """
    [finding] = lint(source.replace("{kind}", "reply"), select=["BL604"]).findings
    assert "whatsapp allows 1024 in reply buttons" in finding.message
    assert codes(lint(source.replace("{kind}", "row"), select=["BL604"])) == []


# --- BL605 sms-encoding ------------------------------------------------------------------

def _sms(*messages: str, language: str = "en") -> str:
    says = "\n".join(f'            say "{message}"' for message in messages)
    return f"""\
        sequence reminders:
          channel sms
          language {language}
          trigger tag-added "booked"
          audience opted-in
          step remind:
{says}
            end
        """


TABLE = ("Hi {first_name|there}, your table for 2 at Luigi’s is confirmed for Friday 19:30. "
         "Reply C to cancel, or call 555 0134 if you are running late.")


def test_bl605_flags_a_curly_apostrophe_that_costs_segments(lint):
    result = lint(_sms(TABLE), select=["BL605"])
    [finding] = result.findings
    assert finding.line == 7
    assert finding.message.startswith("'’' (U+2019 RIGHT SINGLE QUOTATION MARK) in \"…table for 2 at Luigi’s")
    assert "switches this SMS to UCS-2: 3 segments instead of 1 in GSM-7" in finding.message
    assert finding.hint == "write ' for ’ (each SMS segment is billed)"


def test_bl605_near_misses_short_messages_plain_apostrophes_and_other_channels(lint):
    short = "Table booked at Luigi’s! 🍝"  # one segment either way: the switch costs nothing
    assert codes(lint(_sms(short, TABLE.replace("’", "'")), select=["BL605"])) == []
    assert codes(lint(_sms(TABLE).replace("channel sms", "channel whatsapp"), select=["BL605"])) == []


def test_bl605_names_every_stray_character_and_what_to_write(lint):
    text = ("Your order “Spring Box” has shipped… Track it at shop.example/track and tell us how it went – "
            "we read every reply. Thanks for shopping with us, {first_name|friend}! 🌷")
    [finding] = lint(_sms(text), select=["BL605"]).findings
    assert "'“' (U+201C LEFT DOUBLE QUOTATION MARK)" in finding.message
    assert "(also outside GSM-7: '”', '…', '–', '🌷')" in finding.message
    assert finding.hint == "write \" for “, \" for ”, ... for …, - for –; drop 🌷 (each SMS segment is billed)"


def test_bl605_a_fallback_is_sent_as_written_but_placeholder_braces_are_not(lint):
    # Czech written without diacritics to stay in GSM-7, as is common in SMS, but for the fallback.
    text = ("Dobry den {first_name}, vase objednavka 4821 je pripravena k vyzvednuti na pobocce "
            "Vaclavske namesti 12. Oteviraci doba 8-20 h. Odhlaseni: odpovezte STOP.")
    assert codes(lint(_sms(text, language="cs"), select=["BL605"])) == []
    [finding] = lint(_sms(text.replace("{first_name}", "{first_name|zákazníku}"), language="cs"),
                     select=["BL605"]).findings
    assert finding.message.startswith("'á' (U+00E1 LATIN SMALL LETTER A WITH ACUTE) in \"…den {first_name|zákazníku},")
    assert "(also outside GSM-7: 'í'): 3 segments instead of 2 in GSM-7" in finding.message
    assert finding.hint == "write a for á, i for í (each SMS segment is billed)"


def test_bl605_flags_a_croatian_message_that_would_fit_in_gsm7(lint):
    text = ("Poštovani {first_name|kupče}, vaša narudžba 4821 je spremna za preuzimanje u trgovini u Ilici 12. "
            "Radno vrijeme je od 8 do 20 sati, subotom do 14. Za odjavu odgovorite STOP.")
    [finding] = lint(_sms(text, language="hr"), select=["BL605"]).findings
    assert finding.message.startswith("'š' (U+0161 LATIN SMALL LETTER S WITH CARON) in \"Poštovani")
    assert "(also outside GSM-7: 'č', 'ž')" in finding.message
    assert "3 segments instead of 2 in GSM-7" in finding.message
    assert finding.hint.startswith("write s for š, c for č, z for ž")


def test_bl605_near_miss_russian_needs_ucs2_anyway_and_german_umlauts_are_gsm7(lint):
    russian = ("Здравствуйте, {first_name|друг}! Ваш заказ 4821 готов к выдаче в нашем магазине на Тверской, 12. "
               "Мы работаем с 10:00 до 21:00 без выходных. Чтобы отписаться, ответьте СТОП.")
    german = ("Hallo {first_name|du}, deine Bestellung 4821 liegt zur Abholung bereit: Große Straße 12, "
              "Öffnungszeiten Mo–Sa 9 bis 20 Uhr. Für die Abmeldung antworte mit STOPP.").replace("–", "-")
    assert codes(lint(_sms(russian, language="ru"), select=["BL605"])) == []
    assert codes(lint(_sms(german, language="de"), select=["BL605"])) == []
    quoted = german.replace("Bestellung 4821", "Bestellung „Frühlingsbox“")
    [finding] = lint(_sms(quoted, language="de"), select=["BL605"]).findings
    assert finding.message.startswith("'„' (U+201E DOUBLE LOW-9 QUOTATION MARK)")


def test_bl605_max_foreign_share_from_the_rule_pack_decides_what_is_a_slip(lint, tmp_path):
    text = ("Poštovani {first_name|kupče}, vaša narudžba 4821 je spremna za preuzimanje u trgovini u Ilici 12. "
            "Radno vrijeme je od 8 do 20 sati, subotom do 14. Za odjavu odgovorite STOP.")
    strict = with_ruleset(tmp_path, "rules:\n  BL605: {max_foreign_share: 0.02}\n")
    assert codes(lint(_sms(text, language="hr"), select=["BL605"], config=strict)) == []


# --- BL606 sms-segments --------------------------------------------------------------------

SALE = "Greenleaf spring sale: 30% off perennials and free delivery over 50 EUR this week only. "  # 88 characters


def test_bl606_flags_a_gsm7_message_of_four_segments(lint):
    text = (SALE * 6).strip()  # 527 characters: 4 segments of 153
    [finding] = lint(_sms(text), select=["BL606"]).findings
    assert finding.line == 7
    assert ("message \"Greenleaf spring sale: 30% off perennia…\" is 4 SMS segments "
            "(GSM-7, 527 septets, 153 per segment); the limit is 3") in finding.message


def test_bl606_near_miss_three_segments_exactly(lint):
    text = SALE * 5 + "Reply STOP to quit."  # 459 characters: 3 segments of 153
    assert codes(lint(_sms(text), select=["BL606"])) == []
    assert [f.line for f in lint(_sms(text + "!"), select=["BL606"]).findings] == [7]


def test_bl606_counts_extension_characters_twice_and_emoji_as_two_units(lint, tmp_path):
    one_segment = with_ruleset(tmp_path, "rules:\n  BL606: {max_segments: 1}\n")
    prices = ("Workshop prices: repotting 15 €, propagation 20 €, balcony gardens 25 €. Members pay {discount}. "
              "Book at greenleaf.example/workshops or reply BOOK to save a seat.")
    half = prices.replace("{discount}", "half")  # 156 characters, 159 septets: one segment
    assert codes(lint(_sms(half), select=["BL606"], config=one_segment)) == []
    less = prices.replace("{discount}", "5 € less")  # 160 characters but 164 septets
    [finding] = lint(_sms(less), select=["BL606"], config=one_segment).findings
    assert "2 SMS segments (GSM-7, 164 septets, 153 per segment); the limit is 1" in finding.message
    bike = "Your plants are on the way! 🚲 Our rider comes by from 14:00 to 16:00."  # 69 characters, 70 units
    assert codes(lint(_sms(bike), select=["BL606"], config=one_segment)) == []
    [finding] = lint(_sms(bike.replace("🚲", "🚲🌿")), select=["BL606"], config=one_segment).findings
    assert "2 SMS segments (UCS-2, 72 UTF-16 units, 67 per segment)" in finding.message


def test_bl606_flags_a_long_russian_message_in_ucs2(lint):
    text = ("Здравствуйте! Напоминаем о записи к мастеру в субботу в 11:00. Если планы изменились, "
            "ответьте ОТМЕНА или позвоните нам. ") * 2
    [finding] = lint(_sms(text.strip(), language="ru"), select=["BL606"]).findings
    assert "is 4 SMS segments (UCS-2, 241 UTF-16 units, 67 per segment)" in finding.message
    assert codes(lint(_sms(text[:200], language="ru"), select=["BL606"])) == []


# --- BL607 linkedin-note-too-long ------------------------------------------------------------

NOTE = ("Hi {first_name|there}, I run partnerships at Greenleaf, a peat-free plant grower in Leipzig. "
        "I saw your talk on sustainable retail at GrowExpo last spring and would love to connect and hear "
        "how your customers took to it.")


def _invite(note: str, channel: str = "linkedin") -> str:
    return f"""\
        sequence invites:
          channel {channel}
          trigger event "list_updated"
          audience segment "Garden centre owners"
          step invite:
            action connect "{note}" limit 15 per day
            end
        """


def test_bl607_flags_a_note_over_300_characters(lint):
    note = NOTE + (" We are looking for garden centres in Saxony and Thuringia to stock our spring range "
                   "of perennials, and yours stood out.")
    [finding] = lint(_invite(note), select=["BL607"]).findings
    assert finding.line == 6
    assert f"connection note is {len(note)} characters; linkedin accepts 300" in finding.message


def test_bl607_near_misses_short_note_other_actions_and_unknown_channel(lint):
    assert codes(lint(_invite(NOTE), select=["BL607"])) == []
    long_message = NOTE * 3
    assert codes(lint(_invite(long_message).replace("action connect", "action message"), select=["BL607"])) == []
    assert codes(lint(_invite(long_message).replace("channel linkedin", "language en"), select=["BL607"])) == []


def test_bl607_free_accounts_can_set_200_in_their_ruleset(lint, tmp_path):
    free = with_ruleset(tmp_path, "channels:\n  linkedin:\n    connect_note_max_chars: 200\n")
    [finding] = lint(_invite(NOTE), select=["BL607"], config=free).findings
    assert "linkedin accepts 200" in finding.message


# --- the shipped examples ----------------------------------------------------------------

CHANNEL_CODES = {"BL601", "BL602", "BL603", "BL604", "BL605", "BL606", "BL607"}


def _lint_example(name: str, select: list[str] | None = None):
    from linter.engine.runner import lint_paths
    from linter.engine.settings import Overrides, SettingsResolver

    path = REPO / "examples" / name
    return lint_paths([path], SettingsResolver(Overrides(select=select), cwd=path.parent))


def test_channel_bad_example_raises_every_channel_rule():
    result = _lint_example("channel-bad.flow")
    assert result.errors == []
    assert CHANNEL_CODES <= set(codes(result))


def test_channel_good_example_raises_nothing_under_any_rule():
    result = _lint_example("channel-good.flow")
    assert result.errors == [] and codes(result) == []


@pytest.mark.parametrize("name", ["messenger-welcome.flow", "linkedin-followup.flow", "whatsapp-broadcast.flow.yaml"])
def test_shared_clean_examples_stay_clean_under_channel_rules(name):
    result = _lint_example(name, select=["BL6"])
    assert result.errors == [] and codes(result) == []
