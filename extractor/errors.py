"""Why a file could not be read, as types the readers raise and the batch job acts on.

A reader that cannot go on raises one of these; `extract_report` turns it into a failed
report whose `failure` says whether a later run may succeed:

- `ReadFailure` (permanent): the bytes themselves are the problem (not a PDF, encrypted,
  empty, binary). Tried again only after an upgrade or with `--retry-failed`.
- `TransientFailure`: the cause may pass (a time limit on a busy night, a file rewritten
  while it was read). Retried on the next run.
- `MissingTool`: a program the file needs is not installed — e.g. a scanned PDF and no
  tesseract with its Thai model. Transient: installing the tool and running again reads it.
"""
from __future__ import annotations

TRANSIENT, PERMANENT = "transient", "permanent"


class ReadFailure(Exception):
    """The file cannot be read; the message is the reason stored in `reports.error`."""

    transient = False

    @property
    def failure(self) -> str:
        return TRANSIENT if self.transient else PERMANENT


class TransientFailure(ReadFailure):
    """The file could not be read this time, for a reason that may pass."""

    transient = True


class MissingTool(TransientFailure):
    """An external program the file needs is not installed (e.g. tesseract with Thai)."""
