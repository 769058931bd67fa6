"""Module-level regexes compiled on first use, not at import.

CPython compiles a regex in pure Python (the `re._parser`/`re._compiler` modules): the
~120 module-level patterns of `normalizers` and `extractor.reading` cost ~20 ms at import,
and one report uses about half of them. `ita-extract extract` of one file is mostly
start-up, so each pattern is compiled when it is first used.

The first call of a method compiles the pattern, and the module global that held the lazy
pattern is rebound to the compiled one: later uses in that module are plain `re.Pattern`
calls (~25 ns a call less than through a proxy; a report makes a few thousand). Other
references (a pattern in a module-level tuple, a name another module imported) keep the
lazy object, whose own `__dict__` then holds the compiled pattern's bound methods, which
attribute look-up finds before the class's functions. Use it like a compiled pattern; it is
not a `re.Pattern` instance, so it cannot be handed to `re.compile` or `re.sub`.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """A regex compiled the first time it is used.

    >>> p = LazyPattern(r"[0-9]+")
    >>> "search" in vars(p)
    False
    >>> p.search("ปี 2568").group(), "search" in vars(p), p.sub("#", "a1b22"), p.groups
    ('2568', True, 'a#b#', 0)
    >>> p.pattern
    '[0-9]+'
    """

    def __init__(self, pattern: str, flags: int = 0, home: dict[str, Any] | None = None) -> None:
        self.pattern = pattern  # readable without compiling (patterns built from patterns)
        self._flags = flags
        self._home = home  # the globals of the module that made it
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = compiled = re.compile(self.pattern, self._flags)
            self.__dict__.update({name: getattr(compiled, name) for name in _METHODS})
            if self._home is not None:
                for name, value in list(self._home.items()):
                    if value is self:
                        self._home[name] = compiled
        return self._compiled

    # Each runs once per object at most: the first call replaces it (see the module docstring).
    def search(self, *args: Any) -> re.Match[str] | None:
        return self.compiled().search(*args)

    def match(self, *args: Any) -> re.Match[str] | None:
        return self.compiled().match(*args)

    def fullmatch(self, *args: Any) -> re.Match[str] | None:
        return self.compiled().fullmatch(*args)

    def finditer(self, *args: Any) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(*args)

    def findall(self, *args: Any) -> list[Any]:
        return self.compiled().findall(*args)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def subn(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> tuple[str, int]:
        return self.compiled().subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[Any]:
        return self.compiled().split(string, maxsplit)

    @property
    def flags(self) -> int:
        return self.compiled().flags

    @property
    def groups(self) -> int:
        return self.compiled().groups

    @property
    def groupindex(self) -> dict[str, int]:
        return dict(self.compiled().groupindex)

    def __reduce__(self) -> tuple[type, tuple[str, int]]:
        # copied or pickled without its module's globals (and uncompiled)
        return (LazyPattern, (self.pattern, self._flags))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self._flags})"


def lazy_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile`, deferred to the first use (see the module docstring).

    >>> BAHT = lazy_compile(r"(?P<n>[0-9๐-๙]+)\\s*บาท")
    >>> type(BAHT).__name__, BAHT.search("งบ ๕๐๐ บาท").group("n"), type(BAHT).__name__
    ('LazyPattern', '๕๐๐', 'Pattern')
    """
    home = sys._getframe(1).f_globals  # the caller's module: its global is rebound on first use
    return LazyPattern(pattern, flags, home)  # type: ignore[return-value]  # behaves as one
