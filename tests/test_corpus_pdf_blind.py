"""Issue 10, acceptance on PDFs nobody on the team wrote: tests/corpus/pdf_blind/ (its README
gives the producers and the first score, taken before any fix). Scored with the corpus
scorer (the shared scorer's rules, self-contained) against the issue's floors. About 10 s."""
from pathlib import Path

import pytest

from extractor.batch.ingest import ingest

from . import corpus_scoring

BLIND = Path(__file__).resolve().parent / "corpus" / "pdf_blind"
RULED = ("p01", "p03", "p06", "p07", "p08", "p10", "p12")
UNRULED = ("p02", "p04", "p05", "p09", "p11")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("ds")
    summary = ingest([BLIND / "reports"], out)
    assert summary.failed == 0, summary.quarantined
    return corpus_scoring.load(str(out), "measures"), corpus_scoring.load(str(out), "reports")


def _score(dataset, prefixes):
    measures, reports = dataset
    return corpus_scoring.score(str(BLIND / "gold"), measures, reports,
                                lambda src: Path(src).name.startswith(prefixes))


def test_blind_ruled_pdfs_meet_the_floor(dataset):
    s = _score(dataset, RULED)
    assert s.measure_f1 >= 0.98 and s.field_acc >= 0.97 and s.doc_acc >= 0.95, (str(s), s.wrong[:10])


def test_blind_unruled_pdfs_meet_the_floor(dataset):
    s = _score(dataset, UNRULED)
    assert s.measure_f1 >= 0.93 and s.field_acc >= 0.9, (str(s), s.wrong[:10])


def test_blind_damaged_pdfs_are_read_not_lost(dataset):
    """An ocrmypdf layer, fonts without ToUnicode, decomposed sara am."""
    s = _score(dataset, ("p13", "p14", "p15"))
    assert s.measure_f1 >= 0.9 and s.field_acc >= 0.85 and s.doc_acc >= 0.85, (str(s), s.wrong[:10])
