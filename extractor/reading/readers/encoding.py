"""Bytes → text for OCR text reports: BOMs, UTF-8, UTF-16 without a BOM, and Thai legacy
TIS-620/cp874."""
from __future__ import annotations

import codecs


class UnreadableText(ValueError):
    """The bytes are not a text report (binary, or no encoding fits)."""


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _thai_share(text: str) -> float:
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return 0.0
    return sum("\u0e00" <= c <= "\u0e7f" for c in letters) / len(letters)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a byte-order mark (some Windows tools): Thai and ASCII text has
    the high byte of almost every code unit 0x00 or 0x0E, on the odd bytes (little-endian)
    or the even ones (big-endian). Anything else with NUL bytes stays binary.

    >>> _utf16_without_bom("รายงาน ITA\\n".encode("utf-16-le"))
    ('รายงาน ITA\\n', 'utf-16-le')
    >>> _utf16_without_bom(bytes(range(256)))
    """
    sample = data[:4096 - 4096 % 2]
    if len(sample) < 4 or len(data) % 2:
        return None
    for name, high in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if sum(b in (0x00, 0x0E) for b in high) < 0.9 * len(high):
            continue
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            return None
        printable = sum(c.isprintable() or c in "\t\r\n\f" for c in text[:2048])
        if printable >= 0.95 * min(len(text), 2048):
            return text, name
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a report's bytes; return (text, encoding name).

    UTF-8 is tried first (with or without BOM); TIS-620 text is never valid UTF-8 when it
    holds Thai, so a failed UTF-8 decode falls back to cp874 (a superset of TIS-620).

    >>> decode_text("รายงาน".encode("utf-8"))
    ('รายงาน', 'utf-8')
    >>> decode_text(codecs.BOM_UTF8 + "ผล".encode("utf-8"))
    ('ผล', 'utf-8-sig')
    >>> decode_text("มาตรการ".encode("cp874"))
    ('มาตรการ', 'cp874')
    >>> decode_text("มาตรการ\\tผล\\n".encode("utf-16-be"))
    ('มาตรการ\\tผล\\n', 'utf-16-be')
    >>> decode_text(b"\\x00\\x01\\x02binary")
    Traceback (most recent call last):
    ...
    extractor.reading.readers.encoding.UnreadableText: binary data (NUL bytes), not a text report
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), "utf-8-sig" if name == "utf-8-sig" else name
    if b"\x00" in data[:65536]:
        utf16 = _utf16_without_bom(data)
        if utf16:
            return utf16
        raise UnreadableText("binary data (NUL bytes), not a text report")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp874")
    except UnicodeDecodeError as exc:
        raise UnreadableText(f"not UTF-8 and not Thai cp874/TIS-620 text ({exc.reason})") from None
    # Random bytes decode as cp874 too; real Thai legacy text is mostly Thai letters.
    if _thai_share(text) < 0.3:
        raise UnreadableText("not UTF-8, and as cp874/TIS-620 it is not Thai text")
    return text, "cp874"
