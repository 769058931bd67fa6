"""The notebooks in notebooks/ run top to bottom (nbclient) on a dataset made from data/raw,
so they never rot; together in under a minute. They read the dataset's folder from
$ITA_EXTRACT_DATA, as a researcher's run reads data/parsed."""
import time
from pathlib import Path

import pytest

from extractor.batch.ingest import ingest
from .conftest import copy_text_samples

nbformat = pytest.importorskip("nbformat", reason="nbformat not installed (pip install -e '.[dev]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient not installed (pip install -e '.[dev]')")
pytest.importorskip("ipykernel", reason="ipykernel not installed (pip install -e '.[dev]')")
pytest.importorskip("matplotlib", reason="matplotlib not installed (pip install -e '.[dev]')")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NAMES = ["01_dataset_tour.ipynb", "02_data_quality_review.ipynb"]


def text_of(nb) -> str:
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            out.append(o.get("text", "") + o.get("data", {}).get("text/plain", ""))
    return "\n".join(out)


def test_notebooks_are_stored_without_outputs():
    """Outputs hold machine paths and timings; the suite makes them fresh instead."""
    for name in NAMES:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        nbformat.validate(nb)
        assert all(not c.get("outputs") and c.get("execution_count") is None
                   for c in nb.cells if c.cell_type == "code"), name


def test_notebooks_run_on_a_fresh_dataset(tmp_path, monkeypatch):
    data = tmp_path / "parsed"
    ingest([copy_text_samples(data.parent / "raw")], data)
    monkeypatch.setenv("ITA_EXTRACT_DATA", str(data))
    ran, start = {}, time.perf_counter()
    for name in NAMES:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        # The kernel starts in notebooks/, as Jupyter would; a failing cell raises
        # CellExecutionError naming the cell and its traceback.
        nbclient.NotebookClient(nb, timeout=60, kernel_name="python3",
                                resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        ran[name] = nb
    seconds = time.perf_counter() - start
    print(f"notebooks ran in {seconds:.1f}s")
    assert seconds < 60

    tour = ran["01_dataset_tour.ipynb"]
    text = text_of(tour)
    assert f"dataset: {data}" in text  # the notebook read $ITA_EXTRACT_DATA
    assert "19 measures, 4 reports, 4 agencies" in text and "joins check out" in text
    assert any("image/png" in o.get("data", {}) for c in tour.cells for o in c.get("outputs", []))

    text = text_of(ran["02_data_quality_review.ipynb"])
    assert "status_merged" in text and "info" in text  # notes grouped by kind and severity
    assert "places to check in" in text and "inferred from the topic" in text
    assert ">   14  " in text  # the source line of a row to check, shown in context


def test_notebook_builds_data_parsed_when_missing(tmp_path, monkeypatch):
    """Run from a checkout without data/parsed: the notebook makes it from data/raw."""
    monkeypatch.delenv("ITA_EXTRACT_DATA", raising=False)
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "data" / "raw").mkdir(parents=True)
    raw = ROOT / "data" / "raw" / "sample_html_rowspan.html"
    (tmp_path / "data" / "raw" / raw.name).write_bytes(raw.read_bytes())
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.read(NOTEBOOKS / NAMES[1], as_version=4)
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path / "notebooks")}}).execute()
    assert f"dataset: {tmp_path / 'data' / 'parsed'}" in text_of(nb)
    assert (tmp_path / "data" / "parsed" / "reports").is_dir()
