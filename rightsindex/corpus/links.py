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
    scoring at least ``cutoff``; of equally alike texts, one that shares a recommending State
    wins (one text recommended by several States is one recommendation, or a row per State in
    UPR Info's data). Several ``j`` may go to one ``i``. A pair whose shorter text has fewer
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
    pairs: list[tuple[int, int]] = []
    for j, row in enumerate(scores):
        short = np.minimum(words_mine, len(theirs[j].split())) < SHORT_WORDS
        row = np.where(short & (row < strict), 0.0, row)
        best = float(row.max())
        if best < cutoff or best <= 0:
            continue
        tied = np.flatnonzero(row >= best - 1e-9)
        states = {s.lower() for s in other[j][1]}
        shared = [int(i) for i in tied if states & {s.lower() for s in report[int(i)][1]}]
        pairs.append((shared[0] if shared else int(tied[0]), j))
    return pairs


def agreed_response(responses: Sequence[str | None]) -> str | None:
    """The response the matched rows give (the most common known one; None if none is known)."""
    known = Counter(r for r in responses if r and r != "pending")
    return known.most_common(1)[0][0] if known else None
