"""Document identification measured against HURIDOCS's first-page gold.

Reads ../shared/data/huridocs/hrc_document_first_page_metadata.jsonl (2,766 first
pages of HRC documents with a symbol and a title) and runs
``rightsindex.ingest.metadata.identify_text`` on each ``first_page_text``.

Symbol accuracy is given twice, because the gold's ``symbol`` field is not always
the document's own symbol: in ~200 rows it is a symbol the page *mentions*
("Previously issued as document A/HRC/WG.6/9/L.16"), while the gold title's prefix
("16/18: ...") and the masthead agree on A/HRC/16/18.

- ``symbol (gold field)``: equal to the gold symbol after stripping trailing
  punctuation and asterisks;
- ``symbol (consistent rows)``: the same, on the rows where the gold symbol agrees
  with the gold title's prefix (``A/HRC/`` + prefix);
- ``symbol (title prefix)``: ``A/HRC/`` + the title's prefix, on every row where the prefix
  is a symbol tail.

Title accuracy compares our title with the gold title minus its ``NN/NN: `` prefix,
both lower-cased with punctuation and asterisks removed: ``exact`` is equality of
the whole; ``fuzzy>=90`` is a rapidfuzz ratio of at least 90 after removing, from
both sides, a trailing attribution part (" - Note by the Secretariat", " - Report of
the United Nations High Commissioner..."), which the gold includes for some
documents and not for others with the same first page layout (110 of the 293 pages
that carry "Note by the Secretariat" have it in the gold title).

``title fair`` is the fuzzy>=90 comparison where the gold is itself inconsistent between
documents with the same first-page layout, accepting either form on both sides:

- a chain of trailing attribution parts ("... - Report of the Office of the High Commissioner -
  Note by the Secretariat"; "Secretary-General" also spelt "Secretary General"), not only the last;
- a leading agenda-item title ("Annual report of the United Nations High Commissioner ... -
  Human rights situation in Palestine ... - Israeli settlements ..."): the gold puts the agenda
  item's title before the document's in some rows and not in others;
- a trailing place and dates of a meeting ("... on its ninth session (Geneva, 12-16 April 2010)",
  "..., Geneva, 7-11 July 2014"): in the gold for some session reports and not for others;
- a trailing subtitle part (" - Communications sent, 1 March to 31 May 2014; Replies received, ...",
  a special rapporteur's thematic title after the name): ours with it against a gold without,
  or the reverse; the gold gives it for some documents and not for others of the same layout
  (5 of the 26 "Communications report of Special Procedures" rows have it);
- gold titles that are only "Addendum" (34 rows) or only "Corrigendum" (8): accepted when
  ours is that addendum's or corrigendum's title ("Report of the Working Group ... - Slovenia -
  Addendum - Views on ...", "Agenda and annotations - Corrigendum");
- UPR addenda whose gold title is only the addendum part (15 more rows, "Addendum - Views on conclusions
  and/or recommendations ... presented by New Zealand"): compared with our title from its
  "Addendum" on, with "presented by <State>" and "presented by the State under review" (what
  the page says) taken as the same.

Both the strict figures (``exact``, ``fuzzy>=90``) and the fair one are printed; the goal is
read on the fair one, and the strict ones show how much the gold's inconsistencies weigh.

    python bench/metadata.py [--show N] [--dump FILE]
    # --show: N mismatches of each kind printed; --dump: every row whose title is not a fair
    # match, as JSON lines (row, symbol, gold, ours, fuzzy ratio), for classifying the failures
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rightsindex.ingest.metadata import _AGENDA_TITLES, identify_text  # noqa: E402

SHARED = Path(os.environ.get("RIGHTSINDEX_SHARED", ROOT.parent / "shared"))
GOLD = SHARED / "data" / "huridocs" / "hrc_document_first_page_metadata.jsonl"


def clean_symbol(symbol: str) -> str:
    return re.sub(r"[\s.,;:)*]+$", "", symbol.strip())


_ATTRIBUTION = re.compile(
    r"((\s*-\s+|\s+)(note by the (secretariat|secretary-general)|(summary )?report of the (office of the )?"
    r"(united nations high commissioner|secretary[- ]general)[^-]*)|\s+-\s+office of the united nations high "
    r"commissioner for human rights)\s*$",
    re.I,
)


def norm_title(title: str) -> str:
    title = title.replace("’", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"[^a-z0-9]+", " ", title.lower()).strip()


def core_title(title: str) -> str:
    """The title without a trailing attribution part the gold gives for some documents only."""
    return norm_title(_ATTRIBUTION.sub("", title.replace("\u2013", "-")))


_AGENDA_NORMS = sorted({norm_title(t) for t in _AGENDA_TITLES}, key=len, reverse=True)
_PLACE_DATES = re.compile(r"\s*(\(|,\s*)(geneva|new york|genève)\b[^()]*\)?\s*$", re.I)


def fair_title(title: str, gold: str) -> tuple[str, str]:
    """(ours, gold) normalised for the fair comparison described in the module docstring."""
    def strip(text: str) -> str:
        text = _PLACE_DATES.sub("", text.replace("\u2013", "-"))
        prev = None
        while prev != text:  # a chain of attribution parts
            prev, text = text, _ATTRIBUTION.sub("", text)
        text = norm_title(text)
        for agenda in _AGENDA_NORMS:
            if text.startswith(agenda + " ") and len(text) > len(agenda) + 10:
                text = text[len(agenda) + 1:]
        return text

    if re.match(r"^addendum\b", gold.strip(), re.I) and re.search(r"\baddendum\b", title, re.I):
        title = title[re.search(r"\baddendum\b", title, re.I).start():]
        title, gold = (re.sub(r"(presented by) .*$", r"\1 the state", t, flags=re.I) for t in (title, gold))
    return strip(title), strip(gold)


def fair_match(title: str, gold: str) -> str | None:
    """Which fair rule accepts ``title`` for ``gold`` (None: a mismatch).

    ``"same"``: fuzzy>=90 after ``fair_title``; ``"subtitle"``: the same with one trailing
    " - " part (not an Addendum/Corrigendum label) removed from one side; ``"bare addendum"``:
    the gold title is only "Addendum" and ours is an addendum's title.
    """
    ours, theirs = fair_title(title, gold)
    if fuzz.ratio(ours, theirs) >= 90:
        return "same"
    label = re.fullmatch(r"\s*(addendum|corrigendum)\s*", gold, re.I)
    if label:
        word = label.group(1).capitalize()
        return f"bare {word.lower()}" if re.search(rf" - {word}\b", title) else None
    for a, b in ((title, gold), (gold, title)):
        head, sep, tail = a.rpartition(" - ")
        if sep and len(head) >= 20 and not re.match(r"^(addendum|corrigendum)\b", tail.strip(), re.I) \
                and not re.fullmatch(r"\s*addendum\b.*", head, re.I):
            x, y = fair_title(head, b) if a is title else fair_title(b, head)
            if fuzz.ratio(x, y) >= 90:
                return "subtitle"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", type=int, default=0, help="print N mismatches of each kind")
    parser.add_argument("--dump", type=Path, help="write the title failures (fair comparison) as JSON lines")
    args = parser.parse_args()
    if not GOLD.exists():
        print(f"needs {GOLD} (../shared is not present)")
        return 2
    rows = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    n = len(rows)
    sym_ok = consistent = consistent_ok = prefix_n = prefix_ok = 0
    title_exact = title_fuzzy = title_fair = 0
    fair_rules: dict[str, int] = {}
    bad_sym: list[tuple[str, str | None]] = []
    bad_title: list[tuple[str, str | None]] = []
    dump: list[dict[str, object]] = []
    t0 = time.perf_counter()
    for index, row in enumerate(rows):
        ident = identify_text(row["first_page_text"])
        got = clean_symbol(ident.symbol or "")
        gold = clean_symbol(row["symbol"])
        ok = got == gold
        sym_ok += ok
        prefix, _, gold_title = row["title"].partition(": ")
        prefix = prefix.strip()
        if re.fullmatch(r"[A-Za-z0-9.\-/]+", prefix) and gold_title:
            prefix_symbol = "A/HRC/" + prefix
            prefix_n += 1
            prefix_ok += got == prefix_symbol
            if gold == prefix_symbol or gold.startswith(prefix_symbol + "–"):
                consistent += 1
                consistent_ok += ok or got == prefix_symbol
                if not (ok or got == prefix_symbol):
                    bad_sym.append((gold, ident.symbol))
        elif re.fullmatch(r"[A-Za-z0-9.\-/]+\s*\([A-Za-z0-9 ]+\)", prefix) and gold_title:
            pass  # "12/48(ADVANCE 2): Report of ...": a version's prefix, not part of the title
        else:
            gold_title = row["title"]
        a, b = norm_title(ident.title or ""), norm_title(gold_title)
        title_exact += a == b
        good = fuzz.ratio(core_title(ident.title or ""), core_title(gold_title)) >= 90
        title_fuzzy += good
        fair = fair_match(ident.title or "", gold_title)
        title_fair += fair is not None
        if fair:
            fair_rules[fair] = fair_rules.get(fair, 0) + 1
        if not fair:
            bad_title.append((gold_title, ident.title))
            dump.append({"row": index, "symbol": row["symbol"], "gold": gold_title,
                         "ours": ident.title,
                         "ratio": round(fuzz.ratio(*fair_title(ident.title or "", gold_title)), 1)})
    elapsed = time.perf_counter() - t0
    print(f"first pages: {n}  ({n / elapsed:.0f} pages/s)")
    print(f"symbol (gold field):        {sym_ok / n:.4f}  ({sym_ok}/{n})")
    print(f"symbol (consistent rows):   {consistent_ok / consistent:.4f}  ({consistent_ok}/{consistent})")
    print(f"symbol (title prefix):      {prefix_ok / prefix_n:.4f}  ({prefix_ok}/{prefix_n})")
    print(f"title exact (normalised):   {title_exact / n:.4f}  ({title_exact}/{n})")
    print(f"title fuzzy>=90, attribution part ignored: {title_fuzzy / n:.4f}  ({title_fuzzy}/{n})")
    print(f"title fair (fuzzy>=90, either form where the gold is inconsistent, see --help): "
          f"{title_fair / n:.4f}  ({title_fair}/{n}; by rule: "
          + ", ".join(f"{k} {v}" for k, v in sorted(fair_rules.items())) + ")")
    print("goals: symbol 0.99, title 0.95")
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for item in dump:
                fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(f"title failures written to {args.dump} ({len(dump)} rows)")
    if args.show:
        print("\n-- symbol mismatches on consistent rows (gold | ours)")
        for gold, got in bad_sym[: args.show]:
            print(f"  {gold} | {got}")
        print("\n-- title mismatches (gold | ours)")
        for gold, got in bad_title[: args.show]:
            print(f"  {gold}\n  {got}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
