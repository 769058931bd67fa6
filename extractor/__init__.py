"""ita-extract: Thai ITA integrity-measure reports → a Parquet dataset."""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

__version__ = "0.2.0"

_PACKAGE = Path(__file__).resolve().parent
# What shapes extraction output: the reading code, the model, the note catalogue and
# vocabularies, the row builder, and the normalizers with their reference data. A change in
# any of them changes the parser version, and every file is extracted again on the next run;
# changes elsewhere (the batch job, queries, the HTML report) do not.
_EXTRACTION_SOURCES = ("reading", "model.py", "notes.py", "errors.py", "data", "dataset/rows.py")
_EXTRACTION_SUFFIXES = {".py", ".csv", ".json", ".txt", ".tsv"}
# Libraries whose upgrade can change what is read (word segmentation, gazetteer, PDF text).
_EXTRACTION_LIBRARIES = ("pythainlp", "geothai", "rapidfuzz", "pypdfium2", "pdfplumber")


def _source_files() -> list[Path]:
    roots = [_PACKAGE / s for s in _EXTRACTION_SOURCES] + [_PACKAGE.parent / "normalizers"]
    files = []
    for root in roots:
        candidates = [root] if root.is_file() else root.rglob("*")
        files += [p for p in candidates if p.is_file() and p.suffix in _EXTRACTION_SUFFIXES
                  and "__pycache__" not in p.parts]
    return sorted(files)


@functools.cache
def parser_version() -> str:
    """The release plus a hash of everything that shapes extraction output (code, data,
    library versions), e.g. `0.2.0+3f9c0e1b2a44`: nobody has to remember to bump it, and a
    dataset knows which files an upgrade must read again."""
    from importlib import metadata

    h = hashlib.sha256()
    for path in _source_files():
        h.update(path.relative_to(_PACKAGE.parent).as_posix().encode() + b"\0")
        h.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    for name in _EXTRACTION_LIBRARIES:
        try:
            h.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none\0".encode())
    return f"{__version__}+{h.hexdigest()[:12]}"
