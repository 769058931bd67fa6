"""Header understanding: map a header cell's text to a canonical field.

The vocabulary of Thai header phrasings lives in `data/header_vocab.csv`. Matching is
done on the text with layout spaces, numbering like "(๑)" and section tags removed, so
a re-spaced, renumbered or reworded header still maps. rapidfuzz's default processor
strips Thai vowels and tone marks, so it is always called with `processor=None`.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz

from normalizers.text import clean_text

STATUS_FIELDS = ("status_not_started", "status_in_progress", "status_completed")
IGNORE = "ignore"  # a known column that is no measure field (budget, target, remarks, URL)
SECTION_RE = re.compile(r"(?<![A-Za-z])(IIT|EIT|OIT)(?![A-Za-z])")
_NOISE_RE = re.compile(r"[\s()\[\]{}.:*๐-๙0-9\-–—]+|ITA|IIT|EIT|OIT", re.IGNORECASE)
MIN_SCORE = 72.0
MAX_HEADER_CHARS = 70


@dataclass(frozen=True)
class HeaderMatch:
    field: str | None
    score: float
    section: str | None  # IIT/EIT/OIT named inside the header cell


@cache
def vocabulary() -> tuple[tuple[str, str], ...]:
    text = resources.files("extractor").joinpath("data/header_vocab.csv").read_text("utf-8")
    return tuple((row["field"], _key(row["phrase"])) for row in csv.DictReader(text.splitlines()))


def _key(text: str) -> str:
    return _NOISE_RE.sub("", text)


@cache
def match_header(text: str) -> HeaderMatch:
    """Best canonical field for one header cell.

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
    """
    cleaned = clean_text(text)
    section = SECTION_RE.search(cleaned)
    key = _key(cleaned)
    best: tuple[float, int, str | None] = (0.0, 0, None)
    # Header cells are short; a long cell that merely contains a header word is data.
    if key and len(key) <= MAX_HEADER_CHARS:
        for field, phrase in vocabulary():
            if not phrase:
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
    score, _, field = best
    if score < MIN_SCORE:
        field = None
    return HeaderMatch(field, round(score, 1), section.group(1) if section else None)
