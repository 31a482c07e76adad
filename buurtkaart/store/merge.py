"""Pure three-way merge of two edits of one record.

``merge(base, theirs, mine)``: ``base`` is the version both edits started
from, ``theirs`` the version now stored, ``mine`` the edit being saved. A field
changed on one side only takes that side's value; a field changed on both sides
to different values is a conflict and keeps *their* (stored) value, so nothing
stored is ever overwritten silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_MISSING = object()


def merge(base: Mapping[str, Any], theirs: Mapping[str, Any],
          mine: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, tuple[Any, Any]]]:
    """Merge two edits of ``base`` field by field.

    Parameters
    ----------
    base : Mapping
        The common ancestor.
    theirs : Mapping
        The other edit (already stored).
    mine : Mapping
        This edit.

    Returns
    -------
    merged : dict
        Every field of the three inputs with its merged value; a field removed on
        one side and untouched on the other is removed.
    conflicts : dict
        ``field -> (their value, my value)`` for fields both sides changed to
        different values (``merged`` keeps their value there).

    Examples
    --------
    >>> merge({"a": 1, "b": 1}, {"a": 2, "b": 1}, {"a": 1, "b": 3})
    ({'a': 2, 'b': 3}, {})
    >>> merge({"a": 1}, {"a": 2}, {"a": 3})
    ({'a': 2}, {'a': (2, 3)})
    """
    merged: dict[str, Any] = {}
    conflicts: dict[str, tuple[Any, Any]] = {}
    keys = list(dict.fromkeys([*base, *theirs, *mine]))
    for key in keys:
        b = base.get(key, _MISSING)
        t = theirs.get(key, _MISSING)
        m = mine.get(key, _MISSING)
        if t == m or m == b:
            value = t
        elif t == b:
            value = m
        else:
            conflicts[key] = (None if t is _MISSING else t, None if m is _MISSING else m)
            value = t
        if value is not _MISSING:
            merged[key] = value
    return merged, conflicts
