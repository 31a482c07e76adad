"""The text kernel: comparable forms of names and the name shown for a place.

Pure functions on strings. Brussels is bilingual: OSM tags a place's ``name``
(often ``"Nl - Fr"``) and its ``name:nl`` / ``name:fr``; :func:`display_name`
picks the one for the reader's language.
"""

from __future__ import annotations

import re

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str | None) -> str:
    """Return ``text`` in ASCII, case folded, with runs of white space made one space.

    Parameters
    ----------
    text : str or None
        Any text (None counts as empty).

    Returns
    -------
    str
        E.g. ``"  Chée  de Gand "`` -> ``"chee de gand"``.
    """
    return " ".join(unidecode(text or "").casefold().split())


def name_key(text: str | None) -> str:
    """Return a comparison key: :func:`fold` with every run of punctuation made one space.

    Parameters
    ----------
    text : str or None
        A name (None counts as empty).

    Returns
    -------
    str
        Lower-case ASCII words joined by single spaces, e.g. ``"Sint-Jan's"`` -> ``"sint jan s"``.
    """
    return _NON_WORD.sub(" ", fold(text)).strip()


def display_name(name: str | None, *, nl: str | None = None, fr: str | None = None,
                 en: str | None = None, lang: str | None = None,
                 fallback: str | None = None) -> str | None:
    """Return the name to show: the one in ``lang`` when tagged, else the first name known.

    Parameters
    ----------
    name : str or None
        The ``name`` tag (in Brussels often both languages).
    nl, fr, en : str or None
        The ``name:nl``, ``name:fr`` and ``name:en`` tags.
    lang : str or None
        The reader's language (``nl``, ``fr``, ``en``); None: no preference.
    fallback : str or None
        Returned when there is no name at all (e.g. the category label).

    Returns
    -------
    str or None
        The name in ``lang``, else ``name``, ``nl``, ``fr``, ``fallback`` (first non-empty).
    """
    local = {"nl": nl, "fr": fr, "en": en}.get(lang or "")
    return local or name or nl or fr or fallback
