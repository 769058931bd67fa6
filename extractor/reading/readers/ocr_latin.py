"""Words read in the wrong script, read again in the other one.

Thai reports carry a few Latin words that matter — the assessment tools (IIT, EIT, OIT)
name sections, OIT item codes (O10) fill `oit_items` — and many Thai abbreviations that
matter too (months: "ต.ค.", "มี.ค."). Tesseract with tha+eng reads the Latin words right
but takes short Thai abbreviations for English ("ต.ค." comes out "AA.", "มี.ค." "fia.",
"๖๘" "be"); with tha alone it reads Thai right and garbles the Latin ("(IIT)" as "(ป1)").
So the words the page's model is known to get wrong are cut out and read again with the
other model, all in one tesseract run (a list of crops, one line each):

- after tha+eng: abbreviation-shaped Latin ("AA.", "A.W.", "fia.", short lowercase
  words) read with tha, taken when that reading is Thai;
- after tha alone: short words with Latin letters or digits read with eng, taken when
  that reading is an acronym or code in capitals and digits.

Otherwise the first reading stays.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from .positioned import Piece
from .tesseract_crops import read_crops

_SUSPECT = re.compile(r"[0-9A-Za-z|]")
_ACRONYM = re.compile(r"\(?[A-Z][A-Za-z]?[A-Z0-9]{1,5}\)?[.,:]?")
# Latin that is a Thai abbreviation or short word misread: letters and dots ("A.W.",
# "fia."), or two or three lowercase letters alone ("be", "ow").
_THAI_IN_LATIN = re.compile(r"(?:^|[^A-Za-z])(?:[A-Za-z]{1,3}\.(?:[A-Za-z]{1,3}\.?)?|[a-z]{2,3})(?:$|[^A-Za-z])")
_THAI = re.compile("[\u0e01-\u0e4e\u0e50-\u0e59]")
_LATIN_LETTER = re.compile("[A-Za-z]")
_THAI_LETTER = re.compile("[\u0e01-\u0e2e]")
MIN_CONFIDENCE = 50.0


def reread_latin(pieces: list[Piece], ink: np.ndarray, scale: float,
                 deadline: float, main: str = "tha") -> tuple[list[Piece], int]:
    """`pieces` (words, in points, as the `main` model read them) with the words that
    model gets wrong read again with the other from the page's `ink` (a mask, pixels at
    `scale` per point); how many were replaced."""
    fixed = 0
    if main != "tha":  # tha+eng: Thai abbreviations it took for English
        suspects = [k for k, p in enumerate(pieces) if len(p.text) <= 16
                    and _THAI_IN_LATIN.search(p.text) and not _ACRONYM.fullmatch(p.text)]
        pieces, n = _reread(pieces, suspects, ink, scale, deadline, "tha")
        fixed += n
    # Latin words it took for Thai: "(ป1)", "๐ทั" (OIT) — digits and letters in one short word.
    suspects = [k for k, p in enumerate(pieces) if _LATIN_IN_THAI(p.text, main)]
    pieces, n = _reread(pieces, suspects, ink, scale, deadline, "eng")
    return pieces, fixed + n


def _LATIN_IN_THAI(text: str, main: str) -> bool:
    if len(text) > 8 or _ACRONYM.fullmatch(text):
        return False
    if main == "tha":
        return bool(_SUSPECT.search(text))
    has_digit = any(c.isdigit() for c in text)
    has_letter = bool(_THAI_LETTER.search(text) or _LATIN_LETTER.search(text))
    return (has_digit and has_letter) or bool(set(text) & set("|!"))


def _reread(pieces: list[Piece], suspects: list[int], ink: np.ndarray, scale: float,
            deadline: float, lang: str) -> tuple[list[Piece], int]:
    """The `suspects` among `pieces` read again with tesseract's `lang` model."""
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
        rows = read_crops(paths, Path(tmp), lang, "7", deadline)
        if rows is None:
            return pieces, 0
    read: dict[int, list[tuple[str, float]]] = {}
    for f in rows:
        read.setdefault(int(f[1]) - 1, []).append((f[11].strip(), float(f[10])))
    out = list(pieces)
    fixed = 0
    for n, k in enumerate(suspects):
        got = read.get(n)
        if not got:
            continue
        p = pieces[k]
        if lang == "tha":  # Thai words come as many "words": all of them, Thai only
            text = "".join(t for t, _ in got)
            if not _THAI.search(text) or _LATIN_LETTER.search(text):
                continue
        else:
            if len(got) != 1:
                continue
            text, conf = got[0]
            m = _ACRONYM.search(text)  # a neighbour's sliver may add a letter either side
            if conf < MIN_CONFIDENCE or m is None or len(m.group()) < len(text) - 1:
                continue
            text = m.group()
        out[k] = Piece(text, p.x0, p.top, p.x1, p.bottom, p.order)
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
