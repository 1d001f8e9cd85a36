"""UPR working-group reports and their addenda.

:func:`extract_report` reads a working-group report (A/HRC/<session>/<n>) and
returns every recommendation of its "Conclusions and/or recommendations"
section as :class:`~rightsindex.records.Recommendation` records with:

- ``paragraph``: the item number as printed (``115.47``); cycle-1 items
  numbered ``1.``, ``2.`` under a parent paragraph get ``<parent>.<n>``
  (``83.1``), and recommendations that a cycle-1 report lists only by reference
  to the interactive dialogue get the dialogue paragraph (``27 (b)``);
- ``part``: 0 when the item is one recommendation; 1, 2, ... when one item
  carries several recommendations each with its own States (``... (France);
  ... (Chile)``) or a 2009-2010 slash chain (``joining (Algeria)/sign and
  ratify (Egypt) ... the Convention``, where the shared ending belongs to each
  verb);
- ``text`` without the trailing list of States; ``recommending_states`` (UN
  short names where the name is known, else as written) and
  ``recommending_codes`` (ISO alpha-3 of the names that are known);
- ``response`` from the grouping of cycle-1 reports ("enjoy the support" ->
  supported, "did not enjoy the support" / "noted" -> noted, "will be examined"
  -> pending), None where the report states none; ``page``: where the
  recommendation's own words start (a part, or a lettered item of a dialogue
  paragraph, printed on the page after its item's or paragraph's first line
  gets that later page).

:func:`extract_addendum` reads the State's views (A/HRC/.../Add.1) and returns
``(report_symbol, paragraph, response)`` triples in ``Extraction.responses``.

Both fill the Document fields they can read (State under review, session,
cycle, date, year, symbol) when the given Document lacks them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rightsindex.ingest import countries
from rightsindex.ingest._base import Extraction
from rightsindex.records import Document, Page, Paragraph, Recommendation

__all__ = ["extract_report", "extract_addendum", "extract", "split_recommendation", "cycle_of_session"]

SECTION = "Conclusions and/or recommendations"

# ------------------------------------------------------------------ text helpers

_DASH = "\u2013\u2014\u2010\u2011-"


def _join(texts: Sequence[str]) -> str:
    """Join the lines of a block: a hyphen or slash at a line end joins without a space."""
    return _join_paged([(t, 0) for t in texts])[0]


def _join_paged(lines: Sequence[tuple[str, int]]) -> tuple[str, list[tuple[int, int]]]:
    """:func:`_join` of ``(text, page)`` lines, with ``(offset, page)`` where each line starts
    in the joined text (for :func:`_page_at`)."""
    out = ""
    starts: list[tuple[int, int]] = []
    for t, page in lines:
        t = " ".join(t.split())
        if not t:
            continue
        if out and not (re.search(r"[A-Za-z]-$", out) or out.endswith("/") or t.startswith("/")):
            out += " "
        starts.append((len(out), page))
        out += t
    return out, starts


def _page_at(starts: Sequence[tuple[int, int]], offset: int) -> int | None:
    """The page of the character at ``offset`` of a text joined by :func:`_join_paged`."""
    k = bisect.bisect_right([o for o, _ in starts], offset) - 1
    return starts[max(k, 0)][1] if starts else None


def _clean_text(text: str) -> str:
    """Collapse spaces; drop leading separators ('/', ';', 'and') and trailing punctuation."""
    s = " ".join(text.split())
    s = re.sub(r"^[\s/;,:.]+", "", s)
    s = re.sub(r"^(?:and|or)\s+", "", s)
    s = re.sub(r"\s+([,;.])", r"\1", s)
    return s.rstrip(" .;,:")


def _capitalise(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _groups(text: str) -> list[tuple[int, int]]:
    """(start, end) of every top-level parenthesised group (end exclusive)."""
    out = []
    depth = 0
    start = -1
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                out.append((start, i + 1))
    return out


def _states_of(content: str) -> list[str] | None:
    """The States listed in a parenthesis, or None if it is not a list of States."""
    names = countries.split_states(content)
    if not names:
        return None
    if all(countries.lookup(n) for n in names):
        return names
    return None


def _canonical(names: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Today's UN names of the States ``names`` writes, their ISO codes, and the names as
    written (one per State, in the same order)."""
    states: list[str] = []
    codes: list[str] = []
    written: list[str] = []
    for n in names:
        hit = countries.lookup(n)
        name = hit[0] if hit else n
        if name not in states:
            states.append(name)
            written.append(" ".join(n.split()))
        if hit and hit[1] not in codes:
            codes.append(hit[1])
    return tuple(states), tuple(codes), tuple(written)


def _continue(chain: list[_Part], parts: list[_Part], piece: str, states: list[str], start: int = 0) -> None:
    """Text that goes on a recommendation for some of its States: 'Ratify (France) as soon as
    possible (Chile)', '... criminalise domestic violence (Malaysia; Italy; Mexico), ensuring ... (Italy)'.
    A part made here for States that join starts at ``start``, the offset of ``piece``."""
    if not chain:
        return
    base = chain[-1].text  # the recommendation so far, before this piece
    wanted = set(states)
    for p in list(chain):
        common = [s for s in p.states if s in wanted]
        if not common:
            continue
        if len(common) == len(p.states):
            p.text = p.text + " " + piece
        else:  # only some of the part's States said more: they get their own part
            q = _Part(p.text + " " + piece, common, p.start)
            p.states = [s for s in p.states if s not in wanted]
            parts.insert(parts.index(p) + 1, q)
            chain.insert(chain.index(p) + 1, q)
    known = {s for p in chain for s in p.states}
    new = [s for s in states if s not in known]
    if new:  # States that join here: the recommendation so far, plus this piece
        q = _Part(base + " " + piece, new, start)
        parts.insert(parts.index(chain[-1]) + 1, q)
        chain.append(q)


def _takers(chain: list[_Part]) -> list[_Part]:
    """The links of a chain that take its shared ending: every one ('the shared ending
    belongs to each verb'), also 'reconsider its stance' before 'the Declaration'."""
    return chain


def _attach(head: str, ending: str) -> str:
    """A chain link plus the shared ending: 'sign and ratify' + 'of the Convention' drops the 'of'
    that belonged to another link's noun ('consider the ratification of the Convention')."""
    head = head.rstrip()
    last = head.split()[-1].lower() if head.split() else ""
    if re.match(r"^of\s", ending) and not re.search(r"(?:tion|sion|ity|ment|ance|ence|al|ure|s)$", last):
        ending = ending[3:]
    return head + " " + ending


@dataclass
class _Part:
    text: str
    states: list[str] = field(default_factory=list)
    start: int = 0  # offset in the item's text of the words that made this part


def split_recommendation(text: str) -> list[tuple[str, list[str]]]:
    """Split the text of one numbered item into recommendations with their States.

    Returns ``[(text, states)]``: one entry for an item with one list of States
    at its end, several for ``... (France); ... (Chile)`` and slash chains.
    """
    return [(t, states) for t, states, _ in _split_located(text)]


def _split_located(text: str) -> list[tuple[str, list[str], int]]:
    """:func:`split_recommendation` with, for each recommendation, the offset in ``text``
    (whitespace collapsed) of its own words: the first word after the States of the part
    before it, so that a part printed on the next page gets that page."""
    text = " ".join(text.split())
    spans = []
    for a, b in _groups(text):
        states = _states_of(text[a + 1 : b - 1])
        if states:
            spans.append((a, b, states))
    if not spans:
        return [(_clean_text(text), [], 0)]
    pieces = [text[: spans[0][0]]]
    offsets = [0] + [b for _, b, _ in spans]  # where each piece starts
    for k in range(len(spans)):
        nxt = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        pieces.append(text[spans[k][1] : nxt])
    tail = pieces[-1]
    if len(spans) == 1 and not re.search(r"\w", tail):
        first_word = re.search(r"\w", pieces[0])
        return [(_clean_text(pieces[0]), spans[0][2], first_word.start() if first_word else 0)]

    parts: list[_Part] = []
    chain: list[_Part] = []
    links = 0  # slash or comma links in the current chain
    shared_applied = False
    # a chain of modifiers of one recommendation: "be involved in the process (Netherlands),
    # in a thorough and timely (Denmark), meaningful and participatory (Philippines) manner"
    modifiers: list[_Part] = []
    mod_lead = ""  # the modifiers' shared opening words ("in a")
    prefix = ""  # "Continue its efforts: for X (Oman); in Y (Viet Nam)"
    for k, (_, _, states) in enumerate(spans):
        seg = pieces[k]
        first_word = re.search(r"\w", seg)
        start = offsets[k] + (first_word.start() if first_word else 0)
        lead = seg.lstrip()
        if k == 0:
            kind = "new"
            m = re.match(r"^(.{3,80}?):\s+(\S.*)$", seg.strip())
            if m and m.group(2)[:1].islower():
                prefix = m.group(1).strip() + " "
                seg = m.group(2)
        elif lead.startswith("/"):
            kind = "chain"
        elif lead.startswith(",") and lead[1:].strip()[:1].islower():
            first = lead[1:].split()[0] if lead[1:].split() else ""
            known = {s for p in chain for s in p.states}
            m_mod = _MODIFIER.match(lead[1:].strip())
            if chain and (m_mod or (modifiers and _parallel_modifier(lead[1:].strip()))):
                kind = "modifier"
                if m_mod:  # a new modifier: the ones before it are complete
                    mod_lead = m_mod.group(0).strip()
                    modifiers = []
            elif first.endswith("ing") and set(states) <= known:
                kind = "cont"  # "... (Italy), ensuring to victims ... (Italy)": more of Italy's recommendation
            else:
                kind = "chain"  # comma chains: "Reconsider its stance (Denmark), endorse (Norway) ..."
        elif lead[:1] in ";,.":
            kind = "new"
        elif modifiers and re.match(r"(?:and|or)\s+[a-z]", lead) and _parallel_modifier(lead.split(None, 1)[1]):
            kind = "modifier"  # "in a transparent (Peru) and participatory (Spain) manner"
            seg = lead.split(None, 1)[1]
        else:
            kind = "cont"
        if kind == "new" and parts and not re.search(r"\w", seg):
            # "(Cyprus); (Denmark); (Republic of Korea)": more States of the same recommendation
            for st in states:
                if st not in parts[-1].states:
                    parts[-1].states.append(st)
            continue
        if kind == "new":
            body = _clean_text(seg)
            if k > 0 and prefix and body[:1].islower():
                body = prefix + body
            elif k == 0 and prefix:
                body = prefix + body
            part = _Part(body, list(states), start)
            parts.append(part)
            chain = [part]
            links = 0
            shared_applied = False
            modifiers = []
        elif kind == "modifier":
            words = _clean_text(seg)
            if not _MODIFIER.match(words) and mod_lead:
                words = f"{mod_lead} {words}"
            part = _Part(f"{_clean_text(chain[0].text)}, {words}", list(states), start)
            parts.append(part)
            modifiers.append(part)
        elif kind == "chain":
            part = _Part(_clean_text(seg), list(states), start)
            parts.append(part)
            chain.append(part)
            links += 1
            shared_applied = False
        else:  # continuation
            piece = " ".join(seg.split())
            if modifiers:
                head = _clean_text(chain[0].text)
                known = {s for p in parts for s in p.states}
                new_states = [s for s in states if s not in known]
                if new_states and re.match(r"(?:and|or)\s", piece):
                    # "... in a timely manner (Mexico) and implement it fully (Chile)": Chile's own
                    # recommendation continues the head, not Mexico's modifier
                    parts.append(_Part(f"{head} {piece}", new_states, start))
                    modifiers = []
                    continue
                # "manner and, in the implementation of the review (United Kingdom)": the words
                # before "and," end every open modifier; what follows is one more modifier
                rest = _close_modifiers(modifiers, piece)
                if new_states:
                    parts.append(_Part(f"{head}, {rest}" if rest else f"{head} {piece}", new_states, start))
                modifiers = []
                continue
            if links and not shared_applied:
                for p in _takers(chain):
                    p.text = _attach(p.text, piece)
                shared_applied = True
                known = {s for p in chain for s in p.states}
                extra = [s for s in states if s not in known]
                if extra:
                    chain[-1].states.extend(extra)
            else:
                _continue(chain, parts, piece, states, start)
    if re.search(r"[A-Za-z]{2}", tail):
        piece = " ".join(tail.split())
        if modifiers:
            _close_modifiers(modifiers, piece)
        elif len(chain) >= 2 and not shared_applied:
            for p in _takers(chain):
                p.text = _attach(p.text, piece)
        elif parts:
            parts[-1].text = parts[-1].text + " " + piece
    _share_object(parts)
    out = []
    for p in parts:
        t = _capitalise(_clean_text(p.text))
        if t:
            out.extend((alt, alt_states, p.start) for alt, alt_states in _alternatives(t, p.states))
    return out or [(_clean_text(text), [], 0)]


def _close_modifiers(modifiers: list[_Part], piece: str) -> str:
    """End the open modifiers with ``piece`` up to an ``and,`` ("manner and, in the
    implementation"): each takes those words; returns what follows the ``and``."""
    m_and = re.search(r",?\s+and,?\s+(?=[a-z])", piece)
    head, rest = (piece[: m_and.start()], piece[m_and.end():]) if m_and else (piece, "")
    head = head.strip(" ;,.")
    for p in modifiers:
        if head:
            p.text = f"{p.text} {head}"
    return rest.strip(" ;,.")


#: A comma link that opens a modifier of the recommendation before it, not a verb of its own.
_MODIFIER = re.compile(r"(?:in|with|through|by|within|without|under|at|on|for)\s+(?:a|an|the)\b", re.I)
#: Adjectives and adverbs that share a modifier's opening and closing words: "in a thorough and
#: timely (Denmark), meaningful and participatory (Philippines) manner".
_ADJECTIVE = re.compile(r"[a-z]+(?:ful|ive|ous|al|ic|ible|able|ly|ory|ary|ent|ant|ed|less|ing|ular|ate)$")
#: Verbs with an adjective's ending, which open a recommendation of their own.
_NOT_ADJECTIVE = frozenset({
    "implement", "prevent", "present", "represent", "supplement", "complement", "document", "comment",
    "augment", "orient", "consent", "invent", "ensuring", "including", "bring", "accelerate", "eliminate",
    "facilitate", "investigate", "incorporate", "integrate", "participate", "separate", "create",
    "cooperate", "apply", "rally", "ally",
})


def _parallel_modifier(link: str) -> bool:
    """``meaningful and participatory``: a short run of adjectives that takes the open
    modifiers' opening and closing words; not ``adopt a national plan``, a recommendation."""
    words = link.split()
    if not 1 <= len(words) <= 4:
        return False
    adjectives = [w for w in words if w not in ("and", "or", "more", "fully")]
    return bool(adjectives) and all(
        _ADJECTIVE.match(w) and w not in _NOT_ADJECTIVE for w in (a.lower().strip(",;") for a in adjectives)
    )


_DANGLING_END = re.compile(
    r"(?:\w+ing|to|of|ratify|sign|accede|adhere|join|endorse|support|implement|withdraw|party|"
    r"ratification|accession|signature)$",
    re.I,
)


def _dangles(text: str) -> bool:
    """A short verb phrase without its object: 'consider ratifying', 'accede to'."""
    t = _clean_text(text)
    return 0 < len(t.split()) <= 6 and bool(_DANGLING_END.search(t))


def _object_of(text: str) -> str | None:
    """The object of a verb phrase: from its first article, capitalised word or acronym on."""
    words = _clean_text(text).split()
    for i, w in enumerate(words[1:], start=1):
        if w.lower() in ("the", "a", "an") or w[:1].isupper():
            return " ".join(words[i:])
    return None


def _share_object(parts: list[_Part]) -> None:
    """In 'Consider ratifying (Jordan)/ratify as soon as possible ICRPD (Chile, China)', the
    dangling links take the object of the chain's last link."""
    if len(parts) < 2:
        return
    last = parts[-1]
    obj = _object_of(last.text)
    if not obj:
        return
    shared = False
    for p in parts[:-1]:
        if _dangles(p.text) and obj not in p.text and not last.text.startswith(_clean_text(p.text) + ","):
            p.text = _clean_text(p.text) + " " + obj
            shared = True
    earlier = {s for p in parts[:-1] for s in p.states}
    if shared and earlier < set(last.states):
        # "(Mexico)/adhere to ... (Mexico, Brazil)": the last list repeats the chain's States
        last.states = [s for s in last.states if s not in earlier]


def _alternatives(text: str, states: list[str]) -> list[tuple[str, list[str]]]:
    """'Analyse ... ratifying/consider ratifying/ratify ICCPR (Argentina, Brazil, Austria)':
    as many short alternatives as States, in the same order, sharing the last one's object."""
    alts = [a.strip() for a in text.split("/")]
    if len(alts) < 2 or len(alts) != len(states) or "(" in text:
        return [(text, states)]
    if any(len(a.split()) > 8 or not a for a in alts[:-1]) or len(alts[-1].split()) < 2:
        return [(text, states)]
    obj = alts[-1].split(None, 1)[1]
    out = [(_capitalise(f"{a} {obj}"), [st]) for a, st in zip(alts[:-1], states[:-1])]
    out.append((_capitalise(alts[-1]), [states[-1]]))
    return out


# ------------------------------------------------------------------ document metadata

_ORD = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split()
)}


def _ordinal(word: str) -> int | None:
    w = word.lower().replace("\u2010", "-")
    if w in _ORD:
        return _ORD[w]
    m = re.match(r"^(\d+)(?:st|nd|rd|th)$", w)
    if m:
        return int(m.group(1))
    if "-" in w:
        a, b = w.split("-", 1)
        if a in _TENS and b in _ORD:
            return _TENS[a] + _ORD[b]
    if w.endswith("ieth"):
        base = w[:-4] + "y"
        return _TENS.get(base)
    return None


def cycle_of_session(wg_session: int) -> int:
    """UPR cycle of a Working Group session (1-12: 1, 13-26: 2, 27-40: 3, then 4)."""
    if wg_session <= 12:
        return 1
    if wg_session <= 26:
        return 2
    if wg_session <= 40:
        return 3
    return 4


def _symbol_from_headers(pages: Sequence[Page]) -> str | None:
    for page in pages[:3]:
        for h in page.headers:
            m = re.match(r"^(A/HRC/\d+/\d+(?:/Add\.\d+)?)\**$", h.replace(" ", ""))
            if m:
                return m.group(1)
    for page in pages[:1]:
        for ln in page.lines[:12]:
            m = re.search(r"\b(A/HRC/\d+/\d+(?:/Add\.\d+)?)\b", ln.text.replace(" ", ""))
            if m:
                return m.group(1)
    return None


def _read_metadata(pages: Sequence[Page], document: Document) -> Document:
    """Fill the Document fields the first pages state, keeping those already set."""
    changes: dict = {}
    if not pages:
        return document
    if not document.symbol:
        sym = _symbol_from_headers(pages)
        if sym:
            changes["symbol"] = sym
    first = pages[0]
    texts = [ln.text.strip() for ln in first.lines]
    if not document.date:
        for t in texts[:15]:
            m = re.match(r"^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$", t)
            if m and m.group(2).lower() in _MONTHS:
                d = f"{int(m.group(3)):04d}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
                changes["date"] = d
                if not document.year:
                    changes["year"] = int(m.group(3))
                break
    if not document.country:
        for i, t in enumerate(texts):
            if re.match(r"^Report of the Working Group on the Universal\b", t, re.I):
                for nxt in texts[i + 1 : i + 5]:
                    cand = nxt.rstrip("*\u2217 ").strip()
                    hit = countries.lookup(cand)
                    if hit:
                        changes["country"], changes["country_code"] = hit
                        break
                break
    # the Working Group's session ("held its twelfth session"), as UPR Info and the UPR's own
    # documents (A/HRC/WG.6/12/...) count them, not the Council session of the report's symbol
    for page in pages[:4]:
        text = _join([ln.text for ln in page.lines])
        m = re.search(r"held its ([A-Za-z\-\u2010]+|\d+(?:st|nd|rd|th)) session", text)
        if m:
            n = _ordinal(m.group(1))
            if n:
                changes["session"] = str(n)
                if not document.cycle:
                    changes["cycle"] = cycle_of_session(n)
            break
    if document.body is None:
        changes["body"] = "UPR"
    return document.replace(**changes) if changes else document


# ------------------------------------------------------------------ report structure

_CONCL = re.compile(r"^(?:[IVX]+\.\s*)?conclusions\s+and\s*/\s*or\s+recommendations\b", re.I)
_END = re.compile(
    r"^(?:(?:III|IV|V)\.\s+\S|Annexe?s?\b|ANNEX\b|Composition of the delegation|"
    r"VOLUNTARY\s+(?:COMMITMENTS|PLEDGES)|Voluntary\s+(?:commitments|pledges))"
)
_ALL_CONCL = re.compile(r"^all conclusions and\s*/\s*or recommendations", re.I)
_PARENT_START = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
# "101.100.Continue": long numbers may touch their text after the final dot
_ITEM_DOTTED = re.compile(r"^(\d{1,3})\.(\d{1,3})(?:\.\s*|\s+)(\S.*)$")
_REF_LEADS = re.compile(
    r"^(?:The|In the course|All conclusions|One recommendation|Recommendations?|These|Other|"
    r"[A-Z][a-z]+ (?:considers|rejects|accepts|supports))"
)


@dataclass
class _Block:
    kind: str  # parent | item
    number: str
    page: int
    lines: list[str]
    parent: str | None = None
    seq: int = 0
    line_pages: list[int] = field(default_factory=list)  # the page of each line

    def __post_init__(self) -> None:
        if len(self.line_pages) < len(self.lines):
            self.line_pages += [self.page] * (len(self.lines) - len(self.line_pages))

    def add(self, text: str, page: int) -> None:
        self.lines.append(text)
        self.line_pages.append(page)

    @property
    def text(self) -> str:
        return _join(self.lines)

    @property
    def paged(self) -> tuple[str, list[tuple[int, int]]]:
        """The text with the page where each line starts (:func:`_join_paged`)."""
        return _join_paged(list(zip(self.lines, self.line_pages, strict=True)))


def _flat_lines(pages: Sequence[Page]) -> list[tuple[str, int]]:
    return [(ln.text, page.number) for page in pages for ln in page.lines]


def _find_section(lines: list[tuple[str, int]]) -> tuple[int, int] | None:
    start = None
    for i, (t, _) in enumerate(lines):
        if _CONCL.match(t.strip()) and ".." not in t and not re.search(r"\d+\s*$", t.strip("* ")):
            start = i + 1
            break
    if start is None:
        return None
    end = len(lines)
    for j in range(start, len(lines)):
        t = lines[j][0].strip()
        if _END.match(t):
            end = j
            break
    return start, end


def _blocks(lines: list[tuple[str, int]]) -> list[_Block]:
    blocks: list[_Block] = []
    parent: _Block | None = None
    last_item = 0
    dotted = any(
        _ITEM_DOTTED.match(t.strip()) for t, _ in lines[:400]
    )
    for text, page in lines:
        t = text.strip()
        if not t:
            continue
        md = _ITEM_DOTTED.match(t) if dotted else None
        if md and parent is not None and md.group(1) == parent.number and int(md.group(2)) > last_item \
                and int(md.group(2)) <= last_item + 5:
            last_item = int(md.group(2))
            blocks.append(_Block("item", f"{md.group(1)}.{md.group(2)}", page, [md.group(3)], parent.number))
            continue
        mp = _PARENT_START.match(t)
        if mp:
            n = int(mp.group(1))
            is_next_parent = parent is None or n == int(parent.number) + 1 or (
                int(parent.number) + 1 < n <= int(parent.number) + 3 and bool(_REF_LEADS.match(mp.group(2)))
            )
            is_next_item = (not dotted) and parent is not None and n == last_item + 1
            if is_next_parent and (not is_next_item or _REF_LEADS.match(mp.group(2))):
                parent = _Block("parent", str(n), page, [mp.group(2)])
                blocks.append(parent)
                last_item = 0
                continue
            if is_next_item:
                last_item = n
                blocks.append(_Block("item", f"{parent.number}.{n}", page, [mp.group(2)], parent.number))
                continue
        if blocks:
            blocks[-1].add(t, page)
    return blocks


#: A paragraph after a list saying the State's responses come later.
_LATER = re.compile(r"\bresponses?\b.{0,120}?\bwill be included in the outcome report", re.I | re.S)


def _parent_responses(blocks: Sequence[_Block]) -> dict[str, str | None]:
    """The response each list's opening paragraph states (:func:`_response_of`), up to the
    closing "All conclusions" paragraph. A list that states none is ``pending`` when the next
    paragraph says "The response of X to these recommendations will be included in the outcome
    report"; that paragraph opens no list of its own."""
    responses: dict[str, str | None] = {}
    last: str | None = None
    for block in blocks:
        if block.kind != "parent":
            continue
        if _ALL_CONCL.match(block.text):
            break
        if last is not None and responses[last] is None and _LATER.search(block.text):
            responses[last] = "pending"
            continue
        last = block.number
        responses[last] = _response_of(block.text)
    return responses


def _response_of(parent_text: str) -> str | None:
    t = parent_text.lower()
    if re.search(r"did not (?:enjoy|receive) the support|not (?:been )?accepted|were rejected|"
                 r"do(?:es)? not (?:enjoy|accept|support)|not supported", t):
        return "noted"
    if re.search(r"partially", t):
        return "partially supported"
    if re.search(r"enjoys? (?:the |its )?support|(?:have|has) been accepted|are accepted|were accepted|"
                 r"accepts? the following|supports? the following", t):
        return "supported"
    if re.search(r"\bnoted\b|\btakes? note\b|\bnotes\b", t):
        return "noted"
    if re.search(r"will be examined|will examine|will provide (?:its )?responses|to be examined|"
                 r"further consideration|will consider", t):
        return "pending"
    return None


# ------------------------------------------------------------------ cycle-1 references to the dialogue

_REF_ZONE = re.compile(r"paragraphs?\s+(.+?)\s+(?:above\s+)?(?:did not|do not|does not|enjoy|will|are|were|have)\b",
                       re.I | re.S)


def _parse_refs(text: str) -> list[tuple[int, str | None]]:
    """'paragraphs 27 (b), (c), 28 (a), 31, 38' -> [(27,'b'), (27,'c'), (28,'a'), (31,None), (38,None)]."""
    m = _REF_ZONE.search(text)
    if not m:
        return []
    zone = re.sub(r"\([^()]{3,}\)", " ", m.group(1))  # "(to put an end to ...)"
    refs: list[tuple[int, str | None]] = []
    current: int | None = None
    letters: list[str] = []

    def flush() -> None:
        if current is None:
            return
        if letters:
            refs.extend((current, x) for x in letters)
        else:
            refs.append((current, None))

    for tok in re.finditer(r"\(([a-z])\)|(\d{1,3})", zone):
        if tok.group(2):
            flush()
            current = int(tok.group(2))
            letters = []
        else:
            letters.append(tok.group(1))
    flush()
    return refs


def _dialogue_paragraphs(
    lines: list[tuple[str, int]], end: int
) -> dict[int, tuple[str, list[tuple[int, int]]]]:
    """Numbered paragraphs (1., 2., ... in sequence) before the conclusions section, each with
    the page where each of its lines starts (:func:`_join_paged`)."""
    paras: dict[int, list[tuple[str, int]]] = {}
    expected = 1
    current: int | None = None
    for text, page in lines[:end]:
        t = text.strip()
        m = _PARENT_START.match(t)
        if m and int(m.group(1)) == expected:
            current = expected
            paras[current] = [(m.group(2), page)]
            expected += 1
            continue
        if current is not None and not _is_heading_like(t):
            paras[current].append((t, page))
    return {n: _join_paged(ls) for n, ls in paras.items()}


def _is_heading_like(t: str) -> bool:
    return bool(re.match(r"^(?:[IVX]+\.|[A-H]\.)\s+[A-Z]", t))


_LETTER = re.compile(r"(?:(?<=[\s:;,(])|^)\(?([a-z])\)\s*(?=\S)")
_SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9)\]”\"])\.\s+(?=[A-Z])")
_ABBREV = {"e.g", "i.e", "mr", "ms", "mrs", "dr", "no", "nos", "art", "para", "st", "op", "inc", "vs"}


def _sentence_ends(text: str) -> list[re.Match[str]]:
    """Sentence ends ('. ' before a capital), not after abbreviations or initials."""
    out = []
    for m in _SENTENCE_END.finditer(text):
        word = re.search(r"(\S+)$", text[: m.start()])
        w = word.group(1).lower() if word else ""
        if w in _ABBREV or re.fullmatch(r"[a-z]", w) or w.endswith(("e.g", "i.e")):
            continue
        out.append(m)
    return out


def _sentences(text: str) -> list[str]:
    out, pos = [], 0
    for m in _sentence_ends(text):
        out.append(text[pos : m.start() + 1])
        pos = m.end()
    out.append(text[pos:])
    return out


def _mentions(text: str) -> list[tuple[int, str, str]]:
    """Country names mentioned in a text: (position, name, code)."""
    return [(m.start(), *hit) for m in _country_regex().finditer(text)
            if (hit := countries.lookup(m.group(0))) is not None]


_COUNTRY_RE: list[re.Pattern[str]] = []


def _country_regex() -> re.Pattern[str]:
    if not _COUNTRY_RE:
        import json
        from importlib import resources

        raw = json.loads(resources.files("rightsindex.ingest").joinpath("countries.json").read_text("utf-8"))
        names = set()
        for row in raw:
            for n in [row["name"], *row.get("variants", [])]:
                if len(n) > 3 and not n.isupper():
                    names.add(n.replace("'", "['\u2019]"))
        alts = sorted(names, key=len, reverse=True)
        pattern = r"\b(?:" + "|".join(re.escape(a).replace(re.escape("['\u2019]"), "['\u2019]") for a in alts) + r")\b"
        _COUNTRY_RE.append(re.compile(pattern))
    return _COUNTRY_RE[0]


def _strip_addressee(text: str, sur_name: str) -> str:
    """'that China (should) consider ...' -> 'consider ...'."""
    s = text.strip(" :;,")
    for _ in range(3):
        before = s
        s = re.sub(r"^(?:to\s+)?(?:that\s+)", "", s)
        s = re.sub(rf"^(?:the\s+)?(?:{re.escape(sur_name)}|Government(?: of \w+)?|Chinese authorities|authorities|it)\b[:,]?\s*", "", s) if sur_name else s
        s = re.sub(r"^(?:should\s+)", "", s)
        if s == before:
            break
    return s


#: A lettered item that only points back at the words before it: "(e) it do so", "to do the same".
_ANAPHOR = re.compile(
    r"^(?:(?:it|they)\s+)?(?:(?:to|also|should|continue\s+to)\s+)*do\s+(?:so|the\s+same|likewise)$", re.I
)
#: Words before a letter that leave a phrase open: "to adhere to both the (b) Rome Statute of the ICC".
_OPEN_END = re.compile(r"\b(?:the|a|an|both|either|of|to|for|with|on|in|into)$", re.I)


def _open_words(before: str) -> str:
    """The open phrase a letter interrupts, from its last clause break: 'to ratify the ICCPR and to
    adhere to both the' -> 'to adhere to both the'; 'recommended that China ratify the' -> 'ratify the'."""
    cut = 0
    for m in re.finditer(r"(?:[;:,]|\b(?:and|or)\b|\brecommend(?:ed|s)?(?:\s+that)?\b)\s*", before):
        cut = m.end()
    return before[cut:].strip()


def _with_opening(opening: str, item: str) -> str:
    """An interrupted phrase plus one item of its list: 'to adhere to both the' + 'the OP-CAT' ->
    'to adhere to the OP-CAT' ('both' and 'either' belong to the list, not to one item; one article)."""
    opening = re.sub(r"\s*\b(?:both|either)\b(?=(?:\s+(?:the|a|an))?$)", "", opening)
    if re.match(r"(?:the|a|an)\s", item, re.I):
        opening = re.sub(r"\s*\b(?:the|a|an)$", "", opening, flags=re.I)
    return _clean_text(f"{opening} {item}")


def _dialogue_recommendations(
    text: str, sur_code: str | None
) -> tuple[str | None, list[tuple[str | None, str, int]]]:
    """The recommending State of a dialogue paragraph and its recommendations
    ``[(letter, text, offset)]``, ``offset`` being where the recommendation's own words start in
    ``text`` (after its letter), so that its page is the page of those words.

    Lettered recommendations ``(a) ...; (b) ...`` may run across sentences;
    each ends at the next letter or at the end of its sentence. Sentences
    that recommend something without letters give one recommendation each.
    An item that cannot be read alone keeps the report's words before it: a letter
    inside a phrase (``to adhere to both the (b) Rome Statute of the ICC and (c) the
    OP-CAT``) gives each item the phrase's opening words, and an anaphor (``...
    China intends to resume this dialogue and recommended that (e) it do so``) its sentence.
    """
    state = None
    for _, name, code in _mentions(text):
        if code != sur_code:
            state = name
            break
    sur_name = (countries.from_code(sur_code) or "").split(" (")[0] if sur_code else ""
    first = re.search(r"\brecommend(?:ed|s|ing)?\b", text)
    if not first:
        return state, []
    zone_start = first.start()
    zone = text[zone_start:]
    marks = []
    expect = "a"
    for lm in _LETTER.finditer(zone):
        if lm.group(1) == expect:
            marks.append(lm)
            expect = chr(ord(expect) + 1)
    recs: list[tuple[str | None, str, int]] = []
    covered: list[tuple[int, int]] = []
    raws: list[str] = []  # each lettered item's words as printed
    opening = ""  # the open words a letter interrupted, shared by the items that follow with "and"
    for i, lm in enumerate(marks):
        stop = marks[i + 1].start() if i + 1 < len(marks) else len(zone)
        piece = zone[lm.end():stop]
        ends = _sentence_ends(piece)
        if ends:
            piece = piece[: ends[0].start()]
        covered.append((lm.start(), lm.end() + len(piece)))
        piece = re.sub(r"(?:[;,]\s*)?(?:and\s*)?$", "", piece.strip())
        piece = re.sub(r"\s+(?:it\s+)?(?:further\s+|also\s+)?recommended(?:\s+that\s+\w+)?$", "", piece)
        item = _clean_text(_strip_addressee(piece, sur_name))
        before = zone[marks[i - 1].end() if i else 0 : lm.start()].rstrip()
        if _OPEN_END.search(before):
            # "(a) to ratify the ICCPR and to adhere to both the (b) Rome Statute": the words that
            # the letter interrupts open this item, and no longer end the item before
            opening = _strip_addressee(_open_words(before), sur_name)
            if i and opening and recs[-1][0] == marks[i - 1].group(1):
                rest = raws[-1][: len(raws[-1]) - len(opening)] if raws[-1].endswith(opening) else raws[-1]
                rest = re.sub(r"(?:[;,]\s*)?(?:\s(?:and|or)\s*)?$", "", rest.strip())
                if rest:
                    recs[-1] = (recs[-1][0], _clean_text(_strip_addressee(rest, sur_name)), recs[-1][2])
            item = _with_opening(opening, item) if opening else item
        elif opening and re.search(r"(?:,|\band|\bor)$", before):
            item = _with_opening(opening, item)  # "(b) Rome Statute of the ICC and (c) the OP-CAT"
        else:
            opening = ""
        if _ANAPHOR.match(item):
            # "... understands that China intends to resume this dialogue and recommended that (e) it
            # do so": the item says nothing alone; it keeps its sentence, in the report's words
            mark = zone_start + lm.start()
            since = zone_start + covered[-2][1] if i else 0
            ends = _sentence_ends(text[:mark])
            lead_start = ends[-1].end() if ends else 0
            if len(text[max(lead_start, since):mark].split()) >= 3:
                lead_start = max(lead_start, since)
            item = _clean_text(f"{text[lead_start:mark]} {piece}")
        raws.append(piece)
        recs.append((lm.group(1), item, zone_start + lm.end()))
    # sentences recommending something without letters
    pos = 0
    for sentence in _sentences(zone):
        s_start = zone.find(sentence, pos)
        pos = s_start + len(sentence)
        if any(a < pos and b > s_start for a, b in covered):
            continue
        m = re.search(r"\brecommend(?:ed|s|ing)?\b", sentence)
        if not m:
            continue
        after = m.end()
        body = _strip_addressee(sentence[after:], sur_name)
        if _ANAPHOR.match(_clean_text(body)):  # "It recommended that China do so": the whole sentence
            body, after = sentence, 0
        if len(body) > 8:
            at = sentence.find(body[:20], after)
            recs.append((None, _clean_text(body), zone_start + s_start + (at if at >= 0 else after)))
    return state, recs


# ------------------------------------------------------------------ public API


def _paragraphs(pages: Sequence[Page]) -> list[Paragraph]:
    try:
        from rightsindex.ingest import paragraphs as _para
    except ImportError:  # the shared paragraph segmenter is optional
        return []
    return list(_para.segment(pages))


def extract_report(pages: Sequence[Page], document: Document) -> Extraction:
    """Recommendations of a UPR working-group report (see the module docstring for the fields)."""
    pages = list(pages)
    document = _read_metadata(pages, document)
    if not document.document_type or document.document_type == "other":
        document = document.replace(document_type="upr_wg_report")
    lines = _flat_lines(pages)
    recs: list[Recommendation] = []
    span = _find_section(lines)
    if span is not None:
        start, end = span
        blocks = _blocks(lines[start:end])
        responses = _parent_responses(blocks)
        dialogue: dict[int, tuple[str, int]] | None = None
        referred: list[Recommendation] = []
        for block in blocks:
            if block.kind == "parent":
                ptext = block.text
                if _ALL_CONCL.match(ptext):
                    break
                refs = _parse_refs(ptext) if re.search(r"\bparagraphs?\s+\d", ptext) else []
                if refs:
                    if dialogue is None:
                        dialogue = _dialogue_paragraphs(lines, start)
                    referred.extend(_resolve_refs(refs, dialogue, responses.get(block.number), document))
                continue
            response = responses.get(block.parent or "")
            item_text, starts = block.paged
            parts = _split_located(item_text)
            single = len(parts) == 1
            for i, (text, names, offset) in enumerate(parts):
                states, codes, written = _canonical(names)
                recs.append(
                    Recommendation(
                        text=text,
                        paragraph=block.number,
                        part=0 if single else i + 1,
                        page=_page_at(starts, offset) or block.page,
                        recommending_states=states,
                        recommending_codes=codes,
                        recommending_as_written=written,
                        response=response,
                        response_source=document.symbol if response in ("supported", "noted", "partially supported") else None,
                        section=SECTION,
                    )
                )
        recs.extend(_new_only(referred, recs))
    return Extraction(document=document, paragraphs=_paragraphs(pages), recommendations=recs)


def _new_only(referred: list[Recommendation], listed: list[Recommendation]) -> list[Recommendation]:
    """Recommendations found by reference, minus those the lists already carry (same text and State)."""
    from rapidfuzz import fuzz

    def key(t: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", t.lower()).split())

    seen = [(key(r.text), set(r.recommending_codes)) for r in listed]

    def listed_already(text: str, codes: set[str]) -> bool:
        k = key(text)
        return any(fuzz.ratio(k, sk) >= 92 and (not codes or codes & sc) for sk, sc in seen)

    out = []
    for r in referred:
        codes = set(r.recommending_codes)
        if listed_already(r.text, codes):
            continue
        # "(d) consider X; adopt Y; and continue Z" where Y and Z are listed elsewhere: keep X
        subs = [x.strip() for x in re.split(r";\s*(?:and\s+)?", r.text) if x.strip()]
        if len(subs) > 1:
            dup = [listed_already(x, codes) for x in subs]
            if any(dup):
                rest = [x for x, d in zip(subs, dup) if not d]
                if not rest:
                    continue
                r = r.replace(text=_capitalise(_clean_text("; ".join(rest))))
        out.append(r)
    return out


def _resolve_refs(
    refs: list[tuple[int, str | None]],
    dialogue: dict[int, tuple[str, list[tuple[int, int]]]],
    response: str | None,
    document: Document,
) -> list[Recommendation]:
    out: list[Recommendation] = []
    cache: dict[int, tuple[str | None, list[tuple[str | None, str, int]]]] = {}
    for number, letter in refs:
        if number not in dialogue:
            continue
        text, starts = dialogue[number]
        if number not in cache:
            cache[number] = _dialogue_recommendations(text, document.country_code)
        state, items = cache[number]
        chosen = [item for item in items if letter is None or item[0] == letter]
        for k, (lt, tx, offset) in enumerate(chosen):
            if not tx:
                continue
            states, codes, written = _canonical([state] if state else [])
            label = f"{number} ({lt})" if lt else str(number)
            out.append(
                Recommendation(
                    text=_capitalise(tx),
                    paragraph=label,
                    part=0 if (lt or len(chosen) == 1) else k + 1,
                    page=_page_at(starts, offset),  # where the item's own words are, not the paragraph
                    recommending_states=states,
                    recommending_codes=codes,
                    recommending_as_written=written,
                    response=response,
                    response_source=document.symbol if response in ("supported", "noted") else None,
                    section=SECTION,
                )
            )
    return out


# ------------------------------------------------------------------ addenda

_NUMREF = re.compile(r"(\d{1,3}(?:\.\d{1,3})?)(?:\s*[\u2013\u2014\-]\s*(\d{1,3}(?:\.\d{1,3})?))?")


def _expand(refs_text: str) -> list[str]:
    """'1–5, 14–16, 20' -> ['1', ..., '5', '14', '15', '16', '20']; '115.1–115.3' likewise."""
    out: list[str] = []
    for m in _NUMREF.finditer(refs_text):
        a, b = m.group(1), m.group(2)
        if b is None:
            out.append(a)
            continue
        if "." in a:
            pa, na = a.split(".")
            nb = b.split(".")[-1]
            if nb.isdigit() and int(nb) >= int(na) and int(nb) - int(na) < 400:
                out.extend(f"{pa}.{i}" for i in range(int(na), int(nb) + 1))
            continue
        if int(b) >= int(a) and int(b) - int(a) < 400:
            out.extend(str(i) for i in range(int(a), int(b) + 1))
    return out


_RESP_VERB = re.compile(
    r"\b(accepts?|supports?|notes|takes? note of|rejects?|does not (?:accept|support)|cannot (?:accept|support)|"
    r"partially (?:accepts?|supports?))\b[^.]*?\brecommendations?\b\s*((?:(?:nos?\.|numbers?)\s*)?"
    r"\d[\d.,\s\u2013\u2014\-and]*)",
    re.I,
)


def _verb_response(verb: str) -> str:
    v = verb.lower()
    if v.startswith("partially"):
        return "partially supported"
    if v.startswith(("accept", "support")):
        return "supported"
    return "noted"


def extract_addendum(pages: Sequence[Page], document: Document) -> Extraction:
    """The State's positions on a report's recommendations, as (report_symbol, paragraph, response).

    Recognises the forms used in addenda: sentences that accept / note / reject
    recommendation numbers or ranges ("accepts the recommendations 1–5,
    14–16"), paragraph-by-paragraph lists ("115.3 Supported", "115.4 Noted"),
    and relative numbers resolved against the report paragraph they follow
    ("follow the list in paragraph 115"). The State's comment on a recommendation
    ("Rec. 18 We consider that this recommendation is implemented. ...") goes to
    ``Extraction.comments``.
    """
    pages = list(pages)
    document = _read_metadata(pages, document)
    report = document.responds_to
    if not report and document.symbol:
        m = re.match(r"^(.*?)/Add\.\d+$", document.symbol)
        if m:
            report = m.group(1)
    changes = {"responds_to": report}
    if not document.document_type or document.document_type == "other":
        changes["document_type"] = "upr_addendum"
    document = document.replace(**changes)

    body_lines = [ln.text for p in pages for ln in p.lines]
    foot_lines = [ln.text for p in pages for ln in p.footnotes]
    full = _join(body_lines)
    notes = _join(foot_lines)
    # relative numbering: "follow the list in paragraph 115 of the Report"
    base = None
    m = re.search(r"(?:list|numbers?|numbering)[^.]{0,60}?paragraphs?\s+(\d{2,3})\b", full + " " + notes, re.I) \
        or re.search(r"\bparagraphs?\s+(\d{2,3})\s+of\s+(?:the\s+)?(?:present\s+|working\s+group\W?s\s+)?report",
                     full + " " + notes, re.I)
    if m:
        base = m.group(1)

    found: dict[str, str] = {}

    def put(num: str, response: str) -> None:
        if "." not in num:
            if base is None:
                return
            num = f"{base}.{num}"
        found.setdefault(num, response)

    # 1. sentences stating positions on lists of numbers
    for sm in _RESP_VERB.finditer(full):
        nums = sm.group(2)
        # stop at a year-like or unrelated number run: keep up to the first sentence end
        nums = re.split(r"\.\s", nums)[0]
        for num in _expand(nums):
            put(num, _verb_response(sm.group(1)))
    # 2. passive sentences: "Recommendations 115.1, 115.4-115.6 are supported."
    for pm in _PASSIVE.finditer(full):
        for num in _expand(pm.group(1)):
            put(num, _word_response(pm.group(2)))
    # 3. item-by-item lists and tables: "115.3 Supported", "115.4 <text> Noted", "Rec. 115.5: accepted"
    explicit: dict[str, str] = {}
    for number, segment in _numbered_segments(body_lines):
        words = {_word_response(w) for w in _POSITION_WORD.findall(segment)}
        if len(words) == 1:
            explicit[number] = words.pop()
    for im in re.finditer(
        r"(?:^|\s)(?:Rec(?:ommendation)?s?\.?\s*)?(\d{2,3}\.\d{1,3})\.?\s*[:\-\u2013]?\s*"
        r"(supported|accepted|noted|rejected|not supported|partially supported|partially accepted)\b",
        full,
        re.I,
    ):
        explicit[im.group(1)] = _word_response(im.group(2))
    found.update(explicit)
    comments: dict[str, str] = {}
    for num, comment in _comments(body_lines):
        full_num = num if "." in num else (f"{base}.{num}" if base is not None else None)
        if full_num in found and comment:
            comments.setdefault(full_num, comment)
    responses = [(report or "", num, resp) for num, resp in sorted(found.items(), key=lambda kv: _numkey(kv[0]))]
    return Extraction(document=document, paragraphs=_paragraphs(pages), responses=responses,
                      comments={(report or "", num): text for num, text in comments.items()})


_POSITION = r"(?:partially\s+|fully\s+|not\s+)?(?:supported|accepted|noted|rejected)"
_PASSIVE = re.compile(
    r"\brecommendations?\s+((?:(?:nos?\.|numbers?)\s*)?\d[\d.,\s\u2013\u2014\-and]*?)\s+"
    r"(?:is|are|were|was|have been|has been)\s+(" + _POSITION + r")\b",
    re.I,
)
#: Capitalised position words as tables and lists print them.
_POSITION_WORD = re.compile(r"\b((?:Partially |Not )?(?:Supported|Accepted|Noted|Rejected)|(?:Partially|Not) (?:supported|accepted))\b")


#: A line that opens the State's comment on one recommendation: "Rec. 18 We consider ...",
#: "Recommendation 115.24: ...".
_COMMENT_START = re.compile(r"^\s*Rec(?:ommendation)?s?\.?\s*(\d{1,3}(?:\.\d{1,3})?)\s*[:.\-\u2013]?\s+(?=\S)(.*)$")
#: A heading that ends the comments of a section ("III. Noted recommendations", "B. ...").
_SECTION_HEADING = re.compile(r"^\s*(?:[IVX]{1,5}|[A-H])\.\s+[A-Z]")
#: A line that opens the notes at a document's end ("Notes", "Notes 1 The serial numbers ...",
#: "Endnotes") or the rule above a page's footnotes: no comment runs on into them.
_NOTES_START = re.compile(r"^\s*(?:(?:Notes|(?:End|Foot)notes|NOTES|(?:END|FOOT)NOTES)\s*:?\s*(?:$|\d{1,2}\s)"
                          r"|(?:Note|NOTE)\s*:?\s*$|[_\u2014\u2013-]{5,}\s*$)")
# (a singular "Note 12 of the Act ..." goes on with a comment)
#: A comment longer than this is cut (with "…"): it is the State's note, not a report.
_MAX_COMMENT = 1500


def _comments(lines: Sequence[str]) -> list[tuple[str, str]]:
    """(number as written, the State's words) for each "Rec. N ..." comment of an addendum:
    from its line to the next comment, a section heading, a numbered paragraph or the notes
    (an addendum's last comment is followed by its endnotes: "Notes 1 The serial numbers ...")."""
    out: list[tuple[str, list[str]]] = []
    open_ = False  # inside a comment
    for line in lines:
        m = _COMMENT_START.match(line)
        if m:
            out.append((m.group(1), [m.group(2).strip()]))
            open_ = True
        elif open_ and (_SECTION_HEADING.match(line) or re.match(r"^\s*\d{1,3}\.\s+[A-Z]", line)
                        or _NOTES_START.match(line)):
            open_ = False  # what follows is not a comment
        elif open_:
            out[-1][1].append(line.strip())
    result = []
    for num, parts in out:
        text = " ".join(" ".join(parts).split())
        text = re.sub(r"(?<=[a-z][.,;])\d{1,2}(?=\s|$)", "", text)  # a footnote marker: "project.2"
        if len(text) > _MAX_COMMENT:
            text = text[:_MAX_COMMENT].rsplit(" ", 1)[0] + " …"
        result.append((num, text))
    return result


def _word_response(word: str) -> str:
    w = " ".join(word.lower().split())
    if w.startswith("partially"):
        return "partially supported"
    if w.startswith("not") or w in ("noted", "rejected"):
        return "noted"
    return "supported"


def _numbered_segments(lines: Sequence[str]) -> list[tuple[str, str]]:
    """Text following each line that starts with a full recommendation number ('115.3 ...')."""
    out: list[tuple[str, list[str]]] = []
    for line in lines:
        t = line.strip()
        m = re.match(r"^(?:Rec(?:ommendation)?s?\.?\s*)?(\d{2,3}\.\d{1,3})\.?(?:\s+|$)(.*)$", t)
        if m:
            out.append((m.group(1), [m.group(2)]))
        elif out and not re.match(r"^(?:[IVX]+\.|\d{1,3}\.)\s", t):
            out[-1][1].append(t)
    return [(n, " ".join(ls)) for n, ls in out]


def _numkey(num: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", num))


def extract(pages: Sequence[Page], document: Document) -> Extraction:
    """Dispatch on the document: an addendum (``/Add.``) or a working-group report."""
    if document.document_type == "upr_addendum" or (document.symbol and "/Add." in document.symbol):
        return extract_addendum(pages, document)
    return extract_report(pages, document)
