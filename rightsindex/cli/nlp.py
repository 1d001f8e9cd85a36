"""CLI commands of the tagging area: ``tag``, ``train``, ``evaluate``, ``explain``, ``review``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from rightsindex.cli._common import corpus_dir, corpus_option, fail, progress_bar, writing_to
from rightsindex.errors import RightsIndexError

_model_option = click.option(
    "--model", "model", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Model file made by 'rightsindex train' (default: the model shipped with rightsindex).",
)


def register(main: click.Group) -> None:
    """Add the tagging commands to the ``rightsindex`` group."""

    @main.command("tag")
    @click.option("--all", "retag", is_flag=True, help="Retag every recommendation, not only untagged ones.")
    @_model_option
    @corpus_option
    def tag_cmd(retag: bool, model: Path | None, corpus: Path | None) -> None:
        """Tag recommendations with ESC rights, fiscal labels, groups, action category, issues.

        Tags only recommendations not yet tagged by the current model (all with
        --all), then brings the search index up to date.

        \b
        Examples:
          rightsindex tag --corpus my-corpus
          rightsindex tag --all --model my-model.npz --corpus my-corpus
        """
        from rightsindex import nlp
        from rightsindex.corpus.store import Store

        cdir = corpus_dir(corpus)
        bar, close_bar = progress_bar("Tagging")
        try:
            m = nlp.load_model(model)
            with Store.open(cdir, create=False) as store:
                n = nlp.tag_corpus(store, retag=retag, model=m, progress=bar)
        except RightsIndexError as exc:
            raise fail(exc) from None
        finally:
            close_bar()
        if n or retag:
            click.echo(f"Tagged {n} recommendation(s) with model {m.version}.")
        else:
            click.echo(f"Nothing to tag: every recommendation is already tagged by model {m.version} "
                       "(--all tags them again).")
        try:
            from rightsindex.search import sync_index
        except ImportError:
            return
        try:
            sync_index(cdir)
        except RightsIndexError as exc:
            raise fail(exc) from None

    @main.command("train")
    @click.option("--data", "data", multiple=True, required=True,
                  type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  help="Labelled file (repeatable): a UPR Info CSV, annotations JSONL "
                       "(text, esc_rights, fiscal) or general-comment paragraphs JSONL.")
    @click.option("--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="Where to write the model (.npz).")
    def train_cmd(data: tuple[Path, ...], output: Path) -> None:
        """Train a tagging model on labelled data and save it (arrays + JSON, no pickle).

        General-comment paragraphs that rightsindex ships labels for (800 paragraphs labelled
        under the annotation guidelines) train with those labels; the others with the labels of
        the comment they belong to.

        \b
        Example:
          rightsindex train --data upr_info/recommendations.csv \\
              --data annotations/esc_fiscal_dev.jsonl --output my-model.npz
        """
        import os

        from rightsindex import nlp

        folder = output.parent if str(output.parent) else Path(".")
        if not folder.is_dir() or not os.access(folder, os.W_OK):  # before minutes of training
            raise click.ClickException(f"{output}: cannot write the model there "
                                       f"({'no such folder' if not folder.is_dir() else 'not writable'})")
        bar, close_bar = progress_bar("Training")
        try:
            m = nlp.train(list(data), output, progress=bar)
        except RightsIndexError as exc:
            raise fail(exc) from None
        finally:
            close_bar()
        rows = ", ".join(f"{n:,} {origin.replace('_', ' ')}" for origin, n in m.info.get("origins", {}).items())
        click.echo(f"Saved model {m.version} ({', '.join(m.heads)}) to {output}"
                   + (f"; trained on {rows}" if rows else ""))

    @main.command("evaluate")
    @click.option("--gold", "gold", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  help="Gold file.")
    @click.option("--gold-format", "gold_format", type=click.Choice(["jsonl", "upr-info"]), default="jsonl",
                  show_default=True, help="jsonl: text, esc_rights, fiscal; upr-info: a UPR Info CSV.")
    @click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
    @click.option("--errors", "errors_path", type=click.Path(dir_okay=False, path_type=Path),
                  help="Also write each gold text tagged differently from its gold labels (JSON lines: "
                       "id, text, and per family the labels missed and the extra ones) to this file.")
    @_model_option
    def evaluate_cmd(gold: Path, gold_format: str, fmt: str, errors_path: Path | None,
                     model: Path | None) -> None:
        """Score a model against gold labels: per label precision, recall, F1, support.

        A gold text the model was trained on (the shipped model was trained on the annotations and
        UPR Info data of rightsindex's project) scores too well: the command counts them, warns, and
        reports them as "trained_on" in JSON. Score a model on texts it has not seen, e.g. one
        trained by 'rightsindex train' without them.

        \b
        Examples:
          rightsindex train --data upr_info.csv --output no-dev.npz
          rightsindex evaluate --gold esc_fiscal_dev.jsonl --model no-dev.npz
          rightsindex evaluate --gold recommendations.csv --gold-format upr-info --format json
          rightsindex evaluate --gold my-labels.jsonl --errors wrong.jsonl
        """
        from rightsindex import nlp

        errors: list | None = [] if errors_path is not None else None
        try:
            result = nlp.evaluate(gold, gold_format=gold_format, model=model, errors=errors)
        except RightsIndexError as exc:
            raise fail(exc) from None
        if errors_path is not None:
            with writing_to(errors_path), open(errors_path, "w", encoding="utf-8") as fh:
                for row in errors or ():
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            click.echo(f"{len(errors or ())} gold texts tagged differently from the gold: written to "
                       f"{errors_path}", err=True)
        seen = max((s.get("trained_on", 0) for s in result.values()), default=0)
        if seen:
            n = max(s["n"] for s in result.values())
            click.echo(f"Warning: {seen} of {n} gold texts were in this model's training data; these "
                       "scores overstate how it does on new texts (cross-validate instead: see "
                       "bench/tagging.py)", err=True)
        if fmt == "json":
            click.echo(json.dumps(result, ensure_ascii=False))
            return
        for family, scores in result.items():
            click.echo(f"{family}  micro-F1 {scores['micro_f1']:.3f}  macro-F1 {scores['macro_f1']:.3f}  "
                       f"(micro P {scores['micro_precision']:.3f} R {scores['micro_recall']:.3f}, "
                       f"{scores['n']} texts)")
            click.echo(f"  {'label':<42} {'prec':>6} {'rec':>6} {'F1':>6} {'support':>8}")
            for label, s in scores["labels"].items():
                if not s["support"] and not s.get("predicted", 1):
                    click.echo(f"  {label:<42} {'-':>6} {'-':>6} {'-':>6} {0:>8}")  # nothing to score
                    continue
                click.echo(f"  {label:<42} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
                           f"{s['support']:>8}")
            conf = scores.get("confusion", {})
            if "matrix" in conf:
                click.echo("  confusion (rows gold, columns predicted): " + " ".join(conf["labels"]))
                for lab, row in zip(conf["labels"], conf["matrix"], strict=True):
                    click.echo(f"    {lab:>3} " + " ".join(f"{v:>6}" for v in row))
            else:
                fps = ", ".join(f"{k} {v}" for k, v in list(conf.get("false_positives", {}).items())[:5])
                fns = ", ".join(f"{k} {v}" for k, v in list(conf.get("false_negatives", {}).items())[:5])
                click.echo(f"  most false positives: {fps or '-'}")
                click.echo(f"  most false negatives: {fns or '-'}")
                pairs = "; ".join(f"{p['gold']} -> {p['predicted']} ({p['count']})"
                                  for p in conf.get("missed_for", [])[:5])
                if pairs:
                    click.echo(f"  missed for: {pairs}")
            click.echo("")

    @main.command("explain")
    @click.argument("rec_id", metavar="[ID]", type=int, required=False)
    @click.option("--text", "text", help="Tag this text instead of a stored recommendation (no corpus needed).")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
    @_model_option
    @corpus_option
    def explain_cmd(rec_id: int | None, text: str | None, fmt: str, model: Path | None,
                    corpus: Path | None) -> None:
        """Show the tags of one stored recommendation, or of any text, and why each was given.

        Each tag's source says who decided: 'both' (the lexicon matched and the model agrees),
        'lexicon' (the lexicon's match carried it although the model's score is low, or the
        label has too few training examples for a model), 'model' (the model alone; its
        evidence is the words that weighed most; for the action category, the opening words)
        or 'reviewed' (a reader said so: 'rightsindex review').

        \b
        Examples:
          rightsindex explain 42 --corpus my-corpus
          rightsindex explain --text "Combat tax evasion and fund primary health care"
        """
        from rightsindex import nlp
        from rightsindex.nlp.tagging import explain_text

        if (rec_id is None) == (text is None):
            raise click.UsageError("give either a recommendation ID or --text")
        if text is not None and not text.strip():
            raise click.UsageError("--text is empty: give the text to tag")
        if text is not None:
            try:
                info = explain_text(text, model=model)
            except RightsIndexError as exc:
                raise fail(exc) from None
        else:
            from rightsindex.corpus.store import Store

            try:
                with Store.open(corpus_dir(corpus), create=False) as store:
                    info = nlp.explain(store, rec_id, model=model)
            except RightsIndexError as exc:
                raise fail(exc) from None
            if info is None:
                raise click.ClickException(f"no recommendation with id {rec_id} in {corpus_dir(corpus)}")
        if fmt == "json":
            click.echo(json.dumps(info, ensure_ascii=False))
            return
        _echo_explained(info, text_given=text is not None)

    @main.command("review")
    @click.argument("rec_ids", metavar="[ID]...", nargs=-1, type=int)
    @click.option("--add", "add", multiple=True, metavar="LABEL",
                  help="The text has this label (right:housing, fiscal:taxation, group:women), whatever the "
                  "model says. Repeatable.")
    @click.option("--remove", "remove", multiple=True, metavar="LABEL",
                  help="The text has not this label, whatever the model says. Repeatable.")
    @click.option("--undo", multiple=True, metavar="LABEL",
                  help="Forget the review of this label: the model decides again. Repeatable.")
    @click.option("--note", help="Why: kept with the review, shown by explain and --list.")
    @click.option("--list", "list_", is_flag=True, help="List every review.")
    @click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write every reviewed text with its labels as JSON lines, in the annotations' form "
                  "that 'train --data' and 'evaluate --gold' read, and 'review --import' takes in.")
    @click.option("--import", "import_path", type=click.Path(dir_okay=False, path_type=Path),
                  help="Take over the reviews of a file 'review --export' wrote (a colleague's corrections): "
                  "each replaces this corpus's review of the same label of the same text.")
    @click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
                  help="Output format of --list.")
    @_model_option
    @corpus_option
    @click.pass_context
    def review_cmd(ctx: click.Context, rec_ids: tuple[int, ...], add: tuple[str, ...], remove: tuple[str, ...],
                   undo: tuple[str, ...], note: str | None, list_: bool, export_path: Path | None,
                   import_path: Path | None, fmt: str, model: Path | None, corpus: Path | None) -> None:
        """Correct the tags of recommendations: say a text has a label (--add) or has not (--remove).

        A review is kept with the text, not the row: every recommendation with the same words
        (UPR Info's copy of a report's, a text read again or ingested later) takes it, and
        tagging again, with this model or another, keeps it. Reviewed tags show the source
        'reviewed' in explain, search and exports. --undo forgets a review. With IDs alone it
        shows their tags and reviews; --list lists every review, and --export writes the
        reviewed texts with their labels for 'rightsindex train --data' (teach a model your
        corrections) or 'evaluate --gold' (how often the model agrees with them), and for
        'review --import' in another corpus (a team's corrections, shared).

        \b
        Examples:
          rightsindex review 153 --add right:housing --remove right:education --note "evictions"
          rightsindex review 153 --undo right:education
          rightsindex review --list --corpus my-corpus
          rightsindex review --export reviews.jsonl
          rightsindex review --import reviews.jsonl --corpus team-corpus   # a colleague's corrections
          rightsindex train --data reviews.jsonl --data ../upr_info.csv --output mine.npz
        """
        from rightsindex import nlp
        from rightsindex.corpus.store import Store
        from rightsindex.nlp.tagging import review, reviewed_examples
        from rightsindex.search.query import label_spec

        changes = add or remove or undo
        if changes and not rec_ids:
            raise click.UsageError("--add, --remove and --undo need the IDs of the recommendations they are about")
        if not rec_ids and not list_ and not export_path and not import_path:
            raise click.UsageError("give recommendation IDs (with --add, --remove or --undo to change their "
                                   "labels), --list, --export FILE or --import FILE")
        if note is not None and not changes:
            raise click.UsageError("--note goes with --add, --remove or --undo")
        try:
            labels = {name: [label_spec(v) for v in values]
                      for name, values in (("add", add), ("remove", remove), ("undo", undo))}
        except RightsIndexError as exc:
            raise fail(exc) from None
        folder = corpus_dir(corpus)
        missing = []
        try:
            with Store.open(folder, create=False) as store:
                if changes or import_path is not None:
                    store.require_writable()
                if import_path is not None:
                    from rightsindex.nlp.tagging import import_reviews

                    took = import_reviews(store, import_path)
                    click.echo(f"Imported {took['reviews']:,} review(s) of {took['texts']:,} text(s) from "
                               f"{import_path}; {took['changed']:,} stored recommendation(s) changed.")
                for rec_id in dict.fromkeys(rec_ids):  # 'review 424 424' reviews it once
                    if store.get_recommendation(rec_id) is None:
                        missing.append(rec_id)  # said at the end; the others are done
                        continue
                    also = ""
                    if changes:
                        done = review(store, rec_id, **labels, note=note, model=model)
                        others = len(done["ids"]) - 1
                        if others:  # said under the recommendation's block, which it belongs to
                            also = (f"(also reviewed: {others} other recommendation(s) with the same text: "
                                    f"{', '.join(str(i) for i in done['ids'] if i != rec_id)})")
                    _echo_explained(nlp.explain(store, rec_id, model=model))
                    if also:
                        click.echo(also)
                if list_:
                    rows = store.review_rows()
                    if fmt == "jsonl":
                        for row in rows:
                            click.echo(json.dumps({k: v for k, v in row.items() if k != "key"}, ensure_ascii=False))
                    else:
                        _echo_reviews(rows)
                if export_path is not None:
                    examples = reviewed_examples(store)
                    with writing_to(export_path), open(export_path, "w", encoding="utf-8") as fh:
                        for row in examples:
                            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                    click.echo(f"wrote {export_path}: {len(examples)} reviewed text(s)", err=True)
        except RightsIndexError as exc:
            raise fail(exc) from None
        if (changes and len(missing) < len(rec_ids)) or import_path is not None:
            from rightsindex.search import sync_index

            try:
                sync_index(folder)
            except RightsIndexError as exc:
                raise fail(exc) from None
        if missing:
            raise click.ClickException(f"no recommendation with id {', '.join(map(str, missing))} in {folder}")


def _echo_explained(info: dict, *, text_given: bool = False) -> None:
    """``explain``'s text output of one recommendation (or text): where from, its tags with their
    source, score and evidence, the readers' reviews, and the labels named but not tagged."""
    if info["id"] is not None:
        where = " ".join(str(x) for x in (info["symbol"], info["paragraph"]) if x)
        if not info["symbol"]:  # imported rows: their source and State ("UPR Info uprinfo-00079: Kenya")
            cited = str(info.get("citation") or "")
            where = cited if info.get("country") and info["country"] in cited else " | ".join(
                str(x) for x in (info.get("country"), cited) if x)
        click.echo(f"[{info['id']}] {where}")
        # who made it and how it was answered, as search and the dossier say it
        said = []
        if info["symbol"] and (info.get("country") or info.get("year")):
            said.append(", ".join(str(x) for x in (info.get("country"), info.get("year")) if x))
        if info.get("recommending_states"):
            said.append("by " + ", ".join(info["recommending_states"]))
        elif info.get("body") not in (None, "", "UPR", info.get("country")):
            # a body a compilation or summary quotes (CESCR, NHRI), as search says it
            said.append(f"by {info['body']}")
        if info.get("response"):
            said.append(f"response: {info['response']}")
        if said:
            click.echo("; ".join(said))
        if info.get("duplicate_of") is not None:
            click.echo(f"(UPR Info's copy of recommendation [{info['duplicate_of']}], "
                       f"{info.get('duplicate_of_citation') or 'a working-group report'})")
    click.echo(info["text"])
    if not info["tags"]:
        click.echo("(no tags)" if text_given else "(not tagged yet: run 'rightsindex tag')")
    for t in info["tags"]:
        ev = ", ".join(f"'{e}'" for e in t["evidence"])
        how = "lexicon, model score" if t["source"] == "lexicon" else f"{t['source']}, score"
        click.echo(f"  {t['family']}: {t['label']} ({how} {t['score']:.2f})"
                   + (f": {ev}" if ev else ""))
    said_not = [r for r in info.get("reviews", []) if not r["verdict"]]
    for r in said_not:
        click.echo(f"  not {r['family']}: {r['label']} (reviewed {r['reviewed_at'][:10]})"
                   + (f": {r['note']}" if r.get("note") else ""))
    for r in info.get("reviews", []):
        if r["verdict"] and r.get("note"):
            click.echo(f"  {r['family']}: {r['label']} reviewed {r['reviewed_at'][:10]}: {r['note']}")
    if info.get("note"):
        click.echo(f"  ({info['note']})")
    if info.get("not_tagged"):
        click.echo("  named but not tagged (read as named in passing):")
        for t in info["not_tagged"]:
            ev = ", ".join(f"'{e}'" for e in t["evidence"])
            click.echo(f"    {t['family']}: {t['label']} (model score {t['score']:.2f}): {ev}")


def _echo_reviews(rows: list[dict]) -> None:
    """``review --list`` as a table: each reviewed text once, its verdicts under it."""
    if not rows:
        click.echo("(no reviews: 'rightsindex review ID --add right:housing' makes one)")
        return
    texts = 0
    last = None
    for row in rows:
        if row["key"] != last:
            last = row["key"]
            texts += 1
            short = row["text"] if len(row["text"]) <= 100 else row["text"][:99] + "…"
            click.echo(f"{short}  [{row['recommendations']} stored]")
        verdict = "has" if row["verdict"] else "not"
        click.echo(f"  {verdict} {row['family']}: {row['label']}  ({row['reviewed_at'][:10]})"
                   + (f"  {row['note']}" if row.get("note") else ""))
    click.echo(f"{len(rows)} review(s) of {texts} text(s)")
