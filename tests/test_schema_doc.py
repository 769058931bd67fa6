"""docs/schema.md is generated from extractor/dataset/schema.py and must match it."""
import pyarrow as pa

from extractor.dataset import schema, schema_doc
from extractor.dataset.schema import TABLES


def test_docs_schema_md_is_up_to_date():
    current = schema_doc.DOC_PATH.read_text(encoding="utf-8")
    assert current == schema_doc.render(), (
        "docs/schema.md is stale: run `python -m extractor.dataset.schema_doc` and commit the result")


def test_every_table_and_column_is_described():
    text = schema_doc.render()
    assert f"Schema version **{schema.SCHEMA_VERSION}**" in text
    for name, table in TABLES.items():
        section = text.split(f"## `{name}`", 1)[1].split("\n## ", 1)[0]
        for field in table:
            row = next(l for l in section.splitlines() if l.startswith(f"| `{field.name}` |"))
            cells = [c.strip() for c in row.split(" | ")]
            assert cells[1] == schema_doc.type_name(field.type)
            assert cells[2] == ("yes" if field.nullable else "no")
            assert field.metadata[b"description"].decode() in row, field.name
    assert "## Review flags: `confidence` and `needs_review`" in text


def test_a_schema_change_makes_the_doc_stale(monkeypatch, tmp_path):
    doc = tmp_path / "schema.md"
    assert schema_doc.main(["--path", str(doc)]) == 0 and schema_doc.main(["--check", "--path", str(doc)]) == 0
    extra = schema.REPORTS.append(pa.field("pages_ocr", pa.int32(), metadata={"description": "pages OCR'd"}))
    monkeypatch.setitem(TABLES, "reports", extra)
    assert schema_doc.main(["--check", "--path", str(doc)]) == 1
    assert "| `pages_ocr` | int32 | yes | pages OCR'd |" in schema_doc.render()


def test_needs_review_explained_whether_or_not_the_schema_has_it(monkeypatch):
    if "needs_review" in schema.REPORTS.names:
        assert "- `reports.needs_review` (bool):" in schema_doc.render()
    without = pa.schema([f for f in schema.REPORTS if f.name not in ("needs_review", "review_reasons")])
    monkeypatch.setattr(schema, "REPORTS", without)
    assert "`reports.needs_review` is not part of schema version" in schema_doc.render()
