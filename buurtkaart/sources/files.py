"""Plain files the user hands in (imports): read whole, after checking a size cap."""

from __future__ import annotations

from pathlib import Path

from buurtkaart._errors import DataFileError


def read_capped(path: str | Path, max_bytes: int) -> bytes:
    """Return the bytes of the file at ``path``, refusing it before reading when too big.

    Raises
    ------
    DataFileError
        Not a file, unreadable, or over ``max_bytes`` (the message names
        ``BUURTKAART_MAX_UPLOAD_MB``).
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            msg = f"{p} is not a file"
            raise DataFileError(msg)
        if size > max_bytes:
            msg = (f"{p} is {size / 1048576:.1f} MB, over the upload limit of "
                   f"{max_bytes / 1048576:.0f} MB (BUURTKAART_MAX_UPLOAD_MB)")
            raise DataFileError(msg)
        return p.read_bytes()
    except OSError as e:
        msg = f"cannot read {p}: {e.strerror or e}"
        raise DataFileError(msg) from e
