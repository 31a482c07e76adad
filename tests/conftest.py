"""Shared pytest configuration. Fixtures live in the ``fixtures_*`` plugins."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

pytest_plugins = ["support.fixtures_data", "support.fixtures_store", "support.fixtures_app"]


@pytest.fixture(autouse=True)
def _restore_main_module() -> Iterator[None]:
    """Put ``sys.modules["__main__"]`` back after each test.

    Streamlit's AppTest leaves the app script installed as ``__main__``; a
    process spawned later by another test would then run the app script on start-up.
    """
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
