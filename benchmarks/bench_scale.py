"""How the nightly job's cost grows with the dataset: first ingest by stage, adding 10
reports, a re-run over unchanged files, `query` against DuckDB direct, start-up of
`extract` — for datasets of 1,000 and 10,000 synthetic reports (and 50,000 with --big).

usage: python benchmarks/bench_scale.py [--sizes 1000 10000] [--big] [--workers 2] [--rounds 3]

Every figure of one size comes from the same run; ratios are taken within it. Peak RSS is
the ingest process's own high-water mark (VmHWM; worker processes are separate). Inputs
are made in a temporary folder: small text reports of real agencies (geothai places), five
fiscal years, three measures each, each file distinct.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
# Processes run as an installed package runs: with its compiled modules cached (a machine
# that sets PYTHONDONTWRITEBYTECODE would otherwise recompile ~70 modules in every process).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

TEMPLATE = """รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {fy}
{agency} อำเภอ{district} จังหวัด{province}

มาตรการ/แนวทาง\tวิธีดำเนินการ\tผู้รับผิดชอบ\tระยะเวลา\tผลการดำเนินงาน
๑. ประกาศเจตนารมณ์การต่อต้านการทุจริตของผู้บริหาร ฉบับที่ {n}\tจัดกิจกรรมประกาศเจตนารมณ์\tสำนักปลัด\tต.ค. {y0} – ธ.ค. {y0}\tดำเนินการแล้ว
๒. เผยแพร่ข้อมูลการจัดซื้อจัดจ้างบนเว็บไซต์ รายการที่ {n}\tปรับปรุงหน้าเว็บไซต์ทุกเดือน\tกองคลัง\tม.ค. {y1} – มี.ค. {y1}\tอยู่ระหว่างดำเนินการ
๓. ทบทวนคู่มือการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อน\tประชุมชี้แจงพนักงาน\tทุกกอง\tเม.ย. {y1} – ก.ย. {y1}\tยังไม่ดำเนินการ
"""


def agencies(n: int) -> list[tuple[str, str, str]]:
    import geothai

    out = []
    for p in geothai.provinces():
        for d in geothai.districts(p.code):
            for s in geothai.subdistricts(d.code)[:2]:
                out.append((f"เทศบาลตำบล{s.name_th}", d.name_th.removeprefix("เมือง") or d.name_th, p.name_th))
                if len(out) >= n:
                    return out
    return out


def make_reports(folder: Path, start: int, count: int, places: list) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        agency, district, province = places[(i // 5) % len(places)]
        fy = 2563 + i % 5
        text = TEMPLATE.format(fy=str(fy).translate(THAI), agency=agency, district=district,
                               province=province, n=str(i).translate(THAI),
                               y0=str(fy - 1)[2:].translate(THAI), y1=str(fy)[2:].translate(THAI))
        (folder / f"{i // 1000:03d}" / f"r{i:06d}.txt").parent.mkdir(exist_ok=True)
        (folder / f"{i // 1000:03d}" / f"r{i:06d}.txt").write_text(text, "utf-8")


def cli(args: list[str], env: dict | None = None) -> tuple[float, float, dict]:
    """Run ita-extract in a fresh process: (wall seconds, peak RSS MB of that process, summary)."""
    code = ("import json, sys, resource\nfrom extractor.cli import main\n"
            "code = main(sys.argv[1:])\n"
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
            "print(json.dumps({'code': code, 'hwm_kb': int(hwm)}), file=sys.stderr)\n")
    t = time.perf_counter()
    out = subprocess.run([PY, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                         env={**CHILD_ENV, **(env or {})})
    wall = time.perf_counter() - t
    lines = [json.loads(l) for l in out.stderr.splitlines() if l.startswith("{")]
    tail = lines[-1] if lines else {}
    summary = next((l for l in lines if l.get("event") == "summary"), {})
    if tail.get("code") not in (0, 1):
        raise SystemExit(f"ita-extract {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return wall, tail.get("hwm_kb", 0) / 1024, summary


def timed(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, cwd=ROOT, check=True, env=CHILD_ENV)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def query_latency(ds: Path, repeat: int = 25) -> tuple[float, float, float]:
    """Median seconds for a count, in-process, interleaved: `run_query` (what `ita-extract
    query` runs: resolve the version, connect, views, query), `connect()` with all three
    views then the query, and DuckDB reading the same files directly by glob."""
    import duckdb

    from extractor.exploring.query import connect, run_query

    glob = str(ds / "measures" / "**" / "*.parquet")
    ours, connected, direct = [], [], []
    for i in range(repeat + 3):
        t = time.perf_counter()
        run_query("select count(*) from measures", ds)
        t1 = time.perf_counter()
        con = connect(ds)
        con.execute("select count(*) from measures").fetchall()
        con.close()
        t2 = time.perf_counter()
        con = duckdb.connect()
        con.execute(f"select count(*) from read_parquet('{glob}')").fetchall()
        con.close()
        t3 = time.perf_counter()
        if i >= 3:  # after a warm-up
            ours.append(t1 - t)
            connected.append(t2 - t1)
            direct.append(t3 - t2)
    return statistics.median(ours), statistics.median(connected), statistics.median(direct)


def one_size(work: Path, n: int, workers: int, places: list, rounds: int = 3) -> dict:
    src, ds = work / f"in{n}", work / f"ds{n}"
    make_reports(src, 0, n, places)
    row: dict = {"n": n}
    wall, rss, s = cli(["ingest", str(src), "-o", str(ds), "--workers", str(workers), "--log-json"])
    row.update(first_wall=wall, first_rss=rss, stages=s.get("seconds", {}), ok=s.get("ok"))
    runs: dict[str, list] = {"add10": [], "add10_alone": [], "rerun": []}
    for r in range(rounds):  # each round adds 20 new files: 10 among the n, 10 given alone
        first = n + 20 * r
        make_reports(src, first, 10, places)  # ten new reports among the n
        runs["add10"].append(cli(["ingest", str(src), "-o", str(ds), "--workers", str(workers),
                                  "--log-json"]))
        extra = work / f"extra{n}-{r}"
        make_reports(extra, first + 10, 10, places)  # ten new reports given on their own
        runs["add10_alone"].append(cli(["ingest", str(extra), "-o", str(ds), "--workers", "0",
                                        "--log-json"]))
        runs["rerun"].append(cli(["ingest", str(src), "-o", str(ds), "--workers", str(workers),
                                  "--log-json"]))
    for name, results in runs.items():  # the median run by wall time; the highest peak RSS
        wall, _, s = sorted(results, key=lambda x: x[0])[len(results) // 2]
        row.update({f"{name}_wall": wall, f"{name}_rss": max(x[1] for x in results),
                    f"{name}_stages": s.get("seconds", {}), f"{name}_skipped": s.get("skipped")})
    row["query_ours"], row["query_connect"], row["query_direct"] = query_latency(ds)
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    ap.add_argument("--big", action="store_true", help="add 50,000 (takes several minutes)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3,
                    help="times each small run is repeated (the median is shown; default 3)")
    args = ap.parse_args()
    sizes = args.sizes + ([50_000] if args.big else [])
    places = agencies(3000)
    print(f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; sizes {sizes}; workers {args.workers}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sample = work / "one"
        make_reports(sample, 0, 1, places)
        one = next(sample.rglob("*.txt"))
        t_extract = timed([PY, "-m", "extractor", "extract", str(one)], 7)
        t_pyarrow = timed([PY, "-c", "import pyarrow"], 7)
        print(f"extract of one text report: {t_extract:.3f}s; python -c 'import pyarrow': "
              f"{t_pyarrow:.3f}s; ratio {t_extract / t_pyarrow:.2f}x (target < 1.3x)")
        rows = []
        for n in sizes:
            row = one_size(work, n, args.workers, places, args.rounds)
            rows.append(row)
            st = row["stages"]
            total = sum(st.values()) or 1
            print(f"\n== {n} reports ==")
            print(f"first ingest: {row['first_wall']:.1f}s wall, peak RSS {row['first_rss']:.0f} MB; stages "
                  + ", ".join(f"{k} {v:.1f}s" for k, v in st.items())
                  + f"; write = {100 * st.get('write', 0) / total:.1f}% of the stages")
            print(f"add 10 (nightly run over all {n}+ files; median of {args.rounds}): {row['add10_wall']:.2f}s wall, "
                  f"peak RSS {row['add10_rss']:.0f} MB; stages "
                  + ", ".join(f"{k} {v:.2f}s" for k, v in row["add10_stages"].items()))
            print(f"add 10 (only the 10 new files given): {row['add10_alone_wall']:.2f}s wall, "
                  f"peak RSS {row['add10_alone_rss']:.0f} MB; stages "
                  + ", ".join(f"{k} {v:.2f}s" for k, v in row["add10_alone_stages"].items()))
            print(f"re-run over {n}+ unchanged files: {row['rerun_wall']:.2f}s wall, "
                  f"peak RSS {row['rerun_rss']:.0f} MB ({row['rerun_skipped']} skipped)")
            print(f"query count(*) from measures: run_query {1000 * row['query_ours']:.1f} ms "
                  f"({row['query_ours'] / row['query_direct']:.2f}x), connect() with three views + query "
                  f"{1000 * row['query_connect']:.1f} ms ({row['query_connect'] / row['query_direct']:.2f}x), "
                  f"DuckDB direct {1000 * row['query_direct']:.1f} ms (target ≤ 1.3x)")
        if len(rows) > 1:
            base = next((r for r in rows if r["n"] == 10_000 and r is not rows[-1]), rows[0])
            print(f"\ngrowth against {base['n']:,} reports (targets: add 10 within 25 % from 10,000 to 50,000):")
            for r in [r for r in rows if r["n"] > base["n"]]:
                f = r["n"] / base["n"]
                print(f"  x{f:g} reports: add 10 (all files) x{r['add10_wall'] / base['add10_wall']:.2f} time, "
                      f"x{r['add10_rss'] / base['add10_rss']:.2f} RSS; add 10 (alone) "
                      f"x{r['add10_alone_wall'] / base['add10_alone_wall']:.2f} time, "
                      f"x{r['add10_alone_rss'] / base['add10_alone_rss']:.2f} RSS; re-run "
                      f"x{r['rerun_wall'] / base['rerun_wall']:.2f}; first-ingest write "
                      f"x{r['stages'].get('write', 0) / max(base['stages'].get('write', 0), 1e-9):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
