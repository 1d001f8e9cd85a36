"""The UPR country dossier: what an advocate needs to prepare a submission for one State.

:func:`dossier` gathers every recommendation the State received (UPR reviews, treaty
bodies, compilations) into a :class:`Dossier`: counts per review and body, responses and
the acceptance rate per right, recommendations repeated across cycles or bodies grouped
as one :class:`Cluster` with its history, and the fiscal recommendations. The renderers
:func:`to_markdown` and :func:`to_html` only format that object.

Repeated recommendations are found by similarity, not only identity: the State's
recommendations become TF-IDF vectors of stemmed words and two-word phrases (English
stopwords removed); two whose cosine similarity reaches ``threshold`` are linked, and each
connected group of links is one cluster.
"""

from __future__ import annotations

import datetime as _dt
import html
import numbers
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import pandas as pd

from rightsindex.errors import QueryError
from rightsindex.records import RESPONSES
from rightsindex.search.trends import count_once, heading_name, label_name, reviews_twice, tokens

__all__ = [
    "DEFAULT_THRESHOLD",
    "UnknownCountryError",
    "DossierItem",
    "RightSummary",
    "ReviewSummary",
    "ClusterStep",
    "Cluster",
    "Dossier",
    "dossier",
    "build_dossier",
    "resolve_country",
    "find_clusters",
    "to_markdown",
    "to_html",
    "render",
]

#: Cosine similarity from which two recommendations count as the same one repeated.
DEFAULT_THRESHOLD = 0.5
NO_RIGHT = "no ESC right tagged"
#: The dossier's row for the recommending States no regional group has (observers such as the
#: Holy See and the State of Palestine).
NO_GROUP = "no regional group"
#: Recommending States the dossier names in its table (the most frequent); the others are summed.
TOP_STATES = 15


class UnknownCountryError(QueryError):
    """The country given is neither a name nor an ISO code of a State in the corpus."""


_RESPONSE_ALIASES = {
    "accepted": "supported", "supported": "supported", "support": "supported",
    "noted": "noted", "rejected": "noted", "not supported": "noted",
    "partially supported": "partially supported", "partially accepted": "partially supported",
    "pending": "pending",
}


def _response(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    return _RESPONSE_ALIASES.get(str(value).strip().casefold(), str(value).strip().casefold())


def _int(value: Any) -> int | None:
    if value is None or value is pd.NA:
        return None
    try:
        if isinstance(value, float) and value != value:
            return None
        return int(value)
    except (TypeError, ValueError):
        return None


def _str(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True)
class DossierItem:
    """One recommendation the State received, with its citation."""

    id: int
    text: str
    symbol: str | None
    paragraph: str | None
    page: int | None
    year: int | None
    cycle: int | None
    session: str | None
    body: str | None
    document_type: str | None
    states: tuple[str, ...]
    response: str | None
    rights: tuple[str, ...]
    fiscal: tuple[str, ...]
    groups: tuple[str, ...]
    source_file: str | None = None
    source_symbol: str | None = None
    cluster: int | None = None
    #: the State's own words on it, from its addendum ("We consider that this recommendation is
    #: implemented. ...")
    comment: str | None = None
    #: the document that gave the response (the report, its addendum, "UPR Info uprinfo-…")
    response_source: str | None = None
    #: the response UPR Info's rows of the same recommendation give, where it differs
    other_response: str | None = None
    #: the document's date (ISO) and State, to cite a document without a UN symbol by
    date: str | None = None
    country: str | None = None

    @property
    def response_text(self) -> str:
        """``noted``; ``noted (UPR Info uprinfo-10949)`` when UPR Info gave it; ``noted (UPR Info:
        supported)`` when UPR Info's rows say otherwise."""
        text = self.response or "no response"
        if self.response_source and self.response_source.startswith("UPR Info"):
            text += f" ({self.response_source})"
        if self.other_response:
            text += f" (UPR Info: {self.other_response})"
        return text

    @property
    def citation(self) -> str:
        """Where it comes from: ``A/HRC/28/15, para. 115.1, p. 14``; for imported rows
        without a UN symbol, ``UPR Info uprinfo-00042, UPR session 5 (2009)``; for another
        document without one, what it is (as exports cite it): ``Letter of the High Commissioner
        for Human Rights to Slovenia, 13 May 2020, p. 3``."""
        if self.symbol:
            parts = [self.symbol]
        elif self.source_symbol:
            origin = "UPR Info " if self.document_type == "upr_info_import" else ""
            parts = [f"{origin}{self.source_symbol}"]
        else:
            from rightsindex.search.export import document_name

            parts = [document_name({"document_type": self.document_type, "body": self.body,
                                    "country": self.country, "date": self.date, "year": self.year,
                                    "source_file": self.source_file})]
        if self.paragraph:
            parts.append(f"para. {self.paragraph}")
        if self.page:
            parts.append(f"p. {self.page}")
        if not self.symbol and self.source_symbol and self.session:
            year = f" ({self.year})" if self.year else ""
            parts.append(f"{self.body or 'UPR'} session {self.session}{year}")
        return ", ".join(parts)

    @property
    def review(self) -> str:
        """The review it came from: ``UPR cycle 2 (2014)``, ``CESCR 2016``, or the UPR
        document that quotes many bodies: ``Stakeholders' summary, UPR cycle 4 (2024)``."""
        return _review_label(self.body, self.cycle, self.year, self.document_type)


#: UPR documents that quote many bodies: one review each, their bodies listed inside it.
_QUOTING = {"upr_compilation": "UN compilation", "upr_stakeholder_summary": "Stakeholders' summary"}


def _review_label(body: str | None, cycle: int | None, year: int | None,
                  document_type: str | None = None) -> str:
    quoting = _QUOTING.get(document_type or "") or (
        "High Commissioner's letter" if document_type == "letter" else None)
    if quoting:
        when = f"UPR cycle {cycle} ({year})" if cycle and year else (str(year) if year else "")
        return f"{quoting}, {when}" if when else quoting
    name = body or "unknown body"
    if cycle is not None and (body in (None, "UPR")):
        return f"UPR cycle {cycle}" + (f" ({year})" if year else "")
    return f"{name} {year}" if year else name


@dataclass(frozen=True)
class RightSummary:
    """Responses to the recommendations about one right. The dossier's tables of who recommended
    use it too: :attr:`Dossier.by_region` holds a regional group's name in ``right``,
    :attr:`Dossier.by_state` a recommending State's."""

    right: str
    total: int
    supported: int
    noted: int
    partially: int
    no_response: int

    @property
    def responded(self) -> int:
        return self.supported + self.noted + self.partially

    @property
    def acceptance_rate(self) -> float | None:
        """Supported / (supported + noted + partially supported); None without responses."""
        return self.supported / self.responded if self.responded else None


@dataclass(frozen=True)
class ReviewSummary:
    """Recommendations of one review (a UPR cycle, or a body in a year)."""

    review: str
    body: str | None
    cycle: int | None
    year: int | None
    symbols: tuple[str, ...]
    total: int
    supported: int
    noted: int
    partially: int
    no_response: int
    fiscal: int
    sessions: tuple[str, ...] = ()

    @property
    def documents(self) -> str:
        """The UN symbols of its documents, or its sessions when it has none (imports)."""
        if self.symbols:
            return ", ".join(self.symbols)
        if self.sessions:
            return f"{self.body or 'UPR'} session {', '.join(self.sessions)}"
        return "-"


@dataclass(frozen=True)
class ClusterStep:
    """A cluster's recommendations in one review: who made them and the responses."""

    review: str
    body: str | None
    cycle: int | None
    year: int | None
    citations: tuple[str, ...]
    states: tuple[str, ...]
    responses: dict[str, int]
    count: int


@dataclass(frozen=True)
class Cluster:
    """Recommendations similar enough to be the same one made again."""

    number: int
    items: tuple[DossierItem, ...]
    steps: tuple[ClusterStep, ...]
    representative: DossierItem

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def text(self) -> str:
        """The text of its representative recommendation."""
        return self.representative.text

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({i.year for i in self.items if i.year is not None}))

    @property
    def first_year(self) -> int | None:
        return self.years[0] if self.years else None

    @property
    def last_year(self) -> int | None:
        return self.years[-1] if self.years else None

    @property
    def cycles(self) -> tuple[int, ...]:
        return tuple(sorted({i.cycle for i in self.items if i.cycle is not None}))

    @property
    def bodies(self) -> tuple[str, ...]:
        return tuple(sorted({i.body for i in self.items if i.body}))

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(sorted({s for i in self.items for s in i.states}))

    @property
    def rights(self) -> tuple[str, ...]:
        return tuple(sorted({r for i in self.items for r in i.rights}))

    @property
    def fiscal(self) -> tuple[str, ...]:
        return tuple(sorted({f for i in self.items for f in i.fiscal}))

    @property
    def across_reviews(self) -> bool:
        """Made again in another review (another cycle, body or year), not only by several
        States in the same review."""
        return len(self.steps) > 1


@dataclass(frozen=True)
class Dossier:
    """Everything the dossier shows, for the renderers and for Python users."""

    country: str
    country_code: str | None
    #: the ESC right it is narrowed to (``--right``), None for all; with several rights, their
    #: labels joined by ", " (each in :attr:`right_labels`)
    right: str | None
    generated: str
    items: tuple[DossierItem, ...]
    reviews: tuple[ReviewSummary, ...]
    rights: tuple[RightSummary, ...]
    overall: RightSummary
    by_right: dict[str, tuple[DossierItem, ...]]
    clusters: tuple[Cluster, ...]
    threshold: float
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: the search query the recommendations were narrowed to (``dossier --query``), if any
    query: str | None = None
    #: the ESC rights it is narrowed to (a recommendation about any of them is in), () for all
    right_labels: tuple[str, ...] = ()
    #: responses by regional group of the recommending States (a joint recommendation counts
    #: under each of its groups); the group's name in ``right``
    by_region: tuple[RightSummary, ...] = ()
    #: responses by recommending State, most recommendations first (each State of a joint one)
    by_state: tuple[RightSummary, ...] = ()

    @property
    def by_states_count(self) -> int:
        """Recommendations made by one or more States (not by a treaty body or another body)."""
        return sum(1 for i in self.items if i.states)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def composition(self) -> str:
        """Where the total comes from: ``272 made in reviews, 38 from the High Commissioner's letters
        and 139 quoted from other bodies in UN compilations and stakeholders' summaries`` (empty when
        all are of one kind)."""
        quoted = sum(1 for i in self.items if i.document_type in _QUOTING)
        letters = sum(1 for i in self.items if i.document_type == "letter")
        parts = [(len(self.items) - quoted - letters, "made in reviews"),
                 (letters, "from the High Commissioner's letters"),
                 (quoted, "quoted from other bodies in UN compilations and stakeholders' summaries")]
        said = [f"{n} {what}" for n, what in parts if n]
        if len(said) < 2:
            return ""
        return ", ".join(said[:-1]) + " and " + said[-1]

    @property
    def fiscal_items(self) -> tuple[DossierItem, ...]:
        return tuple(i for i in self.items if i.fiscal)

    @property
    def not_accepted(self) -> tuple[DossierItem, ...]:
        """What the State noted, accepted in part, or has not answered yet: what an advocate
        takes up again (review by review)."""
        return tuple(i for i in self.items if i.response in NOT_ACCEPTED)

    @property
    def not_accepted_by_response(self) -> tuple[tuple[str, tuple[DossierItem, ...]], ...]:
        """:attr:`not_accepted` grouped by response (noted, partially supported, pending)."""
        groups = ((r, tuple(i for i in self.not_accepted if i.response == r)) for r in NOT_ACCEPTED)
        return tuple((r, items) for r, items in groups if items)

    @property
    def repeated(self) -> tuple[Cluster, ...]:
        """Clusters made again in another review."""
        return tuple(c for c in self.clusters if c.across_reviews)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict (clusters list their item ids)."""
        def item(i: DossierItem) -> dict[str, Any]:
            d = asdict(i)
            d["citation"] = i.citation
            d["response_text"] = i.response_text
            return d

        return {
            "country": self.country,
            "country_code": self.country_code,
            "right": self.right,
            "right_labels": list(self.right_labels),
            "query": self.query,
            "generated": self.generated,
            "total": self.total,
            "threshold": self.threshold,
            "notes": list(self.notes),
            "reviews": [asdict(r) for r in self.reviews],
            "rights": [dict(asdict(r), acceptance_rate=r.acceptance_rate) for r in self.rights],
            "overall": dict(asdict(self.overall), acceptance_rate=self.overall.acceptance_rate),
            "by_region": [_whom(r, "region") for r in self.by_region],
            "by_state": [_whom(r, "state") for r in self.by_state],
            "clusters": [
                {"number": c.number, "count": c.count, "first_year": c.first_year,
                 "last_year": c.last_year, "cycles": list(c.cycles), "bodies": list(c.bodies),
                 "states": list(c.states), "across_reviews": c.across_reviews,
                 "text": c.representative.text, "steps": [asdict(s) for s in c.steps],
                 "items": [i.id for i in c.items]}
                for c in self.clusters
            ],
            "items": [item(i) for i in self.items],
            "not_accepted": [i.id for i in self.not_accepted],
        }


def _whom(summary: RightSummary, key: str) -> dict[str, Any]:
    d = asdict(summary)
    return {key: d.pop("right"), **d, "acceptance_rate": summary.acceptance_rate}


# -- country --------------------------------------------------------------------------------

def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def resolve_country(df: pd.DataFrame, country: str) -> tuple[str, str | None]:
    """The (name, ISO code) of ``country`` (a name, a usual variant or an ISO alpha-3
    code) among the States of the recommendations in ``df``; UnknownCountryError if
    the corpus has none."""
    if country is not None and not isinstance(country, str):  # dossier(["KEN"]): an AttributeError
        raise UnknownCountryError(f"a dossier is of one State: give its name or ISO code (e.g. KEN), "
                                  f"not {type(country).__name__} {country!r}")
    query = (country or "").strip()
    if not query:
        raise UnknownCountryError("no country given: name a State or give its ISO code, e.g. KEN")
    from rightsindex.ingest.countries import ambiguous

    two = ambiguous(query)
    if two:
        raise UnknownCountryError(f"{two}: use its ISO code")
    pairs = df[["country", "country_code"]].drop_duplicates() if len(df) else df[["country", "country_code"]]
    known: list[tuple[str | None, str | None]] = [
        (_str(n), _str(c)) for n, c in pairs.itertuples(index=False)
    ]
    by_code = {c.upper(): (n, c) for n, c in known if c}
    by_name = {_fold(n): (n, c) for n, c in known if n}

    def found(name: str | None, code: str | None) -> tuple[str, str | None]:
        if code and code.upper() in by_code:
            n, c = by_code[code.upper()]
            return (n or name or c or query), c
        if name and _fold(name) in by_name:
            n, c = by_name[_fold(name)]
            return n or name, c
        return "", None

    hit = found(None, query) if len(query) == 3 else ("", None)
    if not hit[0]:
        hit = found(query, None)
    if not hit[0]:
        try:
            from rightsindex.ingest import countries  # H1's table of names and codes

            looked = countries.lookup(query)
            if looked is None and len(query) == 3 and hasattr(countries, "from_code"):
                name = countries.from_code(query.upper())
                looked = (name, query.upper()) if name else None
        except (ImportError, AttributeError):
            looked = None
        if looked:
            hit = found(looked[0], looked[1])
            if not hit[0]:
                raise UnknownCountryError(
                    f"{looked[0]} ({looked[1]}) received no recommendation in this corpus"
                )
    if not hit[0]:
        # a unique partial name: "Iran" -> "Iran (Islamic Republic of)"
        q = _fold(query)
        partial = [v for k, v in by_name.items() if q and (k.startswith(q + " ") or f" {q} " in f" {k} ")]
        if len({p[1] or p[0] for p in partial}) == 1:
            hit = (partial[0][0] or query, partial[0][1])
    if not hit[0]:
        names = sorted({n or c or "" for n, c in known} - {""})
        from rapidfuzz import fuzz, process

        close = process.extract(query, names, scorer=fuzz.ratio, processor=_fold, limit=2)
        if close and close[0][1] >= 80 and (len(close) == 1 or close[1][1] < close[0][1] - 5):
            # "Kenia" -> Kenya; not "South" -> South Africa (South Sudan fits as well)
            raise UnknownCountryError(f"unknown country '{query}': did you mean {close[0][0]}?")
        sample = ", ".join(names[:6]) + (", ..." if len(names) > 6 else "")
        where = f"the corpus has {len(names)} States ({sample})" if names else "the corpus has no State"
        raise UnknownCountryError(
            f"unknown country '{query}': not a State name or ISO code in this corpus; {where}"
        )
    return hit


def _resolve_right(df: pd.DataFrame, right: str) -> str:
    """The ESC right label ``right`` names (``housing``, ``Water and sanitation``, ``water``); a
    right of the taxonomy that no recommendation here has is valid too (the dossier is empty)."""
    from rightsindex.nlp import taxonomy

    tagged = {lab for labs in df["esc_rights"] for lab in (labs or ())}
    if not tagged:
        raise QueryError(
            f"--right {right}: no recommendation here is tagged with ESC rights; run 'rightsindex tag' first"
        )
    labels = sorted(tagged | set(taxonomy.labels("esc_rights")))
    want = _fold(right).replace(" ", "_")
    for lab in labels:
        if _fold(lab).replace(" ", "_") == want:
            return lab
    partial = [lab for lab in labels if want and want in lab]
    if len(partial) == 1:
        return partial[0]
    import difflib

    close = partial or difflib.get_close_matches(want, labels, n=3, cutoff=0.6)
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    raise QueryError(f"unknown right '{right}': {hint}use one of {', '.join(labels)}")


# -- clusters -------------------------------------------------------------------------------

_W = r"[\s,]+"  # words of a treaty title may be split by spaces, commas or line breaks


def _title(*words: str) -> str:
    return _W.join(words)


#: Treaty titles folded to their usual abbreviations, so that "Ratify CAT" and "Ratify the
#: Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment"
#: are seen as the same request. Longest titles first.
_TREATIES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.IGNORECASE), abbr) for p, abbr in [
        (_title("convention", "against", "torture") + r"(?:" + _W + _title(
            "and", "other", "cruel", "inhuman", "or", "degrading", "treatment", "(?:or|of)", "punishment")
         + r")?", " CAT "),
        (r"(?:international" + _W + r")?" + _title("covenant", "on", "economic", "social", "and", "cultural",
                                                    "rights"), " ICESCR "),
        (r"(?:international" + _W + r")?" + _title("covenant", "on", "civil", "and", "political", "rights"),
         " ICCPR "),
        (r"(?:international" + _W + r")?" + _title("convention", "on", "the", "elimination", "of", "all",
                                                    "forms", "of", "racial", "discrimination"), " ICERD "),
        (_title("convention", "on", "the", "elimination", "of", "all", "forms", "of", "discrimination",
                "against", "women"), " CEDAW "),
        (_title("convention", "on", "the", "elimination", "of", "discrimination", "against", "women"),
         " CEDAW "),
        (_title("convention", "on", "the", "rights", "of", "persons", "with", "disabilities"), " CRPD "),
        (_title("convention", "on", "the", "rights", "of", "the", "child"), " CRC "),
        (r"(?:international" + _W + r")?" + _title("convention", "for", "the", "protection", "of", "all",
                                                    "persons", "from", "enforced", r"disappearances?"),
         " CED "),
        (_title("convention", "on", r"enforced", r"disappearances?"), " CED "),
        (r"(?:international" + _W + r")?" + _title("convention", "on", "the", "protection", "of", "the",
                                                    "rights", "of", "all", "migrant", "workers", "and",
                                                    "members", "of", "their", "families"), " ICRMW "),
        (_title("rome", "statute") + r"(?:" + _W + _title("of", "the", "international", "criminal", "court")
         + r")?", " ICC "),
        (_title("second", "optional", "protocol", "to", "(?:the", ")?") + r"ICCPR", " ICCPR-OP2 "),
        (r"\bopcat\b", " OP-CAT "),
    ]
]
_OP = re.compile(
    r"optional[\s,]+protocols?[\s,]+(?:to|of)[\s,]+(?:the[\s,]+)?(CAT|ICESCR|ICCPR|CEDAW|CRPD|CRC)\b",
    re.IGNORECASE,
)


def canonical_text(text: str) -> str:
    """``text`` with treaty titles folded to their abbreviations (used for similarity)."""
    for pattern, abbr in _TREATIES:
        text = pattern.sub(abbr, text)
    text = _OP.sub(lambda m: f" OP-{m.group(1).upper()} ", text)
    return text


@lru_cache(maxsize=200_000)
def _analyzer(text: str) -> tuple[str, ...]:
    """A text's terms for the similarity of recommendations: stemmed words and two-word phrases
    (kept: a State's texts are read again for each cluster's representative, and by every dossier)."""
    seq = tokens(canonical_text(text))
    out = [t[0] for t in seq if t is not None]
    out += [f"{a[0]} {b[0]}" for a, b in zip(seq, seq[1:]) if a is not None and b is not None]
    return tuple(out)


_NUMBER = re.compile(r"(?<![\w.,])\d{1,4}(?![\w.,]?\d)")


def _numbers(text: str) -> frozenset[int]:
    """The numbers a recommendation names (ILO Convention No. 169, resolution 1325): two texts that
    both name numbers and share none ask for different things, however alike their words."""
    return frozenset(int(n) for n in _NUMBER.findall(text))


def find_clusters(texts: Sequence[str], threshold: float = DEFAULT_THRESHOLD) -> list[list[int]]:
    """Groups of positions in ``texts`` that are the same recommendation repeated.

    Texts become TF-IDF vectors (stemmed words and two-word phrases, stopwords out,
    sublinear term frequency, IDF over ``texts``). Pairs with cosine similarity at least
    ``threshold`` are linked; each connected group is then split by average-linkage
    clustering at the same threshold, so a chain of short texts that each share a word
    with the next ("Ratify CAT" - "Ratify CAT and OP-CAT" - "Ratify OP-CEDAW") does not
    become one group: every group's members are on average at least ``threshold``
    similar to each other. Two texts that both name numbers and share none ("ILO Convention
    No. 169", "No. 189") are not linked. Singletons are left out; groups are ordered by first
    position.
    """
    if len(texts) < 2:
        return []
    import numpy as np
    from scipy.sparse.csgraph import connected_components
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        matrix = TfidfVectorizer(analyzer=_analyzer, sublinear_tf=True).fit_transform(texts)
    except ValueError:  # no words at all
        return []
    sim = (matrix @ matrix.T).tocsr()
    sim.data[sim.data < threshold - 1e-9] = 0
    numbers = [_numbers(t) for t in texts]
    rows, cols = sim.nonzero()
    for r, c in zip(rows.tolist(), cols.tolist()):
        if numbers[r] and numbers[c] and not numbers[r] & numbers[c]:
            sim[r, c] = 0  # "Ratify ILO Convention No. 169" is not No. 189
    sim.eliminate_zeros()
    _, labels = connected_components(sim, directed=False)
    components: dict[int, list[int]] = {}
    for pos, lab in enumerate(labels):
        components.setdefault(int(lab), []).append(pos)
    groups: list[list[int]] = []
    for members in components.values():
        if len(members) < 2:
            continue
        if len(members) == 2:
            groups.append(members)
            continue
        from sklearn.cluster import AgglomerativeClustering

        sub = matrix[members]
        dist = 1.0 - (sub @ sub.T).toarray()
        np.clip(dist, 0.0, 2.0, out=dist)
        for a, i in enumerate(members):
            for b, j in enumerate(members):
                if numbers[i] and numbers[j] and not numbers[i] & numbers[j]:
                    dist[a, b] = 1.0
        np.fill_diagonal(dist, 0.0)
        split = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average",
            distance_threshold=1.0 - threshold + 1e-9,
        ).fit_predict(dist)
        parts: dict[int, list[int]] = {}
        for pos, lab in zip(members, split):
            parts.setdefault(int(lab), []).append(pos)
        groups.extend(p for p in parts.values() if len(p) > 1)
    return sorted((sorted(g) for g in groups), key=lambda g: g[0])


def _medoid(texts: Sequence[str]) -> int:
    """The position of the text most like the others: the largest sum of cosine similarities of
    TF-IDF vectors over ``texts`` (scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``, computed
    here: a cluster has a few texts, and the vectorizer's own cost was most of ``repeated``'s)."""
    import math

    counts = [Counter(_analyzer(t)) for t in texts]
    n = len(counts)
    df = Counter(term for c in counts for term in c)
    if not df:
        return 0
    idf = {term: math.log((1 + n) / (1 + k)) + 1.0 for term, k in df.items()}
    vectors = []
    for c in counts:
        v = {term: (1.0 + math.log(k)) * idf[term] for term, k in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({term: x / norm for term, x in v.items()})
    total = {term: sum(v.get(term, 0.0) for v in vectors) for term in df}
    sums = [round(sum(x * total[term] for term, x in v.items()), 9) for v in vectors]
    return max(range(n), key=lambda i: (sums[i], -i))


# -- building -------------------------------------------------------------------------------

#: Responses the dossier lists as not (fully) accepted, in this order.
NOT_ACCEPTED = ("noted", "partially supported", "pending")
#: Responses a State gave (not pending, not unknown).
RESPONSES_KNOWN = tuple(r for r in RESPONSES if r != "pending")


def _all_accepted(d: Dossier) -> str:
    """What the "not accepted" section says when it lists nothing."""
    if not any(i.response in RESPONSES_KNOWN for i in d.items):
        return "No response of the State is known for these recommendations."
    return "Every recommendation here with a known response was supported."


def _upr_info_responses(df: pd.DataFrame) -> dict[int, str]:
    """Report recommendation id -> the response its UPR Info rows (``duplicate_of``) give."""
    from rightsindex.corpus.links import agreed_response

    if df.empty or "duplicate_of" not in df.columns:
        return {}
    rows = df[df["duplicate_of"].notna()]
    found: dict[int, list[str | None]] = {}
    states: dict[int, list[list[str]]] = {}
    for twin, response, names in zip(rows["duplicate_of"], rows["response"], rows["recommending_states"],
                                     strict=True):
        found.setdefault(int(twin), []).append(_response(response))
        states.setdefault(int(twin), []).append(list(names) if isinstance(names, (list, tuple)) else [])
    out = {}
    for twin, responses in found.items():
        agreed = agreed_response(responses, states[twin])
        if agreed is not None:
            out[twin] = agreed
    return out


_ITEM_COLUMNS = ("id", "text", "symbol", "paragraph", "page", "year", "cycle", "session", "body",
                 "document_type", "recommending_states", "response", "esc_rights", "fiscal", "groups",
                 "source_file", "source_symbol", "response_comment", "response_source", "date", "country")


def _items(df: pd.DataFrame) -> list[DossierItem]:
    out = []
    for row in df[[c for c in _ITEM_COLUMNS if c in df.columns]].to_dict(orient="records"):
        out.append(DossierItem(
            id=int(row["id"]),
            text=str(row.get("text") or "").strip(),
            symbol=_str(row.get("symbol")),
            paragraph=_str(row.get("paragraph")),
            page=_int(row.get("page")),
            year=_int(row.get("year")),
            cycle=_int(row.get("cycle")),
            session=_str(row.get("session")),
            body=_str(row.get("body")),
            document_type=_str(row.get("document_type")),
            states=tuple(row.get("recommending_states") or ()),
            response=_response(row.get("response")),
            rights=tuple(row.get("esc_rights") or ()),
            fiscal=tuple(row.get("fiscal") or ()),
            groups=tuple(row.get("groups") or ()),
            source_file=_str(row.get("source_file")),
            source_symbol=_str(row.get("source_symbol")),
            comment=_str(row.get("response_comment")),
            response_source=_str(row.get("response_source")),
            date=_str(row.get("date")),
            country=_str(row.get("country")),
        ))
    return out


def _summary(name: str, items: Iterable[DossierItem]) -> RightSummary:
    c = Counter(i.response for i in items)
    total = sum(c.values())
    return RightSummary(
        right=name, total=total, supported=c["supported"], noted=c["noted"],
        partially=c["partially supported"],
        no_response=total - c["supported"] - c["noted"] - c["partially supported"],
    )


def _sort_key(i: DossierItem) -> tuple[Any, ...]:
    return (i.year or 0, i.cycle or 0, i.body or "", i.symbol or "", _para_key(i.paragraph), i.id)


def _para_key(p: str | None) -> tuple[Any, ...]:
    if not p:
        return ()
    return tuple(int(x) if x.isdigit() else x for x in re.findall(r"\d+|[a-z]+", p.lower()))


def _right_names(right: str | Sequence[str] | None) -> list[str]:
    """The rights asked for: one, several (``--right health --right education``) or none."""
    if right is None:
        return []
    names = [right] if isinstance(right, str) else list(right)
    return list(dict.fromkeys(n for n in names if n is not None))


def _any_of(names: Sequence[str]) -> str:
    """``Health``, ``Health or Education``, ``Health, Education or Work``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _by_whom(items: Sequence[DossierItem]) -> tuple[tuple[RightSummary, ...], tuple[RightSummary, ...]]:
    """Responses by regional group of the recommending States and by recommending State.

    A joint recommendation counts once under each of its States and once under each of their
    groups; recommendations no State made (a treaty body's) are in neither."""
    from rightsindex.ingest import regions  # not at the top: rightsindex.ingest imports the store

    by_group: dict[str, list[DossierItem]] = {}
    by_state: dict[str, list[DossierItem]] = {}
    for i in items:
        for state in dict.fromkeys(i.states):
            by_state.setdefault(state, []).append(i)
        for group in {regions.of(state) or NO_GROUP for state in i.states}:
            by_group.setdefault(group, []).append(i)
    order = [*regions.GROUPS, NO_GROUP]
    groups = tuple(_summary(g, by_group[g]) for g in order if g in by_group)
    states = tuple(_summary(st, by_state[st]) for st in sorted(by_state, key=lambda st: (-len(by_state[st]), st)))
    return groups, states


def build_dossier(df: pd.DataFrame, country: str, right: str | Sequence[str] | None = None, *,
                  threshold: float = DEFAULT_THRESHOLD, query: str | None = None,
                  only_ids: Iterable[int] | None = None) -> Dossier:
    """The dossier of ``country`` from a recommendations DataFrame (all States); ``right`` (one
    ESC right or several) narrows it to the recommendations about any of them, ``only_ids`` (the
    matches of the search ``query``) to those recommendations."""
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not 0.05 <= threshold <= 1.0:
        raise QueryError(f"threshold {threshold!r}: a similarity between 0.05 and 1 "
                         f"(default {DEFAULT_THRESHOLD})")
    name, code = resolve_country(df, country)
    mask = df["country"].map(_str).eq(name) if name else pd.Series(False, index=df.index)
    if code:
        mask = mask | df["country_code"].map(_str).eq(code)
    mine = df[mask.astype(bool)]
    upr_info_says = _upr_info_responses(mine)
    if only_ids is not None and "duplicate_of" in mine.columns:
        # a query that matches only UPR Info's copy of a recommendation matches the recommendation
        only_ids = set(only_ids)
        twins = mine.loc[mine["id"].isin(only_ids), "duplicate_of"].dropna()
        only_ids |= {int(t) for t in twins}
    copies_of = mine["duplicate_of"].dropna() if "duplicate_of" in mine.columns else pd.Series(dtype=float)
    mine, _ = count_once(mine)
    # reports some of whose responses came from another document (its addendum) or from UPR
    # Info's rows, before --right narrows the recommendations
    answered_elsewhere: dict[str, set[str]] = {}
    if "response_source" in mine.columns:
        for symbol, source in zip(mine["symbol"], mine["response_source"], strict=True):
            symbol, source = _str(symbol), _str(source)
            if symbol and source and source != symbol:
                answered_elsewhere.setdefault(symbol, set()).add(
                    "UPR Info's rows" if source.startswith("UPR Info") else "the State's addendum")
    whole = mine  # every recommendation to the State: the repeated groups are made of them all
    if only_ids is not None:
        mine = mine[mine["id"].isin(set(only_ids))]
    asked = _right_names(right)
    right_labels: tuple[str, ...] = ()
    notes: list[str] = []
    if asked:
        right_labels = tuple(dict.fromkeys(_resolve_right(mine if len(mine) else df, r) for r in asked))
        wanted = set(right_labels)
        mine = mine[mine["esc_rights"].map(lambda labs: bool(wanted.intersection(labs or ())))]
        if mine.empty:
            notes.append(f"No recommendation to {name or country} in this corpus is tagged "
                         f"{_any_of([label_name(r) for r in right_labels])}; its words may still be in "
                         "the texts: try -q instead of --right.")
    items = sorted(_items(mine), key=_sort_key)
    differ = []
    for k, i in enumerate(items):
        theirs = upr_info_says.get(i.id)
        if theirs and i.response in RESPONSES_KNOWN and theirs != i.response and not (
                i.response_source or "").startswith("UPR Info"):
            items[k] = replace(i, other_response=theirs)
            differ.append(items[k])
    if not any(i.rights for i in items) and not right_labels:
        notes.append("No recommendation of this State is tagged with ESC rights yet "
                     "(run 'rightsindex tag'); rights and fiscal labels are empty.")
    if differ:
        first = differ[0]
        theirs = (f"{first.other_response} in UPR Info" if first.other_response != "partially supported"
                  else "partially supported by UPR Info's rows of its parts, some accepted and some noted")
        notes.append(f"{len(differ)} recommendation(s) have another response in UPR Info's rows than in the "
                     f"UN document (e.g. {first.paragraph or first.id}: {first.response} in {first.symbol}, "
                     f"{theirs}); each shows both, and counts the UN document's.")
    parts = Counter((i.symbol, i.paragraph) for i in items
                    if i.document_type == "upr_wg_report" and i.symbol and i.paragraph)
    split = {key: n for key, n in parts.items() if n > 1}
    if split:
        (symbol, paragraph), n = max(split.items(), key=lambda kv: kv[1])
        notes.append(f"The dossier counts recommendations, not numbered items: {len(split)} item(s) of the "
                     f"working-group reports carry several, each with its own States (e.g. {symbol} "
                     f"{paragraph}: {n}), so its totals exceed the items a State's addendum counts.")
    shown_ids = {i.id for i in items}
    held_twice = int(copies_of.map(lambda t: int(t) in shown_ids).sum())  # of the recommendations shown
    if held_twice:
        notes.append(f"{held_twice} of UPR Info's rows repeat recommendations of working-group reports in "
                     "the corpus: each is shown and counted once, as the report's (with its paragraph).")
    twice = sorted({cycle for _code, cycle in reviews_twice(mine)})
    if twice:
        notes.append(f"UPR cycle(s) {', '.join(map(str, twice))} are also in UPR Info's database: its rows "
                     "that match no recommendation of the working-group report are shown as well.")
    pending: dict[str, int] = {}
    for i in items:
        if i.response == "pending" and i.symbol and i.document_type == "upr_wg_report":
            pending[i.symbol] = pending.get(i.symbol, 0) + 1
    for symbol, n in sorted(pending.items()):
        if symbol in answered_elsewhere:
            where = " or ".join(sorted(answered_elsewhere[symbol]))
            notes.append(f"{n} recommendation(s) of {symbol} have no answer in {where} in this "
                         "corpus (pending; counted under 'No response').")
        else:
            notes.append(f"{n} recommendation(s) of {symbol} await the State's response (pending; counted "
                         f"under 'No response'): the State answers in an addendum to the report, usually "
                         f"{symbol}/Add.1; ingest it to fill in the responses.")

    # clusters of repeated recommendations, made of all the State received (as `repeated` makes
    # them): --right or --query choose the groups shown (those with a recommendation they keep),
    # never what a group holds
    pool = items
    if len(whole) != len(mine):
        kept = {i.id: i for i in items}
        pool = sorted((kept.get(i.id, i) for i in _items(whole)), key=_sort_key)
    groups = find_clusters([i.text for i in pool], threshold)
    cluster_of: dict[int, int] = {}
    raw_clusters: list[list[DossierItem]] = []
    for group in groups:
        if any(pool[p].id in shown_ids for p in group):
            raw_clusters.append([pool[p] for p in group])
    # across reviews first, then the biggest, then the earliest
    def order(members: list[DossierItem]) -> tuple[Any, ...]:
        reviews = {m.review for m in members}
        return (-len(reviews), -len(members), min(_sort_key(m) for m in members))

    raw_clusters.sort(key=order)
    for number, members in enumerate(raw_clusters, start=1):
        for m in members:
            cluster_of[m.id] = number
    pool = [i if i.id not in cluster_of else _with_cluster(i, cluster_of[i.id]) for i in pool]
    by_id = {i.id: i for i in pool}
    items = [by_id[i.id] for i in items]
    clusters = []
    for number, members in enumerate(raw_clusters, start=1):
        members = sorted((by_id[m.id] for m in members), key=_sort_key)
        steps = []
        for review in dict.fromkeys(m.review for m in members):
            step_items = [m for m in members if m.review == review]
            first = step_items[0]
            steps.append(ClusterStep(
                review=review, body=first.body, cycle=first.cycle, year=first.year,
                citations=tuple(dict.fromkeys(m.citation for m in step_items)),  # one per item, not per State
                states=tuple(sorted({s for m in step_items for s in m.states})),
                responses=dict(Counter(m.response or "no response" for m in step_items)),
                count=len(step_items),
            ))
        rep = members[_medoid([m.text for m in members])]
        clusters.append(Cluster(number=number, items=tuple(members), steps=tuple(steps),
                                representative=rep))

    # per right and per review
    by_right: dict[str, list[DossierItem]] = {}
    for i in items:
        for r in (i.rights or (NO_RIGHT,)):
            if not right_labels or r in right_labels:
                by_right.setdefault(r, []).append(i)
    right_order = sorted(by_right, key=lambda r: (r == NO_RIGHT, -len(by_right[r]), r))
    rights = tuple(_summary(r, by_right[r]) for r in right_order)
    reviews = []
    for review in dict.fromkeys(i.review for i in items):
        members = [i for i in items if i.review == review]
        s = _summary(review, members)
        bodies = Counter(b.strip() for m in members for b in (m.body or "").split(";") if b.strip())
        body = members[0].body if len(bodies) <= 1 else ", ".join(f"{b} {n}" for b, n in bodies.most_common())
        reviews.append(ReviewSummary(
            review=review, body=body, cycle=members[0].cycle, year=members[0].year,
            symbols=tuple(sorted({m.symbol for m in members if m.symbol})),
            total=s.total, supported=s.supported, noted=s.noted, partially=s.partially,
            no_response=s.no_response, fiscal=sum(1 for m in members if m.fiscal),
            sessions=tuple(sorted({m.session for m in members if m.session},
                                  key=lambda v: (len(v), v))),
        ))
    by_region, by_state = _by_whom(items)
    return Dossier(
        country=name or code or country,
        country_code=code,
        right=", ".join(right_labels) or None,
        generated=_dt.date.today().isoformat(),
        items=tuple(items),
        reviews=tuple(reviews),
        rights=rights,
        overall=_summary("all recommendations", items),
        by_right={r: tuple(by_right[r]) for r in right_order},
        clusters=tuple(clusters),
        threshold=threshold,
        notes=tuple(notes),
        query=query,
        right_labels=right_labels,
        by_region=by_region,
        by_state=by_state,
    )


def _with_cluster(item: DossierItem, number: int) -> DossierItem:
    return replace(item, cluster=number)


def dossier(corpus: Any, country: str, right: str | Sequence[str] | None = None, *,
            threshold: float = DEFAULT_THRESHOLD, query: str | None = None) -> Dossier:
    """The dossier of ``country`` (name or ISO code) from a Corpus, optionally only the
    recommendations about an ESC ``right`` (or any of several) and those matching a search ``query``."""
    if isinstance(corpus, pd.DataFrame):
        if query is not None:
            raise ValueError("a query needs a Corpus (its search index), not a DataFrame")
        return build_dossier(corpus, country, right, threshold=threshold)
    return corpus.dossier(country, right, threshold=threshold, query=query)  # reads only that State's rows


# -- rendering ------------------------------------------------------------------------------

def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.0f}%"


#: Characters Markdown would read as markup; ``_`` inside a word (``HC_letter_2020.pdf``) is not
#: (CommonMark does not emphasise within words), so it is left as written.
_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|#]|(?<![^\W_])_|_(?![^\W_]))")


def _md(text: Any) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _labels(values: Iterable[str]) -> str:
    return ", ".join(label_name(v) for v in values)


def _states(item: DossierItem) -> str:
    if item.states:
        return ", ".join(item.states)
    return item.body or "-"


_WHOM_TITLE = "Who recommended: regional groups and States"


def _whom_intro(d: Dossier) -> str | None:
    """The sentence above the tables of who recommended; None when no State made any."""
    n = d.by_states_count
    if not n:
        return None
    rest = d.total - n
    others = (f"; the other {rest} were made by treaty bodies or other bodies, not by a State"
              if rest else "")
    return (f"{n} of the {d.total} recommendations were made by States{others}. A joint recommendation "
            "counts under each of its States and each of their UN regional groups.")


def _whom_rows(d: Dossier) -> list[tuple[str, list[tuple[str, RightSummary | None]]]]:
    """(column heading, rows) of the two tables of who recommended; the States past
    :data:`TOP_STATES` are one row ``N other States`` (no summary: a State counted once each)."""
    states: list[tuple[str, RightSummary | None]] = [(r.right, r) for r in d.by_state[:TOP_STATES]]
    rest = d.by_state[TOP_STATES:]
    if rest:  # recommendations made by any of them, a joint one once
        names = {r.right for r in rest}
        made = sum(1 for i in d.items if names.intersection(i.states))
        states.append((f"{len(rest)} other States, {made} recommendations in all "
                       f"({max(r.total for r in rest)} at most each)", None))
    return [("Regional group of the recommending States", [(r.right, r) for r in d.by_region]),
            ("Recommending State", states)]


_NO_STATE = "None of these recommendations was made by a State."
#: The columns of a table of responses (after the first, which names the right, group or State).
_COUNT_HEADINGS = ("Recommendations", "Supported", "Noted", "Partially", "No response", "Acceptance rate")


def _counts(r: RightSummary) -> list[str]:
    return [str(r.total), str(r.supported), str(r.noted), str(r.partially), str(r.no_response),
            _pct(r.acceptance_rate)]


def _md_counts(heading: str, rows: Sequence[tuple[str, RightSummary | None]]) -> list[str]:
    """A Markdown table of responses, a row per ``(name as written, summary)``; a row without a
    summary is its name alone."""
    out = [f"| {heading} | {' | '.join(_COUNT_HEADINGS)} |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows:
        out.append(f"| {name} | | | | | | |" if r is None else f"| {' | '.join([name, *_counts(r)])} |")
    return out


def _html_counts(heading: str, rows: Sequence[tuple[str, RightSummary | None]]) -> list[str]:
    """:func:`_md_counts` as an HTML table (names and heading given escaped)."""
    out = [f"<table><tr><th>{heading}</th>" + "".join(f"<th>{h}</th>" for h in _COUNT_HEADINGS) + "</tr>"]
    for name, r in rows:
        out.append(f'<tr><td colspan="7">{name}</td></tr>' if r is None else
                   f"<tr><td>{name}</td>" + "".join(f"<td class=n>{c}</td>" for c in _counts(r)) + "</tr>")
    out.append("</table>")
    return out


def to_markdown(d: Dossier) -> str:
    """The dossier as Markdown (every recommendation with its citation)."""
    out: list[str] = []
    title = f"UPR dossier: {d.country}" + (f" ({d.country_code})" if d.country_code else "")
    out.append(f"# {_md(title)}")
    out.append("")
    named = [f"**{_md(label_name(r))}**" for r in d.right_labels]
    scope = f"recommendations about {_any_of(named)}" if named else "all recommendations"
    if d.query:
        scope = ("recommendations" if not d.right_labels else scope) + f" matching `{_md(d.query)}`"
    composition = f": {d.composition}" if d.composition else ""
    out.append(f"Generated {d.generated} by rightsindex from the corpus: {scope} received, "
               f"{d.total} in total{_md(composition)}.")
    for note in d.notes:
        out.append(f"\n> {_md(note)}")
    out.append("")
    out.append("## Summary by review")
    out.append("")
    out.append("| Review | Body | Documents | Recommendations | Supported | Noted | Partially "
               "| No response | Fiscal |")
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|")
    for r in d.reviews:
        out.append(f"| {_md(r.review)} | {_md(r.body or '-')} | {_md(r.documents)} | "
                   f"{r.total} | {r.supported} | {r.noted} | {r.partially} | {r.no_response} | {r.fiscal} |")
    out.append("")
    out.append("## Responses and acceptance rate per right")
    out.append("")
    out.append("Acceptance rate = supported / (supported + noted + partially supported); "
               "recommendations without a known response are left out of the rate. "
               "A recommendation about several rights counts under each.")
    out.append("")
    rights = [(f"**{label_name(r.right)}**" if r is d.overall else label_name(r.right), r)
              for r in (*d.rights, d.overall)]
    out.extend(_md_counts("Right", rights))
    out.append("")
    out.append(f"## {_WHOM_TITLE}")
    out.append("")
    intro = _whom_intro(d)
    out.append(_md(intro) if intro else _NO_STATE)
    out.append("")
    if intro:
        for heading, rows in _whom_rows(d):
            out.extend(_md_counts(heading, [(_md(name), r) for name, r in rows]))
            out.append("")
    out.append("## Fiscal recommendations")
    out.append("")
    if d.fiscal_items:
        for i in d.fiscal_items:
            out.append(_md_item(i, fiscal_first=True))
    else:
        out.append("None of these recommendations is tagged with a fiscal label.")
    out.append("")
    out.append("## Noted, partially supported or awaiting a response")
    out.append("")
    for response, chosen in d.not_accepted_by_response:
        out.append(f"### {heading_name(response)} ({len(chosen)})")
        out.append("")
        out.extend(_md_item(i, fiscal_first=True) for i in chosen)
        out.append("")
    if not d.not_accepted:
        out.extend([_all_accepted(d), ""])
    out.append("## Repeated recommendations")
    out.append("")
    out.append(f"Recommendations with similar wording (TF-IDF cosine similarity at least "
               f"{d.threshold:g}) are grouped; the first groups were made again in another review.")
    out.append("")
    if not d.clusters:
        out.extend(["No recommendation was repeated.", ""])
    for c in d.clusters:
        span = f"{c.first_year}" if c.first_year == c.last_year else f"{c.first_year}-{c.last_year}"
        kind = "repeated across reviews" if c.across_reviews else "several States, one review"
        out.append(f"### Cluster {c.number}: {c.count} recommendations, {span} ({kind})")
        out.append("")
        out.append(f"> {_md(c.representative.text)}")
        out.append("")
        out.append(f"- First year {c.first_year or '-'}, last year {c.last_year or '-'}; "
                   f"bodies: {_md(', '.join(c.bodies) or '-')}; "
                   f"cycles: {', '.join(map(str, c.cycles)) or '-'}")
        out.append(f"- States: {_md(', '.join(c.states) or '-')}")
        if c.rights or c.fiscal:
            out.append(f"- Rights: {_md(_labels(c.rights) or '-')}"
                       + (f"; **fiscal: {_md(_labels(c.fiscal))}**" if c.fiscal else ""))
        out.append("")
        out.append("| Review | Count | States | Responses | Citations |")
        out.append("|---|---:|---|---|---|")
        for s in c.steps:
            resp = ", ".join(f"{k} {v}" for k, v in sorted(s.responses.items()))
            out.append(f"| {_md(s.review)} | {s.count} | {_md(', '.join(s.states) or (s.body or '-'))} | "
                       f"{_md(resp)} | {_md('; '.join(s.citations))} |")
        out.append("")
        out.append("Texts:")
        out.append("")
        for i in c.items:
            out.append(f"- {_md(i.text)} ({_md(i.review)}; {_md(_states(i))}; "
                       f"{_md(i.response or 'no response')}) [{_md(i.citation)}]")
        out.append("")
    out.append("## Recommendations by right, review and body")
    out.append("")
    for r, members in d.by_right.items():
        out.append(f"### {_md(heading_name(r))} ({len(members)})")
        out.append("")
        for review in dict.fromkeys(m.review for m in members):
            group = [m for m in members if m.review == review]
            out.append(f"#### {_md(review)} ({len(group)})")
            out.append("")
            for i in group:
                out.append(_md_item(i))
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _short(text: str, limit: int = 300) -> str:
    """A comment cut at a word, with "…" when cut."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _md_item(i: DossierItem, *, fiscal_first: bool = False) -> str:
    bits = [f"- {_md(i.text)}"]
    meta = [f"by {_md(_states(i))}", f"response: {_md(i.response_text)}"]
    if fiscal_first:
        meta.insert(0, _md(i.review))
        if i.rights:
            meta.append(f"rights: {_md(_labels(i.rights))}")
    if i.cluster is not None:
        meta.append(f"cluster {i.cluster}")
    if i.comment:
        meta.append(f"the State: \u201c{_md(_short(i.comment))}\u201d")
    bits.append(f" ({'; '.join(meta)})")
    if i.fiscal:
        bits.append(f" **[fiscal: {_md(_labels(i.fiscal))}]**")
    bits.append(f" [{_md(i.citation)}]")
    return "".join(bits)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1d1d1f;line-height:1.5}
h1{font-size:1.8rem;border-bottom:2px solid #2b6cb0;padding-bottom:.3rem}
h2{font-size:1.35rem;margin-top:2.2rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}
h3{font-size:1.1rem;margin-top:1.6rem}h4{font-size:1rem;margin:1.2rem 0 .4rem;color:#2b4a6b}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}
th,td{border:1px solid #ccd;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#eef2f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
ul.recs{padding-left:1.2rem}ul.recs li{margin:.45rem 0}
.meta{color:#555;font-size:.88rem}.cite{color:#2b4a6b;font-size:.85rem;font-family:ui-monospace,monospace}
.fiscal{background:#fff4d6;border-left:4px solid #d69e2e;padding:.2rem .45rem}
.tag{display:inline-block;background:#d69e2e;color:#fff;border-radius:3px;padding:0 .35rem;font-size:.78rem;
margin-left:.3rem}
blockquote{margin:.6rem 0;padding:.4rem .8rem;border-left:4px solid #2b6cb0;background:#f5f8fc}
.note{background:#fdf2f2;border-left:4px solid #c53030;padding:.4rem .8rem}
nav ul{columns:2}
"""


def _h(text: Any) -> str:
    return html.escape(" ".join(str(text).split()), quote=True)


def _html_item(i: DossierItem, *, with_review: bool = False) -> str:
    cls = ' class="fiscal"' if i.fiscal else ""
    meta = [f"by {_h(_states(i))}", f"response: {_h(i.response_text)}"]
    if with_review:
        meta.insert(0, _h(i.review))
        if i.rights:
            meta.append(f"rights: {_h(_labels(i.rights))}")
    if i.cluster is not None:
        meta.append(f'<a href="#cluster-{i.cluster}">cluster {i.cluster}</a>')
    if i.comment:
        meta.append(f"the State: \u201c{_h(_short(i.comment))}\u201d")
    tag = "".join(f'<span class="tag">fiscal: {_h(label_name(f))}</span>' for f in i.fiscal)
    return (f"<li{cls}>{_h(i.text)}{tag}<br><span class=\"meta\">{'; '.join(meta)}</span> "
            f"<span class=\"cite\">[{_h(i.citation)}]</span></li>")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "x"


def to_html(d: Dossier) -> str:
    """The dossier as one self-contained HTML page (inline CSS, every text escaped)."""
    title = f"UPR dossier: {d.country}" + (f" ({d.country_code})" if d.country_code else "")
    p: list[str] = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{_h(title)}</h1>",
    ]
    named = [f"<strong>{_h(label_name(r))}</strong>" for r in d.right_labels]
    scope = f"recommendations about {_any_of(named)}" if named else "all recommendations"
    if d.query:
        scope = ("recommendations" if not d.right_labels else scope) + f" matching <code>{_h(d.query)}</code>"
    composition = f": {d.composition}" if d.composition else ""
    p.append(f"<p>Generated {_h(d.generated)} by rightsindex from the corpus: {scope} received, "
             f"<strong>{d.total}</strong> in total{_h(composition)}.</p>")
    for note in d.notes:
        p.append(f'<p class="note">{_h(note)}</p>')
    p.append('<nav><ul><li><a href="#reviews">Summary by review</a></li>'
             '<li><a href="#rights">Acceptance rate per right</a></li>'
             '<li><a href="#who">Who recommended</a></li>'
             '<li><a href="#fiscal">Fiscal recommendations</a></li>'
             '<li><a href="#not-accepted">Noted or awaiting a response</a></li>'
             '<li><a href="#clusters">Repeated recommendations</a></li>'
             '<li><a href="#by-right">Recommendations by right</a></li></ul></nav>')
    p.append('<h2 id="reviews">Summary by review</h2>')
    p.append("<table><tr><th>Review</th><th>Body</th><th>Documents</th><th>Recommendations</th>"
             "<th>Supported</th><th>Noted</th><th>Partially</th><th>No response</th><th>Fiscal</th></tr>")
    for r in d.reviews:
        p.append(f"<tr><td>{_h(r.review)}</td><td>{_h(r.body or '-')}</td>"
                 f"<td>{_h(r.documents)}</td><td class=n>{r.total}</td>"
                 f"<td class=n>{r.supported}</td><td class=n>{r.noted}</td><td class=n>{r.partially}</td>"
                 f"<td class=n>{r.no_response}</td><td class=n>{r.fiscal}</td></tr>")
    p.append("</table>")
    p.append('<h2 id="rights">Responses and acceptance rate per right</h2>')
    p.append("<p class=meta>Acceptance rate = supported / (supported + noted + partially supported); "
             "recommendations without a known response are left out of the rate. A recommendation "
             "about several rights counts under each.</p>")
    p.extend(_html_counts("Right", [(f"<strong>{_h(label_name(r.right))}</strong>" if r is d.overall
                                     else _h(label_name(r.right)), r) for r in (*d.rights, d.overall)]))
    p.append(f'<h2 id="who">{_h(_WHOM_TITLE)}</h2>')
    intro = _whom_intro(d)
    p.append(f"<p class=meta>{_h(intro)}</p>" if intro else f"<p>{_NO_STATE}</p>")
    for heading, rows in _whom_rows(d) if intro else ():
        p.extend(_html_counts(_h(heading), [(_h(name), r) for name, r in rows]))
    p.append('<h2 id="fiscal">Fiscal recommendations</h2>')
    if d.fiscal_items:
        p.append('<ul class="recs">' + "".join(_html_item(i, with_review=True) for i in d.fiscal_items)
                 + "</ul>")
    else:
        p.append("<p>None of these recommendations is tagged with a fiscal label.</p>")
    p.append('<h2 id="not-accepted">Noted, partially supported or awaiting a response</h2>')
    for response, chosen in d.not_accepted_by_response:
        p.append(f"<h3>{_h(heading_name(response))} ({len(chosen)})</h3>")
        p.append('<ul class="recs">' + "".join(_html_item(i, with_review=True) for i in chosen) + "</ul>")
    if not d.not_accepted:
        p.append(f"<p>{_h(_all_accepted(d))}</p>")
    p.append('<h2 id="clusters">Repeated recommendations</h2>')
    p.append(f"<p class=meta>Recommendations with similar wording (TF-IDF cosine similarity at least "
             f"{d.threshold:g}) are grouped; the first groups were made again in another review.</p>")
    if not d.clusters:
        p.append("<p>No recommendation was repeated.</p>")
    for c in d.clusters:
        span = f"{c.first_year}" if c.first_year == c.last_year else f"{c.first_year}-{c.last_year}"
        kind = "repeated across reviews" if c.across_reviews else "several States, one review"
        cls = ' class="fiscal"' if c.fiscal else ""
        p.append(f'<h3 id="cluster-{c.number}">Cluster {c.number}: {c.count} recommendations, '
                 f"{_h(span)} ({kind})</h3>")
        p.append(f"<blockquote{cls}>{_h(c.representative.text)}</blockquote>")
        p.append(f"<p class=meta>First year {_h(c.first_year or '-')}, last year {_h(c.last_year or '-')}; "
                 f"bodies: {_h(', '.join(c.bodies) or '-')}; "
                 f"cycles: {_h(', '.join(map(str, c.cycles)) or '-')}"
                 f"<br>States: {_h(', '.join(c.states) or '-')}"
                 + (f"<br>Rights: {_h(_labels(c.rights))}" if c.rights else "")
                 + (f'<span class="tag">fiscal: {_h(_labels(c.fiscal))}</span>' if c.fiscal else "")
                 + "</p>")
        p.append("<table><tr><th>Review</th><th>Count</th><th>States</th><th>Responses</th>"
                 "<th>Citations</th></tr>")
        for s in c.steps:
            resp = ", ".join(f"{k} {v}" for k, v in sorted(s.responses.items()))
            p.append(f"<tr><td>{_h(s.review)}</td><td class=n>{s.count}</td>"
                     f"<td>{_h(', '.join(s.states) or (s.body or '-'))}</td><td>{_h(resp)}</td>"
                     f"<td class=cite>{_h('; '.join(s.citations))}</td></tr>")
        p.append("</table>")
        p.append("<details><summary>All texts</summary><ul class=\"recs\">"
                 + "".join(_html_item(i, with_review=True) for i in c.items) + "</ul></details>")
    p.append('<h2 id="by-right">Recommendations by right, review and body</h2>')
    for r, members in d.by_right.items():
        p.append(f'<h3 id="right-{_slug(r)}">{_h(heading_name(r))} ({len(members)})</h3>')
        for review in dict.fromkeys(m.review for m in members):
            group = [m for m in members if m.review == review]
            p.append(f"<h4>{_h(review)} ({len(group)})</h4>")
            p.append('<ul class="recs">' + "".join(_html_item(i) for i in group) + "</ul>")
    p.append("</body></html>")
    return "\n".join(p) + "\n"


def render(d: Dossier, fmt: str) -> str:
    """``markdown``/``md``, ``html`` or ``json``."""
    if fmt in ("markdown", "md"):
        return to_markdown(d)
    if fmt in ("html", "htm"):
        return to_html(d)
    if fmt == "json":
        import json

        return json.dumps(d.to_dict(), ensure_ascii=False, indent=2) + "\n"
    raise QueryError(f"unknown dossier format '{fmt}': use markdown, html or json")
