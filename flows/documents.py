"""``genelit run --input``: a curator's own documents (a file or a folder) through extract → draft → store.

Each file is read by :mod:`flows.readers`; a file that cannot be read is reported in one line and the
others go on.  The articles are stored like fetched ones (so the report and the review app can show
their passages), then extracted and drafted in this process: there is nothing to fetch, so the
Prefect engine would add only start-up time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from genelit.flows.readers import document_files, read_documents
from genelit.flows.steps import RunSummary, extract_and_draft, open_store, persist_step, pipeline_config
from genelit.models.article import Article

from genelit.config import Settings
from genelit.errors import InputError


@dataclass
class DocumentRun:
    """What ``run --input`` did: the summary, the ids given to the documents, the files not read."""

    summary: RunSummary = field(default_factory=RunSummary)
    pmids: list[str] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)  # file -> one-line reason

    @property
    def ok(self) -> bool:
        return not self.unreadable


def read_inputs(path: Path, pmid: str | None) -> tuple[list[Article], dict[str, str]]:
    """Articles from every document file under ``path``; unreadable files with their reason."""
    files = document_files(path)
    if not files:
        raise InputError(f"--input {path}: no document files (.xml .nxml .json .pdf .txt) in it")
    if pmid is not None and len(files) > 1:
        raise InputError("--pmid names one document; give --input a single file with it")
    articles: dict[str, Article] = {}
    unreadable: dict[str, str] = {}
    for file in files:
        try:
            for article in read_documents(file, pmid):
                articles[article.pmid] = article
        except InputError as exc:
            unreadable[str(file)] = str(exc)
    return list(articles.values()), unreadable


def run_documents(path: Path, settings: Settings, *, pmid: str | None = None, show_progress: bool = True) -> DocumentRun:
    """Read, store, extract, draft and persist the documents at ``path``."""
    run = DocumentRun()
    articles, run.unreadable = read_inputs(path, pmid)
    run.summary.requested = len(articles) + len(run.unreadable)
    if articles:
        open_store(settings.db_url).save_articles(articles)
        run.summary.extracted = len(articles)
        run.summary.full_text = sum(1 for a in articles if a.full_text)
        run.summary.without_abstract = sum(1 for a in articles if not a.has_abstract)
        drafts = extract_and_draft(articles, pipeline_config(settings), show_progress=show_progress)
        run.summary.add(persist_step(drafts, settings))
    run.pmids = [a.pmid for a in articles]
    return run
