"""CLI: ``rightsindex trends`` and ``rightsindex dossier`` (thin wrappers over the library)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from rightsindex.cli._common import corpus_dir, corpus_option, format_for, progress_bar, writing_to

_TABLE_FORMATS = ("table", "csv", "json", "xlsx", "parquet")
#: How a heading names a --by or --split value where its word alone is unclear.
_BY_NAMES = {"recommending": "recommending State", "region": "regional group of the State under review",
             "recommending_region": "regional group of the recommending States"}
#: Under this many recommendations in a period, emerging terms are noise (a trial compared against 2).
EMERGING_FEW = 50


@click.command("trends")
@click.option("--by", "by", type=click.Choice(["year", "cycle", "session", "country", "recommending",
                                                "region", "recommending_region"]),
              default="year", show_default=True,
              help="Period of each row (year: a working-group report's review's, as UPR Info counts it, "
              "else the document's; session and cycle group reviews); or country: a row per State "
              "under review (with --split response, which States accept what); or recommending: a row "
              "per recommending State (a joint recommendation counts for each of its States); or region / "
              "recommending_region: a row per UN regional group (African, Asia-Pacific, Eastern European, "
              "GRULAC, WEOG) of "
              "the State under review / of the recommending States (a joint recommendation counts once "
              "for each group of its States). With --emerging, what --from and --to count (years or "
              "cycles).")
@click.option("--split", "split",
              type=click.Choice(["right", "fiscal", "group", "issue", "body", "country", "response",
                                 "type", "action", "recommending", "region", "recommending_region"]),
              default=None, help="One column per label. right, fiscal, group, issue, recommending "
              "(States) and recommending_region (their regional groups) are multi-label: a "
              "recommendation tagged housing and health counts in both columns.")
@click.option("--query", "-q", "query", default=None,
              help="Only recommendations matching this search query (see 'rightsindex search --help').")
@click.option("--country", "country", multiple=True,
              help="Only this State under review (name or ISO code); repeatable: any of them.")
@click.option("--year", "year", default=None,
              help="Only recommendations of these years (as --by year counts them): 2014, 2015-2020, 2015-, "
              "-2012.")
@click.option("--state", "state", multiple=True,
              help="Only recommendations made by this State (name or code); repeatable: by any of them.")
@click.option("--region", "region", multiple=True,
              help="Only States under review of this UN regional group (WEOG, GRULAC, African, "
              "Asia-Pacific, 'Eastern European'); repeatable.")
@click.option("--recommending-region", "recommending_region", multiple=True,
              help="Only recommendations made by a State of this UN regional group; repeatable.")
@click.option("--share", is_flag=True,
              help="Shares instead of counts: each label's share of ALL recommendations of the period "
              "(the period's share of the total without --split).")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Keep the N labels with the most recommendations; with --by country or recommending "
              "(or a region), also the N States (groups) with the most, most first, then one row of the "
              "others.")
@click.option("--label", "labels", multiple=True,
              help="Keep only this label's column of --split (right: health, education, ...), in the "
              "order given; repeatable. Shares stay shares of all the period's recommendations.")
@click.option("--emerging", is_flag=True,
              help="Emerging terms: words and two-word phrases whose share rises most from --from to --to.")
@click.option("--from", "period_from", default=None, help="With --emerging: first period, e.g. 2008-2010.")
@click.option("--to", "period_to", default=None, help="With --emerging: second period, e.g. 2011-2013.")
@click.option("--min-count", type=click.IntRange(min=1), default=5, show_default=True,
              help="With --emerging: least recommendations of the --to period a term must appear in.")
@click.option("--limit", type=click.IntRange(min=1), default=25, show_default=True,
              help="With --emerging: how many terms.")
@click.option("--all-words", is_flag=True,
              help="With --emerging: keep the words recommendations are phrased with ('continue', "
              "'efforts', 'take measures'), left out by default.")
@click.option("--format", "fmt", type=click.Choice(_TABLE_FORMATS), default=None,
              help="Output format (default: from --output's extension, else table).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of the screen.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also draw a line chart to this PNG (or .svg, .pdf) file; periods with too few "
              "recommendations for their shares to mean much are drawn with hollow markers.")
@corpus_option
def trends_command(by: str, split: str | None, query: str | None, country: tuple[str, ...], year: str | None,
                   state: tuple[str, ...], region: tuple[str, ...], recommending_region: tuple[str, ...],
                   share: bool, top: int | None, labels: tuple[str, ...], emerging: bool,
                   period_from: str | None, period_to: str | None, min_count: int, limit: int,
                   all_words: bool, fmt: str | None, output: Path | None, plot: Path | None,
                   corpus: Path | None) -> None:
    """Recommendations per year, cycle or session, counted or as shares; or emerging terms.

    With --split, a recommendation with several labels (rights, fiscal labels, groups,
    issues) counts under EACH of them, so a row's columns can add up to more than its
    total; the 'total' column is the number of recommendations in the period.

    \b
    Examples:
      rightsindex trends --by year --split right --share
    rightsindex trends --by year --split right --label health --label education --share -o t.xlsx
      rightsindex trends --by cycle --split fiscal --query 'country:KEN' --format csv -o kenya.csv
      rightsindex trends --by year --split response --plot responses.png
      rightsindex trends --emerging --from 2008-2010 --to 2011-2013 --query 'women'
      rightsindex trends --by country --split response --share --query 'fiscal:*'
      rightsindex trends --by recommending --split right --query 'type:upr_wg_report'
      rightsindex trends --by cycle --split recommending --top 10 --query 'fiscal:taxation'
      rightsindex trends --by year --split fiscal --year 2012-2020 --state Norway --state Sweden
      rightsindex trends --by recommending_region --split fiscal --share
      rightsindex trends --by region --split recommending_region --query 'fiscal:taxation'
    """
    from rightsindex.corpus.api import open_corpus
    from rightsindex.search.trends import (
        MULTI_LABEL_SPLITS,
        REGION_ROWS,
        STATE_ROWS,
        count_once,
        emerging_terms,
        format_table,
        plot_trends,
        thin_median,
        trends,
    )

    fmt = format_for(fmt, output, _TABLE_FORMATS, "table")
    if plot is not None and plot.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise click.UsageError(f"--plot {plot}: draw to a .png, .svg or .pdf file")
    per = "regional group" if by in REGION_ROWS else "State"
    if by in STATE_ROWS and plot is not None:
        over_time = (f"--by year --split {by} --top 10 charts the {_BY_NAMES.get(by, by)}s "
                     "with the most over the years" if by == "recommending"
                     else f"--by year --split {by} charts the groups over the years" if by in REGION_ROWS
                     else "--by year --country STATE charts one State's over the years")
        raise click.UsageError(f"--by {by} makes a table per {per}, not a chart over periods: {over_time}; "
                               "or leave out --plot and chart the table written with -o FILE.csv or .xlsx")
    if by in STATE_ROWS and emerging:
        one = ("--state STATE" if by == "recommending" else f"--query '{by}:WEOG'" if by in REGION_ROWS
               else "--country STATE")
        raise click.UsageError(f"--by {by} makes a table per {per}; --emerging compares periods: use "
                               f"--by year or cycle with --from and --to ({one} for one {per}'s)")
    with writing_to(output):
        lib = open_corpus(corpus_dir(corpus))
        # --country, --region, --recommending-region: filters the heading and the metadata say
        chosen = {k: list(v) for k, v in (("country", country), ("region", region),
                                          ("recommending_region", recommending_region)) if v}
        filters: dict[str, Any] = dict(chosen)
        narrowed = _recommendations(lib, query, filters, year, state)
        if emerging:
            if not period_from or not period_to:
                raise click.UsageError(
                    "--emerging needs --from and --to, e.g. --from 2008-2010 --to 2011-2013")
            if plot is not None:
                raise click.UsageError(
                    "--plot draws trends, not emerging terms; leave it out with --emerging")
            if labels:
                raise click.UsageError("--label keeps columns of a --split; emerging terms have none")
            table = emerging_terms(narrowed, period_from, period_to, by=by, top=limit, min_count=min_count,
                                   all_words=all_words)
            meta = {"kind": "emerging_terms", "by": by, "from": table.attrs["from"],
                    "to": table.attrs["to"], "n_from": table.attrs["n_from"],
                    "n_to": table.attrs["n_to"], "min_count": min_count, "query": query,
                    **_narrowing(year, state, chosen)}
            percent = ("share_from", "share_to", "change")
            heading = (f"Emerging terms, {by} {meta['from']} ({meta['n_from']} recommendations) -> "
                       f"{meta['to']} ({meta['n_to']} recommendations)")
            for flag, span, n in (("--from", meta["from"], meta["n_from"]),
                                  ("--to", meta["to"], meta["n_to"])):
                if n < EMERGING_FEW:
                    click.echo(f"note: {flag} {span} holds {n} recommendation(s): the shares of words in so "
                               "few mean little; widen the periods or the query", err=True)
        else:
            if period_from or period_to:
                raise click.UsageError("--from and --to go with --emerging")
            counted, held_twice = count_once(narrowed)
            if labels and split is None:
                raise click.UsageError("--label keeps columns of a split: add --split, e.g. --split right "
                                       "--label health --label education")
            table = trends(counted, by=by, split=split, share=share, top=top, labels=list(labels) or None,
                           once=False)
            quoted = counted["document_type"].isin(("upr_compilation", "upr_stakeholder_summary")).sum() \
                if "document_type" in counted.columns else 0
            if quoted and quoted < len(counted):
                click.echo(f"note: {quoted:,} of these {len(counted):,} recommendations are quoted from "
                           "other bodies in UN compilations and stakeholders' summaries; add 'NOT "
                           "type:upr_compilation NOT type:upr_stakeholder_summary' to the query to count "
                           "only those made to the State", err=True)
            thin = table.attrs.get("thin") or {}
            if thin:
                listed = ", ".join(f"{period} ({n})" for period, n in list(thin.items())[:6])
                more = f" and {len(thin) - 6} more" if len(thin) > 6 else ""
                median = thin_median(table["total"])
                click.echo(f"note: few recommendations in {listed}{more}, against {median:,} in the median "
                           f"{_BY_NAMES.get(by, by)}: their shares swing on a handful of texts", err=True)
            if by == "year" and "review_date" in counted.columns:
                from rightsindex.ingest.pipeline import undated_note

                undated = counted[(counted["document_type"] == "upr_wg_report")
                                  & counted["review_date"].isna()]
                note = undated_note(sorted(set(undated["symbol"].fillna(undated["source_file"]))))
                if note:
                    click.echo(f"note: {note}", err=True)
            if held_twice:
                click.echo(f"note: {held_twice:,} recommendation(s) are in the corpus twice, from a "
                           "working-group report and from UPR Info's rows, and are counted once (as the "
                           "report's)", err=True)
            meta = {"kind": "trends", "by": by, "split": split, "share": share, "query": query,
                    **_narrowing(year, state, chosen),
                    "multi_label": split in MULTI_LABEL_SPLITS or split == "body",
                    "no_period": table.attrs.get("no_period", 0)}
            percent = tuple(c for c in table.columns if c != "total") if share else ()
            what = "Share of recommendations" if share else "Recommendations"
            heading = f"{what} per {_BY_NAMES.get(by, by)}" + (
                f", split by {_BY_NAMES.get(split, split)}" if split else "")
            labels = table.drop(columns=["total", "(none)"], errors="ignore")
            if split is not None and len(table) and not (labels.fillna(0).to_numpy() > 0).any():
                hint = " (run 'rightsindex tag' first)" if meta["multi_label"] else ""
                click.echo(f"note: no recommendation here has a {split} label{hint}", err=True)
            if plot is not None:
                plot_trends(table, plot, query=query, narrowed=_described(year, state, chosen))
        text = None
        if fmt == "table":
            said = [f"query: {query}"] if query else []
            said += [_described(year, state, chosen)] if year or state or chosen else []
            text = heading + (f" ({'; '.join(said)})" if said else "") + "\n"
            text += (format_table(table, percent_columns=percent) if len(table) else "(nothing)") + "\n"
            if not emerging and table.attrs.get("no_period"):
                text += (f"({table.attrs['no_period']} recommendations without a "
                         f"{_BY_NAMES.get(by, by)} left out)\n")
        _emit(table, fmt, output, meta, text, percent)
    if output is not None:
        click.echo(f"wrote {output}", err=True)
    if plot is not None:
        click.echo(f"wrote {plot}", err=True)


def _recommendations(lib: Any, query: str | None, filters: dict[str, Any], year: str | None,
                     states: tuple[str, ...]) -> Any:
    """The recommendations ``trends`` counts: those matching ``query`` and ``filters``, narrowed by
    ``--year`` and ``--state`` with the library's filters, which read values as ``export`` does
    (``--state Frnace`` is an error naming France)."""
    return lib.recommendations(query, **filters, **_narrowing(year, states))


def _narrowing(year: str | None, states: tuple[str, ...],
               chosen: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """``--year``, ``--state`` and the ``--country`` and ``--region`` options (``chosen``) as an output
    file's metadata records them (only those given)."""
    return {k: v for k, v in (("year", year), ("state", list(states))) if v} | (chosen or {})


def _described(year: str | None, states: tuple[str, ...],
               chosen: dict[str, list[str]] | None = None) -> str | None:
    """What ``--year``, ``--state``, ``--country`` and ``--region`` narrowed the recommendations to, for
    a heading or a chart's subtitle: ``years 2015-2020; recommended by Norway or Sweden; region
    African``."""
    parts = [f"year{'s' if '-' in year else ''} {year}"] if year else []
    if states:
        parts.append("recommended by " + " or ".join(states))
    parts += [f"{k.replace('_', ' ')} {' or '.join(v)}" for k, v in (chosen or {}).items()]
    return "; ".join(parts) or None


@click.command("dossier")
@click.argument("country")
@click.option("--right", "right", multiple=True,
              help="Only recommendations about this ESC right (e.g. housing, health, education); "
              "repeatable: about any of the rights given.")
@click.option("-q", "--query", default=None,
              help="Only recommendations matching this search query, e.g. "
              "'right:housing OR housing OR evictions' (see 'rightsindex search --help').")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE.md, FILE.html or FILE.json (the extension picks the format).")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "json"]), default=None,
              help="Output format (default: from --output's extension, else markdown).")
@click.option("--threshold", type=click.FloatRange(0.05, 1.0), default=None,
              help="Similarity (0-1) from which two recommendations count as one repeated "
              "(default 0.5).")
@corpus_option
def dossier_command(country: str, right: tuple[str, ...], query: str | None, output: Path | None,
                    fmt: str | None, threshold: float | None, corpus: Path | None) -> None:
    """The UPR dossier of one State (name or ISO code): what it received and how it answered.

    Recommendations grouped by right, review and body; responses and the acceptance rate
    per right, and per regional group and State that recommended; recommendations repeated across cycles or bodies shown once with their
    history (groups made of all the State received: --right and -q choose the groups shown);
    fiscal recommendations highlighted; a citation (symbol, paragraph, page) on each
    (a letter or report without a UN symbol is cited by what it is: "Letter of the High
    Commissioner for Human Rights to Slovenia, 13 May 2020, p. 3").

    \b
    Examples:
      rightsindex dossier Kenya
      rightsindex dossier SVN --right housing --output slovenia-housing.html
      rightsindex dossier Kenya --right health --right education -o kenya.md
      rightsindex dossier India -q 'right:housing OR housing OR evictions'
      rightsindex dossier "Iran (Islamic Republic of)" -o iran.md
    """
    from rightsindex.corpus.api import open_corpus
    from rightsindex.search.dossier import DEFAULT_THRESHOLD, render

    fmt = format_for(fmt, output, ("markdown", "html", "json"), "markdown")
    with writing_to(output):
        lib = open_corpus(corpus_dir(corpus))
        result = lib.dossier(country, right=list(right) or None, query=query,
                             threshold=DEFAULT_THRESHOLD if threshold is None else threshold)
        text = render(result, fmt)
        if output is None:
            click.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
            click.echo(f"wrote {output}: {result.total} recommendations, {len(result.repeated)} "
                       "repeated across reviews", err=True)


_REPEATED_SHOWN = ("country_code", "recommendations", "first_year", "last_year", "supported", "noted",
                   "partially_supported", "no_response", "text")


@click.command("repeated")
@click.option("--query", "-q", "query", default=None,
              help="Only recommendations matching this search query, e.g. 'right:housing OR evictions'.")
@click.option("--country", "country", multiple=True,
              help="Only this State under review (name or ISO code); repeatable.")
@click.option("--right", "right", multiple=True,
              help="Only recommendations about this ESC right; repeatable.")
@click.option("--year", "year", default=None, help="Only recommendations of these years: 2014, 2008-2016.")
@click.option("--state", "state", multiple=True,
              help="Only recommendations made by this State (name or code); repeatable.")
@click.option("--fiscal", "fiscal", multiple=True,
              help="Only recommendations with this fiscal label; repeatable.")
@click.option("--region", "region", multiple=True,
              help="Only States under review of this UN regional group (WEOG, GRULAC, ...); repeatable.")
@click.option("--recommending-region", "recommending_region", multiple=True,
              help="Only recommendations made by a State of this UN regional group; repeatable.")
@click.option("--across-cycles", is_flag=True,
              help="Only recommendations made again in another UPR cycle (a compilation and the "
              "High Commissioner's letter that restates it are one cycle).")
@click.option("--within-review", is_flag=True,
              help="Also groups made by several States in one review only (by default, only "
              "recommendations made again in another review: another cycle, body or year).")
@click.option("--threshold", type=click.FloatRange(0.05, 1.0), default=None,
              help="Similarity (0-1) from which two recommendations count as one repeated (default "
              "0.5); lower (0.3) also joins rewordings such as 'accede to' and 'consider ratifying'.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="Rows shown on the screen (0: all); a file (-o) gets every row.")
@click.option("--format", "fmt", type=click.Choice(_TABLE_FORMATS), default=None,
              help="Output format (default: from --output's extension, else table).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (.csv, .json, .xlsx, .parquet) instead of the screen.")
@corpus_option
def repeated_command(query: str | None, country: tuple[str, ...], right: tuple[str, ...], year: str | None,
                     state: tuple[str, ...], fiscal: tuple[str, ...], region: tuple[str, ...],
                     recommending_region: tuple[str, ...], across_cycles: bool, within_review: bool,
                     threshold: float | None,
                     limit: int, fmt: str | None, output: Path | None, corpus: Path | None) -> None:
    """Recommendations made to a State again and again, across every State of the corpus.

    A row per group of recommendations to one State similar enough to be the same one (as
    in the dossier), most repeated first: how many, in which reviews and years, by whom,
    how the State answered, and the text most like the others. Groups are made from all a
    State received; the query and filters choose which groups are listed (those with a
    recommendation they match: 'matching' counts them), never what a group holds. The
    dossier shows one State's in full.

    \b
    Examples:
      rightsindex repeated
      rightsindex repeated --right housing --format csv -o housing-repeated.csv
      rightsindex repeated -q 'fiscal:*' --year 2008-2016
      rightsindex repeated --country Kenya --country Uganda --within-review
    """
    from rightsindex.corpus.api import open_corpus
    from rightsindex.search.trends import format_table

    fmt = format_for(fmt, output, _TABLE_FORMATS, "table")
    filters: dict[str, Any] = {k: list(v) for k, v in (("country", country), ("right", right),
                                                       ("state", state), ("fiscal", fiscal),
                                                       ("region", region),
                                                       ("recommending_region", recommending_region)) if v}
    if year:
        filters["year"] = year
    with writing_to(output):
        lib = open_corpus(corpus_dir(corpus))
        progress, close = progress_bar("Grouping")
        try:
            table = lib.repeated(query, across_reviews=not within_review, across_cycles=across_cycles,
                                 threshold=threshold, progress=progress, **filters)
        finally:
            close()
        meta = {"kind": "repeated", "query": query, "across_reviews": not within_review,
                "across_cycles": across_cycles, **filters}
        text = None
        if fmt == "table":
            shown = table if not limit or output is not None else table.head(limit)
            cut = shown["text"].map(lambda t: t if len(t) <= 90 else t[:87] + "...")
            width = int(cut.map(len).max()) if len(cut) else 0
            columns = list(_REPEATED_SHOWN)
            if query or filters:  # how many of each group's recommendations the query and filters match
                columns.insert(columns.index("text"), "matching")
            shown = shown[columns].assign(text=cut.map(lambda t: t.ljust(width)))  # flush left
            what = ("across UPR cycles" if across_cycles else "across reviews" if not within_review
                    else "in one review or across reviews")
            text = (f"{len(table):,} group(s) of recommendations made again {what}"
                    + (f", the {len(shown)} most repeated" if len(shown) < len(table) else "") + ":\n")
            text += (format_table(shown.rename(columns={"country_code": "State", "recommendations": "n",
                                                        "partially_supported": "partially",
                                                        "no_response": "no response"}))
                     if len(shown) else "(none: a recommendation counts as repeated when the State "
                     "received it again in another review or document of this corpus; ingest or import "
                     "its other reviews)") + "\n"
        _emit(table, fmt, output, meta, text)
    if output is not None:
        click.echo(f"wrote {output}: {len(table):,} group(s)", err=True)


def _emit(table: Any, fmt: str, output: Path | None, meta: dict[str, Any], text: str | None,
          percent: tuple[str, ...] = ()) -> None:
    """A table to ``output`` or the screen: ``text`` for the table format, else ``fmt`` (csv, json,
    xlsx, parquet; the binary ones need ``output``; ``percent``: the columns of shares, percentage
    cells in xlsx)."""
    from rightsindex.search.trends import write_table

    if fmt == "table":
        if output is not None:
            output.write_text(text or "", encoding="utf-8")
        else:
            click.echo(text or "", nl=False)
        return
    text_out = write_table(table, fmt, output, meta=meta, percent_columns=percent)
    if text_out is not None:
        click.echo(text_out, nl=False)


def register(main: click.Group) -> None:
    """Add ``trends``, ``dossier`` and ``repeated`` to the CLI."""
    main.add_command(trends_command)
    main.add_command(dossier_command)
    main.add_command(repeated_command)
