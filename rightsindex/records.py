"""Typed records shared by every stage of rightsindex.

Each stage boundary passes one of these frozen dataclasses: the PDF layer yields
``Page``/``Line``; ingestors yield a ``Document`` with its ``Paragraph``s and
``Recommendation``s; the NLP stage yields ``Tag``s. Raw pdfplumber, spaCy or
scikit-learn objects never leave their package.

Every record has ``to_dict``/``from_dict`` so it can be stored as JSON or
exported without knowing its shape.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, TypeVar

__all__ = [
    "DOCUMENT_TYPES",
    "RESPONSES",
    "FROM_EXPORT",
    "Line",
    "Page",
    "Document",
    "Paragraph",
    "Recommendation",
    "Tag",
    "IngestFailure",
    "IngestResult",
]

T = TypeVar("T", bound="_Record")

#: Document types a ``Document.document_type`` may take.
DOCUMENT_TYPES = (
    "concluding_observations",
    "list_of_issues",
    "upr_wg_report",
    "upr_addendum",
    "upr_national_report",
    "upr_compilation",
    "upr_stakeholder_summary",
    "nhri_report",
    "ngo_report",
    "resolution",
    "decision",
    "session_report",
    "letter",
    "upr_info_import",
    "other",
)

#: Normalised responses of a State to a recommendation.
RESPONSES = ("supported", "noted", "partially supported", "pending")

#: The flag of a document imported from a ``rightsindex export`` file: a copy, perhaps of some of
#: its recommendations only, which the file itself (the PDF, UPR Info's CSV) replaces when it comes.
FROM_EXPORT = "from_export"


class _Record:
    """Mixin giving dataclasses a JSON-friendly round trip."""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = [v.to_dict() if isinstance(v, _Record) else v for v in value]
            elif isinstance(value, _Record):
                value = value.to_dict()
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        names = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in names:
                continue
            if isinstance(value, list):
                value = tuple(value)
            kwargs[key] = value
        return cls(**kwargs)

    def replace(self: T, **changes: Any) -> T:
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]


@dataclass(frozen=True)
class Line(_Record):
    """One line of text on a page, as the PDF layer saw it (engine independent)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # dominant font size in points
    bold: bool = False
    italic: bool = False
    kind: str = "body"  # body | footnote | header | footer
    #: Superscript footnote markers the PDF layer took out of ``text``: (character
    #: offset in ``text`` where the marker stood, marker text), e.g. ``((57, "22"),)``.
    marks: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Page(_Record):
    """A page as lines, with running headers and footers already removed."""

    number: int  # 1-based
    width: float
    height: float
    lines: tuple[Line, ...] = ()
    footnotes: tuple[Line, ...] = ()
    headers: tuple[str, ...] = ()  # removed header/footer text, kept for metadata

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class Document(_Record):
    """One ingested document and what we know about it.

    ``sha256`` is the identity of the document: the same file under another name
    is the same document. ``symbol`` is the UN document symbol when it has one.
    """

    sha256: str
    source_path: str
    symbol: str | None = None
    document_type: str = "other"
    body: str | None = None  # UPR, CESCR, CRC, CEDAW, ..., NHRI, NGO, HRC, GA
    country: str | None = None  # State concerned (UN short name)
    country_code: str | None = None  # ISO 3166-1 alpha-3
    date: str | None = None  # ISO 8601 date
    year: int | None = None
    session: str | None = None
    cycle: int | None = None
    language: str | None = None  # ISO 639-1
    title: str | None = None
    pages: int = 0
    flags: tuple[str, ...] = ()  # e.g. "ocr", "noisy_ocr", "two_columns"
    responds_to: str | None = None  # symbol of the report an addendum responds to
    #: ISO date of the review a UPR working-group report records; ``year`` is then its year
    review_date: str | None = None


@dataclass(frozen=True)
class Paragraph(_Record):
    """A paragraph of a document, kept for search and for context."""

    seq: int  # order in the document, from 0
    text: str
    page: int
    number: str | None = None  # "12", "118.7", "27 (b)"
    section: str | None = None
    heading: str | None = None
    kind: str = "body"  # body | heading | footnote | list_item


@dataclass(frozen=True)
class Recommendation(_Record):
    """One recommendation with its provenance.

    ``paragraph`` is the numbered item it belongs to (``118.7``); when one item
    carries several recommendations each with its own States, ``part`` numbers
    them from 1 (0 means the item is one recommendation).
    """

    text: str
    paragraph: str | None = None
    part: int = 0
    page: int | None = None
    recommending_states: tuple[str, ...] = ()
    recommending_codes: tuple[str, ...] = ()  # ISO alpha-3 of recommending_states
    response: str | None = None  # one of RESPONSES, or None if not known
    response_source: str | None = None  # symbol of the document that stated it
    section: str | None = None
    heading: str | None = None  # subject heading in concluding observations
    concern: str | None = None  # the concern paragraph it answers
    follow_up: bool = False  # singled out for follow-up / urgent
    source_body: str | None = None  # body that made it, when not the document's
    source_symbol: str | None = None  # document it was quoted from
    action_category: int | None = None  # UPR Info 1..5 where known
    issues: tuple[str, ...] = ()  # labels carried by imported data (UPR Info issues)
    response_comment: str | None = None  # the State's own words on it, from its addendum
    #: the recommending States as the document writes them ("Turkey", "The former Yugoslav
    #: Republic of Macedonia"), in the order of ``recommending_states`` (today's UN names)
    recommending_as_written: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tag(_Record):
    """A label on a recommendation, with why it was given."""

    family: str  # esc_rights | fiscal | groups | action_category | upr_issues
    label: str
    source: str  # lexicon | model | both | import
    score: float
    evidence: tuple[str, ...] = ()
    model_version: str | None = None


@dataclass(frozen=True)
class IngestFailure(_Record):
    """A file that could not be ingested and why."""

    path: str
    reason: str
    sha256: str | None = None


@dataclass(frozen=True)
class IngestResult(_Record):
    """What happened to one file in an ingest run."""

    path: str
    status: str  # added | replaced | skipped | failed
    symbol: str | None = None
    document_type: str | None = None
    recommendations: int = 0
    paragraphs: int = 0
    reason: str | None = None
    details: tuple[str, ...] = field(default_factory=tuple)
