"""Tagging quality and speed, measured on the labelled data of ../shared.

    /work/venv/bin/python bench/tagging.py [--quick] [--skip-cv] [--skip-upr] [--skip-speed]
        [--seed N] [--strict] [--without-paragraph-labels] [--errors FILE] [--json FILE]

1. ESC rights and fiscal labels on ../shared/data/annotations/esc_fiscal_dev.jsonl, by 5-fold
   cross-validation: each fold's model is trained on UPR Info (crosswalk) + the general-comment
   paragraphs (rightsindex's paragraph labels where it has them, else the labels of the comment
   they belong to) + the other four folds of the annotations, and scored on the held-out fold only
   (annotated UPR Info rows and paragraphs are left out of the training data in every fold;
   combiner and thresholds are fitted inside the training folds). Goals: ESC micro-F1 >= 0.85,
   fiscal micro-F1 >= 0.80, no label with >= 10 examples under F1 0.6. The lexicon alone is printed
   too. --strict also leaves out the paragraph labels of every comment that has a paragraph in the
   held-out fold; --without-paragraph-labels trains without them; --seed changes the fold split;
   --errors FILE writes the annotated texts tagged wrongly.
2. UPR Info's 54 issues, trained on sessions 1-12 and tested on 13-16: micro-F1 (goal 0.78);
   action category macro-F1 (goal 0.88); the groups, against UPR Info's issues mapped to them (which
   name a recommendation's main groups only).
3. Speed on one core: recommendations tagged per second by the full pipeline (spaCy lexicon +
   features + every head + tags with evidence), against the spaCy tokenizer alone on the same
   texts in the same run (goal >= 2,000/s).

The shipped model (rightsindex/nlp/data/model.npz) is trained with the project's own command:

    rightsindex train --data ../shared/data/upr_info/recommendations_sessions01-16.csv \
        --data ../shared/data/annotations/esc_fiscal_dev.jsonl \
        --data ../shared/data/general_comments/paragraphs.jsonl --output rightsindex/nlp/data/model.npz
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from sklearn.model_selection import KFold  # noqa: E402

from rightsindex.nlp import taxonomy  # noqa: E402
from rightsindex.nlp.datasets import (  # noqa: E402
    PARAGRAPH_LABELS,
    read_annotations,
    read_general_comments,
    read_upr_info,
)
from rightsindex.nlp.evaluation import family_scores  # noqa: E402
from rightsindex.nlp.lexicon import get_lexicon  # noqa: E402
from rightsindex.nlp.model import fit_combiner  # noqa: E402
from rightsindex.nlp.training import TUNE_ORIGINS, fit_examples  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("RIGHTSINDEX_SHARED", ROOT.parent / "shared")) / "data"
UPR = DATA / "upr_info" / "recommendations_sessions01-16.csv"
ANN = DATA / "annotations" / "esc_fiscal_dev.jsonl"
GC = DATA / "general_comments" / "paragraphs.jsonl"


def _matrix(examples, family):
    labels = taxonomy.labels(family)
    Y = np.zeros((len(examples), len(labels)), dtype=bool)
    for i, ex in enumerate(examples):
        for lab in ex.labels.get(family, ()):
            Y[i, labels.index(lab)] = True
    return Y, labels


def _print_family(name, scores, goal=None):
    g = f" (goal {goal})" if goal is not None else ""
    print(f"  {name}: micro-F1 {scores['micro_f1']:.4f}{g}, macro-F1 {scores['macro_f1']:.4f}, "
          f"micro P {scores['micro_precision']:.4f} R {scores['micro_recall']:.4f}")
    for lab, s in scores["labels"].items():
        flag = "  <0.6" if s["support"] >= 10 and s["f1"] < 0.6 else ""
        print(f"    {lab:<30} F1 {s['f1']:.3f}  P {s['precision']:.3f}  R {s['recall']:.3f}  "
              f"support {s['support']}{flag}")


def _comment(example_id: str) -> str:
    """The general comment (file) a ``gc-<file>-<paragraph>`` id belongs to."""
    if not example_id.startswith("gc-"):
        return ""
    cut = example_id.find(".json")
    return example_id[3:cut + 5] if cut >= 0 else example_id[3:].rsplit("-", 1)[0]


def bench_cv(folds: int, upr_sessions, *, paragraph_labels=PARAGRAPH_LABELS, strict: bool = False,
             weights=None, tune_origins=TUNE_ORIGINS, seed: int = 0, errors: Path | None = None,
             combiner_seeds: int = 1) -> dict:
    lex = get_lexicon()
    ann = read_annotations(ANN)
    ann_ids = {ex.id for ex in ann}
    upr = [ex for ex in read_upr_info(UPR, sessions=upr_sessions) if ex.id not in ann_ids]
    gc_all = read_general_comments(GC, paragraph_labels=paragraph_labels) if GC.exists() else []
    gc = [ex for ex in gc_all if ex.id not in ann_ids]
    n_upr_held = len(ann_ids & {e.id for e in read_upr_info(UPR)})
    n_par = sum(ex.origin == "paragraph_annotation" for ex in gc)
    print(f"[cv] {len(ann)} annotated texts, {folds}-fold CV; + {len(upr)} UPR Info rows and {len(gc)} "
          f"general-comment paragraphs in every fold ({n_par} of them with the paragraph labels of "
          f"rightsindex/nlp/data; the {n_upr_held} annotated UPR Info rows and {len(gc_all) - len(gc)} "
          f"annotated paragraphs left out)" + (
              "; strict: paragraph labels of a comment with a paragraph in the held-out fold are left out"
              if strict else ""))
    t0 = time.perf_counter()
    upr += gc
    upr_an = lex.analyse([ex.text for ex in upr])
    ann_an = lex.analyse([ex.text for ex in ann])
    fams = ("esc_rights", "fiscal")
    pred = {f: np.zeros((len(ann), len(taxonomy.labels(f))), dtype=bool) for f in fams}
    lexpred = {f: np.zeros_like(pred[f]) for f in fams}
    for f in fams:
        labels = taxonomy.labels(f)
        for i, a in enumerate(ann_an):
            for fam, lab in a.matches:
                if fam == f:
                    lexpred[f][i, labels.index(lab)] = True
    by_seed: dict[tuple[int, str], np.ndarray] = {}
    for k, (tr, te) in enumerate(KFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(ann)))):
        keep = list(range(len(upr)))
        if strict:
            held = {_comment(ann[i].id) for i in te} - {""}
            keep = [j for j in keep if not (upr[j].origin == "paragraph_annotation"
                                            and _comment(upr[j].id) in held)]
        train = [upr[j] for j in keep] + [ann[i] for i in tr]
        analyses = [upr_an[j] for j in keep] + [ann_an[i] for i in tr]
        model = fit_examples(train, families=fams, analyses=analyses, weights=weights,
                             tune_origins=tune_origins)
        test_an = [ann_an[i] for i in te]
        proba = model.probabilities(test_an)
        dec = model.decide(test_an, proba)
        for f in fams:
            pred[f][te] = dec[f].astype(bool)
        # the same fold models with the combiner refitted on other splits of its tuning rows, which
        # move only its cut: how much of a figure is that split's luck
        for c in range(1, combiner_seeds):
            for f in fams:
                head = model.heads[f]
                if head.combiner_inputs is not None:
                    fitted = fit_combiner(*head.combiner_inputs, f, head.labels, seed=c)
                    if fitted is not None:
                        head.combiner, head.combiner_threshold = fitted
            redone = model.decide(test_an, proba)
            for f in fams:
                by_seed.setdefault((c, f), np.zeros_like(pred[f]))[te] = redone[f].astype(bool)
        print(f"  fold {k + 1}/{folds} done ({time.perf_counter() - t0:.0f} s)", flush=True)
    if errors is not None:  # each annotated text whose predicted labels differ from the gold
        with open(errors, "w", encoding="utf-8") as fh:
            for i, ex in enumerate(ann):
                row = {"id": ex.id, "text": ex.text}
                for f in fams:
                    labels = taxonomy.labels(f)
                    gold = set(ex.labels.get(f, ()))
                    got = {labels[j] for j in np.flatnonzero(pred[f][i])}
                    row[f] = {"missed": sorted(gold - got), "extra": sorted(got - gold), "right": sorted(gold & got)}
                if any(row[f]["missed"] or row[f]["extra"] for f in fams):
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    out = {}
    for f, goal in (("esc_rights", 0.85), ("fiscal", 0.80)):
        Y, labels = _matrix(ann, f)
        s = family_scores(Y, pred[f], labels)
        lx = family_scores(Y, lexpred[f], labels)
        print(f"  lexicon alone, {f}: micro-F1 {lx['micro_f1']:.4f}")
        _print_family(f"{f} (lexicon + model, CV)", s, goal)
        out[f] = s
        # what users tag most: UPR recommendations, apart from the long general-comment paragraphs
        is_rec = np.array([ex.id.startswith("uprinfo-") for ex in ann])
        for name, mask in (("UPR recommendations", is_rec), ("general-comment paragraphs", ~is_rec)):
            part = family_scores(Y[mask], pred[f][mask], labels)
            print(f"    on the {int(mask.sum())} {name}: micro-F1 {part['micro_f1']:.4f}")
            out[f"{f}_{'recommendations' if name.startswith('UPR') else 'paragraphs'}"] = {
                "n": int(mask.sum()), "micro_f1": part["micro_f1"]}
        out[f + "_lexicon_only"] = {"micro_f1": lx["micro_f1"], "macro_f1": lx["macro_f1"]}
        if combiner_seeds > 1:
            runs = [s["micro_f1"]] + [family_scores(Y, by_seed[(c, f)], labels)["micro_f1"]
                                      for c in range(1, combiner_seeds)]
            print(f"    over {combiner_seeds} splits of the combiner's tuning rows (seed 0 above): micro-F1 "
                  f"mean {np.mean(runs):.4f}, min {min(runs):.4f}, max {max(runs):.4f} "
                  f"({', '.join(f'{r:.4f}' for r in runs)})")
            out[f + "_combiner_splits"] = {"runs": runs, "mean": float(np.mean(runs))}
    return out


def bench_upr() -> tuple[dict, object]:
    lex = get_lexicon()
    train = read_upr_info(UPR, sessions=range(1, 13))
    test = read_upr_info(UPR, sessions=range(13, 17))
    print(f"[upr] train sessions 1-12: {len(train)} rows; test sessions 13-16: {len(test)} rows")
    t0 = time.perf_counter()
    model = fit_examples(train, families=("action_category", "upr_issues", "groups"))
    print(f"  trained in {time.perf_counter() - t0:.0f} s")
    an = lex.analyse([ex.text for ex in test])
    dec = model.decide(an, model.probabilities(an))
    Y, labels = _matrix(test, "upr_issues")
    head = model.heads["upr_issues"]
    cols = [head.labels.index(lab) for lab in labels]
    s_issues = family_scores(Y, dec["upr_issues"][:, cols].astype(bool), labels)
    print(f"  UPR Info 54 issues: micro-F1 {s_issues['micro_f1']:.4f} (goal 0.78), "
          f"macro-F1 {s_issues['macro_f1']:.4f}, micro P {s_issues['micro_precision']:.4f} "
          f"R {s_issues['micro_recall']:.4f}")
    seen = {" ".join(ex.text.lower().split()) for ex in train}
    new = [i for i, ex in enumerate(test) if " ".join(ex.text.lower().split()) not in seen]
    s_new = family_scores(Y[new], dec["upr_issues"][new][:, cols].astype(bool), labels)
    print(f"  ... on the {len(new)} test texts not found verbatim in sessions 1-12: micro-F1 "
          f"{s_new['micro_f1']:.4f}")
    rows = [i for i, ex in enumerate(test) if ex.labels.get("action_category")]
    Ya, alabels = _matrix([test[i] for i in rows], "action_category")
    ahead = model.heads["action_category"]
    acols = [ahead.labels.index(lab) for lab in alabels]
    s_act = family_scores(Ya, dec["action_category"][rows][:, acols].astype(bool), alabels, multiclass=True)
    print(f"  action category: macro-F1 {s_act['macro_f1']:.4f} (goal 0.88), accuracy {s_act['accuracy']:.4f}")
    for lab, s in s_act["labels"].items():
        print(f"    {lab}: F1 {s['f1']:.3f} P {s['precision']:.3f} R {s['recall']:.3f} support {s['support']}")
    # groups, against UPR Info's issues mapped through the crosswalk ("Women's rights" -> women):
    # they name a recommendation's main groups only, so a group named in passing counts against
    Yg, glabels = _matrix(test, "groups")
    ghead = model.heads["groups"]
    gcols = [ghead.labels.index(lab) for lab in glabels]
    has = Yg.sum(axis=0) > 0
    s_groups = family_scores(Yg[:, has], dec["groups"][:, gcols][:, has].astype(bool),
                             [lab for lab, h in zip(glabels, has) if h])
    print(f"  groups (as UPR Info's issues name them): micro-F1 {s_groups['micro_f1']:.4f}, "
          f"macro-F1 {s_groups['macro_f1']:.4f}, micro P {s_groups['micro_precision']:.4f} "
          f"R {s_groups['micro_recall']:.4f}")
    for lab, s in s_groups["labels"].items():
        print(f"    {lab:<30} F1 {s['f1']:.3f}  P {s['precision']:.3f}  R {s['recall']:.3f}  support {s['support']}")
    return {"upr_issues": s_issues, "upr_issues_unseen_texts": {"n": len(new), "micro_f1": s_new["micro_f1"]},
            "action_category": s_act, "groups": s_groups}, test


def bench_speed(n: int) -> dict:
    from rightsindex.nlp import load_model, tag_texts

    texts = [ex.text for ex in read_upr_info(UPR, sessions=range(13, 17))]
    texts = (texts * (n // len(texts) + 1))[:n]
    model = load_model()
    lex = get_lexicon()
    tag_texts(texts[:500], model=model)  # warm up (vocabulary caches)
    t = time.perf_counter()
    for _ in lex.nlp.tokenizer.pipe(texts, batch_size=1000):
        pass
    base = n / (time.perf_counter() - t)
    t = time.perf_counter()
    tagged = tag_texts(texts, model=model)
    full = n / (time.perf_counter() - t)
    ntags = sum(len(x) for x in tagged)
    print(f"[speed] {n} recommendations, one core: spaCy tokenizer alone {base:,.0f}/s; full pipeline "
          f"(lexicon + model, {ntags / n:.1f} tags each, with evidence) {full:,.0f}/s (goal 2,000/s); "
          f"ratio full/tokenizer {full / base:.3f}")
    return {"tokenizer_per_s": round(base), "full_pipeline_per_s": round(full), "ratio": round(full / base, 4)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3 folds, UPR Info sessions 1-8 only in the CV")
    ap.add_argument("--skip-cv", action="store_true")
    ap.add_argument("--without-paragraph-labels", action="store_true",
                    help="train without the package's paragraph labels (the comparison run)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the cross-validation's fold split")
    ap.add_argument("--combiner-seeds", type=int, default=5,
                    help="also score the CV with the combiner refitted on this many splits of its tuning "
                    "rows (its cut moves with the split): mean, min and max (1: the shipped split only)")
    ap.add_argument("--errors", type=Path, help="write the annotated texts tagged wrongly (JSON lines) here")
    ap.add_argument("--strict", action="store_true",
                    help="leave out the paragraph labels of every comment with a held-out paragraph")
    ap.add_argument("--skip-upr", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--n", type=int, default=20000, help="texts for the speed run")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args()
    if not UPR.exists() or not ANN.exists():
        print(f"needs {UPR} and {ANN}", file=sys.stderr)
        return 2
    figures: dict = {}
    if not args.skip_cv:
        figures["cv"] = bench_cv(3 if args.quick else 5, range(1, 9) if args.quick else None,
                                 paragraph_labels=None if args.without_paragraph_labels else PARAGRAPH_LABELS,
                                 strict=args.strict, seed=args.seed, errors=args.errors,
                                 combiner_seeds=args.combiner_seeds)
    if not args.skip_upr:
        figures["upr"], _ = bench_upr()
    if not args.skip_speed:
        figures["speed"] = bench_speed(args.n)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
