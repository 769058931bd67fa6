"""Many small images read in one tesseract run (a list file of crops): the re-reads of
the scan path (cells, checkbox labels, words in the wrong script) each pay tesseract's
start-up once per page, not once per crop."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path


def read_crops(paths: list[str], workdir: Path, lang: str, psm: str, deadline: float,
               *options: str) -> list[list[str]] | None:
    """The word rows (tesseract TSV level 5 with text, split into their 12 fields; field 1
    is the crop's page number from 1, 10 the confidence, 11 the text) of `paths` read with
    `lang` and `--psm psm`; None when tesseract failed or `deadline` (a monotonic time)
    passed. Single-threaded, as every tesseract the reader starts."""
    listing = workdir / "list.txt"
    listing.write_text("\n".join(paths) + "\n", "utf-8")
    try:
        subprocess.run([shutil.which("tesseract") or "tesseract", str(listing),
                        str(workdir / "out"), "-l", lang, "--psm", psm, *options, "tsv"],
                       capture_output=True, timeout=max(deadline - time.monotonic(), 0.1),
                       env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        lines = (workdir / "out.tsv").read_text("utf-8", "replace").splitlines()[1:]
    except (subprocess.TimeoutExpired, OSError):
        return None
    rows = [line.split("\t") for line in lines]
    return [f for f in rows if len(f) >= 12 and f[0] == "5" and f[11].strip()]
