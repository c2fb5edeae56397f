"""Hard-sell first messages (BL2xx): flows each rule must flag and near-misses it must not, in en, de, ru and hr."""

import pytest

from conftest import REPO, codes


def only(result, code):
    return [f for f in result.findings if f.code == code]


def answer_to(language: str, keyword: str, answer: str) -> str:
    """A flow the person opens by writing `keyword`, answered with one message."""
    return (f'flow answer:\n  channel messenger\n  language {language}\n  trigger message keywords "{keyword}"\n'
            f'  step reply:\n    say "{answer}"\n    end\n')


def opt_in_message(language: str, text: str) -> str:
    """A sequence that sends one message on opt-in, before the person has replied."""
    return (f"sequence tips:\n  channel messenger\n  language {language}\n  trigger opt-in\n"
            f'  step hello:\n    say "{text}"\n    end\n')


# --- BL201 pitch-before-reply ------------------------------------------------------

def test_bl201_flags_an_offer_in_the_first_message_to_a_new_follower(lint):
    result = lint(select=["BL201"], source="""\
        sequence new_followers:
          channel instagram
          language en
          trigger opt-in
          audience everyone
          step hello:
            say "Thanks for the follow! Our Ethiopia beans are 9.90 EUR, 20% off this week: https://shop.brightbean.example/checkout?bag=eth"
            wait for reply timeout 2d -> nudge
            end
          step nudge:
            say "Did you get a chance to look?"
            end
        """)
    [finding] = result.findings
    assert (finding.code, finding.line, finding.col) == ("BL201", 7, 5)
    assert finding.message.startswith("pitch before the person has replied: ")
    assert "amount '9.90 EUR'" in finding.message and "discount '20% off'" in finding.message
    assert "checkout link 'https://shop.brightbean.example/checkout?bag=eth'" in finding.message
    assert "reply" in finding.hint


def test_bl201_points_at_a_buy_button_with_a_cart_link(lint):
    result = lint(select=["BL201"], source="""\
        sequence restock:
          channel messenger
          language en
          trigger tag-added "Waitlist"
          step hello:
            ask "Night Owl is back in stock!":
              button "Buy now" url "https://shop.brightbean.example/cart/add?sku=owl"
              reply "Tell me more" -> more
              otherwise -> more
          step more:
            say "It's a dark roast with cocoa and almond notes."
            end
        """)
    [finding] = result.findings
    assert (finding.line, finding.col) == (7, 7)
    assert "call to action 'Buy now'" in finding.message
    assert "checkout link 'https://shop.brightbean.example/cart/add?sku=owl'" in finding.message


def test_bl201_near_miss_prices_after_the_person_asks_for_them(lint):
    result = lint(select=["BL201"], source="""\
        flow welcome:
          channel messenger
          language en
          trigger message keywords "hi", "hello"
          step greet:
            ask "Hey {first_name|there}! What brings you here?":
              reply "Prices" -> prices
              reply "Brewing tips" -> tips
              otherwise -> tips
          step prices:
            say "Bags start at 9.90 EUR. Order here: https://shop.brightbean.example/checkout"
            end
          step tips:
            say "Start with 60 g of coffee per litre of water."
            end
        """)
    assert codes(result) == []


@pytest.mark.parametrize("keywords, lines", [
    ('"price", "pricing"', []),  # the person asked for prices: answering is not a pitch
    ('"hi", "price"', [8]),  # someone who typed "hi" did not ask
])
def test_bl201_trigger_keywords_that_all_ask_for_prices_exempt_the_answer(lint, keywords, lines):
    result = lint(select=["BL201"], source=f"""\
        flow price_reply:
          channel messenger
          language en
          trigger message keywords {keywords}
          audience opted-in

          step answer:
            say "Our subscription costs just 24 a month, and the first bag ships free."
            end
        """)
    assert [f.line for f in result.findings] == lines
    if lines:
        assert "(they only sent 'hi' or 'price'): price 'costs just 24'" in result.findings[0].message


@pytest.mark.parametrize("language, keyword, answer, flagged", [
    ("en", "balance", "Your balance is $12.40. Top up any time in the app.", False),
    ("en", "shipping", "Shipping to Germany is 4.90 EUR and takes 2-3 days.", False),
    ("en", "balance", "Your balance is $12.40. Top up today and get 20% off!", True),  # an offer after all
    ("en", "hi", "Hi! Our beans are 9.90 EUR a bag.", True),  # only a greeting: an opening
    ("de", "stornierung", "Bis 24 Stunden vorher ist das kostenlos, danach berechnen wir 15 €.", False),
    ("de", "stornierung", "Statt zu stornieren: 20 % Rabatt auf die nächste Buchung!", True),
    ("ru", "возврат", "Мы вернули 1 490 ₽ на вашу карту, деньги придут за 3 дня.", False),
    ("hr", "dostava", "Dostava je 3,50 € i stiže za dva dana.", False),
])
def test_bl201_an_amount_answers_what_the_person_wrote(lint, language, keyword, answer, flagged):
    result = lint(select=["BL201"], source=answer_to(language, keyword, answer))
    assert codes(result) == (["BL201"] if flagged else [])


@pytest.mark.parametrize("language, text, flagged", [
    ("en", "Per month 2 tips, no spam.", False),  # a count of things after price wording
    ("en", "Our subscription costs just 24 a month.", True),
    ("de", "Ab sofort liefern wir in 1 statt 2 Tagen.", False),
    ("de", "Sie bekommen von uns pro Monat 2 Gartentipps.", False),
    ("de", "Das Abo kostet nur 9 im Monat.", True),
    ("ru", "В месяц 2 совета по уходу, без спама.", False),
    ("ru", "Подписка стоит 490 в месяц.", True),
    ("hr", "Mjesečno 2 savjeta, bez spama.", False),
    ("hr", "Pretplata košta 9 mjesečno.", True),
])
def test_bl201_a_number_after_price_wording_must_be_an_amount(lint, language, text, flagged):
    result = lint(select=["BL201"], source=opt_in_message(language, text))
    assert codes(result) == (["BL201"] if flagged else [])


@pytest.mark.parametrize("language, keyword, answer", [
    ("hr", "koliko stoji", "Vrećica kave je 12,90 €, naruči odmah!"),
    ("ru", "сколько по деньгам", "Курс стоит 4 990 ₽, закажите сейчас!"),
    ("ru", "остались места?", "Осталось всего 2 места, успейте записаться!"),
    ("ru", "запишите меня", "Ближайшая дата 12 мая, стоимость 2 000 ₽, запишитесь сейчас!"),
])
def test_bl201_and_bl202_more_ways_to_ask(lint, language, keyword, answer):
    result = lint(select=["BL201", "BL202"], source=answer_to(language, keyword, answer))
    assert codes(result) == []


@pytest.mark.parametrize("language, text, flagged", [
    ("en", "Hi! Tip: charge your phone up to 80% only.", False),
    ("en", "Hi! Winter sale: save up to 50% on all beans.", True),
    ("de", "Hallo! Tipp: Laden Sie den Akku nur bis zu 80 %.", False),
    ("de", "Hallo! Winteraktion: bis zu 50 % Rabatt auf alle Bohnen.", True),
    ("hr", "Bok! Savjet: punite mobitel samo do 80%.", False),
    ("hr", "Bok! Zimska akcija: do 50% na sve kave.", True),
])
def test_bl201_up_to_a_percentage_is_a_discount_only_in_a_sale(lint, language, text, flagged):
    result = lint(select=["BL201"], source=opt_in_message(language, text))
    assert codes(result) == (["BL201"] if flagged else [])


def test_bl201_price_amount_words_option_changes_the_outcome(lint, tmp_path):
    source = """\
        sequence cold_open:
          channel linkedin
          language en
          trigger broadcast "Webinar attendees"
          step hello:
            say "Thanks for connecting! Our roastery training costs just 450 for a full day."
            end
        """
    assert [f.line for f in lint(source, select=["BL201"]).findings] == [6]
    (tmp_path / "strict.yaml").write_text("rules:\n  BL201:\n    price_amount_words: 0\n", encoding="utf-8")
    assert codes(lint(source, select=["BL201"], config="rulesets: [strict.yaml]\n")) == []


def test_bl201_near_miss_price_words_without_an_amount(lint):
    result = lint(select=["BL201"], source="""\
        sequence roastery_news:
          channel telegram
          language en
          trigger opt-in
          step hello:
            say "Welcome to the roastery channel! Per month we roast 3 new coffees, and we post our price list every Friday."
            end
        """)
    assert codes(result) == []


def test_bl201_transactional_messages_may_state_amounts_but_not_push_offers(lint):
    result = lint(select=["BL201"], source="""\
        sequence order_updates:
          channel whatsapp
          language en
          trigger broadcast "Open orders"
          step reminder:
            say "Your order #{order_id} (34.80 EUR) is ready. Pay on pickup or via https://pay.brightbean.example/invoice/{order_id}" template "payment_reminder" category utility
            say "Use code BEAN10 for 10% off your next order!" template "pickup_extra" category utility
            end
        """)
    [finding] = result.findings
    assert finding.line == 7 and finding.message.endswith(": discount 'Use code BEAN10'")


def test_bl201_an_event_such_as_an_order_makes_amounts_facts_not_a_pitch(lint):
    source = """\
        sequence order_updates:
          channel messenger
          language en
          trigger {trigger}
          step shipped:
            say "Good news: your order of 34.80 EUR has shipped and arrives on Thursday."
            end
        """
    assert codes(lint(source.replace("{trigger}", 'event "order_shipped"'), select=["BL201"])) == []
    assert codes(lint(source.replace("{trigger}", "opt-in"), select=["BL201"])) == ["BL201"]


def test_bl201_flags_a_german_broadcast_offer(lint):
    result = lint(select=["BL201"], source="""\
        sequence herbst_aktion:
          channel whatsapp
          language de
          trigger broadcast "Newsletter"
          step angebot:
            say "Hallo {first_name|du}! Unsere Herbstmischung gibt es jetzt für 12,90 € – jetzt bestellen und 15 % Rabatt sichern."
            end
        """)
    [finding] = result.findings
    assert finding.line == 6
    assert "amount '12,90 €'" in finding.message and "call to action 'jetzt bestellen'" in finding.message


@pytest.mark.parametrize("language, message, amount", [
    ("en", "Only $99 today, tap to buy now", "$99"),
    ("en", "The full kit is USD 1,299.00. Buy now!", "USD 1,299.00"),
    ("de", "Das Set kostet nur €149 – jetzt bestellen!", "€149"),
    ("ru", "Набор всего ₽4990, закажите сейчас!", "₽4990"),
    ("hr", "Paket je samo €129, naruči odmah!", "€129"),
    ("de", "Das Set kostet 1.299,– € – jetzt bestellen!", "1.299,–"),
    ("de", "Das Set kostet 1 299 € – jetzt bestellen!", "1 299 €"),
    ("de", "Das Set kostet CHF 1'299.00 – jetzt bestellen!", "CHF 1'299.00"),
    ("ru", "Цена: ₽ 4 990, закажите сейчас!", "₽ 4 990"),
    ("hr", "Aparat košta 1 299,00 €, naruči odmah!", "1 299,00 €"),
])
def test_bl201_quotes_the_whole_amount_not_its_first_digit(lint, language, message, amount):
    result = lint(select=["BL201"], source=f"""\
        sequence offer:
          channel messenger
          language {language}
          step hello:
            say "{message}"
            end
        """)
    [finding] = result.findings
    assert f"amount '{amount}'" in finding.message


def test_bl201_german_near_miss_the_person_asked_for_the_price_list(lint):
    result = lint(select=["BL201"], source="""\
        flow preisanfrage:
          channel messenger
          language de
          trigger message keywords "Preise", "Preisliste"
          step antwort:
            say "Gern! Ein Beutel kostet ab 9,90 €, das Abo 24 € im Monat."
            end
        """)
    assert codes(result) == []


def test_bl201_flags_russian_and_croatian_first_messages(lint):
    russian = lint(select=["BL201"], source="""\
        sequence podpischiki:
          channel telegram
          language ru
          trigger opt-in
          step privet:
            say "Спасибо за подписку! Дарим скидку 15% на первый заказ по промокоду KOFE15."
            end
        """)
    [finding] = russian.findings
    assert finding.line == 6 and "discount 'скидку 15%'" in finding.message
    croatian = lint(select=["BL201"], source="""\
        sequence novi_pratitelji:
          channel instagram
          language hr
          trigger opt-in
          step pozdrav:
            say "Hvala na praćenju! Kupite odmah i ostvarite 20% popusta na prvu narudžbu."
            end
        """)
    [finding] = croatian.findings
    assert finding.line == 6 and "call to action 'Kupite odmah'" in finding.message


def test_bl201_russian_near_miss_a_question_first(lint):
    result = lint(select=["BL201"], source="""\
        sequence podpischiki:
          channel telegram
          language ru
          trigger opt-in
          step privet:
            ask "Спасибо за подписку! Как вы обычно завариваете кофе?":
              reply "Турка" -> turka
              reply "Эспрессо" -> espresso
              otherwise -> turka
          step turka:
            say "Для турки берите мелкий помол. Пачка — 590 ₽."
            end
          step espresso:
            say "Для эспрессо подойдёт наша смесь «Ночь». Пачка — 690 ₽."
            end
        """)
    assert codes(result) == []


def test_bl201_skips_a_language_without_a_lexicon_and_says_so_once(lint):
    result = lint(select=["BL201"], source="""\
        sequence abonnes:
          language fr
          trigger opt-in
          step bonjour:
            say "Merci ! -20% avec le code CAFE20, achetez maintenant : https://shop.example.com/checkout"
            end
        """)
    assert codes(result) == []
    assert any("no lexicon for language 'fr'" in notice for notice in result.notices)


# --- BL202 urgency-pressure --------------------------------------------------------

def test_bl202_flags_scarcity_in_a_sequence(lint):
    result = lint(select=["BL202"], source="""\
        sequence workshop_invite:
          channel messenger
          language en
          trigger tag-added "Webinar attendee"
          step invite:
            say "Our latte art workshop is on Saturday."
            wait 1d
            say "Last chance: only 3 seats left for Saturday!"
            end
        """)
    [finding] = result.findings
    assert (finding.code, finding.line) == ("BL202", 8)
    assert finding.message == "urgency pressure 'Last chance' in a sequence (automated outreach)"


def test_bl202_flags_a_broadcast_flow_and_a_first_reply_to_a_greeting(lint):
    result = lint(select=["BL202"], source="""\
        flow black_friday:
          channel messenger
          language en
          trigger broadcast "Customers 2024"
          step offer:
            say "Black Friday: our gift boxes are back. The deal ends at midnight!"
            end

        flow welcome:
          channel messenger
          language en
          trigger message keywords "hi"
          step greet:
            say "Hi! Don't miss out on our gift boxes."
            ask "Want to see them?":
              reply "Yes" -> boxes
              otherwise -> boxes
          step boxes:
            say "Here they are. Hurry, they are almost sold out!"
            end
        """)
    assert [(f.line, f.message) for f in result.findings] == [
        (6, "urgency pressure 'deal ends at midnight' in a flow started by 'broadcast', not by the person writing"),
        (14, "urgency pressure 'Don't miss out' before the person has replied"),
    ]


def test_bl202_near_miss_the_person_asked_whether_seats_are_left(lint):
    result = lint(select=["BL202"], source="""\
        sequence workshop_invite:
          channel messenger
          language en
          trigger tag-added "Webinar attendee"
          step invite:
            ask "We're running a latte art workshop on Saturday. Interested?":
              reply "Any seats left?" -> seats
              reply "How much is it?" -> seats
              reply "Not now" -> goodbye
              otherwise -> chat
          step seats:
            say "Yes! It's 45 EUR, and only 3 seats left."
            end
          step chat:
            say "Tell me more about what you'd like to learn."
            end
          step goodbye:
            say "No worries, see you around."
            end
        """)
    assert codes(result) == []


def test_bl202_a_plain_yes_does_not_exempt_pressure(lint):
    result = lint(select=["BL202"], source="""\
        sequence workshop_invite:
          channel messenger
          language en
          trigger tag-added "Webinar attendee"
          step invite:
            ask "We're running a latte art workshop on Saturday. Interested?":
              reply "Yes" -> seats
              reply "Any seats left?" -> seats
              otherwise -> seats
          step seats:
            say "Great, only 3 seats left, book today!"
            end
        """)
    assert [f.line for f in result.findings] == [11]


def test_bl202_near_miss_after_the_person_replied_in_a_flow_they_started(lint):
    result = lint(select=["BL202"], source="""\
        flow welcome:
          channel messenger
          language en
          trigger message keywords "hi"
          step greet:
            ask "Hi! Looking for something special?":
              reply "Gift boxes" -> boxes
              otherwise -> boxes
          step boxes:
            say "Our gift boxes are popular this month: only 5 left in stock."
            end
        """)
    assert codes(result) == []


def test_bl202_german_flags_pressure_and_exempts_an_availability_question(lint):
    source = """\
        sequence kurs_einladung:
          channel whatsapp
          language de
          trigger tag-added "Kursinteresse"
          step einladung:
            ask "Am Samstag gibt es einen Latte-Art-Kurs. Interesse?":
              reply "{label}" -> plaetze
              otherwise -> plaetze
            end
          step plaetze:
            say "Nur noch 2 Plätze frei – schnell zugreifen!"
            end
        """
    flagged = lint(select=["BL202"], source=source.replace("{label}", "Ja, klingt gut"))
    [finding] = flagged.findings
    assert finding.line == 11 and "'Nur noch 2 Plätze frei'" in finding.message
    asked = lint(select=["BL202"], source=source.replace("{label}", "Gibt es noch Plätze?").replace(
        "otherwise -> plaetze", "otherwise -> einladung"))
    assert codes(asked) == []


def test_bl202_flags_croatian_and_russian_pressure(lint):
    croatian = lint(select=["BL202"], source="""\
        sequence radionica:
          channel messenger
          language hr
          trigger tag-added "Zainteresirani"
          step poziv:
            say "Radionica je u subotu. Požurite, još samo 4 mjesta!"
            end
        """)
    assert [(f.line, "'Požurite'" in f.message) for f in croatian.findings] == [(6, True)]
    russian = lint(select=["BL202"], source="""\
        flow rassylka:
          channel telegram
          language ru
          trigger schedule every 1w
          step akciya:
            say "Только сегодня: набор для заваривания со скидкой."
            end
        """)
    assert [(f.line, "started by 'schedule'" in f.message) for f in russian.findings] == [(6, True)]


# --- examples ------------------------------------------------------------------------

def test_hard_sell_examples(lint):
    bad = lint((REPO / "examples" / "hard-sell-bad.flow").read_text(encoding="utf-8"), name="hard-sell-bad.flow")
    assert {"BL201", "BL202"} <= set(codes(bad))
    good = lint((REPO / "examples" / "hard-sell-good.flow").read_text(encoding="utf-8"), name="hard-sell-good.flow")
    assert good.findings == [] and good.errors == []


def test_bl201_reports_the_pitch_in_a_dm_on_a_follow_and_bl401_the_dm(lint):
    source = """\
        sequence new_followers:
          channel instagram
          language en
          trigger follow
          step hello:
            say "Thanks for the follow! 20% off this week: https://shop.example.com/checkout"
            end
        """
    assert sorted(codes(lint(source, select=["BL201", "BL401"]))) == ["BL201", "BL401"]
