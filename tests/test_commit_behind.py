"""Commits written behind the extraction (on a thread of their own): the same versions as
commits in line, their errors fail the run, and no run ends — nor releases the dataset
lock — while a commit is still being written."""
import functools
import json
import threading
import time

import pytest

import extractor.batch.ingest as ingest_module
from extractor.batch.commit import Committer
from extractor.batch.ingest import IngestOptions, ingest
from extractor.dataset.commits import list_seqs
from extractor.dataset.store import Store

from .test_nightly import consistent, dataset, make_reports


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    make_reports(folder, 12)
    return folder


def _slowed(monkeypatch, fail_at: int | None = None):
    """Store.commit made slow (and failing at its `fail_at`-th call): the run is well past
    the batch it handed over when the commit ends. Returns (started, finished) seqs."""
    real, started, finished = Store.commit, [], []

    def commit(self, change, **kw):
        started.append(len(started) + 1)
        time.sleep(0.4)
        if len(started) == fail_at:
            raise RuntimeError("disk full (test)")
        rec = real(self, change, **kw)
        finished.append(rec.seq)
        return rec

    monkeypatch.setattr(Store, "commit", commit)
    return started, finished


def test_commits_behind_give_the_versions_commits_in_line_give(reports, tmp_path, monkeypatch):
    behind = ingest([reports], tmp_path / "behind", IngestOptions(checkpoint_every=5))
    monkeypatch.setattr(ingest_module, "Committer", functools.partial(Committer, behind=False))
    in_line = ingest([reports], tmp_path / "in_line", IngestOptions(checkpoint_every=5))
    assert dataset(tmp_path / "behind") == dataset(tmp_path / "in_line")
    assert list_seqs(tmp_path / "behind") == list_seqs(tmp_path / "in_line") == [1, 2, 3]
    assert (behind.dataset_version, behind.reports_written, behind.measures_written) == \
        (in_line.dataset_version, in_line.reports_written, in_line.measures_written) == (3, 12, 60)


def test_the_run_goes_on_extracting_while_a_commit_is_written(reports, tmp_path, monkeypatch):
    started, finished = _slowed(monkeypatch)
    seen_while_writing = []

    def progress(done, total, report):
        if started and not finished:
            seen_while_writing.append(done)

    run = ingest([reports], tmp_path / "ds", IngestOptions(checkpoint_every=6), progress=progress)
    assert seen_while_writing  # reports 7.. were extracted while commit 1 was being written
    assert run.seconds["write_behind"] > 0 and finished == [1, 2]
    assert len(consistent(tmp_path / "ds")["reports"]) == 12


def test_an_interrupted_run_first_finishes_the_commit_in_flight(reports, tmp_path, monkeypatch):
    started, finished = _slowed(monkeypatch)
    out = tmp_path / "ds"
    at_interrupt = []

    def progress(done, total, report):
        if started:  # a commit was handed over: Ctrl-C now, while it is being written
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        try:
            ingest([reports], out, IngestOptions(checkpoint_every=4), progress=progress)
        finally:
            at_interrupt.append((list(started), list(finished)))
    (began, ended), = at_interrupt
    assert began and ended == began  # every commit begun had ended when the run did
    record = json.loads((out / "last_run.json").read_text("utf-8"))
    assert record["outcome"] == "interrupted" and record["dataset_version"] == ended[-1]
    assert len(consistent(out)["reports"]) == 4 * len(ended)
    monkeypatch.undo()
    assert ingest([reports], out).skipped == 4 * len(ended)  # the lock was released


def test_a_commit_that_fails_behind_fails_the_run_and_keeps_the_earlier_ones(reports, tmp_path,
                                                                            monkeypatch):
    started, finished = _slowed(monkeypatch, fail_at=2)
    out = tmp_path / "ds"
    with pytest.raises(RuntimeError, match="disk full"):
        ingest([reports], out, IngestOptions(checkpoint_every=4))
    assert finished == [1]
    record = json.loads((out / "last_run.json").read_text("utf-8"))
    assert record["outcome"] == "crashed" and "disk full" in record["error"]
    assert len(consistent(out)["reports"]) == 4
    monkeypatch.undo()
    run = ingest([reports], out)
    assert run.skipped == 4 and len(consistent(out)["reports"]) == 12


def test_commits_behind_run_on_one_thread_at_a_time(reports, tmp_path, monkeypatch):
    real, busy, overlaps = Store.commit, threading.Lock(), []

    def commit(self, change, **kw):
        if not busy.acquire(blocking=False):
            overlaps.append(change)
            busy.acquire()
        try:
            time.sleep(0.05)
            return real(self, change, **kw)
        finally:
            busy.release()

    monkeypatch.setattr(Store, "commit", commit)
    ingest([reports], tmp_path / "ds", IngestOptions(checkpoint_every=2))
    assert not overlaps and list_seqs(tmp_path / "ds") == [1, 2, 3, 4, 5, 6]
