"""The layering rule of docs/ARCHITECTURE.md, checked on the source (AST, no import).

Every ``import`` counts: module top, inside functions and under ``TYPE_CHECKING``.
A failure names the module, the line and the import that breaks the rule.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "buurtkaart"

#: Today's Streamlit modules outside ``buurtkaart.app``: treated as the app layer
#: until the UI move is merged. The lead empties this list after the merge.
LEGACY_UI_MODULES: frozenset[str] = frozenset()

#: Files of a parallel branch (store, permissions) whose project imports inside
#: functions are hoisted there; emptied by the lead after the merge.
LEGACY_INNER_IMPORTS: frozenset[str] = frozenset()

#: Layers from the bottom up: (name, module prefixes, layers it may import).
#: A module belongs to the layer of its longest matching prefix.
LAYERS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "base": (("buurtkaart._errors", "buurtkaart._dates", "buurtkaart.settings",
              "buurtkaart._settings_doc"), ()),
    "core": (("buurtkaart.core",), ("base",)),
    "sources": (("buurtkaart.sources",), ("core", "base")),
    "store": (("buurtkaart.store",), ("records", "core", "base")),
    "text": (("buurtkaart.i18n",), ("core", "base")),
    "domain": (("buurtkaart.places", "buurtkaart.geocode", "buurtkaart.walk",
                "buurtkaart.meeting", "buurtkaart.insights", "buurtkaart.exchange"),
               ("sources", "text", "core", "base", "records")),
    "records": (("buurtkaart.store.records",), ("core", "base")),
    "views": (("buurtkaart.views",), ("domain", "sources", "text", "core", "base", "records")),
    "services": (("buurtkaart.auth", "buurtkaart.privacy",
                  "buurtkaart.demo", "buurtkaart.exchange.service"),
                 ("store", "views", "domain", "sources", "text", "core", "base", "records")),
    "app": (("buurtkaart.app", "buurtkaart.cli", "buurtkaart.__main__", "buurtkaart"),
            ("services", "store", "views", "domain", "sources", "text", "core", "base",
             "records")),
}
#: Importing a layer's modules from the same layer is always allowed; but
#: ``core`` must not import ``base`` beyond ``_errors``.
CORE_MAY_IMPORT = ("buurtkaart._errors",)

#: Network and OSM-file libraries: only ``sources`` may import them.
IO_LIBRARIES = ("requests", "urllib3", "urllib.request", "socket", "http.client", "osmium",
                "osmnx", "ssl")
#: Named exceptions to IO_LIBRARIES: module -> libraries, with the reason.
IO_EXCEPTIONS = {
    # serves the packaged map assets to the browser on loopback; reads no data
    "buurtkaart.views._serve": ("http.server",),
}
#: Heavy optional dependencies that may be imported inside a function (with a comment).
HEAVY_OPTIONAL = ("osmnx", "geopandas", "pandas", "pyogrio", "pyrosm", "fpdf", "altair",
                  "networkx", "matplotlib", "folium", "streamlit_folium", "PIL")
#: Calls that read or write files: not in the domain layer.
FILE_CALLS = ("open", "read_text", "write_text", "read_bytes", "write_bytes", "mkdir",
              "unlink", "TemporaryDirectory", "NamedTemporaryFile")


@dataclass(frozen=True)
class Imp:
    """One import statement's target, where it is, and whether it is inside a function."""

    module: str
    target: str
    line: int
    in_function: bool
    commented: bool

    def where(self) -> str:
        """Return ``module:line imports target``."""
        return f"{self.module}:{self.line} imports {self.target}"


def _modules() -> dict[str, Path]:
    mods = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = path
    return mods


MODULES = _modules()


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        parts = module.split(".")
        pkg = parts if path.name == "__init__.py" else parts[:-1]
        pkg = pkg[:len(pkg) - node.level + 1]
        base = ".".join([*pkg, base] if base else pkg)
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def _imports_of(module: str, path: Path) -> list[Imp]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    inner = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
             for n in ast.walk(f)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            line = lines[node.lineno - 1]
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            commented = "#" in line or above.startswith("#")
            out += [Imp(module, t, node.lineno, id(node) in inner, commented)
                    for t in _targets(module, path, node)]
    return out


IMPORTS = {m: _imports_of(m, p) for m, p in MODULES.items()}


def _project_module(target: str) -> str | None:
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def _prefixed(module: str, prefixes: tuple[str, ...] | frozenset[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def layer_of(module: str) -> str:
    """Return the layer of a project module (legacy UI modules are the app layer)."""
    if _prefixed(module, LEGACY_UI_MODULES):
        return "app"
    best, length = "app", -1
    for name, (prefixes, _) in LAYERS.items():
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > length:
                best, length = name, len(p)
    return best


def _project_edges() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, imps in IMPORTS.items():
        for imp in imps:
            target = _project_module(imp.target) if imp.target.startswith("buurtkaart") else None
            if target and target != module:
                graph[module].add(target)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the cycles (strongly connected components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for v in sorted(set(graph) | {w for ws in graph.values() for w in ws}):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_the_package_import_graph_is_a_dag() -> None:
    cycles = strongly_connected(_project_edges())
    assert not cycles, "import cycles (counting imports inside functions): " + "; ".join(
        " <-> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c"]]


def test_every_import_follows_the_layers() -> None:
    bad = []
    for module, imps in IMPORTS.items():
        mine = layer_of(module)
        allowed = {mine, *LAYERS[mine][1]}
        for imp in imps:
            target = _project_module(imp.target) if imp.target.startswith("buurtkaart") else None
            if target is None or target == module:
                continue
            theirs = layer_of(target)
            if mine == "core" and theirs == "base" and target not in CORE_MAY_IMPORT:
                bad.append(f"{imp.where()}: core may import only core and _errors")
            elif theirs not in allowed:
                bad.append(f"{imp.where()}: layer {mine} may not import layer {theirs}")
    assert not bad, "\n".join(bad)


def test_only_the_app_imports_streamlit() -> None:
    bad = [imp.where() for imps in IMPORTS.values() for imp in imps
           if imp.target.split(".")[0] in {"streamlit", "streamlit_folium"}
           and not _prefixed(imp.module, ("buurtkaart.app", *LEGACY_UI_MODULES))]
    assert not bad, "only buurtkaart.app (and LEGACY_UI_MODULES) may import streamlit:\n" + (
        "\n".join(bad))


def test_network_and_osm_libraries_only_in_sources() -> None:
    bad = []
    for module, imps in IMPORTS.items():
        if layer_of(module) == "sources":
            continue
        for imp in imps:
            lib = next((lib for lib in (*IO_LIBRARIES, "http.server")
                        if imp.target == lib or imp.target.startswith(lib + ".")), None)
            if lib and lib not in IO_EXCEPTIONS.get(module, ()):
                bad.append(f"{imp.where()}: network/OSM I/O belongs in buurtkaart.sources")
    assert not bad, "\n".join(bad)


def _file_calls(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            if name in FILE_CALLS:
                found.append((node.lineno, name))
    return found


def test_domain_packages_do_no_file_io() -> None:
    bad = [f"{m}:{line} calls {name}()" for m, p in MODULES.items()
           if layer_of(m) == "domain" for line, name in _file_calls(p)]
    assert not bad, "domain packages take data and return values; I/O is in sources:\n" + (
        "\n".join(bad))


def test_imports_inside_functions_are_heavy_optional_dependencies() -> None:
    bad = []
    for module, imps in IMPORTS.items():
        if layer_of(module) == "app" and _prefixed(module, LEGACY_UI_MODULES):
            continue
        for imp in imps:
            if not imp.in_function:
                continue
            if imp.target.startswith("buurtkaart"):
                if module not in LEGACY_INNER_IMPORTS:
                    bad.append(f"{imp.where()} inside a function: move it to the module top")
            elif imp.target.split(".")[0] not in HEAVY_OPTIONAL:
                bad.append(f"{imp.where()} inside a function: not a heavy optional dependency")
            elif not imp.commented:
                bad.append(f"{imp.where()} inside a function without a comment saying why")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(("module", "layer"), [
    ("buurtkaart.exchange.service", "services"), ("buurtkaart.store.records", "records"),
    ("buurtkaart.store.api", "store"), ("buurtkaart.exchange.plan", "domain"),
    ("buurtkaart.sources._http", "sources"), ("buurtkaart.app.screens.kaart", "app"),
    ("buurtkaart.cli.places_cmd", "app"), ("buurtkaart.settings", "base"),
])
def test_layer_of(module: str, layer: str) -> None:
    assert layer_of(module) == layer


@pytest.mark.parametrize("module", ["buurtkaart.core.place", "buurtkaart.core.area",
                                    "buurtkaart.core.vocab", "buurtkaart.core.categories"])
def test_core_modules_are_in_the_core_layer(module: str) -> None:
    assert layer_of(module) == "core"
    assert all(not i.target.startswith("buurtkaart") or i.target.startswith(
        ("buurtkaart.core", "buurtkaart._errors")) for i in IMPORTS[module])


def test_layer_rule_names_the_offending_import(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = Imp("buurtkaart.core.place", "buurtkaart.store", 3, False, False)
    monkeypatch.setitem(IMPORTS, "buurtkaart.core.place", [fake])
    named = r"buurtkaart\.core\.place:3 imports buurtkaart\.store: layer core may not"
    with pytest.raises(AssertionError, match=named):
        test_every_import_follows_the_layers()
