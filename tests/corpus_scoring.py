"""Score a dataset against gold answers, as ../shared/tools/score.py does (its rules,
compact): measures paired greedily by measure+method similarity (≥ 60), text fields
equal when their whitespace-free forms have a fuzzy ratio ≥ 90, other fields exact,
document fields as the scorer compares them. Self-contained, so that the PDF corpus
test runs without ../shared; `test_pdf_corpus` checks it agrees with the shared one.
"""
from __future__ import annotations

import glob
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

TEXT = ["measure", "method", "responsible", "period_text", "monitoring", "result",
        "outcome", "recommendation", "indicator_name"]
EXACT = ["section", "indicator_no", "seq", "period_start", "period_end", "status", "score"]
DOC = ["agency_name", "agency_type", "district", "province", "fiscal_year_be",
       "report_period", "report_date", "prior_score"]
_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _text(s):
    if s is None:
        return None
    s = unicodedata.normalize("NFC", str(s)).replace("\u0e4d\u0e32", "\u0e33")
    s = re.sub(r"\s+", "", re.sub(r"<[^>]*>", " ", s).translate(_DIGITS))
    return s or None


def _empty(v) -> bool:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return True
    if isinstance(v, (list, tuple)) or (hasattr(v, "__len__") and not isinstance(v, str)):
        return len(v) == 0
    return str(v).strip() == ""


def _exact(f, v):
    if _empty(v):
        return None
    if f in ("period_start", "period_end", "report_date"):
        return str(v)[:10]
    if f == "score":
        return round(float(v), 2)
    if f in ("indicator_no", "fiscal_year_be"):
        return int(v)
    if f == "seq":
        return str(v).translate(_DIGITS).strip().rstrip(".") or None
    return str(v).strip() or None


def _same(f, g, p) -> bool:
    if f in TEXT:
        a, b = _text(g.get(f)), _text(p.get(f))
        return (a is None and b is None) if a is None or b is None else fuzz.ratio(a, b) >= 90
    if f == "oit_items":
        return set(g.get(f) or []) == set(p.get(f) if p.get(f) is not None else [])
    return _exact(f, g.get(f)) == _exact(f, p.get(f))


def _key(m) -> str:
    return _text((m.get("measure") or "") + "|" + (m.get("method") or "")) or ""


def _pairs(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    cands = sorted(((fuzz.ratio(_key(g), _key(p)), -abs(i - j), i, j)
                    for i, g in enumerate(gold) for j, p in enumerate(pred)
                    if fuzz.ratio(_key(g), _key(p)) >= 60), reverse=True)
    used_g, used_p, out = set(), set(), []
    for _, _, i, j in cands:
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return out


def _doc_ok(f, gold, rep) -> bool:
    if rep is None:
        return False
    a = gold.get("agency") or {}
    if f == "agency_name":
        return _text(a.get("name")) == _text(rep.get("agency_name"))
    if f == "agency_type":
        return (a.get("type") or None) == (rep.get("agency_type") or None)
    if f in ("district", "province"):
        return _text(a.get(f)) == _text(rep.get(f))
    if f == "prior_score":
        ps, got = gold.get("prior_score"), rep.get("prior_score")
        if ps is None:
            return got is None or (isinstance(got, float) and math.isnan(got))
        return got is not None and abs(float(got) - float(ps["score"])) < 0.005
    return _exact(f, gold.get(f)) == _exact(f, rep.get(f))


@dataclass
class Score:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    fields_ok: int = 0
    fields_n: int = 0
    doc_ok: int = 0
    doc_n: int = 0
    wrong: list = field(default_factory=list)  # (source, field, gold, pred)

    @property
    def measure_f1(self) -> float:
        p = self.matched / self.pred if self.pred else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def field_acc(self) -> float:
        return self.fields_ok / self.fields_n if self.fields_n else 0.0

    @property
    def doc_acc(self) -> float:
        return self.doc_ok / self.doc_n if self.doc_n else 0.0

    def __str__(self) -> str:
        return (f"measure_f1={self.measure_f1:.3f} field_acc={self.field_acc:.3f} "
                f"doc_acc={self.doc_acc:.3f} (gold={self.gold} pred={self.pred})")


def load(dataset: str, table: str) -> list[dict]:
    import duckdb
    files = glob.glob(os.path.join(dataset, table, "**", "*.parquet"), recursive=True)
    if not files:
        return []
    rel = duckdb.connect().sql(f"select * from read_parquet({files!r}, hive_partitioning=true,"
                               " union_by_name=true)")
    return [dict(zip(rel.columns, r)) for r in rel.fetchall()]


def score(gold_dir: str, measures: list[dict], reports: list[dict], keep=lambda src: True) -> Score:
    """Score the reports whose source file `keep` accepts against `<stem>.json` gold."""
    golds = {os.path.splitext(os.path.basename(f))[0]: json.load(open(f, encoding="utf-8"))
             for f in glob.glob(os.path.join(gold_dir, "*.json"))}
    by_src: dict[str, list[dict]] = {}
    for m in measures:
        by_src.setdefault(os.path.basename(str(m["source_file"])), []).append(m)
    s = Score()
    for rep in reports:
        src = os.path.basename(str(rep["source_file"]))
        stem = os.path.splitext(src.split("__")[0])[0]
        if stem not in golds or not keep(src):
            continue
        gold, pred = golds[stem], by_src.get(src, [])
        pairs = _pairs(gold["measures"], pred)
        s.gold, s.pred, s.matched = s.gold + len(gold["measures"]), s.pred + len(pred), s.matched + len(pairs)
        for i, j in pairs:
            g, p = gold["measures"][i], pred[j]
            for f in TEXT + EXACT + ["oit_items"]:
                if _empty(g.get(f)) and _empty(p.get(f)):
                    continue
                s.fields_n += 1
                if _same(f, g, p):
                    s.fields_ok += 1
                else:
                    s.wrong.append((src, f, g.get(f), p.get(f)))
        for f in DOC:
            s.doc_n += 1
            if _doc_ok(f, gold, rep):
                s.doc_ok += 1
            else:
                s.wrong.append((src, "doc." + f, None, rep.get(f)))
    return s
