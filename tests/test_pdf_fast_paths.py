"""The reader's array fast paths give what the plain computations they replaced give:
packed-key sorts against `np.lexsort`, a page's line runs in one pass against each
line's own, Thai verdict counts against the regexes, end-windowed searches against
searches of the whole text, pdfium's path segments read in bulk against one call each,
the suspicious-glyph test on code points against its pattern, a line's order and its
marks merged in against the plain sorts, glyph boxes at their loca offsets against
fontTools' glyphs, a line's parts in one pass against each part.
(Speed itself is `benchmarks/bench_pdf.py`'s.)"""
from __future__ import annotations

import ctypes
import struct
import random
from pathlib import Path

import numpy as np
import pytest

from extractor.reading.readers import text_layer
from extractor.reading.readers.gutters import _with_boxes, gutter_of, page_segments
from extractor.reading.readers.positioned import (_NO_BREAK_AFTER, _THAI_TAIL, group_lines,
                                                  segments)
from extractor.reading.readers.sorting import sort_by

from .pdf_pages import page_glyphs as _page_glyphs

CORPUS = Path(__file__).parent / "pdfs" / "corpus"


def test_packed_sort_is_lexsort():
    rng = np.random.default_rng(7)
    for n in (0, 1, 5, 300):
        line = np.sort(rng.integers(0, 40, n))
        pos, kind = rng.integers(0, 90, n), rng.integers(0, 2, n)
        order = rng.integers(0, 50, n)  # (ties: stable, as lexsort)
        got = sort_by((line, 20), (pos, 20), (kind, 1), (order, 22))
        assert got.tolist() == np.lexsort((order, kind, pos, line)).tolist()
    big = np.array([1 << 30, 3, 1 << 30, 0])  # a key too wide to pack: lexsort itself
    assert sort_by((big, 20), (np.zeros(4, int), 20)).tolist() == np.lexsort((np.zeros(4), big)).tolist()


def test_thai_counts_are_the_regex_counts():
    rng = random.Random(3)
    alphabet = [chr(c) for c in range(0x0E01, 0x0E5B)] + [" ", "a", "\n", "1"]
    for _ in range(3000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        want = (len(text_layer._THAI_LETTER.findall(s)), len(re_marks(s)),
                len(text_layer._ORPHAN_MARK.findall(s)), len(text_layer._SPACE_AA.findall(s)))
        assert text_layer._thai_counts(s) == want, s


def re_marks(s: str) -> list[str]:
    import re
    return re.findall(f"[{text_layer._MARKS}]", s)


def test_end_windows_find_what_whole_searches_find():
    from extractor.reading.readers.page import _TAIL_DIGITS
    rng = random.Random(5)
    alphabet = ["ก", "เ", "ไ", "่", "1", "๒", " ", "a", "\n", "า"]
    for _ in range(5000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        for pattern, window in ((_THAI_TAIL, 13), (_NO_BREAK_AFTER, 13), (_TAIL_DIGITS, 6)):
            whole, end = pattern.search(s), pattern.search(s[-window:])
            assert (whole and whole.group()) == (end and end.group()), (s, pattern.pattern)


@pytest.mark.parametrize("name", ["c02_banphraek__chromium-laksaman-ruled.pdf",
                                  "c04_thangiw__docx-loma-unruled.pdf"])
def test_page_runs_are_each_lines_runs(name):
    g = _page_glyphs(CORPUS / name)
    lines = group_lines(g)
    page_segments(lines)
    assert sum(len(l.runs) > 1 for l in lines) >= 3  # (a page with columns)
    for line in lines:
        assert line.runs == _with_boxes(line, segments(line, gutter_of(line)))


def test_path_segments_read_in_bulk_are_read_one_by_one():
    pdfium = pytest.importorskip("pypdfium2")
    import pypdfium2.raw as raw

    from extractor.reading.readers.pdf import _to_display
    from extractor.reading.readers.pdf_rules import _add, page_edges

    pdf = pdfium.PdfDocument(str(CORPUS / "c01_nonghan__chromium-garuda-ruled.pdf"))
    try:
        page = pdf[0]
        show = _to_display(page)
        fast = page_edges(page, show)
        slow: list[dict] = []  # the plain reading: every object, one call per segment
        m, x, y = raw.FS_MATRIX(), ctypes.c_float(), ctypes.c_float()
        for k in range(raw.FPDFPage_CountObjects(page)):
            obj = raw.FPDFPage_GetObject(page, k)
            if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
                continue
            raw.FPDFPageObj_GetMatrix(obj, m)
            pts, start = [], None
            for s in range(raw.FPDFPath_CountSegments(obj)):
                seg = raw.FPDFPath_GetPathSegment(obj, s)
                raw.FPDFPathSegment_GetPoint(seg, x, y)
                p = (m.a * x.value + m.c * y.value + m.e, m.b * x.value + m.d * y.value + m.f)
                kind = raw.FPDFPathSegment_GetType(seg)
                if kind == raw.FPDF_SEGMENT_MOVETO:
                    start = p
                elif kind == raw.FPDF_SEGMENT_LINETO and pts:
                    _add(slow, pts[-1], p, show)
                pts.append(p)
                if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                    _add(slow, p, start, show)
        page.close()
    finally:
        pdf.close()
    assert len(fast) > 20 and fast == slow


def test_suspicious_codes_is_the_pattern():
    from extractor.reading.readers.suspicious import suspicious, suspicious_text

    rng = random.Random(5)
    # Thai letters and marks, ASCII punctuation and letters, the plain symbols, and
    # what a glyph id read as a character gives (Latin-1, PUA, CJK, astral)
    alphabet = ("กขคงจฐณดตทนบปผพมยรลวสหอฮ่้๊๋ัิีึืุู์ำาเแโใไ๐๑๒ 0123456789.-/;:!#%&()*+,<=>?@AZaz~"
                "\t\n\u00a0\u200b\ufeff\ufffe\u00b7\u2022\u25a0\u25cf\u2013\u2610\u013b\u00e9"
                "\uf70b\u4e00\U0001f600\x7f\x01")
    texts = ["", "ก", "ก;", "ด;า", "ด.า", "พ.ศ. ๒๕๖๖", "ก.ค.-ก.ย.", "ดĻาเนิน", "☑ ผ่าน"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    for text in texts:
        codes = np.frombuffer(text.encode("utf-32-le"), np.uint32)
        assert suspicious(codes) == suspicious_text(text), text
    assert sum(map(suspicious_text, texts)) > 500 and sum(not suspicious_text(t) for t in texts) > 300


def test_line_order_and_mark_merge_are_the_plain_sorts():
    from extractor.reading.readers.sorting import left_to_right as _left_to_right
    from extractor.reading.readers.sorting import with_marks as _with_marks

    rng = np.random.default_rng(11)
    for n in (1, 2, 7, 60, 400):
        for tidy in (True, False):  # letters written left to right, or in any order
            gid = np.sort(rng.integers(0, max(n // 8, 1), n))
            order = rng.permutation(n * 2)[:n]
            x0 = (np.argsort(np.argsort(order)) if tidy else rng.integers(0, 30, n)).astype(float)
            plain = np.lexsort((order, x0, gid))
            assert _left_to_right(gid, x0, order).tolist() == plain.tolist()
            # marks on letters: the stable sort by line, place in line, kind, order
            base = rng.permutation(n * 3)[:n]
            m = rng.integers(0, 2 * n + 1)
            marks = rng.permutation(np.arange(n * 3, n * 3 + m))
            after = rng.integers(0, n, m)
            morder = rng.integers(0, 9, m)  # (ties: their order in `marks`)
            starts = np.flatnonzero(np.diff(np.concatenate(([-1], gid))))
            pos = np.arange(n) - starts[np.searchsorted(starts, np.arange(n), side="right") - 1]
            units = np.concatenate((base, marks))
            lines = np.concatenate((gid, gid[after]))
            places = np.concatenate((pos, pos[after]))
            kinds = np.concatenate((np.zeros(n, int), np.ones(m, int)))
            orders = np.concatenate((rng.integers(0, 9, n), morder))
            o = np.lexsort((np.arange(n + m), orders, kinds, places, lines))
            got = _with_marks(base, gid, marks, gid[after], after, morder)
            assert [a.tolist() for a in got] == [units[o].tolist(), lines[o].tolist(), kinds[o].tolist()]


def test_glyph_boxes_read_at_their_offsets_are_fonttools_glyphs():
    pdfium = pytest.importorskip("pypdfium2")
    import io

    from fontTools.ttLib import TTFont

    from extractor.reading.readers.fontmap import Fonts

    seen = 0
    for path in sorted(CORPUS.glob("*weasyprint*.pdf"))[:3]:
        pdf = pdfium.PdfDocument(str(path))
        try:
            page = pdf[0]
            tp = page.get_textpage()
            fonts = Fonts()
            found = {id(f): f for i in range(tp.count_chars())
                     if (f := fonts.of_char(tp, i)) is not None}
            tp.close()
            page.close()
        finally:
            pdf.close()
        for font in found.values():
            if not font.boxes:
                continue
            tt = TTFont(io.BytesIO(font._data), lazy=True)
            glyf, order = tt["glyf"], tt.getGlyphOrder()
            plain = {}
            for gid in font.gid_text:  # the glyph objects fontTools cuts out of the table
                g = glyf.glyphs.get(order[gid])
                data = getattr(g, "data", None)
                if data is not None and len(data) >= 10:
                    contours, *box = struct.unpack(">hhhhh", data[:10])
                    if contours:
                        plain[gid] = tuple(box)
            assert font.boxes == plain
            seen += 1
    assert seen >= 3


def test_parts_in_one_pass_are_each_part():
    g = _page_glyphs(CORPUS / "c02_banphraek__chromium-laksaman-ruled.pdf")
    rng = random.Random(3)
    lines = [l for l in group_lines(g) if len(l.idx) >= 4]
    assert len(lines) >= 10 and int(g.mark.sum()) > 20  # (Thai: marks in the parts)
    for line in lines:
        n = len(line.idx)
        for _ in range(3):
            cuts = sorted(rng.sample(range(1, n), min(n - 1, rng.randint(2, 5))))
            edges = [0] + cuts + [n]
            fast, plain = line.parts(edges), [line.part(a, b) for a, b in zip(edges, edges[1:])]
            for f, p in zip(fast, plain):
                assert (f.x0, f.top, f.x1, f.bottom) == (p.x0, p.top, p.x1, p.bottom)
                assert f.tokens == p.tokens and f.gaps.tolist() == p.gaps.tolist()
                assert f.idx.tolist() == p.idx.tolist() and f.text == p.text
    # a part of marks alone (no letter) takes its box from them
    mark_run = next(l for l in lines if g.mark[l.idx[1]])
    k = 1
    while k < len(mark_run.idx) and g.mark[mark_run.idx[k]]:
        k += 1
    edges = [0, 1, k, len(mark_run.idx)] if k < len(mark_run.idx) else [0, 1, k]
    for f, p in zip(mark_run.parts(edges),
                    [mark_run.part(a, b) for a, b in zip(edges, edges[1:])]):
        assert (f.x0, f.top, f.x1, f.bottom) == (p.x0, p.top, p.x1, p.bottom)


def test_code_set_of_chars_is_set_membership():
    from extractor.reading.readers.clusters import IN_CLUSTERS
    from extractor.reading.readers.codepoints import CodeSet

    codes = CodeSet(IN_CLUSTERS)
    rng = random.Random(9)
    pool = ["\u0e48", "\u0e49", "\u0e32", "\u0e33", "ก", "a", " ", "\ufffd", "\U0001f600",
            "\u0e4d\u0e32", "\u0e48\u0e33"]  # (the last two: glyphs resolved to clusters)
    for n in (0, 1, 5, 200):
        for single in (True, False):
            chars = [rng.choice(pool[:9] if single else pool) for _ in range(n)]
            assert codes.of_chars(chars).tolist() == [c in IN_CLUSTERS for c in chars]


def test_fonts_without_glyph_names_read_with_placeholders_are_fonttools_names(monkeypatch):
    """A font keeping no glyph names (post format 3: subset fonts) read with placeholder
    names learns what it learns with the names fontTools makes up from its cmap: the
    same texts (a symbol cmap's glyphs named uniF0xx as the last resort), byte map and
    boxes, in the same order."""
    import io

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._c_m_a_p import cmap_classes

    from extractor.reading.readers import fontmap

    path = Path("/usr/share/fonts/truetype/tlwg/Garuda.ttf")
    if not path.exists():
        pytest.skip("Thai fonts not installed (apt-get install fonts-thai-tlwg)")
    font = TTFont(str(path))
    font["post"].formatType = 3.0
    order = font.getGlyphOrder()
    only_symbol = set(order[1:40])  # glyphs left to a symbol cmap (3,0) alone
    for table in font["cmap"].tables:
        table.cmap = {c: g for c, g in table.cmap.items() if g not in only_symbol}
    symbol = cmap_classes[4](4)
    symbol.platformID, symbol.platEncID, symbol.language = 3, 0, 0
    symbol.cmap = {0xF000 + k: order[k] for k in range(1, 40)}
    font["cmap"].tables.append(symbol)
    out = io.BytesIO()
    font.save(out)

    def learnt(f):
        return f.gid_text, list(f.gid_text), f.code_gid, f.n_glyphs, f.upm, f.boxes, list(f.boxes)

    fast = fontmap.EmbeddedFont(out.getvalue(), "Garuda")
    monkeypatch.setattr(fontmap, "glyph_order", lambda tt: (tt.getGlyphOrder(), None))
    named = fontmap.EmbeddedFont(out.getvalue(), "Garuda")
    assert learnt(fast) == learnt(named)
    assert sum("\uf000" < t < "\uf100" for t in fast.gid_text.values()) >= 30  # (names)
    assert sum("\u0e01" <= t <= "\u0e5b" for t in fast.gid_text.values()) >= 60


def test_distinct_rows_packed_are_np_unique_rows():
    from extractor.reading.readers.boxcheck import _distinct_rows

    rng = np.random.default_rng(11)
    for n, span in ((0, 5), (1, 5), (40, 3), (500, 40), (300, 1 << 16)):
        keys = rng.integers(-span, span, (n, 4)).astype(float)
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        got = _distinct_rows(keys)
        assert got[0].tolist() == first.tolist() and got[1].tolist() == inverse.reshape(-1).tolist()


def test_same_origin_is_pythons_rounding():
    from extractor.reading.readers.clusters import _same_origin

    rng = np.random.default_rng(2)
    base = np.repeat(rng.integers(0, 60000, 2000) / 100, 2)  # pairs on the 0.01 grid …
    nudges = [0, 0, 0.004, 0.005, -0.005, 0.0051, -0.0049, 0.006, 0.011, 0.0101, 0.01]
    x = base + rng.choice(nudges, 4000)  # … nudged around it
    y = base[::-1] + rng.choice(nudges, 4000)
    origin = np.stack((x, y), axis=1)
    want = [(round(a, 2), round(b, 2)) == (round(c, 2), round(d, 2))
            for (a, b), (c, d) in zip(origin[:-1].tolist(), origin[1:].tolist())]
    assert _same_origin(origin).tolist() == want
    assert 100 < sum(want) < len(want) - 100


def test_pdfium_calls_through_ctypes_are_through_cffi(monkeypatch):
    """Without cffi the same pdfium functions are called through ctypes: the same glyphs
    (boxes, sizes, resolved and checked characters, clusters) and the same rules."""
    from extractor.reading.readers import pdfium_calls

    if pdfium_calls._ffi is None:
        pytest.skip("cffi not installed: the ctypes path is the only one")
    pdfium = pytest.importorskip("pypdfium2")
    from extractor.reading.readers.pdf import _to_display
    from extractor.reading.readers.pdf_rules import page_edges

    def read(name):
        g = _page_glyphs(CORPUS / name)
        pdf = pdfium.PdfDocument(str(CORPUS / name))
        try:
            page = pdf[0]
            edges = page_edges(page, _to_display(page))
            page.close()
        finally:
            pdf.close()
        return g.text, g.boxes.tolist(), g.size.tolist(), edges

    names = [next(CORPUS.glob("*weasyprint*-ruled.pdf")).name,
             "c02_banphraek__chromium-laksaman-ruled.pdf"]
    through_cffi = [read(n) for n in names]
    try:
        monkeypatch.setattr(pdfium_calls, "_ffi", None)
        pdfium_calls.function.cache_clear()
        assert [read(n) for n in names] == through_cffi
    finally:
        monkeypatch.undo()
        pdfium_calls.function.cache_clear()


def test_spread_picks_are_linspaces():
    from extractor.reading.readers.ocr_layer import _spread

    for m in list(range(1, 3000)) + [10 ** 5 + 7, 987654]:
        assert _spread(m, 15) == np.linspace(0, m - 1, min(15, m)).astype(int).tolist(), m


def _open_ends_plain(edges):
    """`pdf_rules.open_ends` as it was: every end against every rule."""
    horiz = [e for e in edges if e["orientation"] == "h"]
    vert = [e for e in edges if e["orientation"] == "v"]
    if not vert:
        return []
    h = np.array([(e["top"], e["x0"], e["x1"]) for e in horiz], float).reshape(-1, 3)
    v = np.array([(e["x0"], e["top"], e["bottom"]) for e in vert], float)
    long = np.flatnonzero(v[:, 2] - v[:, 1] >= 5)
    rule = np.concatenate((long, long))
    y = np.concatenate((v[long, 1], v[long, 2]))[:, None]
    x, top, bottom = v[rule, 0][:, None], v[rule, 1][:, None], v[rule, 2][:, None]
    level = np.abs(h[:, 0] - y) <= 2
    crossed = (level & (h[:, 1] - 2 <= x) & (x <= h[:, 2] + 2)).any(axis=1)
    same = (np.abs(v[:, 0] - x) <= 2) & (v[:, 1] - 2 <= y) & (y <= v[:, 2] + 2) \
        & ((v[:, 1] < top - 2) | (v[:, 2] > bottom + 2))
    same[np.arange(len(rule)), rule] = False
    kept = ~crossed & ~(same.any(axis=1) & level.any(axis=1))
    return sorted({round(float(e), 1) for e in y[kept, 0].tolist()})


def test_open_ends_asked_of_few_are_every_ends():
    from extractor.reading.readers.pdf_rules import open_ends

    rng = random.Random(9)
    for _ in range(300):
        edges = []
        for _ in range(rng.randint(1, 60)):
            o, at = rng.choice("hv"), rng.choice([0, 10, 30, 31.5, 60, 90]) + rng.random()
            a = rng.choice([0, 10, 28, 30, 60, 61]) + rng.random() * 3
            b = a + rng.choice([2, 20, 30, 60]) + rng.random()
            x0, top, x1, bottom = (a, at, b, at) if o == "h" else (at, a, at, b)
            edges.append({"orientation": o, "x0": x0, "x1": x1, "top": top, "bottom": bottom})
        assert open_ends(edges) == _open_ends_plain(edges)


def test_edges_of_segments_as_arrays_are_walked():
    """A page's path segments made into edges as arrays (many rules) give what walking
    them gives (few rules): random paths of moves, lines, curves and closes."""
    from extractor.reading.readers.pdf_rules import _edges_of, _edges_walked

    rng = np.random.default_rng(5)
    codes = (1, 0)  # (move-to, line-to; 2: a curve)
    show = lambda l, b, r, t: (l, 800 - t, r, 800 - b)  # noqa: E731
    for n_paths in (1, 5, 40, 120):
        counts = rng.integers(0, 9, n_paths)
        n = int(counts.sum())
        px = rng.choice([10.0, 10.2, 50.0, 90.0, 300.0], n) + rng.choice([0, 0, 0.3, 2.0], n)
        py = rng.choice([20.0, 20.4, 60.0, 61.0, 500.0], n)
        kinds = rng.choice([0, 0, 0, 1, 2], n)
        closes = rng.choice([0, 0, 0, 1], n)
        walked = _edges_walked(px.tolist(), py.tolist(), kinds.tolist(), closes.tolist(),
                               counts.tolist(), codes, show)
        if n >= 100:
            assert _edges_of(px, py, kinds, closes, counts, codes, show) == walked
        assert len(walked) > 0 or n < 5


def test_matrix_and_size_of_a_text_object_are_each_characters():
    """The box check asks matrix and font size of each text object's first checked
    character: pdfium gives every character of a text object the object's — all but the
    spaces it makes up itself (a word gap: placed by the gap, never checked)."""
    pdfium = pytest.importorskip("pypdfium2")
    import pypdfium2.raw as raw

    names = [n.name for n in sorted(CORPUS.glob("*weasyprint*.pdf"))[:2]]
    names.append("c02_banphraek__chromium-laksaman-ruled.pdf")
    objects = 0
    for name in names:
        pdf = pdfium.PdfDocument(str(CORPUS / name))
        try:
            page = pdf[0]
            tp = page.get_textpage()
            m = raw.FS_MATRIX()
            first: dict[int, tuple] = {}
            for i in range(tp.count_chars()):
                obj = raw.FPDFText_GetTextObject(tp, i)
                if not obj or raw.FPDFText_IsGenerated(tp, i):
                    continue
                ok = raw.FPDFText_GetMatrix(tp, i, ctypes.byref(m))
                got = (ok, m.a, m.b, m.c, m.d, m.e, m.f, raw.FPDFText_GetFontSize(tp, i))
                key = ctypes.cast(obj, ctypes.c_void_p).value
                assert first.setdefault(key, got) == got
            objects += len(first)
            tp.close()
            page.close()
        finally:
            pdf.close()
    assert objects > 50


def test_code_sets_share_a_pages_index_and_nothing_else():
    """A page's codes (an array over its text's bytes) are indexed once for every code
    set; any other array is indexed as it is when asked (a changed array, a new page)."""
    from extractor.reading.readers.codepoints import CodeSet

    marks, space = CodeSet("\u0e48\u0e49"), CodeSet(" ")
    page = np.frombuffer("ก่ ข้\U0001F600".encode("utf-32-le"), np.uint32)
    assert marks.mask(page).tolist() == [False, True, False, False, True, False]
    assert space.mask(page).tolist() == [False, False, True, False, False, False]
    other = np.frombuffer("  ่".encode("utf-32-le"), np.uint32)
    assert marks.mask(other).tolist() == [False, False, True]
    writable = page.copy()
    assert space.mask(writable)[2]
    writable[2] = 0x0E48
    assert marks.mask(writable).tolist() == [False, True, True, False, True, False]
