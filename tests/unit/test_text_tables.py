"""The part-specific text tables (meeting, exchange, login, insights) are complete in nl, fr and en.

Each maps ``key -> (nl, fr, en)``, like buurtkaart/vocab.py; the app-wide catalog
``buurtkaart/i18n/catalog.toml`` has its own checks in test_i18n.py.
"""

from __future__ import annotations

import re
import string

import pytest

from buurtkaart.app import exchange_text, login, meeting_text
from buurtkaart.app.screens import inzichten as insights_ui

TABLES = {
    "meeting": meeting_text.TEXTS,
    "exchange": exchange_text.TEXTS,
    "login": login.MESSAGES,
    "insights": {k: (v["nl"], v["fr"], v["en"]) for k, v in insights_ui._T.items()},
}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_text_has_three_languages_with_the_same_placeholders(table: str) -> None:
    for key, texts in TABLES[table].items():
        assert len(texts) == 3 and all(x.strip() for x in texts), (table, key)
        nl, fr, en = texts
        assert _fields(nl) == _fields(fr) == _fields(en), (table, key)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_dutch_text_is_not_english(table: str) -> None:
    english_only = re.compile(r"\b(the|and|with|choose|please)\b", re.IGNORECASE)
    leaks = [k for k, (nl, _, en) in TABLES[table].items()
             if nl == en and english_only.search(nl)]
    assert not leaks, f"{table}: untranslated Dutch texts {leaks}"
