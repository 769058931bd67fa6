"""Header understanding: map a header cell's text to a canonical field.

The vocabulary of Thai header phrasings lives in `data/header_vocab.csv`. Matching is
done on the text with layout spaces, numbering like "(๑)" and section tags removed, so
a re-spaced, renumbered or reworded header still maps. rapidfuzz's default processor
strips Thai vowels and tone marks, so it is always called with `processor=None`.

Three tiers, surest first: the exact phrase; a known phrase making up most of the cell,
or a close fuzzy match; and — for OCR, which drops the marks above and below the line
("ตัวชี้วัด" → "ตวชวด") — the same consonant skeleton (marks stripped on both sides),
only for skeletons long enough that two different words rarely share one.

Besides the measure fields the vocabulary names columns that are kept but are no measure
field of their own: `issue` (the ITA-analysis issue a measure answers), `score`, `level`
and `tool` (what a score table holds), `oit` (OIT items cited), `item` (the name of the
OIT data item a row is about, "รายการข้อมูล"), `budget`, and `extra` (target, remarks,
evidence, URL…): their text goes to the measure's `extra` map.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz

from normalizers._regex import lazy_compile
from normalizers.text import clean_text

from extractor import data_file

STATUS_FIELDS = ("status_not_started", "status_in_progress", "status_completed")
EXTRA = "extra"  # a known column that is no measure field (target, remarks, URL…)
# Columns a score table or an announcement is made of: alone they make no measure table.
SCORE_FIELDS = ("score", "level", "tool")
# Columns only a table of measures has (besides its key column).
PLAN_FIELDS = frozenset({"method", "responsible", "period_text", "monitoring", "result",
                         "outcome", "recommendation", "status", *STATUS_FIELDS, "issue",
                         "budget", "oit", "item"})
# What makes an indicator-keyed table a table of measures rather than an analysis of
# scores: something is done about the indicator (a method, someone responsible, a period,
# a result, a status). An issue or OIT column alone only analyses the score.
ACTION_FIELDS = PLAN_FIELDS - {"issue", "budget", "oit", "item"}
SECTION_RE = lazy_compile(r"(?<![A-Za-z])(IIT|EIT|OIT)(?![A-Za-z])")
_NOISE_RE = lazy_compile(r"[\s()\[\]{}.:*๐-๙0-9\-–—]+|ITA|IIT|EIT|OIT", re.IGNORECASE)
# Thai vowels and tone marks above and below the line: what OCR drops first.
_UPPER_LOWER_RE = lazy_compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
MIN_SCORE = 72.0
MAX_HEADER_CHARS = 70
MIN_SKELETON = 5  # shorter skeletons ("ทบท", "ระดบ") are shared by too many words
SKELETON_SCORE = 75.0  # a skeleton match is a match, but a weaker one than any spelling


@dataclass(frozen=True)
class HeaderMatch:
    field: str | None
    score: float
    section: str | None  # IIT/EIT/OIT named inside the header cell


@cache
def vocabulary() -> tuple[tuple[str, str], ...]:
    text = data_file("header_vocab.csv").read_text("utf-8")
    return tuple((row["field"], _key(row["phrase"])) for row in csv.DictReader(text.splitlines()))


@cache
def _skeletons() -> dict[str, frozenset[str]]:
    """Consonant skeleton of each phrase → the fields it names."""
    out: dict[str, set[str]] = {}
    for field, phrase in vocabulary():
        out.setdefault(skeleton(phrase), set()).add(field)
    return {k: frozenset(v) for k, v in out.items()}


def _key(text: str) -> str:
    return _NOISE_RE.sub("", text)


def skeleton(text: str) -> str:
    """The text without vowels and tone marks above and below the line.

    >>> skeleton("ตัวชี้วัด"), skeleton("ขั้นตอน")
    ('ตวชวด', 'ขนตอน')
    """
    return _UPPER_LOWER_RE.sub("", text)


@cache
def match_header(text: str, exclude: frozenset[str] = frozenset()) -> HeaderMatch:
    """Best canonical field for one header cell (among fields not in `exclude`).

    >>> match_header("ขั้นตอน/วิธีปฏิบัติ").field
    'method'
    >>> match_header("(๓) แนวทางการกำกับติดตาม ให้นำไปสู่การปฏิบัติและ การรายงานผล").field
    'monitoring'
    >>> match_header("(๕) การรายงานผล ดำเนินการ").field
    'result'
    >>> m = match_header("มาตรการ/แนวทาง ยกระดับ IIT"); (m.field, m.section)
    ('measure', 'IIT')
    >>> match_header("ยังไม่ ดำเนินการ").field
    'status_not_started'
    >>> match_header("ลงชื่อ").field is None
    True
    >>> match_header("๑. สร้างความรู้ความเข้าใจเกี่ยวกับตัวชี้วัดตามแบบวัดการรับรู้ (IIT)").field is None
    True

    OCR that lost the marks above and below still maps, more weakly:

    >>> m = match_header("ตวชวด"); (m.field, m.score < 100)
    ('indicator', True)
    >>> match_header("ขนตอนหรอวธปฏบต").field
    'method'
    """
    cleaned = clean_text(text)
    section = SECTION_RE.search(cleaned)
    key = _key(cleaned)
    best: tuple[float, int, str | None] = (0.0, 0, None)
    # Header cells are short; a long cell that merely contains a header word is data.
    if key and len(key) <= MAX_HEADER_CHARS:
        for field, phrase in vocabulary():
            if not phrase or field in exclude:
                continue
            if phrase == key:
                score = 100.0
            elif len(phrase) >= 4 and phrase in key and len(phrase) >= 0.5 * len(key):
                # a known phrase inside a longer header: the longer the share, the surer
                score = 70.0 + 29.0 * len(phrase) / len(key)
            else:
                score = fuzz.ratio(key, phrase, processor=None)
                if min(len(key), len(phrase)) < 10:
                    score -= 10  # a slip in a short word is a different word ("ดำเนินการ")
            cand = (score, len(phrase), field)
            if cand[:2] > best[:2]:
                best = cand
        if best[0] < MIN_SCORE:
            skel = _skeleton_match(key)
            best = max(best, skel) if skel[2] not in exclude else best
    score, _, field = best
    if score < MIN_SCORE:
        field = None
    return HeaderMatch(field, round(score, 1), section.group(1) if section else None)


def _skeleton_match(key: str) -> tuple[float, int, str | None]:
    """The field whose phrase has this cell's consonant skeleton (one field only)."""
    sk = skeleton(key)
    if len(sk) < MIN_SKELETON:
        return (0.0, 0, None)
    fields = _skeletons().get(sk)
    if fields and len(fields) == 1:
        return (SKELETON_SCORE, len(sk), next(iter(fields)))
    best: tuple[float, int, str | None] = (0.0, 0, None)
    for psk, fields in _skeletons().items():
        if len(fields) != 1 or len(psk) < MIN_SKELETON + 2:
            continue
        if psk in sk and len(psk) >= 0.6 * len(sk):
            score = SKELETON_SCORE - 5 + 5 * len(psk) / len(sk)
        elif fuzz.ratio(sk, psk, processor=None) >= 90:
            score = SKELETON_SCORE - 3
        else:
            continue
        cand = (score, len(psk), next(iter(fields)))
        if cand[:2] > best[:2]:
            best = cand
    return best
