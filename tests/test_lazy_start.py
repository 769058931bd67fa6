"""Start-up: what `extract` leaves unloaded, and the cheap checks that let it.

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


def test_extract_of_a_plain_text_report_does_not_import_pythainlp(tmp_path):
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
             "print('pythainlp' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe, str(report)], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr[-800:]


def test_text_that_needs_pythainlp_still_gets_it():
    # a tone mark typed before its vowel, a zero-width space, a space before a mark
    assert text_mod.clean_text("ก\u0e48\u0e34จกรรม") == "ก\u0e34\u0e48จกรรม"
    assert text_mod.clean_text("โครง\u200bการ") == "โครงการ"
    assert text_mod.clean_text("พ ุ่มไม้") == "พุ่มไม้"


def test_subdistrict_names_read_from_geothai_data_are_those_of_its_api(monkeypatch):
    from normalizers import gazetteer

    fast = gazetteer.subdistrict_names()
    assert fast == gazetteer.subdistrict_names_from_api()
    assert len(fast) > 7000 and ("840503", "เกาะเต่า") in fast
    # and the data file is what was read (the API is only the fallback)
    monkeypatch.setattr(gazetteer, "subdistrict_names_from_api", lambda: [])
    assert gazetteer.subdistrict_names() == fast


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
