"""Reading an input file's bytes without trusting the path: only a regular file is opened,
never a FIFO, device or socket (which could block forever or never end), and never through
a symbolic link unless the caller resolved it on purpose.

`lstat` first, then `open(O_NONBLOCK | O_NOFOLLOW)` and `fstat` on the open descriptor: a
path swapped for a FIFO or a link between the two checks is caught by the second one, and
opening a FIFO with O_NONBLOCK returns at once instead of waiting for a writer.
"""
from __future__ import annotations

import hashlib
import os
import stat

from extractor.errors import ReadFailure, TransientFailure

# What a report file may be called. Here, not with the readers: finding the inputs of a run
# must not import the reading code (a pool's committing process never reads a report).
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".tsv", ".text"})
PDF_SUFFIXES = frozenset({".pdf"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES

_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"))


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words.

    >>> file_kind(stat.S_IFIFO | 0o644)
    'a FIFO (named pipe)'
    """
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def not_regular(mode: int) -> str | None:
    """The reason a file of this mode is refused, or None for a regular file."""
    return None if stat.S_ISREG(mode) else f"not a regular file: {file_kind(mode)}"


def read_regular_file(path: str | os.PathLike, max_bytes: int | None = None) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and the stat of what was read (of the open descriptor).

    Raises `ReadFailure` (permanent) for anything that is not a regular file, or is larger
    than `max_bytes`; `TransientFailure` for I/O errors (a file vanished, permission denied:
    both may pass).
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise TransientFailure("file vanished before it could be read") from None
    except OSError as exc:
        raise TransientFailure(f"cannot read file: {exc.strerror or exc}") from None
    reason = not_regular(st.st_mode)
    if reason:
        raise ReadFailure(reason)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise TransientFailure(f"cannot read file: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        reason = not_regular(st.st_mode)
        if reason:  # swapped between lstat and open
            raise ReadFailure(reason)
        if max_bytes is not None and st.st_size > max_bytes:
            raise ReadFailure(f"file is larger than {max_bytes} bytes")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:  # grew while read
                raise ReadFailure(f"file is larger than {max_bytes} bytes")
        return b"".join(chunks), st
    except OSError as exc:
        raise TransientFailure(f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def sha256_regular_file(path: str | os.PathLike, max_bytes: int | None = None) -> str:
    """sha256 of a regular file's bytes, with the same refusals as `read_regular_file`."""
    data, _ = read_regular_file(path, max_bytes)
    return hashlib.sha256(data).hexdigest()


def same_file_version(a: os.stat_result, b: os.stat_result) -> bool:
    """Whether two stats are of the same bytes: same inode, size and modification time."""
    return (a.st_ino, a.st_dev, a.st_size, a.st_mtime_ns) == (b.st_ino, b.st_dev, b.st_size, b.st_mtime_ns)
