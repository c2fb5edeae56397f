"""BL102 machine-speak by shape (issue 14, class 8): code-like text shown to a person, in en, de, ru and hr.

Each behaviour has messages it must flag and near-misses it must leave alone, in every language.
"""

from __future__ import annotations

import pytest


def flow(language: str, text: str) -> str:
    """A flow that sends one message, on line 6."""
    return (f"flow support:\n  channel messenger\n  language {language}\n  trigger message\n"
            f"  step answer:\n    say \"{text}\"\n    end\n")


def bl102(lint, language: str, text: str) -> list[tuple[int, str]]:
    result = lint(flow(language, text), select=["BL102"])
    return [(f.line, f.message) for f in result.findings if f.code == "BL102"]


def assert_flags(lint, language, text, quoted):
    [(line, message)] = bl102(lint, language, text)
    assert line == 6
    for phrase in quoted:
        assert f"'{phrase}'" in message, message


# --- empty values a template printed: null, undefined, NaN, None ----------------------------

@pytest.mark.parametrize("language, text, quoted", [
    ("en", "Hi undefined, your table is booked for None at 7pm.", ["undefined", "None"]),
    ("en", "Your delivery slot: null", ["null"]),
    ("de", "Hallo undefined, dein Termin am None ist bestätigt.", ["undefined", "None"]),
    ("de", "Gesamtpreis: NaN €", ["NaN"]),
    ("ru", "Привет, undefined! Ваш заказ None отправлен.", ["undefined", "None"]),
    ("hr", "Bok null, tvoj termin je u [object Object].", ["null", "[object Object]"]),
])
def test_empty_values_are_flagged_in_every_language(lint, language, text, quoted):
    assert_flags(lint, language, text, quoted)


@pytest.mark.parametrize("language, text", [
    ("en", "None of these plans fit? Tell me what you need and I'll find one."),
    ("en", "Hidden fees? None. What you see is what you pay."),
    ("en", "Tap \\\"None of these\\\" if nothing fits, or my nan can call you."),
    ("en", "The old voucher is null and void, but this one works for an undefined period."),
    ("de", "Der Versand kostet null Euro, und der Aufpreis ist null."),
    ("de", "Wir haben ab null Uhr geöffnet, mit null Risiko für dich."),
    ("ru", "Ничего не нужно платить заранее: ноль рублей до доставки."),
    ("hr", "Dostava je nula kuna, a nijedna od opcija ne košta dodatno."),
])
def test_near_miss_empty_value_spellings_that_are_words(lint, language, text):
    assert bl102(lint, language, text) == []


# --- SCREAMING_SNAKE error constants --------------------------------------------------------

@pytest.mark.parametrize("language, text, quoted", [
    ("en", "Oops, INVALID_STATE. Tap Start to begin again.", ["INVALID_STATE"]),
    ("en", "Your order ORDER_NOT_FOUND", ["ORDER_NOT_FOUND"]),
    ("de", "Das hat nicht geklappt: ERR_TIMEOUT", ["ERR_TIMEOUT"]),
    ("ru", "Не получилось: PAYMENT_DECLINED_BY_BANK", ["PAYMENT_DECLINED_BY_BANK"]),
    ("hr", "Kod greške: SLOT_NOT_AVAILABLE", ["SLOT_NOT_AVAILABLE"]),
])
def test_error_constants_are_flagged_in_every_language(lint, language, text, quoted):
    assert_flags(lint, language, text, quoted)


@pytest.mark.parametrize("language, text", [
    ("en", "Use code SPRING_SALE for 10% off your FAQ-approved picks. Item LINEN_SHIRT_M is in stock."),
    ("en", "Type MAIN_MENU to start over. Hi {FIRST_NAME}, your AB_1234 ticket is ready."),
    ("de", "Mit dem Code SOMMER_SALE sparst du 10 %. Artikel LEINEN_HEMD_M ist auf Lager."),
    ("ru", "Промокод LETO_SALE даёт скидку 10%. Артикул RUBASHKA_LEN_M есть в наличии."),
    ("hr", "Promo kod LJETO_SALE daje 10% popusta. Šifra artikla LANENA_KOSULJA_M je dostupna."),
    # the code after a dash or a copula
    ("en", "Your discount code is SPRING_SALE, enjoy!"),
    ("de", "Dein Code lautet HERBST_AKTION."),
    ("ru", "Ваш промокод — LETO_SALE."),
    ("hr", "Tvoj promo kod je LJETO_POPUST."),
])
def test_near_miss_codes_the_person_wants_and_acronyms(lint, language, text):
    assert bl102(lint, language, text) == []


# --- HTTP and error codes -------------------------------------------------------------------

@pytest.mark.parametrize("language, text, quoted", [
    ("en", "Sorry! Error 404 - we couldn't load that page.", ["Error 404"]),
    ("en", "We hit a snag (503). Try again in a minute?", ["(503)"]),
    ("en", "503 Service Unavailable", ["503 Service Unavailable"]),
    ("de", "Fehlercode 12: bitte versuch es gleich noch mal.", ["Fehlercode 12"]),
    ("de", "Die Zahlung ist fehlgeschlagen (502).", ["(502)"]),
    ("ru", "Код ошибки 500. Напишите нам, мы поможем.", ["Код ошибки 500"]),
    ("ru", "Что-то пошло не так (503), попробуйте позже.", ["(503)"]),
    ("hr", "Kod greške 12. Javi nam se pa ćemo pomoći.", ["Kod greške 12"]),
    ("hr", "Greška br. 404 na stranici za plaćanje.", ["Greška br. 404"]),
])
def test_error_codes_are_flagged_in_every_language(lint, language, text, quoted):
    assert_flags(lint, language, text, quoted)


@pytest.mark.parametrize("language, text", [
    ("en", "Good news: your order 404-221 ships today. Questions? Call (503) 555-0142, it's $49.99 all in."),
    ("en", "Our reviews (503) say it best: no errors, no fuss."),
    ("de", "Deine Bestellung 404-221 ist unterwegs. Ruf uns an: (030) 555 0142. Preis: 49,99 €."),
    ("ru", "Ваш заказ 404-221 уже в пути. Звоните: +7 (495) 123-45-67. Ошибок нет, всё оплачено."),
    ("hr", "Tvoja narudžba 404-221 stiže sutra. Nazovi nas na (01) 555 0142. Cijena je 49,99 €."),
    # a menu prompt above its buttons: nothing failed
    ("de", "Bitte wählen Sie eine der folgenden Optionen aus."),
    # an apology for a mistake, and a date after the word for an error
    ("en", "You're right, that was our error: 2 items were charged instead of 1."),
    ("de", "Stimmt, unser Fehler: 2 Artikel wurden doppelt berechnet."),
    ("ru", "Простите за ошибку: 2 позиции не доехали."),
    ("ru", "Мы нашли ошибку 12 марта и исправили её."),
    ("hr", "Oprostite zbog greške: 2 proizvoda nisu stigla."),
])
def test_near_miss_order_numbers_phones_and_prices(lint, language, text):
    assert bl102(lint, language, text) == []


# --- exception names and JSON fragments -----------------------------------------------------

@pytest.mark.parametrize("language, text, quoted", [
    ("en", "NullPointerException at checkout, sorry about that.", ["NullPointerException"]),
    ("en", "Result: {\\\"error\\\": \\\"timeout\\\"}", ['{"error": "timeout"}']),
    ("de", "Leider ValueError beim Speichern deiner Adresse.", ["ValueError"]),
    ("de", "Antwort: {'status': 'failed'}", ["{'status': 'failed'}"]),
    ("ru", "Ошибка: java.lang.IllegalStateException", ["java.lang.IllegalStateException"]),
    ("ru", "Ответ сервера: {\\\"code\\\": 500}", ['{"code": 500}']),
    ("hr", "TypeError: plaćanje nije prošlo.", ["TypeError"]),
    ("hr", "Odgovor: [{\\\"slot\\\": null}]", ['{"slot": null}']),
])
def test_exceptions_and_json_are_flagged_in_every_language(lint, language, text, quoted):
    assert_flags(lint, language, text, quoted)


@pytest.mark.parametrize("language, text", [
    ("en", "Sorry, my error! Hi {first_name|there}, your trial: error-free, guaranteed."),
    ("de", "Mein Fehler, sorry! Hallo {first_name|du}, alles klappt jetzt."),
    ("ru", "Моя ошибка, извините! {first_name|Друг}, всё уже исправлено."),
    ("hr", "Moja greška, oprosti! Bok {first_name|prijatelju}, sve je sada u redu."),
])
def test_near_miss_plain_words_for_an_error_and_placeholders(lint, language, text):
    assert bl102(lint, language, text) == []


# --- system messages ------------------------------------------------------------------------

@pytest.mark.parametrize("language, text, quoted", [
    ("en", "The request timed out. Please try again.", ["The request timed out"]),
    ("en", "Process terminated.", ["Process terminated"]),
    ("de", "Zeitüberschreitung der Anfrage.", ["Zeitüberschreitung"]),
    ("de", "Die Verbindung wurde abgebrochen.", ["Die Verbindung wurde abgebrochen"]),
    ("ru", "Превышено время ожидания.", ["Превышено время ожидания"]),
    ("ru", "Соединение прервано, попробуйте ещё раз.", ["Соединение прервано"]),
    ("hr", "Isteklo vrijeme zahtjeva.", ["Isteklo vrijeme zahtjeva"]),
    ("hr", "Veza je prekinuta, pokušaj ponovno.", ["Veza je prekinuta"]),
])
def test_system_messages_are_flagged_in_every_language(lint, language, text, quoted):
    assert_flags(lint, language, text, quoted)


@pytest.mark.parametrize("language, text", [
    ("en", "That took longer than it should. Our booking page is slow today; want me to try again?"),
    ("de", "Das hat zu lange gedauert. Soll ich es noch einmal versuchen?"),
    ("ru", "Это заняло слишком много времени. Попробовать ещё раз?"),
    ("hr", "To je potrajalo predugo. Da probam još jednom?"),
])
def test_near_miss_the_same_situation_in_plain_words(lint, language, text):
    assert bl102(lint, language, text) == []


def test_near_miss_none_as_the_last_of_a_list_of_labels(lint):
    # A filter or button named "None", listed with the others (seen in a Botpress bot of the corpus).
    text = "Filter by OS Commands, Libraries, an Exact Search and None."
    assert bl102(lint, "en", text) == []
    assert [m for _, m in bl102(lint, "en", "Your table is booked for None and 4 guests.")]


@pytest.mark.parametrize("language, text", [
    ("en", "New in: SUMMER_DRESS_BLUE, 59 EUR."),
    ("de", "Neu im Shop: SOMMERKLEID_BLAU für 59 €."),
    ("ru", "Новинка: LETNEE_PLATYE_SINEE, 4990 ₽."),
    ("hr", "Novo: LJETNA_HALJINA_PLAVA, 59 €."),
])
def test_near_miss_a_catalogue_code_beside_its_price(lint, language, text):
    assert bl102(lint, language, text) == []
