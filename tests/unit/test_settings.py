"""Every setting is declared in settings.SETTINGS and documented in docs/settings.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from buurtkaart import settings

ROOT = Path(__file__).resolve().parents[2]
ENV_RE = re.compile(r"\bBUURTKAART_[A-Z0-9_]+\b")


def _code_files() -> list[Path]:
    files = [*ROOT.glob("buurtkaart/**/*.py")]
    files += [ROOT / ".ci" / "run", ROOT / "Makefile"]
    return [f for f in files if f.exists()]


def test_every_setting_is_documented() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [name for name in settings.SETTINGS if f"`{name}`" not in doc]
    assert not missing, f"settings missing from docs/settings.md: {missing}"


def test_every_env_var_used_in_code_is_declared() -> None:
    used: dict[str, str] = {}
    for path in _code_files():
        for name in ENV_RE.findall(path.read_text(encoding="utf-8")):
            used.setdefault(name, str(path.relative_to(ROOT)))
    undeclared = {n: f for n, f in used.items() if n not in settings.SETTINGS}
    assert not undeclared, f"environment variables used but not declared: {undeclared}"


def test_get_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTKAART_LANG", "fr")
    assert settings.get("BUURTKAART_LANG") == "fr"
    monkeypatch.delenv("BUURTKAART_LANG")
    assert settings.get("BUURTKAART_LANG") == settings.SETTINGS["BUURTKAART_LANG"].default


def test_get_bool(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, expected in [("1", True), ("yes", True), ("0", False), ("", False)]:
        monkeypatch.setenv("BUURTKAART_SINGLE_USER", value)
        assert settings.get_bool("BUURTKAART_SINGLE_USER") is expected


def test_unknown_setting_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        settings.get("BUURTKAART_NO_SUCH_THING")
