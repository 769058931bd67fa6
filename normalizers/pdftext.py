"""Repair Thai text as PDF text layers carry it. (Whether a layer is beyond repair is
`extractor.reading.readers.text_layer.judge_text_layer`'s verdict.)

PDFs made by Word and older Thai fonts position tone marks and vowels with private-use
glyphs (a lowered mai ek for a consonant without an upper vowel, a left-shifted sara i
after ป ฝ ฟ, ญ/ฐ without their descender). Their ToUnicode maps point at those
glyphs' own code points: Windows fonts use U+F700–U+F71A, Mac fonts U+F884–U+F89E.
HarfBuzz's Thai fallback shaper defines which real character each one stands for; that
table is `data/thai_pua.csv`. The same shaper decomposes sara am into nikhahit + sara aa
and moves the nikhahit before a tone mark, so the text layer spells "น ํ ้ า"; some
extractors also put spaces inside ("ด  ำ") or a tone mark before the vowel it sits on.

All functions are pure; they never NFKC-normalise (that splits sara am).
"""

from __future__ import annotations

import functools

from ._data import read_csv
from ._regex import lazy_compile
from .text import fix_sara_am

_THAI_MARKS = "\u0e31\u0e33-\u0e3a\u0e47-\u0e4e"  # above/below vowels, sara am, tone marks, signs
_VOWELS_ON_BASE = "\u0e31\u0e34-\u0e3a\u0e47"  # vowels that sit on the consonant: before tones
_TONES = "\u0e48-\u0e4c"
_CID_RE = lazy_compile(r"\(cid:\d+\)")
# A tone mark typed or extracted before the vowel it sits on: vowel goes first.
_TONE_FIRST_RE = lazy_compile(f"([{_TONES}])([{_VOWELS_ON_BASE}])")
# Spaces that an extractor put between a letter and its mark (marks never start a word).
_SPACE_BEFORE_MARK_RE = lazy_compile(f"(?<=[\u0e01-\u0e2e{_THAI_MARKS}]) +(?=[{_THAI_MARKS}])")
# What every match of it holds, found fast: a pattern that starts with a literal is searched
# for that character first; one that starts with a look-behind is tried at every position.
_SPACE_MARK_RE = lazy_compile(f" [{_THAI_MARKS}]")
_PUA_RE = lazy_compile("[\ue000-\uf8ff]")


@functools.cache
def _pua_table() -> dict[int, str]:
    return {int(r["pua"], 16): chr(int(r["char"], 16)) for r in read_csv("thai_pua.csv")}


def map_pua(text: str) -> str:
    """Private-use Thai glyph code points → the characters they draw.

    >>> map_pua("ผู\\uf70b")  # Windows lowered mai tho
    'ผู้'
    >>> map_pua("\\uf700าน \\uf89a")  # tho than / yo ying without descender (Windows, Mac)
    'ฐาน ญ'
    >>> map_pua("ป\\uf701ด")  # sara i shifted left after ป
    'ปิด'
    >>> map_pua("ไม่มี")
    'ไม่มี'
    """
    if not _PUA_RE.search(text):
        return text
    return text.translate(_pua_table())


def repair_sara_am(text: str) -> str:
    """Nikhahit (+ tone mark) + sara aa, with stray spaces, → (tone mark +) sara am.

    >>> repair_sara_am("ดําเนินการ") == "ดำเนินการ"
    True
    >>> repair_sara_am("น\\u0e4d\\u0e49\\u0e32") == "น\\u0e49\\u0e33"
    True
    >>> repair_sara_am("ด  ำเนินการ") == "ดำเนินการ"
    True
    >>> repair_sara_am("ด \\u0e4d \\u0e32เนิน") == "ดำเนิน"
    True
    """
    text = fix_sara_am(text)
    if _SPACE_MARK_RE.search(text):
        text = _SPACE_BEFORE_MARK_RE.sub("", text)
    return text


def reorder_marks(text: str) -> str:
    """Put an upper/lower vowel before the tone mark stacked on it (logical order).

    >>> reorder_marks("ที\\u0e48") == "ที่", reorder_marks("ท\\u0e48\\u0e35") == "ที่"
    (True, True)
    >>> reorder_marks("ผ\\u0e49\\u0e39") == "ผู้"
    True
    """
    # (a search first: a substitution with a template costs three times a search that
    # finds nothing, and most texts have nothing to reorder)
    return _TONE_FIRST_RE.sub(r"\2\1", text) if _TONE_FIRST_RE.search(text) else text


def strip_cid(text: str) -> str:
    """Drop pdfminer's "(cid:N)" placeholders for glyphs it could not map.

    >>> strip_cid("ก(cid:12)ข (cid:7)")
    'กข '
    """
    return _CID_RE.sub("", text) if "(cid:" in text else text


def repair_pdf_text(text: str) -> str:
    """Everything above, in the order that works: PUA, placeholders, sara am, mark order.

    >>> repair_pdf_text("ผ\\uf70bู") == "ผู้"  # lowered mai tho, extracted before sara uu
    True
    >>> repair_pdf_text("ก\\u0e4d\\uf70b\\u0e32ลัง(cid:3)") == "ก้ำลัง"
    True
    """
    text = map_pua(text)
    text = strip_cid(text)
    text = repair_sara_am(text)
    return reorder_marks(text)


# --- OCR digits ---------------------------------------------------------------

_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_YEAR_RE = lazy_compile(r"(?<![0-9๐-๙])([2๒][5๕][0-9๐-๙]{2,3})(?![0-9๐-๙])")
_SHORT_YEAR_RE = lazy_compile(r"([ก-ฮ][ะ-ู็-๎]?\.[ก-ฮ][ะ-ู็-๎]?\.\s*)([0-9๐-๙]{2,3})(?![0-9๐-๙])")  # ต.ค.๖๖


def _decodings(digits: str, n: int) -> set[str]:
    """Ways to read `digits` as `n` digits when ๖ may have come out as ๒, ๐ or ๒๐
    (tesseract's Thai model and the TH Sarabun family of fonts)."""
    if not digits:
        return {""} if n == 0 else set()
    if n == 0:
        return set()
    out = {digits[0] + rest for rest in _decodings(digits[1:], n - 1)}
    if digits[0] in "20":
        out |= {"6" + rest for rest in _decodings(digits[1:], n - 1)}
    if digits.startswith("20"):
        out |= {"6" + rest for rest in _decodings(digits[2:], n - 1)}
    return out


def repair_ocr_years(text: str, known: frozenset[int] | set[int]) -> tuple[str, list[str]]:
    """Buddhist-era years that OCR misread (๒๕๖๖ → ๒๕๒๒๐), put back when exactly one
    reading that swaps a misread ๖ back is a year the document states elsewhere (or the
    year before or after one). Returns the text and a note per change; digits stay in
    the script they were printed in. Years that are plausible as read are left alone.

    >>> repair_ocr_years("ตุลาคม ๒๕๐๕ - เมษายน ๒๕๒๒๐", {2565, 2566})
    ('ตุลาคม ๒๕๖๕ - เมษายน ๒๕๖๖', ['OCR year ๒๕๐๕ read as ๒๕๖๕', 'OCR year ๒๕๒๒๐ read as ๒๕๖๖'])
    >>> repair_ocr_years("ต.ค.๒๕ - มี.ค.๒๒๐", {2565, 2566})[0]
    'ต.ค.๖๕ - มี.ค.๖๖'
    >>> repair_ocr_years("ปี 2522 และ ๒๕๖๒", {2566})[0]  # 2522: 2526, 2562, 2566 → only 2566 known
    'ปี 2566 และ ๒๕๖๒'
    >>> repair_ocr_years("ปี ๒๕๒๒", set())
    ('ปี ๒๕๒๒', [])
    """
    if not known:
        return text, []
    near = {y + d for y in known for d in (-1, 0, 1)}  # a report spans two years at most
    notes: list[str] = []

    def fix(raw: str, width: int, ok) -> str:
        arabic = raw.translate(_TO_ARABIC)
        full = int(arabic) + (2500 if width == 2 else 0)
        if len(arabic) == width and 2540 <= full <= 2580:
            return raw  # plausible as read: keep what is printed
        cands = {c for c in _decodings(arabic, width) if ok(int(c))}
        if len(cands) != 1:
            return raw
        new = cands.pop()
        if raw[0] in "๐๑๒๓๔๕๖๗๘๙":
            new = new.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
        notes.append(f"OCR year {raw} read as {new}")
        return new

    text = _YEAR_RE.sub(lambda m: fix(m.group(1), 4, lambda y: y in near), text)
    text = _SHORT_YEAR_RE.sub(
        lambda m: m.group(1) + fix(m.group(2), 2, lambda y: 2500 + y in near), text)
    return text, notes


def plausible_years(text: str, decode: bool = False) -> set[int]:
    """Buddhist-era years 2540–2580 written in full in `text`; with `decode`, also the
    years that a misread token can only be (๒๕๐๕ → 2565: 2505 is no report's year).

    >>> sorted(plausible_years("ปี ๒๕๖๖ และ 2565, ๒๕๒๒๐")), sorted(plausible_years("๒๕๐๕", True))
    ([2565, 2566], [2565])
    """
    years = set()
    for m in _YEAR_RE.finditer(text):
        a = m.group(1).translate(_TO_ARABIC)
        if len(a) == 4 and 2540 <= int(a) <= 2580:
            years.add(int(a))
        elif decode:
            cands = {int(c) for c in _decodings(a, 4) if 2540 <= int(c) <= 2580}
            if len(cands) == 1:
                years |= cands
    return years
