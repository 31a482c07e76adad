"""Exception classes shared by every layer.

Each error carries a one-line, human-readable message that names the file,
field or value at fault. The CLI maps them to exit codes (see ``EXIT_CODES``).
"""

from __future__ import annotations


class BuurtkaartError(Exception):
    """Base class for all buurtkaart errors."""

    exit_code = 1


class InputError(BuurtkaartError, ValueError):
    """Bad user input: a value, field or file that cannot be used (exit 2 in CLI usage)."""

    exit_code = 2


class DataFileError(BuurtkaartError):
    """A file that is missing, unreadable, or not the expected format."""

    exit_code = 4


class SourceUnavailable(BuurtkaartError):
    """A live OSM service (Overpass, Nominatim) could not be reached in time."""

    exit_code = 6


class AreaNotFound(BuurtkaartError):
    """An area name that is not in the boundaries file."""

    exit_code = 7


class GeocodeError(BuurtkaartError):
    """An address that could not be matched.

    ``reason`` says why (``not_found``, ``ambiguous``, ``no_street``) and
    ``candidates`` lists the closest or competing matches (with their commune).
    """

    exit_code = 8

    def __init__(self, msg: str, reason: str = "not_found",
                 candidates: tuple[str, ...] = ()) -> None:
        super().__init__(msg)
        self.reason = reason
        self.candidates = candidates


class StoreError(BuurtkaartError):
    """The store cannot be opened or written (not a buurtkaart store, newer schema...).

    A write refused because someone else's import holds the SQLite write lock
    names them: ``busy_by`` (user), ``busy_what`` (``places`` or ``file``) and
    ``busy_since`` (local ``HH:MM``); otherwise these are None.
    """

    exit_code = 9

    def __init__(self, msg: str, busy_by: str | None = None, busy_what: str | None = None,
                 busy_since: str | None = None) -> None:
        super().__init__(msg)
        self.busy_by = busy_by
        self.busy_what = busy_what
        self.busy_since = busy_since


class NotFoundError(BuurtkaartError):
    """A map, actor or other entity that does not exist (exit 2 in the CLI)."""

    exit_code = 2


class ConflictError(BuurtkaartError):
    """A concurrent edit changed the same field: nothing was overwritten."""

    exit_code = 3

    def __init__(self, msg: str, conflicts: dict[str, tuple[object, object]] | None = None):
        super().__init__(msg)
        #: field -> (their value, your value)
        self.conflicts = conflicts or {}


class PermissionDenied(BuurtkaartError):
    """The acting user's role does not allow this action."""

    exit_code = 5
