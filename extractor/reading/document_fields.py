"""Document-level fields read from the paragraph lines of a report: fiscal year,
reporting round, report date, a quoted ITA score, and the reporting agency."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

from normalizers._regex import lazy_compile
from normalizers.digits import thai_to_arabic
from normalizers.periods import fiscal_year_of, parse_thai_date
from normalizers.plausible import plausible_fiscal_year, repair_fiscal_year

from normalizers.agency import (AgencyMention, AgencyResolution, leading_province, parse_address,
                                parse_agency_mentions, resolve_agency)

from extractor.model import Document, Line, Measure, PriorScore, Table
from .layout import read_layout

_D = r"[0-9๐-๙]"
_MARK = "[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]"  # vowels and tone marks above and below the line


def _loose(word: str) -> str:
    """A regex for a key word as OCR leaves it: each mark above or below the line may be
    dropped or read as another mark ("วันที่" as "วนท", "ได้" as "ได", "ผ่าน" as "ผาน").

    >>> bool(re.fullmatch(_loose("วันที่"), "วนท")), bool(re.fullmatch(_loose("ได้"), "ดี"))
    (True, False)
    """
    return "".join(f"{_MARK}?" if re.fullmatch(_MARK, ch) else re.escape(ch) for ch in word)


# A year OCR garbled may have gained a digit ("๒๕๒๒๐") or lost one ("๒๕๒": 25 and a digit).
FISCAL_YEAR_RE = lazy_compile(rf"ปีงบประมาณ\s*(?:พ\s*\.?\s*ศ\s*\.?)?\s*([2๒][5๕]{_D}|{_D}{{4,5}})(?!{_D})")
# "รอบ ๑,๒ เดือน": a comma OCR put between the digits of 12 is no number of its own.
ROUND_RE = lazy_compile(rf"รอบ\s*(?:ที่\s*{_D}\s*)?\(?\s*({_D}(?:[,.]?{_D})?)\s*เดือน")
# "วันที่ …" at a line's start, after "ณ" or a memo's "ที่ …", or signed "ลงวันที่ …".
DATE_LINE_RE = lazy_compile(rf"(?:^|ณ\s*|{_loose('ลง')}\s*|^ที่\s.{{1,40}}?\s){_loose('วันที่')}\s*(.+)$")
# Which date a report carries: its own ("รายงาน ณ", "ประกาศ ณ", a memo's "วันที่") before
# any other "ณ วันที่", and the date its data were taken ("ข้อมูล ณ") only when alone.
_DATE_RANK = ((lazy_compile(rf"(?:รายงาน|ประกาศ|สั่ง)\S{{0,12}}\s*ณ\s*{_loose('วันที่')}|^{_loose('วันที่')}|^ที่\s"), 0),
              (lazy_compile(rf"(?:ข้อมูล|สำรวจ|ติดตาม)\S{{0,12}}\s*ณ\s*{_loose('วันที่')}"), 2))
_OVERALL = r"(?:ภาพรวม|รวมทั้งสิ้น|รวมทั้งหมด|เฉลี่ยรวม|รวม|เฉลี่ย)"
_GOT = "|".join(_loose(w) for w in ("เท่ากับ", "ที่ได้", "ได้", "คือ"))
SCORE_RE = lazy_compile(
    rf"คะแนน\s*(?:ITA\s*)?{_OVERALL}?\s*(?:ITA\s*)?(?:{_GOT})?\s*({_D}{{2,3}}(?:\.{_D}+)?)"
    rf"|(?:{_GOT}|จำนวน)\s*({_D}{{2,3}}(?:\.{_D}+)?)\s*คะแนน")
# A score given for one tool or indicator ("แบบวัด IIT ได้ ๙๖.๑๒ คะแนน") is not the overall one.
_PART_SCORE_RE = lazy_compile(r"(?:IIT|EIT|OIT|แบบวัด|แบบตรวจ|ตัวชี้วัด)[^0-9๐-๙]{0,25}$")
PRIOR_RESULT_RE = lazy_compile(r"ผลการประเมิน")
SCORE_CONTEXT_RE = lazy_compile(r"ITA|คุณธรรมและความโปร่งใส|ผลการประเมิน")
# A year named by "ปี …" or, where OCR lost "ปี", by its era alone ("พ.ศ. ๒๕๖๗").
YEAR_RE = lazy_compile(rf"(?:(?:ปีงบประมาณ|ปี)\s*(?:พ\s*\.?\s*ศ\s*\.?)?|พ\s*\.\s*ศ\s*\.?)\s*({_D}{{4}})(?!{_D})")
_LEVELS = ("ผ่านดีเยี่ยม", "ผ่านดี", "ไม่ผ่าน", "ผ่าน")
LEVEL_RE = lazy_compile(rf"^[\s)]*(?:คะแนน)?[\s)]*(?:\(|(?:ผลการประเมิน\s*)?(?:{_loose('อยู่')}(?:ใน)?)?ระดับ)\s*"
                        rf"({'|'.join(_LEVELS)}|(?:{'|'.join(_loose(w) for w in _LEVELS)})(?![ก-ฮ])|AA|A|B|C|D|E|F)(?![A-Za-z])")


def _level(printed: str) -> str:
    """A level as printed, spelt right when OCR dropped its marks ("ผานดี" → "ผ่านดี")."""
    return next((w for w in _LEVELS if re.fullmatch(_loose(w), printed)), printed)
ADDRESS_LINE_RE = lazy_compile(r"^\s*(?:อำเภอ|อ\.|จังหวัด|จ\.)")


def _year(token: str) -> int:
    return int(thai_to_arabic(token))


def title_lines(doc: Document) -> list[Line]:
    """Paragraph lines before the first table: where a report names itself."""
    out = []
    for b in doc.blocks:
        if isinstance(b, Table):
            break
        out.append(b)
    return out


def find_fiscal_year(doc: Document) -> int | None:
    """The fiscal year the report is for: the title's "ปีงบประมาณ …" first.

    A year quoted for a past assessment ("ผลการประเมิน ITA ประจำปีงบประมาณ ๒๕๖๕ ได้คะแนน…")
    is the prior year's, not the report's: it is taken only when nothing else is printed.
    """
    return find_fiscal_year_noted(doc)[0]


def find_fiscal_year_noted(doc: Document) -> tuple[int | None, list[tuple[str, str]]]:
    """`find_fiscal_year`, and (kind, message) notes on years that had to be repaired or
    were refused: only a plausible year (2540–2600) is a fiscal year; an OCR-garbled one
    ("๒๕๒๒๐") is taken when exactly one reading of it is plausible. A title printed in a
    box (a one-row table) counts as title. When the report's own year is printed but
    unreadable, the prior assessment's year is no stand-in: None, and the caller takes
    the year the measures' periods give."""
    fallback = None
    unreadable = False
    notes: list[tuple[str, str]] = []
    for texts in (_title_texts(doc), _text_lines(doc)):
        for text in texts:
            for m in FISCAL_YEAR_RE.finditer(text):
                prior = bool(PRIOR_RESULT_RE.search(text[max(0, m.start() - 80):m.start()]))
                year = _year(m.group(1)) if len(m.group(1)) == 4 else None
                if year is None or not plausible_fiscal_year(year):
                    repaired = repair_fiscal_year(m.group(1))
                    note = (("ocr_year_repaired", f"fiscal year {m.group(1)!r} read as {repaired}")
                            if repaired else ("value_implausible", f"fiscal year {m.group(1)!r} is "
                                              "not a plausible year; not used"))
                    if note not in notes:
                        notes.append(note)
                    if repaired is None:
                        unreadable = unreadable or not prior
                        continue
                    year = repaired
                if prior:
                    fallback = fallback or year
                    continue
                return year, notes
    return (None if unreadable else fallback), notes


def _title_texts(doc: Document) -> list[str]:
    """The text of the title: its paragraph lines and the rows of any table above the first
    measure table that has no header (a boxed title, a memo's form lines)."""
    return [text for text, _, _ in _title_parts(doc)]


def _title_parts(doc: Document) -> list[tuple[str, int, Line | Table]]:
    """(text, line, block it is or is a row of) for each line of the title (see `_title_texts`)."""
    out: list[tuple[str, int, Line | Table]] = []
    for b in doc.blocks:
        if isinstance(b, Line):
            out.append((b.text, b.line, b))
        elif read_layout(b.rows)[0] is None:
            out += [(_row_text(row), row[0].line if row else b.line, b) for row in b.rows]
        else:
            break
    return out


# A cell cannot start with a vowel or mark that follows its consonant: a box cut through a
# word ("จ | ังหวัด") is joined back without a space.
_FOLLOWING = lazy_compile("[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]")


def _row_text(row) -> str:
    out = ""
    for c in row:
        if c.text and not c.spanned:
            out += c.text if not out or _FOLLOWING.match(c.text) else " " + c.text
    return out


def infer_fiscal_year(measures: list[Measure]) -> int | None:
    """The fiscal year most measure periods end in, when the report does not say."""
    years = Counter(fiscal_year_of(m.period_end) for m in measures if m.period_end)
    return years.most_common(1)[0][0] if years else None


# "รอบ ๖ เดือน" is also part of what measures publish (OIT's "รายงานการกำกับติดตาม…
# รอบ ๖ เดือน"): below the title, only a line that names the report itself counts.
_OWN_REPORT_RE = lazy_compile(r"รายงาน\S*\s*ผลการดำเนิน|ผลการดำเนิน\S*\s*ตามมาตรการ")
_NOT_OWN_RE = lazy_compile(r"กำกับติดตาม|แผนดำเนินงาน|การใช้จ่ายงบประมาณ")


def find_report_period(doc: Document) -> str | None:
    """'6m' or '12m' from "รอบ ๖ เดือน" / "รอบ (๑๒ เดือน)": in the title, or in a later
    line that names the report itself ("รายงานผลการดำเนินการ … รอบ ๑๒ เดือน")."""
    title = {id(line) for line in title_lines(doc)}
    for line in doc.lines():
        m = ROUND_RE.search(line.text)
        if not m:
            continue
        if id(line) not in title and (not _OWN_REPORT_RE.search(line.text)
                                      or _NOT_OWN_RE.search(line.text)):
            continue
        months = int(thai_to_arabic(re.sub("[,.]", "", m.group(1))))
        if months in (6, 12):
            return f"{months}m"
    return None


# A sign-off: "ลงชื่อ … ผู้รายงาน … ๕ ตุลาคม ๒๕๖๖" (the date last, with no "วันที่").
_SIGN_OFF_RE = lazy_compile(r"ลงชื่อ|ผู้รายงาน")
_DATE_ONLY_RE = lazy_compile(rf"(?:^|\s)({_D}{{1,2}}\s*\S{{2,12}}\s*(?:พ\.?\s*ศ\.?\s*)?{_D}{{4}})\s*$")


def _text_lines(doc: Document) -> list[str]:
    """The report's paragraph lines, and the rows of one-row "tables" (a memo header
    line with a tab in it: "ที่ อด ๕๒๐๐๑/๓๒๔๑<tab>วันที่ ๑๘ ตุลาคม ๒๕๖๗"), in order."""
    out = []
    for b in doc.blocks:
        if isinstance(b, Line):
            out.append(b.text)
        elif len(b.rows) == 1:
            out.append(_row_text(b.rows[0]))
    return out


def find_report_date(doc: Document, fiscal_year: int | None = None) -> date | None:
    """`find_report_date_noted` without its notes."""
    return find_report_date_noted(doc, fiscal_year)[0]


def find_report_date_noted(doc: Document, fiscal_year: int | None = None
                           ) -> tuple[date | None, list[tuple[str, str]]]:
    """The date the report carries, from its "วันที่ …" lines (memo header or sign-off):
    "รายงาน ณ วันที่" or a memo's own "วันที่" before a plain "ณ วันที่", and the date the
    data were taken ("ข้อมูล ณ วันที่") only when no other is printed. A sign-off's date
    printed without "วันที่" (last on a "ลงชื่อ …" line, or alone on a line) counts as a plain one.
    A year with one digit OCR read as a letter ("๒๕๖ซ") is repaired when exactly one digit
    there puts the date in the report's fiscal year (a note says so)."""
    best: tuple[int, date] | None = None
    notes: list[tuple[str, str]] = []
    for text in _text_lines(doc):
        m = DATE_LINE_RE.search(text) or (
            _DATE_ONLY_RE.search(text) if _SIGN_OFF_RE.search(text) or _DATE_ONLY_RE.fullmatch(text)
            else None)
        if not m:
            continue
        d = parse_thai_date(m.group(1))
        if d is None and fiscal_year is not None:
            d = _repaired_date(m.group(1), fiscal_year)
            if d is not None:
                notes.append(("ocr_year_repaired", f"date {m.group(1).strip()!r} read as {d.isoformat()}: "
                              f"the only reading in fiscal year {fiscal_year}"))
        if d is None:
            continue
        rank = next((r for rx, r in _DATE_RANK if rx.search(text)), 1)
        if best is None or rank < best[0]:
            best = (rank, d)
        if rank == 0:
            break
    return (best[1] if best else None), notes


# A year of four characters, one of them not a digit: a digit OCR read as a letter.
_GARBLED_YEAR = lazy_compile(rf"(?<![0-9๐-๙])(?=[^\s]{{4}}(?![^\s]))((?:{_D}|[^\s0-9๐-๙]){{4}})")


_DOT_IN_YEAR = lazy_compile(rf"(?<={_D}{{2}})[,.](?={_D}(?!{_D}{{2}}))|(?<={_D}{{3}})[,.](?={_D}(?!{_D}))|(?<={_D})[,.](?={_D}{{3}}(?!{_D}))")


def _repaired_date(text: str, fiscal_year: int) -> date | None:
    """The date `text` gives with the one non-digit of its year replaced by the one digit
    that puts it in `fiscal_year`; None unless exactly one digit does.

    A comma or dot OCR put inside the year ("๒๕๖,๘") is dropped the same way.

    >>> _repaired_date("๒ เมษายน ๒๕๖ซ", 2567), _repaired_date("๒ เมษายน ๒๕ซซ", 2567)
    (datetime.date(2024, 4, 2), None)
    >>> _repaired_date("๒๖ กันยายน พ.ศ.๒๕๖,๘ ต", 2568)
    datetime.date(2025, 9, 26)
    """
    found = set()
    joined = _DOT_IN_YEAR.sub("", text)
    if joined != text and (d := parse_thai_date(joined)) is not None and fiscal_year_of(d) == fiscal_year:
        return d
    for m in _GARBLED_YEAR.finditer(text):
        token = m.group(1)
        odd = [k for k, ch in enumerate(token) if not re.match(_D, ch)]
        if len(odd) != 1:
            continue
        k = odd[0]
        digits = "๐๑๒๓๔๕๖๗๘๙" if re.search("[๐-๙]", token) else "0123456789"
        for dg in digits:
            fixed = text[:m.start(1) + k] + dg + text[m.start(1) + k + 1:]
            d = parse_thai_date(fixed)
            if d is not None and fiscal_year_of(d) == fiscal_year:
                found.add(d)
    return found.pop() if len(found) == 1 else None


def find_prior_score(doc: Document) -> PriorScore | None:
    """An overall ITA score the report quotes, with its year and level as printed (the
    year named last before the score: on its line, else on an earlier one). The line must
    speak of the assessment, or follow one that does (a sentence wrapped onto two lines)."""
    last_year = None
    context = False
    for line in doc.lines():
        text = line.text
        context, before = bool(SCORE_CONTEXT_RE.search(text)), context
        if context or before:
            for m in SCORE_RE.finditer(text):
                score = float(thai_to_arabic(m.group(1) or m.group(2)))
                if not 0 < score <= 100 or _PART_SCORE_RE.search(text[max(0, m.start() - 30):m.start()]):
                    continue
                years = list(YEAR_RE.finditer(text, 0, m.start()))
                year = _year(years[-1].group(1)) if years else last_year
                lm = LEVEL_RE.match(text[m.end():m.end() + 40])
                return PriorScore(score, year, _level(lm.group(1)) if lm else None)
        years = YEAR_RE.findall(text)
        last_year = _year(years[-1]) if years else last_year
    return None


def collect_agency_mentions(doc: Document) -> list[AgencyMention]:
    """Every agency mention in the report: title lines (counted double; a title table's
    rows read whole, since its boxes may cut through a name), body and signature lines,
    and table cells."""
    title = _title_parts(doc)
    in_title = {id(b) for _, _, b in title}
    mentions: list[AgencyMention] = []
    for text, line, _ in title:
        mentions += parse_agency_mentions(text, line, 2.0)
    for b in doc.blocks:
        if id(b) in in_title:
            continue
        if isinstance(b, Line):
            mentions += parse_agency_mentions(b.text, b.line)
        else:
            for row in b.rows:
                for cell in row:
                    if cell.raw and not cell.spanned:
                        mentions += parse_agency_mentions(cell.text, cell.line)
    return mentions


def title_address(doc: Document) -> tuple[str | None, str | None]:
    """(district, province) the title prints for the agency: an address line, or the
    address right after an agency name. Other lines ("เรียน นายอำเภอ…") don't count, but a
    line that starts with a bare province name right after a district with none is the
    address wrapped (a centred title, a page break: "อำเภอเมือง" / "นครศรีธรรมราช …")."""
    district = province = None
    wrapped = False
    for text in _title_texts(doc):
        if ADDRESS_LINE_RE.match(text):
            d, p = parse_address(text)
        else:
            ms = [m for m in parse_agency_mentions(text) if m.district or m.province]
            d, p = (ms[0].district, ms[0].province) if ms else (None, None)
            if wrapped and not (d or p):
                p = leading_province(text)
        district, province = district or d, province or p
        wrapped = bool(d) and not p  # this line ended on a district: the next may hold the rest
        if district and province:
            break
    return district, province


def find_agency(doc: Document) -> AgencyResolution:
    """The reporting agency, voted on by all its mentions and found in the DLA register
    (else the gazetteer) at the address its title prints."""
    district, province = title_address(doc)
    return resolve_agency(collect_agency_mentions(doc), district, province)
