"""Start-up: what `extract` leaves unloaded, and the cheap checks and generated files that
let it.

`clean_text` calls three pythainlp functions only when a cheap check says the function
could change the text (importing pythainlp costs ~35 ms). Each check must be a necessary
condition: if it says no, the function would have returned its input unchanged. Tested on
strings drawn from the characters those functions act on, so that a pythainlp release
that widens a rule fails here rather than silently changing output.
"""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pythainlp.util

from normalizers import text as text_mod

ROOT = Path(__file__).resolve().parents[1]

# Consonants, lead/follow/above/below vowels, tone marks, signs, digits, spaces and the
# zero-width characters: everything the three functions read.
_ALPHABET = ([chr(c) for c in range(0x0E01, 0x0E5C) if c not in range(0x0E3B, 0x0E3F)]
             + [" ", " ", "\u200b", "\u200c", "\u200d", "\ufeff", "a", "-"])


# A few letters and every mark, denser in the sequences the rules look for.
_DENSE = ["ก", "ร", "เ", "า", "ะ", "\u0e45", " ", " "] + [chr(c) for c in range(0x0E31, 0x0E3B)] + [
    chr(c) for c in range(0x0E47, 0x0E4F)]


def _samples(n: int = 4000) -> list[str]:
    rng = random.Random(14)
    return ["".join(rng.choices(alphabet, k=rng.randint(1, 9)))
            for alphabet in (_ALPHABET, _DENSE) for _ in range(n)]


def test_each_cheap_check_is_necessary_for_its_pythainlp_function():
    checks = (
        (lambda s: text_mod._ZERO_WIDTH[0] in s or text_mod._ZERO_WIDTH[1] in s, pythainlp.util.remove_zw),
        (lambda s: text_mod._SPACE_BEFORE_MARK_RE.search(s) is not None,
         pythainlp.util.remove_spaces_before_marks),
        (text_mod._misordered, pythainlp.util.reorder_vowels),
    )
    for check, function in checks:
        changed = 0
        for s in _samples():
            if function(s) != s:
                changed += 1
                assert check(s), (function.__name__, s)
        assert changed > 20, function.__name__  # the samples do exercise the function


def test_extract_of_a_plain_text_report_imports_neither_pythainlp_nor_geothai(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(
        "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน\n"
        "องค์การบริหารส่วนตำบลหนองบัว อำเภอเมือง จังหวัดอุดรธานี\n"
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘\n\n"
        "ลำดับ\tมาตรการ\tผลการดำเนินการ\n"
        "๑\tจัดทำคู่มือการปฏิบัติงาน\tดำเนินการแล้ว\n"
        "๒\tเผยแพร่ข้อมูลข่าวสาร\tอยู่ระหว่างดำเนินการ\n", encoding="utf-8")
    probe = ("import sys, io, contextlib\nfrom extractor.cli import main\n"
             "with contextlib.redirect_stdout(io.StringIO()) as out:\n    main(['extract', sys.argv[1]])\n"
             "assert 'คู่มือ' in out.getvalue(), out.getvalue()\n"
             "print(sorted(m for m in ('pythainlp', 'geothai') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe, str(report)], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stderr[-800:]


def test_text_that_needs_pythainlp_still_gets_it():
    # a tone mark typed before its vowel, a zero-width space, a space before a mark
    assert text_mod.clean_text("ก\u0e48\u0e34จกรรม") == "ก\u0e34\u0e48จกรรม"
    assert text_mod.clean_text("โครง\u200bการ") == "โครงการ"
    assert text_mod.clean_text("พ ุ่มไม้") == "พุ่มไม้"


GAZETTEER = ROOT / "normalizers" / "data" / "gazetteer.csv"


def _skip_unless_shipped_geothai_data():
    """The shipped gazetteer is compared with the installed geothai when both hold the same
    data release (the lowest geothai pyproject allows may hold another)."""
    import geothai
    import pytest

    made_from = GAZETTEER.read_text(encoding="utf-8").splitlines()[0]
    if f"geothai data {getattr(geothai, 'DATA_VERSION', 'unknown')};" not in made_from:
        pytest.skip(f"installed geothai holds other data than gazetteer.csv was made from ({made_from})")


def test_shipped_gazetteer_is_what_the_installed_geothai_gives():
    """normalizers/data/gazetteer.csv is generated (`python -m normalizers.gazetteer_index`);
    regenerate it when geothai's data change."""
    from normalizers.gazetteer_index import build_index

    _skip_unless_shipped_geothai_data()
    assert GAZETTEER.read_text(encoding="utf-8") == build_index()


def test_gazetteer_areas_are_geothais():
    import geothai

    from normalizers import gazetteer as gz

    _skip_unless_shipped_geothai_data()

    for p in geothai.provinces():
        assert tuple(gz.province(p.code)) == (p.code, p.name_th, p.name_en)
        for d in geothai.districts(p.code):
            assert tuple(gz.district(d.code)) == (d.code, d.name_th, d.name_en, d.province_code)
            for s in geothai.subdistricts(d.code):
                assert (s.code, s.district_code, s.province_code) in gz.places(gz.compact(s.name_th))


def test_a_province_spelt_as_registered_is_the_one_geothais_rules_give():
    """find_province answers those without geothai; geothai's first match must agree."""
    import geothai

    from normalizers import gazetteer as gz

    _skip_unless_shipped_geothai_data()

    for p in geothai.provinces():
        first = next(q for q in geothai.provinces() if geothai.is_province(q, p.name_th))
        assert gz.find_province(p.name_th).code == first.code == p.code
    # the rest is geothai's: a short form, an English name as geothai normalises it
    assert gz.find_province("กทม").code == "10" and gz.find_province("bangkok").code == "10"


def test_register_index_holds_every_line_under_its_name_key():
    import csv
    import io
    from importlib import resources

    from normalizers import lao_register

    text = resources.files("normalizers").joinpath("data", "lao_register.csv").read_text("utf-8")
    expected: dict[str, list[str]] = {}
    lines = [line for line in text.splitlines() if line][1:]
    for line, row in zip(lines, csv.DictReader(io.StringIO(text))):
        expected.setdefault(lao_register.name_key(row["name"]), []).append(line)
    lao_register._register.cache_clear()
    got = lao_register._register().by_key
    assert {k: list(v) for k, v in got.items()} == expected
    assert len(got["เชิงทะเล"]) == 2  # a เทศบาลตำบล and an อบต. of one name


def test_importing_the_reading_code_compiles_no_module_regex():
    probe = ("import gc, sys\nimport extractor.cli, extractor.reading.pipeline\n"
             "from normalizers._regex import LazyPattern\n"
             "lazy = [o for o in gc.get_objects() if isinstance(o, LazyPattern)]\n"
             "print(len(lazy), sum('search' in vars(o) for o in lazy))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    made, compiled = map(int, out.stdout.split())
    assert made > 80 and compiled == 0, (made, compiled, out.stderr[-500:])


def test_ends_mid_phrase_segments_words_only_for_text_ending_in_a_dangling_word():
    """The shortcut in `stray.ends_mid_phrase` (no dangling word at the end: no segmentation)
    gives what segmenting gives, on the corpus's cell and line fragments."""
    import re

    from pythainlp.tokenize import word_tokenize

    from extractor.reading import stray

    texts = set()
    for path in sorted((ROOT / "tests" / "corpus" / "text").rglob("*")):
        if path.suffix in (".txt", ".md", ".html"):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                texts.update(p.strip() for p in re.split(r"[\t|<>]", line) if re.search("[ก-๛]", p))
    rng = random.Random(5)
    words = sorted(stray._dangling_words())
    texts.update(f"{rng.choice(sorted(texts))[-12:]}{w}" for w in words for _ in range(5))
    ends = 0
    for t in sorted(texts):
        tokens = [w for w in word_tokenize(t.rstrip()[-30:]) if w.strip()]
        by_segmenting = bool(tokens) and tokens[-1] in stray._dangling_words()
        assert stray.ends_mid_phrase(t) == by_segmenting, t
        ends += by_segmenting
    assert len(texts) > 1000 and ends > 50, (len(texts), ends)


def test_a_lazy_pattern_copies_and_pickles_as_its_source():
    import copy
    import pickle

    from normalizers._regex import LazyPattern, lazy_compile

    p = lazy_compile(r"[0-9]+")
    for twin in (copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        assert isinstance(twin, LazyPattern) and twin.pattern == p.pattern
        assert twin.findall("ปี 2568 รอบ 6") == ["2568", "6"]


def test_a_pool_run_does_not_import_the_reader_in_the_committing_process(tmp_path):
    """With worker processes, the process that scans and commits never reads a report: it
    must not pay for importing the reading code (~85 ms of every nightly run)."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text((ROOT / "data" / "raw" / "sample_tsv_plan_status.txt").read_text("utf-8"),
                               encoding="utf-8")
    probe = ("import sys\nfrom extractor.cli import main\n"
             "code = main(['ingest', sys.argv[1], '-o', sys.argv[2], '--workers', '1', '-q'])\n"
             "print(code, sorted(m for m in ('extractor.reading.pipeline', 'normalizers.agency') "
             "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe, str(src), str(tmp_path / "ds")],
                         capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stderr[-800:]
