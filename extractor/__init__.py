"""ita-extract: Thai ITA integrity-measure reports → a Parquet dataset."""
from __future__ import annotations

import functools
import os
from pathlib import Path

__version__ = "0.2.0"


def _pythainlp_data_dir() -> None:
    """PyThaiNLP creates `~/pythainlp-data` when imported, and fails to import when that is
    impossible (a service user whose $HOME is missing or read-only). Give it a folder it can
    use instead, unless one is configured: set before anything imports pythainlp."""
    if os.environ.get("PYTHAINLP_DATA") or os.environ.get("PYTHAINLP_DATA_DIR"):
        return
    home = os.path.expanduser("~")
    default = os.path.join(home, "pythainlp-data")
    if os.path.isdir(default) and os.access(default, os.W_OK | os.X_OK):
        return
    if not os.path.exists(default) and os.path.isdir(home) and os.access(home, os.W_OK | os.X_OK):
        return
    import tempfile  # here, not at the top: most processes never get this far

    fallback = os.path.join(tempfile.gettempdir(), f"pythainlp-data-{os.getuid()}")
    # PyThaiNLP 5.2+ reads PYTHAINLP_DATA (and warns about the older name); earlier
    # releases read only PYTHAINLP_DATA_DIR. Setting both is an error in the newer ones.
    try:
        import importlib.util

        spec = importlib.util.find_spec("pythainlp")
        source = Path(spec.origin).with_name("tools").joinpath("path.py").read_text("utf-8")
        name = "PYTHAINLP_DATA" if '"PYTHAINLP_DATA"' in source else "PYTHAINLP_DATA_DIR"
    except (AttributeError, OSError, TypeError, ValueError):
        name = "PYTHAINLP_DATA_DIR"
    os.environ[name] = fallback


_pythainlp_data_dir()

_PACKAGE = Path(__file__).resolve().parent


def data_file(name: str) -> Path:
    """A file of the package's reference data, `extractor/data/<name>` (read as a plain
    file: importlib.resources would add ~5 ms of imports to every `extract`)."""
    return _PACKAGE / "data" / name


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
    import hashlib
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
