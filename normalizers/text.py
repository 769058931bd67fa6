"""Cell text cleanup for OCR'd Thai: markup, sara am, letter-spacing, spaces.

Never NFKC-normalise Thai here: compatibility decomposition turns sara am
(U+0E33) into nikhahit + sara aa, which is the very damage `fix_sara_am` undoes.
"""

from __future__ import annotations

import functools
import html
import re

from normalizers._regex import lazy_compile

CHECKED_BOX = "☑"
UNCHECKED_BOX = "☐"

# --- markup -----------------------------------------------------------------

_INPUT_RE = lazy_compile(r"<input\b([^<>]*)>", re.IGNORECASE)
_BOX_TYPE_RE = lazy_compile(r"""\btype\s*=\s*["']?\s*(?:checkbox|radio)\b""", re.IGNORECASE)
# `checked` as a whole attribute name: not data-checked, not unchecked.
_CHECKED_ATTR_RE = lazy_compile(r"""(?:^|[\s"'])checked(?=[\s=/]|$)""", re.IGNORECASE)
_BLOCK_TAG_RE = lazy_compile(
    r"</?(?:p|br|li|ul|ol|div|tr|td|th|table|thead|tbody|tfoot|h[1-6]|hr|dl|dt|dd"
    r"|blockquote|section|article|header|footer)\b[^<>]*>",
    re.IGNORECASE,
)
# Only tag-shaped runs, so that a literal "a < b > c" in a cell survives.
_ANY_TAG_RE = lazy_compile(r"<!--.*?-->|</?[A-Za-z][^<>]*>", re.DOTALL)
_BOLD_RE = lazy_compile(r"\*\*(.+?)\*\*", re.DOTALL)
# A bold span cut by a line or cell boundary leaves one "**" at an edge.
_BOLD_EDGE_RE = lazy_compile(r"^\s*\*\*(?=\S)|(?<=\S)\*\*\s*$")


def _one_line(text: str) -> str:
    # str.split() is C-speed and splits on the same Unicode spaces as \s (incl. NBSP).
    return " ".join(text.split())


def _input_to_box(match: re.Match[str]) -> str:
    attrs = match.group(1)
    if not _BOX_TYPE_RE.search(attrs):
        return " "
    # Spaces around the box keep it a token of its own ("☑ ดำเนินการแล้ว").
    return f" {CHECKED_BOX} " if _CHECKED_ATTR_RE.search(attrs) else f" {UNCHECKED_BOX} "


def strip_markup(html_text: str) -> str:
    """Turn an OCR cell's HTML/markdown into plain text on one line.

    Checkbox inputs become ☑ (checked) or ☐; block boundaries become a space;
    other tags vanish; entities are unescaped; ``**bold**`` loses its stars.

    >>> strip_markup('<p>๑. จัดทำคู่มือ</p> <p>๒. เผยแพร่</p>')
    '๑. จัดทำคู่มือ ๒. เผยแพร่'
    >>> strip_markup('<input checked="" type="checkbox"/> ดำเนินการแล้วเสร็จ <input type="checkbox"/> อยู่ระหว่าง')
    '☑ ดำเนินการแล้วเสร็จ ☐ อยู่ระหว่าง'
    >>> strip_markup('<INPUT TYPE=checkbox CHECKED>ก<br>ข&nbsp;ค &amp; <b>ง</b>จ')
    '☑ ก ข ค & งจ'
    >>> strip_markup('**ผลการดำเนินการ**'), strip_markup('**ผลการดำเนินการตาม')
    ('ผลการดำเนินการ', 'ผลการดำเนินการตาม')
    >>> strip_markup('ค่า < 5 และ > 3')
    'ค่า < 5 และ > 3'
    """
    text = html_text
    if "<" in text:
        text = _INPUT_RE.sub(_input_to_box, text)
        text = _BLOCK_TAG_RE.sub(" ", text)
        text = _ANY_TAG_RE.sub("", text)
    if "**" in text:
        text = _BOLD_EDGE_RE.sub("", _BOLD_RE.sub(r"\1", text))
    if "&" in text:
        text = html.unescape(text)
    return _one_line(text)


# --- sara am ----------------------------------------------------------------

# OCR and some PDF fonts emit nikhahit + sara aa (often with a tone mark or a
# space in between) for sara am; the tone mark belongs before sara am.
_SARA_AM_RE = lazy_compile("\u0e4d\\s*([\u0e48-\u0e4b]?)\\s*\u0e32")


def fix_sara_am(text: str) -> str:
    """Nikhahit (U+0E4D) + optional spaces/tone + sara aa (U+0E32) → sara am (U+0E33).

    >>> fix_sara_am("ดําเนินการ") == "ดำเนินการ"
    True
    >>> fix_sara_am("ส ร ํ า ง") == "ส ร ำ ง"
    True
    >>> fix_sara_am("น\u0e4d\u0e49\u0e32") == "น\u0e49\u0e33"
    True
    >>> fix_sara_am("ดำเนินการ")
    'ดำเนินการ'
    """
    if "\u0e4d" not in text:
        return text
    return _SARA_AM_RE.sub("\\1\u0e33", text)


# --- letter-spacing ---------------------------------------------------------

_CONS = "\u0e01-\u0e2e"  # ก..ฮ (ฯ U+0E2F excluded: it ends words)
_COMB = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"  # above/below vowels, tone marks, signs
_FOLLOW = "\u0e30\u0e32\u0e33\u0e45"  # ะ า ำ ๅ: spacing, but never start a syllable
_LEAD = "\u0e40-\u0e44"  # เ แ โ ใ ไ
_TDIG = "\u0e50-\u0e59"

_MARK_TOK = lazy_compile(f"[{_COMB}{_FOLLOW}]+")
_LEAD_TOK = lazy_compile(f"[{_LEAD}]")
_BARE_TOK = lazy_compile(f"[{_CONS}]")
# One consonant + one mark ("ปิ", "ก็"). Longer clusters such as "ที่" or "ผู้"
# are common real words and are left alone.
_LETTER_TOK = lazy_compile(f"[{_CONS}][{_COMB}]")
_DIGIT_TOK = lazy_compile(f"[{_TDIG}]")
_DIGIT_START_TOK = lazy_compile(f"[^\\w\\s]+[{_TDIG}]")  # "-๐", "(๐"
_DIGIT_END_TOK = lazy_compile(f"[{_TDIG}][^\\d\\s]+")  # "๓การ"
_SHORT_THAI_TOK = lazy_compile(f"[{_CONS}{_LEAD}{_COMB}{_FOLLOW}]{{1,3}}")
_THAI_START = lazy_compile(f"[{_CONS}{_LEAD}{_COMB}{_FOLLOW}]")
_SPLIT_RE = lazy_compile(r"(\s+)")

# Token kinds as one-letter codes, so that runs are found by regex over the
# code string at C speed instead of a Python loop over tokens.
_MARK, _LEAD_K, _BARE, _LETTER, _DIGIT, _DSTART, _DEND, _OTHER = "MLBTDSEO"
_SPACED_RUN_RE = lazy_compile("[MLBT]+")
_DIGIT_RUN_RE = lazy_compile("[DS]D+E?")  # "-๐ ๔ ๓การ": the last digit may be stuck to a word


@functools.lru_cache(maxsize=8192)  # words repeat a lot across cells
def _kind(tok: str) -> str:
    if len(tok) == 1:
        if _BARE_TOK.fullmatch(tok):
            return _BARE
        if _LEAD_TOK.fullmatch(tok):
            return _LEAD_K
        if _DIGIT_TOK.fullmatch(tok):
            return _DIGIT
    if _MARK_TOK.fullmatch(tok):
        return _MARK
    if _LETTER_TOK.fullmatch(tok):
        return _LETTER
    if _DIGIT_START_TOK.fullmatch(tok):
        return _DSTART
    if _DIGIT_END_TOK.fullmatch(tok):
        return _DEND
    return _OTHER


def _glue_letter_runs(toks: list[str], code: str, glue: list[bool]) -> None:
    n = len(toks)
    for m in _SPACED_RUN_RE.finditer(code):
        i, j, run = m.start(), m.end() - 1, m.group()
        prev_ok = i > 0 and bool(_THAI_START.match(toks[i - 1][-1]))
        next_ok = j + 1 < n and bool(_THAI_START.match(toks[j + 1]))
        if len(run) == 1:
            if run == _MARK and prev_ok:
                glue[i - 1] = True
            elif run == _LEAD_K and next_ok:
                glue[i] = True
            # A lone consonant between words ("แสดง ณ จุด") is a real word.
            continue
        if run.count(_LETTER) == len(run):  # "มี ดี": real words, not spacing
            continue
        for k in range(i, j):
            glue[k] = True
        # A syllable typed before the spaced letters ("ประ ก า ศ") is the same
        # word; a mark can never start a word, so it always attaches.
        if prev_ok and (run[0] == _MARK or _SHORT_THAI_TOK.fullmatch(toks[i - 1])):
            glue[i - 1] = True
        if next_ok:
            glue[j] = True


def _glue_digit_runs(code: str, glue: list[bool]) -> None:
    for m in _DIGIT_RUN_RE.finditer(code):
        for k in range(m.start(), m.end() - 1):
            glue[k] = True


def join_letter_spacing(text: str) -> str:
    """Join OCR letter-spacing in Thai words and spaced Thai digit groups.

    Lone marks (า ำ ะ, vowels above/below, tone marks) join the token before;
    a lone leading vowel (เ แ โ ใ ไ) joins the token after; a run of two or
    more one-letter tokens joins up, and to the Thai word right after it.

    >>> join_letter_spacing("ก า ร ดำเนินการ")
    'การดำเนินการ'
    >>> join_letter_spacing("ประ ก า ศ")
    'ประกาศ'
    >>> join_letter_spacing("ส ร ำ ง")
    'สรำง'
    >>> join_letter_spacing("-๐ ๓ ๑ ประ ม ว ล")
    '-๐๓๑ ประมวล'
    >>> join_letter_spacing("-๐ ๓ ๐ ก า ร เ ปิ ด โอกาส")
    '-๐๓๐ การเปิดโอกาส'
    >>> join_letter_spacing("แสดง ณ จุดให้บริการ E- Service")
    'แสดง ณ จุดให้บริการ E- Service'
    """
    toks = text.split()  # C-speed; the original spaces are re-read only if needed
    code = "".join(map(_kind, toks))
    if code.count(_OTHER) == len(code):
        return text
    glue = [False] * len(toks)
    _glue_letter_runs(toks, code, glue)
    _glue_digit_runs(code, glue)
    if True not in glue:
        return text
    parts = _SPLIT_RE.split(text.strip())  # token, space, token, …
    for k, joined in enumerate(glue[:-1]):
        if joined:
            parts[2 * k + 1] = ""
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return lead + "".join(parts) + trail


_TONES = "\u0e48-\u0e4b"
_ABOVE_BELOW = "\u0e31\u0e34-\u0e3a\u0e47\u0e4d"
# Everything pythainlp.reorder_vowels rewrites: เเ, tone/thanthakhat before a
# vowel, nikhahit, follow vowel before a tone, lakkhangyao.
_TONE_BEFORE_VOWEL_RE = lazy_compile(f"[{_TONES}\u0e4c][{_ABOVE_BELOW}]")
_FOLLOW_BEFORE_TONE_RE = lazy_compile(f"[{_FOLLOW}][{_TONES}]")


def _misordered(s: str) -> bool:
    return (
        "\u0e4d" in s
        or "\u0e45" in s
        or "\u0e40\u0e40" in s
        or _TONE_BEFORE_VOWEL_RE.search(s) is not None
        or _FOLLOW_BEFORE_TONE_RE.search(s) is not None
    )


# pythainlp.remove_spaces_before_marks only acts on a space before a mark.
_SPACE_BEFORE_MARK_RE = lazy_compile(f" [{_COMB}]")
# pythainlp.remove_zw removes only these (ZWSP, ZWNJ).
_ZERO_WIDTH = ("\u200b", "\u200c")


def _thai_util():
    """pythainlp.util, imported on first need: importing it loads the whole package
    (soundex, emoji tables, tokenizers; ~35 ms), and most text needs none of the three
    functions used here, which the cheap checks in `clean_text` tell."""
    import pythainlp.util

    return pythainlp.util


def clean_text(text: str) -> str:
    """A cell's text as the dataset keeps it: markup gone, Thai repaired, one line.

    strip_markup → fix_sara_am → pythainlp zero-width removal, space-before-mark
    removal and vowel/tone reordering → join_letter_spacing → single spaces.
    pythainlp's full ``normalize`` is not used: its repeat-vowel and dangling-mark
    rules delete characters, and text must stay as printed. Thai digits are kept.

    >>> clean_text('<p>-๐ ๒ ๔ ก า ร ดําเนินการ</p>\\n<p>ตามนโยบาย</p>')
    '-๐๒๔ การดำเนินการ ตามนโยบาย'
    >>> clean_text("  \\n ")
    ''
    """
    if not text or text.isspace():
        return ""
    s = strip_markup(text)
    s = fix_sara_am(s)
    # The pythainlp passes cost ~60 µs per 500 chars even when they change nothing, and
    # importing pythainlp ~35 ms; cheap checks decide whether they could change anything
    # (tests check each check against the function it guards).
    if _ZERO_WIDTH[0] in s or _ZERO_WIDTH[1] in s:
        s = _thai_util().remove_zw(s)
    if _SPACE_BEFORE_MARK_RE.search(s):
        s = _thai_util().remove_spaces_before_marks(s)
    if _misordered(s):
        s = _thai_util().reorder_vowels(s)
    s = join_letter_spacing(s)
    return _one_line(s)
