"""Agency mentions and their resolution against the DLA register and the gazetteer, on
names we construct (register-specific cases in test_agency_register.py)."""
from normalizers.agency import AgencyMention, parse_agency_mentions, resolve_agency


def mentions(*texts, title=None):
    out = parse_agency_mentions(title, 1, 2.0) if title else []
    for i, t in enumerate(texts, 2):
        out += parse_agency_mentions(t, i)
    return out


def test_abbreviations_and_signature_titles_give_the_full_type():
    got = [(m.type, m.name) for m in parse_agency_mentions(
        "ทต.บ้านกลาง ทม.ตัวอย่าง ทน.นครใหญ่ อบต.ราชาเทวะ อบจ.ภูเก็ต นายกเทศมนตรีตำบลบ้านกลาง")]
    assert got == [("เทศบาลตำบล", "บ้านกลาง"), ("เทศบาลเมือง", "ตัวอย่าง"), ("เทศบาลนคร", "นครใหญ่"),
                   ("องค์การบริหารส่วนตำบล", "ราชาเทวะ"), ("องค์การบริหารส่วนจังหวัด", "ภูเก็ต"),
                   ("เทศบาลตำบล", "บ้านกลาง")]


def test_letter_spaced_type_and_split_sara_am_are_read():
    m, = parse_agency_mentions("เ ท ศ บ า ล ต ํา บ ล เชิงทะเล อ.ถลาง จ.ภูเก็ต")
    assert (m.type, m.name, m.district, m.province) == ("เทศบาลตำบล", "เชิงทะเล", "ถลาง", "ภูเก็ต")


def test_consistent_body_mentions_beat_a_truncated_title():
    ms = mentions("ประชาชนในเขตเทศบาลตำบลเชิงทะเล", "เทศบาลตำบลเชิงทะเลได้จัดทำคู่มือ",
                  "ของเทศบาลตำบลเชิงทะเล", title="เทศบาลตำบลเชิง")
    res = resolve_agency(ms, "ถลาง", "ภูเก็ต")
    assert (res.name, res.district, res.province, res.subdistrict_code) == (
        "เทศบาลตำบลเชิงทะเล", "ถลาง", "ภูเก็ต", "830303")
    assert "เทศบาลตำบลเชิงทะเลได้จัดทำคู่มือ" in res.aliases


def test_a_garbled_name_is_read_as_the_one_close_gazetteer_name_in_its_province():
    res = resolve_agency(mentions(title="เทศบาลตำบลเชิงทะล"), "ถลาง", "ภูเก็ต")
    assert res.name == "เทศบาลตำบลเชิงทะเล" and res.subdistrict_code == "830303"
    assert any(k == "agency_name_corrected" and "read as" in m for k, m in res.notes)


def test_a_garbled_province_is_still_found():
    res = resolve_agency(mentions(title="เทศบาลตำบลเชิงทะเล"), "ถลาง", "ภูเก็ด")
    assert (res.province, res.district) == ("ภูเก็ต", "ถลาง")


def test_district_from_another_province_is_corrected_and_kept_as_printed():
    # ถลาง is in ภูเก็ต; เชิงทะเล lies in ถลาง, but the report prints a district of Krabi.
    res = resolve_agency(mentions(title="เทศบาลตำบลเชิงทะเล"), "อ่าวลึก", "ภูเก็ต")
    assert (res.district, res.printed_district, res.province) == ("ถลาง", "อ่าวลึก", "ภูเก็ต")
    assert any(k == "district_corrected" for k, m in res.notes)


def test_mueang_alone_is_the_capital_district_of_the_province():
    res = resolve_agency(mentions(title="เทศบาลตำบลโคกตูม"), "เมือง", "ลพบุรี")
    assert (res.district, res.printed_district) == ("เมืองลพบุรี", "เมือง")


def test_a_name_found_in_three_provinces_stays_unplaced_with_candidates():
    res = resolve_agency(mentions("องค์การบริหารส่วนตำบลดงกลาง"))
    assert (res.district, res.province, res.subdistrict_code) == (None, None, None)
    warning, = [m for k, m in res.notes if k == "agency_ambiguous"]
    assert "ชัยภูมิ" in warning and "ร้อยเอ็ด" in warning and "พิจิตร" in warning


def test_a_name_unique_in_the_gazetteer_fills_district_and_province():
    res = resolve_agency(mentions("รายงานของเทศบาลตำบลนิคมคำสร้อย"))
    assert (res.district, res.province, res.subdistrict_code) == ("นิคมคำสร้อย", "มุกดาหาร", "490201")
    assert res.printed_district is None


def test_the_address_printed_after_a_body_mention_is_used_when_the_title_has_none():
    res = resolve_agency(mentions("ของเทศบาลตำบลโคกตูม อำเภอเมืองลพบุรี จังหวัดลพบุรี"))
    assert (res.district, res.province) == ("เมืองลพบุรี", "ลพบุรี")


def test_another_agency_named_in_the_body_is_reported():
    ms = mentions("เทศบาลตำบลเชิงทะเล", "เทศบาลตำบลเชิงทะเล", "ปรับปรุงเว็บไซต์เทศบาลตำบลบ้านกลาง",
                  title="เทศบาลตำบลเชิงทะเล")
    res = resolve_agency(ms, "ถลาง", "ภูเก็ต")
    assert res.others == ("เทศบาลตำบลบ้านกลาง",)
    assert [k for k, _ in res.notes] == ["other_agency_named"]


def test_same_agency_gets_the_same_id_and_different_agencies_differ():
    a = resolve_agency(mentions(title="เทศบาลตำบลเชิงทะเล"), "ถลาง", "ภูเก็ต")
    b = resolve_agency(mentions("ทต.เชิงทะเล อำเภอถลาง จังหวัดภูเก็ต"))
    c = resolve_agency(mentions(title="องค์การบริหารส่วนตำบลเชิงทะเล"), "ถลาง", "ภูเก็ต")
    assert a.agency_id == b.agency_id == a.dla_code == "5830302"  # the DLA register's codes
    assert c.agency_id == "6830304"
    # not in the register: the type + subdistrict code, else a hash — stable all the same
    e = resolve_agency(mentions(title="เทศบาลตำบลราชาเทวะ"), "บางพลี", "สมุทรปราการ")
    assert (e.agency_id, e.dla_code) == ("TT-110308", None)
    d1 = resolve_agency([AgencyMention("เทศบาลตำบล", "ฟ้าใสไร้ฝุ่น", "เมืองนครศรีธรรมราช", "นครศรีธรรมราช")])
    d2 = resolve_agency([AgencyMention("เทศบาลตำบล", "ฟ้าใสไร้ฝุ่น", "เมืองนครศรีธรรมราช", "นครศรีธรรมราช")])
    assert d1.agency_id == d2.agency_id and d1.agency_id.startswith("TT-x")


def test_no_mention_gives_no_agency_and_says_so():
    res = resolve_agency([])
    assert res.name is None and res.agency_id is None and res.notes[0][0] == "agency_missing"


def test_a_provincial_organisation_is_placed_in_its_province_and_its_offices_district():
    res = resolve_agency(mentions("องค์การบริหารส่วนจังหวัดลำปาง", "อบจ.ลำปาง"))
    assert (res.name, res.province, res.district, res.agency_id) == (
        "องค์การบริหารส่วนจังหวัดลำปาง", "ลำปาง", "เกาะคา", "2520101")
