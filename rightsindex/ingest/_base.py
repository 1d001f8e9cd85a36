"""What every ingestor returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rightsindex.records import Document, Page, Paragraph, Recommendation


@dataclass
class Extraction:
    """A document and everything extracted from it, ready for ``Store.add_document``.

    ``responses`` are ``(report_symbol, paragraph, response)`` triples a document
    states about another document's recommendations (UPR addenda); ``comments`` the
    State's own words on some of them, by ``(report_symbol, paragraph)``.
    """

    document: Document
    paragraphs: list[Paragraph] = field(default_factory=list)
    recommendations: list["Recommendation"] = field(default_factory=list)
    responses: list[tuple[str, str, str]] = field(default_factory=list)
    comments: dict[tuple[str, str], str] = field(default_factory=dict)


#: The shape of every family's extractor: pages of a PDF and the identified
#: document in, an Extraction out.
Extractor = Callable[[Sequence[Page], Document], Extraction]
