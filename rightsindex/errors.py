"""Domain errors. Messages name the bad value and the next step.

Only the CLI turns these into click errors; library code raises them.
"""

from __future__ import annotations

__all__ = [
    "RightsIndexError",
    "IngestError",
    "NotAPDFError",
    "EmptyFileError",
    "EncryptedPDFError",
    "CorruptedPDFError",
    "NoTextLayerError",
    "UnknownDocumentError",
    "CorpusError",
    "SchemaVersionError",
    "ModelError",
    "QueryError",
    "DataFileError",
]


class RightsIndexError(Exception):
    """Base of every error rightsindex raises on purpose."""


class IngestError(RightsIndexError):
    """A file could not be ingested. ``path`` names it, ``reason`` says why."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class NotAPDFError(IngestError):
    pass


class EmptyFileError(IngestError):
    pass


class EncryptedPDFError(IngestError):
    pass


class CorruptedPDFError(IngestError):
    pass


class NoTextLayerError(IngestError):
    pass


class UnknownDocumentError(IngestError):
    pass


class CorpusError(RightsIndexError):
    """The corpus folder or its store is unusable."""


class SchemaVersionError(CorpusError):
    pass


class ModelError(RightsIndexError):
    """A model file is missing, corrupted, tampered with or incompatible."""


class QueryError(RightsIndexError):
    """A search query could not be parsed; the message says what was wrong."""


class DataFileError(RightsIndexError):
    """An input data file (CSV, JSONL, gold file) is malformed."""
