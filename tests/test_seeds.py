"""Acceptance: the five seed reports scored against their gold answers."""
from extractor.batch.ingest import ingest

from .conftest import GOLD, SEEDS, needs_shared, score_dataset


@needs_shared
def test_seed_reports_meet_the_measure_and_field_bar(tmp_path):
    summary = ingest([SEEDS], tmp_path / "ds")
    assert summary.failed == 0 and summary.files_seen == len(list(SEEDS.glob("*.txt")))
    score = score_dataset(GOLD, tmp_path / "ds")
    assert score["measure_f1"] >= 0.95, score
    assert score["field_acc"] >= 0.90, score
