"""pdfium asked once per character, path segment or page object, as cheaply as Python can.

The reader asks pdfium of every character (its loose box) and of every page object (its
kind, for the page's rules): a hundred thousand calls for a corpus, where the call itself
costs more than pdfium's answer. Through cffi's function pointers a call costs about two
thirds of a ctypes call (cffi keeps the call's description; ctypes prepares it on every
call and makes an argument object per parameter). cffi comes with pdfplumber (pdfminer.six
→ cryptography → cffi); without it the same functions are called through ctypes. Either
way it is the same pdfium function with the same arguments: the same answers.

Handles and out-pointers go through `handle` and `pointers` (each backend's own kind of
pointer); a function returning a pointer gives each backend's own (a cffi pointer, or a
ctypes int): use such results as arguments of these functions and as truth values only.
"""
from __future__ import annotations

import ctypes
import functools

try:  # (a transitive dependency: the ctypes path below is complete without it)
    import cffi
    _ffi = cffi.FFI()
except ImportError:  # pragma: no cover - cffi comes with pdfplumber on CPython
    _ffi = None

_C_TYPES = {ctypes.c_int: "int", ctypes.c_uint: "unsigned int", ctypes.c_ulong: "unsigned long",
            ctypes.c_double: "double", ctypes.c_void_p: "void *", ctypes.c_size_t: "size_t"}


@functools.cache
def address(name: str) -> int:
    """Where pdfium's function `name` is (the library pypdfium2 loaded)."""
    import pypdfium2_raw.bindings as bindings
    return ctypes.cast(bindings._libs["pdfium"][name], ctypes.c_void_p).value


@functools.cache
def function(name: str, restype, *argtypes):
    """pdfium's `name` (types as ctypes types; pointers as `ctypes.c_void_p`, or — a
    returned handle wanted as its address, an int in both backends — `ctypes.c_size_t`)."""
    if _ffi is not None:
        signature = f"{_C_TYPES[restype]}(*)({', '.join(_C_TYPES[a] for a in argtypes)})"
        return _ffi.cast(signature, address(name))
    return ctypes.CFUNCTYPE(restype, *argtypes)(address(name))


def handle(addr: int):
    """A pdfium handle (its address) as `function`s take it."""
    return _ffi.cast("void *", addr) if _ffi is not None else addr


def pointers(base: int, step: int, n: int):
    """Out-pointers into a buffer at `base`, `step` bytes apart, n of them (one per call)."""
    if _ffi is not None:
        at = _ffi.cast("char *", base)
        return [at + k for k in range(0, step * n, step)]
    return range(base, base + step * n, step)


def pointers_at(base: int, step: int, rows: list[int]):
    """Out-pointers to the given rows of a buffer at `base` whose rows are `step` bytes."""
    if _ffi is not None:
        at = _ffi.cast("char *", base)
        return [at + step * k for k in rows]
    return [base + step * k for k in rows]
