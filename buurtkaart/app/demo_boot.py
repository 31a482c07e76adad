"""Build the embedded demo map in the app's own demo store (never in a team's store)."""

from __future__ import annotations

import streamlit as st

from buurtkaart.app import data
from buurtkaart.demo import ensure_demo_store, uses_demo_store


@st.cache_resource(show_spinner=False)
def _boot(url: str) -> str:
    return ensure_demo_store(url)


def ensure_demo_if_empty() -> str | None:
    """Build the demo map once per server process, in the demo store only.

    The demo store is used when no ``BUURTKAART_DB`` is given (and
    ``BUURTKAART_DEMO`` is not 0). A store the team chose is never written to:
    an empty one opens on the onboarding instead. Returns the demo map id when
    the demo store is in use.
    """
    if not uses_demo_store():
        return None
    with st.spinner("DEMO…"):
        return _boot(data.store_url())
