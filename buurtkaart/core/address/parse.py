"""Parsing a typed address (pure): street, house number, postcode and city."""

from __future__ import annotations

import re
from dataclasses import dataclass

from buurtkaart._errors import InputError
from buurtkaart.core.address.names import name_variants, normalize, street_key

_POSTCODE = re.compile(r"\b([1-9]\d{3})\b")
_NUMBER = re.compile(r"^(?:n°)?(\d{1,5})([a-z]?)(?:[-/;,].*)?$")
_SUFFIX_WORDS = frozenset({"bis", "ter", "a", "b", "c", "d", "e", "f", "g", "h"})
_BOX_WORDS = ("bte", "bus", "boite")
MAX_LENGTH = 300


@dataclass(frozen=True)
class ParsedAddress:
    """An address split into street, house number, postcode and city."""

    street: str
    number: str | None
    postcode: str | None
    streets: tuple[str, ...]  # lookup keys of the street (bilingual parts)
    city: str = ""
    plain: tuple[str, ...] = ()  # normalised street variants (no synonyms), for typos


def parse_address(text: str) -> ParsedAddress:
    """Split ``"Chaussée de Gand 123, 1080 Molenbeek"`` into its parts.

    In the first comma-separated part, words before the house number are the
    street (or after it, for ``"12 rue X"``); a later 4-digit number is the
    postcode and what follows it the city. A later part gives a postcode and a
    city (``"…, 1080 Molenbeek"``, ``"…, Schaarbeek"``).
    """
    segments = [s.strip() for s in (text or "")[:MAX_LENGTH].split(",") if s.strip()]
    if not segments:
        msg = "address is empty"
        raise InputError(msg)
    street, number, postcode, city = _parse_first(segments[0])
    for seg in segments[1:]:
        found = _POSTCODE.search(seg)
        if found and postcode is None:
            postcode = found.group(1)
        rest = _POSTCODE.sub(" ", seg).strip()
        if rest and not city and not any(ch.isdigit() for ch in rest):
            city = rest
    keys = tuple(dict.fromkeys(k for k in (street_key(v) for v in name_variants(street)) if k))
    plain = tuple(dict.fromkeys(k for k in (normalize(v) for v in name_variants(street)) if k))
    return ParsedAddress(street, number, postcode, keys, city, plain)


def _parse_first(segment: str) -> tuple[str, str | None, str | None, str]:
    words: list[str] = []
    number = postcode = None
    number_first = False
    tokens = segment.split()
    for i, tok in enumerate(tokens):
        m = _NUMBER.match(tok.lower())
        if m and number is None:
            number = m.group(1) + m.group(2)
            number_first = not words
            nxt = tokens[i + 1].lower().rstrip(".") if i + 1 < len(tokens) else ""
            if not m.group(2) and nxt in _SUFFIX_WORDS and not number_first:
                number += nxt
                tokens[i + 1] = ""
        elif m and len(m.group(1)) == 4 and postcode is None:
            postcode = m.group(1)
            return " ".join(words), number, postcode, " ".join(tokens[i + 1:]).strip()
        elif not tok:
            continue
        elif number is None or number_first:
            words.append(tok)
        else:
            rest = [t for t in tokens[i:] if t and not t.lower().startswith(_BOX_WORDS)]
            city = " ".join(t for t in rest if not any(c.isdigit() for c in t))
            return " ".join(words), number, postcode, city if rest == tokens[i:] else ""
    return " ".join(words), number, postcode, ""
