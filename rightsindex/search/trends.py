"""Trends over time and emerging terms, computed with pandas from recommendation rows.

The input is the recommendations DataFrame of :meth:`rightsindex.corpus.api.Corpus.recommendations`
(one row per recommendation, as ``StoredRecommendation.to_row`` gives it) or a Corpus itself.

>>> table = trends(df, by="year", split="right", share=True)     # doctest: +SKIP
>>> terms = emerging_terms(df, "2008-2010", "2011-2013")          # doctest: +SKIP

Multi-label splits (rights, fiscal labels, groups, issues) count a recommendation once
under EACH of its labels: one tagged ``housing`` and ``health`` counts in both columns, so
the columns of a split can add up to more than the period's total.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from rightsindex.errors import QueryError

__all__ = [
    "PERIODS",
    "REGION_ROWS",
    "STATE_ROWS",
    "thin_periods",
    "thin_median",
    "count_once",
    "SPLITS",
    "MULTI_LABEL_SPLITS",
    "trends",
    "emerging_terms",
    "parse_period",
    "plot_trends",
    "write_table",
    "format_table",
    "heading_name",
    "label_name",
    "term_key",
    "tokens",
]

#: ``--by`` values and the column each one reads.
PERIODS: dict[str, str] = {"year": "year", "cycle": "cycle", "session": "session", "country": "country",
                           "recommending": "recommending_states", "region": "region",
                           "recommending_region": "recommending_regions"}
#: ``--by`` values whose rows are the UN regional groups (of the State under review, of the
#: recommending States).
REGION_ROWS = frozenset({"region", "recommending_region"})
#: ``--by`` values whose rows are States or their regional groups, not periods (no chart, no
#: emerging terms).
STATE_ROWS = frozenset({"country", "recommending"}) | REGION_ROWS
#: ``--by`` values whose rows list a recommendation's values (a row per State or group).
_EXPLODED = {"recommending", "recommending_region"}
#: The name of a table's index per ``--by`` value, where it differs.
_INDEX_NAMES = {"recommending": "recommending_state"}

#: ``--split`` values and the column each one reads.
SPLITS: dict[str, str] = {
    "right": "esc_rights",
    "fiscal": "fiscal",
    "group": "groups",
    "issue": "issues",
    "body": "body",
    "country": "country",
    "response": "response",
    "type": "document_type",
    "action": "action_category",
    "recommending": "recommending_states",
    "region": "region",
    "recommending_region": "recommending_regions",
}
#: Splits by the UN regional group of the State under review, of the recommending States.
REGION_SPLITS = frozenset({"region", "recommending_region"})
#: Splits whose column holds a list of labels (a recommendation counts under each).
MULTI_LABEL_SPLITS = frozenset({"right", "fiscal", "group", "issue", "recommending", "recommending_region"})

TOTAL = "total"
#: The column of the recommendations without a value (no response, no body), named as the search
#: facets name it.
NONE = "(none)"


#: Labels whose words alone would mislead in a table or a heading.
_LABEL_NAMES = {
    "water_sanitation": "water and sanitation",
    "esc_general": "ESC rights in general",
    "lgbti_persons": "LGBTI persons",
    "migrants_refugees": "migrants and refugees",
    "healthy_environment": "healthy environment",
}


def label_name(label: Any) -> str:
    """A label as people read it: ``water_sanitation`` -> ``water and sanitation``,
    ``esc_general`` -> ``ESC rights in general``, ``cultural_life`` -> ``cultural life``."""
    text = str(label)
    return _LABEL_NAMES.get(text, text.replace("_", " "))


def heading_name(label: Any) -> str:
    """:func:`label_name` with a capital first letter, acronyms kept (``ESC``, ``LGBTI``)."""
    name = label_name(label)
    return name[:1].upper() + name[1:]


def _frame(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if hasattr(data, "recommendations"):  # a Corpus
        return data.recommendations()
    raise TypeError(f"expected a recommendations DataFrame or a Corpus, got {type(data).__name__}")


def _period_values(df: pd.DataFrame, by: str) -> pd.Series:
    if by not in PERIODS:
        raise QueryError(f"unknown period '{by}': use one of {', '.join(PERIODS)}")
    col = PERIODS[by]
    if col not in df.columns:
        return pd.Series([None] * len(df), index=df.index, dtype="object")
    values = df[col]
    if by == "country" and "country_code" in df.columns:
        values = values.where(values.notna(), df["country_code"])
    if by in STATE_ROWS:
        return values.astype("object").where(values.notna() & (values != ""), None)
    if by == "session":
        # "5", "HRC 28", "28th" -> 5, 28, 28; sessions without a number stay as text
        def _num(v: Any) -> Any:
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return None
            m = re.search(r"\d+", str(v))
            return int(m.group()) if m else str(v)

        mapped = [_num(v) for v in values]
        if all(isinstance(v, int) for v in mapped if v is not None):
            return pd.Series(pd.array(mapped, dtype="Int64"), index=values.index)
        return pd.Series(mapped, index=values.index, dtype="object")
    return pd.to_numeric(values, errors="coerce").astype("Int64")


def _split_values(df: pd.DataFrame, split: str) -> pd.Series:
    if split not in SPLITS:
        raise QueryError(f"unknown split '{split}': use one of {', '.join(SPLITS)}")
    col = SPLITS[split]
    if col not in df.columns:
        return pd.Series([[] if split in MULTI_LABEL_SPLITS else None] * len(df), index=df.index)
    values = df[col]
    if split == "country" and "country_code" in df.columns:
        values = values.where(values.notna(), df["country_code"])
    if split == "body":  # "CCPR; CESCR": made by both, counted under each (like a multi-label split)
        values = values.map(lambda v: [b for b in v.split("; ") if b]
                            if isinstance(v, str) and "; " in v else v)
    return values


def count_once(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """``df`` without the UPR Info rows whose working-group report twin is in it too (matched when
    both were stored, see ``Store._link_upr_info``), and how many rows were left out."""
    if df.empty or "duplicate_of" not in df.columns or "id" not in df.columns:
        return df, 0
    twin = df["duplicate_of"].isin(set(df["id"].tolist())).fillna(False).astype(bool)
    return (df[~twin], int(twin.sum())) if twin.any() else (df, 0)


def reviews_twice(data: Any) -> list[tuple[str, int]]:
    """(State code, cycle) of the UPR reviews that are in ``data`` from both the working-group
    report and UPR Info's rows (``import upr-info``). Pass it the rows :func:`count_once` kept:
    the reviews then listed have UPR Info rows that matched no recommendation of the report."""
    df = _frame(data)
    need = {"document_type", "country_code", "cycle"}
    if df.empty or not need <= set(df.columns):
        return []
    keys = {}
    for kind in ("upr_wg_report", "upr_info_import"):
        rows = df[df["document_type"] == kind]
        keys[kind] = {(str(c), int(y)) for c, y in zip(rows["country_code"], rows["cycle"], strict=True)
                      if isinstance(c, str) and c and pd.notna(y)}
    return sorted(keys["upr_wg_report"] & keys["upr_info_import"])


def _family_labels(split: str) -> list[str]:
    """The labels of the taxonomy family a split counts (none for issues, bodies, countries...), or
    the five regional groups."""
    from rightsindex.nlp import taxonomy

    if split in REGION_SPLITS:
        from rightsindex.ingest import regions

        return list(regions.GROUPS)
    family = SPLITS.get(split)
    return list(taxonomy.labels(family)) if family in taxonomy.FAMILIES else []


def trends(
    data: Any,
    by: str = "year",
    split: str | None = None,
    share: bool = False,
    *,
    top: int | None = None,
    labels: Sequence[str] | None = None,
    fill_years: bool = True,
    once: bool = True,
) -> pd.DataFrame:
    """Recommendations per period, optionally split by a label, as counts or shares.

    Returns a DataFrame indexed by period (``by``: year, cycle or session) or by State
    (``country``: the State under review; ``recommending``: the recommending State, where a
    recommendation made by several States counts under each of them) or by UN regional group
    (``region``: the State under review's; ``recommending_region``: a recommending State's, where a
    joint recommendation counts once under each group of its States; every group has its row).
    Without
    ``split`` it has one column ``total``. With ``split`` it has one column per label
    (multi-label splits count a recommendation under each of its labels), then ``(none)``, the
    recommendations without a label or value (``1 - `` its share is the share with any fiscal
    label), and ``total``, the number of recommendations in the period. ``share=True`` divides every
    label column by that period's total (a fraction in 0..1; ``total`` stays a count).
    ``labels`` keeps those label columns, in that order (``["health", "education"]``; a label
    no recommendation of the split can have is a ``QueryError`` naming the likely one).
    ``top`` keeps the ``top`` labels with the most recommendations overall (and ``(none)``), and
    with a row per State or group (``by``: country, recommending, region, recommending_region) the
    ``top`` States or groups, most recommendations first, then one row of the others (``(182 other
    States)``), where a recommendation counts once.
    Missing years between the first and last are filled with zeros (``fill_years``). Rows without a
    period are left out; how many is in ``result.attrs["no_period"]``. A recommendation held
    twice (a working-group report's and UPR Info's row of it) counts once (``once``; how many
    rows were left out is in ``result.attrs["held_twice"]``).
    """
    if top is not None and (isinstance(top, bool) or not isinstance(top, numbers.Integral) or top < 1):
        raise QueryError(f"top {top!r}: a whole number of labels (or States) to keep, 1 or more")
    if isinstance(labels, str):
        labels = [labels]
    if labels is not None and not len(labels):  # an empty list is no choice, as for the filters
        labels = None
    if labels is not None and split is None:
        raise QueryError("labels keep columns of a split: give split too (e.g. split='right')")
    df = _frame(data)
    held_twice = 0
    if once:
        df, held_twice = count_once(df)
    if by in STATE_ROWS and top is not None:  # which recommendation a row is, once exploded by State
        df = df.assign(_rec=range(len(df)))
    if by in _EXPLODED and PERIODS[by] in df.columns:
        # a row per (recommendation, State), or (recommendation, group): a joint recommendation of
        # France and Germany counts once for WEOG
        df = df.explode(PERIODS[by], ignore_index=True)
    period = _period_values(df, by)
    known = period.notna()
    no_period = int((~known).sum())
    df = df.loc[known]
    period = period.loc[known]
    others = None
    if by in STATE_ROWS and top is not None:
        # the States (groups) past the top N are one row, each recommendation once in it (a joint
        # one of two of them counts once, as the dossier's row of the other States does)
        rows = period.value_counts()
        if len(rows) > top:
            kept_rows = sorted(rows.index, key=lambda k: (-int(rows[k]), str(k)))[:top]
            n_other = len(rows) - top
            others = f"({n_other} other {'group' if by in REGION_ROWS else 'State'}{'s' if n_other > 1 else ''})"
            period = period.where(period.isin(kept_rows), others)
            first = ~pd.DataFrame({"rec": df["_rec"].to_numpy(), "row": period.to_numpy()}).duplicated().to_numpy()
            df, period = df.loc[first], period.loc[first]
    totals = period.value_counts().sort_index()
    totals.name = TOTAL
    if split is None:
        table = totals.to_frame()
    else:
        values = _split_values(df, split)
        if split in MULTI_LABEL_SPLITS:
            # a recommendation without any label counts under (none), as in the search's facets:
            # 1 - its share is the share of recommendations with any fiscal label
            long = pd.DataFrame({"period": period.values, "label": values.values}).explode("label")
            long["label"] = long["label"].where(long["label"].notna() & (long["label"] != ""), NONE)
        elif split == "body":
            long = pd.DataFrame({"period": period.values,
                                 "label": values.where(values.notna(), NONE).values}).explode("label")
        else:
            long = pd.DataFrame(
                {"period": period.values, "label": values.where(values.notna(), NONE).values}
            )
        long["label"] = long["label"].astype(str)
        if long.empty:
            counts = pd.DataFrame(index=totals.index)
        else:
            counts = pd.crosstab(long["period"], long["label"])
        # every label of a taxonomy family has its column, 0 where nothing was tagged with it:
        # an analyst compares labels, and a missing column reads as "not measured"
        for label in _family_labels(split):
            if label not in counts.columns:
                counts[label] = 0
        if len(counts.columns):
            order = counts.sum()
            # most recommendations first, ties by name; (none) is not a label: last, never cut by top
            kept = sorted((lab for lab in order.index if lab != NONE),
                          key=lambda lab: (-int(order[lab]), lab))
            if labels is not None:
                kept = _chosen_labels(labels, kept, split)
            if top is not None:
                kept = kept[: max(0, top)]
            if split in REGION_SPLITS and labels is None:  # the five groups in their order
                groups = _family_labels(split)
                kept = sorted(kept, key=lambda lab: groups.index(lab) if lab in groups else len(groups))
            counts = counts[kept + ([NONE] if NONE in counts.columns else [])]
        elif labels:
            _chosen_labels(labels, [], split)
        table = counts.reindex(totals.index, fill_value=0)
        table[TOTAL] = totals
    if by in REGION_ROWS and others is None:  # every group has its row, 0 where none recommended (or was reviewed)
        from rightsindex.ingest import regions

        table = table.reindex([*regions.GROUPS, *(g for g in table.index if g not in regions.GROUPS)],
                              fill_value=0)
    table.index.name = _INDEX_NAMES.get(by, by)
    if fill_years and by in ("year", "cycle") and len(table.index):
        full = range(int(table.index.min()), int(table.index.max()) + 1)
        table = table.reindex(pd.Index(list(full), name=by), fill_value=0)
    table = table.astype("int64")
    if share:
        label_cols = [c for c in table.columns if c != TOTAL] if split is not None else [TOTAL]
        denom = table[TOTAL].where(table[TOTAL] > 0)
        # a period without recommendations has no share (NaN): not 0%, which reads as a collapse
        shares = table[label_cols].div(denom, axis=0)
        if split is None:
            # without a split, the share is the period's part of all recommendations
            grand = table[TOTAL].sum()
            shares = (table[[TOTAL]] / grand if grand else table[[TOTAL]] * 0.0).rename(
                columns={TOTAL: "share"}
            )
            shares[TOTAL] = table[TOTAL]
        else:
            shares[TOTAL] = table[TOTAL]
        table = shares
    if by in STATE_ROWS and top is not None:
        # a row per State: --top keeps the States with the most recommendations, most first, then
        # the row of the others (after the shares, which are of each row's recommendations)
        rest = table.loc[[others]] if others is not None and others in table.index else table.iloc[0:0]
        table = table.drop(index=rest.index).sort_values(TOTAL, ascending=False, kind="stable").head(max(0, top))
        table = pd.concat([table, rest])
    table.columns.name = split
    table.attrs.update({"by": by, "split": split, "share": share, "no_period": no_period,
                        "held_twice": held_twice,
                        "thin": thin_periods(table) if share and split and by not in STATE_ROWS else {}})
    return table


def _chosen_labels(wanted: Sequence[str], known: Sequence[str], split: str) -> list[str]:
    """The columns ``wanted`` (``labels=``/``--label``), in their order, each one a label of ``known``
    (the split's columns) or of the split's taxonomy family; any case, spaces for underscores."""
    import difflib

    names = {str(lab).casefold(): lab for lab in [*known, *_family_labels(split)]}
    out: list[str] = []
    for value in wanted:
        key = str(value).strip().casefold()
        found = names.get(key, names.get(key.replace(" ", "_")))
        if found is None:
            close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(names[c] for c in close)}?" if close else ""
            some = ", ".join(str(lab) for lab in list(dict.fromkeys(names.values()))[:12])
            raise QueryError(f"no {split} label {str(value)!r} here{hint} (labels: {some})")
        if found not in out:
            out.append(found)
    return out


#: A period is thin when it holds fewer than this many recommendations, or under this part of the
#: median of the periods not thin themselves: its shares swing on a handful of texts (a trial read
#: 2014, 188 recommendations against ~6,000 a year, as a jump in attention to work).
THIN_BELOW = 30
THIN_PART = 0.05


def thin_periods(table: pd.DataFrame) -> dict[Any, int]:
    """Periods of a trends table whose totals are too small for their shares to mean much."""
    if TOTAL not in table.columns or not len(table):
        return {}
    totals = table[TOTAL]
    held = totals[totals > 0]
    if held.empty:
        return {}
    median = float(held.median())
    if median < 2 * THIN_BELOW:
        return {}  # every period is small (a small corpus, a narrow query): nothing stands out
    return {period: int(n) for period, n in held.items() if n < thin_floor(held)}


def thin_floor(totals: pd.Series) -> float:
    """The total under which a period is thin: ``THIN_PART`` of the median of the periods that are
    not thin themselves (at least ``THIN_BELOW``). Thin periods would pull the median down to their
    own level (three small recent years made 188 recommendations look like a real year), so the
    floor is raised until no more periods fall under it."""
    kept = totals[totals > 0]
    floor = float(THIN_BELOW)
    while len(kept):
        floor = max(THIN_BELOW, THIN_PART * float(kept.median()))
        rest = kept[kept >= floor]
        if len(rest) == len(kept):
            break
        kept = rest
    return floor


def thin_median(totals: pd.Series) -> int:
    """The median total of the periods that are not thin, which ``thin_periods`` measures against."""
    floor = thin_floor(totals)
    kept = totals[totals >= floor]
    return int(kept.median()) if len(kept) else 0


# -- emerging terms ------------------------------------------------------------------------

_STOP: frozenset[str] | None = None
_IRREGULAR = {"women": "woman", "men": "man", "children": "child", "people": "person",
              "persons": "person", "girls": "girl", "boys": "boy"}
_TOKEN = re.compile(r"[a-z][a-z]+(?:-[a-z]+)*")
_STEM_CACHE: dict[str, str] = {}


def _stopwords() -> frozenset[str]:
    global _STOP
    if _STOP is None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        _STOP = frozenset(ENGLISH_STOP_WORDS) | {"shall", "also", "etc", "including", "s"}
    return _STOP


_SPELLING = {"programme": "program", "programmes": "programs", "labour": "labor",
             "centre": "center", "centres": "centers", "favour": "favor", "favourable": "favorable",
             "behaviour": "behavior", "defence": "defense", "judgement": "judgment"}
_ISE = re.compile(r"([a-z]{3,})is(e|ed|es|ing|ation|ations)")
_ISE_WORDS = frozenset({
    "exercise", "enterprise", "compromise", "expertise", "otherwise", "advertise", "supervise",
    "televise", "franchise", "merchandise", "premise", "promise", "precise", "concise", "revise",
    "improvise", "surprise", "disguise", "devise", "advise", "comprise", "chastise", "praise",
    "appraise", "cruise", "bruise", "treatise", "paradise", "anise", "demise", "despise", "incise",
    "excise", "circumcise", "chemise", "reprise", "apprise", "uprise", "arise", "porpoise",
})


def _british_to_american(word: str) -> str:
    word = _SPELLING.get(word, word)
    m = _ISE.fullmatch(word)
    if m and f"{m.group(1)}ise" not in _ISE_WORDS:
        word = f"{m.group(1)}iz{m.group(2)}"
    return word


def term_key(word: str) -> str:
    """The folded form of a word: irregular plurals to singular, British spelling to
    American (``organisation``/``organization``, ``programme``/``program``), then the
    Porter stem."""
    key = _STEM_CACHE.get(word)
    if key is None:
        from whoosh.lang.porter import stem

        key = "-".join(stem(_IRREGULAR.get(part, _british_to_american(part))) for part in word.split("-"))
        _STEM_CACHE[word] = key
    return key


def tokens(text: str) -> list[tuple[str, str] | None]:
    """Words of ``text`` as ``(key, surface)`` pairs; ``None`` where a stopword or a
    number breaks the sequence, so phrases never span one."""
    stop = _stopwords()
    out: list[tuple[str, str] | None] = []
    pos = 0
    lowered = text.lower().replace("\u2019", "'")
    for m in _TOKEN.finditer(lowered):
        gap = lowered[pos:m.start()]
        pos = m.end()
        if out and out[-1] is not None and re.search(r"[^\s'-]", gap.replace("'s", "")):
            out.append(None)  # punctuation or a number between two words breaks a phrase
        word = m.group()
        if word in stop:
            out.append(None)
            continue
        out.append((term_key(word), word))
    return out


def _terms(text: str, ngrams: int, surfaces: dict[str, Counter[str]]) -> set[str]:
    seq = tokens(text)
    found: set[str] = set()
    for i, tok in enumerate(seq):
        if tok is None:
            continue
        found.add(tok[0])
        surfaces.setdefault(tok[0], Counter())[tok[1]] += 1
        if ngrams >= 2 and i + 1 < len(seq) and seq[i + 1] is not None:
            nxt = seq[i + 1]
            assert nxt is not None
            if nxt[0] == tok[0]:
                continue
            key = f"{tok[0]} {nxt[0]}"
            found.add(key)
            surfaces.setdefault(key, Counter())[f"{tok[1]} {nxt[1]}"] += 1
    return found


def parse_period(value: str | int | Sequence[int], *, what: str = "period") -> tuple[int, int]:
    """``"2008-2010"`` -> ``(2008, 2010)``; ``"2012"`` -> ``(2012, 2012)``; ``(1, 2)`` as is."""
    if isinstance(value, int):
        return value, value
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise QueryError(f"{what} {value!r}: give (first, last)")
        return int(value[0]), int(value[1])
    m = re.fullmatch(r"\s*(\d{1,4})\s*(?:(?:-|\u2013|\.\.|:|to)\s*(\d{1,4}))?\s*", str(value))
    if not m:
        raise QueryError(f"{what} '{value}': write a year or a range like 2008-2010")
    first = int(m.group(1))
    last = int(m.group(2)) if m.group(2) else first
    if last < first:
        raise QueryError(f"{what} '{value}': the range ends before it starts")
    return first, last


def emerging_terms(
    data: Any,
    period_from: str | int | Sequence[int],
    period_to: str | int | Sequence[int],
    *,
    by: str = "year",
    top: int = 25,
    min_count: int = 5,
    ngrams: int = 2,
    prior: float = 0.5,
    all_words: bool = False,
) -> pd.DataFrame:
    """Words and two-word phrases whose share of recommendations rises most between two periods.

    The words every recommendation is phrased with ("continue", "efforts", "take measures":
    :data:`BOILERPLATE`) and the phrases holding one are left out unless ``all_words``.

    Texts are lower-cased, English stopwords removed and words folded to a stem (so
    ``woman``/``women`` and ``ratify``/``ratifying`` count as one term, shown in their most
    frequent form). Phrases are two adjacent words with no stopword or punctuation
    between. Each term counts once per recommendation (document frequency).

    Terms are ranked by the z-score of the log-odds ratio (to-period vs from-period) with
    a prior of ``prior`` added to every count, which keeps a term seen 1 time from
    outranking one seen 50 times; a term must appear in at least ``min_count``
    recommendations of the later period. Returns columns ``term, count_from, count_to,
    share_from, share_to, change`` (share points) ``, ratio`` (smoothed) ``, score``;
    ``attrs`` hold ``n_from`` and ``n_to``.
    """
    for name, value in (("top", top), ("min_count", min_count)):  # as --limit and --min-count take them
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise QueryError(f"{name} {value!r}: a whole number, 1 or more")
    df, _ = count_once(_frame(data))  # a recommendation held twice counts once, as in trends()
    first_a, last_a = parse_period(period_from, what="--from")
    first_b, last_b = parse_period(period_to, what="--to")
    period = _period_values(df, by)
    numeric = pd.to_numeric(period, errors="coerce")
    in_a = (numeric >= first_a) & (numeric <= last_a)
    in_b = (numeric >= first_b) & (numeric <= last_b)
    n_a, n_b = int(in_a.sum()), int(in_b.sum())
    columns = ["term", "count_from", "count_to", "share_from", "share_to", "change", "ratio", "score"]
    if n_a == 0 or n_b == 0:
        empty = "from" if n_a == 0 else "to"
        span = (first_a, last_a) if n_a == 0 else (first_b, last_b)
        raise QueryError(
            f"no recommendations in the --{empty} period {span[0]}-{span[1]} (by {by}); "
            "pick periods the corpus covers"
        )
    surfaces: dict[str, Counter[str]] = {}
    count_a: Counter[str] = Counter()
    count_b: Counter[str] = Counter()
    for text in df.loc[in_a, "text"]:
        count_a.update(_terms(str(text or ""), ngrams, surfaces))
    for text in df.loc[in_b, "text"]:
        count_b.update(_terms(str(text or ""), ngrams, surfaces))
    rows: list[dict[str, Any]] = []
    boilerplate = frozenset() if all_words else _boilerplate_keys()
    for key, yb in count_b.items():
        if yb < min_count or (boilerplate and any(w in boilerplate for w in key.split())):
            continue
        ya = count_a.get(key, 0)
        pa = (ya + prior) / (n_a + 2 * prior)
        pb = (yb + prior) / (n_b + 2 * prior)
        delta = math.log(pb / (1 - pb)) - math.log(pa / (1 - pa))
        var = (1 / (yb + prior) + 1 / (n_b - yb + prior) + 1 / (ya + prior) + 1 / (n_a - ya + prior))
        score = delta / math.sqrt(var)
        if score <= 0:
            continue
        rows.append({
            "term": surfaces[key].most_common(1)[0][0],
            "count_from": ya,
            "count_to": yb,
            "share_from": ya / n_a,
            "share_to": yb / n_b,
            "change": yb / n_b - ya / n_a,
            "ratio": pb / pa,
            "score": score,
            "_key": key,
        })
    out = pd.DataFrame(rows, columns=columns + ["_key"])
    if not out.empty:
        out = out.sort_values(["score", "count_to", "term"], ascending=[False, False, True])
        out = _drop_nested(out, top)
    out = out.drop(columns="_key").head(top).reset_index(drop=True)
    out.attrs.update({
        "n_from": n_a, "n_to": n_b, "by": by,
        "from": f"{first_a}-{last_a}" if first_a != last_a else str(first_a),
        "to": f"{first_b}-{last_b}" if first_b != last_b else str(first_b),
        "min_count": min_count,
    })
    return out


#: How recommendations are phrased, not what they are about: left out of emerging terms.
BOILERPLATE = ("continue", "efforts", "ensure", "take", "measures", "further", "strengthen", "consider",
               "steps", "necessary", "appropriate", "pursue", "redouble", "intensify", "enhance",
               "undertake", "make", "possible", "view", "regard")


def _boilerplate_keys() -> frozenset[str]:
    return frozenset(term_key(w) for w in BOILERPLATE)


def _drop_nested(ranked: pd.DataFrame, top: int) -> pd.DataFrame:
    """Leave out a word that rises only inside a phrase: when a ranked phrase holds the
    word and carries at least 85% of its occurrences in both periods (less 2 in the
    first, where counts are small), the phrase
    (``rome statute``) stands for it and the word (``rome``) is dropped."""
    counts = {k: (a, b) for k, a, b in zip(ranked["_key"], ranked["count_from"], ranked["count_to"])}
    phrases_of: dict[str, list[str]] = {}
    for key in counts:
        if " " in key:
            for word in key.split(" "):
                phrases_of.setdefault(word, []).append(key)
    order: list[Any] = []
    for idx, key in zip(ranked.index, ranked["_key"]):
        if " " not in key:
            wa, wb = counts[key]
            if any(counts[p][1] >= 0.85 * wb and counts[p][0] >= 0.85 * wa - 2
                   for p in phrases_of.get(key, ())):
                continue
        order.append(idx)
        if len(order) >= top:
            break
    return ranked.loc[order]


# -- output ------------------------------------------------------------------------------

def format_table(table: pd.DataFrame, *, percent_columns: Iterable[str] = ()) -> str:
    """A plain-text table; fractions in ``percent_columns`` shown as percentages."""
    shown = table.copy()
    for col in percent_columns:
        if col in shown.columns:
            shown[col] = shown[col].map(_percent)
    for col in shown.columns:
        if col not in percent_columns and pd.api.types.is_float_dtype(shown[col]):
            shown[col] = shown[col].map(lambda v: f"{v:.2f}")
    shown.columns = [label_name(c) for c in shown.columns]
    if shown.index.name is not None or not isinstance(shown.index, pd.RangeIndex):
        return shown.to_string()
    return shown.to_string(index=False)


def _percent(v: Any) -> str:
    """A share as a percentage; a share too small for one decimal is "<0.1%", never "0.0%" (which
    would read as none)."""
    if pd.isna(v):
        return "-"
    if 0 < v < 0.0005:
        return "<0.1%"
    return f"{100 * v:.1f}%"


def _json_value(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def write_table(table: pd.DataFrame, fmt: str, path: str | Path | None = None,
                *, meta: dict[str, Any] | None = None,
                percent_columns: Sequence[str] = ()) -> str | None:
    """Write ``table`` as csv, json, xlsx or parquet to ``path``.

    Text formats (csv, json) are returned as a string when ``path`` is None; binary ones
    (xlsx, parquet) need a path. ``meta`` (what was counted: by, split, share, query...) is
    added to the JSON object, and to an xlsx file as a second sheet, "about". In an xlsx file the
    ``percent_columns`` (shares, fractions in 0..1) are percentage cells, as the screen shows them.
    """
    flat = table.reset_index() if not isinstance(table.index, pd.RangeIndex) else table
    flat = flat.copy()
    flat.columns = [str(c) for c in flat.columns]
    if fmt in ("csv", "xlsx"):
        # list cells (a repeated group's reviews, States, citations) joined with "|", as exports write
        # them, not as Python's "['a', 'b']"
        for col in flat.columns:
            if flat[col].map(lambda v: isinstance(v, (list, tuple))).any():
                flat[col] = flat[col].map(
                    lambda v: "|".join(str(x) for x in v) if isinstance(v, (list, tuple)) else v)
    if fmt == "csv":
        text = flat.to_csv(index=False)
    elif fmt == "json":
        rows = [{k: _json_value(v) for k, v in rec.items()} for rec in flat.to_dict(orient="records")]
        obj = dict(meta or {})
        obj["rows"] = rows
        text = json.dumps(obj, ensure_ascii=False, indent=2) + "\n"
    elif fmt in ("xlsx", "parquet"):
        if path is None:
            raise QueryError(f"--format {fmt} writes a binary file: give --output FILE.{fmt}")
        if fmt == "xlsx":
            with pd.ExcelWriter(path) as writer:
                sheet_name = str((meta or {}).get("kind") or "trends")
                flat.to_excel(writer, sheet_name=sheet_name, index=False)
                wanted = {str(c) for c in percent_columns}
                sheet = writer.sheets[sheet_name]
                for pos, name in enumerate(flat.columns, 1):
                    if name in wanted:
                        for (cell,) in sheet.iter_rows(min_row=2, min_col=pos, max_col=pos):
                            cell.number_format = "0.0%"
                if meta:
                    about = pd.DataFrame({"key": [str(k) for k in meta],
                                          "value": ["" if v is None else str(v) for v in meta.values()]})
                    about.to_excel(writer, sheet_name="about", index=False)
        else:
            flat.to_parquet(path, index=False)
        return None
    else:
        raise QueryError(f"unknown format '{fmt}': use table, csv, json, xlsx or parquet")
    if path is None:
        return text
    Path(path).write_text(text, encoding="utf-8")
    return None


def _fits(fig: Any, texts: Sequence[Any]) -> bool:
    """Whether every one of ``texts`` (drawn) lies inside the figure, left and right."""
    renderer = fig.canvas.get_renderer()
    width = fig.bbox.width
    for text in texts:
        if text is None or not text.get_text():
            continue
        box = text.get_window_extent(renderer)
        if box.x0 < -0.5 or box.x1 > width + 0.5:
            return False
    return True


def _wrapped(text: str, width: int, max_lines: int = 3) -> str:
    """``text`` in lines of at most ``width`` characters (at most ``max_lines``, the last cut with "…")."""
    import textwrap

    lines = textwrap.wrap(text, width, max_lines=max_lines, placeholder=" …", break_on_hyphens=False)
    return "\n".join(lines) or text


def plot_trends(table: pd.DataFrame, path: str | Path, *, title: str | None = None,
                max_series: int = 12, query: str | None = None, narrowed: str | None = None) -> Path:
    """Draw the trends ``table`` (from :func:`trends`) as a line chart PNG at ``path``; ``query``
    (the search query the recommendations were narrowed to) and ``narrowed`` (what else narrowed
    them: ``years 2015-2020; recommended by Norway``) are named under the title.

    Periods the table names as thin (``table.attrs["thin"]``: too few recommendations for their
    shares to mean much) are drawn with hollow markers, said in the legend and the caption. The
    title, the query and the caption are wrapped to stay inside the picture."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    if table.empty or not len(table.index):
        raise QueryError("nothing to draw: no recommendation has a period here")
    by = table.attrs.get("by", table.index.name or "period")
    split = table.attrs.get("split")
    share = bool(table.attrs.get("share"))
    if split is None:
        series = ["share"] if share else [TOTAL]
    else:
        # a label never counted draws a flat line at 0: left out of the plot (the table has it)
        # (none) of a multi-label split (most recommendations, in every period) would flatten the labels
        series = [c for c in table.columns if c != TOTAL and (table[c].fillna(0) > 0).any()
                  and not (c == NONE and split in MULTI_LABEL_SPLITS)]
        if not series:
            raise QueryError(
                f"nothing to draw: no recommendation here has a {split} label"
                + (" (run 'rightsindex tag' first)" if split in MULTI_LABEL_SPLITS else "")
            )
    dropped = max(0, len(series) - max_series)
    series = series[:max_series]
    fig, ax = plt.subplots(figsize=(10, 5.5), dpi=110)
    x = list(range(len(table.index)))
    labels = [str(v) for v in table.index]
    cmap = plt.get_cmap("tab10")
    markers = "osD^v<>ph*"
    # periods without any recommendation in the corpus are gaps in the lines, not drops to zero
    empty = (table[TOTAL] == 0).tolist() if TOTAL in table.columns else [False] * len(x)
    thin = {period: n for period, n in (table.attrs.get("thin") or {}).items() if period in table.index}
    hollow = [pos for pos, period in enumerate(table.index) if period in thin]
    filled = [pos for pos in x if pos not in set(hollow)]
    for i, col in enumerate(series):
        ys = [float("nan") if gap else float(v) for v, gap in zip(table[col].tolist(), empty)]
        # past ten series the colours come round again: a dashed line and another marker tell them apart
        marker, color = markers[(i + 3 * (i // 10)) % len(markers)], cmap(i % 10)
        ax.plot(x, ys, marker=marker, linewidth=2, linestyle=("-", "--", ":")[(i // 10) % 3], markersize=5,
                color=color, label=label_name(col), markevery=filled if hollow else None)
        if hollow:  # a thin period's share is drawn, but hollow: not to be read as a trend
            ax.plot(hollow, [ys[pos] for pos in hollow], marker=marker, linestyle="none", markersize=6,
                    markerfacecolor="white", markeredgecolor=color, markeredgewidth=1.5)
    step = max(1, math.ceil(len(x) / 20))
    ax.set_xticks(x[::step])
    crowded = len(x) > 10 and max((len(lab) for lab in labels), default=0) > 3
    ax.set_xticklabels(labels[::step], rotation=45 if crowded else 0, ha="right" if crowded else "center")
    ax.set_xlabel({"year": "Year", "cycle": "UPR cycle", "session": "Session"}.get(by, str(by)))
    if share:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylabel("Share of the period's recommendations" if split else "Share of all recommendations")
    else:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("Recommendations")
    ax.set_ylim(bottom=0)
    if title is None:
        what = "Share of recommendations" if share else "Recommendations"
        split_name = {"right": "ESC right", "fiscal": "fiscal-policy label", "group": "group"}.get(split or "", split)
        title = f"{what} per {by}" + (f", by {split_name}" if split else "")
    if dropped:
        title += f" (top {len(series)} of {len(series) + dropped} labels)"
    ax.grid(True, alpha=0.3)
    legend = None
    if (split is not None and series) or hollow:
        handles, names = ax.get_legend_handles_labels()
        if hollow:
            handles.append(Line2D([], [], marker="o", linestyle="none", markersize=6, markerfacecolor="white",
                                  markeredgecolor="#555555", markeredgewidth=1.5))
            names.append("few recommendations")
        legend = ax.legend(handles, names, title=split, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                           frameon=False)
    notes = []
    if hollow:
        held = table.loc[table[TOTAL] > 0, TOTAL] if TOTAL in table.columns else pd.Series(dtype=float)
        median = f", against {thin_median(held):,} in the median {by}" if len(held) else ""
        listed = ", ".join(f"{period} ({n:,})" for period, n in list(thin.items())[:4])
        more = f" and {len(thin) - 4} more" if len(thin) > 4 else ""
        notes.append(f"Hollow markers: few recommendations in {listed}{more}{median}; their shares swing "
                     "on a handful of texts.")
    if split in MULTI_LABEL_SPLITS:
        notes.append("A recommendation with several labels counts under each.")
    if any(empty):
        notes.append("Gaps: periods with no recommendations in the corpus.")
    # the title, the query under it and the caption are wrapped until they fit the picture (a long
    # query, centred over the plot, ran out of it on the left: "endations matching: ...")
    caption = fig.text(0.01, 0.01, "", fontsize=8, color="#555555", va="bottom") if notes else None
    for width in (90, 75, 60, 45, 30):
        under = "; ".join([f"recommendations matching: {query}"] * bool(query) + [narrowed] * bool(narrowed))
        heading = title if not under else f"{title}\n" + _wrapped(under, width)
        shown = ax.set_title(heading, fontsize=12, loc="left")
        lines = 0
        if caption is not None:
            caption.set_text(_wrapped(" ".join(notes), 2 * width, max_lines=4))
            lines = caption.get_text().count("\n") + 1
        fig.tight_layout(rect=(0, 0.03 * lines, 1, 1))
        fig.canvas.draw()
        if _fits(fig, [shown, caption, *(legend.get_texts() if legend is not None else [])]):
            break
    path = Path(path)
    fig.savefig(path)
    plt.close(fig)
    return path
