"""Evidence sentences of a full-text paper say where they are: section, table, page.

A pure step after drafting (drafting reads mentions, not passages): each evidence sentence is looked
up in the article's passages (:meth:`Article.passage_at`), so a curator sees "Table 2 (Results)" or
"p. 5, Case Report" next to the sentence, and the case-level roles can read the section kind.
Abstract-only articles have no passages: their records are left exactly as drafted.
"""
from __future__ import annotations

from collections.abc import Sequence

from genelit.models.article import Article
from genelit.models.evidence import EvidenceRecord


def cite_passages(article: Article, records: Sequence[EvidenceRecord]) -> list[EvidenceRecord]:
    """The records with each evidence sentence's section, kind, table and page filled in."""
    if not article.passages:
        return list(records)
    for record in records:
        for sentence in record.evidence:
            passage = article.passage_at(sentence.start)
            if passage is not None:
                sentence.section = passage.section
                sentence.section_kind = passage.kind.value
                sentence.table_id = passage.table_id
                sentence.page = passage.page
    return list(records)
