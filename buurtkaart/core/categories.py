"""Place categories: OSM tags -> stable category keys (pure, no I/O but the package TOML).

The taxonomy lives in ``buurtkaart/taxonomy.toml`` (see ``docs/taxonomy.md``).
Each category has a stable ``key``, an icon, a colour, a
``priority`` and a list of tag rules. :func:`categorize` returns the key of the
matching category with the lowest priority number (ties: file order), or
``None`` when nothing matches. The labels live in the text catalog
(``category.<key>``; see :func:`buurtkaart.i18n.category_label`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from buurtkaart._errors import DataFileError, InputError

TAXONOMY_FILE = Path(__file__).resolve().parent.parent / "taxonomy.toml"

#: A rule: tag key -> accepted values (``None`` = any value except "no").
Rule = tuple[tuple[str, frozenset[str] | None], ...]


@dataclass(frozen=True, slots=True)
class Category:
    """One category of the taxonomy."""

    key: str
    icon: str
    color: str
    priority: int
    rules: tuple[Rule, ...]

    def matches(self, tags: Mapping[str, str]) -> bool:
        """Return True when any rule of this category matches ``tags``."""
        return any(_rule_matches(rule, tags) for rule in self.rules)


def _rule_matches(rule: Rule, tags: Mapping[str, str]) -> bool:
    for key, values in rule:
        value = tags.get(key)
        if value is None or (values is None and value == "no"):
            return False
        if values is not None and value not in values:
            return False
    return True


def _parse_rule(raw: object, where: str) -> Rule:
    if not isinstance(raw, dict) or not raw:
        msg = f"{where}: a rule must be a non-empty table {{tag = [values]}}, got {raw!r}"
        raise DataFileError(msg)
    items: list[tuple[str, frozenset[str] | None]] = []
    for key, values in raw.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            msg = f"{where}: tag {key!r} must map to a list of strings, got {values!r}"
            raise DataFileError(msg)
        items.append((key, None if "*" in values else frozenset(values)))
    return tuple(items)


def parse_taxonomy(data: Mapping[str, object], where: str = "taxonomy") -> list[Category]:
    """Build the category list from a parsed taxonomy table.

    Parameters
    ----------
    data : Mapping
        The parsed TOML (``{"category": [...]}``).
    where : str
        Name of the source, used in error messages.

    Returns
    -------
    list of Category
        Sorted by priority (stable: file order breaks ties).
    """
    raw_list = data.get("category")
    if not isinstance(raw_list, list) or not raw_list:
        msg = f"{where}: no [[category]] tables"
        raise DataFileError(msg)
    cats: list[Category] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_list):
        here = f"{where}: category #{i + 1} ({raw.get('key', '?')})"
        try:
            rules = tuple(_parse_rule(r, here) for r in raw["match"])
            cat = Category(
                key=str(raw["key"]),
                icon=str(raw["icon"]), color=str(raw["color"]),
                priority=int(raw["priority"]), rules=rules,
            )
        except KeyError as e:
            msg = f"{here}: missing field {e.args[0]!r}"
            raise DataFileError(msg) from e
        if cat.key in seen:
            msg = f"{here}: duplicate key {cat.key!r}"
            raise DataFileError(msg)
        seen.add(cat.key)
        cats.append(cat)
    return sorted(cats, key=lambda c: c.priority)


@lru_cache(maxsize=4)
def load_taxonomy(path: Path = TAXONOMY_FILE) -> tuple[Category, ...]:
    """Read and validate a taxonomy TOML file (cached).

    Parameters
    ----------
    path : Path
        The TOML file; the package's own taxonomy by default.

    Returns
    -------
    tuple of Category
        In matching order (priority, then file order).
    """
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as e:
        msg = f"cannot read taxonomy {path}: {e}"
        raise DataFileError(msg) from e
    return tuple(parse_taxonomy(data, str(path)))


def categories() -> dict[str, Category]:
    """Return the package taxonomy as ``key -> Category`` in matching order."""
    return {c.key: c for c in load_taxonomy()}


def get_category(key: str) -> Category:
    """Return the category ``key``; raise :class:`InputError` if unknown."""
    cats = categories()
    if key not in cats:
        msg = f"unknown category {key!r}: known are {', '.join(cats)}"
        raise InputError(msg)
    return cats[key]


def categorize(tags: Mapping[str, str]) -> str | None:
    """Return the category key for an object's OSM tags, or None.

    Parameters
    ----------
    tags : Mapping[str, str]
        The object's tags.

    Returns
    -------
    str or None
        The key of the first matching category in priority order.
    """
    for cat in load_taxonomy():
        if cat.matches(tags):
            return cat.key
    return None


def filter_keys() -> tuple[str, ...]:
    """Return the tag keys an object needs at least one of to match any category.

    These are the first tag of every rule; readers pass them to a C++ key filter.
    """
    keys: dict[str, None] = {}
    for cat in load_taxonomy():
        for rule in cat.rules:
            keys[rule[0][0]] = None
    return tuple(keys)
