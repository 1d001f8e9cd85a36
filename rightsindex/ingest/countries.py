"""Country names of UN documents and UPR data, normalised to ISO 3166-1 alpha-3.

The table (``countries.json`` beside this module, written by hand) lists the
193 UN member States, the two observer States (Holy See, State of Palestine),
common territories and a former State (Serbia and Montenegro), each with its
UN short name and the variants met in UN documents and in UPR Info data
("Venezuela (Bolivarian Republic of)" / "Venezuela", "DPR Korea", "Libyan Arab
Jamahiriya", "The former Yugoslav Republic of Macedonia", "Türkiye" / "Turkey"...).

- :func:`lookup` ``(name) -> (UN short name, alpha-3) | None``
- :func:`from_code` ``(alpha-3) -> UN short name | None``
- :func:`suggest` ``(misspelt name) -> the UN short name meant | None`` ("Kenia" -> "Kenya")
- :func:`split_states` splits "France, Chile and Venezuela (Bolivarian Republic
  of)" into States; commas inside parentheses and the "and" of "Bosnia and
  Herzegovina" do not split.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

__all__ = ["lookup", "from_code", "suggest", "split_states", "normalise", "all_countries", "kind"]


def normalise(name: str) -> str:
    """A comparison key for a country name: no accents, case, punctuation or leading 'the'."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    s = s.replace("&", " and ").replace("\u00a0", " ").replace("\u2010", "-").replace("\u2011", "-")
    s = s.lower()
    s = re.sub(r"[.;:*]", " ", s)
    s = re.sub(r"\s*-\s*", "-", s)
    s = re.sub(r"\s*,\s*", ", ", s)
    s = re.sub(r"\(\s*", "(", s)
    s = re.sub(r"\s*\)", ")", s)
    s = " ".join(s.split()).strip(" ,")
    s = re.sub(r"^the ", "", s)
    s = re.sub(r"^st ", "saint ", s)
    return s


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple[str, str]], dict[str, str], dict[str, str]]:
    raw = json.loads(resources.files("rightsindex.ingest").joinpath("countries.json").read_text("utf-8"))
    by_key: dict[str, tuple[str, str]] = {}
    by_code: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for row in raw:
        code, name = row["code"], row["name"]
        by_code[code] = name
        kinds[code] = row.get("kind", "member")
        for variant in [name, code, *row.get("variants", [])]:
            key = normalise(variant)
            # a later row never overrides an earlier name (the UN short names come first)
            by_key.setdefault(key, (name, code))
    return by_key, by_code, kinds


def all_countries() -> list[tuple[str, str]]:
    """Every (UN short name, alpha-3) of the table."""
    return [(name, code) for code, name in _table()[1].items()]


def kind(code: str) -> str | None:
    """'member', 'observer', 'territory' or 'former' for an alpha-3 code of the table."""
    return _table()[2].get(code.upper())


_PREFIXES = ("government of ", "republic of ", "kingdom of ", "state of ", "the ")


@lru_cache(maxsize=4096)
def lookup(name: str, fuzzy: bool = True) -> tuple[str, str] | None:
    """``(UN short name, ISO alpha-3)`` for a country name in any known form, else None.

    With ``fuzzy`` (the default) a long name one or two typos away from a known
    one is accepted ("United Sates of America").

    >>> lookup("Venezuela (Bolivarian Republic of)")
    ('Venezuela (Bolivarian Republic of)', 'VEN')
    """
    if not name or not name.strip():
        return None
    by_key = _table()[0]
    key = normalise(name)
    hit = by_key.get(key)
    if hit:
        return hit
    # "Iran, Islamic Republic of" -> "Iran (Islamic Republic of)"
    m = re.match(r"^([^(),]+), ([^(),]+)$", key)
    if m:
        # ... and ISO's inverted names: "Palestine, State of" -> "State of Palestine"
        hit = (by_key.get(f"{m.group(1)}({m.group(2)})") or by_key.get(f"{m.group(1)} ({m.group(2)})")
               or by_key.get(normalise(f"{m.group(2)} {m.group(1)}")))
        if hit:
            return hit
    # "Iran (Islamic Republic)", "Bolivia (Plurinational State)" ...: try the name before the parenthesis
    m = re.match(r"^([^(),]+?)\s*\([^(),]*\)$", key)
    if m and m.group(1) in by_key:
        return by_key[m.group(1)]
    for prefix in _PREFIXES:
        if key.startswith(prefix) and key[len(prefix):] in by_key:
            return by_key[key[len(prefix):]]
    return _fuzzy(key) if fuzzy else None


def _fuzzy(key: str) -> tuple[str, str] | None:
    """A misspelt long name ('United Sates of America'): the one known name within a typo or two."""
    if len(key) < 8:
        return None
    from rapidfuzz import fuzz, process

    by_key = _table()[0]
    found = process.extractOne(key, list(by_key), scorer=fuzz.ratio, score_cutoff=90)
    if found is None:
        return None
    return by_key[found[0]]


#: Names a user may type that fit more than one State: a search must not pick one silently.
_AMBIGUOUS = {"korea": ("KOR", "PRK")}


def ambiguous(name: str) -> str | None:
    """For a name that fits several States ("Korea"), the one-line message that lists them; else None.

    >>> ambiguous("Korea")
    "'Korea' fits two States: Republic of Korea (KOR) or Democratic People's Republic of Korea (PRK)"
    """
    codes = _AMBIGUOUS.get(normalise(name or ""), ())
    if len(codes) < 2:
        return None
    names = [f"{from_code(c)} ({c})" for c in codes]
    return f"'{name.strip()}' fits two States: {' or '.join(names)}"


def from_code(alpha3: str) -> str | None:
    """The UN short name for an ISO 3166-1 alpha-3 code (case-insensitive), else None."""
    if not alpha3:
        return None
    return _table()[1].get(alpha3.strip().upper())


def suggest(name: str, extra: Iterable[str] = ()) -> str | None:
    """The one State a misspelt ``name`` most likely means ("Kenia" -> "Kenya", "Slovnia" ->
    "Slovenia"), else None: the closest of the table's names and variants and of ``extra`` names
    (those a corpus holds), at least 80% alike and clearly closer than any other State.

    >>> suggest("Slovnia")
    'Slovenia'
    """
    from rapidfuzz import fuzz, process

    key = normalise(name or "")
    if not key:
        return None
    # codes ("kna") only for what looks like a code: "Kenia" is Kenya, not Saint Kitts (KNA)
    choices = {k: hit[0] for k, hit in _table()[0].items() if len(key) <= 4 or k != hit[1].lower()}
    for other in extra:
        found = lookup(other, fuzzy=False) if other and other.strip() else None
        if found and len(key) > 4 and normalise(other) == found[1].lower():
            continue
        if other and other.strip():
            choices.setdefault(normalise(other), found[0] if found else other)
    best: dict[str, float] = {}
    for k, score, _i in process.extract(key, list(choices), scorer=fuzz.ratio, limit=10):
        best.setdefault(choices[k], score)  # a State's variants count once, at their best
    ranked = sorted(best.items(), key=lambda item: -item[1])
    if ranked and ranked[0][1] >= 80 and (len(ranked) == 1 or ranked[1][1] < ranked[0][1] - 5):
        return ranked[0][0]
    return None


_SEP = re.compile(r"\s*,\s*and\s+|\s*,\s*|\s*;\s*|\s+and\s+|\s*&\s*")


def _top_level_pieces(text: str) -> tuple[list[str], list[str]]:
    """Pieces separated by ',', ';', 'and' outside parentheses, and the separators between them."""
    pieces: list[str] = []
    seps: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = _SEP.match(text, i)
            if m and m.end() > i and (ch in ",;&" or text[i].isspace()):
                pieces.append(text[start:i])
                seps.append(m.group(0))
                i = m.end()
                start = i
                continue
        i += 1
    pieces.append(text[start:])
    return pieces, seps


def _closing(text: str, start: int) -> int:
    """Index of the parenthesis closing the one at ``start`` (or -1)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _clean(piece: str) -> str:
    s = " ".join(piece.split()).strip(" .,;:")
    return re.sub(r"^(?:and\s+)?(?:the\s+)?", "", s, flags=re.I)


def split_states(text: str) -> list[str]:
    """Split a list of States as written in UN documents.

    "France, Chile and Venezuela (Bolivarian Republic of)" gives three States;
    "Bosnia and Herzegovina", "Saint Vincent and the Grenadines" and "United
    Kingdom of Great Britain and Northern Ireland" stay whole. Names are
    returned as written (whitespace collapsed, a leading "the" removed).
    """
    if not text or not text.strip():
        return []
    text = text.strip()
    if text.startswith("(") and text.endswith(")") and _closing(text, 0) == len(text) - 1:
        text = text[1:-1]
    pieces, seps = _top_level_pieces(text)
    out: list[str] = []
    i = 0
    n = len(pieces)
    while i < n:
        best_j = None
        # the longest run of pieces that is one known (non-former) country name
        for j in range(min(n - 1, i + 4), i, -1):
            joined = pieces[i]
            for k in range(i, j):
                joined += seps[k] + pieces[k + 1]
            hit = lookup(_clean(joined), fuzzy=False)
            if hit and kind(hit[1]) != "former":
                best_j = j
                break
        if best_j is None:
            piece = _clean(pieces[i])
            if piece:
                out.append(piece)
            i += 1
        else:
            joined = pieces[i]
            for k in range(i, best_j):
                joined += seps[k] + pieces[k + 1]
            out.append(_clean(joined))
            i = best_j + 1
    return [p for p in out if p]
