"""Package reference data (CSV files under ``normalizers/data/``), read once.

Kept in files rather than code so that a reviewer can check vocabulary against
its sources (``data/SOURCES.md``) without reading Python.
"""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"


def data_file(name: str) -> Path:
    """``normalizers/data/<name>`` (read as a plain file: importlib.resources would add
    ~5 ms of imports to every ``extract``)."""
    return _DATA / name


@functools.cache
def read_csv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``normalizers/data/<name>`` as dicts (read once, then cached).

    >>> rows = read_csv("thai_months.csv")
    >>> rows[0]["name"], rows[0]["month"]
    ('มกราคม', '1')
    """
    text = data_file(name).read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))
