"""BL201 and the person who asked for it (issue 14, class 2), in en, de, ru and hr.

A first message that asks about price, cost, availability, free spots, booking, a discount or a
code makes the price, the free spots or the code an answer, not a pitch: from the trigger keywords,
or from the reply, button or row (of another flow) whose tap sent them. The same offer to someone
who asked for nothing (an opt-in, a greeting, an unrelated question) is still a pitch.
"""

import pytest

from conftest import REPO, codes

# The answer each language's flow sends: a price, free spots and a code in one message.
ANSWER = {
    "en": "Sure! A tasting is 25 EUR, Saturday has 4 free spots, and code BEAN10 gives 10% off.",
    "de": ("Gern! Ein Tasting kostet 25 €, am Samstag sind noch 4 Plätze frei, "
           "mit dem Code BOHNE10 gibt es 10 % Rabatt."),
    "ru": "Конечно! Дегустация стоит 1500 ₽, в субботу свободно 4 места, по промокоду KOFE10 скидка 10%.",
    "hr": "Naravno! Degustacija je 25 €, u subotu su slobodna 4 mjesta, a s kodom KAVA10 imate 10% popusta.",
}

# What the person typed first, per language: each row asks one thing the answer gives.
ASKED = {
    "en": ['"price"', '"how much is it?"', '"any free spots?"', '"book a table"', '"discount code"', '"CODE"',
           '"prices", "availability"'],
    "de": ['"Preis"', '"was kostet das?"', '"noch Plätze frei?"', '"Termin buchen"', '"Rabattcode"', '"Gutschein"',
           '"CODE"'],
    "ru": ['"цена"', '"сколько стоит?"', '"есть свободные места?"', '"записаться"', '"промокод"', '"скидка"',
           '"КОД"'],
    "hr": ['"cijena"', '"koliko košta?"', '"ima li slobodnih mjesta?"', '"rezervacija"', '"kod za popust"',
           '"popust"', '"KOD"'],
}

# Near misses of the exemption: the person said only a greeting, or asked something else.
NOT_ASKED = {
    "en": ['"hi"', '"hi", "price"', '"error code"', '"opening hours"'],
    "de": ['"hallo"', '"hallo", "Preis"', '"Fehlercode"', '"Öffnungszeiten"'],
    "ru": ['"привет"', '"привет", "цена"', '"код ошибки"', '"часы работы"'],
    "hr": ['"bok"', '"bok", "cijena"', '"kod nas"', '"radno vrijeme"'],
}

FLOW = """\
    flow answer:
      channel messenger
      language {language}
      trigger message keywords {keywords}
      step reply:
        say "{answer}"
        end
    """


def _lint(lint, language, keywords):
    return lint(FLOW.format(language=language, keywords=keywords, answer=ANSWER[language]), select=["BL201"])


@pytest.mark.parametrize("language, keywords", [(lang, kw) for lang, rows in ASKED.items() for kw in rows])
def test_bl201_near_miss_the_first_message_asked_for_it(lint, language, keywords):
    assert codes(_lint(lint, language, keywords)) == []


@pytest.mark.parametrize("language, keywords", [(lang, kw) for lang, rows in NOT_ASKED.items() for kw in rows])
def test_bl201_flags_the_same_answer_when_the_person_did_not_ask(lint, language, keywords):
    [finding] = _lint(lint, language, keywords).findings
    assert finding.code == "BL201" and finding.line == 6


SEQUENCE = """\
    sequence welcome:
      channel instagram
      language {language}
      trigger opt-in
      step hello:
        say "{answer}"
        end
    """


@pytest.mark.parametrize("language", ["en", "de", "ru", "hr"])
def test_bl201_flags_the_same_offer_sent_before_the_person_asked_anything(lint, language):
    result = lint(SEQUENCE.format(language=language, answer=ANSWER[language]), select=["BL201"])
    [finding] = result.findings
    assert finding.message.startswith("pitch before the person has replied")


# --- the reply that led there ----------------------------------------------------------

# A menu flow offers options without a target: a tap sends the label, which starts the keyword flow.
MENU = {
    "en": ("What can I do for you?", "Want to see our prices?", "Yes please", "Our story"),
    "de": ("Wobei kann ich helfen?", "Möchtest du unsere Preise sehen?", "Ja, gern", "Unsere Geschichte"),
    "ru": ("Чем могу помочь?", "Показать наши цены?", "Да, давайте", "Наша история"),
    "hr": ("Kako vam mogu pomoći?", "Želite li vidjeti naše cijene?", "Da, može", "Naša priča"),
}

TAPPED = """\
    flow menu:
      channel messenger
      language {language}
      trigger start
      step start:
        ask "{question}":
          reply "{yes}"
          reply "{other}"
        end

    flow answer:
      channel messenger
      language {language}
      trigger message keywords "{keyword}"
      step reply:
        say "{answer}"
        end
    """


@pytest.mark.parametrize("language", ["en", "de", "ru", "hr"])
def test_bl201_near_miss_the_tapped_option_or_its_question_asked(lint, language):
    _, offers, yes, _ = MENU[language]
    source = TAPPED.format(language=language, question=offers, yes=yes, other=MENU[language][3], keyword=yes,
                           answer=ANSWER[language])
    assert codes(lint(source, select=["BL201"])) == []


@pytest.mark.parametrize("language", ["en", "de", "ru", "hr"])
def test_bl201_flags_a_tapped_option_that_asked_for_something_else(lint, language):
    neutral, _, yes, other = MENU[language]
    source = TAPPED.format(language=language, question=neutral, yes=yes, other=other, keyword=other,
                           answer=ANSWER[language])
    assert [f.line for f in lint(source, select=["BL201"]).findings] == [16]


@pytest.mark.parametrize("language", ["en", "de", "ru", "hr"])
def test_bl201_flags_an_option_with_a_target_since_its_tap_starts_no_other_flow(lint, language):
    _, offers, yes, other = MENU[language]
    source = TAPPED.format(language=language, question=offers, yes=yes, other=other, keyword=yes,
                           answer=ANSWER[language]).replace(f'reply "{yes}"', f'reply "{yes}" -> start')
    assert [f.line for f in lint(source, select=["BL201"]).findings] == [16]


IN_FLOW = """\
    flow welcome:
      channel messenger
      language {language}
      trigger start
      step start:
        {ask}
      step prices:
        say "{answer}"
        end
    """


@pytest.mark.parametrize("language", ["en", "de", "ru", "hr"])
def test_bl201_near_miss_within_a_flow_the_reply_leads_to_the_offer(lint, language):
    _, offers, yes, _ = MENU[language]
    ask = f'ask "{offers}":\n          reply "{yes}" -> prices\n          otherwise -> prices'
    source = IN_FLOW.format(language=language, ask=ask, answer=ANSWER[language])
    assert codes(lint(source, select=["BL201"])) == []


@pytest.mark.parametrize("language", ["en", "de", "ru", "hr"])
def test_bl201_flags_the_offer_a_path_without_any_reply_also_reaches(lint, language):
    _, offers, yes, _ = MENU[language]
    # The person may answer (then the offer follows their reply), or say nothing for a day.
    ask = f'say "{offers}"\n        wait for reply timeout 1d -> prices\n        goto prices'
    source = IN_FLOW.format(language=language, ask=ask, answer=ANSWER[language])
    assert [f.line for f in lint(source, select=["BL201"]).findings] == [10]


def test_bl201_the_intent_lists_exist_in_every_shipped_language():
    import yaml

    for language in ("en", "de", "ru", "hr"):
        data = yaml.safe_load((REPO / "rulesets" / "lexicons" / f"{language}.yaml").read_text(encoding="utf-8"))
        for key in ("price_intent", "availability_intent", "booking_intent", "discount_intent"):
            assert data.get(key), (language, key)
