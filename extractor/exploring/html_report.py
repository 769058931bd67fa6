"""`ita-extract report`: one self-contained HTML page summarising a dataset.

Everything is in the file: inline CSS, charts as inline SVG (`svg_charts.py`), no script, no
link, image or font fetched from anywhere — it opens offline, from an e-mail attachment or a
CI artefact. The numbers come from SQL over the same DuckDB views as `ita-extract query`,
so what the page shows can be reproduced with a query. The same dataset gives the same
bytes (no clock, no absolute paths, every list ordered).
"""
from __future__ import annotations

import argparse
import sys
from html import escape
from pathlib import Path
from typing import Any, Sequence

from extractor import __version__
from .query import DEFAULT_DATA_DIR, EXIT_OK, EXIT_USAGE, TABLE_NAMES, DatasetError, connect
from .svg_charts import REPORT_STATUS_COLOURS, STATUS_COLOURS, bar_chart

STATUSES = ("completed", "in_progress", "not_started", "no status")
TOP_WARNINGS = 10
TOP_NULLS = 12
TOP_PROVINCES_CHART = 25
# Columns that are null by design for most rows: left out of the "most often null" charts.
NULL_BY_DESIGN = {
    "error": "only failed files have one",
    "printed_district": "only when the printed district is wrong",
    "indicator_inferred": "only when no indicator is printed",
    "indicator_basis": "only when no indicator is printed",
    "measure_group": "only for activities under a group row",
    "issue": "only when a column names the ITA issue",
    "budget_baht": "only when a budget column is printed",
    "bbox": "only for PDFs",
    "page_sources": "only for PDFs",
    "dla_code": "only for agencies in the DLA register",
}

_CSS = """
body{font-family:"Noto Sans Thai","Sarabun","Leelawadee UI",Tahoma,Loma,Garuda,sans-serif;
 margin:2rem auto;max-width:1100px;padding:0 1rem;color:#1d1d1f;background:#fff;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.25rem;margin-top:2.2rem;
 border-bottom:2px solid #e3e3e3;padding-bottom:.2rem} .meta{color:#555;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.5rem .9rem;min-width:7rem}
.card b{display:block;font-size:1.5rem} .card span{color:#555;font-size:.85rem}
table.data{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}
table.data th,table.data td{border:1px solid #ddd;padding:.25rem .5rem;vertical-align:top;text-align:left}
table.data th{background:#f4f4f6} table.data td.num,table.data th.num{text-align:right;font-variant-numeric:tabular-nums}
svg.chart{display:block;margin:.6rem 0;max-width:100%;height:auto}
svg.chart text{fill:#1d1d1f;font-family:inherit} svg.chart .total{fill:#555}
ul.reasons{margin:0;padding-left:1.1rem} .note{color:#555;font-size:.9rem}
code{background:#f4f4f6;padding:0 .2rem;border-radius:3px}
"""


def _rows(con, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _columns(con, table: str) -> list[str]:
    return [r["column_name"] for r in _rows(con, f"DESCRIBE {table}")]


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], num: Sequence[int] = ()) -> str:
    """An HTML table; columns whose index is in `num` are right-aligned numbers."""
    def cell(tag: str, i: int, v: Any) -> str:
        cls = ' class="num"' if i in num else ""
        text = v if isinstance(v, _Html) else escape("" if v is None else str(v))
        return f"<{tag}{cls}>{text}</{tag}>"
    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "\n".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(r)) + "</tr>" for r in rows)
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>'


class _Html(str):
    """Text that is already HTML (not escaped again by `_table`)."""


def _pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _summary(con) -> str:
    s = _rows(con, """
        SELECT count(*) AS reports, count(*) FILTER (WHERE status = 'ok') AS ok,
               count(*) FILTER (WHERE status = 'empty') AS empty,
               count(*) FILTER (WHERE status = 'failed') AS failed,
               count(DISTINCT province) AS provinces,
               list(DISTINCT fiscal_year_be ORDER BY fiscal_year_be) FILTER (WHERE fiscal_year_be IS NOT NULL) AS years,
               list(DISTINCT parser_version ORDER BY parser_version) FILTER (WHERE parser_version IS NOT NULL) AS versions,
               strftime(min(ingested_at), '%Y-%m-%d %H:%M') AS first, strftime(max(ingested_at), '%Y-%m-%d %H:%M') AS last
        FROM reports""")[0]
    from extractor.dataset.schema import SCHEMA_VERSION

    n_measures = con.execute("SELECT count(*) FROM measures").fetchone()[0]
    n_agencies = con.execute("SELECT count(*) FROM agencies").fetchone()[0]
    cards = [(s["reports"], "reports"), (s["ok"], "ok"), (s["empty"], "empty"), (s["failed"], "failed"),
             (n_measures, "measures"), (n_agencies, "agencies"), (s["provinces"], "provinces")]
    years = ", ".join(map(str, s["years"] or [])) or "–"
    return (f'<p class="meta">Fiscal years (BE) {escape(years)} · ingested {escape(s["first"] or "–")}'
            f' – {escape(s["last"] or "–")} UTC · parser {escape(", ".join(s["versions"] or []) or "–")}'
            f' · schema version {SCHEMA_VERSION}</p>\n<div class="cards">'
            + "".join(f'<div class="card"><b>{n}</b><span>{label}</span></div>' for n, label in cards)
            + "</div>")


def _reports_by_status(con) -> str:
    counts = {r["status"]: r["n"] for r in _rows(con, "SELECT status, count(*) AS n FROM reports GROUP BY status")}
    order = list(REPORT_STATUS_COLOURS) + sorted(set(counts) - set(REPORT_STATUS_COLOURS))
    rows = [(s, [counts.get(s, 0) if t == s else 0 for t in order]) for s in order if s in counts]
    chart = bar_chart("chart-report-status", "Reports by status", rows, order, REPORT_STATUS_COLOURS,
                      legend=False)
    failed = _rows(con, "SELECT source_file, error FROM reports WHERE status = 'failed' ORDER BY source_file")
    table = (_table(["failed file", "error"], [(r["source_file"], r["error"]) for r in failed])
             if failed else '<p class="note">No file failed.</p>')
    return chart + "\n" + table


def _measures_by_indicator(con) -> str:
    from normalizers.ita import indicator_canonical  # official names, for the labels

    data = _rows(con, """
        SELECT coalesce(indicator_no, indicator_inferred) AS indicator, count(*) AS n,
               count(*) FILTER (WHERE indicator_no IS NULL AND indicator_inferred IS NOT NULL) AS inferred,
               count(*) FILTER (WHERE status = 'completed') AS completed,
               count(*) FILTER (WHERE status = 'in_progress') AS in_progress,
               count(*) FILTER (WHERE status = 'not_started') AS not_started,
               count(*) - count(status) AS "no status"
        FROM measures GROUP BY indicator ORDER BY indicator NULLS LAST""")

    def label(no):
        return f"{no} {indicator_canonical(no) or ''}".strip() if no is not None else "no indicator"
    chart = bar_chart("chart-indicator-status", "Measures by indicator and status",
                      [(label(r["indicator"]), [r[s] for s in STATUSES]) for r in data],
                      STATUSES, STATUS_COLOURS)
    table = _table(["indicator", "measures", "of which inferred", *STATUSES, "completed %"],
                   [(label(r["indicator"]), r["n"], r["inferred"], *(r[s] for s in STATUSES),
                     _pct(r["completed"], r["n"] - r["no status"])) for r in data],
                   num=range(1, 8))
    return (chart + '\n<p class="note">Indicator: the one printed (<code>indicator_no</code>), '
            "else the one implied by the row's OIT codes or topic (<code>indicator_inferred</code>). "
            "Completed: share of the measures whose status could be read.</p>\n" + table)


def _coverage(con) -> str:
    data = _rows(con, """
        SELECT r.province, count(DISTINCT r.agency_id) AS agencies, count(DISTINCT r.report_id) AS reports,
               string_agg(DISTINCT CAST(r.fiscal_year_be AS VARCHAR), ', ' ORDER BY CAST(r.fiscal_year_be AS VARCHAR)) AS years,
               count(m.report_id) AS measures,
               count(*) FILTER (WHERE m.status = 'completed') AS completed,
               count(*) FILTER (WHERE m.status = 'in_progress') AS in_progress,
               count(*) FILTER (WHERE m.status = 'not_started') AS not_started,
               count(m.report_id) - count(m.status) AS "no status"
        FROM reports AS r LEFT JOIN measures AS m USING (report_id)
        WHERE r.status <> 'failed'
        GROUP BY r.province ORDER BY measures DESC, r.province NULLS LAST""")
    name = lambda p: p or "(province not resolved)"  # noqa: E731
    shown = data[:TOP_PROVINCES_CHART]
    chart = bar_chart("chart-province", "Measures by province and status",
                      [(name(r["province"]), [r[s] for s in STATUSES]) for r in shown],
                      STATUSES, STATUS_COLOURS)
    more = (f'<p class="note">The chart shows the {len(shown)} provinces with most measures; '
            f"the table lists all {len(data)}.</p>" if len(data) > len(shown) else "")
    table = _table(["province", "agencies", "reports", "fiscal years", "measures", "completed %"],
                   [(name(r["province"]), r["agencies"], r["reports"], r["years"], r["measures"],
                     _pct(r["completed"], r["measures"] - r["no status"])) for r in data],
                   num=(1, 2, 4, 5))
    return chart + "\n" + more + table


def _most_warnings(con) -> str:
    """The reports with most notes of severity warning or review (their own and their
    rows'), each grouped by kind (docs/notes.md) with the page and line of each."""
    reports = _rows(con, f"""
        WITH n AS (SELECT report_id, count(*) AS n FROM (
                       SELECT report_id, unnest(notes) AS note FROM measures
                       UNION ALL SELECT report_id, unnest(notes) AS note FROM reports)
                   WHERE note.severity <> 'info' GROUP BY report_id)
        SELECT r.report_id, r.source_file, r.agency_name, r.status, r.error,
               coalesce(n.n, 0) AS total
        FROM reports AS r LEFT JOIN n USING (report_id)
        WHERE coalesce(n.n, 0) > 0 OR r.status = 'failed'
        ORDER BY r.status = 'failed' DESC, total DESC, r.source_file LIMIT {TOP_WARNINGS}""")
    if not reports:
        return '<p class="note">No report has a warning.</p>'
    ids = ", ".join("'" + r["report_id"].replace("'", "''") + "'" for r in reports)
    kinds: dict[str, list[dict]] = {}
    for k in _rows(con, f"""
            SELECT report_id, note.kind AS kind, note.severity AS severity, count(*) AS n,
                   min(note.message) AS example,
                   list(DISTINCT place ORDER BY place) FILTER (WHERE place IS NOT NULL) AS places
            FROM (SELECT report_id, note,
                         'p.' || coalesce(note.page, page) || ' l.' || coalesce(note.line, line) AS place
                  FROM (SELECT report_id, page, line, unnest(notes) AS note FROM measures
                        WHERE report_id IN ({ids})
                        UNION ALL
                        SELECT report_id, NULL, NULL, unnest(notes) FROM reports
                        WHERE report_id IN ({ids})))
            WHERE note.severity <> 'info'
            GROUP BY report_id, kind, severity ORDER BY report_id, n DESC, kind"""):
        kinds.setdefault(k["report_id"], []).append(k)
    rows = []
    for r in reports:
        reasons = ([f"<li><b>failed:</b> {escape(r['error'] or '')}</li>"] if r["status"] == "failed" else [])
        for k in kinds.get(r["report_id"], []):
            places = k["places"] or []
            where = ", ".join(places[:4]) + (" …" if len(places) > 4 else "")
            reasons.append(f'<li title="{escape(k["example"] or "")}">{escape(k["kind"])} '
                           f'({escape(k["severity"])}) ×{k["n"]}'
                           + (f' <span class="note">({escape(where)})</span>' if where else "")
                           + "</li>")
        rows.append((r["source_file"], r["agency_name"], r["status"], r["total"],
                     _Html('<ul class="reasons">' + "".join(reasons) + "</ul>")))
    return _table(["file", "agency", "status", "warnings", "by kind"], rows, num=(3,))


def _nulls(con) -> str:
    parts = []
    for name in TABLE_NAMES:
        cols = _columns(con, name)
        counts = con.execute("SELECT count(*), " + ", ".join(f'count("{c}")' for c in cols)
                             + f" FROM {name}").fetchone()
        total = counts[0]
        if not total:
            parts.append(f'<p class="note">{name}: no rows.</p>')
            continue
        shares = [((total - n) / total, c) for c, n in zip(cols, counts[1:])
                  if n < total and c not in NULL_BY_DESIGN]
        top = sorted(shares, key=lambda x: (-x[0], x[1]))[:TOP_NULLS]
        parts.append(f"<h3>{name} <span class=\"note\">({total} rows)</span></h3>")
        if not top:
            parts.append('<p class="note">No column has a null.</p>')
            continue
        parts.append(bar_chart(f"chart-nulls-{name}", f"{name}: share of rows where the column is null",
                               [(c, [share]) for share, c in top], ["null"], {"null": "#7a5195"},
                               width=640, max_value=1.0, value_format=lambda v: f"{100 * v:.0f}%"))
    parts.append('<p class="note">Left out, as null by design: '
                 + "; ".join(f"<code>{c}</code> ({why})" for c, why in NULL_BY_DESIGN.items())
                 + ".</p>")
    return "\n".join(parts)


def _confidence(con) -> str:
    data = _rows(con, """
        SELECT CASE WHEN confidence IS NULL THEN 'null' WHEN confidence >= 1 THEN '1.0'
                    WHEN confidence >= 0.9 THEN '0.9–1.0' WHEN confidence >= 0.8 THEN '0.8–0.9'
                    WHEN confidence >= 0.6 THEN '0.6–0.8' ELSE 'below 0.6' END AS band, count(*) AS n
        FROM measures GROUP BY band""")
    counts = {r["band"]: r["n"] for r in data}
    bands = [b for b in ("1.0", "0.9–1.0", "0.8–0.9", "0.6–0.8", "below 0.6", "null") if b in counts]
    return bar_chart("chart-confidence", "Measures by confidence", [(b, [counts[b]]) for b in bands],
                     ["measures"], width=640)


def _needs_review(con) -> str:
    columns = _columns(con, "reports")
    if "needs_review" not in columns:  # a schema from before review flags
        return ('<p class="note">This dataset has no <code>reports.needs_review</code> column '
                "(written before review flags existed); see the warnings above.</p>")
    c = _rows(con, """SELECT count(*) FILTER (WHERE needs_review) AS yes,
                             count(*) FILTER (WHERE NOT needs_review) AS no,
                             count(*) FILTER (WHERE needs_review IS NULL) AS unknown FROM reports""")[0]
    flagged = _rows(con, """SELECT source_file, agency_name, status, review_reasons AS reasons FROM reports
                             WHERE needs_review ORDER BY source_file""")
    head = (f'<p>{c["yes"]} report(s) flagged, {c["no"]} not flagged'
            + (f', {c["unknown"]} without the flag (written before it existed)' if c["unknown"] else "")
            + ".</p>")
    if not flagged:
        return head
    return head + _table(["file", "agency", "status", "reasons"],
                         [(r["source_file"], r["agency_name"], r["status"],
                           _Html('<ul class="reasons">' + "".join(f"<li>{escape(w)}</li>" for w in r["reasons"] or [])
                                 + "</ul>")) for r in flagged])


SECTIONS = [
    ("reports-by-status", "Reports by status", _reports_by_status),
    ("measures-by-indicator", "Measures by indicator and status", _measures_by_indicator),
    ("coverage-by-province", "Coverage by province", _coverage),
    ("most-warnings", f"Reports with the most warnings (top {TOP_WARNINGS})", _most_warnings),
    ("needs-review", "Reports flagged for review", _needs_review),
    ("confidence", "Confidence of measure rows", _confidence),
    ("nulls", f"Fields most often null (top {TOP_NULLS} per table)", _nulls),
]


def render_report(data_dir: str | Path, title: str | None = None) -> str:
    """The report page for the dataset at `data_dir`, as a string."""
    con = connect(data_dir)
    try:
        title = title or f"ita-extract dataset report: {Path(data_dir).name or data_dir}"
        body = [f"<h1>{escape(title)}</h1>", _summary(con)]
        body.append("<nav><p>" + " · ".join(f'<a href="#{sid}">{escape(h)}</a>' for sid, h, _ in SECTIONS)
                    + "</p></nav>")
        for sid, heading, render in SECTIONS:
            body.append(f'<section id="{sid}"><h2>{escape(heading)}</h2>\n{render(con)}\n</section>')
    finally:
        con.close()
    body.append(f'<footer class="note"><p>Made by ita-extract {escape(__version__)} '
                f"(<code>ita-extract report --data {escape(str(data_dir))}</code>). "
                "Query the same data with <code>ita-extract query</code>.</p></footer>")
    return ("<!DOCTYPE html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def build_report(data_dir: str | Path, out_path: str | Path) -> Path:
    """Write the report page for the dataset at `data_dir` to `out_path`."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(render_report(data_dir), encoding="utf-8")
    return out_path


def add_report_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `report` to the ita-extract sub-commands (sets `handler` to run_report_command)."""
    p = subparsers.add_parser(
        "report", help="write a self-contained HTML summary of the dataset",
        description="Summarise the dataset in DIR as one HTML page that needs no network: "
                    "reports by status, measures by indicator and status, coverage by province, "
                    "the reports with most warnings, review flags, confidence, null fields.",
        epilog="example: ita-extract report --data data/parsed -o report.html")
    p.add_argument("--data", default=DEFAULT_DATA_DIR, metavar="DIR",
                   help=f"dataset folder (default {DEFAULT_DATA_DIR})")
    p.add_argument("-o", "--output", default="report.html", metavar="FILE",
                   help="HTML file to write (default report.html)")
    p.set_defaults(handler=run_report_command)
    return p


def run_report_command(args: argparse.Namespace) -> int:
    """`ita-extract report`: 0 when written, 2 when DIR is not a dataset."""
    try:
        path = build_report(args.data, args.output)
    except DatasetError as exc:
        print(f"ita-extract report: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {path}", file=sys.stderr)
    return EXIT_OK
