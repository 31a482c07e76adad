"""Shared AppTest helpers: a logged-in session, a run that must not raise, the page's text."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from support.fixtures_app import APP_SCRIPT


def logged_in(user: str | None, timeout: float = 90) -> AppTest:
    """Return an AppTest of the app whose session is logged in as ``user`` (None: not)."""
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=timeout)
    if user:  # a logged-in session (the login form itself is tested in test_auth_login)
        at.session_state["user"] = user
        at.session_state["_auth_ok"] = user
    return at


def run_ok(at: AppTest) -> AppTest:
    """Run ``at`` and fail with the exceptions' messages when the page raised."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    """Return the text of the page's markdown, captions, alerts and titles."""
    parts: list[Any] = [*at.markdown, *at.caption, *at.info, *at.warning, *at.error,
                        *at.success, *at.subheader, *at.title]
    return "\n".join(str(p.value) for p in parts)
