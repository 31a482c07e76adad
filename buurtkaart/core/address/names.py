"""Street and commune names (pure): normalising, bilingual halves, synonyms, commune keys.

:func:`normalize` gives the comparable form of a name (ASCII, lower case, no
punctuation, abbreviations expanded). :func:`street_key` goes one step further
for lookups: generic words are made one synonym (``plein``/``plaats``/``place``,
``straat``/``rue``, ``laan``/``avenue``, ``steenweg``/``chaussee``), also as the
end of a Dutch compound (``Gemeenteplein`` = ``Gemeenteplaats``).
"""

from __future__ import annotations

import re

from buurtkaart.core.text import fold

_ABBREVIATIONS = {
    "av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard", "bvd": "boulevard",
    "chee": "chaussee", "ch": "chaussee", "chau": "chaussee", "stwg": "steenweg",
    "stw": "steenweg", "sq": "square", "pl": "place", "pte": "petite", "gde": "grande",
    "st": "saint", "ste": "sainte", "str": "straat", "ln": "laan", "r": "rue",
}
_SUFFIXES = (("str", "straat"), ("stwg", "steenweg"), ("stw", "steenweg"))
#: generic words -> one synonym (for :func:`street_key` only)
_SYNONYMS = {
    "place": "plein", "plaats": "plein", "plein": "plein",
    "rue": "straat", "straat": "straat",
    "avenue": "laan", "laan": "laan",
    "chaussee": "steenweg", "steenweg": "steenweg",
}
#: Dutch compound endings -> synonym (``gemeenteplaats`` -> ``gemeenteplein``)
_COMPOUND_ENDINGS = (("plaats", "plein"), ("plein", "plein"), ("straat", "straat"),
                     ("laan", "laan"), ("steenweg", "steenweg"))
#: words that name a square: such a street answers at ``area`` precision
SQUARE_WORDS = frozenset({"place", "plein", "plaats", "square", "markt", "parvis", "voorplein"})
#: words too common to identify a commune on their own
_COMMUNE_STOPWORDS = frozenset({"saint", "sint", "sainte", "jean", "jans", "ten", "de", "ville",
                                "stad", "van", "la", "le", "het"})
_COMMUNE_ALIASES = {"brussels": "bruxelles", "brussel": "bruxelles", "bxl": "bruxelles"}


def normalize(text: str) -> str:
    """Return a comparable form: ASCII, lower case, no punctuation, abbreviations expanded.

    >>> normalize("Chée de Gand")
    'chaussee de gand'
    >>> normalize("Sint-Mariastr.")
    'sint mariastraat'
    """
    ascii_text = fold(text).replace("'", " ")
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text).split()
    out = []
    for word in words:
        word = _ABBREVIATIONS.get(word, word)
        for short, full in _SUFFIXES:
            if word.endswith(short) and len(word) > len(short) + 2:
                word = word[: -len(short)] + full
                break
        out.append(word)
    return " ".join(out)


def street_key(text: str) -> str:
    """Return the lookup key of a street name: :func:`normalize` with generic synonyms.

    >>> street_key("Gemeenteplein") == street_key("Gemeenteplaats")
    True
    >>> street_key("Place Communale") == street_key("plein communale")
    True
    """
    out = []
    for word in normalize(text).split():
        word = _SYNONYMS.get(word, word)
        for ending, synonym in _COMPOUND_ENDINGS:
            if word.endswith(ending) and len(word) > len(ending) + 2:
                word = word[: -len(ending)] + synonym
                break
        out.append(word)
    return " ".join(out)


def name_variants(name: str) -> list[str]:
    """Return the name and its parts for bilingual names joined by `` - `` or ``/``."""
    parts = [p.strip() for p in re.split(r"\s+[-/–]\s+", name) if p.strip()]
    return list(dict.fromkeys([name, *parts]))


def street_keys(*names: str | None) -> list[str]:
    """Return the distinct lookup keys of every language variant of ``names``."""
    keys: dict[str, None] = {}
    for name in names:
        for variant in name_variants(name or ""):
            key = street_key(variant)
            if key:
                keys[key] = None
    return list(keys)


def is_square(name: str) -> bool:
    """Return True when the name is a square's (``Place …``, ``…plein``, ``Square …``)."""
    for word in normalize(name).split():
        if word in SQUARE_WORDS or word.endswith(("plein", "plaats")):
            return True
    return False


def commune_keys(*names: str | None) -> list[str]:
    """Return the keys a commune answers to: full names, halves and distinctive words.

    >>> "molenbeek" in commune_keys("Molenbeek-Saint-Jean - Sint-Jans-Molenbeek")
    True
    """
    keys: dict[str, None] = {}
    for name in names:
        for variant in name_variants(name or ""):
            full = normalize(variant)
            if not full:
                continue
            keys[full] = None
            for word in full.split():
                if len(word) >= 4 and word not in _COMMUNE_STOPWORDS:
                    keys[word] = None
    return list(keys)


def city_key(text: str) -> str:
    """Return the key of a city as typed (``"Brussels"`` -> ``"bruxelles"``)."""
    key = normalize(text)
    return _COMMUNE_ALIASES.get(key, key)
