"""The review web app: routes and the pages they render, over one :class:`~genelit.models.store.Store`.

Pages (server-rendered, Jinja2 with autoescape; one small vendored script adds keyboard shortcuts):

* ``/queue`` — records filtered by gene, paper, status, role and confidence, sorted, paged in SQL
  (:meth:`Store.record_page`), with counts per gene and status;
* ``/paper/{pmid}`` — the title and abstract highlighted as in the HTML report, the paper's records
  beside it, each with accept / reject / edit forms, any pending update and its history;
* ``/gene/{symbol}`` — the draft ClinGen summary with its score sheet, and exports (XLSX review sheet,
  CSV, the Markdown summary).

Decisions go through the same store methods and the same edit checks as ``genelit review`` and
``review import`` (:func:`~genelit.outputs.edits.validated_edit`), with the version the page showed,
so a decision on a record someone changed in the meantime is refused (409) and shown with that change.
Every failure is a page with a one-line message, never a traceback.
"""
from __future__ import annotations

import secrets
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

from genelit.flows.web import forms, paper
from genelit.flows.web.security import CSRF_FIELD, SecurityMiddleware, csrf_ok
from genelit.models.evidence import EvidenceRecord, RecordStatus
from genelit.models.store import Store
from genelit.models.store.queue import (
    MAX_PER_PAGE,
    ROLES,
    SORTS,
    QueueRow,
    RecordQuery,
    queue_role,
)
from genelit.outputs.clingen import score_gene_disease
from genelit.outputs.edits import validated_edit
from genelit.outputs.summary import draft_summary, select_records
from genelit.outputs.tables import write_table
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from genelit.errors import ConflictError, GenelitError, InputError, StoreError

STATIC_DIR = Path(__file__).with_name("static")
CURATOR_COOKIE = "genelit_curator"
DECISIONS = ("accept", "reject", "edit")
EXPORTS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}
PAGE_SIZES = (25, 50, 100, 200)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("genelit.flows.web", "templates"),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["variant"] = variant_label
    env.filters["role"] = queue_role
    env.filters["when"] = lambda d: f"{d:%Y-%m-%d %H:%M} UTC" if d else ""
    return env


def variant_label(record: EvidenceRecord) -> str:
    """How the queue names a record's variant (the CLI's choice: canonical key first)."""
    return record.variant_key or record.hgvs_p or record.hgvs_c or record.variant or "gene-level"


class PageNotFound(InputError):
    """Nothing in the store behind this address."""


@dataclass
class FormState:
    """What a record form shows after a refused decision: the message and the curator's own input."""

    message: str
    conflict: bool = False
    values: dict[str, str] = field(default_factory=dict)
    action: str = ""


class ReviewApp:
    """The handlers, holding the store, the templates and the CSRF secret for one server process."""

    def __init__(self, store: Store, secret: bytes) -> None:
        self.store = store
        self.secret = secret
        self.env = _environment()

    # -- rendering -------------------------------------------------------------------------

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(
            request=request, csrf=request.state.csrf, csrf_field=CSRF_FIELD,
            curator=unquote(request.cookies.get(CURATOR_COOKIE, "")), **context,
        )
        return HTMLResponse(html, status_code=status)

    def error(self, request: Request, exc: GenelitError, status: int) -> HTMLResponse:
        return self.page(request, "error.html", status=status, message=str(exc))

    async def guarded(self, request: Request, work: Any, *args: Any) -> Response:
        """Run blocking store work off the event loop; a genelit error becomes a one-line error page."""
        try:
            return await run_in_threadpool(work, request, *args)
        except StoreError as exc:
            return self.error(request, exc, 503)
        except PageNotFound as exc:
            return self.error(request, exc, 404)
        except InputError as exc:
            return self.error(request, exc, 400)

    # -- queue -----------------------------------------------------------------------------

    async def queue(self, request: Request) -> Response:
        return await self.guarded(request, self._queue)

    def _queue(self, request: Request) -> Response:
        params = dict(request.query_params)
        query = query_from(params)
        result = self.store.record_page(query)
        kept = {k: v for k, v in params.items() if v and k != "page"}
        return self.page(
            request, "queue.html", result=result, query=query, params=params,
            statuses=[s.value for s in RecordStatus] + ["retired"], roles=ROLES, sorts=list(SORTS),
            page_sizes=PAGE_SIZES, link=lambda **changes: "/queue?" + urlencode({**kept, **changes}),
        )

    # -- paper -----------------------------------------------------------------------------

    async def paper(self, request: Request) -> Response:
        return await self.guarded(request, self._paper, request.path_params["pmid"], None, None)

    def _paper(self, request: Request, pmid: str, refused_id: str | None, state: FormState | None,
               status: int = 200) -> Response:
        rows = self.store.record_page(RecordQuery(pmid=pmid, per_page=MAX_PER_PAGE), with_counts=False).rows
        articles = self.store.load_articles([pmid])
        article = articles[0] if articles else None
        if not rows and article is None:
            raise PageNotFound(f"no records and no stored article for PMID {pmid}")
        records = [r.record for r in rows]
        cards = [self._card(row, state if row.record.record_id == refused_id else None) for row in rows]
        return self.page(
            request, "paper.html", status=status, pmid=pmid, article=article, text=paper.paper_text(article, records),
            cards=cards, legend=paper.legend(), inheritance_terms=forms.SUGGESTIONS["inheritance"], retracted=(article.is_retracted if article else False)
            or any(r.is_retracted for r in records),
        )

    def _card(self, row: QueueRow, state: FormState | None) -> dict[str, Any]:
        record = row.record
        values = forms.field_values(record)
        if state is not None and state.action == "edit":
            values.update(forms.submitted_edits(state.values))
        pending = self.store.pending_extraction(record.record_id) if row.has_update else None
        return {
            "record": record, "version": row.version.isoformat(), "has_update": row.has_update,
            "sentences": paper.sentence_html(record), "fields": forms.edit_fields(values),
            "history": self.store.audit_trail(record.record_id), "state": state,
            "pending": pending_changes(record, pending) if pending else [],
            "role": queue_role(record),
        }

    # -- decisions -------------------------------------------------------------------------

    async def decide(self, request: Request) -> Response:
        record_id, action = request.path_params["record_id"], request.path_params["action"]
        try:
            form = await forms.read_form(request)
        except InputError as exc:
            return self.error(request, exc, 400)
        if not csrf_ok(self.secret, request.state.session, form.get(CSRF_FIELD)):
            return self.error(request, InputError("this form has expired or did not come from this app: reload the "
                                                  "page and try again"), 403)
        return await self.guarded(request, self._decide, record_id, action, form)

    def _decide(self, request: Request, record_id: str, action: str, form: dict[str, str]) -> Response:
        if action not in DECISIONS:
            raise InputError(f"unknown decision {action!r}")
        current = self.store.get_record(record_id)
        curator = form.get("curator", "").strip()
        note = form.get("note", "").strip() or None
        edits = forms.submitted_edits(form)
        typed = {**edits, "curator": curator, "note": note or ""}
        try:
            version = forms.parse_version(form.get("version"))
            if action == "edit":
                changes = validated_edit(edits, current)
                self.store.edit(current.record_id, changes, curator, note, expected_version=version)
            else:
                self.store.review(current.record_id, action, curator, note,  # type: ignore[arg-type]
                                  expected_version=version)
        except ConflictError as exc:
            state = FormState(str(exc), conflict=True, values=typed, action=action)
            return self._paper(request, current.pmid, current.record_id, state, status=409)
        except InputError as exc:
            state = FormState(str(exc), values=typed, action=action)
            return self._paper(request, current.pmid, current.record_id, state, status=400)
        target = f"/paper/{quote(current.pmid)}?{urlencode({'done': current.record_id})}#record-{current.record_id}"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(CURATOR_COOKIE, quote(curator), httponly=True, samesite="strict")
        return response

    # -- gene ------------------------------------------------------------------------------

    async def gene(self, request: Request) -> Response:
        return await self.guarded(request, self._gene, request.path_params["gene"])

    def _selection(self, request: Request, gene: str) -> tuple[list[EvidenceRecord], bool, str | None]:
        records = self.store.list_records(gene=gene)
        if not records:
            raise PageNotFound(f"no evidence records for gene {gene!r}")
        return records, request.query_params.get("drafts") == "1", request.query_params.get("disease") or None

    def _gene(self, request: Request, gene: str) -> Response:
        records, drafts, disease = self._selection(request, gene)
        symbol = records[0].gene_symbol
        counted = select_records(symbol, records, disease, include_drafts=drafts)
        return self.page(
            request, "gene.html", symbol=symbol, records=records, counted=counted, drafts=drafts, disease=disease,
            score=score_gene_disease(counted), summary=draft_summary(symbol, records, disease, include_drafts=drafts),
            query=urlencode({k: v for k, v in (("drafts", "1" if drafts else ""), ("disease", disease or "")) if v}),
        )

    async def summary(self, request: Request) -> Response:
        return await self.guarded(request, self._summary, request.path_params["gene"])

    def _summary(self, request: Request, gene: str) -> Response:
        records, drafts, disease = self._selection(request, gene)
        symbol = records[0].gene_symbol
        return _download(draft_summary(symbol, records, disease, include_drafts=drafts).encode(),
                         "text/markdown; charset=utf-8", f"{symbol}_summary.md")

    async def export(self, request: Request) -> Response:
        return await self.guarded(request, self._export, request.path_params["gene"], request.path_params["fmt"])

    def _export(self, request: Request, gene: str, fmt: str) -> Response:
        if fmt not in EXPORTS:
            raise InputError(f"unknown export format {fmt!r}; use {', '.join(EXPORTS)}")
        records, _, _ = self._selection(request, gene)
        name = f"{records[0].gene_symbol}_records.{fmt}"
        with tempfile.TemporaryDirectory(prefix="genelit-export-") as folder:
            path = Path(folder) / name
            write_table(records, path, fmt)
            return _download(path.read_bytes(), EXPORTS[fmt], name)

    # -- misc ------------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        return RedirectResponse("/queue", status_code=303)

    async def highlights(self, request: Request) -> Response:
        return Response(paper.highlight_css(), media_type="text/css")

    async def not_found(self, request: Request, exc: Exception) -> Response:
        return self.error(request, InputError(f"no page at {request.url.path}"), 404)


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type,
                    headers={"content-disposition": f"attachment; filename=\"{quote(filename)}\""})


def pending_changes(current: EvidenceRecord, pending: EvidenceRecord) -> list[tuple[str, Any, Any]]:
    """(field, reviewed value, newer extraction's value) for every field the newer extraction changes."""
    ignore = {"status", "curator", "note", "created_at", "updated_at", "pipeline_version", "lexicon_version",
              "evidence"}
    before, after = current.model_dump(mode="json"), pending.model_dump(mode="json")
    return [(name, before.get(name), value) for name, value in after.items()
            if name not in ignore and before.get(name) != value]


def query_from(params: dict[str, str]) -> RecordQuery:
    """A :class:`RecordQuery` from the queue's URL parameters (empty ones ignored)."""
    def number(name: str, kind: type) -> Any:
        raw = (params.get(name) or "").strip()
        if not raw:
            return None
        try:
            return kind(raw)
        except ValueError:
            raise InputError(f"{name} must be a number, not {raw!r}") from None

    def text(name: str) -> str | None:
        return (params.get(name) or "").strip() or None

    return RecordQuery(
        gene=text("gene"), status=text("status"), pmid=text("pmid"), role=text("role"),
        min_confidence=number("min_confidence", float), max_confidence=number("max_confidence", float),
        updates_only=params.get("updates") == "1", sort=text("sort") or "pmid",
        descending=params.get("order") == "desc", page=number("page", int) or 1,
        per_page=number("per_page", int) or PAGE_SIZES[1],
    )


def create_app(store: Store, *, token: str | None = None, allowed_hosts: Collection[str] | None = None,
               secret: bytes | None = None) -> Starlette:
    """The ASGI app over ``store``.  ``allowed_hosts``: Host names answered (``None``: any); ``token``:
    required on every request when set (see :mod:`genelit.flows.web.security`)."""
    handlers = ReviewApp(store, secret or secrets.token_bytes(32))
    routes = [
        Route("/", handlers.home),
        Route("/queue", handlers.queue),
        Route("/paper/{pmid}", handlers.paper),
        Route("/record/{record_id}/{action}", handlers.decide, methods=["POST"]),
        Route("/gene/{gene}", handlers.gene),
        Route("/gene/{gene}/summary.md", handlers.summary),
        Route("/gene/{gene}/export.{fmt}", handlers.export),
        Route("/highlights.css", handlers.highlights),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={404: handlers.not_found, 405: handlers.not_found})
    app.add_middleware(SecurityMiddleware, secret=handlers.secret, token=token, allowed_hosts=allowed_hosts)
    return app
