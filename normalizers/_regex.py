"""Module-level regexes compiled on first use, not at import.

CPython compiles a regex in pure Python (the `re._parser`/`re._compiler` modules): the
~120 module-level patterns of `normalizers` and `extractor.reading` cost ~25 ms at import,
and one report uses about half of them. `ita-extract extract` of one file is mostly
start-up, so each pattern is compiled when it is first used.

After the first use the compiled pattern's methods sit in the object's own `__dict__`,
which attribute look-up reads before the class: a call costs what it cost on the compiled
pattern. Use it like a compiled pattern (`.search`, `.sub`, `.pattern`, ...); it is not a
`re.Pattern` instance, so it cannot be handed to `re.compile` or `re.sub`.
"""
from __future__ import annotations

import re

_FORWARDED = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split",
              "scanner", "flags", "groups", "groupindex")


class LazyPattern:
    """A regex compiled the first time one of its attributes is read.

    >>> p = LazyPattern(r"[0-9]+")
    >>> "search" in vars(p)
    False
    >>> p.search("ปี 2568").group(), "search" in vars(p), p.sub("#", "a1b22")
    ('2568', True, 'a#b#')
    >>> p.pattern
    '[0-9]+'
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern  # readable without compiling (patterns built from patterns)
        self._flags = flags

    def __getattr__(self, name: str) -> object:
        # Called only for attributes not found the usual way: before the first compile.
        if name.startswith("_") or name == "pattern":  # not a pattern's; or a half-made object
            raise AttributeError(name)
        compiled = re.compile(self.pattern, self._flags)
        self.__dict__.update({attr: getattr(compiled, attr) for attr in _FORWARDED})
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self._flags})"


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile`, deferred to the first use (see the module docstring).

    >>> lazy_compile(r"(?P<n>[0-9๐-๙]+)\\s*บาท").search("งบ ๕๐๐ บาท").group("n")
    '๕๐๐'
    """
    return LazyPattern(pattern, flags)  # type: ignore[return-value]  # behaves as one
