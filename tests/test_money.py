"""partnership_hub.money: the currencies, what counts as an amount (and the message for what does not),
and how amounts are shown (the templates' ``money`` filter)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from partnership_hub import money
from partnership_hub.errors import ServiceError


def test_the_currencies_are_iso_codes_with_their_minor_units():
    assert len(money.CURRENCIES) > 140
    for code, currency in money.CURRENCIES.items():
        assert code == currency.code and len(code) == 3 and code.isascii() and code.isupper()
        assert currency.digits in (0, 2, 3) and currency.name
    assert (money.minor_units("USD"), money.minor_units("JPY"), money.minor_units("KWD")) == (2, 0, 3)
    assert money.stored_places("KWD") == 2  # the columns keep cents: fils beyond them cannot be stored
    for retired in ("HRK", "SLL", "ANG", "ZWL", "USN", "XAU", "XXX"):
        assert retired not in money.CURRENCIES


def test_currency_choices_put_the_default_first():
    choices = money.currency_choices()
    assert choices[0] == ("USD", "USD — US dollar") and len(choices) == len(money.CURRENCIES)
    assert [code for code, _ in choices[1:]] == sorted(code for code, _ in choices[1:])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("150", Decimal("150.00")),
        ("150.5", Decimal("150.50")),
        ("  150.50 ", Decimal("150.50")),
        ("1,250.00", Decimal("1250.00")),
        ("1,250,000", Decimal("1250000.00")),
        (".75", Decimal("0.75")),
        ("150.500", Decimal("150.50")),  # trailing zeros are no extra precision
        ("0", Decimal("0.00")),
        ("-0", Decimal("0.00")),
        (Decimal("12.3"), Decimal("12.30")),
        (42, Decimal("42.00")),
        ("9999999999.99", money.MAX_AMOUNT),
    ],
)
def test_amounts_people_type(raw, expected):
    assert money.parse_amount(raw, "amount") == expected


@pytest.mark.parametrize(
    ("raw", "kwargs", "message"),
    [
        ("-5", {}, "The amount cannot be negative."),
        ("−5", {}, "The amount cannot be negative."),
        ("- 5", {}, "The amount cannot be negative."),
        (Decimal("-1"), {}, "The amount cannot be negative."),
        ("", {}, "Enter an amount like 150 or 150.50."),
        (None, {}, "Enter an amount like 150 or 150.50."),
        ("  ", {}, "Enter an amount like 150 or 150.50."),
        ("abc", {}, "Enter an amount like 150 or 150.50."),
        ("$150", {}, "Enter an amount like 150 or 150.50."),
        ("1e3", {}, "Enter an amount like 150 or 150.50."),
        ("NaN", {}, "Enter an amount like 150 or 150.50."),
        ("Infinity", {}, "Enter an amount like 150 or 150.50."),
        ("١٥٠", {}, "Enter an amount like 150 or 150.50."),  # Arabic-Indic digits: Decimal takes them, we don't
        ("1,25", {}, "Enter an amount like 150 or 150.50."),
        ("12,50,000", {}, "Enter an amount like 150 or 150.50."),
        ("1.2.3", {}, "Enter an amount like 150 or 150.50."),
        ("1" * 50, {}, "Enter an amount like 150 or 150.50."),
        (True, {}, "Enter an amount like 150 or 150.50."),
        (Decimal("NaN"), {}, "Enter an amount like 150 or 150.50."),
        (1.5, {}, "Enter an amount like 150 or 150.50."),  # floats are inexact: never amounts
        ("0", {"allow_zero": False}, "Enter an amount more than zero."),
        ("10.001", {}, "Use at most 2 decimal places, like 150.50."),
        ("10.5", {"places": 0}, "Enter a whole amount, like 150"),
        ("10000000000", {}, "Enter an amount of at most 9,999,999,999.99."),
    ],
)
def test_what_is_not_an_amount_gets_a_message_at_its_field(raw, kwargs, message):
    with pytest.raises(ServiceError) as refused:
        money.parse_amount(raw, "amount", **kwargs)
    assert refused.value.field == "amount" and message in refused.value.message


def test_currencies_are_codes_of_the_list():
    assert money.parse_currency(" eur ", "currency") == "EUR"
    assert money.parse_currency("", "currency", default="USD") == "USD"
    assert money.parse_currency(None, "currency", default="USD") == "USD"
    for raw in ("", "XYZ", "US", "usd dollars", 840, None):
        with pytest.raises(ServiceError) as refused:
            money.parse_currency(raw, "currency")
        assert refused.value.field == "currency" and refused.value.message == "Choose a currency from the list."


@pytest.mark.parametrize(
    ("value", "currency", "symbol", "shown"),
    [
        (Decimal("1250"), "USD", False, "USD 1,250.00"),
        (Decimal("1250"), "USD", True, "$1,250.00"),
        (Decimal("1250.5"), "EUR", True, "€1,250.50"),
        (Decimal("1250"), "CAD", True, "CAD 1,250.00"),  # "$" is many dollars: only the US dollar gets it
        (Decimal("1250"), "JPY", False, "JPY 1,250"),
        (Decimal("1.25"), "KWD", False, "KWD 1.250"),
        (Decimal("-5"), "USD", False, "\u2212USD 5.00"),
        (7, "gbp", True, "£7.00"),
        (None, "USD", False, ""),
    ],
)
def test_amounts_are_shown_in_their_currency(value, currency, symbol, shown):
    assert money.format_money(value, currency, symbol=symbol) == shown


def test_totals_in_several_currencies_are_never_added():
    assert money.format_totals({"USD": Decimal("10"), "EUR": Decimal("2.5")}) == "EUR 2.50 + USD 10.00"
    assert money.format_totals({}) == "—" and money.format_totals({"USD": Decimal(0)}, empty="None") == "None"


def test_templates_have_the_money_filter(app):
    with app.app_context():
        template = app.jinja_env.from_string("{{ amount|money('USD') }} {{ amount|money('EUR', symbol=true) }}")
        assert template.render(amount=Decimal("1250")) == "USD 1,250.00 €1,250.00"
