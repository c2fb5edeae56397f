"""BL202 urgency-pressure, issue 14: urgency only in sales messages (class 7), time-limited offers
said any way (class 10). A must-flag flow and a near-miss for each behaviour in en, de, ru and hr."""

import re

import pytest

from conftest import REPO, codes


def broadcast(language: str, *messages: str, second_step: tuple[str, ...] = ()) -> str:
    """A broadcast (the person did not write first): every message is outreach."""
    body = "".join(f'    say "{text}"\n' for text in messages)
    more = ""
    if second_step:
        body += "    goto more\n"
        more = "  step more:\n" + "".join(f'    say "{text}"\n' for text in second_step) + "    end\n"
    else:
        body += "    end\n"
    return (f'flow f:\n  channel messenger\n  language {language}\n  trigger broadcast "Customers"\n'
            f"  step start:\n{body}{more}")


def support(language: str, keyword: str, *messages: str) -> str:
    """The person writes for help; the bot answers before they reply to it."""
    body = "".join(f'    say "{text}"\n' for text in messages)
    return (f'flow f:\n  channel messenger\n  language {language}\n  trigger message keywords "{keyword}"\n'
            f"  step start:\n{body}    end\n")


def quoted(result) -> list[str]:
    """The pressure each finding quotes."""
    return [re.match(r"urgency pressure '(.*?)' (?:in a|before)", f.message)[1] for f in result.findings]


# --- class 7: "be quick" words are pressure only in a flow that sells ------------------------------

# (language, support answer with urgency words, the same push word in a flow that sells, its discount)
PUSH = {
    "en": ("Is it urgent? We'll prioritise it. Act fast if your card was stolen: call us on 0800 123 456.",
           "Act fast: our gift boxes are back.", "20% off every gift box this week."),
    "de": ("Dringend? Wir melden uns sofort. Letzte Chance für Änderungen ist der Versandtag, beeilen Sie sich bitte.",
           "Letzte Chance: die Geschenkboxen sind zurück.", "20% Rabatt auf jede Geschenkbox."),
    "ru": ("Срочно? Ответим в течение часа. Торопитесь? Позвоните нам, и мастер приедет сегодня.",
           "Торопитесь: подарочные наборы снова в продаже.", "Скидка 20% на все подарочные наборы."),
    "hr": ("Hitno? Javit ćemo se odmah. Požurite s prijavom kvara, serviser dolazi još danas.",
           "Požurite: poklon paketi su se vratili.", "20% popusta na sve poklon pakete."),
}


@pytest.mark.parametrize("language", sorted(PUSH))
def test_push_word_is_pressure_in_a_flow_that_sells(lint, language):
    _, push, discount = PUSH[language]
    result = lint(broadcast(language, push, second_step=(discount,)), select=["BL202"])
    assert [f.line for f in result.findings] == [6]
    assert quoted(result)[0].lower() in push.lower()


@pytest.mark.parametrize("language", sorted(PUSH))
def test_near_miss_urgency_in_support_is_not_pressure(lint, language):
    answer, _, _ = PUSH[language]
    assert codes(lint(support(language, "help", answer), select=["BL202"])) == []
    # The same words in a broadcast, with nothing sold anywhere in the flow, are not pressure either.
    assert codes(lint(broadcast(language, answer), select=["BL202"])) == []


def test_scarcity_makes_the_flow_a_sales_flow(lint):
    """"Don't miss out" in a greeting counts once the flow says its gift boxes are almost sold out."""
    result = lint(broadcast("en", "Don't miss out on our gift boxes.",
                            second_step=("They are almost sold out!",)), select=["BL202"])
    assert quoted(result) == ["Don't miss out", "almost sold out"]


# --- class 10: deadlines attached to an offer ------------------------------------------------------

# (language, deadline in the offer's message, "this weekend only", an offer's end, bare bubble, its offer)
DEADLINES = {
    "en": ("20% off all beans, only until Friday.", "This weekend only: gift boxes at half price.",
           "Our summer sale ends Sunday: 30% off.", "Only until Sunday!", "Summer sale: 30% off every bag."),
    "de": ("Nur noch bis Freitag: 20% Rabatt auf alle Bohnen!", "Nur dieses Wochenende: Geschenkboxen zum Sonderpreis.",
           "Die Aktion endet am Sonntag: 30% auf alles.", "Nur bis Sonntag!", "Sommer-Sale: 30% Rabatt auf jede Tüte."),
    "ru": ("Скидка 20% на все зёрна — только до пятницы!", "Только в эти выходные: подарочные наборы по акции.",
           "Акция заканчивается в воскресенье: скидка 30%.", "Только до воскресенья!", "Летняя распродажа: скидка 30%."),
    "hr": ("Samo do petka: 20% popusta na sve kave!", "Samo ovaj vikend: poklon paketi po akcijskoj cijeni.",
           "Akcija završava u nedjelju: 30% popusta.", "Samo do nedjelje!", "Ljetna rasprodaja: 30% popusta."),
}


@pytest.mark.parametrize("language", sorted(DEADLINES))
def test_time_limited_offers_said_any_way(lint, language):
    until, weekend, ends, bare, offer = DEADLINES[language]
    result = lint(broadcast(language, until, weekend, ends, offer, bare), select=["BL202"])
    assert [f.line for f in result.findings] == [6, 7, 8, 10]
    deadline_words = {"en": "until", "de": "bis", "ru": "до", "hr": "do"}[language]
    assert deadline_words in quoted(result)[0].lower() and deadline_words in quoted(result)[3].lower()


# (language, opening hours, delivery, closure, a standing weekly offer; the flow sells in another message)
NOT_AN_OFFER = {
    "en": ("We're open until Friday 6pm.", "Your parcel arrives by Friday.", "The shop is closed until Monday.",
           "Happy hour: 10% off every coffee, Monday through Friday."),
    "de": ("Wir haben bis Freitag 18 Uhr geöffnet.", "Ihr Paket wird bis Freitag geliefert.",
           "Bis Freitag geschlossen.", "Happy Hour: 10% Rabatt auf jeden Kaffee, von Montag bis Freitag."),
    "ru": ("Работаем до пятницы, до 18:00.", "Доставим заказ до пятницы.", "До понедельника мы закрыты.",
           "Счастливые часы: скидка 10% на кофе с понедельника до пятницы."),
    "hr": ("Radimo do petka do 18 h.", "Paket stiže do petka.", "Do ponedjeljka je zatvoreno.",
           "Sretni sat: 10% popusta na svaku kavu od ponedjeljka do petka."),
}


@pytest.mark.parametrize("language", sorted(NOT_AN_OFFER))
def test_near_miss_deadlines_that_are_not_an_offers(lint, language):
    hours, delivery, closed, weekly = NOT_AN_OFFER[language]
    offer = DEADLINES[language][4]
    # In the offer's own step, but a sentence of its own about hours, delivery or a closure.
    result = lint(broadcast(language, offer + " " + hours, delivery, closed, weekly), select=["BL202"])
    assert codes(result) == []
    # Nothing sold at all: a bare deadline has no offer to attach to.
    assert codes(lint(broadcast(language, DEADLINES[language][3]), select=["BL202"])) == []


# (language, a notice of short hours today, cancelling before a renewal, a bill; then the same
# "today only" selling something)
RIGHTS_AND_NOTICES = {
    "en": ("Today only we close at 2 pm.", "Your 9.99 EUR plan renews on Friday; you can cancel until Thursday.",
           "Your invoice of 30 EUR is due by Friday.", "Today only: 20% off all beans!"),
    "de": ("Nur heute haben wir bis 14 Uhr geöffnet.",
           "Ihr Abo verlängert sich am Freitag für 9,99 €. Kündigen können Sie bis Donnerstag.",
           "Die Rechnung über 30 € ist bis Freitag fällig.", "Nur heute: 20 % Rabatt auf alle Bohnen!"),
    "ru": ("Только сегодня кофейня работает до 18:00 из-за праздника.",
           "Подписка за 299 ₽ продлится автоматически в пятницу, отменить можно до четверга.",
           "Счёт на 1 490 ₽ нужно оплатить до пятницы.", "Только сегодня скидка 20% на всё!"),
    "hr": ("Samo danas radimo do 14 h zbog blagdana.",
           "Pretplata od 9,99 € produljuje se u petak; otkazati je možete do četvrtka.",
           "Račun od 30 € dospijeva do petka.", "Samo danas 20% popusta na sve!"),
}


@pytest.mark.parametrize("language", sorted(RIGHTS_AND_NOTICES))
def test_near_miss_short_hours_cancelling_and_bills_are_not_pressure(lint, language):
    *notices, selling = RIGHTS_AND_NOTICES[language]
    for notice in notices:
        assert codes(lint(broadcast(language, notice), select=["BL202"])) == [], notice
    assert codes(lint(broadcast(language, selling), select=["BL202"])) == ["BL202"]


# (language, the person's question about how long the offer runs, the answer)
ASKED = {
    "en": ("Until when is the sale on?", "The sale runs until Friday: 20% off every bag."),
    "de": ("Bis wann läuft die Aktion?", "Die Aktion läuft bis Freitag: 20% Rabatt auf jede Tüte."),
    "ru": ("До какого числа действует акция?", "Акция действует до пятницы: скидка 20% на все зёрна."),
    "hr": ("Do kada traje akcija?", "Akcija traje do petka: 20% popusta na sve kave."),
}


@pytest.mark.parametrize("language", sorted(ASKED))
def test_near_miss_a_deadline_the_person_asked_about(lint, language):
    question, answer = ASKED[language]
    source = f"""\
        sequence s:
          channel messenger
          language {language}
          trigger tag-added "Newsletter"
          step start:
            ask "☕":
              reply "{{label}}" -> answer
              otherwise -> answer
          step answer:
            say "{answer}"
            end
        """
    asked = lint(source.replace("{label}", question).replace("otherwise -> answer", "otherwise -> start"),
                 select=["BL202"])
    assert codes(asked) == []
    unasked = lint(source.replace("{label}", "👍"), select=["BL202"])
    assert [f.line for f in unasked.findings] == [10]


def test_bare_deadline_words_option(lint, tmp_path):
    source = broadcast("en", "Summer sale: 30% off every bag.", "Remember, only until Sunday, see you there!")
    assert codes(lint(source, select=["BL202"])) == []
    (tmp_path / "wider.yaml").write_text("rules:\n  BL202:\n    deadline_bubble_words: 5\n", encoding="utf-8")
    assert codes(lint(source, select=["BL202"], config="rulesets: [wider.yaml]\n")) == ["BL202"]


def test_a_message_with_several_pressures_quotes_the_first(lint):
    result = lint(broadcast("en", "Last chance! Only 3 seats left in Saturday's latte art workshop, 20% off until "
                                  "Friday."), select=["BL202"])
    assert quoted(result) == ["Last chance"]


def test_deadline_bubble_words_has_one_shipped_default():
    shipped = (REPO / "rulesets" / "rules" / "hard_sell.yaml").read_text(encoding="utf-8")
    assert shipped.count("deadline_bubble_words") == 1
