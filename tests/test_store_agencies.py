"""The agencies table a commit keeps: always what a recomputation from every report gives,
grown from the old rows (no segment read) when a commit only adds reports that describe
their agencies as their rows do."""
import random

import pyarrow as pa

from extractor.dataset.arrow import agencies_table, to_table
from extractor.dataset.schema import TABLES
from extractor.dataset.store import ChangeSet, Store

AGENCIES = {  # id → two ways a report may describe it (a renamed agency, a code found later)
    "a1": [("เทศบาลตำบลนาดี", "เทศบาลตำบล", None), ("เทศบาลเมืองนาดี", "เทศบาลเมือง", "3100101")],
    "a2": [("องค์การบริหารส่วนตำบลโพธิ์", "องค์การบริหารส่วนตำบล", "6100201"),
           ("องค์การบริหารส่วนตำบลโพธิ์", "องค์การบริหารส่วนตำบล", None)],
    "a3": [("เทศบาลตำบลท่าช้าง", "เทศบาลตำบล", "5100301"), ("เทศบาลตำบลท่าช้าง", "เทศบาลตำบล", "5100301")],
}
ALIASES = ["ทต.นาดี", "เทศบาลนาดี", "อบต.โพธิ์", "ท่าช้าง", "ทม.นาดี"]


def report(n: int, aid: str | None, variant: int = 0, status: str = "ok", fy: int = 2566,
           aliases: list[str] | None = None) -> dict:
    name, kind, dla = AGENCIES[aid][variant] if aid else (None, None, None)
    return {"report_id": f"r{n:04d}", "source_file": f"r{n:04d}.txt", "source_path": f"/in/r{n:04d}.txt",
            "status": status, "fiscal_year_be": fy, "agency_id": aid, "agency_name": name,
            "agency_type": kind, "dla_code": dla, "subdistrict_code": None, "district": "เมือง",
            "district_code": None, "province": "ขอนแก่น", "province_code": "40",
            "agency_aliases": aliases or []}


def commit(store: Store, rows: list[dict], remove: set[str] = frozenset()) -> None:
    by_year = {}
    for fy in sorted({r["fiscal_year_be"] for r in rows}):
        mine = [r for r in rows if r["fiscal_year_be"] == fy]
        by_year[fy] = (to_table(mine, "reports"), TABLES["measures"].empty_table())
    store.commit(ChangeSet(by_year=by_year, remove=set(remove)))


def recomputed(store: Store) -> list[dict]:
    return agencies_table(store.read("reports")).sort_by("agency_id").to_pylist()


def test_agencies_equal_a_recomputation_after_every_kind_of_commit(tmp_path):
    rng = random.Random(7)
    store = Store(tmp_path / "ds").open()
    live, n = [], 0
    for step in range(14):
        rows = []
        for _ in range(rng.randint(1, 5)):
            n += 1
            rows.append(report(n, rng.choice(["a1", "a2", "a3", None]), variant=rng.randint(0, 1),
                               status=rng.choice(["ok", "ok", "ok", "failed"]),
                               fy=rng.choice([2565, 2566, 2567]),
                               aliases=rng.sample(ALIASES, rng.randint(0, 2))))
        remove = {rng.choice(live)} if live and step % 4 == 3 else set()
        commit(store, rows, remove)
        live = [r for r in live if r not in remove] + [r["report_id"] for r in rows]
        assert store.read("agencies").sort_by("agency_id").to_pylist() == recomputed(store), step


def test_reports_added_as_their_agency_is_described_read_no_segment(tmp_path, monkeypatch):
    """Nor do the first reports of an agency: an agency without a row has no report that
    counts (only failed ones, which make no row)."""
    store = Store(tmp_path / "ds").open()
    asked = []
    real = Store._reports_of
    monkeypatch.setattr(Store, "_reports_of", lambda self, ids, segs: asked.append(set(ids)) or real(self, ids, segs))
    commit(store, [report(1, "a2", aliases=["อบต.โพธิ์"]), report(2, "a3", fy=2565)])
    commit(store, [report(3, "a2", fy=2567, aliases=["องค์การบริหารส่วนตำบลโพธิ์"]),
                   report(4, "a3", status="failed")])
    assert asked == []  # grown from the rows: no agency's other reports looked for
    rows = {r["agency_id"]: r for r in store.read("agencies").to_pylist()}
    assert rows["a2"]["n_reports"] == 2 and rows["a3"]["n_reports"] == 1
    assert rows["a2"]["aliases"] == ["องค์การบริหารส่วนตำบลโพธิ์", "อบต.โพธิ์"]
    commit(store, [report(5, "a2", variant=1, fy=2565)])  # described anew: recomputed
    assert asked == [{"a2"}]
    assert store.read("agencies").sort_by("agency_id").to_pylist() == recomputed(store)
    commit(store, [report(6, "a1")], remove={"r0003"})  # a report removed: its agency recomputed
    assert asked[-1] == {"a2"} and store.read("agencies").sort_by("agency_id").to_pylist() == recomputed(store)
    commit(store, [report(7, None), report(8, "a1", variant=1, status="failed")])
    commit(store, [report(9, "a1", variant=1)])  # described anew: recomputed
    assert asked[-1] == {"a1"} and store.read("agencies").sort_by("agency_id").to_pylist() == recomputed(store)
