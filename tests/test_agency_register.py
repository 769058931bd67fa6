"""The reporting agency found in the DLA register: official codes, type disambiguation,
municipalities the gazetteer lacks, the fallback id, and no silent move across provinces.

Agencies and wording here are our own (not the seeds'): real LAOs from the register, named
the way reports name them (titles, body sentences, signature blocks, abbreviations).
"""
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.notes import needs_review
from extractor.reading.pipeline import extract_document
from extractor.reading.readers.text import parse_text
from normalizers import lao_register
from normalizers.agency import parse_agency_mentions, resolve_agency

from .conftest import GOLD, SEEDS, needs_shared

ROOT = Path(__file__).resolve().parent.parent
SHARED_REGISTER = ROOT.parent / "shared" / "reference" / "lao_register.csv"
TABLE = ("\nมาตรการ/แนวทาง\tวิธีดำเนินการ\tระยะเวลา\n"
         "๑. เผยแพร่ประกาศเจตนารมณ์\tติดประกาศและเผยแพร่ทางเว็บไซต์\tต.ค.๖๖ - มี.ค.๖๗\n")


def resolve(*texts, district=None, province=None):
    mentions = [m for i, t in enumerate(texts) for m in parse_agency_mentions(t, i, 2.0 if i == 0 else 1.0)]
    return resolve_agency(mentions, district, province)


def kinds(res):
    return {k for k, _ in res.notes}


def report(title_lines: str, body: str = ""):
    text = "แบบรายงานผลการขับเคลื่อนมาตรการภายใน ปีงบประมาณ พ.ศ. ๒๕๖๗\n" + title_lines + "\n" + TABLE
    if body:
        text += "\n" + body + "\n"
    return extract_document(parse_text(text))


# --- the register as shipped -------------------------------------------------------------

def test_the_packaged_register_holds_every_lao_with_a_well_formed_code():
    entries = lao_register.all_entries()
    assert len(entries) == 7849 == len({e.dla_code for e in entries})
    first_digit = {"องค์การบริหารส่วนจังหวัด": "2", "เทศบาลนคร": "3", "เมืองพัทยา": "3",
                   "เทศบาลเมือง": "4", "เทศบาลตำบล": "5", "องค์การบริหารส่วนตำบล": "6"}
    odd = [e for e in entries if e.dla_code[0] != first_digit[e.type]]
    assert len(odd) == 2 and {e.type for e in odd} == {"เทศบาลตำบล"}  # kept a 6 from before an upgrade
    assert all(len(e.dla_code) == 7 and e.dla_code[1:5] == e.district_code
               and e.district_code[:2] == e.province_code for e in entries)


@pytest.mark.skipif(not SHARED_REGISTER.exists(), reason="needs ../shared/reference/lao_register.csv")
def test_the_packaged_register_is_the_reference_file_unchanged():
    packaged = ROOT / "normalizers" / "data" / "lao_register.csv"
    assert packaged.read_bytes() == SHARED_REGISTER.read_bytes()
    with SHARED_REGISTER.open(encoding="utf-8") as f:
        assert sum(1 for _ in csv.DictReader(f)) == 7849


def test_importing_the_extractor_does_not_parse_the_register():
    code = ("import extractor.reading.pipeline, normalizers.agency, normalizers.lao_register as r;"
            "assert not r.is_loaded(), 'parsed at import';"
            "r.entries('ดอนตรอ'); assert r.is_loaded()")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# --- official codes ----------------------------------------------------------------------

def test_agency_id_is_the_dla_code_of_the_registered_agency():
    rep = report("เทศบาลตำบลนางัว อำเภอน้ำโสม จังหวัดอุดรธานี",
                 "ลงชื่อ นายกเทศมนตรีตำบลนางัว")
    assert (rep.agency_name, rep.agency_id, rep.dla_code) == ("เทศบาลตำบลนางัว", "5411801", "5411801")
    assert (rep.district, rep.province, needs_review(rep.notes)) == ("น้ำโสม", "อุดรธานี", False)


def test_a_tambon_municipality_and_a_tambon_organisation_of_one_name_in_one_district_differ_by_type():
    muni = resolve("เทศบาลตำบลนาหนองทุ่ม อ.แก้งคร้อ จ.ชัยภูมิ", "ลงชื่อ นายกเทศมนตรีตำบลนาหนองทุ่ม")
    org = resolve("อบต.นาหนองทุ่ม อำเภอแก้งคร้อ จังหวัดชัยภูมิ", "นายกองค์การบริหารส่วนตำบลนาหนองทุ่ม")
    assert (muni.agency_id, org.agency_id) == ("5361202", "6361204")
    assert muni.district == org.district == "แก้งคร้อ"


def test_a_municipality_whose_name_is_no_subdistrict_is_placed_by_the_register():
    res = resolve("ทต.ปากน้ำประแส", "ประชาชนในเขตเทศบาลตำบลปากน้ำประแสได้รับทราบ")
    assert (res.dla_code, res.district, res.province) == ("5210304", "แกลง", "ระยอง")
    assert res.subdistrict_code is None and not kinds(res) & {"agency_unplaced", "agency_not_in_register"}


def test_a_name_and_district_ocr_broke_into_syllables_are_joined_back():
    rep = report("องค์ การ บริหาร ส่วน ตำบล หัว สำ โรง อำ เภอ แปลง ยาว\nจังหวัด ฉะเชิงเทรา")
    assert (rep.agency_name, rep.dla_code, rep.district) == ("องค์การบริหารส่วนตำบลหัวสำโรง", "6240906", "แปลงยาว")


def test_a_provincial_organisation_gets_its_register_code():
    res = resolve("องค์การบริหารส่วนจังหวัดชลบุรี", "อบจ.ชลบุรี")
    assert (res.name, res.agency_id, res.province, res.district) == (
        "องค์การบริหารส่วนจังหวัดชลบุรี", "2200101", "ชลบุรี", "เมืองชลบุรี")


def test_an_ocr_slip_in_the_name_is_read_as_the_one_registered_name_near_it_in_the_province():
    res = resolve("เทศบาลตำบลปากน้ำประเส", province="ระยอง")
    assert res.dla_code == "5210304" and "agency_name_corrected" in kinds(res)


# --- fallback and review -----------------------------------------------------------------

def test_an_agency_the_register_lacks_keeps_the_fallback_id_with_a_warning():
    # only an อบต.บางเตย is registered in สามพราน: a เทศบาลตำบล of that name is not
    res = resolve("เทศบาลตำบลบางเตย อำเภอสามพราน จังหวัดนครปฐม")
    assert (res.dla_code, res.agency_id, res.district) == (None, "TT-730605", "สามพราน")
    msg, = [m for k, m in res.notes if k == "agency_not_in_register"]
    assert "องค์การบริหารส่วนตำบลบางเตย" in msg
    unknown = resolve("เทศบาลตำบลวังน้ำใสสะอาด อำเภอแกลง จังหวัดระยอง")
    assert unknown.dla_code is None and unknown.agency_id.startswith("TT-x")
    assert {"agency_not_in_register", "agency_unplaced"} <= kinds(unknown)
    rep = report("เทศบาลตำบลวังน้ำใสสะอาด อำเภอแกลง จังหวัดระยอง")
    severity = {n.kind: n.severity for n in rep.notes}
    assert severity["agency_not_in_register"] == "warning" and rep.agency_id == unknown.agency_id


def test_a_name_in_several_provinces_stays_unresolved_unless_the_address_tells():
    res = resolve("องค์การบริหารส่วนตำบลบ้านเก่า", "อบต.บ้านเก่า")
    assert (res.dla_code, res.district, res.province) == (None, None, None)
    msg, = [m for k, m in res.notes if k == "agency_ambiguous"]
    assert all(p in msg for p in ("ชลบุรี", "นครราชสีมา", "กาญจนบุรี"))
    assert resolve("องค์การบริหารส่วนตำบลบ้านเก่า อำเภอพานทอง").dla_code == "6200506"
    rep = report("องค์การบริหารส่วนตำบลบ้านเก่า")
    assert needs_review(rep.notes) and rep.dla_code is None


def test_a_printed_province_is_never_swapped_for_the_registers():
    # ปากน้ำประแส is registered in แกลง, ระยอง; the report prints จันทบุรี.
    res = resolve("เทศบาลตำบลปากน้ำประแส อำเภอแกลง จังหวัดจันทบุรี")
    assert (res.province, res.district, res.dla_code) == ("จันทบุรี", None, None)
    assert res.printed_district == "แกลง"
    msg, = [m for k, m in res.notes if k == "district_other_province"]
    assert "ระยอง" in msg and "district_corrected" not in kinds(res)
    rep = report("เทศบาลตำบลปากน้ำประแส อำเภอแกลง จังหวัดจันทบุรี")
    assert needs_review(rep.notes) and rep.province == "จันทบุรี"


def test_a_district_of_another_province_with_no_province_printed_places_nothing():
    res = resolve("เทศบาลตำบลปากน้ำประแส อำเภอท่าใหม่")  # ท่าใหม่ is in จันทบุรี
    assert (res.district, res.province, res.dla_code, res.printed_district) == (None, None, None, "ท่าใหม่")
    assert "district_other_province" in kinds(res)


def test_a_wrong_district_inside_the_printed_province_is_corrected_without_review():
    res = resolve("เทศบาลตำบลปากน้ำประแส อำเภอบ้านค่าย จังหวัดระยอง")
    assert (res.dla_code, res.district, res.printed_district) == ("5210304", "แกลง", "บ้านค่าย")
    assert kinds(res) == {"district_corrected"}


def test_mueang_without_a_province_picks_no_capital_the_name_does_not_settle():
    # เทศบาลตำบลท่าศาลา lies in เมืองลพบุรี and in เมืองเชียงใหม่ (and in ท่าศาลา, นครศรีธรรมราช)
    res = resolve("เทศบาลตำบลท่าศาลา อำเภอเมือง")
    assert (res.dla_code, res.district, res.province) == (None, None, None)
    msg, = [m for k, m in res.notes if k == "agency_ambiguous"]
    assert "ลพบุรี" in msg and "เชียงใหม่" in msg and "นครศรีธรรมราช" not in msg
    # the only เทศบาลตำบลหัวกุญแจ is in บ้านบึง, no capital district: not placed anywhere
    other = resolve("เทศบาลตำบลหัวกุญแจ อำเภอเมือง")
    assert (other.dla_code, other.province) == (None, None) and "district_other_province" in kinds(other)


def test_a_capital_district_wrapped_onto_the_next_title_line_finds_its_province():
    rep = report("เทศบาลตำบลท่าศาลา อำเภอเมือง\nเชียงใหม่")
    assert (rep.dla_code, rep.district, rep.province) == ("5500109", "เมืองเชียงใหม่", "เชียงใหม่")
    broken = report("รายงานของเทศบาลตำบลท่าศาลา อำเภอเมือง\n\x0c\n- ๒ -\nเชียงใหม่ จังหวัดเชียงใหม่")  # a page break
    assert (broken.dla_code, broken.province) == ("5500109", "เชียงใหม่")
    spaced = resolve("เทศบาลตำบลท่าศาลา อำเภอเมือง ลพบุรี")
    assert (spaced.dla_code, spaced.province) == ("5160107", "ลพบุรี")


# --- other names in the report -----------------------------------------------------------

def test_truncations_gluings_and_ocr_slips_of_the_agency_are_not_other_agencies():
    rep = report("เทศบาลตำบลนาหนองทุ่ม อำเภอแก้งคร้อ จังหวัดชัยภูมิ",
                 "เทศบาลตำบลนาหนองทุ่มได้ดำเนินการตามมาตรการ\nบุคลากรของเทศบาลตำบลหนองทุ่ม\n"
                 "ประชาชนในเขตเทศบาลตำบลนาหนองทุ้ม\nลงชื่อ นายกเทศมนตรีตำบลนาหนองทุ่ม")
    assert rep.dla_code == "5361202" and not needs_review(rep.notes)
    assert not {n.kind for n in rep.notes} & {"other_agency_named", "agency_contested", "agency_mention_unmatched"}
    assert "เทศบาลตำบลหนองทุ่ม" in rep.agency_aliases


def test_garbled_names_that_are_no_registered_agency_are_listed_as_info():
    rep = report("เทศบาลตำบลกขฅฆ", "เทศบาลตำบลนางัวได้จัดทำคู่มือ\nของเทศบาลตำบลนางัว อำเภอน้ำโสม จังหวัดอุดรธานี\n"
                 "เจ้าหน้าที่เทศบาลตำบลนางัว")
    assert rep.dla_code == "5411801" and not needs_review(rep.notes)
    note, = [n for n in rep.notes if n.kind == "agency_mention_unmatched"]
    assert note.severity == "info" and "เทศบาลตำบลกขฅฆ" in note.message


def test_another_registered_agency_named_once_is_a_warning_named_as_often_a_review():
    body = ("เทศบาลตำบลนางัวได้จัดทำคู่มือ\nเจ้าหน้าที่เทศบาลตำบลนางัว\n"
            "ปรับปรุงเว็บไซต์เทศบาลตำบลหัวสำโรงให้เข้าถึงง่าย")
    rep = report("เทศบาลตำบลนางัว อำเภอน้ำโสม จังหวัดอุดรธานี", body)
    note, = [n for n in rep.notes if n.kind == "other_agency_named"]
    assert note.severity == "warning" and "เทศบาลตำบลหัวสำโรง" in note.message and not needs_review(rep.notes)
    copied = report("เทศบาลตำบลนางัว อำเภอน้ำโสม จังหวัดอุดรธานี",
                    body + "\nประชาชนในเขตเทศบาลตำบลหัวสำโรง\nลงชื่อ นายกเทศมนตรีตำบลหัวสำโรง")
    assert "agency_contested" in {n.kind for n in copied.notes} and needs_review(copied.notes)


def test_the_same_name_of_the_other_type_in_the_same_district_is_another_agency():
    res = resolve("เทศบาลตำบลนาหนองทุ่ม อำเภอแก้งคร้อ จังหวัดชัยภูมิ", "เทศบาลตำบลนาหนองทุ่ม",
                  "ร่วมกับองค์การบริหารส่วนตำบลนาหนองทุ่ม")
    assert res.dla_code == "5361202" and res.others == ("องค์การบริหารส่วนตำบลนาหนองทุ่ม",)


# --- the seeds ---------------------------------------------------------------------------

@needs_shared
def test_seed_agencies_get_their_dla_codes_and_review_only_where_the_report_cannot_say():
    from extractor.reading.pipeline import extract_report
    got = {}
    for path in sorted(SEEDS.glob("*.txt")):
        rep = extract_report(path)
        gold = json.loads((GOLD / (path.stem + ".json")).read_text("utf-8"))["agency"]
        assert (rep.agency_name, rep.district, rep.province) == (gold["name"], gold["district"], gold["province"])
        got[path.name[:3]] = (rep.dla_code, needs_review(rep.notes))
    # 001's อบต.ดงกลาง is registered in three provinces and the report names none
    assert got == {"000": ("5802303", False), "001": (None, True), "002": ("5800106", False),
                   "003": ("5160105", False), "004": ("5490201", False)}


# --- many agencies, many ways of naming them -----------------------------------------------

SIGNATURE = {"เทศบาลตำบล": "นายกเทศมนตรีตำบล", "เทศบาลเมือง": "นายกเทศมนตรีเมือง",
             "เทศบาลนคร": "นายกเทศมนตรีนคร", "องค์การบริหารส่วนตำบล": "นายกองค์การบริหารส่วนตำบล"}
ABBREVIATION = {"เทศบาลตำบล": "ทต.", "เทศบาลเมือง": "ทม.", "เทศบาลนคร": "ทน.", "องค์การบริหารส่วนตำบล": "อบต."}


def namings(e, rng):
    """The ways reports name an agency: full or abbreviated type, address or none, a
    capital district printed as เมือง, only glued body mentions, a slip in the title."""
    from normalizers import gazetteer as gz
    d, p, full = gz.district_name(e.district_code), gz.province(e.province_code).name_th, e.type + e.name
    slip_at = rng.randrange(1, len(e.name) - 1)
    slip = e.name[:slip_at] + ("ก" if e.name[slip_at] != "ก" else "ข") + e.name[slip_at + 1:]
    return {
        "full": [f"{full} อำเภอ{d} จังหวัด{p}", f"ประชาชนในเขต{full}ได้รับทราบ", SIGNATURE[e.type] + e.name],
        "abbreviated": [f"{ABBREVIATION[e.type]}{e.name} อ.{d} จ.{p}", f"เจ้าหน้าที่ของ{full}"],
        "mueang": [f"{full} อำเภอ{'เมือง' if d.startswith('เมือง') else d} จังหวัด{p}"],
        "no address": [full, f"บุคลากร{full} ทุกคน"],
        "glued": [f"รายงานผล {full}", f"ของ{full}ประกาศให้"],
        "slip in title": [f"{e.type}{slip} อำเภอ{d} จังหวัด{p}", f"ของ{full}", f"{full}ได้ดำเนินการ"],
    }


def test_two_hundred_registered_agencies_named_six_ways_never_get_a_wrong_code():
    import random
    rng = random.Random(2567)
    pool = [e for e in lao_register.all_entries() if e.type in SIGNATURE and e.key == e.name and len(e.name) >= 4]
    right = ambiguous = 0
    wrong = []
    for e in rng.sample(pool, 200):
        for style, texts in namings(e, rng).items():
            res = resolve(*texts)
            if res.dla_code == e.dla_code:
                right += 1
            elif res.dla_code is None and "agency_ambiguous" in kinds(res) and style in ("no address", "glued"):
                ambiguous += 1  # the name is registered more than once and nothing says where
            else:
                wrong.append((style, texts[0], res.dla_code, e.dla_code))
    assert wrong == []
    assert right >= 0.9 * 1200 and right + ambiguous == 1200
