"""Money, for every area that records it (advisors' compensation, funding): the currencies in use, one
parsing rule for amounts people type, and one way of showing an amount.

Amounts are ``Decimal`` (never ``float``) and stored as ``Numeric(12, 2)`` columns, each beside its
three-letter ISO 4217 currency code. ``parse_amount`` turns what a form sent into a ``Decimal`` or a
``ServiceError`` at the field with a message a person can act on; ``parse_currency`` accepts the codes
of ``CURRENCIES`` only. ``format_money`` is the templates' ``money`` filter::

    {{ payment.amount|money(payment.currency) }}            → USD 1,250.00
    {{ payment.amount|money(payment.currency, symbol=true) }} → $1,250.00
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from partnership_hub.errors import ServiceError

DEFAULT_CURRENCY = "USD"
STORED_PLACES = 2  # the columns' scale: Numeric(12, 2)
MAX_AMOUNT = Decimal("9999999999.99")  # the largest Numeric(12, 2)


@dataclass(frozen=True)
class Currency:
    code: str
    name: str
    digits: int  # ISO 4217 minor unit: 2 for cents, 0 for the yen, 3 for the Kuwaiti dinar

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}"


def _currencies(*rows: tuple[str, str, int]) -> dict[str, Currency]:
    return {code: Currency(code, name, digits) for code, name, digits in rows}


# ISO 4217's current currencies in everyday use (no fund codes such as USN or CLF, no precious metals,
# no testing or special drawing codes), with their minor units.
CURRENCIES: dict[str, Currency] = _currencies(
    ("AED", "UAE dirham", 2),
    ("AFN", "Afghani", 2),
    ("ALL", "Lek", 2),
    ("AMD", "Armenian dram", 2),
    ("AOA", "Kwanza", 2),
    ("ARS", "Argentine peso", 2),
    ("AUD", "Australian dollar", 2),
    ("AWG", "Aruban florin", 2),
    ("AZN", "Azerbaijan manat", 2),
    ("BAM", "Convertible mark", 2),
    ("BBD", "Barbados dollar", 2),
    ("BDT", "Taka", 2),
    ("BGN", "Bulgarian lev", 2),
    ("BHD", "Bahraini dinar", 3),
    ("BIF", "Burundi franc", 0),
    ("BMD", "Bermudian dollar", 2),
    ("BND", "Brunei dollar", 2),
    ("BOB", "Boliviano", 2),
    ("BRL", "Brazilian real", 2),
    ("BSD", "Bahamian dollar", 2),
    ("BTN", "Ngultrum", 2),
    ("BWP", "Pula", 2),
    ("BYN", "Belarusian ruble", 2),
    ("BZD", "Belize dollar", 2),
    ("CAD", "Canadian dollar", 2),
    ("CDF", "Congolese franc", 2),
    ("CHF", "Swiss franc", 2),
    ("CLP", "Chilean peso", 0),
    ("CNY", "Yuan renminbi", 2),
    ("COP", "Colombian peso", 2),
    ("CRC", "Costa Rican colón", 2),
    ("CUP", "Cuban peso", 2),
    ("CVE", "Cabo Verde escudo", 2),
    ("CZK", "Czech koruna", 2),
    ("DJF", "Djibouti franc", 0),
    ("DKK", "Danish krone", 2),
    ("DOP", "Dominican peso", 2),
    ("DZD", "Algerian dinar", 2),
    ("EGP", "Egyptian pound", 2),
    ("ERN", "Nakfa", 2),
    ("ETB", "Ethiopian birr", 2),
    ("EUR", "Euro", 2),
    ("FJD", "Fiji dollar", 2),
    ("FKP", "Falkland Islands pound", 2),
    ("GBP", "Pound sterling", 2),
    ("GEL", "Lari", 2),
    ("GHS", "Ghana cedi", 2),
    ("GIP", "Gibraltar pound", 2),
    ("GMD", "Dalasi", 2),
    ("GNF", "Guinean franc", 0),
    ("GTQ", "Quetzal", 2),
    ("GYD", "Guyana dollar", 2),
    ("HKD", "Hong Kong dollar", 2),
    ("HNL", "Lempira", 2),
    ("HTG", "Gourde", 2),
    ("HUF", "Forint", 2),
    ("IDR", "Rupiah", 2),
    ("ILS", "New Israeli sheqel", 2),
    ("INR", "Indian rupee", 2),
    ("IQD", "Iraqi dinar", 3),
    ("IRR", "Iranian rial", 2),
    ("ISK", "Iceland króna", 0),
    ("JMD", "Jamaican dollar", 2),
    ("JOD", "Jordanian dinar", 3),
    ("JPY", "Yen", 0),
    ("KES", "Kenyan shilling", 2),
    ("KGS", "Som", 2),
    ("KHR", "Riel", 2),
    ("KMF", "Comorian franc", 0),
    ("KPW", "North Korean won", 2),
    ("KRW", "Won", 0),
    ("KWD", "Kuwaiti dinar", 3),
    ("KYD", "Cayman Islands dollar", 2),
    ("KZT", "Tenge", 2),
    ("LAK", "Lao kip", 2),
    ("LBP", "Lebanese pound", 2),
    ("LKR", "Sri Lanka rupee", 2),
    ("LRD", "Liberian dollar", 2),
    ("LSL", "Loti", 2),
    ("LYD", "Libyan dinar", 3),
    ("MAD", "Moroccan dirham", 2),
    ("MDL", "Moldovan leu", 2),
    ("MGA", "Malagasy ariary", 2),
    ("MKD", "Denar", 2),
    ("MMK", "Kyat", 2),
    ("MNT", "Tugrik", 2),
    ("MOP", "Pataca", 2),
    ("MRU", "Ouguiya", 2),
    ("MUR", "Mauritius rupee", 2),
    ("MVR", "Rufiyaa", 2),
    ("MWK", "Malawi kwacha", 2),
    ("MXN", "Mexican peso", 2),
    ("MYR", "Malaysian ringgit", 2),
    ("MZN", "Mozambique metical", 2),
    ("NAD", "Namibia dollar", 2),
    ("NGN", "Naira", 2),
    ("NIO", "Córdoba oro", 2),
    ("NOK", "Norwegian krone", 2),
    ("NPR", "Nepalese rupee", 2),
    ("NZD", "New Zealand dollar", 2),
    ("OMR", "Rial Omani", 3),
    ("PAB", "Balboa", 2),
    ("PEN", "Sol", 2),
    ("PGK", "Kina", 2),
    ("PHP", "Philippine peso", 2),
    ("PKR", "Pakistan rupee", 2),
    ("PLN", "Zloty", 2),
    ("PYG", "Guarani", 0),
    ("QAR", "Qatari rial", 2),
    ("RON", "Romanian leu", 2),
    ("RSD", "Serbian dinar", 2),
    ("RUB", "Russian ruble", 2),
    ("RWF", "Rwanda franc", 0),
    ("SAR", "Saudi riyal", 2),
    ("SBD", "Solomon Islands dollar", 2),
    ("SCR", "Seychelles rupee", 2),
    ("SDG", "Sudanese pound", 2),
    ("SEK", "Swedish krona", 2),
    ("SGD", "Singapore dollar", 2),
    ("SHP", "Saint Helena pound", 2),
    ("SLE", "Leone", 2),
    ("SOS", "Somali shilling", 2),
    ("SRD", "Surinam dollar", 2),
    ("SSP", "South Sudanese pound", 2),
    ("STN", "Dobra", 2),
    ("SVC", "El Salvador colón", 2),
    ("SYP", "Syrian pound", 2),
    ("SZL", "Lilangeni", 2),
    ("THB", "Baht", 2),
    ("TJS", "Somoni", 2),
    ("TMT", "Turkmenistan manat", 2),
    ("TND", "Tunisian dinar", 3),
    ("TOP", "Paʻanga", 2),
    ("TRY", "Turkish lira", 2),
    ("TTD", "Trinidad and Tobago dollar", 2),
    ("TWD", "New Taiwan dollar", 2),
    ("TZS", "Tanzanian shilling", 2),
    ("UAH", "Hryvnia", 2),
    ("UGX", "Uganda shilling", 0),
    ("USD", "US dollar", 2),
    ("UYU", "Peso uruguayo", 2),
    ("UZS", "Uzbekistan sum", 2),
    ("VES", "Bolívar soberano", 2),
    ("VND", "Dong", 0),
    ("VUV", "Vatu", 0),
    ("WST", "Tala", 2),
    ("XAF", "CFA franc BEAC", 0),
    ("XCD", "East Caribbean dollar", 2),
    ("XCG", "Caribbean guilder", 2),
    ("XOF", "CFA franc BCEAO", 0),
    ("XPF", "CFP franc", 0),
    ("YER", "Yemeni rial", 2),
    ("ZAR", "Rand", 2),
    ("ZMW", "Zambian kwacha", 2),
    ("ZWG", "Zimbabwe gold", 2),
)

# Symbols only where one names one currency well enough for a page that also shows the code elsewhere
# ("$" is many dollars: only the US dollar gets it here). Everything else is shown with its code.
SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "KRW": "₩",
    "NGN": "₦",
    "ILS": "₪",
    "PHP": "₱",
    "UAH": "₴",
    "VND": "₫",
    "TRY": "₺",
}

AMOUNT_MESSAGE = "Enter an amount like 150 or 150.50."
NEGATIVE_MESSAGE = "The amount cannot be negative."
ZERO_MESSAGE = "Enter an amount more than zero."
CURRENCY_MESSAGE = "Choose a currency from the list."

# Digits with an optional decimal part; thousands may be grouped with commas ("1,250.00"). ASCII digits
# only (``Decimal`` would take "١٥٠"), no exponent, no "NaN" or "Infinity".
_AMOUNT = re.compile(r"(?P<whole>\d{1,3}(?:,\d{3})+|\d+)?(?:\.(?P<fraction>\d+))?", re.ASCII)
_MINUS = ("-", "\u2212", "\u2010", "\u2013")  # hyphen-minus, minus sign, hyphen, en dash
_TEXT_MAX = 40  # no amount is longer; longer text is refused before any parsing


def minor_units(code: str) -> int:
    """How many decimal places the currency's amounts have (2 for an unknown code)."""
    found = CURRENCIES.get(code)
    return found.digits if found is not None else STORED_PLACES


def stored_places(code: str) -> int:
    """Decimal places an amount in this currency may have in a ``Numeric(12, 2)`` column: its minor
    units, at most two (a Kuwaiti dinar's fils beyond the second place cannot be stored)."""
    return min(minor_units(code), STORED_PLACES)


def currency_choices(first: Iterable[str] = (DEFAULT_CURRENCY,)) -> list[tuple[str, str]]:
    """(code, "USD — US dollar") for a select: the ``first`` codes, then every other by code."""
    leading = [code for code in first if code in CURRENCIES]
    rest = sorted(code for code in CURRENCIES if code not in leading)
    return [(code, CURRENCIES[code].label) for code in [*leading, *rest]]


def parse_currency(raw: object, field: str, *, default: str | None = None) -> str:
    """A currency code of ``CURRENCIES`` (any case, surrounding spaces allowed); empty means ``default``
    when one is given. ``ServiceError`` at ``field`` otherwise."""
    text = raw.strip().upper() if isinstance(raw, str) else ""
    if not text and default is not None and (raw is None or isinstance(raw, str)):
        return default
    if text not in CURRENCIES:
        raise ServiceError(CURRENCY_MESSAGE, field)
    return text


def parse_amount(
    raw: object,
    field: str,
    *,
    allow_zero: bool = True,
    places: int = STORED_PLACES,
    maximum: Decimal = MAX_AMOUNT,
) -> Decimal:
    """What a person typed as an amount (``150``, ``150.50``, ``1,250.00``), or a ``Decimal``/``int``
    from code, as a ``Decimal`` with ``places`` decimal places. ``ServiceError`` at ``field`` with a
    message saying what to type for anything else: text that is not an amount, a negative amount,
    zero when ``allow_zero`` is false, more decimal places than ``places`` (``stored_places(currency)``
    for a currency's amounts) or more than ``maximum``."""
    value = _decimal(raw, field)
    if value < 0:
        raise ServiceError(NEGATIVE_MESSAGE, field)
    if value == 0 and not allow_zero:
        raise ServiceError(ZERO_MESSAGE, field)
    step = Decimal(1).scaleb(-places)
    if value != value.quantize(step):
        if places == 0:
            raise ServiceError("Enter a whole amount, like 150: this currency has no smaller unit.", field)
        raise ServiceError(f"Use at most {places} decimal places, like 150.50.", field)
    if value > maximum:
        raise ServiceError(f"Enter an amount of at most {format_amount(maximum, places)}.", field)
    return value.quantize(step)


def _decimal(raw: object, field: str) -> Decimal:
    if isinstance(raw, bool):  # an int to Python, never an amount
        raise ServiceError(AMOUNT_MESSAGE, field)
    if isinstance(raw, Decimal | int):
        value = Decimal(raw)
        if not value.is_finite():
            raise ServiceError(AMOUNT_MESSAGE, field)
        return value
    text = raw.strip() if isinstance(raw, str) else ""
    if not text or len(text) > _TEXT_MAX:
        raise ServiceError(AMOUNT_MESSAGE, field)
    negative = text.startswith(_MINUS)
    if negative:
        text = text[1:].lstrip()
    match = _AMOUNT.fullmatch(text)
    if match is None or not (match["whole"] or match["fraction"]):
        raise ServiceError(AMOUNT_MESSAGE, field)
    try:
        value = Decimal(f"{(match['whole'] or '0').replace(',', '')}.{match['fraction'] or '0'}")
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise ServiceError(AMOUNT_MESSAGE, field) from None
    if negative and value != 0:
        raise ServiceError(NEGATIVE_MESSAGE, field)
    return value


def format_amount(value: Decimal | int, places: int = STORED_PLACES) -> str:
    """``1250`` → ``1,250.00`` (grouped thousands, ``places`` decimals)."""
    return f"{Decimal(value):,.{places}f}"


def format_money(value: Decimal | int | None, currency: str = DEFAULT_CURRENCY, *, symbol: bool = False) -> str:
    """``USD 1,250.00`` (or ``$1,250.00`` with ``symbol`` where the currency has one); the currency's own
    decimal places (``JPY 1,250``); "" for no amount. The templates' ``money`` filter."""
    if value is None:
        return ""
    code = (currency or DEFAULT_CURRENCY).upper()
    amount = Decimal(value)
    text = format_amount(abs(amount), minor_units(code))
    sign = "\u2212" if amount < 0 else ""
    if symbol and code in SYMBOLS:
        return f"{sign}{SYMBOLS[code]}{text}"
    return f"{sign}{code} {text}"


def format_totals(totals: Mapping[str, Decimal], *, empty: str = "—") -> str:
    """Amounts in several currencies, each in its own: ``USD 1,250.00 + EUR 80.00`` (never added up)."""
    shown = [format_money(amount, code) for code, amount in sorted(totals.items()) if amount]
    return " + ".join(shown) if shown else empty


__all__ = [
    "CURRENCIES",
    "DEFAULT_CURRENCY",
    "MAX_AMOUNT",
    "Currency",
    "currency_choices",
    "format_amount",
    "format_money",
    "format_totals",
    "minor_units",
    "parse_amount",
    "parse_currency",
    "stored_places",
]
