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


#: Test folders whose files run longest (live servers and browsers), scheduled first.
SLOW_FIRST = ("e2e", "security")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the slowest folders first, so that no long file starts last.

    With ``pytest -n 2 --dist loadfile --no-loadscope-reorder`` (``make test``) each
    file goes whole to the next free worker in collection order; long files at the
    end would leave one worker busy alone. (Without ``--no-loadscope-reorder``
    xdist puts the files with the most tests first, and the few long browser tests
    last.) The sort is stable: files and their tests keep their order.
    """
    def rank(item: pytest.Item) -> int:
        parts = item.path.parts
        return next((i for i, name in enumerate(SLOW_FIRST) if name in parts), len(SLOW_FIRST))

    items.sort(key=rank)
