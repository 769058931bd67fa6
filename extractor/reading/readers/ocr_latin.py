"""Latin words on a Thai scan, read again with tesseract's English model.

Pages are OCR'd with the Thai model alone: with tha+eng tesseract takes Thai
abbreviations for English ("ต.ค." comes out "AA.", "มี.ค." "fia.") and periods stop
parsing. Alone, the Thai model garbles the few Latin words a report has, and those
matter: the assessment tools (IIT, EIT, OIT) name sections, OIT item codes (O10) fill
`oit_items`. Such a word comes out as a short one with Latin digits or letters in it
("(ป1)", "(011)", "1โ1", "๐10"); each is cut out of the page and all are read in one
tesseract run (a list of crops, the English model, one line each). The English reading
is taken only when it is an acronym or code in capitals and digits, read with
confidence; otherwise the Thai reading stays.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from .positioned import Piece

_SUSPECT = re.compile(r"[0-9A-Za-z|]")
_ACRONYM = re.compile(r"\(?[A-Z][A-Za-z]?[A-Z0-9]{1,5}\)?[.,:]?")
MIN_CONFIDENCE = 50.0


def reread_latin(pieces: list[Piece], ink: np.ndarray, scale: float,
                 deadline: float) -> tuple[list[Piece], int]:
    """`pieces` (words, in points) with the Latin words Thai OCR garbled read again from
    the page's `ink` (a mask, pixels at `scale` per point); how many were replaced."""
    suspects = [k for k, p in enumerate(pieces)
                if len(p.text) <= 8 and _SUSPECT.search(p.text) and not _ACRONYM.fullmatch(p.text)]
    if not suspects or deadline - time.monotonic() < 2 or shutil.which("tesseract") is None:
        return pieces, 0
    from PIL import Image
    with tempfile.TemporaryDirectory(prefix="ita-latin-") as tmp:
        paths = []
        for n, k in enumerate(suspects):
            p = pieces[k]
            top, bottom = max(0, int(p.top * scale)), int(np.ceil(p.bottom * scale))
            x0, x1 = _word_span(ink[top:bottom], int(p.x0 * scale), int(np.ceil(p.x1 * scale)))
            # Black on white, twice the size: the English model reads capitals in a
            # sans-serif face ("II") better so, and the paper's noise is gone.
            word = np.where(ink[top:bottom, x0:x1], 0, 255).astype(np.uint8)
            img = Image.fromarray(np.pad(word, 10, constant_values=255))
            path = Path(tmp) / f"w{n}.pgm"
            img.resize((img.width * 2, img.height * 2), Image.LANCZOS).save(path)
            paths.append(str(path))
        listing = Path(tmp) / "list.txt"
        listing.write_text("\n".join(paths) + "\n", "utf-8")
        try:
            subprocess.run([shutil.which("tesseract") or "tesseract", str(listing),
                            str(Path(tmp) / "out"), "-l", "eng", "--psm", "7", "tsv"],
                           capture_output=True, timeout=max(deadline - time.monotonic(), 0.1),
                           env=dict(os.environ, OMP_THREAD_LIMIT="1"))
            rows = (Path(tmp) / "out.tsv").read_text("utf-8", "replace").splitlines()[1:]
        except (subprocess.TimeoutExpired, OSError):
            return pieces, 0
    read: dict[int, list[tuple[str, float]]] = {}
    for row in rows:
        f = row.split("\t")
        if len(f) >= 12 and f[0] == "5" and f[11].strip():
            read.setdefault(int(f[1]) - 1, []).append((f[11].strip(), float(f[10])))
    out = list(pieces)
    fixed = 0
    for n, k in enumerate(suspects):
        got = read.get(n)
        if not got or len(got) != 1:
            continue
        text, conf = got[0]
        m = _ACRONYM.search(text)  # a neighbour's sliver may add a letter either side
        if conf < MIN_CONFIDENCE or m is None or len(m.group()) < len(text) - 1:
            continue
        p = pieces[k]
        out[k] = Piece(m.group(), p.x0, p.top, p.x1, p.bottom, p.order)
        fixed += 1
    return out, fixed


def _word_span(band: np.ndarray, x0: int, x1: int) -> tuple[int, int]:
    """A word's columns in its line's ink: its box widened to the ink that runs on from
    it (tesseract's boxes for short words are often tight), up to a blank of two
    columns either side."""
    filled = band.any(axis=0)
    n = filled.size
    x0, x1 = max(0, min(x0, n - 1)), max(1, min(x1, n))
    while x0 > 0 and (filled[x0 - 1] or (x0 > 1 and filled[x0 - 2])):
        x0 -= 1
    while x1 < n and (filled[x1] or (x1 + 1 < n and filled[x1 + 1])):
        x1 += 1
    return x0, x1
