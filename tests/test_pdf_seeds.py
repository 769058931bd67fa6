"""Acceptance (issue 4): the seed reports rendered to born-digital PDFs and scored.

Each seed's text is drawn with reportlab by tests/fixtures/make_pdfs.py (its reading of
the text is the test oracle in tests/variants.py, not the extractor's reader) as
`<stem>__<kind>.pdf` in a temporary folder — seed-derived PDFs are never committed.
Landscape A4, the header repeated on each page, tall rows split across pages.
"""
import re

import duckdb
import pytest

from .conftest import GOLD, SEEDS, needs_shared, score_dataset

PUA = re.compile("[\ue000-\uf8ff]")
SPLIT_AM = re.compile("\u0e4d\\s*[\u0e48-\u0e4b]?\\s*\u0e32")

# kind: (render options, measure_f1 bar)
KINDS = {
    "ruled": ({"ruled": True}, 0.90),
    "unruled": ({"ruled": False}, 0.80),
    # Thai spelled as old Word fonts put it in the text layer: PUA glyphs, sara am split
    "pua": ({"ruled": True, "pua": True}, 0.90),
}


@needs_shared
@pytest.mark.parametrize("kind", list(KINDS))
def test_seed_pdfs_meet_the_measure_bar(kind, tmp_path):
    from tests.fixtures.make_pdfs import font_files, render_report

    if font_files() is None:
        pytest.skip("Thai fonts not installed (fonts-tlwg-laksaman-ttf, fonts-dejavu-core)")
    options, bar = KINDS[kind]
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for seed in seeds:
        render_report(seed.read_text("utf-8"), folder / f"{seed.stem}__{kind}.pdf", **options)

    from extractor.batch.ingest import ingest

    summary = ingest([folder], tmp_path / "ds")
    assert summary.failed == 0
    score = score_dataset(GOLD, tmp_path / "ds")
    print(f"\n[pdf {kind}] {score}")
    assert score["measure_f1"] >= bar, (kind, score)

    for table in ("measures", "reports"):
        rows = duckdb.sql(f"select * from read_parquet('{tmp_path}/ds/{table}/**/*.parquet', "
                          "hive_partitioning=true)").fetchall()
        if table == "reports":
            assert len(rows) == len(seeds)
        for value in (v for r in rows for v in r if isinstance(v, str)):
            assert not PUA.search(value), (kind, value)
            assert "(cid:" not in value and not SPLIT_AM.search(value), (kind, value)
