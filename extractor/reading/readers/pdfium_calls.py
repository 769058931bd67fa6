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
import itertools
import threading

import numpy as np

try:  # (a transitive dependency: the ctypes path below is complete without it)
    import cffi
    _ffi = cffi.FFI()
except ImportError:  # pragma: no cover - cffi comes with pdfplumber on CPython
    _ffi = None

_C_TYPES = {ctypes.c_int: "int", ctypes.c_uint: "unsigned int", ctypes.c_ulong: "unsigned long",
            ctypes.c_double: "double", ctypes.c_void_p: "void *", ctypes.c_size_t: "size_t"}


@functools.cache
def address(name: str) -> int:
    """Where pdfium's function `name` is (the library pypdfium2 loaded): the address of
    pypdfium2's own ctypes binding of it (its public `pypdfium2.raw` module)."""
    import pypdfium2.raw as raw
    return ctypes.cast(getattr(raw, name), ctypes.c_void_p).value


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


def per_char(tp, name: str, restype, idx: list[int], *columns: np.ndarray) -> list:
    """pdfium's `name(textpage, i, *out)` for each character `i` of `idx`: one direct call
    each, with no ctypes objects per call; each out-parameter is written into row k of
    its array in `columns` (one array per parameter, or one (n, k) array for a struct)."""
    n = len(idx)
    out = [pointers(col.ctypes.data, col.strides[0], n) for col in columns]
    fn = function(name, restype, ctypes.c_void_p, ctypes.c_int, *[ctypes.c_void_p] * len(columns))
    return list(map(fn, itertools.repeat(handle(ctypes.cast(tp.raw, ctypes.c_void_p).value), n),
                    idx, *out))


_KEPT_BYTES = 4 << 20
_scratch = threading.local()  # (per thread: pdfium writes into it while the GIL is free)


def scratch(step: int, n: int) -> tuple[np.ndarray, list]:
    """A zeroed buffer of n rows of `step` bytes, kept for the next page (of this thread),
    and the out-pointers to its rows: a page's pointers are not made again for each page
    (making them is a sixth of a call's cost). The buffer is overwritten by the next
    call: copy what is kept."""
    held = getattr(_scratch, "held", None)
    if held is None:
        held = _scratch.held = {}
    key = (step, _ffi is not None)  # (each backend's own pointers)
    buf, rows = held.get(key, (None, None))
    if buf is None or len(buf) < n * step:
        size = max(n, 2 * (len(buf) // step if buf is not None else 0), 1024)
        buf = np.zeros(size * step, np.uint8)
        rows = pointers(buf.ctypes.data, step, size)
        if size * step <= _KEPT_BYTES:  # (a huge page's buffer is not kept)
            held[key] = (buf, rows)
    view = buf[:n * step]
    view[:] = 0
    return view, rows
