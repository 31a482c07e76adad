"""The UI is one package: only ``buurtkaart.app`` imports Streamlit, nothing imports the app.

Imports inside functions count too (the whole AST is scanned).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "buurtkaart"
APP = PACKAGE / "app"
STREAMLIT = ("streamlit", "streamlit_folium")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _outside_app() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if not p.is_relative_to(APP)]


def _is(name: str, top: str) -> bool:
    return name == top or name.startswith(top + ".")


def test_only_the_app_imports_streamlit() -> None:
    offenders = {str(p.relative_to(PACKAGE)): sorted(n for n in _imports(p)
                                                     if any(_is(n, s) for s in STREAMLIT))
                 for p in _outside_app()}
    assert not {k: v for k, v in offenders.items() if v}


def test_nothing_outside_the_app_imports_it() -> None:
    offenders = [str(p.relative_to(PACKAGE)) for p in _outside_app()
                 if any(_is(n, "buurtkaart.app") for n in _imports(p))]
    assert not offenders


def test_the_app_really_is_the_streamlit_package() -> None:
    users = [p for p in APP.rglob("*.py") if any(_is(n, "streamlit") for n in _imports(p))]
    assert APP / "frame.py" in users and len(users) > 10


def test_pages_are_registered_as_functions_not_looked_up_by_name() -> None:
    for path in APP.rglob("*.py"):
        names = _imports(path)
        assert "importlib" not in names, path
    frame = (APP / "frame.py").read_text(encoding="utf-8")
    assert "st.Page(func" in frame
