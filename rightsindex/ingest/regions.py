"""The five UN regional groups, and the group of each State.

The table (``regions.json`` beside this module) gives the group of the 193 UN member
States as UPR Info's database of UPR recommendations gives it (the ``sur_regional_group``
and ``rs_regional_group`` columns of its export, sessions 1-16): Turkey and Israel are in
WEOG, Kiribati in the Asia-Pacific Group, and the United States, an observer of WEOG that
votes with it in elections, in WEOG, as UPR Info counts them. Serbia and Montenegro (a
member until 2006) is in the Eastern European Group. Observer States (Holy See, State of
Palestine), territories and organisations have no group. States are keyed by the ISO
alpha-3 codes of ``countries.json``; a test checks the table against UPR Info's CSV.

- :data:`GROUPS`: the groups' names, as rightsindex writes them
- :func:`of` ``(State name or code) -> group | None`` (``"France"`` -> ``"WEOG"``)
- :func:`of_states` ``(codes) -> [groups]``: each group once, in :data:`GROUPS` order
- :func:`group` ``(a group's name or short form) -> its name | None`` (``"grulac"``,
  ``"Latin American and Caribbean"``, UPR Info's ``"Asia"``)
- :func:`suggest` ``(misspelt group) -> the groups it likely means``
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

__all__ = ["FULL_NAMES", "GROUPS", "group", "of", "of_states", "states_of", "suggest"]

#: The groups' names, alphabetical (and so in the order UN documents list them).
GROUPS = ("African Group", "Asia-Pacific Group", "Eastern European Group", "GRULAC", "WEOG")
#: What GRULAC and WEOG stand for.
FULL_NAMES = {
    "African Group": "African Group",
    "Asia-Pacific Group": "Asia-Pacific Group",
    "Eastern European Group": "Eastern European Group",
    "GRULAC": "Latin American and Caribbean Group",
    "WEOG": "Western European and Others Group",
}
#: Other ways to name a group (compared folded: case, spaces, hyphens), UPR Info's among them.
_ALIASES = {
    "African Group": ("african", "africa", "ag", "african states"),
    "Asia-Pacific Group": ("asia-pacific", "asia pacific", "asia", "asian", "asian group", "apg",
                           "asia-pacific states", "asia and the pacific"),
    "Eastern European Group": ("eastern european", "eastern europe", "eeg", "eastern european states"),
    "GRULAC": ("latin american and caribbean", "latin american and caribbean group", "latin america",
               "latin america and the caribbean", "lac", "latin american and caribbean states"),
    "WEOG": ("western european and others", "western european and others group",
             "western european and other states", "western european and other states group", "weo"),
}


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[\s_\-]+", " ", str(text).casefold()).split())


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in GROUPS:
        out[_fold(name)] = name
        out[_fold(FULL_NAMES[name])] = name
        for alias in _ALIASES[name]:
            out[_fold(alias)] = name
    return out


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    raw = json.loads(resources.files("rightsindex.ingest").joinpath("regions.json").read_text("utf-8"))
    return {code: name for code, name in raw["states"].items()}


def group(value: str | None) -> str | None:
    """The group a name or short form means (``"weog"``, ``"Latin American and Caribbean"``,
    ``"Asia"``, ``"eastern-european"``), any case; None for anything else.

    >>> group("grulac"), group("African")
    ('GRULAC', 'African Group')
    """
    return _names().get(_fold(value or "")) if value else None


def of(state: str | None) -> str | None:
    """The regional group of a State, by ISO alpha-3 code or by any name ``countries`` knows;
    None for an observer, a territory, an organisation or an unknown name.

    >>> of("FRA"), of("Kenya"), of("Holy See")
    ('WEOG', 'African Group', None)
    """
    if not state or not str(state).strip():
        return None
    table = _table()
    code = str(state).strip().upper()
    if code in table:
        return table[code]
    from rightsindex.ingest import countries

    hit = countries.lookup(str(state), fuzzy=False)
    return table.get(hit[1]) if hit else None


def of_states(states: Iterable[str | None]) -> list[str]:
    """The groups of some States (codes or names), each once, in :data:`GROUPS` order: a joint
    recommendation of France and Germany is WEOG's once."""
    found = {of(s) for s in states}
    return [g for g in GROUPS if g in found]


def states_of(name: str) -> list[str]:
    """The ISO codes of the States of a group (its name or a short form), sorted."""
    meant = group(name)
    return sorted(code for code, g in _table().items() if g == meant)


def suggest(value: str) -> list[str]:
    """The groups a value no group has likely means: those a word of it begins ("europe": the
    Eastern European Group and WEOG), else those of the closest names, closest first; at most two."""
    key = _fold(value)
    if not key:
        return []
    names = _names()
    found = [g for k, g in names.items()
             if any(w.startswith(key) or (key.startswith(w) and len(w) > 3) for w in k.split())]
    if found:
        return [g for g in GROUPS if g in set(found)][:2]
    close = [names[k] for k in difflib.get_close_matches(key, list(names), n=4, cutoff=0.75)]
    return list(dict.fromkeys(close))[:2]  # closest first
