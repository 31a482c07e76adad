"""The one text catalog of buurtkaart: Dutch first, French and English.

Every user-facing string lives in the TOML files of this package
(every ``*.toml`` here: ``catalog.toml``, ``meeting.toml``, ``exchange.toml``, ...),
one line per key: ``"key" = { nl = "...", fr = "...", en = "..." }``.
:func:`t` reads them all. Helpers go through it: :func:`tn` for plural forms
(keys ``<key>.one`` and ``<key>.other``), :func:`label` for the vocabulary of
the method (``role.sleutelfiguur``, ``factor.<domain>.<factor>``...),
:func:`category_label` for place categories (``category.<key>``),
:func:`format_number` and :func:`format_date` for Belgian numbers and dates.
See ``docs/i18n.md``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from buurtkaart import settings
from buurtkaart._dates import to_date
from buurtkaart._errors import DataFileError, InputError
from buurtkaart.core import vocab
from buurtkaart.core.categories import categories

LANGS: tuple[str, ...] = vocab.LANGS
LANG_NAMES: dict[str, str] = {"nl": "Nederlands", "fr": "Français", "en": "English"}
TIMEZONE = ZoneInfo("Europe/Brussels")
CATALOG_DIR = Path(__file__).resolve().parent
CATALOG_FILE = CATALOG_DIR / "catalog.toml"
#: The catalog files: every ``*.toml`` of this package, read in name order
#: (a key may live in one file only).
CATALOG_FILES: tuple[str, ...] = tuple(sorted(p.name for p in CATALOG_DIR.glob("*.toml")))

#: Vocabulary kinds -> their stable keys; :func:`label` reads ``<kind>.<key>``.
#: The catalog test checks that every one of these keys has a label.
VOCAB: dict[str, tuple[object, ...]] = {
    "role": vocab.ROLES, "kind": vocab.KINDS, "strength": vocab.STRENGTHS,
    "status": vocab.STATUSES, "leaning": vocab.LEANINGS, "privacy": vocab.PRIVACY,
    "outcome": vocab.CONTACT_OUTCOMES, "channel": vocab.CHANNELS,
    "dimension": vocab.DIMENSIONS, "domain": vocab.DOMAINS, "link_type": vocab.LINK_TYPES,
    "signal_type": vocab.SIGNAL_TYPES, "score": vocab.SCORES,
    **{f"factor.{d}": keys for d, keys in vocab.FACTORS.items()},
}

#: Decimal and thousands separators per language (Belgian usage; see docs/i18n.md).
_NUMBER_SEPARATORS = {"nl": (",", "."), "fr": (",", "\u202f"), "en": (".", ",")}


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """Return the whole catalog, ``key -> {lang: text}``, read from all catalog files.

    Returns
    -------
    dict
        The parsed TOML files merged; a key defined twice raises DataFileError.
    """
    out: dict[str, dict[str, str]] = {}
    for name in CATALOG_FILES:
        with (CATALOG_DIR / name).open("rb") as fh:
            data = tomllib.load(fh)
        for key, texts in data.items():
            if key in out:
                msg = f"catalog key {key!r} is defined twice (again in {name})"
                raise DataFileError(msg)
            out[str(key)] = {str(lg): str(txt) for lg, txt in texts.items()}
    return out


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


def has(key: str) -> bool:
    """Return True when ``key`` is in the catalog."""
    return key in catalog()


def plural_form(n: int | float, lang: str) -> str:
    """Return ``"one"`` or ``"other"``: French counts 0 and 1 as singular, nl/en only 1."""
    if lang == "fr":
        return "one" if abs(n) < 2 else "other"
    return "one" if n == 1 else "other"


def tn(key: str, lang: str, n: int | float, **kw: object) -> str:
    """Translate a counted message: ``tn("count.actors", "nl", 1)`` -> ``"1 actor"``.

    The catalog holds ``<key>.one`` and ``<key>.other``; ``{n}`` is the count,
    formatted with :func:`format_number`.
    """
    return t(f"{key}.{plural_form(n, lang)}", lang, n=format_number(n, lang), **kw)


def label(kind: str, key: object, lang: str = "nl") -> str:
    """Return the label of vocabulary ``key`` of ``kind`` (``role``, ``status``...).

    Unknown keys (an older store, a free value) come back as they are; ``None``
    and ``""`` give ``""``.
    """
    if key is None or key == "":
        return ""
    full = f"{kind}.{key}"
    return t(full, lang) if full in catalog() else str(key)


def labels(kind: str, keys: object, lang: str = "nl") -> str:
    """Return the labels of a list of vocabulary keys, joined by ``", "``."""
    if isinstance(keys, (list, tuple, set)):
        return ", ".join(label(kind, k, lang) for k in keys)
    return label(kind, keys, lang)


def category_label(key: str, lang: str = "nl") -> str:
    """Return the label of place category ``key``; raise :class:`InputError` if unknown."""
    _check_lang(lang)
    if key not in categories():
        msg = f"unknown category {key!r}: known are {', '.join(categories())}"
        raise InputError(msg)
    return t(f"category.{key}", lang)


def label_or_key(key: str, lang: str = "nl") -> str:
    """Return the label of category ``key``, or ``key`` when the taxonomy lacks it.

    Stored places may carry a key that an older taxonomy had: they show the key
    as is. An unknown ``lang`` raises :class:`InputError`.
    """
    _check_lang(lang)
    full = f"category.{key}"
    return t(full, lang) if full in catalog() else key


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        msg = f"unknown language {lang!r}: use one of {', '.join(LANGS)}"
        raise InputError(msg)


def colon(lang: str) -> str:
    """Return ": " the way ``lang`` writes it (French: a no-break space before the colon)."""
    return "\u00a0: " if lang == "fr" else ": "


def format_number(value: int | float, lang: str = "nl", decimals: int | None = None) -> str:
    """Format a number the Belgian way: ``1.234,5`` (nl), ``1 234,5`` (fr), ``1,234.5`` (en).

    Parameters
    ----------
    value : int or float
        The number.
    lang : str
        The language; French uses a narrow no-break space (U+202F) for thousands.
    decimals : int, optional
        Fixed number of decimals; by default integers get none and floats up to
        two, without trailing zeros.

    Returns
    -------
    str
        The formatted number.
    """
    dec_sep, thousands = _NUMBER_SEPARATORS.get(lang, _NUMBER_SEPARATORS["nl"])
    if decimals is None:
        text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"
    else:
        text = f"{value:,.{decimals}f}"
    whole, _, frac = text.partition(".")
    if decimals is None:
        frac = frac.rstrip("0")
    whole = whole.replace(",", thousands)
    return f"{whole}{dec_sep}{frac}" if frac else whole


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
        if "T" in value:
            try:
                stamp = dt.datetime.fromisoformat(value)
            except ValueError:
                return value
            value = stamp
        else:
            parsed = to_date(value)
            if parsed is None:
                return value
            value = parsed
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(TIMEZONE)
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def cell(value: object, lang: str = "nl") -> str:
    """Return a table cell: ``"—"`` for None/empty, dates formatted, the rest as text."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, (dt.date, dt.datetime)):
        return format_date(value, lang)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
