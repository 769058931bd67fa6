"""Key phrases put back where OCR dropped or swapped their marks.

Tesseract's Thai model drops tone marks and confuses the vowels above the line (ี ึ ื,
่ ้): "ประจำปีงบประมาณ" comes out "ประจำปึงบประมาณ", "องค์การบริหารส่วนตำบล" as
"องคการบริหารสวนตำบล", and the document fields that hang on those words (fiscal year,
agency type, report date) are lost. A text whose consonants and vowels on the line spell
one of a few key phrases (`data/ocr_phrases.csv`: labels of fields, agency types, column
headers, statuses) exactly, differing only in the marks above and below, gets the phrase
back. Only phrases of six or more letters on the line, and only where the skeleton
matches letter for letter: a different word never takes a phrase's place.
"""
from __future__ import annotations

import csv
import functools
import re
from importlib import resources

_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")  # above and below the line
MIN_LETTERS = 6


def skeleton(text: str) -> str:
    """The letters on the line, marks above and below dropped (ำ counts as า).

    >>> skeleton("ประจำปีงบประมาณ") == skeleton("ประจําปึงบประมาณ")
    True
    """
    return _MARKS.sub("", text.replace("\u0e33", "\u0e32").replace("\u0e4d\u0e32", "\u0e32"))


@functools.cache
def _phrases() -> list[tuple[str, str]]:
    text = resources.files("extractor").joinpath("data/ocr_phrases.csv").read_text("utf-8")
    rows = [r["phrase"] for r in csv.DictReader(text.splitlines())]
    out = [(skeleton(p), p) for p in rows if len(skeleton(p)) >= MIN_LETTERS]
    return sorted(out, key=lambda sp: -len(sp[0]))  # longest first: ประจำปีงบประมาณ before ปีงบประมาณ


def snap_phrases(text: str) -> tuple[str, int]:
    """`text` with key phrases whose marks OCR got wrong spelt right; how many.

    >>> snap_phrases("ประจําปึงบประมาณ พ.ศ. 2567")
    ('ประจำปีงบประมาณ พ.ศ. 2567', 1)
    >>> snap_phrases("องคการบริหารสวนตำบลราชาเทวะ")
    ('องค์การบริหารส่วนตำบลราชาเทวะ', 1)
    >>> snap_phrases("ปีงบประมาณ ๒๕๖๘")
    ('ปีงบประมาณ ๒๕๖๘', 0)
    >>> snap_phrases("ตัวชี้วัดที ่๑ การปฏิบัติหน้าที่")
    ('ตัวชี้วัดที่๑ การปฏิบัติหน้าที่', 1)
    """
    text = text.replace("\u0e4d\u0e32", "\u0e33")  # tesseract's ํ + า is ำ
    fixed = 0
    for skel, phrase in _phrases():
        pos = 0
        while True:
            keep = [k for k, ch in enumerate(text) if not _MARKS.match(ch)]
            flat = "".join(text[k] for k in keep).replace("\u0e33", "\u0e32")
            start = flat.find(skel, pos)
            if start < 0:
                break
            a, b = keep[start], keep[start + len(skel) - 1] + 1
            # The last letter's own marks, and marks OCR left after a space ("ที ่๑").
            while b < len(text) and (_MARKS.match(text[b]) or (
                    text[b] == " " and b + 1 < len(text) and _MARKS.match(text[b + 1]))):
                b += 1
            if text[a:b] != phrase:
                text = text[:a] + phrase + text[b:]
                fixed += 1
            pos = start + len(skel)  # the phrase has the same skeleton: positions hold
    return text, fixed
