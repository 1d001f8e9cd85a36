"""Tagging texts and corpora with the shipped (or a given) model."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rightsindex.errors import ModelError
from rightsindex.nlp import taxonomy
from rightsindex.nlp.lexicon import Analysis, get_lexicon
from rightsindex.nlp.model import TaggingModel
from rightsindex.records import Tag

__all__ = ["load_model", "default_model_path", "tag_texts", "tag_corpus", "explain", "explain_text",
           "named_not_tagged", "apply_reviews", "apply_stored_reviews", "review", "REVIEWED",
           "REVIEWED_FAMILIES", "reviewed_examples", "import_reviews"]

_FAMILY_ORDER = {f: i for i, f in enumerate(taxonomy.FAMILIES)}


def default_model_path() -> Path:
    """The model shipped in the package: ``rightsindex/nlp/data/model.npz``."""
    return Path(str(resources.files("rightsindex.nlp") / "data" / "model.npz"))


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: float) -> TaggingModel:  # noqa: ARG001 (mtime busts the cache)
    return TaggingModel.load(path)


def load_model(path: str | os.PathLike[str] | None = None) -> TaggingModel:
    """Load a model file (default: the shipped one). Raises :class:`ModelError` naming the file."""
    p = Path(path) if path is not None else default_model_path()
    if not p.is_file():
        if path is None:
            raise ModelError(f"{p}: the shipped model is missing; reinstall rightsindex or pass --model")
        raise ModelError(f"{p}: no such model file")
    return _load_cached(str(p.resolve()), p.stat().st_mtime)


def _resolve(model: TaggingModel | str | os.PathLike[str] | None) -> TaggingModel:
    return model if isinstance(model, TaggingModel) else load_model(model)


def _sorted(tags: list[Tag]) -> list[Tag]:
    return sorted(tags, key=lambda t: (_FAMILY_ORDER.get(t.family, 99), -t.score, t.label))


def tag_texts(texts: Iterable[str], *, model: TaggingModel | str | os.PathLike[str] | None = None,
              batch_size: int = 1000) -> list[list[Tag]]:
    """Tag each text: ESC rights, fiscal labels, groups, action category and UPR Info issues.

    >>> tag_texts(["Prevent forced evictions"])[0][0].label        # doctest: +SKIP
    'housing'
    """
    m = _resolve(model)
    lex = get_lexicon()
    out: list[list[Tag]] = []
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= batch_size:
            out.extend(_sorted(t) for t in m.tags(lex.analyse(batch)))
            batch = []
    if batch:
        out.extend(_sorted(t) for t in m.tags(lex.analyse(batch)))
    return out


#: The source of a tag a reader gave or confirmed (``rightsindex review``).
REVIEWED = "reviewed"
#: The tags tagging again keeps: those imported data came with (a reader's are made again from the
#: reviews, so that one whose review was taken back leaves the model's tag of the label, if any).
_KEPT_SOURCES = ("import",)


def apply_reviews(tags: Iterable[Tag], verdicts: dict[tuple[str, str], bool], analysis: Analysis | None = None,
                  ) -> list[Tag]:
    """``tags`` as a reader's ``verdicts`` ({(family, label): has it}) have them: a label said wrong
    goes, one said right is kept or added with source ``reviewed`` (score 1, the lexicon's matches
    of it as evidence when ``analysis`` has them), and a reviewed tag whose review was taken back goes."""
    out = []
    have = set()
    for t in tags:
        key = (t.family, t.label)
        verdict = verdicts.get(key)
        if verdict is False or (verdict is None and t.source == REVIEWED):
            continue
        if verdict:
            t = Tag(family=t.family, label=t.label, source=REVIEWED, score=1.0, evidence=t.evidence)
        out.append(t)
        have.add(key)
    for (family, label), verdict in sorted(verdicts.items()):
        if verdict and (family, label) not in have:
            evidence = tuple((analysis.matches.get((family, label)) or ())) if analysis is not None else ()
            out.append(Tag(family=family, label=label, source=REVIEWED, score=1.0, evidence=evidence))
    return _sorted(out)


def tag_corpus(
    store: Any,
    *,
    retag: bool = False,
    model: TaggingModel | str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 1000,
    ids: Iterable[int] | None = None,
) -> int:
    """Tag the recommendations of a :class:`~rightsindex.corpus.store.Store`; returns how many were tagged.

    Only those not yet tagged by this model version, unless ``retag`` (or ``ids``: those, again).
    Tags go in with ``Store.set_tags`` under the model's version; tags that came with imported
    data (source ``import``) are kept, and a reader's reviews of a text (``Store.set_review``)
    are applied over the model's tags (:func:`apply_reviews`).
    """
    from rightsindex.corpus.store import review_key

    store.require_writable()  # a read-only corpus: said before any work
    m = _resolve(model)
    lex = get_lexicon()
    version = m.version
    reviews = store.reviews()
    if ids is not None:
        ids = list(ids)
        total = len(ids)
        stream = store.recommendations(ids=ids)
    elif retag:
        total = store.count_recommendations()
        stream = store.recommendations()
    else:
        total = sum(1 for _ in store.recommendations(untagged_for=version, with_tags=False))
        stream = store.recommendations(untagged_for=version)
    done = 0
    if progress is not None:
        progress(0, total)
    pending: list[Any] = []

    def flush() -> int:
        analyses = lex.analyse([s.recommendation.text for s in pending])
        tags = m.tags(analyses)
        rows = []
        for stored, new, analysis in zip(pending, tags, analyses, strict=True):
            kept = [t for t in stored.tags if t.source in _KEPT_SOURCES]
            merged = kept + [t for t in new if (t.family, t.label) not in {(k.family, k.label) for k in kept}]
            verdicts = reviews.get(review_key(stored.recommendation.text), {}) if reviews else {}
            rows.append((stored.id, apply_reviews(merged, verdicts, analysis)))
        return int(store.set_tags(rows, version))

    # materialise in batches: set_tags writes while the read cursor is open otherwise
    buffered = list(stream)
    for stored in buffered:
        pending.append(stored)
        if len(pending) >= batch_size:
            done += flush()
            pending = []
            if progress is not None:
                progress(done, total)
    if pending:
        done += flush()
        if progress is not None:
            progress(done, total)
    return done


def named_not_tagged(text: str, tags: Iterable[Tag], *,
                     model: TaggingModel | str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Labels the lexicon finds in ``text`` that ``tags`` do not carry, with the model's score.

    What a reader checks when a right seems missing: it was named, and judged to be
    named in passing (score below what the decision needed).
    """
    return _not_tagged(get_lexicon().analyse([text])[0], tags, _resolve(model))


def _not_tagged(analysis: Analysis, tags: Iterable[Tag], m: TaggingModel) -> list[dict[str, Any]]:
    have = {(t.family, t.label) for t in tags}
    proba = m.probabilities([analysis])
    out = []
    for (family, label), phrases in analysis.matches.items():
        head = m.heads.get(family)
        if (family, label) in have or head is None or label not in head.labels:
            continue
        score = float(proba[family][0, head.labels.index(label)])
        out.append({"family": family, "label": label, "score": round(score, 4), "evidence": list(phrases)})
    return sorted(out, key=lambda d: (_FAMILY_ORDER.get(d["family"], 99), -d["score"], d["label"]))


def explain_text(text: str, *, model: TaggingModel | str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """What :func:`explain` gives for a stored recommendation, for any text (analysed once)."""
    m = _resolve(model)
    analysis = get_lexicon().analyse([text])[0]
    tags = _sorted(m.tags([analysis])[0])
    return {"id": None, "text": text, "symbol": None, "country": None, "paragraph": None,
            "tags": [t.to_dict() for t in tags], "not_tagged": _not_tagged(analysis, tags, m)}


def explain(store: Any, rec_id: int, *,
            model: TaggingModel | str | os.PathLike[str] | None = None) -> dict[str, Any] | None:
    """One stored recommendation with its tags and their evidence (None if no such id), and
    the labels the lexicon names in it that were not tagged (``not_tagged``, by ``model``)."""
    from rightsindex.search.export import citation

    stored = store.get_recommendation(int(rec_id))
    if stored is None:
        return None
    row = stored.to_row()
    tags = _sorted(list(stored.tags))
    info: dict[str, Any] = {
        "id": stored.id,
        "text": stored.recommendation.text,
        "symbol": row.get("symbol"),
        "country": row.get("country"),
        "paragraph": row.get("paragraph"),
        "year": row.get("year"),
        "recommending_states": list(row.get("recommending_states") or []),
        "body": row.get("body"),
        "response": row.get("response"),
        "citation": citation(row),
        "tags": [t.to_dict() for t in tags],
        "not_tagged": [],
        "duplicate_of": stored.duplicate_of,
    }
    if stored.duplicate_of is not None:  # UPR Info's copy: say which recommendation of the report it is
        twin = store.get_recommendation(stored.duplicate_of)
        if twin is not None:
            info["duplicate_of_citation"] = citation(twin.to_row())
    info["reviews"] = [{k: r[k] for k in ("family", "label", "verdict", "note", "reviewed_at")}
                       for r in store.review_rows(stored.recommendation.text, counted=False)]
    if tags:
        m = _resolve(model)
        made_by = sorted({t.model_version for t in tags if t.model_version})
        if made_by and made_by != [m.version]:
            info["note"] = (f"tagged by model {', '.join(made_by)}, not by {m.version}; "
                            "'rightsindex tag --all' tags again with it")
        else:
            said_not = {(r["family"], r["label"]) for r in info["reviews"] if not r["verdict"]}
            info["not_tagged"] = [t for t in named_not_tagged(stored.recommendation.text, tags, model=m)
                                  if (t["family"], t["label"]) not in said_not]
    return info


#: The label families a reader reviews (``rightsindex review``).
REVIEWED_FAMILIES = ("esc_rights", "fiscal", "groups")


def review(store: Any, rec_id: int, *, add: Iterable[tuple[str, str]] = (), remove: Iterable[tuple[str, str]] = (),
           undo: Iterable[tuple[str, str]] = (), note: str | None = None,
           model: TaggingModel | str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Record a reader's verdicts on the labels of recommendation ``rec_id``'s text: ``add`` (it has
    them), ``remove`` (it has not), ``undo`` (forget the review: the model decides again), and tag
    again every stored recommendation with that text. Returns ``{"ids": [...], "text": ...}``; the
    caller brings the search index up to date. :class:`QueryError` for an unknown id or a label
    of another family, or one both added and removed."""
    from rightsindex.errors import QueryError

    store.require_writable()
    stored = store.get_recommendation(int(rec_id))
    if stored is None:
        raise QueryError(f"no recommendation with id {rec_id}")
    add, remove, undo = list(add), list(remove), list(undo)
    for first, second, said in ((add, remove, "added and removed"), (add, undo, "added and undone"),
                                (remove, undo, "removed and undone")):
        both = set(first) & set(second)
        if both:
            family, label = sorted(both)[0]
            raise QueryError(f"{label} ({family}) is both {said}: give it once")
    for family, label in add + remove + undo:
        if family not in REVIEWED_FAMILIES:
            raise QueryError(f"{family} labels are not reviewed; review ESC rights, fiscal labels or groups")
    text = stored.recommendation.text
    for verdict, labels in ((True, add), (False, remove), (None, undo)):
        for family, label in labels:
            store.set_review(text, family, label, verdict, note)
    ids = store.ids_with_text(text)
    tag_corpus(store, ids=ids, model=model)
    return {"ids": ids, "text": text}


def apply_stored_reviews(store: Any, texts: Iterable[str], *, skip: Iterable[int] = ()) -> int:
    """Give the tagged recommendations stored with one of ``texts`` (but those in ``skip``) the
    reviews of their text over their tags, without tagging again (reviews just recorded, e.g. by an
    imported export: every copy of the text takes them). Returns how many were changed."""
    from rightsindex.corpus.store import review_key

    reviews = store.reviews()
    keys = {review_key(t) for t in texts} & reviews.keys()
    if not keys:
        return 0
    skip = set(skip)
    key_of = {rec_id: key for key, ids in store.ids_by_text_key(keys).items() for rec_id in ids
              if rec_id not in skip}
    versions = dict(store.conn.execute(  # the tagged ones, with the version that tagged them
        f"SELECT id, tagged_version FROM recommendations WHERE tagged_version IS NOT NULL "
        f"AND id IN ({', '.join('?' * len(key_of)) or 'NULL'})", list(key_of)).fetchall())
    by_version: dict[str, list[tuple[int, list[Tag]]]] = {}
    for stored in store.recommendations(ids=list(versions)):
        tags = apply_reviews(stored.tags, reviews[key_of[stored.id]])
        # compared as stored: a tag made here has no model version, set_tags gives it the row's
        stored_as = [replace(t, model_version=t.model_version or versions[stored.id]) for t in tags]
        if stored_as != _sorted(list(stored.tags)):
            by_version.setdefault(versions[stored.id], []).append((stored.id, tags))
    return sum(int(store.set_tags(items, version)) for version, items in by_version.items())


def reviewed_examples(store: Any) -> list[dict[str, Any]]:
    """Every reviewed text with its labels, in the annotations' form (``text``, ``esc_rights``,
    ``fiscal``, and ``groups``) that ``rightsindex train --data`` and ``evaluate --gold`` read: the
    labels of a stored recommendation with the text (its tags, the reviews applied), or, if
    none is stored now, those the reviews give. ``reviewed`` holds the verdicts themselves
    (``{"esc_rights:housing": true}``) and ``recommendations`` how many stored ones have the text."""
    by_key: dict[str, dict[str, Any]] = {}
    for r in store.review_rows(counted=False):
        entry = by_key.setdefault(r["key"], {"text": r["text"], "verdicts": {}, "notes": {}})
        entry["verdicts"][(r["family"], r["label"])] = r["verdict"]
        if r.get("note"):
            entry["notes"][(r["family"], r["label"])] = r["note"]
    # the tags of one stored recommendation per reviewed text (not every recommendation read)
    stored_ids = store.ids_by_text_key(set(by_key))
    first = {ids[0]: key for key, ids in stored_ids.items()}
    tags_of = {first[s.id]: list(s.tags) for s in store.recommendations(ids=list(first))} if first else {}
    out = []
    for key, entry in by_key.items():
        tags = apply_reviews(tags_of.get(key, []), entry["verdicts"])
        row: dict[str, Any] = {"text": entry["text"]}
        for family in REVIEWED_FAMILIES:
            row[family] = sorted(t.label for t in tags if t.family == family)
        row["reviewed"] = {f"{f}:{lab}": v for (f, lab), v in sorted(entry["verdicts"].items())}
        if entry["notes"]:
            row["notes"] = {f"{f}:{lab}": note for (f, lab), note in sorted(entry["notes"].items())}
        row["recommendations"] = len(stored_ids.get(key, ()))
        out.append(row)
    return out


def import_reviews(store: Any, path: str | os.PathLike[str]) -> dict[str, int]:
    """Record the reviews of a ``review --export`` file (JSON lines with ``text`` and ``reviewed``:
    ``{"esc_rights:housing": true, "fiscal:taxation": false}``, and ``notes``), as a colleague's
    corrections to take over, and give them to the stored recommendations with those texts (the
    others take them when tagged). A review of a label already reviewed is replaced. Returns
    ``{"reviews", "texts", "changed"}``; a :class:`DataFileError` names the file and line of a
    malformed one, before anything is recorded."""
    from rightsindex.errors import DataFileError
    from rightsindex.nlp.datasets import _jsonl

    path = Path(path)
    if not path.is_file():
        raise DataFileError(f"{path}: no such file")
    store.require_writable()
    wanted: list[tuple[str, str, str, bool, str | None]] = []
    for n, obj in _jsonl(path):
        text, verdicts, notes = obj.get("text"), obj.get("reviewed"), obj.get("notes") or {}
        if not isinstance(text, str) or not text.strip():
            raise DataFileError(f"{path}:{n}: needs 'text', the recommendation's words")
        if not isinstance(verdicts, dict) or not isinstance(notes, dict):
            raise DataFileError(f"{path}:{n}: needs 'reviewed', e.g. {{\"esc_rights:housing\": true}} "
                                "(a file 'rightsindex review --export' wrote)")
        for key, verdict in verdicts.items():
            family, _, label = str(key).partition(":")
            if family not in REVIEWED_FAMILIES or label not in taxonomy.labels(family):
                raise DataFileError(f"{path}:{n}: {key!r} is not a label: write family:label, e.g. "
                                    "esc_rights:housing, fiscal:taxation, groups:women")
            if not isinstance(verdict, bool):
                raise DataFileError(f"{path}:{n}: the verdict on {key!r} is true or false, not {verdict!r}")
            note = notes.get(key)
            wanted.append((text, family, label, verdict, note if isinstance(note, str) else None))
    if not wanted:
        raise DataFileError(f"{path}: no reviews in it")
    for text, family, label, verdict, note in wanted:
        store.set_review(text, family, label, verdict, note)
    texts = list(dict.fromkeys(w[0] for w in wanted))
    return {"reviews": len(wanted), "texts": len(texts), "changed": apply_stored_reviews(store, texts)}
