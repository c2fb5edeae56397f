"""BL109: fields a channel fills in from the person's profile, and "$" as a currency sign."""

import pytest
from test_rules_tone import only

FLOW = """\
    flow greet:
      channel {channel}
      language en
      trigger message keywords "hi"
      step start:
        say "{text}"
        end
    """


@pytest.mark.parametrize("channel, text", [
    ("messenger", "Hi {first_name}, good to see you back!"),
    ("messenger", "Hi {first_name} {last_name}, your table is booked."),
    ("telegram", "Hi {first_name}, your beans are on their way."),
    ("telegram", "Hi {user.first_name}, your beans are on their way."),  # a dotted name ends in the field
    ("instagram", "Thanks for the message, {username}!"),
    ("whatsapp", "Hi {contact.profile.name}, your order is ready."),
])
def test_bl109_a_field_the_channel_fills_from_the_profile_is_not_empty(lint, channel, text):
    assert only(lint(FLOW.format(channel=channel, text=text)), "BL109") == []


@pytest.mark.parametrize("channel, text, name", [
    ("sms", "Hi {first_name}, good to see you back!", "first_name"),  # SMS knows only a number
    ("webchat", "Hi {first_name}, good to see you back!", "first_name"),
    ("telegram", "Hi {first_name} {last_name}!", "last_name"),  # optional in Telegram's User object
    ("messenger", "Your order {order_id} is ready, {first_name}.", "order_id"),  # the flow must fill it
    ("messenger", "Hi {first_name_or_nick}!", "first_name_or_nick"),  # a near name is not the field
])
def test_bl109_near_miss_fields_the_channel_does_not_supply(lint, channel, text, name):
    [(line, message)] = only(lint(FLOW.format(channel=channel, text=text)), "BL109")
    assert line == 6 and f"{{{name}}} (never captured in this flow)" in message


@pytest.mark.parametrize("text", [
    "The starter kit is $49, shipping included.",
    "Plans start at US$ 20 a month.",
    "O kit custa R$225,00 à vista.",
    "I'm somewhere nice, hard to explain to humans like you $user.",
])
def test_bl109_a_dollar_before_an_amount_or_a_name_is_not_template_syntax(lint, text):
    assert only(lint(FLOW.format(channel="webchat", text=text)), "BL109") == []


def test_bl109_a_dollar_brace_is_still_a_leftover(lint):
    messages = [message for line, message in only(lint(FLOW.format(channel="webchat", text="Your total is ${total}.")),
                                                    "BL109") if line == 6]
    assert any("'${total}' (dollar placeholder)" in message for message in messages)


GREETINGS = {
    "en": ("Hi {first_name}, your table for two is booked.", "The tasting menu is $49 per person."),
    "de": ("Hallo {first_name}, dein Tisch für zwei ist reserviert.", "Das Probiermenü kostet $49 pro Person."),
    "ru": ("Привет, {first_name}! Столик на двоих забронирован.", "Дегустационное меню стоит $49 на человека."),
    "hr": ("Bok {first_name}, stol za dvoje je rezerviran.", "Degustacijski meni je $49 po osobi."),
}
LANGUAGE_FLOW = FLOW.replace("language en", "language {language}")


@pytest.mark.parametrize("language", sorted(GREETINGS))
def test_bl109_profile_fields_and_dollars_in_every_language(lint, language):
    greeting, price = GREETINGS[language]
    # Messenger fills {first_name} from the profile; a web chat knows no name.
    assert only(lint(LANGUAGE_FLOW.format(channel="messenger", language=language, text=greeting)), "BL109") == []
    [(_, message)] = only(lint(LANGUAGE_FLOW.format(channel="webchat", language=language, text=greeting),
                               name="b.flow"), "BL109")
    assert "{first_name}" in message
    # "$49" is a price; "${name}" is another template syntax left in the text.
    assert only(lint(LANGUAGE_FLOW.format(channel="webchat", language=language, text=price), name="c.flow"),
                "BL109") == []
    leftover = price.replace("$49", "${price}")
    found = lint(LANGUAGE_FLOW.format(channel="webchat", language=language, text=leftover), name="d.flow")
    assert any(f.code == "BL109" and "malformed template: '${price}'" in f.message for f in found.findings)
