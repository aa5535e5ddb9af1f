"""How the account page names a signed-in device and says when: "Firefox on Windows", in the time
zone the person works in.

A small parser rather than a user-agent library: the page needs only the browser's and the system's
family, a dozen well-known markers cover the browsers people use, and a library (``ua-parser`` and
its regex file) would be a dependency kept up to date for one line of text. Anything it does not
recognise is "Unknown browser" / "an unknown system", never the raw string."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", and Android says "Linux".
BROWSERS: tuple[tuple[str, str], ...] = (
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("EdgiOS/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("FxiOS/", "Firefox"),
    ("Firefox/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS: tuple[tuple[str, str], ...] = (
    ("Windows", "Windows"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)


def device_name(user_agent: str | None) -> str:
    """A person's words for the browser that sent ``user_agent``: "Firefox on Windows"."""
    ua = user_agent or ""
    browser = next((name for marker, name in BROWSERS if marker in ua), None)
    system = next((name for marker, name in SYSTEMS if marker in ua), None)
    if browser is None and system is None:
        return "Unknown browser"
    if system is None:
        return f"{browser} on an unknown system"
    return f"{browser or 'A browser'} on {system}"


def zone_label(zone_name: str) -> str:
    """The zone as people say it: "America/Denver" is "Denver time"; "UTC" stays "UTC"."""
    if "/" not in zone_name:
        return zone_name
    return zone_name.rsplit("/", 1)[1].replace("_", " ") + " time"


def local_time(value: datetime | None, zone_name: str) -> str:
    """``value`` (UTC) in ``zone_name``, as the app writes times: "2 Dec 2026, 09:14"."""
    if value is None:
        return ""
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    if value.tzinfo is None:  # SQLite hands back naive UTC values
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    local = value.astimezone(zone)
    return f"{local.day} {local:%b %Y, %H:%M}"
