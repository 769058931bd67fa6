"""Re-emit a report's tables in another form, as a test oracle independent of the extractor.

Each transform reads the simple line syntax of OCR text itself (it imports nothing from
`extractor`): a tab-separated line is a table row, a line starting with `|` is a markdown
pipe row, and `<table>` … `</table>` is an HTML table; consecutive rows of one syntax form
a table run, and runs are separated by blank lines or text. Cell markup (`<p>`, `<ul>`,
`<input type="checkbox" checked>`) is carried over verbatim. A rule row (every filled
cell only dashes, e.g. markdown's `|---|---|` or OCR's tab-separated `--  ---`) carries no
content; it is dropped when a run is re-emitted, and a fresh markdown rule is written.
"""
from __future__ import annotations

import re

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
_SWAP = str.maketrans(THAI_DIGITS + ARABIC_DIGITS, ARABIC_DIGITS + THAI_DIGITS)
_MARKUP = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.DOTALL)
_RULE_CELL = re.compile(r"^:?-+:?$")
_PIPE = re.compile(r"(?<!\\)\|")


# ---- reading the line syntax -------------------------------------------------------

def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _kind(line: str) -> str:
    if "\t" in line and line.strip():
        return "tsv"
    s = line.strip()
    if s.startswith("|") and s.count("|") >= 2:
        return "md"
    return "text"


def _segments(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Split lines into runs: ('tsv'|'md'|'html', lines) for tables, ('text', [line]) else."""
    out: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<table" in line.lower():
            j = i
            while "</table>" not in "\n".join(lines[i:j + 1]).lower() and j + 1 < len(lines):
                j += 1
            out.append(("html", lines[i:j + 1]))
            i = j + 1
            continue
        kind = _kind(line)
        if kind == "text":
            out.append(("text", [line]))
        elif out and out[-1][0] == kind:
            out[-1][1].append(line)
        else:
            out.append((kind, [line]))
        i += 1
    return out


def _tsv_cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _md_cells(line: str) -> list[str]:
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") and not s.endswith("\\|") else s
    return [c.strip().replace("\\|", "|") for c in _PIPE.split(s)]


def _is_rule(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and all(_RULE_CELL.match(c) for c in filled)


def _rows(kind: str, lines: list[str]) -> list[list[str]]:
    """Content rows of a TSV or markdown run (rule rows and all-empty rows dropped)."""
    split = _tsv_cells if kind == "tsv" else _md_cells
    rows = [split(line) for line in lines]
    return [r for r in rows if any(r) and not _is_rule(r)]


def _convert(text: str, kinds: set[str], emit) -> str:
    """Replace every table run whose kind is in `kinds` by `emit(rows)` (a list of lines)."""
    out: list[str] = []
    for kind, lines in _segments(_lines(text)):
        rows = _rows(kind, lines) if kind in kinds else None
        out.extend(emit(rows) if rows else lines)
    return "\n".join(out)


# ---- the transforms ----------------------------------------------------------------

def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def tsv_to_markdown(text: str) -> str:
    """Tab-separated runs become markdown pipe tables; everything else is kept.

    For example the two lines "มาตรการ<TAB>ผล" and "๑. ประกาศ<TAB>a|b" become
    "| มาตรการ | ผล |", "|---|---|", "| ๑. ประกาศ | a\\|b |".
    """
    def emit(rows):
        return [_md_row(rows[0]), "|" + "---|" * len(rows[0])] + [_md_row(r) for r in rows[1:]]
    return _convert(text, {"tsv"}, emit)


def markdown_to_tsv(text: str) -> str:
    """Markdown pipe tables become tab-separated lines; rule lines go, `\\|` becomes `|`.

    For example "| ก | ข |", "|---|---|", "| 1 | x\\|y |" become "ก<TAB>ข" and "1<TAB>x|y".
    """
    return _convert(text, {"md"}, lambda rows: ["\t".join(r) for r in rows])


def _two_row_header(rows: list[list[str]]) -> list[list[tuple[str, int, int]]] | None:
    """(text, colspan, rowspan) cells for a safely recognisable two-row header, else None.

    Safe means: row 1 splits into groups, each a filled cell followed by empty cells; a
    single-cell group has nothing below it in row 2 (→ rowspan 2); a wider group has
    every cell below it filled in row 2 (→ colspan); and at least one group is wide.
    """
    if len(rows) < 2 or len(rows[0]) != len(rows[1]) or not rows[0][0]:
        return None
    top, sub = rows[0], rows[1]
    starts = [i for i, c in enumerate(top) if c] + [len(top)]
    first: list[tuple[str, int, int]] = []
    second: list[tuple[str, int, int]] = []
    for a, b in zip(starts, starts[1:]):
        if b - a == 1:
            if sub[a]:
                return None
            first.append((top[a], 1, 2))
        else:
            if not all(sub[a:b]):
                return None
            first.append((top[a], b - a, 1))
            second.extend((c, 1, 1) for c in sub[a:b])
    if all(span == 1 for _, span, _ in first):
        return None
    return [first, second]


def _cell(tag: str, text: str, colspan: int = 1, rowspan: int = 1) -> str:
    attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + \
            (f' rowspan="{rowspan}"' if rowspan > 1 else "")
    return f"<{tag}{attrs}>{text}</{tag}>"


def _html_table(rows: list[list[str]]) -> list[str]:
    header = _two_row_header(rows)
    if header:
        head = [[_cell("th", *c) for c in r] for r in header]
        body = rows[2:]
    else:
        head = [[_cell("th", c) for c in rows[0]]]
        body = rows[1:]
    lines = ["<table>"]
    lines += ["  <tr>" + "".join(r) + "</tr>" for r in head]
    lines += ["  <tr>" + "".join(_cell("td", c) for c in r) + "</tr>" for r in body]
    return lines + ["</table>"]


def to_html_tables(text: str) -> str:
    """Every TSV or markdown table run becomes one HTML `<table>`, one `<tr>` per line.

    For example "ก<TAB>ข" then "<p>๑</p><TAB>x" become "<table>", "  <tr><th>ก</th><th>ข</th></tr>",
    "  <tr><td><p>๑</p></td><td>x</td></tr>", "</table>". A two-row header such as
    "ชื่อ | สถานะ | (empty) | (empty)" over "(empty) | ยังไม่ | อยู่ระหว่าง | แล้ว" becomes
    `<th rowspan="2">ชื่อ</th><th colspan="3">สถานะ</th>` and a second row of three `<th>`.
    """
    return _convert(text, {"tsv", "md"}, _html_table)


def swap_digits(text: str) -> str:
    """Swap Thai and arabic digits in text, leaving HTML tags, attributes and comments alone.

    For example 'ปี ๒๕๖๖ คะแนน 97.44 <td colspan="3">' becomes
    'ปี 2566 คะแนน ๙๗.๔๔ <td colspan="3">'. Applying it twice gives back the input.
    """
    out, pos = [], 0
    for m in _MARKUP.finditer(text):
        out.append(text[pos:m.start()].translate(_SWAP))
        out.append(m.group())
        pos = m.end()
    out.append(text[pos:].translate(_SWAP))
    return "".join(out)


def crlf_bom(text: str) -> bytes:
    """UTF-8 bytes with a BOM and CRLF line endings: "ก\\nข" becomes BOM + b"ก\\r\\nข"."""
    return b"\xef\xbb\xbf" + "\r\n".join(_lines(text)).encode("utf-8")


_NOISE = ["- {n} -", "หน้า {n}", "Page {n} of {total}", "\f", "<!-- page {n} -->"]


def add_page_noise(text: str) -> str:
    """Insert a page-noise line at the blank line after each table run (pages 2, 3, …).

    The noise cycles through "- 2 -", "หน้า 3", "Page 4 of N", a form feed and
    "<!-- page 6 -->", each set off by blank lines; table and text lines are unchanged.
    A table run that ends the text, or is not followed by a blank line, gets none.
    """
    segs = _segments(_lines(text))
    at = {i + 1 for i, (kind, _) in enumerate(segs[:-1])
          if kind != "text" and segs[i + 1][0] == "text" and not segs[i + 1][1][0].strip()}
    total = len(at) + 1
    out: list[str] = []
    page = 1
    for i, (_, lines) in enumerate(segs):
        if i in at:
            page += 1
            noise = _NOISE[(page - 2) % len(_NOISE)].format(n=page, total=total)
            out.extend(["", noise, ""])
        else:
            out.extend(lines)
    return "\n".join(out)
