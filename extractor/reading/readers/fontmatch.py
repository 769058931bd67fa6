"""Glyphs of an embedded subset font named by the installed font it was cut from.

A subset font written without a ToUnicode CMap may know nothing of Unicode itself:
LibreOffice's subsets keep only a (1,0) cmap from the PDF's one-byte codes to renumbered
glyphs, no glyph names and no GSUB, so neither the PDF nor the font program says which
character a glyph is. Its outlines are the original font's, point for point, though:
when that font is installed here (found by the name after the subset tag, "BAAAAA+Norasi"
→ Norasi), each subset glyph is the installed glyph with the same outline, and the
installed font names it (its Unicode cmap, GSUB variants, glyph names: `EmbeddedFont`).
Glyphs without ink (spaces) go by their advance width. Fonts are looked up in the usual
font folders and in `ITA_FONT_DIRS` (paths separated by os.pathsep) — where an analyst
can put the fonts agencies use (TH Sarabun, Angsana …) — and read once per process.
"""
from __future__ import annotations

import functools
import io
import os
import re
from pathlib import Path

from normalizers.pdftext import map_pua

_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
_STYLE_SEP = re.compile(r"[,\s_\-]+")
_EXTS = (".ttf", ".otf", ".ttc", ".otc")


def font_key(name: str) -> str:
    """A font name compared loosely: no subset tag, case, spaces or separators.

    >>> font_key("BAAAAA+Norasi-Bold"), font_key("TH Sarabun New,Bold"), font_key("THSarabunNew-Bold")
    ('norasibold', 'thsarabunnewbold', 'thsarabunnewbold')
    """
    return _STYLE_SEP.sub("", _SUBSET_TAG.sub("", name)).lower()


def _font_dirs() -> list[Path]:
    home = Path.home()
    dirs = [*(Path(p) for p in os.environ.get("ITA_FONT_DIRS", "").split(os.pathsep) if p),
            Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts",
            home / ".local/share/fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"),
            home / "Library/Fonts"]
    windir = os.environ.get("WINDIR")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft/Windows/Fonts")
    return [d for d in dirs if d.is_dir()]


@functools.cache
def _files() -> tuple[Path, ...]:
    out = []
    for d in _font_dirs():
        for root, _, names in os.walk(d):
            out.extend(Path(root) / n for n in names if n.lower().endswith(_EXTS))
    return tuple(sorted(out))


@functools.cache
def _by_file_stem() -> dict[str, tuple[Path, ...]]:
    index: dict[str, list[Path]] = {}
    for p in _files():
        index.setdefault(font_key(p.stem), []).append(p)
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _by_font_name() -> dict[str, tuple[tuple[Path, int], ...]]:
    """Installed fonts by PostScript and full name (read from each file: only asked
    when no file is named as the font is)."""
    from fontTools.ttLib import TTCollection, TTFont

    index: dict[str, list[tuple[Path, int]]] = {}
    for p in _files():
        try:
            fonts = (TTCollection(str(p), lazy=True).fonts if p.suffix.lower() in (".ttc", ".otc")
                     else [TTFont(str(p), lazy=True)])
        except Exception:
            continue
        for k, f in enumerate(fonts):
            try:
                names = {font_key(str(r)) for r in f["name"].names if r.nameID in (4, 6)}
            except Exception:
                continue
            for n in names:
                index.setdefault(n, []).append((p, k))
    return {k: tuple(v) for k, v in index.items()}


def installed_fonts(base_name: str) -> list[tuple[Path, int]]:
    """Installed font files (and their index in a collection) a PDF font name names."""
    key = font_key(base_name)
    if not key:
        return []
    found = [(p, 0) for p in _by_file_stem().get(key, ())]
    return found or list(_by_font_name().get(key, ()))


def _signature(glyphset, name: str, advance: int):
    """A glyph's outline as drawn (composite glyphs resolved), or its advance when it
    has no ink."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    pen = DecomposingRecordingPen(glyphset)
    try:
        glyphset[name].draw(pen)
    except Exception:
        return None
    if not pen.value:
        return ("blank", advance)
    return tuple((op, tuple(None if pt is None else (round(pt[0]), round(pt[1])) for pt in args))
                 for op, args in pen.value)


class InstalledOutlines:
    """An installed font's glyph outlines → the text each glyph draws."""

    def __init__(self, path: Path, number: int = 0) -> None:
        from fontTools.ttLib import TTFont

        from .fontmap import EmbeddedFont

        self.by_sig: dict[object, str] = {}
        font = TTFont(str(path), lazy=True, fontNumber=number)
        data = io.BytesIO()
        if path.suffix.lower() in (".ttc", ".otc"):
            font.save(data)
            named = EmbeddedFont(data.getvalue())
        else:
            named = EmbeddedFont(path.read_bytes())
        order = font.getGlyphOrder()
        glyphset, hmtx = font.getGlyphSet(), font["hmtx"].metrics
        for gid, text in named.gid_text.items():
            if gid >= len(order):
                continue
            sig = _signature(glyphset, order[gid], hmtx.get(order[gid], (0, 0))[0])
            if sig is None:
                continue
            text = _plain(text)
            if sig[0] == "blank":
                text = " " if text.isspace() and sig[1] > 0 else ""
            # one outline drawn for several characters (hyphen and minus): the lowest
            old = self.by_sig.get(sig)
            if old is None or (text and (not old or ord(text[0]) < ord(old[0]))):
                self.by_sig[sig] = text

    def texts(self, subset) -> dict[int, str]:
        """Glyph id → text for the glyphs of `subset` (a fontTools TTFont) drawn like one
        of this font's."""
        order = subset.getGlyphOrder()
        glyphset, hmtx = subset.getGlyphSet(), subset["hmtx"].metrics
        out = {}
        for gid, name in enumerate(order):
            if gid == 0:
                continue
            sig = _signature(glyphset, name, hmtx.get(name, (0, 0))[0])
            text = self.by_sig.get(sig) if sig is not None else None
            if text is not None:
                out[gid] = text
        return out


def _plain(text: str) -> str:
    """Private-use Thai variants and Latin ligatures (ﬁ ﬃ) as the letters they draw."""
    import unicodedata
    text = map_pua(text)
    if any("\ufb00" <= c <= "\ufb06" for c in text):
        text = unicodedata.normalize("NFKC", text)
    return text


@functools.lru_cache(maxsize=16)
def _outlines(path: Path, number: int) -> InstalledOutlines | None:
    try:
        return InstalledOutlines(path, number)
    except Exception:
        return None


def resolve_by_installed(base_name: str, data: bytes) -> dict[int, str]:
    """Glyph id → text for an embedded font program `data` named `base_name`, from the
    installed font of that name whose outlines most of its glyphs share (empty when
    none is installed or none matches)."""
    if not data:
        return {}
    candidates = installed_fonts(base_name)
    if not candidates:
        return {}
    try:
        from fontTools.ttLib import TTFont
        subset = TTFont(io.BytesIO(data), lazy=True)
    except Exception:
        return {}
    best: dict[int, str] = {}
    for path, number in candidates:
        outlines = _outlines(path, number)
        if outlines is None:
            continue
        texts = outlines.texts(subset)
        if len(texts) > len(best):
            best = texts
    return best
