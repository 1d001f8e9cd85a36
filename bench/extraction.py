"""Recommendation extraction from UPR working-group reports, measured against gold.

Reads the 12 working-group reports of ../shared/data/gold/manifest.json with
rightsindex's PDF layer and UPR parser and compares with
../shared/data/gold/wg_report_recommendations.jsonl (fuzzy text match with
rapidfuzz). Gold rows whose ``fuzzy_found_in_pdf`` is false are not counted
in recall (they are paraphrases or text the PDF does not hold) but an
extracted recommendation that matches one is not counted as a false positive.

Units of counting
-----------------
- UPR Info gold (11 reports) has one row per recommending State and per part of
  an item. We expand our recommendations the same way: one unit per (part,
  recommending State). A gold row and a unit match when their normalised texts
  score at least THRESHOLD with max(ratio, token_set_ratio) (UPR Info trims
  "To", adds "Recommended that", drops a shared clause...), assigned one to one,
  best score first, a same-State pair preferred among equal texts. Recall =
  matched gold rows / gold rows found in the PDF; precision = matched units /
  units; States = matched pairs whose State is the same (ISO code) / matched pairs.
  Because UPR Info sometimes splits one State's recommendation into several rows, or
  merges two of a State's recommendations into one, a gold row contained in a unit of
  the same State (partial_ratio >= THRESHOLD) also counts as found ("recall"; the
  one-to-one figure is printed as "1:1 rec"), and a unit contained in a gold row of the
  same State is no false positive.
- OHCHR's list (Slovenia 2014) counts numbered items (``115.3 ... (Portugal,
  Slovakia)``). We merge our parts back into their item and match by item
  number and text; States = items whose set of States is the same.

Responses: Slovenia 2014 with its addendum A/HRC/28/15/Add.1 against OHCHR's
positions (share of the 163 items with the same position); for the other
reports, agreement with UPR Info's response where our report states one
(cycle-1 groupings); UPR Info's responses often come from later documents.

Usage: python bench/extraction.py [--shared ../shared] [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from rapidfuzz import fuzz

from rightsindex.ingest import countries, upr
from rightsindex.ingest.pdf import read_pages, sha256_file
from rightsindex.records import Document

THRESHOLD = 90.0
CACHE_HITS: list[str] = []
PARAPHRASE = 75.0  # gold rows not found in the PDF are paraphrases: a same-State unit this close is no false positive


def norm(text: str) -> str:
    s = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = s.replace("\u2013", "-").replace("\u2014", "-")
    s = s.lower().strip()
    s = re.sub(r"^recommended\s+(?:that\s+)?", "", s)
    s = re.sub(r"^(?:to|that)\s+", "", s)
    s = re.sub(r"[\s;.,:]+$", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())


def strip_states(text: str) -> str:
    """OHCHR's item text without its lists of States: 'Ratify X (Portugal, Slovakia);' -> 'Ratify X'."""
    out = text
    for _ in range(3):
        out = re.sub(r"\s*\(([^()]|\([^()]*\))*\)", lambda m: "" if upr._states_of(m.group(0).strip()[1:-1]) else m.group(0), out)
    return out


def score(a: str, b: str) -> float:
    """Text similarity; a text contained in the other counts when it is not much shorter."""
    best = fuzz.ratio(a, b)
    la, lb = len(a), len(b)
    if min(la, lb) >= 0.4 * max(la, lb):
        best = max(best, fuzz.token_set_ratio(a, b))
    return best


def code_of(name: str | None) -> str | None:
    if not name:
        return None
    hit = countries.lookup(name)
    return hit[1] if hit else None


def load_pages(pdf: Path, cache: Path | None, engine: str = "pdfplumber"):
    if cache is not None:
        cache = cache / engine
        cache.mkdir(parents=True, exist_ok=True)
        f = cache / (pdf.name + ".pkl")
        if f.exists() and f.stat().st_mtime > pdf.stat().st_mtime:
            with open(f, "rb") as fh:
                CACHE_HITS.append(pdf.name)
                return pickle.load(fh)
    pages = list(read_pages(pdf, engine=engine))
    if cache is not None:
        with open(cache / (pdf.name + ".pkl"), "wb") as fh:
            pickle.dump(pages, fh)
    return pages


def match_units(gold: list[dict], units: list[dict]) -> list[tuple[int, int, float]]:
    """One-to-one assignment, best score first; same State preferred among equal scores."""
    cands = []
    for gi, g in enumerate(gold):
        for ui, u in enumerate(units):
            s = score(g["norm"], u["norm"])
            if s >= THRESHOLD:
                same = 1 if (g["code"] and g["code"] == u["code"]) else 0
                cands.append((s + 5 * same, fuzz.ratio(g["norm"], u["norm"]), s, gi, ui))
    cands.sort(reverse=True)
    used_g, used_u, pairs = set(), set(), []
    for _, _, s, gi, ui in cands:
        if gi in used_g or ui in used_u:
            continue
        used_g.add(gi)
        used_u.add(ui)
        pairs.append((gi, ui, s))
    return pairs


UPR_INFO_RESPONSE = {"accepted": "supported", "noted": "noted", "rejected": "noted"}


def bench_upr_info(recs, gold_rows) -> dict:
    units = []
    for r in recs:
        names = r.recommending_states or (None,)
        for n in names:
            units.append({"norm": norm(r.text), "code": code_of(n), "response": r.response})
    gold = [
        {"norm": norm(g["text"]), "code": code_of(g["recommending_state"]), "found": g["fuzzy_found_in_pdf"],
         "response": UPR_INFO_RESPONSE.get(str(g.get("response", "")).lower())}
        for g in gold_rows
    ]
    pairs = match_units(gold, units)
    # UPR Info sometimes splits one State's recommendation into several rows ("Ratify ICCPR-OP2" out of
    # "Ratify ICCPR-OP2, OP-CEDAW and CED"): such a fragment matches the unit of the same State containing it.
    matched_g = {gi for gi, _, _ in pairs}
    fragments = []
    for gi, g in enumerate(gold):
        if gi in matched_g:
            continue
        best = None
        for ui, u in enumerate(units):
            if not g["code"] or g["code"] != u["code"] or len(g["norm"]) > len(u["norm"]):
                continue
            s = max(fuzz.partial_ratio(g["norm"], u["norm"]), fuzz.token_set_ratio(g["norm"], u["norm"]) - 5)
            limit = THRESHOLD if g["found"] else PARAPHRASE
            if s >= limit and (best is None or s > best[1]):
                best = (ui, s)
        if best is not None:
            fragments.append((gi, best[0], best[1]))
    found_total = sum(1 for g in gold if g["found"])
    # ... and merges the other way ("Reconsider its stance and endorse the Declaration", Norway, where the
    # report gives Norway two recommendations): a unit contained in a same-State gold row is no false positive.
    taken = {ui for _, ui, _ in pairs} | {ui for _, ui, _ in fragments}
    merged = set()
    for ui, u in enumerate(units):
        if ui in taken or not u["code"]:
            continue
        for g in gold:
            if g["code"] == u["code"] and len(u["norm"]) < len(g["norm"]) and fuzz.partial_ratio(u["norm"], g["norm"]) >= THRESHOLD:
                merged.add(ui)
                break
    found_strict = [(gi, ui) for gi, ui, _ in pairs if gold[gi]["found"]]
    found_matched = found_strict + [(gi, ui) for gi, ui, _ in fragments if gold[gi]["found"]]
    units_matched = {ui for _, ui, _ in pairs} | {ui for _, ui, _ in fragments} | merged
    state_ok = sum(1 for gi, ui in found_matched if gold[gi]["code"] == units[ui]["code"])
    stated = [(gi, ui) for gi, ui, _ in pairs if units[ui]["response"] in ("supported", "noted") and gold[gi]["response"]]
    resp_ok = sum(1 for gi, ui in stated if units[ui]["response"] == gold[gi]["response"])
    return {
        "unit": "state x part",
        "gold": found_total,
        "ours": len(units),
        "strict": len(found_strict) / found_total if found_total else float("nan"),
        "recall": len(found_matched) / found_total if found_total else float("nan"),
        "precision": len(units_matched) / len(units) if units else float("nan"),
        "states": state_ok / len(found_matched) if found_matched else float("nan"),
        "resp_n": len(stated),
        "resp_agree": resp_ok / len(stated) if stated else float("nan"),
        "missed": [gold_rows[gi] for gi in range(len(gold))
                   if gold[gi]["found"] and gi not in {p[0] for p in pairs} | {f[0] for f in fragments}],
        "steal": [(gold_rows[gi]["text"], units[ui]["norm"]) for gi, ui, _ in pairs if not gold[gi]["found"]],
        "extra": [units[ui] for ui in range(len(units)) if ui not in units_matched],
    }


def bench_ohchr(recs, gold_rows) -> dict:
    items: dict[str, dict] = defaultdict(lambda: {"texts": [], "codes": set()})
    for r in recs:
        it = items[r.paragraph or ""]
        it["texts"].append(r.text)
        it["codes"].update(r.recommending_codes)
    matched = states_ok = 0
    missed = []
    for g in gold_rows:
        it = items.get(g["paragraph_number"])
        gtext = norm(strip_states(g["text"]))
        if it and score(gtext, norm(" ".join(it["texts"]))) >= THRESHOLD:
            matched += 1
            gcodes = {code_of(n) for n in g["recommending_states"]}
            states_ok += gcodes == it["codes"]
        else:
            missed.append(g)
    found = [g for g in gold_rows if g["fuzzy_found_in_pdf"]]
    gold_numbers = {g["paragraph_number"] for g in gold_rows}
    ours = len(items)
    correct_items = sum(1 for n in items if n in gold_numbers)
    return {
        "unit": "item",
        "gold": len(found),
        "ours": ours,
        "strict": matched / len(found) if found else float("nan"),
        "recall": matched / len(found) if found else float("nan"),
        "precision": correct_items / ours if ours else float("nan"),
        "states": states_ok / matched if matched else float("nan"),
        "resp_n": 0,
        "resp_agree": float("nan"),
        "missed": missed,
        "extra": [n for n in items if n not in gold_numbers],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.environ.get("RIGHTSINDEX_SHARED", str(Path(__file__).resolve().parents[2] / "shared")))
    ap.add_argument("--cache", default=None, help="folder to keep parsed pages between runs")
    ap.add_argument("--verbose", "-v", action="store_true", help="print missed gold rows and extra units")
    ap.add_argument("--engine", default="pdfplumber", choices=["pdfplumber", "pypdfium2"], help="PDF engine of the PDF layer")
    args = ap.parse_args(argv)
    data = Path(args.shared) / "data"
    manifest = json.loads((data / "gold" / "manifest.json").read_text())
    gold_all = [json.loads(line) for line in open(data / "gold" / "wg_report_recommendations.jsonl", encoding="utf-8")]
    cache = Path(args.cache) if args.cache else None

    rows = []
    t0 = time.time()
    read_seconds = 0.0
    n_pages = 0
    slovenia_recs = None
    for entry in manifest:
        pdf = data / "pdf" / entry["pdf"]
        t_read = time.time()
        pages = load_pages(pdf, cache, args.engine)
        read_seconds += time.time() - t_read
        n_pages += len(pages)
        doc = Document(sha256=sha256_file(pdf), source_path=str(pdf))
        ex = upr.extract_report(pages, doc)
        gold_rows = [g for g in gold_all if g["pdf"] == entry["pdf"]]
        if gold_rows and gold_rows[0]["gold_source"] == "ohchr_thematic_list":
            res = bench_ohchr(ex.recommendations, gold_rows)
            slovenia_recs = (ex, pages)
        else:
            res = bench_upr_info(ex.recommendations, gold_rows)
        res["pdf"] = entry["pdf"]
        rows.append(res)
        if args.verbose:
            for g in res["missed"]:
                print(f"  MISSED {entry['pdf'][:22]} {g.get('recommending_state') or g.get('recommending_states')}: {g['text'][:150]}")
            for u in res["extra"]:
                print(f"  EXTRA  {entry['pdf'][:22]} {u}" if isinstance(u, str) else f"  EXTRA  {entry['pdf'][:22]} {u['code']}: {u['norm'][:150]}")

    print(f"{'report':44s} {'unit':12s} {'gold':>5s} {'ours':>5s} {'1:1 rec':>7s} {'recall':>7s} {'prec':>7s} {'states':>7s} {'resp n':>6s} {'resp=':>6s}")
    for r in rows:
        print(f"{r['pdf'][:44]:44s} {r['unit']:12s} {r['gold']:5d} {r['ours']:5d} {r['strict']:7.3f} {r['recall']:7.3f} {r['precision']:7.3f} "
              f"{r['states']:7.3f} {r['resp_n']:6d} {r['resp_agree']:6.3f}")
    n = len(rows)
    print(f"{'mean over ' + str(n) + ' reports':44s} {'':12s} {'':5s} {'':5s} {sum(r['strict'] for r in rows) / n:7.3f} "
          f"{sum(r['recall'] for r in rows) / n:7.3f} {sum(r['precision'] for r in rows) / n:7.3f} "
          f"{sum(r['states'] for r in rows) / n:7.3f}")
    print(f"min recall {min(r['recall'] for r in rows):.3f}, min precision {min(r['precision'] for r in rows):.3f}, "
          f"min States {min(r['states'] for r in rows):.3f} (goal 0.98 each)")
    resp_n = sum(r["resp_n"] for r in rows)
    resp_ok = sum(r["resp_n"] * r["resp_agree"] for r in rows if r["resp_n"])
    if resp_n:
        print(f"responses stated in the cycle-1 reports vs UPR Info: {resp_ok / resp_n:.3f} agreement on {resp_n} matched units")

    # Slovenia 2014 responses from the addendum, against OHCHR's thematic list
    add_pdf = data / "pdf" / "upr_A-HRC-28-15-Add.1_Slovenia_responses_2015.pdf"
    ohchr = data / "ohchr_thematic_list" / "slovenia_cycle2.jsonl"
    if slovenia_recs and add_pdf.exists() and ohchr.exists():
        add_pages = load_pages(add_pdf, cache, args.engine)
        add = upr.extract_addendum(add_pages, Document(sha256=sha256_file(add_pdf), source_path=str(add_pdf)))
        report_symbol = slovenia_recs[0].document.symbol
        by_para = {p: resp for sym, p, resp in add.responses if sym == report_symbol}
        items = {r.paragraph for r in slovenia_recs[0].recommendations}
        linked = {p: by_para[p] for p in items if p in by_para}
        want = [json.loads(line) for line in open(ohchr, encoding="utf-8")]
        ok = sum(1 for w in want if linked.get(w["paragraph_number"]) == w["position"].lower())
        print(f"Slovenia 2014 responses (report {report_symbol} + {add.document.symbol}): {ok}/{len(want)} = "
              f"{ok / len(want):.3f} agree with OHCHR's positions (goal 0.98); "
              f"{len(add.responses)} responses read, {len(linked)} linked to extracted items")
    print(f"engine {args.engine}: {n_pages} pages read in {read_seconds:.1f} s"
          f"{f' ({len(CACHE_HITS)} files from the cache)' if CACHE_HITS else ''}; total {time.time() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
