"""The one cache of the sources: one folder layout, one key scheme, atomic writes.

Every entry lives at ``cache_dir()/<kind>/<key>.<ext>`` (``BUURTKAART_CACHE_DIR``):

- the **key** is :func:`make_key` of its parts: the SHA-256 (first 32 hex digits)
  of the parts joined by ``|``. A part naming a file is :func:`file_hash` (its
  content SHA-256, memoised on path, size and modification time), so an edited
  extract never serves a stale entry; a part naming a format carries a version.
- the **format** is JSON for data (Nominatim answers, basemap features) and a
  pickle for built objects that JSON cannot hold (walk graphs, geocoding
  indexes): ``ext`` is ``json`` or ``pickle``.
- writes go to a per-process temporary file renamed into place; a read-only
  cache folder only costs speed, and a damaged entry reads as a miss.

:class:`MemoryCache` is the in-memory LRU some kinds keep in front of the disk.
OSMnx keeps its own Overpass answer cache in ``cache_dir()/overpass`` (its
format, pointed there by :mod:`._overpass`).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from buurtkaart import settings

T = TypeVar("T")

_hash_lock = threading.Lock()
_hashes: dict[tuple[str, int, int], str] = {}


def make_key(*parts: object) -> str:
    """Return the cache key of ``parts`` (SHA-256 of ``"|".join(map(str, parts))``, 32 hex)."""
    text = "|".join(str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def file_hash(path: Path) -> str:
    """Return the SHA-256 hex digest of ``path`` (memoised on path, size and mtime)."""
    stat = path.stat()
    memo = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    with _hash_lock:
        digest = _hashes.get(memo)
    if digest is None:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        digest = h.hexdigest()
        with _hash_lock:
            _hashes[memo] = digest
    return digest


def entry_path(kind: str, key: str, ext: str) -> Path:
    """Return the file of entry ``key`` of ``kind`` (the folder is created)."""
    folder = settings.cache_dir() / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{key}.{ext}"


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only cache only costs speed


def read_json(kind: str, key: str) -> Any | None:
    """Return the cached JSON value of ``key``, or None on a miss or damaged entry."""
    try:
        return json.loads(entry_path(kind, key, "json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(kind: str, key: str, value: Any) -> None:
    """Store ``value`` as compact JSON under ``key`` (atomically)."""
    text = json.dumps(value, separators=(",", ":"))
    _write(entry_path(kind, key, "json"), text.encode("utf-8"))


def read_object(kind: str, key: str, expected: type[T]) -> T | None:
    """Return the pickled object of ``key`` if it is an ``expected``, else None."""
    path = entry_path(kind, key, "pickle")
    if not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            value = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None  # a damaged or outdated entry is rebuilt
    return value if isinstance(value, expected) else None


def write_object(kind: str, key: str, value: object) -> None:
    """Pickle ``value`` under ``key`` (atomically)."""
    _write(entry_path(kind, key, "pickle"), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def cached_object(kind: str, key: str, expected: type[T], build: Callable[[], T], *,
                  disk: bool = True) -> T:
    """Return the pickled entry of ``key``, building and storing it on a miss."""
    value = read_object(kind, key, expected) if disk else None
    if value is None:
        value = build()
        if disk:
            write_object(kind, key, value)
    return value


class MemoryCache(Generic[T]):
    """A small thread-safe LRU of built values, in front of the disk entries."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._lock = threading.Lock()
        self._items: OrderedDict[str, T] = OrderedDict()

    def get(self, key: str) -> T | None:
        """Return the value of ``key`` (marking it recently used) or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value: T) -> None:
        """Store ``value``, dropping the least recently used beyond ``slots``."""
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.slots:
                self._items.popitem(last=False)

    def get_or_build(self, key: str, build: Callable[[], T]) -> T:
        """Return the value of ``key``, calling ``build`` on a miss."""
        value = self.get(key)
        if value is None:
            value = build()
            self.put(key, value)
        return value

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._items.clear()
