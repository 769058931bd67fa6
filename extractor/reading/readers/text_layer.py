"""The verdict on a PDF page's text layer: read it, or send the page to OCR — and why.

A layer is judged by what is left after reading repaired what it can (`glyphs.py`:
flagged glyphs resolved through the embedded font or trusted as valid code points,
cluster copies dropped, private-use glyphs mapped, marks put on their letters), not by
how many glyphs pdfium flagged: tesseract's GlyphLessFont layer (ocrmypdf) has every
glyph flagged and every code point right, and must not be OCR'd again.

Broken is: letters nobody could map (U+FFFD), private-use or control characters left,
Thai set in a legacy 8-bit font and read as Latin-1 ("ÃÒÂ§Ò¹"), Latin-1 letters inside
Thai words, marks with no letter under them, "consonant + space + า" (a sara am drawn as
two glyphs whose first one was lost), and a long Thai text with no sara am at all whose
words turn into dictionary words when า is read as ำ ("ดาเนิน", "ประจาปี": the ำ glyph
mapped to า). `judge_text_layer` is the one place this is decided; the OCR routing
(`pdf.py`) calls it for every page.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

_THAI_LETTER = re.compile("[\u0e01-\u0e2e]")
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
_ORPHAN_MARK = re.compile(f"(?:^|(?<=[^\u0e01-\u0e2e\u0e30-\u0e4e]))[{_MARKS}]")
_LATIN1_IN_THAI = re.compile("(?<=[\u0e01-\u0e4e])[\u00c0-\u00ff]|[\u00c0-\u00ff](?=[\u0e01-\u0e4e])")
_SPACE_AA = re.compile("[\u0e01-\u0e2e][\u0e48-\u0e4b]? \u0e32")
_THAI_RUN = re.compile("[\u0e01-\u0e4e]{4,}")
_PUA = re.compile("[\ue000-\uf8ff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_LATIN1 = re.compile("[\u00c0-\u00ff]")


@dataclass(frozen=True)
class Verdict:
    """`ok`: read the text layer; else OCR the page. `reason` says why, for
    `reports.page_sources`; `repairs` lists what reading repaired (for a note)."""

    ok: bool
    reason: str
    repairs: tuple[str, ...] = ()


def judge_text_layer(text: str, stats=None) -> Verdict:
    """Judge a page's text as read (stream order; `stats` is the reader's `LayerStats`).

    >>> judge_text_layer("รายงานผลการดำเนินการ ประจำปีงบประมาณ พ.ศ. ๒๕๖๖").ok
    True
    >>> judge_text_layer("").reason
    'no text layer'
    >>> judge_text_layer("ÃÒÂ§Ò¹¼Å¡ÒÃ´Óà¹Ô¹¡ÒÃ »ÃÐ¨Ó»Õ§º»ÃÐÁÒ³").reason
    'Thai in a legacy 8-bit font, read as Latin-1 letters'
    >>> judge_text_layer("เทศบาลต\\ufffdาบล อ\\ufffdาเภอ ด\\ufffdาเนินการ").ok
    False
    >>> judge_text_layer(" ่ ้ ิ ี ุ ่ ้ ิ ี ุ ก").reason
    'Thai marks with no letter under them'
    """
    if not text.strip():  # (whitespace only: what str.split takes away)
        return Verdict(False, "no text layer")
    repairs = _repairs(stats)
    if stats is not None and not stats.suspicious:
        # every code point on the page is one a report prints as it is: no U+FFFD,
        # private-use, control or Latin-1 character to count
        return _judge_thai(text, text, repairs)
    s = "".join(text.split())
    n = len(s)
    fffd = s.count("\ufffd")
    if fffd >= max(3, n // 50):
        missing = sorted(getattr(stats, "unknown_fonts", ()) or ())
        why = (f" (font {', '.join(missing)}: no ToUnicode, and not installed here to name its "
               "glyphs by their outlines — see ITA_FONT_DIRS)") if missing else ""
        return Verdict(False, f"{fffd} of {n} glyphs have no Unicode mapping the font resolves"
                       + why, repairs)
    pua = len(_PUA.findall(s))
    if pua >= max(3, n // 50):
        return Verdict(False, f"{pua} private-use glyphs no table maps", repairs)
    control = len(_CONTROL.findall(s))
    if control >= max(3, n // 50):
        return Verdict(False, f"{control} control characters in the text", repairs)
    thai = len(_THAI_LETTER.findall(s))
    latin1 = len(_LATIN1.findall(s))
    if latin1 >= 10 and latin1 > thai:
        return Verdict(False, "Thai in a legacy 8-bit font, read as Latin-1 letters", repairs)
    inside = len(_LATIN1_IN_THAI.findall(text))
    if inside >= 3:
        return Verdict(False, f"{inside} Latin-1 letters inside Thai words", repairs)
    return _judge_thai(text, s, repairs, thai)


def _judge_thai(text: str, s: str, repairs: tuple[str, ...], thai: int | None = None) -> Verdict:
    """The checks of Thai itself: marks with no letter, split sara am, lost sara am.
    (`s`: the text, its whitespace taken out or not: only ำ and ํ are looked for in it.)"""
    thai, marks, orphans, split = _thai_counts(text)
    if marks >= 5 and orphans * 4 >= marks:
        return Verdict(False, "Thai marks with no letter under them", repairs)
    if split >= 3 and split * 100 >= thai:
        return Verdict(False, f"{split} words split as consonant + space + า (sara am lost)", repairs)
    if thai >= 300 and "\u0e33" not in s and "\u0e4d" not in s:
        lost = _lost_sara_am(text)
        if lost:
            return Verdict(False, f"no sara am in {thai} Thai letters; {', '.join(lost[:3])} "
                           "read as words with ำ (the ำ glyph is mapped to า)", repairs)
    return Verdict(True, "text layer read" + (f" ({'; '.join(repairs)})" if repairs else ""),
                   repairs)


def _thai_counts(text: str) -> tuple[int, int, int, int]:
    """Thai letters, marks, orphan marks (`_ORPHAN_MARK`) and split sara am
    (`_SPACE_AA`) in `text`, counted over its code points as arrays: every page is
    judged, and the regexes' match lists cost more than the counts.

    >>> _thai_counts("ก่ ้า ข า ค่ า"), _thai_counts(" ่ก")
    ((3, 3, 1, 2), (1, 1, 1, 0))
    """
    c = np.frombuffer(text.encode("utf-32-le"), np.uint32)
    if len(c) == 0:
        return 0, 0, 0, 0
    letter = (c >= 0x0E01) & (c <= 0x0E2E)
    mark = (c == 0x0E31) | ((c >= 0x0E34) & (c <= 0x0E3A)) | ((c >= 0x0E47) & (c <= 0x0E4E))
    thai_or_mark = letter | ((c >= 0x0E30) & (c <= 0x0E4E))
    orphan = mark.copy()  # at the start, or after anything but a letter or a vowel/mark
    orphan[1:] &= ~thai_or_mark[:-1]
    # " า" after a consonant, or after a consonant and its tone mark
    tone = (c >= 0x0E48) & (c <= 0x0E4B)
    pair = np.zeros(len(c), bool)
    pair[1:-1] = (c[1:-1] == 0x20) & (c[2:] == 0x0E32)
    split = pair.copy()
    split[0] = False
    split[1:] &= letter[:-1]
    split[2:] |= pair[2:] & tone[1:-1] & letter[:-2]
    return int(letter.sum()), int(mark.sum()), int(orphan.sum()), int(split.sum())


def _repairs(stats) -> tuple[str, ...]:
    if stats is None:
        return ()
    out = []
    if stats.invisible:
        out.append("an OCR text layer (invisible text): read as OCR words")
    if stats.resolved:
        out.append(f"{stats.resolved} unmapped glyphs resolved through the embedded font")
    if stats.recoded:
        out.append(f"{stats.recoded} codes of a font without ToUnicode read as its glyphs "
                   "(named through the installed font)")
    if stats.trusted:
        out.append(f"{stats.trusted} unmapped glyphs taken at their code points")
    if stats.dropped_marks:
        out.append(f"{stats.dropped_marks} unresolved marks left out")
    if stats.remapped:
        out.append(f"{stats.remapped} characters read from their glyph's shape, not the "
                   "text layer's mapping")
    if stats.duplicates:
        out.append(f"{stats.duplicates} repeated cluster characters dropped")
    return tuple(out)


@functools.cache
def _words() -> frozenset[str]:
    from pythainlp.corpus import thai_words
    return frozenset(thai_words())


def _lost_sara_am(text: str, enough: int = 3) -> list[str]:
    """Thai runs that read better with ำ for one of their า ("ดาเนินการ" → "ดำเนินการ":
    fewer words, none unknown): evidence that the layer maps the ำ glyph to า."""
    from pythainlp.tokenize import word_tokenize

    words = _words()

    def cost(run: str) -> tuple[int, int]:
        toks = word_tokenize(run, engine="newmm", keep_whitespace=False)
        return sum(t not in words for t in toks), len(toks)

    found: list[str] = []
    for run in list(dict.fromkeys(_THAI_RUN.findall(text)))[:60]:
        unknown, count = cost(run)
        for k, ch in enumerate(run):
            if ch != "\u0e32" or not k or not _THAI_LETTER.match(run[k - 1]):
                continue
            u2, c2 = cost(run[:k] + "\u0e33" + run[k + 1:])
            if u2 <= unknown and c2 < count:
                found.append(run[max(0, k - 6):k + 6])
                break
        if len(found) >= enough:
            return found
    return []
