"""Tagging texts and corpora with the shipped (or a given) model."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
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
           "named_not_tagged"]

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


def tag_corpus(
    store: Any,
    *,
    retag: bool = False,
    model: TaggingModel | str | os.PathLike[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 1000,
) -> int:
    """Tag the recommendations of a :class:`~rightsindex.corpus.store.Store`; returns how many were tagged.

    Only those not yet tagged by this model version, unless ``retag``. Tags go
    in with ``Store.set_tags`` under the model's version; tags that came with
    imported data (source ``import``) are kept.
    """
    store.require_writable()  # a read-only corpus: said before any work
    m = _resolve(model)
    lex = get_lexicon()
    version = m.version
    if retag:
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
        tags = m.tags(lex.analyse([s.recommendation.text for s in pending]))
        rows = []
        for stored, new in zip(pending, tags, strict=True):
            kept = [t for t in stored.tags if t.source == "import"]
            rows.append((stored.id, _sorted(kept + [t for t in new if (t.family, t.label) not in
                                                    {(k.family, k.label) for k in kept}])))
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
        "citation": citation(row),
        "tags": [t.to_dict() for t in tags],
        "not_tagged": [],
        "duplicate_of": stored.duplicate_of,
    }
    if stored.duplicate_of is not None:  # UPR Info's copy: say which recommendation of the report it is
        twin = store.get_recommendation(stored.duplicate_of)
        if twin is not None:
            info["duplicate_of_citation"] = citation(twin.to_row())
    if tags:
        m = _resolve(model)
        made_by = sorted({t.model_version for t in tags if t.model_version})
        if made_by and made_by != [m.version]:
            info["note"] = (f"tagged by model {', '.join(made_by)}, not by {m.version}; "
                            "'rightsindex tag --all' tags again with it")
        else:
            info["not_tagged"] = named_not_tagged(stored.recommendation.text, tags, model=m)
    return info
