"""The agencies table kept up to date from what a commit adds, without its other reports.

An agency's row is made from every report of it (`arrow.agency_rows`): it counts them,
gathers every printed form of the name, and takes its description (name, type, codes) from
the latest one. When a commit only *adds* reports to an agency that already has a row, and
each added report describes the agency exactly as the row does, the new row follows from
the old one: whichever report is the latest, the description is the same, the count grows
by the reports added and the aliases by theirs. A nightly run then finds no agency's other
reports in the dataset's segments (a large dataset's hundred files opened for ten reports).
An agency with no row yet has no report that counts (a row is made from any report that did
not fail), so its row is made from the reports added alone. Anything else — a report
removed, moved or re-extracted, a new description — is recomputed from all of the agency's
reports, as before.
"""
from __future__ import annotations

from typing import Iterable

from .arrow import agency_rows

DESCRIPTION = ("agency_name", "agency_type", "subdistrict_code", "district", "district_code",
               "province", "province_code", "dla_code")


def rows_after_adding(old: dict[str, dict], added: Iterable[dict]) -> tuple[list[dict], set[str]]:
    """The new rows of agencies that only gained `added` reports (dicts with the
    `AGENCY_INPUTS`), from their `old` rows by agency id — and the agencies that must be
    recomputed from all their reports instead. Failed reports and reports of no agency
    change nothing, as in a full recomputation; an agency without a row gets one from the
    reports added.

    >>> row = {"agency_id": "a1", "agency_name": "เทศบาลตำบลนาดี", "agency_type": "เทศบาลตำบล",
    ...        "subdistrict_code": "100101", "district": "ดุสิต", "district_code": "1001",
    ...        "province": "กรุงเทพมหานคร", "province_code": "10", "dla_code": None,
    ...        "subdistrict": "นาดี", "aliases": ["ทต.นาดี"], "n_reports": 2}
    >>> new = {**{k: row[k] for k in DESCRIPTION}, "agency_id": "a1", "status": "ok",
    ...        "agency_aliases": ["เทศบาลนาดี"], "fiscal_year_be": 2567, "source_path": "/in/r.txt"}
    >>> rows, rest = rows_after_adding({"a1": row}, [new])
    >>> rows[0]["n_reports"], rows[0]["aliases"], rest
    (3, ['ทต.นาดี', 'เทศบาลนาดี'], set())
    >>> rows_after_adding({"a1": row}, [{**new, "dla_code": "5100101"}])[1]  # described anew
    {'a1'}
    >>> [(r["agency_id"], r["n_reports"]) for r in rows_after_adding({}, [new, new])[0]]  # a new one
    [('a1', 2)]
    """
    by_agency: dict[str, list[dict]] = {}
    for r in added:
        if r["agency_id"] and r["status"] != "failed":
            by_agency.setdefault(r["agency_id"], []).append(r)
    rows, rest, first = [], set(), []
    for aid, reports in by_agency.items():
        row = old.get(aid)
        if row is None:  # its other reports, if any, all failed: they make no row
            first += reports
            continue
        described = tuple(row.get(k) for k in DESCRIPTION)
        if any(tuple(r.get(k) for k in DESCRIPTION) != described for r in reports):
            rest.add(aid)
            continue
        aliases = set(row["aliases"] or ())
        for r in reports:
            aliases.update(r["agency_aliases"] or ())
        rows.append({**row, "aliases": sorted(aliases), "n_reports": row["n_reports"] + len(reports)})
    return rows + agency_rows(first), rest
