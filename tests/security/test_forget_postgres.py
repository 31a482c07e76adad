"""Attack: after "forget this person" on PostgreSQL, nothing of them is left to query.

A real PostgreSQL (the session fixture). The person is written, the planner
statistics are gathered (``ANALYZE``: before the fix ``pg_statistic`` kept the
name until the next one), then forgotten. Afterwards the name and notes are
in no row of any table of the store and in no statistics of those tables
(``pg_stats``: most common values, histogram bounds...). What PostgreSQL keeps
outside the tables (WAL, archives, backups) is documented in docs/privacy.md.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from buurtkaart.store import open_store

pytestmark = [pytest.mark.pg]

NAME = "Quirina Zwaneveld-Oyelaran"
NOTES = "belt op dinsdag, woont boven de apotheek"


def _rows_text(conn: sa.Connection) -> str:
    tables = sa.inspect(conn).get_table_names()
    return "\n".join(str(conn.exec_driver_sql(f'SELECT t::text FROM "{t}" t').scalars().all())
                     for t in tables if t != "spatial_ref_sys")


def _stats_text(conn: sa.Connection) -> str:
    rows = conn.exec_driver_sql(
        "SELECT tablename, attname, most_common_vals::text, histogram_bounds::text, "
        "most_common_elems::text FROM pg_stats WHERE schemaname = current_schema()").all()
    return "\n".join(str(r) for r in rows)


def test_forget_leaves_no_name_in_tables_nor_statistics(pg_server: Any) -> None:
    store = open_store(pg_server.create_database())
    try:
        the_map = store.create_map("admin", name="Buurthuis", org_name="Vzw",
                                   lat=50.85, lon=4.34)
        actor = store.add_actor("admin", the_map["id"], name=NAME, kind="person",
                                notes=NOTES, lat=50.85, lon=4.34)
        store.add_contact("admin", actor["id"], "2026-11-30", "phone", "reached",
                          note="komt naar het buurtfeest")
        for n in range(3):  # other rows, so that the statistics have bounds
            store.add_actor("admin", the_map["id"], name=f"Vereniging {n}",
                            kind="organisation", lat=50.85, lon=4.34)
        with store.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
            before_stats = _stats_text(conn)
            assert NAME in _rows_text(conn)
        assert NAME in before_stats  # the control: ANALYZE copied the name into pg_statistic
        store.forget_actor("admin", actor["id"])
        with store.engine.connect() as conn:
            rows, stats = _rows_text(conn), _stats_text(conn)
        for secret in (NAME, NOTES, "Zwaneveld"):
            assert secret not in rows, secret
            assert secret not in stats, secret
        assert "Vereniging 0" in rows  # the others are still there
    finally:
        store.close()
