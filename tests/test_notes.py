"""Notes: every kind the code writes is in the catalogue, and the catalogue is sound."""
import re
from pathlib import Path

from extractor.notes import SEVERITIES, Note, catalogue, needs_review

ROOT = Path(__file__).resolve().parent.parent


def kinds_written() -> set[str]:
    """Kinds in Note("kind", …) calls, and in the (kind, message) pairs of the agency resolution."""
    used = set()
    for path in ROOT.glob("extractor/**/*.py"):
        used |= set(re.findall(r"""Note\(\s*["']([a-z_]+)["']""", path.read_text("utf-8")))
    for path in ROOT.glob("normalizers/agency*.py"):  # agency.py, agency_place.py
        used |= set(re.findall(r"""\(\(?\s*["']([a-z]+_[a-z_]+)["'],\s*f?["']""", path.read_text("utf-8")))
    return used


def test_every_kind_written_is_catalogued():
    used = kinds_written()
    assert {"status_merged", "period_unparsed", "agency_ambiguous", "district_corrected"} <= used
    assert sorted(used - set(catalogue())) == []


def test_catalogue_is_well_formed():
    cat = catalogue()
    assert all(k.severity in SEVERITIES and k.meaning for k in cat.values())
    assert all(re.fullmatch(r"[a-z][a-z_]+", k) for k in cat)


def test_needs_review_only_from_review_notes():
    info = Note("status_merged", "status merged from table 2 row 3")
    warning = Note("period_unparsed", "period not understood: 'เร็ว ๆ นี้'")
    assert not needs_review([info, warning])
    assert needs_review([info, Note("agency_ambiguous", "ดงกลาง is ambiguous")])
    assert Note("no_such_kind", "x").severity == "warning"  # never hides a note


def test_docs_list_every_kind():
    text = (ROOT / "docs" / "notes.md").read_text("utf-8")
    assert all(f"`{k}`" in text for k in catalogue())
