"""Build the embedded demo map at first start when the store is empty."""

from __future__ import annotations

import streamlit as st

from buurtkaart import settings
from buurtkaart.app import data
from buurtkaart.demo import ensure_demo_store


@st.cache_resource(show_spinner=False)
def _boot(url: str) -> str | None:

    store = data.raw_store()  # server start-up, before and outside any login
    if list(store.list_maps()):
        return None
    return ensure_demo_store(url)


def ensure_demo_if_empty() -> str | None:
    """Create the demo map once per server process if the store holds no map.

    Disabled with ``BUURTKAART_DEMO=0``. Returns the demo map id when built.
    """
    if not settings.get_bool("BUURTKAART_DEMO"):
        return None
    with st.spinner("DEMO…"):
        return _boot(data.store_url())
