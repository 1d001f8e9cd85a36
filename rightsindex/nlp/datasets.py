"""Labelled data readers: the annotations (JSONL), UPR Info (CSV), general comments (JSONL).

Each reader yields :class:`Example` rows: a text and, per tag family, the labels
known for it. ``known`` says which labels of a family the source can speak
about: UPR Info's issues speak about ``housing`` (through the crosswalk) but
not about ``social_security``; such labels are filled in later as negative
when the lexicon finds nothing, unknown otherwise (weak supervision).
Malformed files raise :class:`~rightsindex.errors.DataFileError` naming the file and line.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from rightsindex.errors import DataFileError
from rightsindex.nlp import taxonomy
from rightsindex.nlp.lexicon import Analysis

__all__ = [
    "Example",
    "read_annotations",
    "read_upr_info",
    "read_general_comments",
    "read_paragraph_labels",
    "text_key",
    "PARAGRAPH_LABELS",
    "read_any",
    "targets_for",
    "ALL",
]

#: Families whose labels ``targets_for(..., lexicon_unknown=...)`` may turn unknown.
LEXICON_UNKNOWN_FAMILIES = ("esc_rights", "fiscal")
#: ``known[family] = ALL`` means every label of the family is known for the row.
ALL = "*"


@dataclass
class Example:
    """One labelled text."""

    id: str
    text: str
    origin: str  # annotation | upr_info | general_comment | paragraph_annotation
    labels: dict[str, list[str]] = field(default_factory=dict)
    known: dict[str, str | frozenset[str]] = field(default_factory=dict)
    session: int | None = None


#: The first bytes of files that are no labelled text, and what they are.
_NOT_TEXT = ((b"%PDF-", "a PDF (UN documents are read by 'rightsindex ingest')"),
             (b"PK\x03\x04", "a zip archive or an Excel workbook (save a workbook as CSV UTF-8)"))


def _open_text(path: Path) -> Iterator[str]:
    try:
        with open(path, "rb") as raw:
            head = raw.read(8)
        for signature, what in _NOT_TEXT:  # said as what they are, not "not UTF-8 text"
            if head.startswith(signature):
                raise DataFileError(f"{path} is {what}: labelled data is CSV or JSONL text")
        with open(path, encoding="utf-8-sig") as fh:  # Notepad's and Excel's byte-order mark is no data
            yield from fh
    except FileNotFoundError:
        raise DataFileError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read ({exc.strerror})") from exc


def _jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    for n, line in enumerate(_open_text(path), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            where = f", column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
            raise DataFileError(f"{path}:{n}: not valid JSON ({exc.msg}{where})") from None
        if not isinstance(obj, dict):
            raise DataFileError(f"{path}:{n}: each line must be a JSON object")
        yield n, obj


def read_annotations(path: str | os.PathLike[str]) -> list[Example]:
    """The gold JSONL: ``text``, ``esc_rights``, ``fiscal`` (label lists from the taxonomy)."""
    path = Path(path)
    out: list[Example] = []
    valid = {f: set(taxonomy.labels(f)) for f in ("esc_rights", "fiscal")}
    for n, obj in _jsonl(path):
        text = obj.get("text")
        if not isinstance(text, str):
            raise DataFileError(f"{path}:{n}: missing 'text'")
        labels: dict[str, list[str]] = {}
        known: dict[str, str | frozenset[str]] = {}
        for family in ("esc_rights", "fiscal"):
            if family not in obj:
                continue
            labs = obj[family]
            if not isinstance(labs, list):
                raise DataFileError(f"{path}:{n}: '{family}' must be a list of labels")
            bad = [lab for lab in labs if lab not in valid[family]]
            if bad:
                raise DataFileError(f"{path}:{n}: unknown {family} label {bad[0]!r}")
            labels[family] = list(labs)
            known[family] = ALL
        if not known:
            raise DataFileError(f"{path}:{n}: needs 'esc_rights' and/or 'fiscal' label lists")
        out.append(Example(str(obj.get("id", f"line-{n}")), text, "annotation", labels, known))
    if not out:
        raise DataFileError(f"{path}: no examples")
    return out


def _exact_known() -> dict[str, frozenset[str]]:
    known: dict[str, set[str]] = {}
    for mapped in taxonomy.data()["crosswalk"]["upr_info"]["exact"].values():
        for family, labs in mapped.items():
            known.setdefault(family, set()).update(labs)
    return {f: frozenset(v) for f, v in known.items()}


def read_upr_info(path: str | os.PathLike[str], *, sessions: Iterable[int] | None = None) -> list[Example]:
    """UPR Info's CSV (``text``, ``issues`` separated by ``|``, ``action_category``, ``session``)."""
    path = Path(path)
    wanted = None if sessions is None else set(sessions)
    known_cross = _exact_known()
    issues_valid = set(taxonomy.labels("upr_issues"))
    out: list[Example] = []
    lines = _open_text(path)
    reader = csv.DictReader(lines)
    need = {"text", "issues"}
    if reader.fieldnames is None or not need <= set(reader.fieldnames):
        raise DataFileError(f"{path}: a UPR Info CSV needs the columns text and issues")
    for n, row in enumerate(reader, 2):
        try:
            session = int(row["session"]) if row.get("session") else None
        except ValueError:
            raise DataFileError(f"{path}:{n}: session {row['session']!r} is not a number") from None
        if wanted is not None and session not in wanted:
            continue
        issues = [i.strip() for i in (row.get("issues") or "").split("|") if i.strip()]
        bad = [i for i in issues if i not in issues_valid]
        if bad:
            raise DataFileError(f"{path}:{n}: unknown UPR Info issue {bad[0]!r}")
        mapped = taxonomy.from_upr_info(issues)
        labels = {"upr_issues": issues, **mapped}
        known: dict[str, str | frozenset[str]] = {"upr_issues": ALL, **known_cross}
        action = (row.get("action_category") or "").strip()
        if action:
            if action not in {"1", "2", "3", "4", "5"}:
                raise DataFileError(f"{path}:{n}: action category {action!r} is not 1-5")
            labels["action_category"] = [action]
            known["action_category"] = ALL
        out.append(Example(row.get("rec_id") or f"row-{n}", row["text"] or "", "upr_info", labels, known,
                           session))
    return out


#: ESC rights and fiscal labels of general-comment paragraphs, annotated for rightsindex under
#: ``../shared/data/annotations/GUIDELINES.md`` (ids, text keys and labels; no text: see data/README.md).
PARAGRAPH_LABELS = Path(__file__).resolve().parent / "data" / "paragraph_labels.jsonl"


def text_key(text: str) -> str:
    """A short SHA-256 of a text with its white space normalised (ties labels to the text they read)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


def read_paragraph_labels(path: str | os.PathLike[str] = PARAGRAPH_LABELS) -> dict[str, dict]:
    """``id -> {"key", "esc_rights", "fiscal"}`` from a paragraph-labels file (labels without text)."""
    path = Path(path)
    valid = {f: set(taxonomy.labels(f)) for f in ("esc_rights", "fiscal")}
    out: dict[str, dict] = {}
    for n, obj in _jsonl(path):
        if not isinstance(obj.get("id"), str) or not isinstance(obj.get("key"), str):
            raise DataFileError(f"{path}:{n}: needs 'id' and 'key'")
        for family in ("esc_rights", "fiscal"):
            labs = obj.get(family)
            if not isinstance(labs, list) or any(lab not in valid[family] for lab in labs):
                raise DataFileError(f"{path}:{n}: '{family}' must be a list of {family} labels")
        if obj["id"] in out:
            raise DataFileError(f"{path}:{n}: paragraph {obj['id']!r} is labelled twice")
        out[obj["id"]] = obj
    return out


def read_general_comments(path: str | os.PathLike[str], *, document_labels: bool = True,
                          paragraph_labels: str | os.PathLike[str] | None = PARAGRAPH_LABELS) -> list[Example]:
    """General-comment paragraphs: weak group labels and ESC rights / fiscal labels.

    Group labels come from ``keyword_labels`` (made by keyword matching). A
    paragraph found in ``paragraph_labels`` (same id and text) takes its ESC
    rights and fiscal labels from there, all known (origin
    ``paragraph_annotation``). Otherwise, with ``document_labels``, the ESC
    rights and fiscal labels of the comment the paragraph belongs to
    (:func:`taxonomy.from_general_comment`) are its positives, and the other
    labels of those two families are known only through the lexicon (a safe
    negative when it is silent; see :func:`targets_for`). Ids are
    ``gc-<file>-<paragraph_id>``, the form the annotations use, so training
    leaves out paragraphs that are annotated.
    """
    path = Path(path)
    cross = taxonomy.data()["crosswalk"]["general_comment_keywords"]
    known_groups = frozenset(cross.values())
    labelled = read_paragraph_labels(paragraph_labels) if paragraph_labels is not None else {}
    out = []
    for n, obj in _jsonl(path):
        text = obj.get("text")
        if not isinstance(text, str) or "keyword_labels" not in obj:
            raise DataFileError(f"{path}:{n}: needs 'text' and 'keyword_labels'")
        pid = f"gc-{obj.get('file')}-{obj.get('paragraph_id', n)}"
        groups = taxonomy.from_general_comment_keywords(obj.get("keyword_labels") or [])
        labels: dict[str, list[str]] = {"groups": groups}
        known: dict[str, str | frozenset[str]] = {"groups": known_groups}
        origin = "general_comment"
        mine = labelled.get(pid)
        if mine is not None and mine["key"] == text_key(text):
            origin = "paragraph_annotation"
            for family in ("esc_rights", "fiscal"):
                labels[family] = list(mine[family])
                known[family] = ALL
        elif document_labels:
            mapped = taxonomy.from_general_comment(str(obj.get("file") or ""))
            for family in ("esc_rights", "fiscal"):
                labels[family] = mapped.get(family, [])
                known[family] = frozenset(labels[family])
        out.append(Example(pid, text, origin, labels, known))
    return out


def read_any(path: str | os.PathLike[str]) -> list[Example]:
    """Read a labelled file, recognising its kind (UPR Info CSV, annotations or general comments)."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return read_upr_info(path)
    first = next(_jsonl(path), None)
    if first is None:
        raise DataFileError(f"{path}: empty file")
    if "keyword_labels" in first[1]:
        return read_general_comments(path)
    return read_annotations(path)


def targets_for(examples: Sequence[Example], analyses: Sequence[Analysis],
                families: Sequence[str] = taxonomy.FAMILIES,
                weak_positives: Sequence[str] = (),
                lexicon_unknown: Sequence[str] = ()) -> dict[str, np.ndarray]:
    """Target arrays for :meth:`TaggingModel.fit`: 1 / 0 / -1 matrices, "" for unknown classes.

    A label the source cannot speak about is 0 when the lexicon finds nothing
    for it in the text (safe negative) and -1 (unknown) when it does, or 1
    (a weak positive) for the families in ``weak_positives``. For rows whose
    origin is in ``lexicon_unknown``, an ESC right or fiscal label the source
    leaves out although the lexicon finds it is -1 too, not 0: UPR Info's
    issues name a recommendation's main themes, not every right it lists.
    """
    out: dict[str, np.ndarray] = {}
    for family in families:
        labels = taxonomy.labels(family)
        if taxonomy.kind(family) == "multiclass":
            out[family] = np.array([
                (ex.labels.get(family) or [""])[0] if ex.known.get(family) == ALL else "" for ex in examples
            ], dtype=object)
            continue
        Y = np.full((len(examples), len(labels)), -1, dtype=np.int8)
        index = {lab: j for j, lab in enumerate(labels)}
        for r, (ex, an) in enumerate(zip(examples, analyses, strict=True)):
            known = ex.known.get(family)
            if known is None:
                continue
            pos = set(ex.labels.get(family, ()))
            doubt = ex.origin in lexicon_unknown and family in LEXICON_UNKNOWN_FAMILIES
            for lab, j in index.items():
                if known == ALL or lab in known:
                    Y[r, j] = 1 if lab in pos else (-1 if doubt and (family, lab) in an.matches else 0)
                elif family in ("esc_rights", "fiscal", "groups"):
                    if (family, lab) not in an.matches:
                        Y[r, j] = 0
                    elif family in weak_positives:
                        Y[r, j] = 1
        out[family] = Y
    return out
