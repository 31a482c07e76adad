"""The app's calls into the store are type-checked: no store typed ``Any``, ports that fit.

mypy itself runs in ``make test``/``make lint``; these tests keep the guarantees
that make its check mean something: no parameter, attribute or function that
hands out a store is annotated ``Any``; the strict mypy settings of the app and
the store stay on; and the real stores have every operation of the protocols
(:mod:`buurtkaart.core.ports`) the domain packages are written against.
"""

from __future__ import annotations

import ast
import inspect
import tomllib
from pathlib import Path

import pytest

from buurtkaart.auth.guard import GuardedStore
from buurtkaart.core import ports
from buurtkaart.store import Store

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "buurtkaart"
PROTOCOLS = (ports.MapReader, ports.InsightsStore, ports.MeetingStore, ports.ExchangeStore)


def _is_any(node: ast.expr | None) -> bool:
    """Return whether an annotation is ``Any`` (also ``typing.Any``, ``"Any"``, ``Any | None``)."""
    if node is None:
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _is_any(ast.parse(node.value, mode="eval").body)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _is_any(node.left) or _is_any(node.right)
    return (isinstance(node, ast.Name) and node.id == "Any") or (
        isinstance(node, ast.Attribute) and node.attr == "Any")


def _names_a_store(name: str) -> bool:
    return name == "store" or name.endswith("_store")


def untyped_stores(source: str, where: str) -> list[str]:
    """Return ``where:line name`` for every store annotated ``Any`` in ``source``.

    Checked: function parameters, annotated attributes and variables named
    ``store``/``*_store``, and functions named ``*_store`` that return ``Any``.
    """
    bad = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                if _names_a_store(arg.arg) and _is_any(arg.annotation):
                    bad.append(f"{where}:{arg.lineno} parameter {arg.arg}: Any")
            if _names_a_store(node.name) and _is_any(node.returns):
                bad.append(f"{where}:{node.lineno} {node.name}() -> Any")
        elif isinstance(node, ast.AnnAssign) and _is_any(node.annotation):
            target = node.target
            name = target.id if isinstance(target, ast.Name) else (
                target.attr if isinstance(target, ast.Attribute) else "")
            if _names_a_store(name):
                bad.append(f"{where}:{node.lineno} {name}: Any")
    return bad


def test_no_store_is_typed_any() -> None:
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "static" in rel.parts:
            continue
        bad += untyped_stores(path.read_text(encoding="utf-8"), str(rel))
    assert not bad, "stores annotated Any (use Store, GuardedStore or a core.ports protocol):\n" \
        + "\n".join(bad)


@pytest.mark.parametrize("source", [
    "def f(store: Any) -> None: ...",
    "def f(x: int, *, raw_store: typing.Any = None) -> None: ...",
    "def get_store() -> Any: ...",
    "def f(store: 'Any | None') -> None: ...",
    "class C:\n    store: Any\n",
    "def f(self) -> None:\n    self.store: Any = None\n",
])
def test_the_check_finds_a_store_typed_any(source: str) -> None:
    assert untyped_stores(source, "m.py"), source


def test_the_check_lets_typed_stores_and_other_anys_pass() -> None:
    source = ("def f(store: Store, data: Any) -> GuardedStore: ...\n"
              "def get_store() -> GuardedStore: ...\n"
              "locations: Any = None\n")
    assert untyped_stores(source, "m.py") == []


def test_the_page_context_carries_the_guarded_store() -> None:
    from buurtkaart.app import context, data

    assert inspect.get_annotations(context.PageContext, eval_str=True)["store"] is GuardedStore
    assert inspect.signature(data.get_store, eval_str=True).return_annotation is GuardedStore
    assert inspect.signature(data.raw_store, eval_str=True).return_annotation is Store


def test_app_and_store_are_checked_strictly() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    strict = [o for o in config.get("overrides", []) if o.get("disallow_untyped_defs")]
    modules = {m for o in strict for m in ([o["module"]] if isinstance(o["module"], str)
                                           else o["module"])}
    assert {"buurtkaart.app.*", "buurtkaart.store.*"} <= modules
    assert all(o.get("disallow_incomplete_defs") for o in strict)


def _members(protocol: type) -> list[str]:
    names = set()
    for klass in protocol.__mro__:
        if klass in (object,) or not getattr(klass, "_is_protocol", False):
            continue
        names |= {n for n in vars(klass) if not n.startswith("_")}
    return sorted(names)


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p.__name__)
@pytest.mark.parametrize("store_class", [Store, GuardedStore], ids=lambda c: c.__name__)
def test_the_stores_have_every_operation_of_the_ports(protocol: type,
                                                      store_class: type) -> None:
    """Each protocol operation exists on the store, with the protocol's parameters.

    mypy checks the full types where a store is passed; this catches a renamed
    or removed store operation (or parameter) without running mypy.
    """
    assert _members(protocol), protocol
    for name in _members(protocol):
        wanted = getattr(protocol, name)
        have = getattr(store_class, name, None)
        assert have is not None, f"{store_class.__name__} has no {name!r} ({protocol.__name__})"
        if isinstance(wanted, property):
            assert isinstance(have, property), name
            continue
        theirs = inspect.signature(have).parameters
        for param in inspect.signature(wanted).parameters.values():
            assert param.name in theirs, f"{store_class.__name__}.{name} lacks {param.name!r}"
            assert theirs[param.name].kind == param.kind, (name, param.name)


def test_ports_import_nothing_of_buurtkaart_but_core() -> None:
    tree = ast.parse((PACKAGE / "core" / "ports.py").read_text(encoding="utf-8"))
    targets = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    targets += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert all(t.startswith("buurtkaart.core") for t in targets if t.startswith("buurtkaart"))
