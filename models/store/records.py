"""The evidence-records table as the other parts of the store see it: row layout, lookup and listing.

Drafting (:mod:`models.store.drafts`) and review (:mod:`models.store.curation`) both write whole rows
(:func:`_record_row`), lock them (``_locked_row``) and compare extractions on the same fields; those
shared pieces live here, with the read-only queries ``review list``/``show`` and the exports use.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from genelit.models.evidence import EvidenceRecord, RecordStatus
from genelit.models.store.engine import StoreEngine
from genelit.models.store.queue import queue_role
from genelit.models.tables import evidence_records
from sqlalchemy.engine import Connection

from genelit.errors import InputError

MIN_ID_PREFIX = 6
RETIRED = "retired"

# Fields that belong to the review, not to the extraction; a re-run never changes them on a reviewed record.
REVIEW_FIELDS = frozenset({"status", "curator", "note", "created_at", "updated_at"})
# Which pipeline produced a record: a version bump alone is not a disagreement worth a curator's time.
PROVENANCE_FIELDS = frozenset({"pipeline_version", "lexicon_version"})


def _content(record_json: Mapping[str, Any], ignore: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in record_json.items() if k not in ignore}


def _same_extraction(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two extractions say the same thing about the paper, ignoring review and provenance."""
    ignore = REVIEW_FIELDS | PROVENANCE_FIELDS
    return _content(a, ignore) == _content(b, ignore)


def _differing_fields(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    ignore = REVIEW_FIELDS | PROVENANCE_FIELDS
    return sorted(k for k in set(a) | set(b) if k not in ignore and a.get(k) != b.get(k))


def _record_row(record: EvidenceRecord, extracted: Mapping[str, Any], pending: Mapping[str, Any] | None,
                retired_at: datetime | None) -> dict[str, Any]:
    """Column values for one record: the whole record as JSON plus the indexed copies."""
    assert record.updated_at is not None
    return {
        "record_id": record.record_id,
        "pmid": record.pmid,
        "gene_symbol": record.gene_symbol,
        "hgnc_id": record.hgnc_id,
        "variant_key": record.variant_key,
        "status": record.status.value,
        "confidence": record.confidence,
        "role": queue_role(record),
        "updated_at": record.updated_at,
        "retired_at": retired_at,
        "data": record.model_dump(mode="json"),
        "extracted": dict(extracted),
        "pending": dict(pending) if pending is not None else None,
    }


class RecordQueries(StoreEngine):
    """Finding evidence records: by filters, by id or id prefix, with or without a pending update."""

    @staticmethod
    def _locked_row(conn: Connection, record_id: str) -> sa.Row[Any]:
        return conn.execute(
            sa.select(evidence_records).where(evidence_records.c.record_id == record_id).with_for_update()
        ).one()

    def list_records(
        self, gene: str | None = None, status: str | None = None, pmid: str | None = None
    ) -> list[EvidenceRecord]:
        """Records matching all given filters, ordered by PMID, gene and variant.

        ``gene`` matches the symbol case-insensitively, or the HGNC id (``HGNC:5464``).  Retired drafts
        are left out unless ``status="retired"``.
        """
        query = sa.select(evidence_records.c.data)
        if gene:
            gene = gene.strip()
            query = query.where(
                evidence_records.c.hgnc_id == gene.upper()
                if gene.upper().startswith("HGNC:")
                else sa.func.upper(evidence_records.c.gene_symbol) == gene.upper()
            )
        if status == RETIRED:
            query = query.where(evidence_records.c.retired_at.is_not(None))
        else:
            query = query.where(evidence_records.c.retired_at.is_(None))
            if status:
                valid = [s.value for s in RecordStatus]
                if status not in valid:
                    raise InputError(f"unknown status {status!r}; use one of {', '.join(valid + [RETIRED])}")
                query = query.where(evidence_records.c.status == status)
        if pmid:
            query = query.where(evidence_records.c.pmid == str(pmid).strip())
        query = query.order_by(
            evidence_records.c.pmid, evidence_records.c.gene_symbol, evidence_records.c.variant_key,
            evidence_records.c.record_id,
        )
        return [EvidenceRecord.model_validate(d) for d in self._read(lambda conn: conn.scalars(query).all())]

    def records_with_updates(self) -> set[str]:
        """Ids of reviewed records for which a newer, disagreeing extraction is pending."""
        query = sa.select(evidence_records.c.record_id).where(evidence_records.c.pending.is_not(None))
        return set(self._read(lambda conn: conn.scalars(query).all()))

    @staticmethod
    def _resolve(conn: Connection, record_id: str, *, lock: bool = False) -> sa.Row[Any]:
        """The row for a full record id or a unique prefix of at least six characters."""
        record_id = record_id.strip().lower()
        query = sa.select(evidence_records)
        if len(record_id) < MIN_ID_PREFIX:
            raise InputError(f"record id {record_id!r} is too short: give at least {MIN_ID_PREFIX} characters")
        exact = conn.execute(query.where(evidence_records.c.record_id == record_id)).first()
        if exact is None:
            matches = conn.execute(
                query.where(evidence_records.c.record_id.startswith(record_id, autoescape=True)).limit(5)
            ).all()
            if not matches:
                raise InputError(f"no evidence record with id {record_id!r} (see `genelit review list`)")
            if len(matches) > 1:
                raise InputError(
                    f"record id {record_id!r} is ambiguous: matches {', '.join(m.record_id for m in matches)}"
                )
            exact = matches[0]
        return RecordQueries._locked_row(conn, exact.record_id) if lock else exact

    def get_record(self, record_id: str) -> EvidenceRecord:
        """The record with this id (or unique id prefix of >= 6 characters); InputError if none."""
        return EvidenceRecord.model_validate(self._read(lambda conn: self._resolve(conn, record_id)).data)

    def pending_extraction(self, record_id: str) -> EvidenceRecord | None:
        """The newer extraction that disagrees with what the curator reviewed, if there is one."""
        pending = self._read(lambda conn: self._resolve(conn, record_id)).pending
        return EvidenceRecord.model_validate(pending) if pending is not None else None
