"""Robotic tone (BL101-BL110): for each rule, flows it must flag and near-misses it must not."""

from __future__ import annotations

import textwrap

import pytest
from conftest import REPO, codes

from linter.engine.runner import lint_paths
from linter.engine.settings import Overrides, SettingsResolver
from linter.rules import all_rules

TONE_CODES = [f"BL1{n:02d}" for n in range(1, 11)]


def only(result, code):
    """(line, message) of every finding of one rule."""
    return [(f.line, f.message) for f in result.findings if f.code == code]


def one_message(language: str, text: str, flow: str, channel: str, step: str) -> str:
    """A flow that sends one message (on line 6), as the person's first answer is awaited."""
    return (f"flow {flow}:\n  channel {channel}\n  language {language}\n  trigger message\n"
            f"  step {step}:\n    say \"{text}\"\n    end\n")


def with_pack(tmp_path, rules: str) -> str:
    """A config that loads a user rule pack overriding tone options."""
    (tmp_path / "tone-pack.yaml").write_text("rules:\n" + textwrap.indent(textwrap.dedent(rules), "  "),
                                            encoding="utf-8")
    return "rulesets: [tone-pack.yaml]\n"


# --- BL101 corporate-boilerplate -------------------------------------------------------------

def test_bl101_flags_form_letter_phrases_and_quotes_them(lint):
    result = lint("""\
        flow hours "Store hours":
          channel messenger
          language en
          trigger message keywords "hours", "open"
          step start:
            say "Dear valued customer, please be advised that our Hamburg store now opens at 10:00."
            ask "Anything else?":
              reply "No, thanks" -> bye
          step bye:
            say "Have a good day!"
            end
        """)
    [(line, message)] = only(result, "BL101")
    assert line == 6
    assert "'Dear valued customer' and 'please be advised'" in message


def test_bl101_near_miss_plain_friendly_text(lint):
    result = lint("""\
        flow hours:
          channel messenger
          language en
          trigger message keywords "hours"
          step start:
            say "Hi! Our Hamburg store opens at 10:00 from now on. See you there?"
            end
        """)
    assert only(result, "BL101") == []


@pytest.mark.parametrize("language, text, phrase", [
    ("en", "Thank you for your interest in our marketing services. What can we help with?",
     "'Thank you for your interest in our marketing'"),
    ("en", "Thank you for using our services! Should you need assistance in the future, just write.",
     "'Should you need assistance'"),
    ("de", "Sehr geehrter Kunde, Ihre Anfrage ist bei uns eingegangen und wird schnellstmöglich bearbeitet.",
     "'Sehr geehrter Kunde'"),
    ("ru", "Уважаемый клиент, ваше обращение принято. Спасибо за ваше обращение!", "'Уважаемый клиент'"),
    ("hr", "Poštovani korisniče, Vaš upit je zaprimljen i bit će obrađen u najkraćem mogućem roku.",
     "'Poštovani korisniče'"),
])
def test_bl101_flags_boilerplate_in_other_languages(lint, language, text, phrase):
    result = lint(one_message(language, text, "ticket", "whatsapp", "received"))
    [(line, message)] = only(result, "BL101")
    assert line == 6 and phrase in message


@pytest.mark.parametrize("language, text", [
    ("en", "Thanks for your interest! What would you like to know?"),
    ("de", "Danke für deine Nachricht! Lena aus dem Service meldet sich heute noch bei dir."),
    ("ru", "Спасибо, что написали! Анна из поддержки ответит вам сегодня до шести."),
    ("hr", "Hvala na poruci! Ana iz podrške javit će Vam se danas do 18 sati."),
])
def test_bl101_near_miss_friendly_text_in_other_languages(lint, language, text):
    result = lint(one_message(language, text, "ticket", "whatsapp", "received"))
    assert only(result, "BL101") == []


def test_bl101_skips_a_language_without_lexicon_with_a_notice(lint):
    result = lint("""\
        flow f:
          language fr
          trigger message
          step start:
            say "Cher client, nous accusons réception de votre demande."
            end
        """)
    assert only(result, "BL101") == []
    assert any("no lexicon for language 'fr'" in notice for notice in result.notices)


# --- BL102 machine-speak ---------------------------------------------------------------------

def test_bl102_flags_error_dialog_wording(lint):
    result = lint("""\
        flow order_help:
          channel messenger
          language en
          trigger message keywords "order"
          step start:
            ask "Want to track an order or return one?":
              reply "Track" -> track
              reply "Return" -> track
              otherwise -> unclear
          step unclear:
            ask "Invalid input. Please select an option from the menu.":
              reply "Track" -> track
          step track:
            say "Here's your tracking link: https://shop.example/track"
            end
        """)
    [(line, message)] = only(result, "BL102")
    assert line == 11
    assert "'Invalid input'" in message and "'Please select an option from the menu'" in message


def test_bl102_near_miss_plain_words_for_the_same_situation(lint):
    result = lint("""\
        flow order_help:
          channel messenger
          language en
          trigger message keywords "order"
          step start:
            ask "Sorry, I didn't catch that. Want to track an order or return one?":
              reply "Track" -> track
          step track:
            say "Here's your tracking link. The input field on that page takes your order number."
            end
        """)
    assert only(result, "BL102") == []


@pytest.mark.parametrize("language, text, phrase", [
    ("de", "Ungültige Eingabe. Bitte versuchen Sie es später erneut.", "'Ungültige Eingabe'"),
    ("ru", "Произошла ошибка. Повторите попытку через пару минут.", "'Произошла ошибка'"),
    ("hr", "Došlo je do pogreške. Pokušajte ponovno kasnije.", "'Došlo je do pogreške'"),
])
def test_bl102_flags_jargon_in_other_languages(lint, language, text, phrase):
    result = lint(one_message(language, text, "booking", "telegram", "failed"))
    [(line, message)] = only(result, "BL102")
    assert line == 6 and phrase in message


@pytest.mark.parametrize("language, text", [
    ("de", "Das hat leider nicht geklappt. Schreib mir kurz deine Bestellnummer, dann schaue ich nach."),
    ("ru", "Что-то пошло не так с оплатой. Напишите нам номер заказа, и мы разберёмся."),
    ("hr", "Nešto nije u redu s plaćanjem. Pošalji nam broj narudžbe pa ćemo provjeriti."),
])
def test_bl102_near_miss_plain_words_in_other_languages(lint, language, text):
    result = lint(one_message(language, text, "booking", "telegram", "failed"))
    assert only(result, "BL102") == []


# --- BL103 shouting --------------------------------------------------------------------------

SHOUTING = """\
    flow promo:
      channel instagram
      language {language}
      trigger comment keywords "winter"
      step start:
        say "{text}"
        end
    """


@pytest.mark.parametrize("language, text, quoted", [
    ("en", "Our WINTER SALE starts on Friday.", "2 words in capitals ('WINTER' and 'SALE'"),
    ("en", "BUY NOW", "2 words in capitals ('BUY' and 'NOW'"),
    ("en", "Thanks so much for your order!!!", "'!!!' (3 or more exclamation marks in a row)"),
    ("en", "Your parcel is on its way ❗❗❗", "'❗❗❗'"),
    ("en", "Fresh beans are in ‼️‼️", "'‼️‼️'"),
    ("en", "WRONG!", "1 word in capitals ('WRONG'"),  # a whole bubble in capitals, even one word
    ("en", "Our blend is BACK and it is GREAT, come and see.", "'BACK' and 'GREAT'"),
    ("ru", "Зимняя РАСПРОДАЖА уже НАЧАЛАСЬ, заходите!", "'РАСПРОДАЖА' and 'НАЧАЛАСЬ'"),
    ("de", "Unser WINTERKAFFEE ist ENDLICH wieder da!!!", "'WINTERKAFFEE' and 'ENDLICH'"),
])
def test_bl103_flags_capitals_and_exclamation_runs(lint, language, text, quoted):
    [(line, message)] = only(lint(SHOUTING.format(language=language, text=text)), "BL103")
    assert line == 6 and message.startswith("shouting: ") and quoted in message


def test_bl103_near_miss_acronyms_keywords_codes_links_and_placeholders(lint):
    text = ("Use code SAVE20 at https://shop.example/WINTER-SALE or text \\\"JOIN\\\" to 4242. "
            "Questions? See our FAQ or the PDF guide, {first_name|FRIEND}. We're OPEN on Sunday! "
            "Reply STOP to opt out, HELP for help.")
    assert only(lint(SHOUTING.format(language="en", text=text)), "BL103") == []


@pytest.mark.parametrize("language, told, shouted", [
    ("en", "Just reply with NEXT or BACK.", "Write to us, it is GREAT NEWS."),
    ("de", "Antworten Sie bitte mit WEITER oder ZURÜCK.", "Schreiben Sie uns, es gibt GROSSE NEUIGKEITEN."),
    ("ru", "Просто напишите ДАЛЕЕ или НАЗАД.", "Напишите нам, у нас БОЛЬШИЕ НОВОСТИ."),
    ("hr", "Samo odgovorite s DALJE ili NATRAG.", "Pišite nam, imamo VELIKE NOVOSTI."),
])
def test_bl103_keywords_a_few_words_after_the_verb_are_what_to_type(lint, language, told, shouted):
    assert only(lint(SHOUTING.format(language=language, text=told)), "BL103") == []
    assert len(only(lint(SHOUTING.format(language=language, text=shouted)), "BL103")) == 1  # another clause


def test_bl103_near_miss_names_russian_always_writes_in_capitals(lint):
    text = "Оформим ОСАГО и КАСКО за 10 минут, приезжайте в МФЦ."
    assert only(lint(SHOUTING.format(language="ru", text=text)), "BL103") == []
    assert len(only(lint(SHOUTING.format(language="ru", text="Оформим ОСАГО СЕГОДНЯ ЖЕ!")), "BL103")) == 1


def test_bl103_options_change_the_outcome(lint, tmp_path):
    text = "We're OPEN on Sunday!!! See you there."
    assert "'!!!'" in only(lint(SHOUTING.format(language="en", text=text)), "BL103")[0][1]
    config = with_pack(tmp_path, """\
        BL103:
          min_words: 1
          exclamation_run: 4
        """)
    [(_, message)] = only(lint(SHOUTING.format(language="en", text=text), config=config), "BL103")
    assert "1 word in capitals ('OPEN'; 1 or more" in message and "'!!!'" not in message


def test_bl103_letters_and_allow_list_are_options(lint, tmp_path):
    source = SHOUTING.format(language="en", text="Come and see our new grinders at IFA and CES this year.")
    assert only(lint(source), "BL103") == []  # three-letter words in capitals are nearly always acronyms
    [(_, message)] = only(lint(source, config=with_pack(tmp_path, "BL103: {min_letters: 3}\n")), "BL103")
    assert "'IFA' and 'CES'" in message
    config = with_pack(tmp_path, "BL103: {min_letters: 3, allowed_caps: [IFA, CES]}\n")
    assert only(lint(source, config=config), "BL103") == []


HEADED = {
    "en": ("LOW RISK", "Based on your answers you are safe where you are."),
    "de": ("GERINGES RISIKO", "Nach deinen Antworten bist du dort sicher."),
    "ru": ("НИЗКИЙ РИСК", "По вашим ответам вы сейчас в безопасности."),
    "hr": ("NIZAK RIZIK", "Prema vašim odgovorima sada ste na sigurnom."),
}


@pytest.mark.parametrize("language", sorted(HEADED))
def test_bl103_near_miss_a_title_in_capitals_above_the_body(lint, language):
    title, body = HEADED[language]
    assert only(lint(SHOUTING.format(language=language, text=f"{title}\\n\\n{body}")), "BL103") == []
    # Bold markup around the title, and a title of two lines, are still a title.
    text = f"<b>{title}</b>\\n<b>{title}</b>\\n\\n{body}"
    assert only(lint(SHOUTING.format(language=language, text=text)), "BL103") == []


@pytest.mark.parametrize("language", sorted(HEADED))
@pytest.mark.parametrize("shape", [
    "{title}! {body}",            # in the sentence, not above it
    "{title}!\\n\\n{body}",       # an exclamation, not a title
    "{title}\\n\\n{title}",       # nothing in sentence case below: the whole message shouts
])
def test_bl103_flags_capitals_that_are_no_title(lint, language, shape):
    title, body = HEADED[language]
    assert len(only(lint(SHOUTING.format(language=language, text=shape.format(title=title, body=body))),
                    "BL103")) == 1


def test_bl103_headings_are_an_option(lint, tmp_path):
    text = "LOW RISK\\n\\nBased on your answers you are safe where you are."
    assert only(lint(SHOUTING.format(language="en", text=text)), "BL103") == []
    config = with_pack(tmp_path, "BL103: {allow_headings: false}\n")
    assert len(only(lint(SHOUTING.format(language="en", text=text), config=config), "BL103")) == 1
    long_title = "YOUR RESULTS OF THE SAFETY CHECK TODAY\\n\\nBased on your answers you are safe."
    assert len(only(lint(SHOUTING.format(language="en", text=long_title)), "BL103")) == 1


# --- BL104 hard-to-read ----------------------------------------------------------------------

HARD = """\
    flow refund:
      channel {channel}
      language {language}
      trigger message keywords "refund"
      step start:
        say "{text}"
        end
    """


@pytest.mark.parametrize("language, text, score", [
    ("en", "In accordance with applicable regulations, invoice adjustments necessitate verification of "
           "contractual documentation by our accounts department.", "Flesch reading ease"),
    ("de", "Gemäß den Bestimmungen unserer Allgemeinen Geschäftsbedingungen ist eine Rückerstattung "
           "ausschließlich nach vorheriger Prüfung der Reklamationsunterlagen möglich.", "Flesch reading ease"),
    ("ru", "В соответствии с действующим регламентом возврат денежных средств осуществляется исключительно "
           "после предварительной проверки документации.", "Flesch reading ease"),
    ("hr", "Sukladno važećim općim uvjetima poslovanja, povrat sredstava moguć je isključivo nakon "
           "prethodne provjere reklamacijske dokumentacije.", "LIX"),
])
def test_bl104_flags_hard_text_with_the_language_formula(lint, language, text, score):
    [(line, message)] = only(lint(HARD.format(channel="messenger", language=language, text=text)), "BL104")
    assert line == 6 and message.startswith(f"hard to read: {score} ") and "is hard)" in message


@pytest.mark.parametrize("language, text", [
    ("en", "You can get your money back. Just send us a photo of your receipt and we'll do the rest."),
    ("de", "Du bekommst dein Geld zurück. Schick uns einfach ein Foto vom Kassenbon, den Rest machen wir."),
    ("ru", "Деньги вернём. Просто пришлите фото чека, а остальное мы сделаем сами."),
    ("hr", "Novac ti vraćamo. Samo nam pošalji fotografiju računa, a ostalo ćemo mi."),
    ("en", "Reimbursement necessitates documentation verification.", ),  # hard words, too short to score
])
def test_bl104_near_miss_plain_or_too_short_to_score(lint, language, text):
    assert only(lint(HARD.format(channel="messenger", language=language, text=text)), "BL104") == []


LONG_SENTENCE = ("If your parcel has not arrived by Friday you can write to us here and we will send a new one "
                 "or give you your money back, whichever you like best.")  # 31 plain words


def test_bl104_flags_a_sentence_too_long_for_the_channel(lint):
    [(line, message)] = only(lint(HARD.format(channel="whatsapp", language="en", text=LONG_SENTENCE)), "BL104")
    assert line == 6 and "a 31-word sentence, more than 25 for whatsapp: 'If your parcel" in message
    assert "Flesch" not in message  # plain words: the score is fine


def test_bl104_officialese_without_function_words_still_reads_as_its_language(lint):
    officialese = ("Возврат денежных средств осуществляется исключительно посредством первоначально "
                   "использованного платёжного инструмента после предоставления соответствующей документации.")
    [(_, message)] = only(lint(HARD.format(channel="messenger", language="ru", text=officialese)), "BL104")
    assert message.startswith("hard to read: Flesch reading ease -")
    # A neighbour's language in a Russian flow is not scored with Russian constants (Ukrainian: no ы, э, ъ).
    ukrainian = ("Повернення коштів здійснюється виключно за допомогою платіжного інструменту після "
                 "надання відповідної документації.")
    assert only(lint(HARD.format(channel="messenger", language="ru", text=ukrainian)), "BL104") == []


def test_bl104_a_hyphenated_word_is_one_word_as_a_reader_counts(lint):
    # 23 words as read; 27 if every part of "follow-up", "drop-off" and "Ad-hoc-Termin" counted.
    text = ("If your follow-up parcel has not arrived by Friday you can book an Ad-hoc-Termin at our "
            "drop-off point or write to us here.")
    assert only(lint(HARD.format(channel="whatsapp", language="en", text=text)), "BL104") == []


def test_bl104_email_has_more_room_and_the_limit_is_an_option(lint, tmp_path):
    assert only(lint(HARD.format(channel="email", language="en", text=LONG_SENTENCE)), "BL104") == []
    config = with_pack(tmp_path, """\
        BL104:
          max_sentence_words: {default: 40}
        """)
    assert only(lint(HARD.format(channel="whatsapp", language="en", text=LONG_SENTENCE), config=config),
                "BL104") == []


def test_bl104_min_words_option_decides_what_gets_scored(lint, tmp_path):
    text = ("Invoice adjustments necessitate verification of contractual documentation by our central "
            "accounts department.")
    source = HARD.format(channel="messenger", language="en", text=text)  # 12 words
    assert "Flesch" in only(lint(source), "BL104")[0][1]
    assert only(lint(source, config=with_pack(tmp_path, "BL104: {min_words: 13}\n")), "BL104") == []


@pytest.mark.parametrize("language, text", [
    ("de", "Gemäß den Bestimmungen unserer Allgemeinen Geschäftsbedingungen ist eine Rückerstattung "
           "ausschließlich nach vorheriger Prüfung der Reklamationsunterlagen möglich."),
    ("de", "Wir rösten jeden Dienstag frische Bohnen in kleinen Mengen. Danach packen wir alles noch am "
           "selben Tag für dich ein."),
    ("ru", "Мы обжариваем свежие зёрна каждый вторник небольшими партиями. После этого упаковываем всё "
           "в тот же день и отправляем вам."),
])
def test_bl104_scores_match_textstat_for_de_and_ru(language, text):
    textstat = pytest.importorskip("textstat")
    from linter.engine.settings import SettingsResolver
    from linter.model.text import readability

    settings = SettingsResolver(Overrides(), cwd=REPO).for_path(REPO / "examples").lexicon(language)
    textstat.set_lang(language)
    ours = readability(text, settings.value("readability")).score
    assert ours == pytest.approx(textstat.flesch_reading_ease(text), abs=0.1)


# --- BL105 wall-of-text ----------------------------------------------------------------------

WALL = """\
    flow care:
      channel {channel}
      language en
      trigger message keywords "care"
      step start:
        say "{text}"
        end
    """

CARE_GUIDE = ("Store your beans in an airtight tin, away from light and heat. Keep them out of the fridge, "
              "because the humidity spoils the taste. Grind just before brewing, as ground coffee goes stale "
              "within an hour. Use water just off the boil, around ninety-four degrees. For a filter, start "
              "with sixty grams of coffee per litre and adjust to taste. Clean your grinder once a month with "
              "a brush so old oils do not build up.")  # 6 sentences, over 400 characters


def test_bl105_flags_a_bubble_over_the_channel_limits(lint):
    text = CARE_GUIDE + " Enjoy your coffee!"  # 7 sentences, ~440 characters
    [(line, message)] = only(lint(WALL.format(channel="messenger", text=text)), "BL105")
    assert line == 6 and message == "wall of text for one messenger bubble: 7 sentences (more than 6)"
    long = CARE_GUIDE.replace(".", ",", 2) + " " + CARE_GUIDE[:120]
    [(_, message)] = only(lint(WALL.format(channel="messenger", text=long)), "BL105")
    assert f"{len(long)} characters (more than 500)" in message


def test_bl105_near_miss_within_limits_email_and_unknown_channel(lint):
    assert only(lint(WALL.format(channel="messenger", text=CARE_GUIDE)), "BL105") == []
    assert only(lint(WALL.format(channel="email", text=CARE_GUIDE * 3)), "BL105") == []
    unknown = WALL.format(channel="messenger", text=CARE_GUIDE * 2).replace("  channel messenger\n", "")
    assert only(lint(unknown), "BL105") == []


def test_bl105_sms_is_stricter_and_limits_are_options(lint, tmp_path):
    [(_, message)] = only(lint(WALL.format(channel="sms", text=CARE_GUIDE)), "BL105")
    assert "(more than 320)" in message and "(more than 4)" in message
    config = with_pack(tmp_path, """\
        BL105:
          max_chars: {default: 500, sms: 1000}
          max_sentences: {default: 10}
        """)
    assert only(lint(WALL.format(channel="sms", text=CARE_GUIDE), config=config), "BL105") == []


# (language, four sentences full of abbreviations, the same with three more sentences)
ABBREVIATED = {
    "en": "Mon. to Fri., 9 a.m. to 5 p.m., approx. two hours. Ask for Dr. Smith at No. 5 Main St. in town. "
          "Tel. 0800 123 456, ext. 12. Bring e.g. your card.",
    "de": "Das Abo kostet 19,90 € mtl. inkl. MwSt. zzgl. Versand, z. B. nach Österreich. Wir liefern Mo. bis Fr. "
          "ab dem 5. des Monats. Frag ggf. Hr. Weber, Tel. 0800 123. Er hilft gern bzw. ruft zurück.",
    "ru": "Мы на ул. Ленина, д. 5, корп. 2, рядом с ТЦ. Вход со двора, т.е. с пр. Мира. Парковка бесплатная, "
          "напр. на пл. Победы. Ждём Вас!",
    "hr": "Nalazimo se u Ul. Ilica br. 5, npr. kod trga. Dođite 5. svibnja, tj. u petak. Pitajte dr. Horvat, "
          "tel. 01 234 567. Vidimo se!",
}


@pytest.mark.parametrize("language", sorted(ABBREVIATED))
def test_bl105_abbreviations_do_not_end_sentences(lint, language):
    text = ABBREVIATED[language]
    source = WALL.format(channel="messenger", text=text).replace("language en", f"language {language}")
    assert only(lint(source), "BL105") == []  # four sentences, each with several abbreviations
    three_more = text + " Ok. Ok. Ok."
    [(_, message)] = only(lint(source.replace(text, three_more)), "BL105")
    assert message.endswith("7 sentences (more than 6)")


# --- BL106 bubble-flood ----------------------------------------------------------------------

def test_bl106_flags_a_run_once_at_the_first_bubble_past_the_limit(lint):
    result = lint("""\
        flow welcome:
          channel messenger
          language en
          trigger message keywords "hi"
          step start:
            say "Hi there!"
            say "Welcome to Brightbean."
            say "We roast coffee in Hamburg every Tuesday."
            say "We ship all over Europe within two days."
            goto more
          step more:
            say "Our subscribers save on every bag."
            ask "What can I do for you?":
              reply "Shop coffee" -> shop
          step shop:
            say "Here's our shop: https://brightbean.example/shop"
            end
        """)
    assert only(result, "BL106") == [(9, "4 bot messages in a row before the person can answer (more than 3)")]


def test_bl106_typing_pauses_do_not_break_a_run(lint):
    result = lint("""\
        flow welcome:
          channel telegram
          trigger message
          step start:
            say "Hey!"
            wait 3s
            say "Give me a second, I'm looking up your order."
            wait 5s
            say "Found it."
            wait 3s
            say "It left our roastery this morning."
            end
        """)
    assert [line for line, _ in only(result, "BL106")] == [11]


def test_bl106_counts_a_burst_after_a_wait_on_its_own(lint):
    result = lint("""\
        sequence restock:
          channel whatsapp
          trigger tag-added "waiting-list"
          step start:
            say "You're on the waiting list for our Ethiopian natural."
            wait 2d
            say "Good news: it's back!"
            say "We roasted it yesterday."
            say "It tastes of blueberry and cocoa."
            say "Bags are 250 g or 1 kg."
            end
        """)
    assert only(result, "BL106") == [(10, "4 bot messages in a row before the person can answer (more than 3)")]


def test_bl106_near_miss_a_drip_with_real_waits_and_a_short_run(lint):
    result = lint("""\
        sequence onboarding:
          channel whatsapp
          trigger opt-in
          step day_1:
            say "Thanks for joining Brightbean's brewing club!"
            say "Your first tip arrives tomorrow."
            wait 1d
            say "Tip 1: grind right before you brew."
            wait 2d
            say "Tip 2: use water just off the boil."
            wait 2d
            say "Tip 3: weigh your coffee, don't scoop it."
            ask "Want a tip for your own brewer?":
              reply "Yes" -> brewer
          step brewer:
            say "Great, which brewer do you use?"
            end
        """)
    assert only(result, "BL106") == []


def test_bl106_the_closing_question_is_not_counted_and_the_limit_is_an_option(lint, tmp_path):
    source = """\
        flow welcome:
          channel messenger
          trigger message
          step start:
            say "Hi there!"
            say "Welcome to Brightbean."
            say "We roast coffee in Hamburg."
            ask "What can I do for you?":
              reply "Shop coffee" -> start
        """
    assert only(lint(source), "BL106") == []  # three lines, then the person's turn
    assert only(lint(source, config=with_pack(tmp_path, "BL106: {max_in_a_row: 2}\n")), "BL106") == [
        (7, "3 bot messages in a row before the person can answer (more than 2)")]


CLOSING_SAY = """\
    flow welcome:
      channel messenger
      trigger message
      step start:
        say "Hi there!"
        say "Welcome to Brightbean."
        say "We roast coffee in Hamburg."
        say "{last}"
        {after}
      step next:
        say "Noted."
        end
    """


@pytest.mark.parametrize("last, after", [
    ("What else can I help you with?", "wait for reply"),
    ("Anything else? 😊", "wait for reply"),
    ("Was darf es sein?", "wait for reply"),
    ("Что ещё вас интересует?", "end"),  # a Rasa story ends here: the bot listens for the next turn
])
def test_bl106_a_message_asking_right_before_the_persons_turn_closes_the_run(lint, last, after):
    # An imported platform (a Rasa response before the person's turn) asks with a message, then waits.
    result = lint(CLOSING_SAY.format(last=last, after=after))
    assert not result.errors, [str(e) for e in result.errors]
    assert only(result, "BL106") == []


@pytest.mark.parametrize("last, after", [
    ("We ship all over Europe.", "wait for reply"),  # no question: a fourth bubble
    ("Do you know our beans?", 'say "They come from Huila."\n        wait for reply'),  # more bubbles follow it
])
def test_bl106_near_miss_no_question_or_not_right_before_the_wait(lint, last, after):
    result = lint(CLOSING_SAY.format(last=last, after=after))
    assert not result.errors, [str(e) for e in result.errors]
    assert only(result, "BL106") == [(8, "4 bot messages in a row before the person can answer (more than 3)")]


# --- BL107 repeated-message ------------------------------------------------------------------

MENU = """\
    flow order:
      channel messenger
      language en
      trigger message keywords "order"
      step size:
        ask "Which size would you like?":
          reply "250 g" -> grind
          reply "1 kg" -> grind
          otherwise -> size_help
      step size_help:
        say "{first}"
        goto size
      step grind:
        ask "Whole beans or ground?":
          reply "Whole beans" -> done
          reply "Ground" -> done
          otherwise -> grind_help
      step grind_help:
        say "{second}"
        goto grind
      step done:
        say "Thanks! Your order is in."
        end
    """


def test_bl107_flags_the_same_fallback_on_one_path(lint):
    result = lint(MENU.format(first="Sorry, I didn't get that, {first_name|friend}. Please use the buttons.",
                              second="sorry, I didn’t  get that, {name}.  Please use the buttons."))
    [(line, message)] = only(result, "BL107")
    assert line == 19 and message.startswith("same text as line 11: 'sorry, I didn’t get that")


@pytest.mark.parametrize("first, second", [
    ("Sorry, I didn't get that. Please use the buttons.", "Sorry, I didn't get that. Please use the buttons!"),
    ("Entschuldigung, das habe ich nicht verstanden.", "Entschuldigung, das habe ich nicht verstanden!"),
    ("Извините, я не понял. Выберите кнопку.", "Извините, я не понял. Выберите кнопку…"),
])
def test_bl107_the_closing_punctuation_does_not_make_a_new_text(lint, first, second):
    [(line, _)] = only(lint(MENU.format(first=first, second=second)), "BL107")
    assert line == 19


def test_bl107_near_miss_varied_wording_short_texts_and_separate_branches(lint):
    assert only(lint(MENU.format(first="Tap one of the sizes below, or type the grams you'd like.",
                                 second="Whole beans keep fresher; ground is ready for your filter.")), "BL107") == []
    assert only(lint(MENU.format(first="Oops, sorry!", second="Oops, sorry!")), "BL107") == []
    branches = lint("""\
        flow order:
          channel messenger
          trigger message
          step start:
            ask "Pick up or delivery?":
              reply "Pick up" -> pickup
              reply "Delivery" -> delivery
          step pickup:
            say "Thanks for your order, we'll message you when it's ready."
            end
          step delivery:
            say "Thanks for your order, we'll message you when it's ready."
            end
        """)
    assert only(branches, "BL107") == []  # one conversation sees only one of them


def test_bl107_min_chars_is_an_option(lint, tmp_path):
    source = MENU.format(first="Sorry, I didn't get that.", second="Sorry, I didn't get that.")
    assert [line for line, _ in only(lint(source), "BL107")] == [19]
    assert only(lint(source, config=with_pack(tmp_path, "BL107: {min_chars: 30}\n")), "BL107") == []


def test_bl107_a_text_written_once_and_reused_is_not_repeated(lint):
    result = lint("""\
        flows:
          - kind: flow
            name: order
            channel: messenger
            trigger: {kind: message}
            steps:
              - name: size
                do:
                  - ask: "Which size would you like?"
                    replies: [{label: "250 g", goto: grind}]
                    otherwise: size_help
              - name: size_help
                do:
                  - &fallback {say: "Sorry, I didn't get that. Please use the buttons."}
                  - goto: size
              - name: grind
                do:
                  - ask: "Whole beans or ground?"
                    replies: [{label: "Whole beans", goto: done}]
                    otherwise: grind_help
              - name: grind_help
                do:
                  - *fallback
                  - goto: grind
              - name: done
                do:
                  - end: true
        """, name="order.flow.yaml")
    assert not result.errors
    assert only(result, "BL107") == []


# --- BL108 mixed-register --------------------------------------------------------------------

REGISTER = """\
    flow welcome:
      channel whatsapp
      language {language}
      trigger message
      step start:
        say "{one}"
        ask "{two}":
          reply "{reply}" -> next
      step next:
        say "{three}"
        end
    """


@pytest.mark.parametrize("language, one, two, three, reply, expected_line, expected", [
    ("de", "Willkommen bei Brightbean! Wie können wir Ihnen heute helfen?",
     "Magst du zuerst unsere Bestseller sehen?", "Gerne schicken wir Ihnen die Liste auch per E-Mail.", "Ja",
     7, "informal address 'du' here, but this flow otherwise uses formal address ('Ihnen' on lines 6, 10)"),
    ("ru", "Здравствуйте! Чем можем вам помочь?", "Хочешь посмотреть наши новинки?",
     "Мы пришлём вам подборку в течение часа.", "Да",
     7, "informal address 'Хочешь' here, but this flow otherwise uses formal address"),
    ("ru", "Здравствуйте! Чем можем вам помочь?", "Опиши, пожалуйста, проблему подробнее.",
     "Мы пришлём вам ответ в течение часа.", "Да",
     7, "informal address 'Опиши' here, but this flow otherwise uses formal address"),
    ("hr", "Dobro došli! Kako Vam možemo pomoći?", "Želiš li vidjeti naše novitete?",
     "Popis šaljemo i na Vaš e-mail.", "Da",
     7, "informal address 'Želiš' here, but this flow otherwise uses formal address ('Vam' and 'Vaš'"),
    ("en", "Hey buddy, welcome to Brightbean!", "Wanna see our bestsellers?",
     "Kind regards, the Brightbean team", "Sure",
     10, "formal address 'Kind regards' here, but this flow otherwise uses informal address"),
])
def test_bl108_flags_the_odd_register_out(lint, language, one, two, three, reply, expected_line, expected):
    result = lint(REGISTER.format(language=language, one=one, two=two, three=three, reply=reply))
    [(line, message)] = only(result, "BL108")
    assert line == expected_line and expected in message


def test_bl108_both_registers_in_one_message(lint):
    result = lint(REGISTER.format(language="ru", one="Привет!", two="Здравствуйте! Хочешь узнать о вашей скидке?",
                                  reply="Да", three="Отлично."))
    assert only(result, "BL108") == [
        (7, "formal ('Здравствуйте' and 'вашей') and informal ('Хочешь') address in one message")]


@pytest.mark.parametrize("language, quoting, mixing", [
    ("de", "Ich bin der Bot vom Café „du Soleil“. Probieren Sie unseren „Dein Kaffee“!",
     "Probieren Sie unseren Kaffee, du wirst ihn lieben!"),
    ("ru", "Нажмите кнопку «Напиши нам», и мы Вам ответим. Отзыв гостя: «Ты лучшая, Катя!»",
     "Нажмите кнопку, и мы Вам ответим. Хочешь скидку?"),
    ("hr", "Kliknite gumb „Pošalji” i Vaš upit stiže nama: https://kavana.example/pogledaj",
     "Kliknite gumb i Vaš upit stiže nama. Želiš li popust?"),
])
def test_bl108_quoted_labels_names_reviews_and_links_are_not_the_bots_address(lint, language, quoting, mixing):
    source = REGISTER.format(language=language, one="{text}", two="?", reply="Da", three="Ok.")
    assert only(lint(source.replace("{text}", quoting)), "BL108") == []
    assert len(only(lint(source.replace("{text}", mixing)), "BL108")) == 1


def test_bl108_quotes_whole_words(lint):
    # The German possessive is found by the capital of the noun after it; the quote stops at "Ihre".
    result = lint(REGISTER.format(language="de", one="Hallo!", two="Ihre Bestellung ist unterwegs. Magst du sie verfolgen?",
                                  reply="Ja", three="Super."))
    assert only(result, "BL108") == [(7, "formal ('Ihre') and informal ('du') address in one message")]


@pytest.mark.parametrize("language, one, two, three", [
    # "Sie" at the start of a sentence and lowercase "sie" mean "they" here.
    ("de", "Hallo! Unsere neuen Bohnen sind da. Sie kommen aus Kolumbien.",
     "Möchtest du probieren, weil sie so frisch sind?", "Super, ich lege dir eine Packung zurück."),
    ("ru", "Здравствуйте! Чем можем вам помочь?", "Хотите посмотреть новинки?", "Пришлём вам подборку."),
    # "ti proizvodi" is "those products", not informal address; lowercase "vam" is plural.
    ("hr", "Bok! Stigli su novi proizvodi.", "Želiš li da ti proizvodi stignu do petka?",
     "Javit ćemo vam se svima do podne."),
    # "Сколько вас будет?" asks a group how many they are: plural, not formal.
    ("ru", "Привет! Я бот кофейни.", "Сколько вас будет?", "Отлично, ждём тебя в субботу!"),
])
def test_bl108_near_miss_one_register(lint, language, one, two, three):
    result = lint(REGISTER.format(language=language, one=one, two=two, three=three, reply="Da"))
    assert only(result, "BL108") == []


# --- BL109 broken-template -------------------------------------------------------------------

def test_bl109_flags_placeholders_that_can_be_empty(lint):
    result = lint("""\
        flow newsletter:
          channel webchat
          language en
          trigger message keywords "news"
          step start:
            say "Hi {first_name}, great to see you!"
            ask "Want our monthly brewing tips? What's your email?":
              capture email as email -> confirm
              reply "Not now" -> confirm
          step confirm:
            say "Done! The next issue goes to {email} on Friday."
            end
        """)
    assert only(result, "BL109") == [
        (6, "placeholder without a fallback can come out empty: {first_name} (never captured in this flow)"),
        (11, "placeholder without a fallback can come out empty: {email} (captured on some paths only)"),
    ]
    assert all(f.severity == "warning" for f in result.findings if f.code == "BL109")


def test_bl109_near_miss_fallbacks_captured_on_every_path_and_provided_fields(lint, tmp_path):
    source = """\
        flow newsletter:
          channel messenger
          language en
          trigger message keywords "news"
          step start:
            say "Hi {first_name|there}, this is {page_name}."
            ask "What's your email?":
              capture email as email -> confirm
          step confirm:
            say "Done! The next issue goes to {email} on Friday."
            end
          step unused:
            say "Nobody reaches {nothing} here."
            end
        """
    assert [line for line, _ in only(lint(source), "BL109")] == [6]
    config = with_pack(tmp_path, "BL109: {always_provided: [page_name]}\n")
    assert only(lint(source, config=config), "BL109") == []
    config = with_pack(tmp_path, "BL109: {always_provided: ['page_*']}\n")
    assert only(lint(source, config=config), "BL109") == []


@pytest.mark.parametrize("text, shown", [
    ("Hi [FIRST_NAME], your order has shipped.", "'[FIRST_NAME]' (bracket placeholder)"),
    ("Hi {{ first_name }}, your order has shipped.", "'{{ first_name }}' (double-brace template)"),
    ("Hi %FIRST_NAME%, your order has shipped.", "'%FIRST_NAME%' (percent placeholder)"),
    ("Book a call here: <INSERT YOUR BOOKING LINK HERE>", "'<INSERT YOUR BOOKING LINK HERE>' (angle-bracket "
                                                          "placeholder)"),
    ("Hi <FIRST_NAME>, your order has shipped.", "'<FIRST_NAME>' (angle-bracket placeholder)"),
    ("Hi {first name}, your order has shipped.", "'{first name}' (malformed placeholder)"),
    ("Your code is {code|none. Enter it at checkout.", "'code is {code|non' (stray '{')"),
    ("Привет, [ИМЯ]! Ваш заказ отправлен.", "'[ИМЯ]' (bracket placeholder)"),
    ("Bok %ČLAN%, narudžba je poslana.", "'%ČLAN%' (percent placeholder)"),
    ("Hi *|FNAME|*, your order has shipped.", "'*|FNAME|*' (merge tag)"),
    ("Questions? Call 0800 xxx xxxx.", "'0800 xxx xxxx' (placeholder digits)"),
    ("Your code is {{code}}.", "'{{code}}' (double-brace template)"),  # once: not also a placeholder
])
def test_bl109_malformed_templates_are_errors(lint, text, shown):
    result = lint(f"""\
        flow shipping:
          channel whatsapp
          trigger event "order-shipped"
          step start:
            say "{text}"
            end
        """)
    [finding] = [f for f in result.findings if f.code == "BL109"]
    assert (finding.line, finding.severity) == (5, "error")
    assert finding.message.startswith("malformed template: ") and shown in finding.message


def test_bl109_an_empty_fallback_is_no_fallback_and_kisses_are_no_digits(lint):
    source = """\
        flow shipping:
          channel whatsapp
          trigger message keywords "order"
          step start:
            say "{text}"
            end
        """
    [finding] = only(lint(source.format(text="Hi {first_name|}, your order ships today.")), "BL109")
    assert "placeholder without a fallback can come out empty: {first_name}" in finding[1]
    assert only(lint(source.format(text="Thanks for your order! Love, Ana xxx")), "BL109") == []


def test_bl109_near_miss_a_bracketed_label_opening_the_message(lint):
    result = lint("""\
        flow shipping:
          channel whatsapp
          trigger event "order-shipped"
          step start:
            say "[UPDATE] Your order has shipped and arrives on Thursday."
            end
        """)
    assert only(result, "BL109") == []


@pytest.mark.parametrize("text", [
    "Your order has shipped.<BR>It arrives on Thursday.",  # an HTML tag in capitals
    "Prices for 1 < 2 bags > our usual rate.",
])
def test_bl109_near_miss_angle_brackets_that_are_markup_or_comparisons(lint, text):
    result = lint(f"""\
        flow shipping:
          channel whatsapp
          trigger event "order-shipped"
          step start:
            say "{text}"
            end
        """)
    assert only(result, "BL109") == []


def test_bl109_configured_severity_or_option_decides_for_malformed(lint, tmp_path):
    source = """\
        flow shipping:
          channel whatsapp
          trigger event "order-shipped"
          step start:
            say "Hi [NAME], your order has shipped."
            end
        """
    def severities(result):
        return [f.severity for f in result.findings if f.code == "BL109"]

    assert severities(lint(source)) == ["error"]
    assert severities(lint(source, config="severity: {BL109: info}\n")) == ["info"]
    assert severities(lint(source, config=with_pack(tmp_path, "BL109: {malformed_severity: warning}\n"))) == [
        "warning"]


# --- BL110 missing-contraction ---------------------------------------------------------------

def test_bl110_flags_long_forms_and_suggests_contractions(lint):
    result = lint("""\
        flow night:
          channel messenger
          language en
          trigger message
          step start:
            say "I am unable to check orders at night, but we will reply at 9:00. You do not need to write again."
            end
        """)
    [finding] = [f for f in result.findings if f.code == "BL110"]
    assert (finding.line, finding.severity) == (6, "info")
    assert finding.message == ("uncontracted: 'I am unable to' -> 'I can't', 'we will' -> 'we'll', "
                               "'do not' -> 'don't'")
    assert finding.hint == "contractions sound like a person talking: write 'I can't' for 'I am unable to'"


@pytest.mark.parametrize("text", [
    "Is it still open? Yes, it is.",
    "Brightbean is who we are: two friends and a roaster.",
    "The new blend is stronger than it is bitter.",
    "Let us know if you need anything else.",
    "Do not share this code with anyone. Our team will never ask for it.",
    "We do NOT sell your data.",
    "Here you are: the menu for today.",
    "Turn on Do Not Disturb to pause our messages.",  # the name of a mode
])
def test_bl110_near_miss_where_the_long_form_is_right(lint, text):
    result = lint(f"""\
        flow f:
          channel messenger
          language en
          trigger message
          step start:
            say "{text}"
            end
        """)
    assert only(result, "BL110") == []


def test_bl110_english_only(lint):
    result = lint("""\
        flow f:
          channel messenger
          language de
          trigger message
          step start:
            say "Ich bin gleich für dich da. Das ist kein Problem."
            end
        """)
    assert only(result, "BL110") == []


# --- all tone rules ------------------------------------------------------------------------

def test_a_text_used_by_several_flows_is_reported_once(lint):
    result = lint("""\
        flows:
          - kind: flow
            name: web
            channel: webchat
            trigger: {kind: message}
            steps:
              - name: start
                do:
                  - &closed {say: "Dear valued customer, our office is closed today."}
                  - end: true
          - kind: flow
            name: chat
            channel: messenger
            trigger: {kind: message}
            steps:
              - name: start
                do:
                  - *closed
                  - end: true
        """, name="closed.flow.yaml")
    assert not result.errors
    assert [line for line, _ in only(result, "BL101")] == [9]


# --- shipped rule pack and examples ----------------------------------------------------------

def test_every_tone_option_has_a_shipped_default():
    resolver = SettingsResolver(Overrides(), cwd=REPO)
    settings = resolver.for_path(REPO / "examples")
    for code in TONE_CODES:
        rule = all_rules()[code]
        assert rule.family == "tone"
        assert settings.rulesets.rules[code].get("enabled") is True, code
        if rule.options is not None:  # validated when the packs load: every option has its default
            shipped = settings.rule_options(rule)
            for option in rule.options.model_fields:
                assert option in shipped.model_fields_set, (code, option)


def _lint_example(name):
    resolver = SettingsResolver(Overrides(), cwd=REPO)
    return lint_paths([REPO / "examples" / name], resolver)


def test_tone_bad_example_raises_every_tone_rule():
    result = _lint_example("tone-bad.flow")
    assert not result.errors
    assert set(TONE_CODES) <= set(codes(result))


def test_tone_good_example_is_clean_under_every_rule():
    result = _lint_example("tone-good.flow")
    assert not result.errors
    assert result.findings == []


def test_bl109_a_webhook_on_every_path_may_fill_what_the_flow_never_captures(lint):
    source = """\
        flow lookup:
          channel messenger
          language en
          trigger message keywords "order"
          step start:
            {call}
            say "Your parcel is in {city} today."
            end
        """
    with_call = source.replace("{call}", 'action webhook "https://example.com/hooks/tracking"')
    without = source.replace("{call}", 'say "Let me check."')
    assert [f.code for f in lint(with_call, select=["BL109"]).findings] == []
    assert [f.code for f in lint(without, select=["BL109"]).findings] == ["BL109"]


def test_bl109_two_letter_bracket_tags_are_labels_not_leftovers(lint):
    source = """\
        flow f:
          channel messenger
          language en
          trigger message keywords "help"
          step s:
            say "Meet our [AI] helper: it answers in seconds."
            say "Hi [NAME], welcome back!"
            end
        """
    result = lint(source, select=["BL109"])
    assert [(f.line, "'[NAME]'" in f.message) for f in result.findings] == [(7, True)]
