"""Message catalog of the app: Dutch first, French and English.

All user-facing strings of the app live in ``catalog.toml`` as
``"key" = { nl = "...", fr = "...", en = "..." }``. Labels of the method's
vocabulary (roles, kinds, statuses...) come from :mod:`buurtkaart.core.vocab`.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from buurtkaart import settings
from buurtkaart.core import vocab

LANGS: tuple[str, ...] = vocab.LANGS
LANG_NAMES: dict[str, str] = {"nl": "Nederlands", "fr": "Français", "en": "English"}
TIMEZONE = ZoneInfo("Europe/Brussels")
CATALOG_FILE = Path(__file__).resolve().parent / "catalog.toml"


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """Return the whole catalog, ``key -> {lang: text}``.

    Returns
    -------
    dict
        The parsed ``catalog.toml``.
    """
    with CATALOG_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    return {str(k): {str(lg): str(txt) for lg, txt in v.items()} for k, v in data.items()}


def default_lang() -> str:
    """Return the configured default language (``BUURTKAART_LANG``), ``nl`` if invalid."""
    value = settings.get("BUURTKAART_LANG").strip().lower()
    return value if value in LANGS else "nl"


def t(key: str, lang: str = "nl", **kw: object) -> str:
    """Translate ``key`` into ``lang`` and fill ``{placeholders}`` from ``kw``.

    Parameters
    ----------
    key : str
        Catalog key, e.g. ``"nav.kaart"``.
    lang : str
        ``nl``, ``fr`` or ``en``; anything else falls back to Dutch.
    **kw
        Values for the ``{name}`` placeholders of the message.

    Returns
    -------
    str
        The message; the key itself when it is not in the catalog.
    """
    entry = catalog().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("nl") or key
    return text.format(**kw) if kw else text


def label(table: dict, key: object, lang: str = "nl") -> str:
    """Return the vocabulary label of ``key`` (see :func:`buurtkaart.core.vocab.label`)."""
    return vocab.label(table, key, lang)


def format_date(value: dt.date | dt.datetime | str | None, lang: str = "nl") -> str:
    """Format a date the Belgian way: ``28/11/2026`` (``28/11/2026 15:31`` for times).

    Parameters
    ----------
    value : date, datetime, ISO string or None
        The date; ISO strings as stored (``2026-11-28`` or a UTC timestamp).
    lang : str
        Unused today (the Belgian format is the same in the three languages);
        kept so callers need not change if a language ever differs. Aware
        times are shown in Brussels local time.

    Returns
    -------
    str
        The formatted date, ``""`` for None/empty, the input when unparseable.
    """
    del lang
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            parsed: dt.date = (dt.datetime.fromisoformat(value) if "T" in value
                               else dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
        value = parsed
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(TIMEZONE)
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")
