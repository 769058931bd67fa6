"""Progress for long runs: a bar when attached to a terminal, a log line every few
seconds when not (cron, systemd), JSON lines for schedulers with --log-json."""
from __future__ import annotations

import json
import time

from extractor.model import Report

from .runs import printable

LOG_EVERY_S = 5.0


class Progress:
    def __init__(self, stream, json_lines: bool = False, quiet: bool = False):
        self.stream = stream
        self.json_lines = json_lines
        self.quiet = quiet
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.start = time.monotonic()
        self.last_log = self.start
        self.drawn = False

    def update(self, done: int, total: int, report: Report) -> None:
        now = time.monotonic()
        if self.json_lines:
            print(json.dumps({"event": "file", "path": report.source_path, "status": report.status,
                              "measures": len(report.measures), "error": report.error,
                              "failure": report.failure, "done": done, "total": total},
                             ensure_ascii=False), file=self.stream)
            return
        if self.quiet:
            return
        rate = done / max(now - self.start, 1e-9)
        eta = (total - done) / rate if rate else 0.0
        line = f"[{done}/{total}] {rate:5.1f} files/s  eta {eta:5.0f}s"
        if self.tty:
            width = 30
            filled = int(width * done / max(total, 1))
            print(f"\r{'#' * filled}{'.' * (width - filled)} {line}", end="", file=self.stream, flush=True)
            self.drawn = True
        elif now - self.last_log >= LOG_EVERY_S or done == total or report.status == "failed":
            suffix = (f"  FAILED {printable(report.source_path or '')}: {printable(report.error or '')}"
                      if report.status == "failed" else "")
            print(line + suffix, file=self.stream, flush=True)
            self.last_log = now

    def close(self) -> None:
        if self.drawn:
            print(file=self.stream)
