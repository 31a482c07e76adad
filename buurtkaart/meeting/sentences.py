"""Changes of an OSM diff as sentences a worker reads: "naam gewijzigd: X → Y".

The words come from the message catalog (``diff.*`` keys); raw ``key=value``
tags only appear in :func:`details`, shown when the worker opens the details.
Pure: no I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from buurtkaart.i18n import catalog, label_or_key, t
from buurtkaart.meeting.match import MOVED_MIN_M, is_moved

__all__ = ["MOVED_MIN_M", "describe", "details", "is_moved", "kind_label", "sentence"]

if TYPE_CHECKING:
    from buurtkaart.core.place import Place
    from buurtkaart.meeting.diff import Change

#: Tags that name what kind of place it is, in the order they are looked at.
KIND_KEYS = ("shop", "amenity", "leisure", "office", "craft", "healthcare", "tourism")
#: Tags whose change gets a "… gewijzigd" sentence (besides the kind and the name).
INFO_KEYS = ("opening_hours", "religion", "denomination", "website", "phone")


def kind_label(place: Place, lang: str = "nl") -> str:
    """Return the reader's word for what a place is: "supermarkt", else its category."""
    for key in KIND_KEYS:
        value = place.tags.get(key)
        if value and f"diff.value.{value}" in catalog():
            return t(f"diff.value.{value}", lang)
    return label_or_key(place.category, lang).lower()


def _kind(place: Place) -> str | None:
    return next((place.tags[k] for k in KIND_KEYS if place.tags.get(k)), None)


def _name_sentence(old: Place, new: Place, lang: str) -> str | None:
    fields = {"old": old.name, "new": new.name}
    if old.name and new.name:
        return t("diff.renamed", lang, **fields)
    if new.name:
        return t("diff.named", lang, **fields)
    return t("diff.unnamed", lang, **fields)


def _address(place: Place) -> tuple[str | None, str | None]:
    return place.tags.get("addr:street"), place.tags.get("addr:housenumber")


def describe(change: Change, lang: str = "nl") -> list[str]:
    """Return one sentence per thing that changed, most important first.

    Parameters
    ----------
    change : Change
        A pair from :func:`~buurtkaart.meeting.diff.diff_places` (changed or redrawn).
    lang : str
        ``nl``, ``fr`` or ``en``.

    Returns
    -------
    list of str
        E.g. ``["naam gewijzigd: Sint-Jan → Al Amal", "nu een gebedshuis (was: school)",
        "openingsuren gewijzigd", "verplaatst (40 m)", "hertekend"]``.
    """
    old, new = change.old, change.new
    out: list[str] = []
    if "name" in change.fields:
        out.append(str(_name_sentence(old, new, lang)))
    if "category" in change.fields or _kind(old) != _kind(new):
        was, now = kind_label(old, lang), kind_label(new, lang)
        if was != now:
            out.append(t("diff.now_a", lang, new=now, old=was))
    for key in INFO_KEYS:
        if old.tags.get(key) != new.tags.get(key):
            out.append(t("diff.tag_changed", lang, what=t(f"diff.key.{key}", lang)))
    if _address(old) != _address(new) and all(_address(old)) and all(_address(new)):
        out.append(t("diff.tag_changed", lang, what=t("diff.key.address", lang)))
    if not out and change.fields:  # a key tag changed that has no sentence of its own
        out.append(t("diff.tag_changed", lang, what=t("diff.key.details", lang)))
    if is_moved(old, new, change.moved_m):
        out.append(t("diff.moved", lang, m=round(change.moved_m)))
    if change.match == "redrawn":
        out.append(t("diff.redrawn", lang))
    return out


def sentence(change: Change, lang: str = "nl") -> str:
    """Return :func:`describe` as one line, e.g. ``"naam gewijzigd: X → Y; hertekend"``."""
    return "; ".join(describe(change, lang))


def details(change: Change) -> list[str]:
    """Return the raw tag differences (``key: old → new``) for the opened details."""
    keys = sorted(set(change.old.tags) | set(change.new.tags))
    return [f"{k}: {change.old.tags.get(k, '–')} → {change.new.tags.get(k, '–')}"
            for k in keys if change.old.tags.get(k) != change.new.tags.get(k)]
