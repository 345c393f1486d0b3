"""Data models: the one place where genelit's domain objects are defined.

* :mod:`models.article`  — a PubMed article as fetched from Entrez, with its full-text passages.
* :mod:`models.mentions` — what the extractors find in a text (spans with offsets and concept ids).
* :mod:`models.evidence` — the draft evidence record a curator reviews.
* :mod:`models.review`   — curator decisions, audit entries and upsert counts, as plain values.
* :mod:`models.store`    — persistence (SQLAlchemy) for all of the above.
"""
from genelit.models.article import AbstractSection, Article, Passage, PassageDraft, SectionKind
from genelit.models.evidence import EvidenceRecord, RecordStatus
from genelit.models.mentions import DocumentExtraction, Mention, MentionKind

__all__ = [
    "AbstractSection",
    "Article",
    "DocumentExtraction",
    "EvidenceRecord",
    "Mention",
    "MentionKind",
    "Passage",
    "PassageDraft",
    "RecordStatus",
    "SectionKind",
]
