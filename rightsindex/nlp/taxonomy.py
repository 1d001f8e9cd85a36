"""The label taxonomy: one versioned JSON file of package data.

Families (``esc_rights``, ``fiscal``, ``groups``, ``action_category``,
``upr_issues``), their labels with definitions, and the crosswalks that map
labels made by others (UPR Info's 54 issues, the UN index (UHRI) themes, the
keyword labels of the general-comment paragraphs, and which general comment a
paragraph belongs to) onto ours.

>>> from rightsindex.nlp import taxonomy
>>> taxonomy.labels("fiscal")[:2]
['taxation', 'tax_abuse']
>>> taxonomy.from_upr_info(["Right to housing", "Women's rights"])["esc_rights"]
['housing']
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from rightsindex.errors import DataFileError

__all__ = [
    "FAMILIES",
    "VERSION",
    "data",
    "labels",
    "definition",
    "kind",
    "from_upr_info",
    "from_uhri",
    "from_general_comment_keywords",
    "from_general_comment",
    "general_comment_key",
]

#: Tag families, in display order.
FAMILIES = ("esc_rights", "fiscal", "groups", "action_category", "upr_issues")


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    """The taxonomy as stored in ``rightsindex/nlp/data/taxonomy.json``."""
    path = resources.files("rightsindex.nlp") / "data" / "taxonomy.json"
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: cannot read the taxonomy ({exc})") from exc
    if set(loaded.get("families", {})) != set(FAMILIES):
        raise DataFileError(f"{path}: taxonomy families must be {', '.join(FAMILIES)}")
    return loaded


#: Version of the taxonomy (models record the version they were trained with).
VERSION: str = data()["version"]


def labels(family: str) -> list[str]:
    """The labels of a family, in taxonomy order."""
    try:
        return list(data()["families"][family]["labels"])
    except KeyError:
        raise KeyError(f"unknown tag family {family!r}; known: {', '.join(FAMILIES)}") from None


def definition(family: str, label: str) -> str:
    """The definition of one label."""
    return str(data()["families"][family]["labels"][label])


def kind(family: str) -> str:
    """``multilabel`` or ``multiclass`` (``action_category``)."""
    return str(data()["families"][family]["kind"])


def _merge(out: dict[str, list[str]], mapped: dict[str, list[str]]) -> None:
    for family, labs in mapped.items():
        for lab in labs:
            if lab not in out.setdefault(family, []):
                out[family].append(lab)


def from_upr_info(issues: Iterable[str], *, related: bool = False) -> dict[str, list[str]]:
    """Our labels for a list of UPR Info issues (exact crosswalk; ``related`` adds looser links)."""
    cross = data()["crosswalk"]["upr_info"]
    out: dict[str, list[str]] = {}
    for issue in issues:
        _merge(out, cross["exact"].get(issue.strip(), {}))
        if related:
            _merge(out, cross["related"].get(issue.strip(), {}))
    return out


def from_uhri(themes: Iterable[str]) -> dict[str, list[str]]:
    """Our labels for a list of UN index (UHRI) themes such as ``"E23 Right to adequate housing"``."""
    cross = data()["crosswalk"]["uhri"]
    out: dict[str, list[str]] = {}
    for theme in themes:
        _merge(out, cross.get(theme.strip(), {}))
    return out


def from_general_comment_keywords(keywords: Iterable[str]) -> list[str]:
    """Group labels for the keyword labels of ../shared general-comment paragraphs."""
    cross = data()["crosswalk"]["general_comment_keywords"]
    out: list[str] = []
    for kw in keywords:
        lab = cross.get(kw)
        if lab and lab not in out:
            out.append(lab)
    return out


def general_comment_key(file: str) -> str:
    """The crosswalk key of a comment file: ``Annotated_ESCR-GC4-Housing.json`` gives ``ESCR-GC4-Housing``."""
    name = file.rsplit("/", 1)[-1]
    if name.startswith("Annotated_"):
        name = name[len("Annotated_"):]
    if name.endswith(".json"):
        name = name[: -len(".json")]
    return name


def from_general_comment(file: str) -> dict[str, list[str]]:
    """ESC rights / fiscal labels of the general comment a paragraph comes from (``{}`` if none).

    Made from the comments' titles (CESCR GC 4 and 7: housing, GC 14: health,
    GC 21: cultural life, CRC GC 19: public budgeting, ...): weak labels, as a
    paragraph of a comment is usually, not always, about its subject.

    >>> from_general_comment("Annotated_ESCR-GC4-Housing.json")
    {'esc_rights': ['housing']}
    """
    mapped = data()["crosswalk"].get("general_comments", {}).get(general_comment_key(file), {})
    return {family: list(labs) for family, labs in mapped.items()}
