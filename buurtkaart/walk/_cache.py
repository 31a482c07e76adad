"""Graph cache per area: an in-memory LRU in front of pickles under ``cache_dir()/walk``.

Keys are built from the extract's content hash (SHA-256 of the file, memoised
on path, size and modification time) and the clipping box, so an edited
extract never serves a stale graph.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from buurtkaart import settings
from buurtkaart.walk.network import BBox, WalkGraph

MEMORY_SLOTS = 8
_lock = threading.Lock()
_memory: OrderedDict[str, WalkGraph] = OrderedDict()
_hashes: dict[tuple[str, int, int], str] = {}


def file_hash(path: Path) -> str:
    """Return the SHA-256 hex digest of ``path`` (memoised on size and mtime)."""
    stat = path.stat()
    memo = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    digest = _hashes.get(memo)
    if digest is None:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        digest = _hashes[memo] = h.hexdigest()
    return digest


def graph_key(origin: str, bbox: BBox) -> str:
    """Return the cache key of a graph from ``origin`` (file hash or service) and ``bbox``."""
    box = ",".join(f"{c:.5f}" for c in bbox)
    return hashlib.sha256(f"{origin}|{box}".encode()).hexdigest()[:32]


def _disk_path(key: str) -> Path:
    folder = settings.cache_dir() / "walk"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"graph-{key}.pickle"


def get_or_build(key: str, build: Callable[[], WalkGraph], *, disk: bool = True) -> WalkGraph:
    """Return the cached graph for ``key``, building and storing it on a miss."""
    with _lock:
        graph = _memory.get(key)
        if graph is not None:
            _memory.move_to_end(key)
            return graph
    path = _disk_path(key) if disk else None
    graph = _load(path) if path is not None else None
    if graph is None:
        graph = build()
        if path is not None:
            _save(path, graph)
    with _lock:
        _memory[key] = graph
        while len(_memory) > MEMORY_SLOTS:
            _memory.popitem(last=False)
    return graph


def _load(path: Path) -> WalkGraph | None:
    if not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            graph = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None  # a damaged or outdated cache file is rebuilt
    return graph if isinstance(graph, WalkGraph) else None


def _save(path: Path, graph: WalkGraph) -> None:
    tmp = path.with_suffix(".tmp")
    try:
        with tmp.open("wb") as fh:
            pickle.dump(graph, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only cache folder only costs speed


def clear_memory() -> None:
    """Empty the in-memory graph cache (the disk cache stays)."""
    with _lock:
        _memory.clear()
