"""Progress for long runs: a bar when attached to a terminal, a log line every few
seconds when not (cron, systemd), JSON lines for schedulers with --log-json."""
from __future__ import annotations

import json
import os
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
        self.done, self.total = 0, 0
        self.current: tuple[str, int, int, float] | None = None  # path, page, pages, started

    def page(self, path: str, i: int, n: int) -> None:
        """Page i of n of `path` started (long scans: the bar shows where a file is)."""
        now = time.monotonic()
        if self.current is None or self.current[0] != path or i == 1:
            self.current = (path, i, n, now)
        else:
            self.current = (path, i, n, self.current[3])
        if self.json_lines or self.quiet:
            return
        if self.tty:
            self._draw(now)
        elif now - self.last_log >= LOG_EVERY_S:
            print(self._line(now), file=self.stream, flush=True)
            self.last_log = now

    def _line(self, now: float) -> str:
        rate = self.done / max(now - self.start, 1e-9)
        eta = (self.total - self.done) / rate if rate else 0.0
        total = self.total or "?"  # known from the first file done
        line = f"[{self.done}/{total}] {rate:5.1f} files/s  eta {eta:5.0f}s"
        if self.current is not None:
            path, i, n, started = self.current
            line += f"  {os.path.basename(path)} page {i}/{n} {now - started:4.0f}s"
        return line

    def _draw(self, now: float) -> None:
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        print(f"\r{'#' * filled}{'.' * (width - filled)} {self._line(now)}\x1b[K", end="",
              file=self.stream, flush=True)
        self.drawn = True

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
        self.done, self.total = done, total
        if self.current is not None and self.current[0] == report.source_path:
            self.current = None  # that file is done
        line = self._line(now)
        if self.tty:
            self._draw(now)
        elif now - self.last_log >= LOG_EVERY_S or done == total or report.status == "failed":
            suffix = (f"  FAILED {printable(report.source_path or '')}: {printable(report.error or '')}"
                      if report.status == "failed" else "")
            print(line + suffix, file=self.stream, flush=True)
            self.last_log = now

    def close(self) -> None:
        if self.drawn:
            print(file=self.stream)
