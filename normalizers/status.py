"""Measure status: status column headers, tick marks, and inline checkbox groups.

Status phrases live in ``data/status_phrases.csv``. Inputs are expected to have
been through ``text.strip_markup`` (checked inputs → ☑, unchecked → ☐).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from normalizers._data import read_csv
from normalizers._regex import lazy_compile

STATUSES = ("completed", "in_progress", "not_started")

# "ยังไม่ดำเนินการ" contains "ดำเนินการ"; negative statuses are tried first.
_PRIORITY = ("not_started", "in_progress", "completed")
_WS_RE = lazy_compile(r"\s+")
_BRACKETED_RE = lazy_compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NON_LETTER_RE = lazy_compile(r"[^\u0e01-\u0e4e]+")
_TO_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@functools.cache
def _phrases() -> tuple[tuple[str, str], ...]:
    rows = [(r["status"], _WS_RE.sub("", r["phrase"])) for r in read_csv("status_phrases.csv")]
    rows.sort(key=lambda r: (_PRIORITY.index(r[0]), -len(r[1])))
    return tuple(rows)


def _match_phrase(compact: str) -> tuple[str, str] | None:
    for status, phrase in _phrases():
        at = compact.find(phrase)
        if at < 0:
            continue
        if status == "completed" and compact[max(0, at - 3) : at].endswith("ไม่"):
            return None  # "ยังไม่แล้วเสร็จ": negated, and not a phrase we know
        return status, phrase
    return None


def status_from_label(text: str) -> str | None:
    """Classify a short status phrase (header cell, checkbox label), or None.

    Spaces and letter-spacing are ignored; bracketed notes are dropped; the
    phrase must make up at least half of the label, so a long sentence that
    merely mentions ดำเนินการแล้ว is not a status.

    >>> status_from_label("ยังไม่ ดำเนินการ"), status_from_label("อยู่ระหว่าง ดำเนินการ")
    ('not_started', 'in_progress')
    >>> status_from_label("ดำเนินการเสร็จ เรียบร้อยแล้ว"), status_from_label("ด ำ เ นิ น ก า ร แ ล้ ว")
    ('completed', 'completed')
    >>> status_from_label("สถานะดำเนินงาน") is None, status_from_label("ดำเนินการ") is None
    (True, True)
    """
    compact = _NON_LETTER_RE.sub("", _BRACKETED_RE.sub("", _WS_RE.sub("", text)))
    if not compact:
        return None
    found = _match_phrase(compact)
    if found is None or 2 * len(found[1]) < len(compact):
        return None
    return found[0]


def status_from_fragment(text: str) -> str | None:
    """The status a short sub-header names when it is only part of a phrase ("ยังไม่",
    "อยู่ระหว่าง", "แล้ว" under a group header "สถานะ"): the one status whose phrases
    contain it, else None.

    >>> status_from_fragment("ยังไม่"), status_from_fragment("อยู่ระหว่าง"), status_from_fragment("แล้ว")
    ('not_started', 'in_progress', 'completed')
    >>> status_from_fragment("ดำเนินการ") is None, status_from_fragment("ก") is None
    (True, True)
    """
    compact = _NON_LETTER_RE.sub("", _WS_RE.sub("", text))
    if len(compact) < 3:
        return None
    found = {status for status, phrase in _phrases() if compact in phrase}
    return found.pop() if len(found) == 1 else None


def status_cell(text: str) -> str | None:
    """The status a status-column cell states: its leading phrase, whatever reason
    follows ("ยังไม่ได้ดำเนินการ เนื่องจากรอจัดสรรงบประมาณ").

    >>> status_cell("ยังไม่ได้ดำเนินการ เนื่องจากรอจัดสรรงบประมาณ")
    'not_started'
    >>> status_cell("ดำเนินการแล้วบางส่วน"), status_cell("เสร็จแล้ว")
    ('in_progress', 'completed')
    >>> status_cell("รอประชุมคณะกรรมการ") is None
    True

    A percentage states how much is done; checkboxes say which phrase is meant:

    >>> status_cell("ร้อยละ ๕๐"), status_cell("100%")
    ('in_progress', 'completed')
    >>> status_cell("☐ ดำเนินการแล้ว ☑ อยู่ระหว่างดำเนินการ ☐ ยังไม่ดำเนินการ")
    'in_progress'
    """
    lead = _PERCENT_LEAD_RE.match(text)  # "ร้อยละ 100 (แล้วเสร็จ)": the share decides
    share = percent_done(lead.group(0)) if lead else None
    if share is not None:
        return status_from_percent(share)
    if _HAS_BOX_RE.search(text):
        inline = split_inline_status(text)
        if inline.status or inline.ambiguous:
            return inline.status
    label = status_from_label(text)
    compact = _NON_LETTER_RE.sub("", _BRACKETED_RE.sub("", _WS_RE.sub("", text)))
    if label is None:
        for status, phrase in _phrases():
            if compact.startswith(phrase):
                label = status
                break
    if label == "completed" and _PARTLY in compact:
        return "in_progress"
    return label


_PARTLY = "บางส่วน"  # "ดำเนินการแล้วบางส่วน": begun, not done

# "ร้อยละ ๕๐", "100%", "100 %", "ร้อยละ 100.00": a share of the work done.
_PERCENT_RE = lazy_compile(r"^\s*(?:ร้อยละ\s*)?(?P<v>[0-9๐-๙]{1,3}(?:\.[0-9๐-๙]+)?)\s*(?:%|เปอร์เซ็นต์)?\s*$")
_PERCENT_WORD_RE = lazy_compile(r"ร้อยละ|%|เปอร์เซ็นต์")
_PERCENT_LEAD_RE = lazy_compile(r"^\s*(?:ร้อยละ\s*[0-9๐-๙.]+\s*(?:%|เปอร์เซ็นต์)?|[0-9๐-๙.]+\s*(?:%|เปอร์เซ็นต์))(?![0-9๐-๙])")


def percent_done(text: str, bare: bool = False) -> float | None:
    """The share done a cell states ("ร้อยละ ๕๐", "100%"), 0–100, else None. With
    ``bare`` (the column's header says it holds percentages) a plain number counts too.

    >>> percent_done("ร้อยละ ๕๐"), percent_done("100%"), percent_done("๘๐", bare=True)
    (50.0, 100.0, 80.0)
    >>> percent_done("80") is None, percent_done("ร้อยละ 150") is None, percent_done("ร้อยละของงาน") is None
    (True, True, True)
    """
    m = _PERCENT_RE.match(text)
    if not m or not (bare or _PERCENT_WORD_RE.search(text)):
        return None
    value = float(m.group("v").translate(_TO_ARABIC))
    return value if 0 <= value <= 100 else None


_PERCENT_IN_RE = lazy_compile(r"ร้อยละ\s*(?P<a>[0-9๐-๙]{1,3}(?:\.[0-9๐-๙]+)?)(?![0-9๐-๙])"
                              r"|(?<![0-9๐-๙.])(?P<b>[0-9๐-๙]{1,3}(?:\.[0-9๐-๙]+)?)\s*(?:%|เปอร์เซ็นต์)")


def status_of_cell(text: str, bare: bool = False) -> str | None:
    """The status a status cell states: a percentage alone ("ร้อยละ ๖๐"), else its status
    phrase — where a share below 100 printed beside "done" words wins, since "ดำเนินการแล้ว
    ร้อยละ 60" says the work is under way, not finished.

    >>> status_of_cell("ร้อยละ ๖๐"), status_of_cell("ดำเนินการแล้ว ร้อยละ 60")
    ('in_progress', 'in_progress')
    >>> status_of_cell("ดำเนินการแล้วเสร็จ (100%)"), status_of_cell("ยังไม่ดำเนินการ")
    ('completed', 'not_started')
    """
    share = percent_done(text, bare=bare)
    if share is not None:
        return status_from_percent(share)
    label = status_cell(text)
    if label == "completed":
        shares = [float((m.group("a") or m.group("b")).translate(_TO_ARABIC))
                  for m in _PERCENT_IN_RE.finditer(text)]
        shares = [s for s in shares if 0 <= s <= 100]
        if shares and max(shares) < 100:
            return status_from_percent(max(shares))
    return label


def is_percentage(text: str) -> bool:
    """Whether a cell is a percentage and nothing else.

    >>> is_percentage("ร้อยละ 100"), is_percentage("0%"), is_percentage("100 คน")
    (True, True, False)
    """
    return percent_done(text) is not None


def status_from_percent(value: float) -> str:
    """100 → completed, 0 → not_started, anything between → in_progress.

    >>> status_from_percent(100.0), status_from_percent(0.0), status_from_percent(35.5)
    ('completed', 'not_started', 'in_progress')
    """
    if value >= 100:
        return "completed"
    return "not_started" if value <= 0 else "in_progress"
# ü is how OCR reads the Wingdings tick; a filled bullet is how some forms mark a box.
_CHECK_CHARS = "✓✔☑☒✗✘■⊠√✅ü●"
_EMPTY_CELLS = frozenset({"", "-", "–", "—", "☐", "□", "[]", "[ ]", "()"})
_MARK_TOKEN_RE = lazy_compile(r"(?:/|[xX]|\[\s*[xX/✓✔]\s*\]|\(\s*[xX/✓✔]\s*\))(?=\s|\(|$)")


def is_marked(cell: str) -> bool:
    """Whether a status-column cell carries a tick (the text after it is a note).

    >>> is_marked("✓ (ตรวจสอบได้จากเว็บไซต์ของหน่วยงาน)"), is_marked("☑"), is_marked("X")
    (True, True, True)
    >>> is_marked("-"), is_marked("☐"), is_marked(""), is_marked("ตามแผน/ระเบียบ")
    (False, False, False, False)
    """
    s = cell.strip()
    if s in _EMPTY_CELLS:
        return False
    if any(ch in s for ch in _CHECK_CHARS):
        return True
    # "/" or "x" counts only as the cell's first token: "ก่อน/ขณะ" is text.
    return bool(_MARK_TOKEN_RE.match(s))


@dataclass(frozen=True)
class InlineStatus:
    """Status read from checkbox groups inside a cell, and the cell without them."""

    status: str | None
    text: str
    ambiguous: bool


_ON = r"[☑☒✓✔■⊠√✅]|\[\s*[xX✓✔/]\s*\]|\(\s*[xX✓✔/]\s*\)"
_OFF = r"[☐□]|\[\s*\]|\(\s*\)"
_HAS_BOX_RE = lazy_compile(f"{_ON}|{_OFF}")


@functools.cache
def _group_re() -> tuple[re.Pattern[str], dict[str, str]]:
    by_phrase = {phrase: status for status, phrase in _phrases()}
    # Longest phrase first so "ดำเนินการแล้วเสร็จ" beats "ดำเนินการแล้ว";
    # \s* between letters tolerates letter-spacing.
    alts = sorted(by_phrase, key=len, reverse=True)
    label = "|".join(r"\s*".join(re.escape(ch) for ch in p) for p in alts)
    pattern = re.compile(f"(?:(?P<on>{_ON})|(?P<off>{_OFF}))\\s*(?P<label>{label})")
    return pattern, by_phrase


def split_inline_status(text: str) -> InlineStatus:
    """Pull "☑ ดำเนินการแล้ว ☐ ยังไม่ได้ดำเนินการ …" groups out of a cell.

    One status checked → that status; none → None; several different ones →
    None and ``ambiguous``. Only groups whose label is a status phrase go.

    >>> r = split_inline_status("มีผังขั้นตอน แสดง ณ จุดให้บริการ ☑ ดำเนินการแล้วเสร็จ ☐ ยังไม่ได้ดำเนินการ ☐ อยู่ระหว่างดำเนินการ")
    >>> r.status, r.text, r.ambiguous
    ('completed', 'มีผังขั้นตอน แสดง ณ จุดให้บริการ', False)
    >>> split_inline_status("[x] ดำเนินการแล้ว [x] ยังไม่ดำเนินการ")
    InlineStatus(status=None, text='', ambiguous=True)
    >>> split_inline_status("☑ ตรวจสอบแล้ว")
    InlineStatus(status=None, text='☑ ตรวจสอบแล้ว', ambiguous=False)
    """
    if not _HAS_BOX_RE.search(text):
        return InlineStatus(None, text, False)
    pattern, by_phrase = _group_re()
    checked: set[str] = set()
    pieces: list[str] = []
    last = 0
    found = False
    for m in pattern.finditer(text):
        found = True
        pieces.append(text[last : m.start()])
        last = m.end()
        if m.group("on"):
            checked.add(by_phrase[_WS_RE.sub("", m.group("label"))])
    if not found:
        return InlineStatus(None, text, False)
    pieces.append(text[last:])
    rest = _WS_RE.sub(" ", " ".join(pieces)).strip()
    if len(checked) == 1:
        return InlineStatus(next(iter(checked)), rest, False)
    return InlineStatus(None, rest, len(checked) > 1)
