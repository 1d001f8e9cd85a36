"""The query language: words, phrases, Boolean operators, wildcards, field filters.

Parsed with Whoosh's parser, then checked (unknown fields, unbalanced quotes or
brackets, dangling operators, bad numbers give a :class:`QueryError` saying what
was wrong) and rewritten (countries by name or code, response synonyms,
label spellings). Field names users type are friendly aliases of the index
fields; :data:`QUERY_HELP` documents them with examples.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from whoosh import query as wq
from whoosh.query.spans import SpanNear2, SpanOr
from whoosh.qparser import FieldAliasPlugin, GtLtPlugin, OperatorsPlugin, QueryParser

from rightsindex.errors import QueryError
from rightsindex.records import DOCUMENT_TYPES
from rightsindex.search.index import STOP_TERMS, build_paragraph_schema, build_schema, index_term

__all__ = ["parse_query", "filters_query", "filter_values", "numeric_span", "country_error", "region_error",
           "FIELD_ALIASES", "PARAGRAPH_FIELD_ALIASES", "QUERY_HELP", "FILTER_FIELDS", "OPEN_FIELDS"]

#: Query field -> the index field it searches.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("words",),
    "heading": ("subject",),
    "symbol": ("sym",),
    "type": ("document_type", "doctype"),
    "body": ("committee", "mechanism"),
    "country": ("country_code", "code", "sur", "state_under_review"),
    "year": (),
    "date": (),
    "cycle": (),
    "session": (),
    "paragraph": ("para",),
    "state": ("states", "recommending_state", "recommending_states", "by", "from"),
    "region": ("regional_group", "sur_region", "sur_regional_group"),
    "recommending_region": ("recommending_regions", "state_region", "rs_region", "rs_regional_group"),
    "response": ("position",),
    "right": ("rights", "esc_rights", "esc"),
    "fiscal": (),
    "group": ("groups",),
    "category": ("action_category", "action"),
    "issue": ("issues", "upr_issue", "theme"),
}
#: Index fields a filter (``--country``...) or a query may name.
FILTER_FIELDS = tuple(FIELD_ALIASES)
#: Query fields of the paragraph index (``search(..., target="paragraphs")``): the document's fields
#: as for recommendations, a paragraph's number, page and kind, and its heading (or section).
PARAGRAPH_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    **{f: FIELD_ALIASES[f] for f in ("text", "heading", "symbol", "type", "body", "country", "year", "date",
                                     "cycle", "session")},
    "heading": ("subject", "section"),
    "paragraph": ("para", "number"),
    "page": (),
    "kind": (),
    "region": FIELD_ALIASES["region"],
}
_ALIASES = {"recommendations": FIELD_ALIASES, "paragraphs": PARAGRAPH_FIELD_ALIASES}
_NUMERIC = {"year", "cycle", "page"}
_LABEL_FIELDS = {"right", "fiscal", "group"}
#: The UN regional group of the State under review, and of the recommending States.
_REGION_FIELDS = ("region", "recommending_region")
#: The groups as a query writes them (the names rightsindex gives them are read too).
_REGION_SHORT = ("African", "Asia-Pacific", '"Eastern European"', "GRULAC", "WEOG")
#: Response synonyms (UPR Info's "accepted" and "rejected", the HRC's "enjoys support"), as
#: QUERY_HELP lists them: "rejected" is what early UPR documents call a noted recommendation.
_RESPONSES = {
    "accepted": "supported",
    "accept": "supported",
    "supported": "supported",
    "support": "supported",
    "enjoys support": "supported",
    "noted": "noted",
    "note": "noted",
    "rejected": "noted",
    "not supported": "noted",
    "partially": "partially supported",
    "partial": "partially supported",
    "partially supported": "partially supported",
    "pending": "pending",
    "examined": "pending",
}

QUERY_HELP = """\
\b
Query language:
  women housing              both words (stemmed: "woman" also finds "women")
  "right to housing"         these words in this order, small words too (stemmed as all words:
                             "rights to housing" matches); wildcards too: "forced evict*"
  water OR sanitation        either word; AND, OR, NOT in capitals, ( ) to group
  health OR water AND country:KEN
                             AND is what a space is, and OR binds tighter: this is
                             (health OR water) AND country:KEN, written with AND or without
  housing NOT eviction       housing without eviction (also: housing -eviction; and, or, not
                             in lower case work too)
  fiscal:* NOT fiscal:debt OR fiscal:austerity
                             NOT takes the one word, field or ( ) group after it, before OR
                             and AND: this is fiscal:* AND (NOT fiscal:debt OR fiscal:austerity);
                             to leave out both: fiscal:* NOT (fiscal:debt OR fiscal:austerity)
  violence NEAR women        both words within 5 words of each other, in either order;
                             NEAR/10 (or w/10) within 10, NEAR/1 next to each other; phrases,
                             wildcards and OR groups too: "forced evictions" NEAR/10 (roma* OR sinti)
  educat*                    words beginning with educat (wildcards: * any letters, ? one,
                             anywhere: *ousing, wom?n; matched against the words as written:
                             hous* finds house, housing, household, not hours)
  right:housing              a tagged ESC right (work, social_security, food, water_sanitation,
                             housing, health, education, cultural_life, land, ...)
  fiscal:taxation            a fiscal-policy label (taxation, tax_abuse, budget_allocation,
                             budget_transparency, austerity, debt, international_cooperation, corruption)
  country:KEN  country:Kenya State under review, ISO code or name, any case
  state:France               recommending State (name or code)
  country:(SVN OR KEN)       either State (a comma does not separate values)
  region:WEOG                the UN regional group of the State under review: African,
                             Asia-Pacific, "Eastern European", GRULAC, WEOG (any case);
                             region:none for no group (observers, territories)
  recommending_region:GRULAC a recommending State's group (a joint recommendation: any
                             of its States'); e.g. 'fiscal:taxation recommending_region:WEOG'
  body:CESCR  type:upr_info_import  symbol:"A/HRC/28/15"
  A/HRC/28/15                a document symbol typed alone: that document, or text citing it
  year:2014  year:[2015 TO 2020] (or year:2015-2020; a range needs its brackets)
  year:>=2016  cycle:2  session:19
  date:2014-12-10  date:2014-12 (a month)  date:[2014-01-01 TO 2014-06-30]
  response:noted             supported | noted | partially supported | pending; also
                             accepted = supported, rejected = noted, partial = partially
                             supported; response:unknown for no response
  group:women  issue:"Right to housing"  category:5  paragraph:118.7
  fiscal:*  NOT right:*      any fiscal label; no ESC right tagged
  right:water  group:disabilities   a whole word of one label names it
  A label, response, country, State, region or document type no record can have is an error that
  names the likely one (fiscal:tax -> taxation or tax_abuse; type:compilation ->
  upr_compilation), not an empty result.
\b
With --paragraphs (every paragraph of every document, footnotes included):
  text, heading/section, symbol, type, body, country, region, year, date, cycle,
  session, paragraph (number), page, kind (body | heading | list_item | footnote);
  recommendation-only fields (right, fiscal, group, issue, category, state,
  response, recommending_region) are refused.
  e.g. 'type:other "informal settlements" NOT kind:footnote'
\b
Examples:
  'right:housing country:KEN year:[2015 TO 2020]'
  '"forced evictions" OR "informal settlements"'
  'fiscal:taxation AND response:noted'
  'women AND (land OR property) NOT state:France'
"""

_FIELD_RE = re.compile(r"(?<![\w\"'])([A-Za-z_][A-Za-z_0-9]*):")
#: ``country:Slovenia,Kenya``: a field's value with a comma between two values (outside quotes).
_LISTED_VALUES = re.compile(r"(?<![\w\"'])([A-Za-z_]\w*):([^\s(),\[\]{}]+(?:,[^\s(),\[\]{}]+)+)")


def _aliases(target: str) -> dict[str, tuple[str, ...]]:
    try:
        return _ALIASES[target]
    except KeyError:
        raise QueryError(f"unknown search target {target!r}: use recommendations or paragraphs") from None


@lru_cache(maxsize=2)
def _parser(target: str = "recommendations") -> QueryParser:
    schema = build_schema() if target == "recommendations" else build_paragraph_schema()
    parser = QueryParser("text", schema)
    _or_binds_tighter(parser)
    parser.add_plugin(GtLtPlugin())
    aliases = {name: list(alts) for name, alts in _aliases(target).items() if alts}
    parser.add_plugin(FieldAliasPlugin(aliases))
    return parser


def _or_binds_tighter(parser: QueryParser) -> None:
    """``AND`` means what a space means: ``health OR education AND country:SVN`` is
    ``(health OR education) AND country:SVN``, as ``health OR education country:SVN`` is.

    Whoosh applies ``AND`` before ``OR`` but groups the words a space separates last, so the two
    spellings gave different answers (1,009 against 57 in a trial). Applying ``OR`` first makes
    them one, as in web search engines; parentheses still group as written.
    """
    plugin = next(p for p in parser.plugins if isinstance(p, OperatorsPlugin))
    ops = list(plugin.ops)
    memos = [tagger.memo for tagger, _ in ops]
    i, j = memos.index("and"), memos.index("or")
    ops[i], ops[j] = ops[j], ops[i]
    plugin.ops = ops


def _known_fields(target: str = "recommendations") -> dict[str, str]:
    out: dict[str, str] = {}
    for name, alts in _aliases(target).items():
        out[name] = name
        for alt in alts:
            out[alt] = name
    return out


def _unknown_field(name: str, text: str, target: str, what: str = "field") -> QueryError:
    fields_ = _aliases(target)
    if target == "paragraphs" and name.lower() in _known_fields("recommendations"):
        return QueryError(
            f"{what} {name!r} in {text!r} applies to recommendations only, not to paragraph search; "
            f"paragraph fields: {', '.join(fields_)}"
        )
    return QueryError(f"unknown {what} {name!r} in query {text!r}; fields: {', '.join(fields_)}")


def _operators(text: str) -> str:
    """``housing or water``, ``housing and not roma``, ``housing -roma``: the operators people type
    in search boxes, as the query language writes them (AND, OR, NOT). The lower-case words are
    stop words, never searched for; quoted phrases are left alone."""
    def fix(part: str, before_phrase: bool) -> str:
        part = re.sub(r"(?<![\w:])(and|or|not)(?![\w:])", lambda m: m.group(1).upper(), part, flags=re.I)
        part = _NUMERIC_SPAN.sub(_as_range, part)  # year:2010-2012, as export --year writes it
        # Lucene's open ends, year:[2014 TO *] and year:[* TO 2010], as Whoosh writes them ([2014 TO])
        part = re.sub(r"([\[{])\s*\*\s+(?=TO\b)", r"\1", part, flags=re.I)
        part = re.sub(r"\b(TO)\s+\*\s*(?=[\]}])", r"\1", part, flags=re.I)
        part = re.sub(r"(?:(?<=[\s(])|^)-(?=[\w(])", "NOT ", part)
        if before_phrase:  # housing -"forced eviction"
            part = re.sub(r"(?:(?<=[\s(])|^)-$", "NOT ", part)
        return part

    pieces = re.split(r'("[^"]*")', text)
    return "".join(piece if i % 2 else fix(piece, i + 1 < len(pieces)) for i, piece in enumerate(pieces))


#: How many words apart ``NEAR`` finds two words (``NEAR/n`` says it).
NEAR_WORDS = 5
_NEAR = re.compile(r"(?<!\S)(NEAR|near/\d+|NEAR/\d*|W/\d+|w/\d+)(?!\S)")
_BAD_NEAR = re.compile(r"(?<!\S)(?:NEAR|near)/(?!\d+(?!\S))\S*")
_NEAR_WORD = re.compile(r"[^\W_][\w'’\-]*", re.UNICODE)


#: A query's units as NEAR sees them: a run of characters without spaces, a quoted phrase one unit.
_UNIT = re.compile(r'(?:"[^"]*"|[^\s"])+')
#: A wildcard beside NEAR (``evict*``, ``*ousing``, ``wom?n``).
_NEAR_WILDCARD = re.compile(r"[\w'’\-*?]*[^\W_][\w'’\-*?]*", re.UNICODE)


class _Spans(list):  # type: ignore[type-arg]
    """The sides and distances of a query's marker words, and the marker words' beginning: one that
    no word of the query holds (a word typed ``qxnearaq`` was taken for a marker and found a span)."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.prefix = "qxnear"
        while self.prefix in text.lower():
            self.prefix += "x"


def _near_mark(i: int, spans: Any = None) -> str:
    """The word that stands for a NEAR with a phrase or wildcard until the query is parsed (Porter, the
    stop words and the operators leave it alone), then for the span query of :func:`_spans_near`."""
    prefix = getattr(spans, "prefix", "qxnear")
    return f"{prefix}{str(i).translate(str.maketrans('0123456789', 'abcdefghij'))}q"


def _near(text: str, spans: list[tuple[str, str | None, int]] | None = None) -> str:
    """``evictions NEAR roma`` (within 5 words, either order), ``evictions NEAR/10 roma`` and the
    ``w/10`` of legal databases, as phrases with slop: ``("evictions roma"~5 OR "roma evictions"~5)``.
    In a chain (``a NEAR b NEAR c``) each pair is near. A phrase or a wildcard beside NEAR
    (``"forced evictions" NEAR roma*``) becomes a marker word, its sides and distance appended to
    ``spans`` for :func:`_spans_near` to build once the query is parsed. A field or an operator
    beside NEAR is a :class:`QueryError` saying so."""
    for m in re.finditer(r'"[^"]*"|[^"]+', text):
        bad = None if m.group().startswith('"') else _BAD_NEAR.search(m.group())
        if bad:  # NEAR/x, NEAR/ten: else read as the words "near" and "x", which match nothing
            raise QueryError(f"{bad.group()} in query {text!r}: NEAR/ takes a number of words, e.g. "
                             "evictions NEAR/10 roma")
    if not any(_NEAR.fullmatch(u.group()) for u in _UNIT.finditer(text)):
        return text
    marked, groups_of = _near_groups(text)
    try:
        return _near_chains(marked, groups_of, [] if spans is None else spans)
    except QueryError as exc:  # quote the query as it came, not with its groups marked
        raise QueryError(str(exc).replace(repr(marked), repr(text))) from None


def _near_chains(text: str, groups_of: dict[str, str], spans: list[tuple[str, str | None, int]]) -> str:
    """:func:`_near` on a query whose groups beside NEAR are marked (:func:`_near_groups`)."""
    units = list(_UNIT.finditer(text))
    out: list[str] = []
    at = 0  # text[at:] is not written yet
    k = 0
    while k < len(units):
        if k + 1 >= len(units) or not _NEAR.fullmatch(units[k + 1].group()):
            if _NEAR.fullmatch(units[k].group()):  # a NEAR with nothing before it
                raise QueryError(f"{units[k].group()} needs a word on each side in query {text!r}: write "
                                 "e.g. evictions NEAR roma")
            k += 1
            continue
        # a chain from unit k: k NEAR k+2 NEAR k+4 ...
        first = k
        groups: list[str] = []
        while k + 1 < len(units) and _NEAR.fullmatch(units[k + 1].group()):
            tok = units[k + 1].group()
            if k + 2 >= len(units):
                raise QueryError(f"{tok} needs a word on each side in query {text!r}: write e.g. "
                                 "evictions NEAR roma")
            before, after = units[k].group(), units[k + 2].group()
            a = before.lstrip("(") if k == first else before  # in a chain: the pair before's b
            b = after.rstrip(")")
            kinds = [_near_side(word, tok, text) for word in (a, b)]
            slop = tok.split("/", 1)[1] if "/" in tok else ""
            n = int(slop) if slop else NEAR_WORDS
            if not 1 <= n <= 100:
                raise QueryError(f"{tok} in query {text!r}: the distance is 1 to 100 words")
            if kinds == ["word", "word"]:
                groups.append(f'("{a} {b}"~{n} OR "{b} {a}"~{n})')
            else:
                groups.append(_near_mark(len(spans), spans))
                spans.append((groups_of.get(a, a), groups_of.get(b, b), n))
            k += 2
            if b != after:  # a ")" closing a group after the word ends the chain
                break
        head = units[first].group()
        lead = head[:len(head) - len(head.lstrip("("))]
        tail_unit = units[k].group()
        tail = tail_unit[len(tail_unit.rstrip(")")):]
        chain = groups[0] if len(groups) == 1 else f"({' AND '.join(groups)})"
        out.append(text[at:units[first].start()] + lead + chain + tail)
        at = units[k].end()
        k += 1
    return "".join(out) + text[at:]


def _field_groups(text: str) -> list[tuple[int, int, str]]:
    """Each ``field:( ... )`` of a query: where its values begin and end, and the field's name as typed."""
    bare = _outside_quotes(text)
    groups: list[tuple[int, int, str]] = []
    for g in re.finditer(r"(?<![\w\"'])([A-Za-z_]\w*):\(", bare):
        depth, end = 0, len(bare)
        for j in range(g.end() - 1, len(bare)):
            depth += {"(": 1, ")": -1}.get(bare[j], 0)
            if depth == 0:
                end = j
                break
        groups.append((g.end(), end, g.group(1)))
    return groups


def _wild_phrases(text: str, spans: list[tuple[str, str | None, int]]) -> str:
    """Each quoted phrase with a wildcard (``"forced evict*"``, ``"right to hous*"``) as a marker word,
    the phrase appended to ``spans`` for :func:`_spans_near` to build as its words next to each
    other in order, a wildcard any word it matches: Whoosh's tokenizer dropped the ``*`` and the
    phrase looked for the word "evict", finding nothing, silently. The text's own field is read so
    too (``text:"forced evict*"``, a ``text`` filter's value); another field's quoted value, alone or
    in its group (``country:("Trinidad*" OR KEN)``), is left alone."""
    groups = _field_groups(text)

    def mark(m: re.Match[str]) -> str:
        phrase = m.group(2)
        if "*" not in phrase and "?" not in phrase:
            return m.group(0)
        field = m.group(1)
        if field is None:  # the innermost group of a field around it, if any
            around = [(a, f) for a, b, f in groups if a <= m.start() < b]
            field = max(around)[1] if around else None
        named = None if field is None else (_known_fields().get(field.lower())
                                             or _known_fields("paragraphs").get(field.lower()))
        if named == "heading":  # heading:, subject:, section: (paragraphs)
            raise QueryError(f"{field}:{phrase}: a heading is kept without its words' positions, so a phrase "
                             f"with a wildcard is found in the text only; write {phrase} alone")
        if field is not None and named != "text":
            return m.group(0)
        spans.append((phrase, None, int(m.group(3) or 1)))  # "..."~3: within 3 words, in order
        return _near_mark(len(spans) - 1, spans)

    return re.sub(r'(?:(?<![\w"\'])([A-Za-z_]\w*):)?("[^"]*")(?:~(\d+))?', mark, text)


def _pattern_query(field: str, pattern: str) -> wq.Prefix | wq.Wildcard:
    """A wildcard pattern as Whoosh's parser makes it: a prefix if its only ``*`` ends it."""
    if pattern.endswith("*") and not any(c in pattern[:-1] for c in "*?"):
        return wq.Prefix(field, pattern[:-1])
    return wq.Wildcard(field, pattern)


def _phrase_span(phrase: str, slop: int = 1) -> wq.Query:
    """A quoted phrase with wildcards as span queries: its words next to each other in order, each
    a word's index term or a wildcard (a prefix or pattern on the text, which :func:`resolve`
    turns into the words it matches). One-letter words are left out, as the index leaves them."""
    from rightsindex.search.index import fold_accents

    parts: list[wq.Query] = []
    gaps: list[int] = []  # before each part, how many words a lone * stands for ("right to * housing")
    gap = 0
    for token in _PATTERN_PART.findall(phrase):
        word = fold_accents(token.lower())
        if word == "*":  # any one word: it was left out, and "right to * housing" was "right to housing"
            gap += 1 if parts else 0
            continue
        if len(word) < 2 or not word.strip("*?"):
            continue
        if "*" in word or "?" in word:
            parts.append(_pattern_query("text", word))
        elif term := index_term(word):
            parts.append(wq.Term("text", term))
        else:
            continue
        gaps.append(gap)
        gap = 0
    if not parts:
        raise QueryError(f"the phrase {phrase} has no word to find")
    if len(parts) == 1:
        return parts[0]
    if not any(gaps):
        return _SpanNear(parts, slop=slop, ordered=True)
    span = parts[0]
    for part, gap in zip(parts[1:], gaps[1:]):  # a gap of n words: n + 1 positions on, at least
        span = _SpanNear([span, part], slop=slop + gap, ordered=True, mindist=1 + gap)
    return span


#: Stands for a group in parentheses beside NEAR while :func:`_near` reads the query.
_GROUP_MARK = re.compile(r"\x00\d+\x00")


def _near_groups(text: str) -> tuple[str, dict[str, str]]:
    """Each group in parentheses just before or after a NEAR (``housing NEAR (women OR girls)``) as a
    marker without spaces, and what each marker stands for; groups elsewhere are left alone."""
    bare = _outside_quotes(text)
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    for i, ch in enumerate(bare):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs.append((stack.pop(), i))
    beside = [(a, b) for a, b in pairs
              if _NEAR.fullmatch((bare[:a].split() or [""])[-1]) or _NEAR.fullmatch((bare[b + 1:].split() or [""])[0])]
    # outermost first, and none inside another (a group inside a group beside NEAR goes with it)
    chosen: list[tuple[int, int]] = []
    for a, b in sorted(beside, key=lambda p: p[0] - p[1]):
        if not any(x <= a and b <= y for x, y in chosen):
            chosen.append((a, b))
    groups: dict[str, str] = {}
    for a, b in sorted(chosen, reverse=True):
        mark = f"\x00{len(groups)}\x00"
        groups[mark] = text[a:b + 1]
        text = text[:a] + mark + text[b + 1:]
    return text, groups


#: A quoted phrase, with the distance its words may be apart (``"forced evictions"~3``).
_QUOTED = re.compile(r'("[^"]*")(?:~(\d+))?')


def _near_side(word: str, tok: str, text: str) -> str:
    """What stands beside NEAR: "word", "phrase", "wildcard" or "group" (in parentheses, marked by
    :func:`_near_groups`); anything else is a :class:`QueryError`."""
    if _GROUP_MARK.fullmatch(word):
        return "group"
    if _NEAR.fullmatch(word):  # "housing NEAR NEAR women" looked for "housing" next to the word "near"
        raise QueryError(f"{tok} {word} in query {text!r}: NEAR once between two words, e.g. evictions NEAR roma")
    if word.upper() in _OPS:  # "housing NEAR NOT women" was read as the words "housing not"
        raise QueryError(f"{tok} finds words near each other, not the operator {word!r}, in query {text!r}: "
                         "write a word on each side (NOT before the pair: NOT (evictions NEAR roma))")
    if _NEAR_WORD.fullmatch(word):
        return "word"
    if _QUOTED.fullmatch(word) and _NEAR_WORD.search(word):  # "forced evictions", "..."~3
        return "phrase"
    if ("*" in word or "?" in word) and _NEAR_WILDCARD.fullmatch(word):
        return "wildcard"
    raise QueryError(f"{tok} finds words near each other, not {word!r}, in query {text!r}: write words, "
                     "phrases, wildcards or a group of them joined by OR (no field) on each side")


def _spans_near(q: wq.Query, spans: list[tuple[str, str | None, int]], target: str) -> wq.Query:
    """The marker words of :func:`_near` as span queries: the two sides within ``n`` words of each
    other in either order (``n`` 1: next to each other), a phrase's words in order next to each
    other, a wildcard any word it matches (:func:`resolve` finds them), a group any of its own."""
    marks = {_near_mark(i, spans): spec for i, spec in enumerate(spans)}

    def side(unit: str) -> wq.Query:
        quoted = _QUOTED.fullmatch(unit)
        if quoted and ("*" in unit or "?" in unit):
            return _phrase_span(quoted.group(1), int(quoted.group(2) or 1))
        inner = _Spans()  # a group's phrases with a wildcard
        inner.prefix = getattr(spans, "prefix", inner.prefix)
        parsed = _parser(target).parse(_operators(_wild_phrases(unit, inner)), normalize=False).normalize()
        if parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)):
            raise QueryError(f"{unit!r} beside NEAR is a small word (a stop word) that search leaves out; "
                             "write a word that says what to find")
        return spanned(parsed, unit, {_near_mark(i, inner): spec for i, spec in enumerate(inner)})

    def spanned(parsed: wq.Query, unit: str, wild: dict[str, tuple[str, str | None, int]]) -> wq.Query:
        if isinstance(parsed, wq.Term) and parsed.fieldname == "text" and parsed.text in wild:
            phrase, _, slop = wild[parsed.text]  # ("forced evict*" OR roma): the * was dropped
            return _phrase_span(phrase, slop)
        if isinstance(parsed, wq.Phrase) and parsed.fieldname == "text":
            if all(w in STOP_TERMS for w in parsed.words):
                raise QueryError(f"the phrase \"{' '.join(parsed.words)}\" beside NEAR has only small words "
                                 "(stop words); add a word that says what to find")
            terms = [wq.Term(parsed.fieldname, w) for w in parsed.words]
            return terms[0] if len(terms) == 1 else _SpanNear(terms, slop=parsed.slop, ordered=True)
        if isinstance(parsed, (wq.Term, wq.Prefix, wq.Wildcard)) and parsed.fieldname == "text":
            return parsed
        if isinstance(parsed, wq.Or):
            return _SpanOr([spanned(c, unit, wild) for c in parsed.subqueries])
        raise QueryError(f"NEAR finds words near each other, not {unit!r}: a group beside NEAR holds words, "
                         "phrases or wildcards joined by OR, e.g. housing NEAR (women OR girls)")

    def swap(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Term) and node.fieldname == "text" and node.text in marks:
            a, b, n = marks[node.text]
            if b is None:  # a phrase with a wildcard (_wild_phrases)
                return _phrase_span(a, n)
            # either order as two ordered spans: Whoosh's unordered SpanNear2 passes over a phrase that
            # begins before the word it is near ('women NEAR/2 "adequate housing"' missed "adequate
            # housing for women")
            first, second = side(a), side(b)
            return wq.Or([_SpanNear([first, second], slop=n, ordered=True),
                          _SpanNear([second, first], slop=n, ordered=True)])
        return node if node.is_leaf() else node.apply(swap)

    return swap(q) if marks else q


#: ``year:2010-2012``, ``year:2015-``, ``cycle:-2``, ``year:2010..``: the spans ``--year`` takes, in a
#: query.
_NUMERIC_SPAN = re.compile(r"(?<![\w:])(year|cycle):(\d+)?(?:-|\.\.)(\d+)?(?![\w\-.])", re.I)


def _as_range(m: re.Match[str]) -> str:
    lo, hi = m.group(2), m.group(3)
    if not lo and not hi:
        return m.group(0)
    return f"{m.group(1)}:[{' '.join(x for x in (lo, 'TO', hi) if x)}]"


def _outside_quotes(text: str) -> str:
    """The query with quoted parts blanked (same length), to check its syntax."""
    return re.sub(r'"[^"]*"', lambda m: "Q" * len(m.group(0)), text)


_OPS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
#: Fields whose ranges people write: ``year:2008 TO 2016`` without brackets is said to need them.
_RANGED = frozenset({"year", "cycle", "page", "date", "session", "category"})
#: ``year:2008 TO 2016`` without its brackets (``to`` in lower case too, after a number).
_BARE_RANGE = re.compile(r"(?<![\w\"'])([A-Za-z_]\w*):([^\s()\[\]{}:]+)\s+(TO|to)(?![\w:])"
                         r"(?:\s+([^\s()\[\]{}:]+))?")


#: Parentheses nested deeper than this are refused (the parser's recursion ends near 400).
_MAX_DEPTH = 50


def _check_syntax(text: str, target: str = "recommendations") -> None:
    if text.count('"') % 2:
        raise QueryError(f"unbalanced quote in query {text!r}: close the phrase with \"")
    bare = _outside_quotes(text)
    depth = 0
    for ch in bare:
        if ch == "(":
            depth += 1
            if depth > _MAX_DEPTH:  # the parser recurses once a level: Python's stack gives out first
                raise QueryError(f"query {text[:60]!r}... nests parentheses more than {_MAX_DEPTH} deep")
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise QueryError(f"unbalanced parentheses in query {text!r}: ')' without '('")
    if depth:
        raise QueryError(f"unbalanced parentheses in query {text!r}: '(' without ')'")
    if bare.count("[") != bare.count("]") or bare.count("{") != bare.count("}"):
        raise QueryError(f"unbalanced range brackets in query {text!r}: write year:[2015 TO 2020]")
    doubled = re.search(r"(?<![\w\"'])([A-Za-z_]\w*):([^\s():]*):", bare)
    if doubled:  # "right:*:*" read as a field of no name matched everything
        token = text[doubled.start():].split()[0]
        raise QueryError(f"'{token}' in query {text!r}: one field, one value: write e.g. "
                         f"{doubled.group(1)}:{doubled.group(2) or '*'}")
    known = _known_fields(target)
    for m in _FIELD_RE.finditer(bare):
        name = m.group(1)
        if name.lower() not in known:
            raise _unknown_field(name, text, target)
    spread = next((m for m in _BARE_RANGE.finditer(bare) if known[m.group(1).lower()] in _RANGED
                   and (m.group(3) == "TO" or m.group(2)[:1].isdigit() and (m.group(4) or "")[:1].isdigit())),
                  None)  # a lower-case "to" is a range only between numbers: "session:19 to implement" is not
    if spread:  # "year:2008 TO 2016" was read as year:2008 AND the word 2016
        field, lo, hi = spread.group(1).lower(), spread.group(2), spread.group(4)
        hi = None if hi is None or hi.upper() in _OPS else hi
        written = text[spread.start():spread.end(3 if hi is None else 4)]
        dash = f" or {field}:{lo}-{hi or ''}" if field in ("year", "cycle") else ""
        raise QueryError(f"'{written}' in query {text!r}: a range needs brackets: write "
                         f"{field}:[{lo} TO{' ' + hi if hi else ''}]{dash}")
    listed = _LISTED_VALUES.search(bare)
    if listed and known[listed.group(1).lower()] not in ("text", "heading"):
        # "country:Slovenia,Kenya" was read as both at once (nothing has both) and found nothing
        # as typed: ``bare`` has its quoted words masked, at the same places
        field, written = listed.group(1), text[listed.start():listed.end()]
        values = [v for v in written[len(field) + 1:].split(",") if v]
        raise QueryError(f"'{written}' in query {text!r}: a comma does not separate values; "
                         f"write {field}:({' OR '.join(values)})")
    tokens = re.findall(r"\(|\)|[^\s()]+", re.sub(r"\[[^\]]*\]|\{[^}]*\}", "R", bare))
    ops = _OPS
    for i, tok in enumerate(tokens):
        if tok not in ops:
            if tok.endswith(":") and (i + 1 == len(tokens) or tokens[i + 1] in ops | {")"}):
                raise QueryError(f"field {tok!r} has no value in query {text!r}: write e.g. country:KEN")
            continue
        prev = tokens[i - 1] if i else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if nxt is None or nxt in ops - {"NOT"} or nxt == ")":
            raise QueryError(f"{tok} needs something after it in query {text!r}")
        if tok == "NOT" and nxt == "NOT":  # Whoosh's parser fails on it ("list index out of range")
            raise QueryError(f"NOT twice in a row in query {text!r}: write NOT once (NOT NOT x is x)")
        if tok != "NOT" and (prev is None or prev in ops or prev == "("):
            raise QueryError(f"{tok} needs something before it in query {text!r}")


#: A UN document symbol typed as words (``A/HRC/28/15``, ``E/C.12/GBR/CO/6``), outside quotes and
#: fields: letters, then two or more ``/``-separated parts, a digit among them.
_SYMBOL = re.compile(r"(?:(?<=[\s(])|^)([A-Za-z]{1,8}(?:/[\w.\-]+){2,})(?=[\s)]|$)")


def _symbols(text: str) -> str:
    """``A/HRC/28/15`` typed as words (which would look for "hrc", "28" and "15") as the document
    of that symbol or a text that cites it: ``(symbol:"A/HRC/28/15" OR "A/HRC/28/15")``."""
    def fix(part: str) -> str:
        return _SYMBOL.sub(lambda m: f'(symbol:"{m.group(1)}" OR "{m.group(1)}")'
                           if any(ch.isdigit() for ch in m.group(1)) else m.group(0), part)

    pieces = re.split(r'("[^"]*")', text)
    return "".join(piece if i % 2 else fix(piece) for i, piece in enumerate(pieces))


def _lower_field_names(text: str) -> str:
    bare = _outside_quotes(text)
    out = list(text)
    for m in _FIELD_RE.finditer(bare):
        name = m.group(1)
        if name != name.lower():
            out[m.start(1) : m.end(1)] = list(name.lower())
    return "".join(out)


def _errors(q: wq.Query) -> list[str]:
    found: list[str] = []
    err = getattr(q, "error", None)
    if err:
        found.append(str(err))
    for child in q.children():
        found.extend(_errors(child))
    return found


def _country_terms(value: str) -> list[str]:
    """Index terms a country value may be stored under (code and UN short name, lower case);
    just the value itself when the countries table does not know it."""
    from rightsindex.ingest import countries

    two = countries.ambiguous(value)
    if two:
        raise QueryError(f"{two}: use its ISO code")
    value = value.strip().lower()
    terms = {value}
    # exact forms only: a misspelt name ("Untied Kingdom") is an error naming the likely one, as
    # "Frnace" is, not a silent correction
    hit = countries.lookup(value, fuzzy=False)
    if hit:
        terms.update(v.lower() for v in hit if v)
    if len(value) == 3:
        name = countries.from_code(value.upper())
        if name:
            terms.add(name.lower())
    return sorted(terms)


def country_error(value: str, stored: Iterable[str] = (), *, field: str = "country",
                  in_query: bool = False) -> QueryError:
    """The one-line error for a State under review (``field="country"``) or a recommending State
    (``"state"``) that neither the countries table nor any record knows, with the spelling typed:
    ``unknown country 'Kenia': did you mean Kenya?`` (the dossier's words), the likely State
    taken from the table and the ``stored`` names; else how to name a State."""
    from rightsindex.ingest import countries

    what = "country" if field == "country" else "recommending State"
    meant = countries.suggest(value, stored)
    if meant:
        return QueryError(f"unknown {what} '{value}': did you mean {meant}?")
    quoting = f'; quote a name with spaces ({field}:"Trinidad and Tobago")' if in_query else ""
    return QueryError(f"unknown {what} '{value}': not a State name or ISO code; use an ISO 3166 code "
                      f"(KEN) or a UN name (Kenya){quoting}")


#: Query field -> the taxonomy family whose labels it holds.
_FAMILY_OF = {"right": "esc_rights", "fiscal": "fiscal", "group": "groups", "issue": "upr_issues",
              "category": "action_category"}
_RESPONSE_VALUES = ("supported", "noted", "partially supported", "pending")


def _known_values(field: str) -> list[str]:
    from rightsindex.nlp import taxonomy

    return [v.lower() for v in taxonomy.labels(_FAMILY_OF[field])]


def _unknown_value(field: str, value: str, known: Sequence[str]) -> QueryError:
    """A one-line error for a value no record can have, with the likely meant ones."""
    starts = _begun_by(value, known)
    close = starts or difflib.get_close_matches(value, known, n=3, cutoff=0.6)
    shown = [f'"{c}"' if " " in c else c for c in close[:4]]
    hint = f"; did you mean {' or '.join(shown)}?" if close else ""
    if len(starts) > 1:
        hint += f" ({field}:{value}* finds all of them)"
    shown_known = list(known[:30]) + ([f"... ({len(known) - 30} more)"] if len(known) > 30 else [])
    listing = "" if close else f"; {field} values: {', '.join(shown_known)}"
    return QueryError(f"unknown {field} {value!r}{hint}{listing}")


def _words(value: str) -> list[str]:
    return re.split(r"[\s_\-]", value)


def _begun_by(value: str, known: Sequence[str]) -> list[str]:
    """The known values that ``value`` begins, or begins a word of."""
    return [k for k in known if k.startswith(value) or any(w.startswith(value) for w in _words(k))]


def _label_by_word(value: str, known: Sequence[str]) -> str:
    """The one label a whole word names (``right:water`` is water_sanitation, ``group:disabilities``
    persons_with_disabilities), else ``value`` itself: a word that begins words of several labels
    (``fiscal:tax``: taxation and tax_abuse) names none."""
    starts = _begun_by(value, known)
    if len(starts) == 1 and value in _words(starts[0]):
        return starts[0]
    return value


def _rewrite_value(field: str, value: str) -> list[str]:
    """The index terms of a field's value, or :class:`QueryError` for a value no record can have
    (``right:hosing``, ``fiscal:tax``, ``country:Narnia``) instead of a silent empty result."""
    low = value.strip().lower()
    if field in ("country", "state"):
        return _country_terms(value)  # an unknown one is refused by resolve() if no record has it
    if field in _REGION_FIELDS:
        return [_region_term(field, value)]
    if field == "response":
        response = _RESPONSES.get(low, low)
        if response not in _RESPONSE_VALUES:
            raise _unknown_value("response", low, [*_RESPONSE_VALUES, "unknown"])
        return [response]
    if field in _LABEL_FIELDS:
        label = re.sub(r"[\s\-]+", "_", low)
        known = _known_values(field)
        if label not in known:
            label = _label_by_word(label, known)
        if label not in known:
            raise _unknown_value(field, label, known)
        return [label]
    if field == "category":
        known = _known_values(field)
        if low not in known:
            raise _unknown_value(field, low, known)
        return [low]
    if field == "issue":  # imported data may carry issues of its own: checked by resolve()
        return [low]
    return [value]


def label_spec(spec: str) -> tuple[str, str]:
    """``(family, label)`` of a label as a query names it: ``right:housing``, ``right:water``
    (water_sanitation), ``fiscal:taxation``, ``group:women``; a :class:`QueryError` saying how to
    write one otherwise (an unknown label, with the known ones)."""
    field, sep, value = (spec or "").partition(":")
    field = field.strip().lower()
    named = {alias: f for f in _LABEL_FIELDS for alias in (f, *FIELD_ALIASES[f])}
    if not sep or field not in named or not value.strip():
        raise QueryError(f"{spec!r} is not a label: write right:LABEL, fiscal:LABEL or group:LABEL "
                         "(right:housing, fiscal:taxation, group:women)")
    field = named[field]
    return _FAMILY_OF[field], _rewrite_value(field, value)[0]


def _region_term(field: str, value: str, *, in_query: bool = False) -> str:
    """The index term of a regional group (its name, lower case), or :func:`region_error`."""
    from rightsindex.ingest import regions

    meant = regions.group(value)
    if meant is None:
        raise region_error(value, field, in_query=in_query)
    return meant.lower()


#: At most this many words as written may stand for one wildcard (``*a*``).
_MAX_WILDCARD_WORDS = 20_000


def _text(term: Any) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


def resolve(q: wq.Query, reader: Any) -> wq.Query:
    """Adapt a parsed query to an index: a wildcard finds the words as written it matches.

    The index holds stems ("education" is stored as "educ"), so a wildcard on text or a heading
    is matched against the words as written (the index's ``words`` field) and searches their stems
    (:func:`_wildcard`). A phrase on a field kept without positions asks for all its words. A
    country, State, issue, body or document type no record has is checked
    (:func:`_check_open_value`).
    """
    if isinstance(q, wq.Term) and q.fieldname in OPEN_FIELDS and not (
            reader.doc_frequency(q.fieldname, q.text)):
        _check_open_value(q.fieldname, str(q.text), reader, getattr(q, "typed", None))
    if isinstance(q, SpanNear2):  # NEAR beside a phrase or wildcard (_spans_near)
        parts = [_span_part(resolve(c, reader), reader) for c in q.qs]
        if any(p is wq.NullQuery for p in parts):
            return wq.NullQuery
        near = _SpanNear(parts, slop=q.slop, ordered=q.ordered, mindist=q.mindist)
        if (n := _span_words(near)) > _MAX_SPAN_WORDS:
            raise QueryError(f"the wildcards beside NEAR or in a phrase match {n:,} words; at most "
                             f"{_MAX_SPAN_WORDS} are looked for near each other (each match's position is "
                             "read): give them more letters, e.g. evict* rather than e*")
        return near
    if isinstance(q, (wq.Prefix, wq.Wildcard)) and q.fieldname in ("text", "heading") and "words" in reader.schema:
        return _wildcard(q, reader)
    if isinstance(q, wq.TermRange) and q.fieldname == "session":
        return _session_range(q, reader)
    if isinstance(q, wq.Phrase) and not reader.schema[q.fieldname].format.supports("positions"):
        # a field stored without positions (headings) answers a phrase with all its words
        return wq.And([wq.Term(q.fieldname, w) for w in q.words], boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda c: resolve(c, reader))


class _SpanNear(SpanNear2):
    """Whoosh's SpanNear2 with a boost, as its other queries have: an OR holding one as an
    alternative (``slum OR (housing NEAR (water OR sanitation))``) is flattened with each child's
    boost, and stopped with an AttributeError."""

    boost = 1.0


class _SpanOr(SpanOr):
    """Whoosh's SpanOr, with its words as children (for ranking and highlighting), each match its own
    span: Whoosh's merged matches next to each other into one, so that a side of NEAR met by one
    of them overlapped it and was not near (``(women OR girls) NEAR/1 (boys OR girls)`` missed
    "women, girls and children"; ``"*tion *tion"`` found nothing); with a boost, as ``_SpanNear``."""

    boost = 1.0

    def children(self):  # type: ignore[no-untyped-def]
        return list(self.subqs)

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        from whoosh.util import make_binary_tree

        matchers = [q.matcher(searcher, context) for q in self.subqs]
        return make_binary_tree(_SpanOrMatcher, matchers)


class _SpanOrMatcher(SpanOr.SpanOrMatcher):
    """Whoosh's SpanOr matcher without its merging of spans that touch or overlap."""

    def _get_spans(self):  # type: ignore[no-untyped-def]
        a, b = self.a, self.b
        if a.is_active() and b.is_active() and a.id() == b.id():
            return sorted(set(a.spans()) | set(b.spans()))
        if a.is_active() and (not b.is_active() or a.id() < b.id()):
            return a.spans()
        return b.spans()


#: At most this many words in one NEAR or phrase with wildcards: Whoosh reads the positions of each
#: word's matches in Python, and a short prefix beside NEAR took minutes on 32,181 recommendations
#: (``a* NEAR b*``, 1,314 words: 31 s; ``*a* NEAR *e*``: stopped after 400 s; ``con* NEAR/5 pro*``,
#: 378 words: 8.4 s; ``int* NEAR women``, 132 words: 0.9 s).
_MAX_SPAN_WORDS = 400


def _span_words(q: wq.Query) -> int:
    """How many words a span query looks for (a phrase's, a group's, a wildcard's matches)."""
    if isinstance(q, wq.Term):
        return 1
    if isinstance(q, SpanNear2):
        return sum(_span_words(c) for c in q.qs)
    if isinstance(q, _SpanOr):
        return sum(_span_words(c) for c in q.subqs)
    return 0


def _span_part(q: wq.Query, reader: Any) -> wq.Query:
    """A side of NEAR as a query whose matches have positions: a wildcard (resolved to a prefix and
    words) as any of the words it matches; NullQuery when it matches none."""
    if isinstance(q, (wq.Term, SpanNear2)) or q is wq.NullQuery:
        return q
    parts: list[wq.Query] = []

    def gather(node: wq.Query) -> None:
        if isinstance(node, (wq.Term, SpanNear2)):
            parts.append(node)
        elif isinstance(node, (wq.Prefix, wq.Wildcard)):
            parts.extend(wq.Term(node.fieldname, _text(t)) for t in node._btexts(reader))
        elif isinstance(node, _SpanOr):
            for child in node.subqs:
                gather(child)
        elif isinstance(node, wq.Or):
            for child in node.subqueries:
                gather(child)
    gather(q)
    parts = list({repr(p): p for p in parts}.values())
    if not parts:
        return wq.NullQuery
    return parts[0] if len(parts) == 1 else _SpanOr(parts)


def _wildcard(q: wq.Prefix | wq.Wildcard, reader: Any) -> wq.Query:
    """A wildcard as the stems of the words as written it matches: ``hous*`` finds house, houses,
    housing and household (stems hous, housing, household), not "hours", which the stem of the
    pattern (``hou``) found; ``educ?tion`` finds education (stem educ, so educational too: a
    stem's other forms come with it); ``communit*`` finds community, not communications (stem
    commun). A stem that is a stop word (willingness -> "will") is left out unless the pattern
    matches it itself. A prefix keeps its own match on the stems, which holds most of them."""
    prefix = isinstance(q, wq.Prefix)
    pattern = q.text
    shown = f"{pattern}*" if prefix else pattern
    parts = _PATTERN_PART.findall(shown)
    if parts != [shown]:  # non-discrim*, HIV/AID*: the texts' words are split there; each part is searched
        return _split_wildcard(q, parts, reader)
    words_q = wq.Prefix("words", pattern) if prefix else wq.Wildcard("words", pattern)
    words = []
    for t in words_q._btexts(reader):
        words.append(_text(t))
        if len(words) > _MAX_WILDCARD_WORDS:
            raise QueryError(f"the wildcard {shown!r} matches more than {_MAX_WILDCARD_WORDS:,} words: "
                             "give it more letters")
    matches = re.compile(fnmatch.translate(pattern + "*" if prefix else pattern)).match
    terms = sorted({t for t in map(index_term, words) if t and (t not in STOP_TERMS or matches(t))})
    if prefix:
        extra = [wq.Term(q.fieldname, t) for t in terms if not t.startswith(pattern)]
        return wq.Or([q, *extra], boost=q.boost) if extra else q
    if not terms:
        return wq.NullQuery
    return wq.Or([wq.Term(q.fieldname, t) for t in terms], boost=q.boost)


#: A wildcard pattern's words, as the tokenizer splits a text (``non-discrim*``: ``non``, ``discrim*``).
_PATTERN_PART = re.compile(r"[\w*?]+(?:\.[\w*?]+)*")


def _split_wildcard(q: wq.Prefix | wq.Wildcard, parts: list[str], reader: Any) -> wq.Query:
    """A wildcard on a word written with a hyphen or slash (``non-discrim*``, ``HIV/AID*``) as all its
    parts, as a plain ``non-discrimination`` is searched: it was matched as one word and found nothing."""
    subs: list[wq.Query] = []
    for part in parts:
        if len(part.replace("*", "").replace("?", "")) < 2:  # non-*, women's*: no word the index holds
            continue
        if "*" in part or "?" in part:
            sub = _pattern_query(q.fieldname, part)
            subs.append(_wildcard(sub, reader))
        elif term := index_term(part):
            subs.append(wq.Term(q.fieldname, term))
    if not subs:
        return wq.NullQuery
    return wq.And(subs, boost=q.boost) if len(subs) > 1 else subs[0]


#: A field's value in a query (``country:KEN``, ``state:"United Kingdom"``, ``right:(health OR food)``).
_FIELD_SPAN = re.compile(r'\b\w+:(?:\([^)]*\)|"[^"]*"|\[[^\]]*\]|\S+)')
_SUGGESTED_WORD = re.compile(r"(?<![\w*?'’])[^\W\d_][\w'’]*(?![\w*?])")


def did_you_mean(text: str, reader: Any) -> str | None:
    """The query with each word no record has replaced by the nearest word the texts hold, for a query
    that found nothing: ``evicitons`` -> ``evictions``, ``womens rights`` -> ``women rights``; and
    ``near`` between two words as the operator ``NEAR``. None if there is nothing to suggest. Field
    values are left alone (a misspelt State is an error naming the likely one already)."""
    if "words" not in reader.schema or not text or not text.strip():
        return None
    from whoosh.support.levenshtein import damerau_levenshtein

    from rightsindex.ingest import countries
    from rightsindex.search.index import fold_accents

    def frequency(word: str) -> int:
        term = index_term(word)
        return reader.doc_frequency("text", term) if term else 0

    def nearest(word: str) -> str | None:
        limit = 1 if len(word) <= 5 else 2
        found = [(damerau_levenshtein(word, w), -frequency(w), w)
                 for w in reader.terms_within("words", word, limit, prefix=1)]
        found = [f for f in found if f[1] < 0]
        return min(found)[2] if found else None

    skip = [m.span() for m in _FIELD_SPAN.finditer(text)]
    out, at, changed = [], 0, False
    for m in _SUGGESTED_WORD.finditer(text):
        if any(a <= m.start() < b for a, b in skip):
            continue
        word = m.group(0)
        low = fold_accents(word.lower())
        if word.isupper() and low in ("and", "or", "not", "near", "to") or low in STOP_TERMS:
            continue
        if low == "near":  # evictions near roma: NEAR is the operator
            before, after = text[:m.start()].rstrip(), text[m.end():].lstrip()
            if before and after and before[-1].isalnum() and after[0].isalnum():
                out.append(text[at:m.start()] + "NEAR")
                at, changed = m.end(), True
            continue
        if len(low) < 4 or frequency(low) or countries.lookup(word, fuzzy=False):
            continue  # a State's name no text holds (Laos, Niue) is no typo of "laws" or "nine"
        better = nearest(low)
        if better is not None:
            if word.isupper() and len(word) > 1:  # as typed: HELTH -> HEALTH, Kenia -> Kenya
                better = better.upper()
            elif word[0].isupper():
                better = better[0].upper() + better[1:]
            out.append(text[at:m.start()] + better)
            at, changed = m.end(), True
    return "".join(out) + text[at:] if changed else None


def _session_range(q: wq.TermRange, reader: Any) -> wq.Query:
    """``session:[9 TO 12]`` as numbers: sessions are stored as words, and as words "9" comes after
    "12", so the range found nothing (and ``[2 TO 20]`` left out 3 to 9). The sessions the index
    holds in the range, any of them."""
    def number(text: Any) -> int | None:
        return int(text) if text is not None and str(text).isdigit() else None

    lo, hi = number(q.start), number(q.end)
    if (q.start is not None and lo is None) or (q.end is not None and hi is None):
        raise QueryError(f"session range [{q.start} TO {q.end}]: sessions are numbers, "
                         "e.g. session:[9 TO 12]")
    held = [_text(t) for t in reader.lexicon("session")]
    inside = [v for v in held if v.isdigit()
              and (lo is None or int(v) > lo or int(v) == lo and not q.startexcl)
              and (hi is None or int(v) < hi or int(v) == hi and not q.endexcl)]
    return wq.Or([wq.Term("session", v) for v in inside], boost=q.boost) if inside else wq.NullQuery


#: Bodies a query may name although no record of the corpus has them (a treaty body whose
#: reports are not ingested yet gives 0 results, not an error).
_KNOWN_BODIES = ("upr", "cescr", "ccpr", "crc", "cedaw", "cerd", "cat", "spt", "crpd", "cmw", "ced", "nhri",
                 "ohchr", "unhcr", "unicef", "unesco", "unct", "ilo", "ilo-ceacr", "undp", "who", "unfpa",
                 "iom", "unodc")


#: Fields whose values are open lists (imported data may bring a body, issue or document type of its
#: own): a value no table knows is checked against those the records have.
OPEN_FIELDS = ("country", "state", "issue", "body", "type")


def _open_known(field: str) -> Sequence[str]:
    """The values of an open field (not a State's) that are fine even if no record has them."""
    if field == "body":
        return _KNOWN_BODIES
    if field == "type":
        return DOCUMENT_TYPES
    return _known_values(field)


def _check_open_value(field: str, value: str, reader: Any, typed: _Typed | None = None) -> None:
    """A country, recommending State, issue, body or document type that no record has: fine if it
    is a real one (a State or treaty body not in this corpus), else a :class:`QueryError` naming the
    likely value; ``typed``: the value as the user wrote it, to quote it so."""
    _check_open(field, value, lambda: [_text(t) for t in reader.lexicon(field)], typed)


def _check_open(field: str, value: str, stored: Callable[[], Iterable[str]],
                typed: _Typed | None = None) -> None:
    """:func:`_check_open_value` with the values the records have given by ``stored()`` (asked only
    for a value no table knows)."""
    if field in ("country", "state"):
        if _country_terms(value) != [value.strip().lower()]:  # the countries table knows it
            return
        have = [str(v) for v in stored() if v]
        spelled, in_query = typed or (value, True)
        if not in_query and spelled.strip().casefold() in {v.casefold() for v in have}:
            return  # a filter's value as a record has it (a query's value was looked up already)
        raise country_error(spelled, have, field=field, in_query=in_query)
    low = value.strip().lower()
    known = _open_known(field)
    if low in known:
        return
    have = {str(v).strip().lower() for v in stored() if v}
    if low in have:
        return
    raise _unknown_value(field, low, sorted(set(known) | have))


def _no_response(value: str, field: str = "response") -> wq.Query | None:
    """``response:unknown`` (or ``none``): the records without a known response; ``region:none``
    (``field``): those whose State has no regional group."""
    return wq.Not(wq.Every(field)) if value.strip().lower() in ("unknown", "none") else None


def region_error(value: str, field: str = "region", *, in_query: bool = False) -> QueryError:
    """The one-line error for a regional group that is none of the five, naming the likely ones:
    ``unknown region 'Europe': did you mean "Eastern European Group" or WEOG?; regions: ...``."""
    from rightsindex.ingest import regions

    what = "region" if field == "region" else "recommending region"
    value = value.strip()
    meant = [f'"{g}"' if " " in g else g for g in regions.suggest(value)]
    if value.casefold().rstrip("s") == "observer":
        hint = (f": observer States have no regional group ({field}:none finds the recommendations "
                "without one)")
    else:
        hint = f": did you mean {' or '.join(meant)}?" if meant else ""
        spaced = [g for g in regions.suggest(value) if g.casefold().startswith(value.casefold() + " ")]
        if in_query and spaced:  # region:Eastern European, unquoted, searched for 'Eastern'
            short = spaced[0].removesuffix(" Group")
            hint += f' (quote a name with spaces: {field}:"{short}")'
    return QueryError(f"unknown {what} '{value}'{hint}; regions (the UN regional groups): "
                      f"{', '.join(_REGION_SHORT)}, or none")


#: A country or State as the user wrote it, and whether in a query (not a filter).
_Typed = tuple[str, bool]
#: ``field:value`` or ``field:"a value"`` in a query.
_FIELD_VALUE = re.compile(r'(?<![\w"\'])([A-Za-z_]\w*):(?:"([^"]*)"|([^\s()"]+))')


def _comma_names(text: str) -> str:
    """``country:"Iran, Islamic Republic of"`` (ISO's inverted names, as lists and spreadsheets write
    them) as the State's UN name, also in a group of States (``country:(KEN OR "Iran, Islamic
    Republic of")``): a comma separates a field's values in the index, so the name as typed found
    nothing."""
    from rightsindex.ingest import countries

    def named(value: str) -> str | None:
        hit = countries.lookup(value, fuzzy=False) if "," in value else None
        return hit[0] if hit else None

    def of_states(field: str) -> bool:
        return _known_fields().get(field.lower()) in ("country", "state")

    # the groups of a country or state field: from after "field:(" to its ")"
    groups = [(a, b) for a, b, field in _field_groups(text) if of_states(field)]
    if groups:
        def fix_grouped(m: re.Match[str]) -> str:
            name = named(m.group(1)) if any(a <= m.start() < b for a, b in groups) else None
            return f'"{name}"' if name else m.group(0)

        text = re.sub(r'"([^"]*)"', fix_grouped, text)

    def fix(m: re.Match[str]) -> str:
        value = m.group(2)
        name = named(value) if value is not None and of_states(m.group(1)) else None
        return f'{m.group(1)}:"{name}"' if name else m.group(0)

    return _FIELD_VALUE.sub(fix, text)


def _spellings(text: str, target: str) -> dict[tuple[str, str], str]:
    """``(field, lower-case value) -> value as typed`` of the query's countries and States: the
    parser lower-cases them, an error quotes them as written ('Slovnia', not 'slovnia')."""
    known = _known_fields(target)
    out: dict[tuple[str, str], str] = {}
    for m in _FIELD_VALUE.finditer(text):
        field = known.get(m.group(1).lower())
        value = (m.group(2) if m.group(2) is not None else m.group(3) or "").strip()
        if field in ("country", "state", *_REGION_FIELDS) and value:
            out.setdefault((field, value.lower()), value)
    for a, b, name in _field_groups(text):  # country:(KEN OR "Untied Kingdom"): each value of the group
        field = known.get(name.lower())
        if field not in ("country", "state", *_REGION_FIELDS):
            continue
        for m in re.finditer(r'"([^"]*)"|([^\s()"]+)', text[a:b]):
            value = (m.group(1) if m.group(1) is not None else m.group(2)).strip()
            if value and value.upper() not in _OPS:
                out.setdefault((field, value.lower()), value)
    return out


def _term(field: str, value: str, typed: _Typed | None = None, boost: float = 1.0) -> wq.Term:
    """A term; a country or State carries how it was typed, for :func:`_check_open_value`."""
    term = wq.Term(field, value, boost=boost)
    if typed is not None:
        term.typed = typed  # type: ignore[attr-defined]
    return term


def _date_term(q: wq.Term) -> wq.Query:
    """``date:2014-12-10`` as it is; ``date:2014`` and ``date:2014-12`` every date of that year or
    month (a date is stored whole); anything else a :class:`QueryError`, not a silent 0."""
    import datetime

    value = str(q.text)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and datetime.date.fromisoformat(value):
            return q
        if re.fullmatch(r"\d{4}(?:-(?:0[1-9]|1[0-2]))?", value):
            return wq.Prefix("date", value, boost=q.boost)
    except ValueError:  # 2010-13-45
        pass
    raise QueryError(f"date:{value}: write a date as 2014-12-10, a month as 2014-12 or a year as 2014, "
                     "or a span as date:[2014-01-01 TO 2014-06-30]")


def _rewrite(q: wq.Query, spelled: Mapping[tuple[str, str], str] | None = None) -> wq.Query:
    if isinstance(q, wq.Term) and q.fieldname == "date":
        return _date_term(q)
    if (isinstance(q, wq.Term) and q.fieldname in ("response", *_REGION_FIELDS)
            and (none := _no_response(q.text, q.fieldname)) is not None):
        return none
    if isinstance(q, wq.Term) and q.fieldname in ("country", "state", "response", "issue", "category",
                                                 *_LABEL_FIELDS, *_REGION_FIELDS):
        if q.fieldname in _REGION_FIELDS:  # an error quotes the group as typed, not lower-cased
            spelled_as = (spelled or {}).get((q.fieldname, str(q.text)), str(q.text))
            return _term(q.fieldname, _region_term(q.fieldname, spelled_as, in_query=True), boost=q.boost)
        values = _rewrite_value(q.fieldname, q.text)
        typed = None
        if q.fieldname in ("country", "state"):
            typed = ((spelled or {}).get((q.fieldname, str(q.text)), str(q.text)), True)
        if len(values) == 1:
            return _term(q.fieldname, values[0], typed, boost=q.boost)
        return wq.Or([wq.Term(q.fieldname, v) for v in values], boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda child: _rewrite(child, spelled))


def parse_query(text: str | None, target: str = "recommendations") -> wq.Query:
    """Parse a user query; ``None``, ``""`` or ``*`` mean every recommendation (or paragraph).

    ``target="paragraphs"`` parses for the paragraph index, whose fields are
    :data:`PARAGRAPH_FIELD_ALIASES` (a recommendation-only field such as
    ``right:`` or ``response:`` is refused). Raises :class:`QueryError` with
    what was wrong for a malformed query.
    """
    _aliases(target)
    if text is None or not text.strip() or text.strip() == "*":
        return wq.Every()
    if len(text) > 5000:
        raise QueryError("query too long (more than 5,000 characters)")
    # NEAR beside a phrase or wildcard, phrases with a wildcard (_near, _wild_phrases, _spans_near)
    spans = _Spans(text)
    typed, text = text, _symbols(_operators(_wild_phrases(_near(_comma_names(text), spans), spans)))
    try:
        _check_syntax(text, target)
    except QueryError as exc:  # quote what the user typed, not our rewriting of it
        raise QueryError(str(exc).replace(repr(text), repr(typed))) from None
    try:
        q = _field_any_kept(_parser(target).parse(_lower_field_names(text), normalize=False)).normalize()
        q = _spans_near(q, spans, target)
    except QueryError as exc:  # a side of NEAR: quote what the user typed
        raise QueryError(str(exc).replace(repr(text), repr(typed))) from None
    except Exception as exc:  # noqa: BLE001 - Whoosh parser errors
        raise QueryError(f"cannot parse query {typed!r}: {exc}") from exc
    errs = _errors(q)
    if errs:
        raise QueryError(f"bad query {typed!r}: {errs[0].strip()}")
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        raise QueryError(f"query {typed!r} has nothing to search for (only stop words or operators?)")
    for leaf in q.leaves():
        if (isinstance(leaf, wq.NumericRange) and leaf.start is not None and leaf.end is not None
                and leaf.start > leaf.end):
            raise QueryError(f"the range {leaf.fieldname}:[{leaf.start} TO {leaf.end}] in {typed!r} runs "
                             f"backwards: write {leaf.fieldname}:[{leaf.end} TO {leaf.start}]")
        if isinstance(leaf, wq.Phrase) and leaf.words and all(w in STOP_TERMS for w in leaf.words):
            raise QueryError(f"the phrase \"{' '.join(leaf.words)}\" in {typed!r} has only small words "
                             "(stop words); add a word that says what to find")
    q = _rewrite(q, _spellings(text, target))
    return q.normalize()


def _field_any_kept(q: wq.Query) -> wq.Query:
    """``fiscal:* fiscal:(debt OR austerity)``: Whoosh's normalize() drops, in an AND as in an OR, every
    query on the field of a ``field:*`` beside it, so the AND found every fiscal label. In an AND
    the ``field:*`` becomes the field's terms (any of them: the same matches), which it keeps."""
    def any_of(s: wq.Query) -> bool:  # field:* (an Every once normalized)
        return (isinstance(s, wq.Every) and s.fieldname is not None
                or isinstance(s, wq.Wildcard) and s.text == "*")

    if isinstance(q, wq.And):
        subs = [_field_any_kept(s) for s in q.subqueries]
        fields = {s.field() for s in subs if not any_of(s)}
        subs = [wq.Prefix(s.field(), "") if any_of(s) and s.field() in fields else s for s in subs]
        return wq.And(subs, boost=q.boost)
    return q.apply(_field_any_kept)


def numeric_span(field: str, value: Any) -> tuple[int | None, int | None]:
    """A ``year`` or ``cycle`` filter's value as ``(first, last)``, None for an open end: ``2015``,
    ``"2015"``, ``"2015-2020"`` (or ``2015..2020``, ``2015 to 2020``), ``"2015-"``, ``"-2020"``, as
    ``export --year`` and ``year:2015-2020`` take them; :class:`QueryError` for anything else."""
    text = str(value).strip() if not isinstance(value, bool) else ""
    m = re.fullmatch(r"(\d{1,4})?\s*(?:-|\.\.|to)\s*(\d{1,4})?|(\d{1,4})", text, re.I)
    if not m or (m.group(3) is None and not (m.group(1) or m.group(2))):
        raise QueryError(f"bad {field} filter {text or value!r}: write 2015, 2015-2020, 2015- or -2020")
    if m.group(3):
        return int(m.group(3)), int(m.group(3))
    first, last = (int(g) if g else None for g in m.group(1, 2))
    if first is not None and last is not None and first > last:
        raise QueryError(f"the {field} span {text!r} runs backwards: write {last}-{first}")
    return first, last


_SESSION_SPAN = re.compile(r"\s*\d*\s*[-–]\s*\d*\s*")


def session_span(value: Any) -> tuple[int | None, int | None] | None:
    """A span of sessions written ``12-13``, ``12-`` or ``-13`` as (first, last), read as
    :func:`numeric_span` reads years; None if ``value`` is not a span (a session alone: ``12``,
    ``HRC 28``)."""
    text = str(value)
    if not _SESSION_SPAN.fullmatch(text) or not re.search(r"\d", text):
        return None
    return numeric_span("session", text.replace("–", "-"))


def filter_items(value: Any) -> list[Any]:
    """A filter's values: a string (or number) is one; a list, tuple, set, range, pandas Series or
    Index, numpy array or any other iterable is any of its values (``state=df["iso3"]``)."""
    if isinstance(value, (str, bytes, int, float)) or not hasattr(value, "__iter__"):
        return [value]
    if isinstance(value, Mapping):
        raise QueryError(f"a filter takes a value or a list of values, not a mapping ({value!r})")
    return [v for v in value if not _missing(v)]  # a column's gaps (None, NaN, pd.NA) are no value


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or type(value).__name__ == "NAType"


def filter_values(field: str, value: Any, stored: Callable[[str], Iterable[str]] | None = None
                  ) -> list[str | None]:
    """What ``field:value`` finds, as the lower-case values a record's field is compared with, for
    filters applied outside the index (``Corpus.recommendations(response="accepted")``).

    A State's code, UN name and the name typed (``Turkey``: turkey, türkiye, tur); a response's
    synonym as the response (``accepted``: supported; ``unknown``: ``None``, no response); a
    label as the taxonomy spells it (``budget allocation``: budget_allocation); a prefix
    (``tax*``) as typed. ``field`` is a query field (``state``, ``type``, ``category``...; not
    ``year`` or ``cycle``: :func:`numeric_span`). A value no record can have is the
    :class:`QueryError` a query gets for it, naming the likely one; ``stored(field)`` gives the
    values the records have of an :data:`OPEN_FIELDS` field or a label field (``right``, ``fiscal``,
    ``group``: a label the taxonomy no longer has), asked only for a value no table knows.
    """
    text = str(value).strip()
    low = text.lower()
    if field in ("response", *_REGION_FIELDS) and _no_response(text) is not None:
        return [None]
    if low.endswith("*"):  # a prefix: "tax*" finds taxation and tax_abuse
        return [re.sub(r"[\s\-]+", "_", low) if field in _LABEL_FIELDS else low]
    if field in OPEN_FIELDS:
        _check_open(field, text, lambda: stored(field) if stored is not None else (), (text, False))
        return _country_terms(text) if field in ("country", "state") else [low]
    try:
        return [v.lower() for v in _rewrite_value(field, text)]
    except QueryError:
        label = re.sub(r"[\s\-]+", "_", low)
        if field in _LABEL_FIELDS and stored is not None and label in {v.lower() for v in stored(field)}:
            return [label]  # a label of an earlier taxonomy that records still carry
        raise


def check_not_empty(name: str, value: Any) -> None:
    """A :class:`QueryError` for a filter given an empty text (``country=""``, ``state=["France", ""]``,
    a notebook's unset variable), which was read as no filter and matched every record; ``None`` and
    an empty list are no filter."""
    items = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
    if any(isinstance(v, str) and not v.strip() for v in items):
        raise QueryError(f"filter {name!r} is given an empty value: give a value, or None to leave it out")


def filters_query(filters: Mapping[str, Any] | None, target: str = "recommendations") -> list[wq.Query]:
    """Field filters (``{"country": "KEN", "year": "2015-2020", "right": "housing"}``) as queries.

    A value may be a list (any of them). ``year`` and ``cycle`` take ``2015``,
    ``2015-2020``, ``2015-`` or ``-2020``.
    """
    out: list[wq.Query] = []
    known = _known_fields(target)
    for key, raw in (filters or {}).items():
        if raw is None:
            continue
        check_not_empty(key, raw)
        if isinstance(raw, (tuple, list)) and not raw:
            continue
        field = known.get(key.lower())
        if field is None:
            if target == "paragraphs" and key.lower() in _known_fields("recommendations"):
                raise QueryError(f"filter {key!r} applies to recommendations only, not to paragraph search; "
                                 f"paragraph filters: {', '.join(_aliases(target))}")
            raise QueryError(f"unknown filter {key!r}; filters: {', '.join(_aliases(target))}")
        values = filter_items(raw)
        alts: list[wq.Query] = []
        for value in values:
            value = str(value).strip()
            if not value:
                continue
            if field in ("response", *_REGION_FIELDS) and (none := _no_response(value, field)) is not None:
                alts.append(none)
                continue
            if field in _NUMERIC:
                alts.append(wq.NumericRange(field, *numeric_span(field, value)))
                continue
            if field == "session" and (span := session_span(value)) is not None:
                alts.append(wq.TermRange("session", *(None if v is None else str(v) for v in span)))
                continue  # read as numbers by resolve() (session:[9 TO 12])
            if field in ("text", "heading"):
                alts.append(parse_query(f"{field}:({value})" if " " not in value else f'{field}:"{value}"',
                                        target))
                continue
            lowered = value.lower() if field != "date" else value
            if lowered.endswith("*"):  # a prefix: "tax*" finds taxation and tax_abuse
                stem = re.sub(r"[\s\-]+", "_", lowered.rstrip("*")) if field in _LABEL_FIELDS else lowered.rstrip("*")
                alts.append(wq.Prefix(field, stem))
                continue
            if "," in value and field not in ("date",) and not (
                    field in ("country", "state") and _country_terms(value) != [lowered]):
                # "--country Slovenia,Kenya" ("Iran, Islamic Republic of" is one State)
                shown = " ".join(f"--{key} {v.strip()}" for v in value.split(",") if v.strip())
                raise QueryError(f"{key} filter '{value}': one value each; give several as a list "
                                 f"({shown})")
            terms = (_rewrite_value(field, value if field in _REGION_FIELDS else lowered)
                     if field not in ("symbol", "date") else [lowered])
            typed = (value, False) if field in ("country", "state") else None
            alts.extend(_term(field, t, typed) for t in terms)
        if alts:
            out.append(alts[0] if len(alts) == 1 else wq.Or(alts))
    return out
