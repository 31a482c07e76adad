"""Store core: transactions, the one write entry point, and generic reads."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Self

import sqlalchemy as sa

from buurtkaart._errors import InputError, NotFoundError, StoreError
from buurtkaart.store import erase, importing
from buurtkaart.store.actions import FREE, PER_ENTITY, action
from buurtkaart.store.engine import BUSY_TIMEOUT_S, Engines, describe
from buurtkaart.store.records import now_iso
from buurtkaart.store.schema import ENTITY_TABLES, events
from buurtkaart.store.write import apply_op, log_event, record_of

#: One write of :meth:`StoreBase.apply_many`: (entity, op, entity_id, data[, if_version]).
Op = tuple[Any, ...]


class StoreBase:
    """Connection handling shared by the :class:`~buurtkaart.store.Store` methods."""

    def __init__(self, engines: Engines) -> None:
        self._engines = engines
        self._local = threading.local()

    # -- lifecycle ---------------------------------------------------------
    @property
    @action(FREE, scope="none")
    def url(self) -> str:
        """The store URL (password hidden)."""
        return describe(self._engines.url)

    @property
    @action(FREE, scope="none")
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._engines.dialect

    @property
    def engine(self) -> sa.Engine:
        """The write engine (for tools such as backups; prefer the methods)."""
        return self._engines.write

    @action(FREE, scope="none")
    def close(self) -> None:
        """Release every connection of this store."""
        self._engines.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @action("forget", scope="store")
    def vacuum(self) -> None:
        """Rewrite the store so deleted data leaves no trace in its files.

        SQLite: checkpoint the WAL, ``VACUUM``, truncate the WAL, and check that
        the checkpoint completed. PostgreSQL: ``VACUUM (FULL, ANALYZE)`` of the
        tables that hold personal data (see :mod:`buurtkaart.store.erase`).

        Raises
        ------
        StoreError
            When another reader blocks the compaction (a pending erasure is recorded).
        """
        self._compact("", "(vacuum)", [])

    def _compact(self, actor_id: str, by: str, needles: list[str]) -> None:
        with self._errors():
            reason = erase.compact(self._engines)
            if reason is None and erase.bytes_remain(self._engines, needles):
                reason = "the forgotten name is still in the store files"
            if reason is not None:
                erase.record_pending(self._engines, actor_id, by, reason)
                raise erase.fail(reason)
            erase.run_pending(self._engines)

    def _erase(self, user: str, actor_id: str, compact: bool) -> list[dict[str, str]]:
        """Forget an actor, search other records for its name, compact the files."""
        actor = self.get("actor", actor_id)
        self.apply(user, None, "actor", "forget", actor_id, None)
        with self._reading() as conn:
            hits = erase.search_text(conn, str(actor["map_id"]), str(actor["name"] or ""))
        if compact:  # a name still typed in other records cannot be checked on disk
            self._compact(actor_id, user, [] if hits else [str(actor["name"] or "")])
        return hits

    def _after_restore(self, stones: list[dict[str, Any]], bring_back: bool) -> list[str]:
        """Erase again the restored persons that were forgotten; keep every tombstone."""
        back = erase.forgotten_present(self._engines, stones)
        if not bring_back:
            for actor_id in back:
                self.apply("(restore)", None, "actor", "forget", actor_id, None)
            erase.keep_tombstones(self._engines, stones)
            if back:
                self._compact("", "(restore)", [])
        return back

    @action("import", map_arg="map_id")
    def note_cancelled_import(self, user: str, map_id: str, source: str) -> None:
        """Record that an import of ``source`` was cut off before it committed (nothing written).

        One event (entity ``import``, op ``cancelled``, no ``map_id`` so map
        histories stay about records; the map is in ``after``).
        """
        with self.transaction() as conn:
            log_event(conn, user=user, map_id=None, entity="import", entity_id=str(uuid.uuid4()),
                      op="cancelled", at=now_iso(), before=None,
                      after={"map_id": map_id, "source": source})

    @action("import", map_arg="map_id")
    def cancelled_imports(self, map_id: str, user: str, since: str) -> list[dict[str, Any]]:
        """Return ``user``'s imports into ``map_id`` cut off after ``since`` (ISO time)."""
        query = (sa.select(events.c.at, events.c.after)
                 .where(events.c.entity == "import", events.c.op == "cancelled",
                        events.c.user == user, events.c.at > since).order_by(events.c.seq))
        with self._reading() as conn:
            rows = conn.execute(query).all()
        return [{"at": r.at, "source": (r.after or {}).get("source", "")} for r in rows
                if (r.after or {}).get("map_id") == map_id]

    # -- transactions ------------------------------------------------------
    @contextmanager
    def transaction(self, import_by: str | None = None, what: str = "file",
                    map_id: str | None = None) -> Iterator[sa.Connection]:
        """Run every write inside the ``with`` block in ONE transaction.

        Nested calls join the outer transaction. On SQLite the write lock is
        taken at the start (``BEGIN IMMEDIATE``); an exception rolls it all back.
        ``import_by`` (a user) marks a long import of ``what`` (``places`` or
        ``file``) into ``map_id``: on SQLite a running-import marker is written
        in its own short transaction first and removed afterwards, so that
        others' writes are refused quickly with the importer's name
        (:mod:`buurtkaart.store.importing`).
        """
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        token = self._mark_import(import_by, what, map_id)
        try:
            with self._writing() as conn:
                self._local.conn = conn
                try:
                    yield conn
                finally:
                    self._local.conn = None
        finally:
            if token is not None:
                self._local.import_token = None
                importing.end(self._engines.write, token)

    def _mark_import(self, user: str | None, what: str, map_id: str | None) -> str | None:
        if user is None or self._engines.dialect != "sqlite":
            return None
        with self._writing() as conn:
            token = importing.begin(conn, user, what, map_id)
        self._local.import_token = token
        return token

    @contextmanager
    def _writing(self) -> Iterator[sa.Connection]:
        """Begin a write; on SQLite wait only briefly when someone else is importing."""
        other = None
        if self._engines.dialect == "sqlite":
            other = importing.current(self._engines.read, getattr(self._local, "import_token",
                                                                  None))
        with self._errors(other), self._engines.write.connect() as conn:
            if other is not None:
                _busy_ms(conn, importing.SHORT_WAIT_MS)
            try:
                with conn.begin():
                    yield conn
            finally:
                if other is not None:
                    _busy_ms(conn, int(BUSY_TIMEOUT_S * 1000))

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            yield conn
            return
        with self._errors(), self._engines.read.connect() as conn:
            yield conn

    @contextmanager
    def _errors(self, importer: importing.Marker | None = None) -> Iterator[None]:
        try:
            yield
        except sa.exc.IntegrityError as e:
            msg = f"refused by the store: {_reason(e)}"
            raise InputError(msg) from e
        except sa.exc.DBAPIError as e:
            reason = _reason(e)
            if "database is locked" in reason:
                importer = importer or importing.current(
                    self._engines.read, getattr(self._local, "import_token", None))
                if importer is not None:
                    raise importing.busy_error(self.url, importer) from e
                reason = ("the store is busy: another program holds its write lock (a long "
                          "import?); reading still works, try the change again shortly")
            msg = f"store {self.url} cannot be used: {reason}"
            raise StoreError(msg) from e

    # -- the one write path ------------------------------------------------
    @action(PER_ENTITY, map_arg="map_id", entity_arg="entity", id_arg="entity_id")
    def apply(self, user: str, map_id: str | None, entity: str, op: str,
              entity_id: str | None, data: Mapping[str, Any] | None,
              if_version: int | None = None) -> dict[str, Any]:
        """Write one record and its event in one transaction (THE write path).

        Parameters
        ----------
        user : str
            Acting user, recorded in the event.
        map_id : str or None
            Map of the record (taken from the stored record for update/delete).
        entity : str
            ``map``, ``actor``, ``link``, ``contact``, ``signal``, ``agenda``,
            ``meeting``, ``reflection``, ``import`` or ``dismissal``.
        op : str
            ``insert``, ``update``, ``delete`` (or ``forget`` for actors).
        entity_id : str or None
            Record id; None on insert makes a new UUID.
        data : Mapping or None
            Fields to insert, or the changes to apply.
        if_version : int or None
            Version the update was based on; a newer stored version is merged
            three-way, and the same field changed on both sides raises.

        Returns
        -------
        dict
            The record after the write (before it, for delete/forget).

        Raises
        ------
        InputError, NotFoundError, ConflictError, StoreError
        """
        with self.transaction() as conn:
            return apply_op(conn, user=user, map_id=map_id, entity=entity, op=op,
                            entity_id=entity_id, data=data, if_version=if_version)

    @action(PER_ENTITY, map_arg="map_id", ops_arg="ops")
    def apply_many(self, user: str, map_id: str | None,
                   ops: Iterable[Op]) -> list[dict[str, Any]]:
        """Apply many writes in ONE transaction (one event each); all or nothing."""
        with self.transaction():
            return [self.apply(user, map_id, *o) for o in ops]

    # -- generic reads -----------------------------------------------------
    @action("read", entity_arg="entity", id_arg="entity_id")
    def get(self, entity: str, entity_id: str) -> dict[str, Any]:
        """Return one record; NotFoundError naming the entity and id."""
        table = _table(entity)
        with self._reading() as conn:
            row = conn.execute(sa.select(table).where(table.c.id == entity_id)).first()
        if row is None:
            msg = f"no {entity} with id {entity_id!r}"
            raise NotFoundError(msg)
        return record_of(row)

    @action("read", map_arg="map_id", entity_arg="entity")
    def records(self, entity: str, map_id: str | None = None,
             **where: Any) -> list[dict[str, Any]]:
        """Return the records of ``entity`` (of ``map_id``), filtered by equal fields."""
        table = _table(entity)
        query = sa.select(table)
        if map_id is not None and "map_id" in table.c:
            query = query.where(table.c.map_id == map_id)
        for name, value in where.items():
            if value is not None:
                query = query.where(table.c[name] == value)
        with self._reading() as conn:
            rows = conn.execute(query.order_by(table.c.created_at, table.c.id)).all()
        return [record_of(r) for r in rows]

    @action("import", map_arg="map_id")
    def existing_ids(self, map_id: str, entity: str, ids: Iterable[str]) -> set[str]:
        """Return which of ``ids`` are taken by a record of ``entity`` in ANY map.

        An import into ``map_id`` that keeps the ids of its file must not reuse
        an id; only existence is told, never the record.
        """
        table = _table(entity)
        wanted = [str(i) for i in ids]
        with self._reading() as conn:
            rows = conn.execute(sa.select(table.c.id).where(table.c.id.in_(wanted))).scalars()
            return {str(r) for r in rows}


def _table(entity: str) -> sa.Table:
    if entity not in ENTITY_TABLES:
        msg = f"unknown entity {entity!r}; expected one of {', '.join(ENTITY_TABLES)}"
        raise InputError(msg)
    return ENTITY_TABLES[entity]


def _reason(err: sa.exc.DBAPIError) -> str:
    text = str(err.orig if err.orig is not None else err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _busy_ms(conn: sa.Connection, ms: int) -> None:
    """Set SQLite's busy timeout of ``conn`` (on the driver: no transaction is begun)."""
    driver = conn.connection.driver_connection
    if driver is not None:
        driver.execute(f"PRAGMA busy_timeout = {ms}")
