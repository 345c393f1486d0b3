"""The article cache: fetched PubMed articles and the PMIDs that could not be fetched.

A run asks the cache first and fetches only what is missing, so an interrupted or repeated run never
fetches an article twice; failures are remembered with their reason so ``genelit failures`` can list
them and a re-run retries only those.  Separate from the evidence records: nothing here depends on
extraction or review.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlalchemy as sa
from genelit.models.article import Article
from genelit.models.store.engine import StoreEngine, _chunks, _now, _unique
from genelit.models.tables import articles, fetch_failures
from sqlalchemy.engine import Connection


class ArticleCache(StoreEngine):
    """Stored articles by PMID, and the PMIDs whose last fetch failed."""

    def cached_pmids(self, pmids: Iterable[str]) -> set[str]:
        """Which of ``pmids`` are already stored, so a run fetches only the others."""
        wanted = _unique(pmids)

        def work(conn: Connection) -> set[str]:
            found: set[str] = set()
            for chunk in _chunks(wanted):
                found.update(conn.scalars(sa.select(articles.c.pmid).where(articles.c.pmid.in_(chunk))))
            return found

        return self._read(work)

    def load_articles(self, pmids: Iterable[str]) -> list[Article]:
        """Stored articles in the order asked for; PMIDs not in the cache are skipped."""
        wanted = _unique(pmids)

        def work(conn: Connection) -> dict[str, Article]:
            found: dict[str, Article] = {}
            for chunk in _chunks(wanted):
                rows = conn.execute(sa.select(articles.c.pmid, articles.c.data).where(articles.c.pmid.in_(chunk)))
                found.update((pmid, Article.model_validate(data)) for pmid, data in rows)
            return found

        found = self._read(work)
        return [found[p] for p in wanted if p in found]

    def save_articles(self, items: Iterable[Article]) -> int:
        """Insert or replace articles in one transaction; a saved PMID is no longer a fetch failure."""
        now = _now()
        rows = list({a.pmid: {"pmid": a.pmid, "data": a.model_dump(mode="json"), "fetched_at": now} for a in items}.values())
        if not rows:
            return 0

        def work(conn: Connection) -> int:
            stmt = self._insert(conn, articles)
            stmt = stmt.on_conflict_do_update(
                index_elements=[articles.c.pmid],
                set_={"data": stmt.excluded.data, "fetched_at": stmt.excluded.fetched_at},
            )
            conn.execute(stmt, rows)
            for chunk in _chunks([r["pmid"] for r in rows]):
                conn.execute(sa.delete(fetch_failures).where(fetch_failures.c.pmid.in_(chunk)))
            return len(rows)

        return self._write(work)

    def record_fetch_failures(self, failures: Mapping[str, str]) -> None:
        """Remember PMIDs that could not be fetched (reason, attempt count, last attempt time)."""
        if not failures:
            return
        now = _now()
        rows = [{"pmid": p, "reason": r, "attempts": 1, "last_attempt_at": now} for p, r in failures.items()]

        def work(conn: Connection) -> None:
            stmt = self._insert(conn, fetch_failures)
            stmt = stmt.on_conflict_do_update(
                index_elements=[fetch_failures.c.pmid],
                set_={
                    "reason": stmt.excluded.reason,
                    "attempts": fetch_failures.c.attempts + 1,
                    "last_attempt_at": stmt.excluded.last_attempt_at,
                },
            )
            conn.execute(stmt, rows)

        self._write(work)

    def clear_fetch_failures(self, pmids: Iterable[str]) -> None:
        wanted = _unique(pmids)

        def work(conn: Connection) -> None:
            for chunk in _chunks(wanted):
                conn.execute(sa.delete(fetch_failures).where(fetch_failures.c.pmid.in_(chunk)))

        self._write(work)

    def fetch_failures(self) -> dict[str, str]:
        """PMID -> reason of the last failed fetch, for PMIDs not fetched since."""
        rows = self._read(lambda conn: conn.execute(sa.select(fetch_failures.c.pmid, fetch_failures.c.reason)).all())
        return dict(sorted((pmid, reason) for pmid, reason in rows))
