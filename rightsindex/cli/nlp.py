"""CLI commands of the tagging area: ``tag``, ``train``, ``evaluate``, ``explain``."""

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
        label has too few training examples for a model) or 'model' (the model alone; its
        evidence is the words that weighed most; for the action category, the opening words).

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
        if info["id"] is not None:
            where = " ".join(str(x) for x in (info["symbol"], info["paragraph"]) if x)
            if not info["symbol"]:  # imported rows: their State and source ("UPR Info uprinfo-00079")
                where = " | ".join(str(x) for x in (info.get("country"), info.get("citation")) if x)
            click.echo(f"[{info['id']}] {where}")
            if info.get("duplicate_of") is not None:
                click.echo(f"(UPR Info's copy of recommendation [{info['duplicate_of']}], "
                           f"{info.get('duplicate_of_citation') or 'a working-group report'})")
        click.echo(info["text"])
        if not info["tags"]:
            click.echo("(no tags)" if text is not None else "(not tagged yet: run 'rightsindex tag')")
        for t in info["tags"]:
            ev = ", ".join(f"'{e}'" for e in t["evidence"])
            how = "lexicon, model score" if t["source"] == "lexicon" else f"{t['source']}, score"
            click.echo(f"  {t['family']}: {t['label']} ({how} {t['score']:.2f})"
                       + (f": {ev}" if ev else ""))
        if info.get("note"):
            click.echo(f"  ({info['note']})")
        if info.get("not_tagged"):
            click.echo("  named but not tagged (read as named in passing):")
            for t in info["not_tagged"]:
                ev = ", ".join(f"'{e}'" for e in t["evidence"])
                click.echo(f"    {t['family']}: {t['label']} (model score {t['score']:.2f}): {ev}")
