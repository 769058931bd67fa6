"""Acceptance (issue 9): the text corpus of new layouts, scored with the shared scorer.

`tests/corpus/text/<half>/` holds `reports/` (OCR text: TSV, markdown, HTML) and `gold/`
(answers in the contract of ../shared/gold/README.md). The `open` half was written by
the developers of the mechanisms; the `blind` half is written by someone else from the
issue's text alone and placed here later. Each half present is ingested and scored on
its own, against the same floors.
"""
import json
import re
from pathlib import Path

import pytest

from .conftest import SCORER, score_dataset

CORPUS = Path(__file__).resolve().parent / "corpus" / "text"
HALVES = ["open", "blind", "blind2"]
FLOORS = {"measure_f1": 0.97, "field_acc": 0.95,
          # document fields lean on the agency register and gazetteer, which this corpus
          # does not exercise on purpose; an honest floor, not a target
          "doc_acc": 0.90}


def _half(name: str) -> Path:
    folder = CORPUS / name
    if not (folder / "reports").is_dir() or not any((folder / "gold").glob("*.json")):
        pytest.skip(f"tests/corpus/text/{name}/ has no reports and gold answers yet")
    if not SCORER.is_file():
        pytest.skip("../shared/tools/score.py (the shared scorer) is not beside this checkout")
    return folder


EXTRA_KEYS = ("measure_group", "issue", "budget_baht")  # gold keys the scorer does not score
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _norm(text):
    return re.sub(r"\s+", "", str(text or "")).translate(THAI_DIGITS)


@pytest.mark.parametrize("half", HALVES)
def test_corpus_half_meets_the_floors(half, tmp_path):
    folder = _half(half)
    reports = sorted(p for p in (folder / "reports").iterdir() if p.is_file())
    golds = {p.stem for p in (folder / "gold").glob("*.json")}
    assert {p.stem for p in reports} == golds, "every report needs its gold answer and back"

    from extractor.batch.ingest import ingest

    summary = ingest([folder / "reports"], tmp_path / "ds")
    assert summary.files_seen == len(reports) and summary.failed == 0, summary.quarantined
    score = score_dataset(folder / "gold", tmp_path / "ds")
    print(f"\n[text corpus {half}] {score}")
    for key, floor in FLOORS.items():
        assert score[key] >= floor, (half, key, score)


@pytest.mark.parametrize("half", HALVES)
def test_group_issue_and_budget_match_the_gold_where_it_gives_them(half):
    """measure_group, issue and budget_baht are extra gold keys the shared scorer does
    not score: compared here where a gold answer gives them, on the measures whose text
    matches exactly."""
    folder = _half(half)
    from extractor.reading.pipeline import extract_report

    checked = wrong = 0
    for gold_path in sorted((folder / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text("utf-8"))
        source = next((folder / "reports").glob(gold_path.stem + ".*"))
        got = {_norm(m.measure): m for m in extract_report(source).measures}
        for g in gold["measures"]:
            m = got.get(_norm(g["measure"]))
            if m is None:
                continue
            for key in EXTRA_KEYS:
                if key not in g:
                    continue
                checked += 1
                expected = g.get(key)
                value = getattr(m, key)
                same = value == expected if key == "budget_baht" else _norm(value) == _norm(expected)
                wrong += not same
                assert same or half == "blind", (gold_path.stem, g["measure"][:30], key, value, expected)
    if checked:
        assert wrong <= 0.05 * checked, (half, wrong, checked)
