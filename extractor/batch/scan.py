"""Finding the input files, without trusting what is in the folders.

Everything is looked at with `lstat` first, nothing is opened here. Regular files with a
report suffix are inputs. Anything else a report could hide behind becomes an input that is
*refused* with its reason — it gets a failed row, so nothing is dropped silently:

- a FIFO, socket or device (reading it could block forever or never end);
- a symbolic link, unless `follow_symlinks`, and then only when it stays inside the input
  folders (a link to /etc/shadow or to a report elsewhere is never read);
- a sub-folder that cannot be listed (its reports were not seen: a transient failure,
  tried again on the next run), or a report file listed that cannot be examined (a folder
  readable but not searchable): transient too.

Hidden files and folders (a leading dot) are skipped, as before.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from extractor.errors import PERMANENT, TRANSIENT
from extractor.reading.files import SUPPORTED_SUFFIXES, not_regular

LINK_NOT_FOLLOWED = ("symbolic link, not followed (--follow-symlinks reads links that stay "
                     "inside the input folders)")
LINK_OUTSIDE = "symbolic link to a place outside the input folders: not followed"
LINK_DANGLING = "symbolic link to nothing"


@dataclass(slots=True)
class Input:
    path: str  # as found: the manifest's key (a name that is not UTF-8 keeps its bytes)
    size: int  # from lstat of `path` (of the target, for a followed link)
    mtime_ns: int
    read_path: str  # what to open: `path`, or a followed link's target
    refusal: str | None = None  # why it is not read, or None
    failure: str = PERMANENT  # of a refusal

    @property
    def is_link(self) -> bool:
        return self.read_path != self.path


def _suffix_ok(name: str) -> bool:
    dot = name.rfind(".")
    return dot > name.rfind("/") + 1 and name[dot:].lower() in SUPPORTED_SUFFIXES


def _within(path: str, roots: list[str]) -> bool:
    return any(os.path.commonpath([path, r]) == r for r in roots)


def _link(path: str, st: os.stat_result, roots: list[str], follow: bool) -> Input | None:
    """An input for a symbolic link found in a folder (None: not a report, skip it)."""
    try:
        target_st = os.stat(path)
    except OSError:
        return Input(path, st.st_size, st.st_mtime_ns, path, LINK_DANGLING) if _suffix_ok(path) else None
    is_dir = stat.S_ISDIR(target_st.st_mode)
    real = os.path.realpath(path)
    if not (_suffix_ok(path) or _suffix_ok(real) or is_dir):
        return None
    if not follow:
        return Input(path, st.st_size, st.st_mtime_ns, path, LINK_NOT_FOLLOWED)
    if not _within(real, roots):
        return Input(path, st.st_size, st.st_mtime_ns, path, LINK_OUTSIDE)
    if is_dir:
        return None  # inside the input folders: its files are found where they are
    refusal = not_regular(target_st.st_mode)
    shown = target_st if not refusal else st
    return Input(path, shown.st_size, shown.st_mtime_ns, real, refusal)


def _walk(top: str, roots: list[str], follow: bool) -> Iterator[Input]:
    # Names listed, then one `lstat` each: a nightly run walks every file of every year to
    # find the few new ones, and this is the least that can tell a changed file (size,
    # mtime) and what a name is — DirEntry objects, their sort key and their own stat cost
    # a third more.
    suffixes = tuple(SUPPORTED_SUFFIXES)
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            st = os.lstat(folder)
            yield Input(folder, st.st_size, st.st_mtime_ns, folder,
                        f"folder cannot be read ({exc.strerror or exc}): the reports in it "
                        "were not seen", TRANSIENT)
            continue
        prefix = folder if folder.endswith(os.sep) else folder + os.sep
        subfolders = []
        for name in names:
            if name.startswith("."):
                continue
            path = prefix + name
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                continue  # vanished while listed
            except OSError as exc:  # listed but not to be examined (a folder without +x)
                if _suffix_ok(name):
                    yield Input(path, 0, 0, path, f"file cannot be examined ({exc.strerror or exc})",
                                TRANSIENT)
                continue
            mode = st.st_mode
            if stat.S_ISREG(mode):
                if name.lower().endswith(suffixes):  # (no leading dot here: as `_suffix_ok`)
                    yield Input(path, st.st_size, st.st_mtime_ns, path)
            elif stat.S_ISDIR(mode):
                subfolders.append(path)
            elif stat.S_ISLNK(mode):
                found = _link(path, st, roots, follow)
                if found:
                    yield found
            elif _suffix_ok(name):
                yield Input(path, st.st_size, st.st_mtime_ns, path, not_regular(mode))
        stack.extend(reversed(subfolders))  # depth first, in name order


def _found(paths: Iterable[str | os.PathLike], follow_symlinks: bool) -> Iterator[Input]:
    given = [os.path.abspath(os.fspath(p)) for p in paths]
    roots = [os.path.realpath(p) for p in given if os.path.isdir(p)]
    for p in given:
        if os.path.isdir(p):
            yield from _walk(p, roots, follow_symlinks)
            continue
        try:
            st = os.stat(p)  # a file given by name: trusted to be what the caller meant
        except OSError:
            continue
        yield Input(p, st.st_size, st.st_mtime_ns, os.path.realpath(p) if os.path.islink(p) else p,
                    not_regular(st.st_mode))


def find_inputs(paths: Iterable[str | os.PathLike], follow_symlinks: bool = False) -> list[Input]:
    """The inputs under `paths` (files given, and report files under folders given), each
    once, in a stable order. The paths given themselves are trusted (a root that is a link
    is followed); what is found inside them is not."""
    paths = list(paths)
    if len(paths) == 1:
        return list(_found(paths, follow_symlinks))  # one walk never finds a path twice
    seen: set[str] = set()
    unique = []
    for f in _found(paths, follow_symlinks):
        if f.path not in seen:
            seen.add(f.path)
            unique.append(f)
    return unique


def has_inputs(paths: Iterable[str | os.PathLike], follow_symlinks: bool = False) -> bool:
    """Whether `find_inputs` would find anything, stopping at the first input (a usage check
    that must not cost a second walk of a large tree)."""
    return next(_found(paths, follow_symlinks), None) is not None
