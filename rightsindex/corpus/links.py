"""The same UPR recommendation from two sources: a working-group report and UPR Info's database.

A corpus that holds a review's working-group report (ingested from its PDF) and UPR Info's rows
of the same review (``import upr-info``) holds each of its recommendations twice. Matching them
lets the report's recommendations take the response UPR Info records where the corpus has no
addendum (the report alone says "pending" for most of them), and lets counts take each
recommendation once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

__all__ = ["SAME_TEXT", "normalise", "same_recommendations", "agreed_response"]

#: How alike two texts must be (rapidfuzz token-sort ratio, 0-100) to be one recommendation.
#: The two sources differ in quotes, dashes, footnote marks and the odd word UPR Info's editors
#: fixed; different recommendations of one review, even on one theme, score far lower.
SAME_TEXT = 90.0
#: Short texts need more: "Ratify the Second Optional Protocol to ICCPR" and "Ratify the optional
#: protocols to ICCPR" score 90 and are two recommendations.
SAME_SHORT_TEXT = 95.0
SHORT_WORDS = 10

_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, plain quotes and dashes, one space, no end punctuation."""
    return _SPACE.sub(" ", (text or "").translate(_QUOTES).lower()).strip(" .;,")


def same_recommendations(
    report: Sequence[tuple[str, Sequence[str]]],
    other: Sequence[tuple[str, Sequence[str]]],
    *,
    cutoff: float = SAME_TEXT,
) -> list[tuple[int, int]]:
    """``(i, j)`` pairs where ``other[j]`` is the recommendation ``report[i]``.

    Each item is ``(text, recommending States)``. Every ``j`` goes to its most alike ``i``
    scoring at least ``cutoff`` that shares a recommending State, else to its most alike ``i``
    (one text recommended by several States is one recommendation, or a row per State in UPR
    Info's data). Several ``j`` may go to one ``i``. A pair whose shorter text has fewer
    than :data:`SHORT_WORDS` words needs :data:`SAME_SHORT_TEXT`.
    """
    if not report or not other:
        return []
    import numpy as np
    from rapidfuzz import fuzz, process

    mine, theirs = [normalise(r[0]) for r in report], [normalise(o[0]) for o in other]
    scores = np.asarray(process.cdist(theirs, mine, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff,
                                      workers=1), dtype=float)
    words_mine = np.array([len(t.split()) for t in mine])
    strict = max(cutoff, SAME_SHORT_TEXT)
    states_mine = [{s.lower() for s in r[1]} for r in report]
    pairs: list[tuple[int, int]] = []
    for j, row in enumerate(scores):
        short = np.minimum(words_mine, len(theirs[j].split())) < SHORT_WORDS
        row = np.where(short & (row < strict), 0.0, row)
        best = float(row.max())
        states = {s.lower() for s in other[j][1]}
        if best < cutoff:
            # UPR Info splits a recommendation whose parts got different responses ("Ratify
            # ICCPR-OP2, OP-CEDAW and CED" -> "Ratify CED", "Ratify OP-CEDAW"): a row whose words
            # one recommendation of the same State holds is a part of it
            part = _part_of(theirs[j], states, mine, states_mine)
            if part is not None:
                pairs.append((part, j))
            continue
        # of the alike texts, the most alike one the same State made ("Ratify OP-CAT" by Australia
        # and by New Zealand are two recommendations); else the most alike
        alike = np.flatnonzero(row >= cutoff)
        shared = [int(i) for i in alike if states & states_mine[int(i)]]
        pool = shared or [int(i) for i in alike]
        pairs.append((max(pool, key=lambda i: (row[i], -i)), j))
    return pairs


#: How alike (rapidfuzz token-set ratio) a part and the recommendation it was cut from must be.
PART_OF = 85.0


def _part_of(text: str, states: set[str], mine: Sequence[str], states_mine: Sequence[set[str]]) -> int | None:
    """The one recommendation of the same State that ``text`` is a part of, if there is one."""
    from rapidfuzz import fuzz
    from rapidfuzz.utils import default_process

    if not states:
        return None
    scored = [(fuzz.token_set_ratio(text, m, processor=default_process), i)  # "ICCPR-OP2," is "ICCPR-OP2"
              for i, m in enumerate(mine) if states & states_mine[i]]
    scored = sorted((s, i) for s, i in scored if s >= PART_OF)
    if not scored or (len(scored) > 1 and scored[-2][0] == scored[-1][0]):
        return None  # none, or two equally likely
    return scored[-1][1]


def agreed_response(responses: Sequence[str | None],
                    states: Sequence[Sequence[str]] | None = None) -> str | None:
    """The response the matched rows give: the most common known one; "partially supported" when
    parts of one State's recommendation were supported and others noted (with ``states``, the
    recommending States of each row: rows of different States may just differ); None if none
    is known."""
    known = Counter(r for r in responses if r and r != "pending")
    if known["supported"] and known["noted"]:
        if states is None:
            return "partially supported"
        said: dict[str, set[str]] = {}
        for response, names in zip(responses, states, strict=True):
            for name in names or ("",):
                said.setdefault(name.lower(), set()).add(response or "")
        if any({"supported", "noted"} <= got for got in said.values()):
            return "partially supported"
    return known.most_common(1)[0][0] if known else None
