"""The spaCy side: a blank English pipeline and the per-label phrase lexicon.

``spacy.blank("en")`` + the lookup lemmatizer (tables from spacy-lookups-data,
installed with the package, nothing downloaded) + a sentencizer + a
``PhraseMatcher`` on lemmas, built from ``data/lexicon.json``. Its matches are
the evidence shown to users ("tagged housing: 'forced evictions'"). The
lexicon's ``exclude`` phrases name other senses of a label's words
("enabling environment", "culture of impunity", "human resources"): a match
inside one of them does not count for that label.

Every text is analysed once into an :class:`Analysis` (its lemma string, which
the classifiers read, and its lexicon matches), so spaCy objects never leave
this module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from rightsindex.errors import DataFileError, ModelError

__all__ = ["Analysis", "Lexicon", "get_lexicon", "lexicon_data"]

_MAX_EVIDENCE = 5


@dataclass(frozen=True)
class Analysis:
    """What the pipeline read in one text.

    ``lemmas`` is the lower-cased lemma string (punctuation dropped) the
    classifiers use; ``matches`` maps ``(family, label)`` to the matched phrases
    as they appear in the text, longest first; ``counts`` how many matches each
    has; ``lead`` the labels matched in the first sentence (what a long
    paragraph is about); ``sentences`` counts sentences.
    """

    text: str
    lemmas: str
    matches: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    sentences: int = 1
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    lead: frozenset[tuple[str, str]] = frozenset()
    #: the words of the text as written, one per lemma of ``lemmas`` (evidence is shown in them)
    words: tuple[str, ...] = ()
    first: dict[tuple[str, str], float] = field(default_factory=dict)
    longest: dict[tuple[str, str], int] = field(default_factory=dict)
    framed: frozenset[tuple[str, str]] = frozenset()


@lru_cache(maxsize=1)
def lexicon_data() -> dict[str, Any]:
    """The lexicon package data (``data/lexicon.json``)."""
    path = resources.files("rightsindex.nlp") / "data" / "lexicon.json"
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot read the lexicon ({exc})") from exc


def _build_nlp() -> Any:
    import spacy
    from spacy.language import Language

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    try:
        nlp.initialize()  # loads the lookup tables of spacy-lookups-data (package data, no download)
    except Exception as exc:  # spaCy raises ValueError/OSError/custom errors here
        raise ModelError(
            f"spaCy lookup lemmatizer tables unavailable ({exc}); install spacy-lookups-data"
        ) from exc
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")

    if not Language.has_factory("rightsindex_lemma_case"):

        @Language.factory("rightsindex_lemma_case")
        def _make_case(nlp: Any, name: str) -> Any:  # noqa: ARG001
            return _LemmaCase(nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup"), _acronyms())

    nlp.add_pipe("rightsindex_lemma_case", after="lemmatizer")
    nlp.add_pipe("sentencizer")
    del table
    return nlp


def _acronyms() -> frozenset[str]:
    """Upper-case words of the lexicon (``AIDS``, ``VAT``, ``IMF``): kept as they are, not lemmatised."""
    out = set()
    for by_label in lexicon_data()["patterns"].values():
        for phrases in by_label.values():
            for phrase in phrases:
                for word in phrase.replace("/", " ").replace("-", " ").split():
                    if len(word) > 1 and word.isupper():
                        out.add(word.lower())
    return frozenset(out)


@lru_cache(maxsize=1)
def sure_phrases() -> dict[str, dict[str, frozenset[str]]]:
    """``family -> label -> phrases`` (case-folded) that give the label in a short text whatever
    the model says (the lexicon's ``sure`` entries; each is also one of the label's patterns)."""
    sure = lexicon_data().get("sure") or {}
    return {family: {label: frozenset(sure_key(p) for p in phrases) for label, phrases in by_label.items()}
            for family, by_label in sure.items()}


def sure_key(phrase: str) -> str:
    """A phrase compared to the sure phrases: words only, case-folded ("Economic,Social" is
    "economic social")."""
    return " ".join(re.findall(r"\w+", phrase.casefold()))


class _LemmaCase:
    """Lower-case every lemma; capitalised words are looked up lower-cased, acronyms kept.

    The lookup table is keyed by lower-case forms, so ``Evictions`` would stay
    ``Evictions``; and the lexicon's acronyms (``AIDS``) must not become ``aid``.
    """

    def __init__(self, table: Any, acronyms: frozenset[str] = frozenset()) -> None:
        self.table = table
        self.acronyms = acronyms

    def __call__(self, doc: Any) -> Any:
        table = self.table
        for tok in doc:
            text = tok.text
            lower = tok.lower_
            if text == lower:
                lemma = tok.lemma_
                if lemma != lemma.lower():
                    tok.lemma_ = lemma.lower()
            elif lower in self.acronyms and text.isupper():
                tok.lemma_ = lower
            else:
                tok.lemma_ = table.get(lower, lower)
        return doc


class Lexicon:
    """The spaCy pipeline and the phrase lexicon, built once per process.

    >>> lex = get_lexicon()                                      # doctest: +SKIP
    >>> lex.analyse(["Stop forced evictions"])[0].matches[("esc_rights", "housing")]
    ('forced evictions',)
    """

    def __init__(self, patterns: dict[str, dict[str, list[str]]] | None = None,
                 exclude: dict[str, dict[str, list[str]]] | None = None) -> None:
        from spacy.matcher import PhraseMatcher

        data = lexicon_data()
        self.version: str = str(data.get("version", "0"))
        self.patterns = patterns if patterns is not None else data["patterns"]
        self.exclude = exclude if exclude is not None else data.get("exclude", {})
        self.nlp = _build_nlp()
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self.keys: list[tuple[str, str]] = []
        self._key_of: dict[int, tuple[str, str]] = {}
        for family, by_label in self.patterns.items():
            for label, phrases in by_label.items():
                key = f"{family}|{label}"
                self.matcher.add(key, list(self.nlp.pipe(phrases)))
                self._key_of[self.nlp.vocab.strings[key]] = (family, label)
                self.keys.append((family, label))
        self.exclude_matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        for family, by_label in self.exclude.items():
            for label, phrases in by_label.items():
                key = f"{family}|{label}"
                self.exclude_matcher.add(key, list(self.nlp.pipe(phrases)))
                self._key_of[self.nlp.vocab.strings[key]] = (family, label)

    def analyse(self, texts: Iterable[str], *, batch_size: int = 256) -> list[Analysis]:
        """Analyse texts (lemmas + lexicon matches), in order."""
        return list(self.iter_analyse(texts, batch_size=batch_size))

    def iter_analyse(self, texts: Iterable[str], *, batch_size: int = 256) -> Iterator[Analysis]:
        """Stream :class:`Analysis` objects; spaCy runs in this process only (no ``n_process``)."""
        key_of = self._key_of
        for doc in self.nlp.pipe((t or "" for t in texts), batch_size=batch_size):
            kept_tokens = [tok for tok in doc if not (tok.is_punct or tok.is_space)]
            lemmas = " ".join(tok.lemma_ for tok in kept_tokens)
            found: dict[tuple[str, str], list[tuple[int, int]]] = {}
            sents = list(doc.sents) if len(doc) else []
            first_end = sents[0].end if sents else 0
            lead = set()
            excluded: dict[tuple[str, str], list[tuple[int, int]]] = {}
            if self.exclude:
                for match_id, start, end in self.exclude_matcher(doc):
                    excluded.setdefault(key_of[match_id], []).append((start, end))
            for match_id, start, end in self.matcher(doc):
                if excluded and any(s <= start and end <= e for s, e in excluded.get(key_of[match_id], ())):
                    continue  # another sense: "enabling environment", "human resources"
                found.setdefault(key_of[match_id], []).append((start, end))
                if start < first_end:
                    lead.add(key_of[match_id])
            matches: dict[tuple[str, str], tuple[str, ...]] = {}
            first: dict[tuple[str, str], float] = {}
            longest: dict[tuple[str, str], int] = {}
            framed = set()
            n_tok = max(len(doc), 1)
            for key, spans in found.items():
                first[key] = min(s for s, _ in spans) / n_tok
                longest[key] = max(e - s for s, e in spans)
                if any(_after_right(doc, s) for s, _ in spans):
                    framed.add(key)
                spans.sort(key=lambda se: (se[0] - se[1], se[0]))  # longest first
                kept: list[tuple[int, int]] = []
                phrases: list[str] = []
                for start, end in spans:
                    if any(s <= start and end <= e for s, e in kept):
                        continue
                    kept.append((start, end))
                    phrase = doc[start:end].text
                    if phrase.lower() not in (p.lower() for p in phrases):
                        phrases.append(phrase)
                matches[key] = tuple(phrases[:_MAX_EVIDENCE])
            yield Analysis(text=doc.text, lemmas=lemmas, matches=matches, sentences=len(sents),
                           words=tuple(tok.text for tok in kept_tokens),
                           counts={k: len(v) for k, v in found.items()}, lead=frozenset(lead),
                           first=first, longest=longest, framed=frozenset(framed))


#: Words that may stand between "right(s) to/of" and the right's name ("the right of everyone to
#: the highest attainable standard of health"); any other word (a verb: "the right to ask for health
#: services"; a group: "the rights of health workers") means the match is not the right's name.
_RIGHT_NAME_FILLER = frozenset(
    "the a an all everyone every person persons child children to of and adequate highest attainable "
    "standard free compulsory safe clean healthy sustainable decent quality basic primary just "
    "favourable favorable equal full social physical mental".split())


def _after_right(doc: Any, start: int) -> bool:
    """Whether a match at ``start`` is a right's name: "right(s)" opens it, or "right(s) (of ...) to"
    stands just before it, with only :data:`_RIGHT_NAME_FILLER` words between."""
    if doc[start].lower_ in ("right", "rights"):
        return True
    for i in range(start - 2, max(start - 15, -1), -1):
        if doc[i].lower_ in ("right", "rights") and doc[i + 1].lower_ in ("to", "of"):
            between = [t.lower_ for t in doc[i + 1:start]]
            return "to" in between and all(w in _RIGHT_NAME_FILLER for w in between)
    return False


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    """The shared :class:`Lexicon` (the pipeline is built on first use)."""
    return Lexicon()
