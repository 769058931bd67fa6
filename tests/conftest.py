import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold"
SCORER = SHARED / "tools" / "score.py"

needs_shared = pytest.mark.skipif(
    not (SEEDS.is_dir() and GOLD.is_dir() and SCORER.is_file()),
    reason="../shared (seed reports, gold answers, score.py) is not beside this checkout",
)


def score_dataset(gold_dir: Path, dataset_dir: Path) -> dict[str, float]:
    """Run the shared scorer and return its headline numbers."""
    out = subprocess.run([sys.executable, str(SCORER), str(gold_dir), str(dataset_dir)],
                         capture_output=True, text=True, check=False)
    line = next((l for l in out.stdout.splitlines() if l.startswith("SCORE")), None)
    assert line, f"scorer printed no SCORE line:\n{out.stdout}\n{out.stderr}"
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", line)}


RAW = ROOT / "data" / "raw"
# The text samples: what tests that count rows or time their runs ingest (the bundled PDF
# and scan show the product in `make run`; OCR'ing the scan in every such test would cost
# a minute of the suite's time and change its counts).
TEXT_SAMPLES = sorted(p for p in RAW.iterdir() if p.is_file() and p.suffix.lower() != ".pdf")


def copy_text_samples(dst: Path) -> Path:
    """data/raw's text samples copied into `dst` (created), which is returned."""
    import shutil

    dst.mkdir(parents=True, exist_ok=True)
    for p in TEXT_SAMPLES:
        shutil.copy(p, dst / p.name)
    return dst
