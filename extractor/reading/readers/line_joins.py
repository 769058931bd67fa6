"""Lines of one cell or paragraph joined into one text, as the text reader would have
it: a PDF does not say whether a wrap ate a space, so none goes where the break fell
inside a syllable or a dictionary word (narrow columns split words anywhere), else a
space. And a line's first word, which a wrapper would have moved whole (whether a line
goes on with the paragraph above it). Used by `positioned.py` and the page assembly.
"""
from __future__ import annotations

import functools
import re


_NO_BREAK_AFTER = re.compile("[\u0e40-\u0e44]$")  # a leading vowel needs its consonant
_NO_BREAK_BEFORE = re.compile("^[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]")  # marks, ะ า ำ ๅ
_THAI_TAIL = re.compile("[\u0e01-\u0e4e]{1,12}$")
_THAI_HEAD = re.compile("^[\u0e01-\u0e4e]{1,12}")


@functools.cache
def _words() -> frozenset[str]:
    from pythainlp.corpus import thai_words
    return frozenset(thai_words())


_MARK_START = re.compile("[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]")


@functools.lru_cache(maxsize=4096)
def _inside_word(tail: str, head: str) -> bool:
    """Whether a line break between two Thai runs fell inside a dictionary word: a word
    of three letters or more runs across it (ending where a syllable may end). Thai
    compounds count as words ("กอง|คลัง"): Thai writes them without a space.

    >>> _inside_word("ระยะเวลาด", "ำเนินการ"), _inside_word("สันป่าตอง", "จังหวัด")
    (True, False)
    """
    from normalizers.text import fix_sara_am

    tail, head = fix_sara_am(tail), fix_sara_am(head)
    words = _words()
    n, m = len(tail), len(head)
    for i in range(max(0, n - 10), n):
        for j in range(1, min(m, 10) + 1):
            if n - i + j >= 3 and (tail[i:] + head[:j]) in words \
                    and (j == m or not _MARK_START.match(head[j])):
                return True
    return False


@functools.lru_cache(maxsize=4096)
def first_word(text: str) -> str:
    """The first unit a line wrapper would have moved whole: the text up to the first
    space (wrappers that break only at spaces), or for a long Thai run, its first
    dictionary word (wrappers that break Thai between words).

    >>> first_word("ผลการประเมินคุณธรรมและความโปร่งใส"), first_word("ได้คะแนน ๘๘.๑๒")
    ('ผล', 'ได้คะแนน')
    >>> first_word("95.75 (ผ่านดี)")
    '95.75'
    """
    head = text.split(" ", 1)[0]
    if len(head) <= 15 or not _THAI_HEAD.match(head):
        return head
    from pythainlp.tokenize import word_tokenize
    return next(iter(word_tokenize(head[:30], engine="newmm", keep_whitespace=False)), head)


def join_lines(texts: list[str]) -> str:
    """Lines of one cell or paragraph as one string. A PDF does not say whether a wrap
    ate a space: none where the break fell inside a syllable or a dictionary word
    (narrow columns split words anywhere), else a space, as the text reader sees it.

    >>> join_lines(["อำเภอสันป่าตอง", "จังหวัดเชียงใหม่", "ระยะเวลาด", "ำเนินการ", "เ", "ปิด"])
    'อำเภอสันป่าตอง จังหวัดเชียงใหม่ ระยะเวลาดำเนินการ เปิด'
    >>> join_lines(["ตุลาคม ๒๕๖๕ - มกราค", "ม ๒๕๖๖", "(No Gift", "Policy)"])
    'ตุลาคม ๒๕๖๕ - มกราคม ๒๕๖๖ (No Gift Policy)'
    """
    texts = [t for t in texts if t]
    if len(texts) == 1:  # (most cells: one line)
        return texts[0]
    out = ""
    for t in texts:
        if out and _space_between(out, t):
            out += " "
        out += t
    return out


def _space_between(out: str, t: str) -> bool:
    """Whether `join_lines` puts a space between `out` and the next line `t`."""
    last = out[-1]
    if last == "\n":  # (`$` stands before a final newline: the patterns themselves, on
        # the end of `out` only — 13 = 12 letters and the newline)
        end = out[-13:]
        if _NO_BREAK_AFTER.search(end) or _NO_BREAK_BEFORE.match(t):
            return False
        tail, head = _THAI_TAIL.search(end), _THAI_HEAD.match(t)
        return not (tail and head and _inside_word(tail.group(), head.group()))
    # the same tests on the last letter: a leading vowel, a Thai letter ending a run
    # (the run's last twelve letters: `_THAI_TAIL`'s match, read from the end)
    if "\u0e40" <= last <= "\u0e44" or _NO_BREAK_BEFORE.match(t):
        return False
    if not "\u0e01" <= last <= "\u0e4e":
        return True
    head = _THAI_HEAD.match(t)
    return not (head and _inside_word(_THAI_HEAD.match(out[-12:][::-1]).group()[::-1],
                                      head.group()))
