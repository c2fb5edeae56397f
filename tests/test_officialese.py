"""BL101's second half: the officialese register, scored by kinds of signal, in en, de, ru and hr.

The must-flag sentences use none of the `boilerplate` phrases: they are caught by the register
(passive process, process-noun chain, notice frame, office formula, case-file noun), so that
sentences nobody listed are caught too. The near-misses are formal but personal, or carry one
signal only.
"""

from __future__ import annotations

import textwrap

import pytest
import yaml
from conftest import REPO

from linter.engine.lexicon import Lexicon


def bl101(result) -> list[str]:
    return [f.message for f in result.findings if f.code == "BL101"]


def one_message(language: str, text: str, statement: str = "say") -> str:
    return (f"flow ticket:\n  channel whatsapp\n  language {language}\n  trigger message\n"
            f"  step received:\n    {statement} \"{text}\"\n    end\n")


def pack(tmp_path, options: str) -> str:
    (tmp_path / "tone-pack.yaml").write_text(f"rules:\n  BL101: {options}\n", encoding="utf-8")
    return "rulesets: [tone-pack.yaml]\n"


def lexicon(language: str) -> Lexicon:
    return Lexicon(language, yaml.safe_load((REPO / "rulesets" / "lexicons" / f"{language}.yaml").read_text("utf-8")))


MUST_FLAG = [
    ("en", "The processing of your claim will be carried out by the relevant department.",
     ["'processing of your claim' (process noun chain)", "(passive process)"]),
    ("en", "Your case is currently being reviewed.", ["(case-file noun)", "(passive process)"]),
    ("de", "Ihr Vorgang wird derzeit von unserer Fachabteilung geprüft.",
     ["'Ihr Vorgang' (case-file noun)", "(passive process)"]),
    ("de", "Wir teilen Ihnen mit, dass Ihre Reklamation weitergeleitet wurde.",
     ["'Wir teilen Ihnen mit' ('we inform you' frame)", "(passive process)"]),
    ("de", "Die Bearbeitung Ihres Antrags erfolgt innerhalb von fünf Werktagen.",
     ["'Bearbeitung Ihres Antrags' (process noun chain)", "'erfolgt' (passive process)"]),
    ("ru", "По результатам рассмотрения Вашего запроса принято решение об отказе.",
     ["'По результатам' (office formula)",
      "'рассмотрения Вашего запроса' (process noun chain)"]),
    ("ru", "Обработка Вашей заявки осуществляется в порядке очереди.",
     ["(process noun chain)", "'осуществляется' (passive process)"]),
    ("hr", "Izvršena je obrada zahtjeva te Vas molimo da pričekate.",
     ["'Izvršena je' (passive process)", "'obrada zahtjeva' (process noun chain)"]),
    ("hr", "Vaš predmet se trenutno rješava sukladno internim pravilima.",
     ["'predmet' (case-file noun)", "(passive process)", "'sukladno' (office formula)"]),
]


@pytest.mark.parametrize("language, text, named", MUST_FLAG,
                         ids=[f"{case[0]}-{n}" for n, case in enumerate(MUST_FLAG)])
def test_officialese_register_is_flagged_without_a_stock_phrase(lint, language, text, named):
    [message] = bl101(lint(one_message(language, text)))
    assert message.startswith("form-letter register: ") and "corporate boilerplate" not in message
    for part in named:
        assert part in message, (part, message)


# Polite, formal address ("Sie", "Вы", "Vi"), but a person speaking: no signal at all.
@pytest.mark.parametrize("language, text", [
    ("en", "Happy to help! When would suit you best?"),
    ("de", "Gern helfe ich Ihnen weiter – wann passt es Ihnen?"),
    ("ru", "Рады помочь! Когда Вам удобно?"),
    ("hr", "Rado ćemo Vam pomoći, kada Vam odgovara?"),
])
def test_officialese_near_miss_formal_but_warm(lint, language, text):
    assert bl101(lint(one_message(language, text))) == []


# Same topic, one signal each (the request named as such, or one passive): a person says who does what.
# Words that look like the register but are not: a passive that names who, "Got it!", a custom,
# directions; the register itself is flagged beside them.
@pytest.mark.parametrize("language, text, flagged", [
    ("en", "Your claim is being reviewed by Ana right now; she'll message you by 5 pm.", False),
    ("en", "Your claim is being reviewed and will be processed in due course.", True),
    ("ru", "Принято! Заявку на возврат я передала Ольге, она напишет Вам сегодня до 18:00.", False),
    ("ru", "Так у нас принято: первый урок бесплатный. Оставьте заявку, и мы перезвоним.", False),
    ("ru", "Ваша заявка принята и будет рассмотрена в порядке очереди.", True),
    ("hr", "Idite ovim putem do parkirališta, pa lijevo.", False),
    ("hr", "Ovim putem zahvaljujemo na Vašem upitu koji je zaprimljen i bit će obrađen.", True),
])
def test_officialese_look_alikes(lint, language, text, flagged):
    assert len(bl101(lint(one_message(language, text)))) == (1 if flagged else 0)


@pytest.mark.parametrize("language, text", [
    ("en", "Got it! Ana will check your application today and message you by 5."),
    ("en", "Your order has been shipped and arrives tomorrow!"),
    ("de", "Ich prüfe Ihren Antrag gleich und melde mich bis 15 Uhr bei Ihnen."),
    ("de", "Ihr Antrag wurde genehmigt – herzlichen Glückwunsch! Die Karte kommt in 3 Tagen."),
    ("ru", "Я посмотрю Ваше обращение и отвечу сегодня до шести."),
    ("ru", "Платёж получен, спасибо! Чек пришлю на почту."),
    ("hr", "Pogledat ću Vaš zahtjev i javiti se danas do 15 h."),
    ("hr", "Problem je riješen! Javite se ako još nešto zatreba."),
])
def test_officialese_near_miss_one_signal_is_ordinary_writing(lint, language, text):
    assert bl101(lint(one_message(language, text))) == []


@pytest.mark.parametrize("language, text", [
    ("en", "Your request is being processed."),
    ("de", "Die Bearbeitung Ihres Antrags erfolgt innerhalb von fünf Werktagen."),
    ("ru", "Обработка Вашей заявки осуществляется в порядке очереди."),
    ("hr", "Obrada Vašeg zahtjeva bit će izvršena u roku od tri radna dana."),
])
def test_officialese_threshold_is_an_option(lint, tmp_path, language, text):
    assert len(bl101(lint(one_message(language, text)))) == 1
    assert bl101(lint(one_message(language, text), config=pack(tmp_path, "{officialese_min_signals: 4}"))) == []
    assert bl101(lint(one_message(language, text), config=pack(tmp_path, "{officialese_min_signals: null}"))) == []


@pytest.mark.parametrize("language, text", [
    ("en", "Please find attached the confirmation. The processing of your claim will be carried out by the "
           "relevant department."),
    ("de", "Sehr geehrter Kunde, die Bearbeitung Ihres Antrags erfolgt in der Reihenfolge des Eingangs."),
    ("ru", "Уважаемый клиент, обработка Вашей заявки осуществляется в порядке очереди."),
    ("hr", "Poštovani korisniče, obrada Vašeg zahtjeva bit će izvršena u roku od tri radna dana."),
])
def test_officialese_and_a_stock_phrase_make_one_finding(lint, language, text):
    [message] = bl101(lint(one_message(language, text)))
    assert message.startswith("corporate boilerplate: ") and "; form-letter register: " in message


# An email may be a letter: the register is read in chat bubbles only (stock phrases everywhere).
@pytest.mark.parametrize("language, text", [
    ("en", "The processing of your claim will be carried out by the relevant department."),
    ("de", "Ihr Vorgang wird derzeit von unserer Fachabteilung geprüft."),
    ("ru", "Обработка Вашей заявки осуществляется в порядке очереди."),
    ("hr", "Izvršena je obrada zahtjeva te Vas molimo da pričekate."),
])
def test_officialese_near_miss_in_an_email(lint, language, text):
    assert bl101(lint(one_message(language, text, statement="action email"))) == []
    assert len(bl101(lint(one_message(language, text, statement="action message")))) == 1


def test_a_stretch_of_text_counts_once():
    from linter.rules.tone.corporate_boilerplate import register_signals

    signals = register_signals(lexicon("de"), "Die Bearbeitung Ihres Antrags dauert etwa zwei Tage.")
    assert [(kind, match.text) for kind, match in signals] == [("nominal", "Bearbeitung Ihres Antrags")]


def test_a_user_lexicon_can_add_signals(lint, tmp_path):
    text = "Your case is with Ana as per the process."
    assert bl101(lint(one_message("en", text))) == []  # one signal: 'Your case'
    (tmp_path / "team-rules.yaml").write_text(textwrap.dedent("""\
        lexicons:
          en:
            officialese:
              formula: ["as per the process"]
        """), encoding="utf-8")
    [message] = bl101(lint(one_message("en", text), config="rulesets: [team-rules.yaml]\n"))
    assert "'as per the process' (office formula)" in message


def test_croatian_typed_without_diacritics_reads_as_written_with_them(lint):
    written = bl101(lint(one_message("hr", "Poštovani korisniče, obavještavamo Vas da je Vaš zahtjev zaprimljen.")))
    typed = bl101(lint(one_message("hr", "Postovani korisnice, obavjestavamo Vas da je Vas zahtjev zaprimljen.")))
    assert len(written) == len(typed) == 1
    assert "'Postovani korisnice'" in typed[0]  # quoted as the message has it


def test_a_language_fold_matches_both_spellings_and_quotes_the_text():
    from linter.engine.lexicon import Lexicon

    lexicon = Lexicon("ru", {"fold": {"ё": "е"}, "done": ["всё готово", "re:\\bещё раз\\b"]})
    assert [m.text for m in lexicon.find("done", "Все готово! Напишите еще раз.")] == ["Все готово", "еще раз"]
    assert [m.text for m in lexicon.find("done", "ВСЁ ГОТОВО")] == ["ВСЁ ГОТОВО"]
    assert Lexicon("ru", {"done": ["всё готово"]}).find("done", "Все готово") == []  # no fold, no match
