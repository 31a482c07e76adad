"""Map references: a map is named by its id, else by its (unique) name.

One resolution for the guard and the store: :func:`resolve` tries the id
first and only then the name, and names are unique (``uq_maps_name``). A map
may not be *named* after another map's id (:func:`check_map_name`), so no
reference can mean two maps; the guard passes the resolved id on to the store,
so the map that was checked is the map that is read or written.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from buurtkaart._errors import InputError
from buurtkaart.store.schema import maps


def resolve(conn: sa.Connection, ref: Any) -> str | None:
    """Return the id of the map ``ref`` (an id, else a unique name), None if unknown.

    Parameters
    ----------
    conn : sqlalchemy.Connection
    ref : str, Mapping or None
        A map id, a map name, or a map record (its ``id``).
    """
    if ref is None:
        return None
    if isinstance(ref, dict):
        ref = ref.get("id")
    text = str(ref)
    row = conn.execute(sa.select(maps.c.id).where(maps.c.id == text)).first()
    if row is not None:
        return str(row[0])
    rows = conn.execute(sa.select(maps.c.id).where(maps.c.name == text).limit(2)).all()
    return str(rows[0][0]) if len(rows) == 1 else None


def check_map_name(conn: sa.Connection, name: Any, own_id: str | None = None) -> None:
    """Refuse a map name that is another map's id (or already another map's name).

    Raises
    ------
    InputError
        Naming the clash.
    """
    text = str(name)
    clash = conn.execute(sa.select(maps.c.id).where(maps.c.id == text)).first()
    if clash is not None and str(clash[0]) != own_id:
        msg = f"a map may not be named {text!r}: that is the id of another map"
        raise InputError(msg)
    same = conn.execute(sa.select(maps.c.id).where(maps.c.name == text)).first()
    if same is not None and str(same[0]) != own_id:
        msg = f"a map named {text!r} already exists"
        raise InputError(msg)
