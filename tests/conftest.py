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
