"""The HTML review report: one self-contained page a curator can open offline or attach to a ticket.

Per paper: title, journal, year and a PubMed link, a retraction banner, the title and abstract with
genes, variants, zygosity and phenotypes highlighted (offsets from ``EvidenceRecord.evidence[]
.highlights`` over ``Article.text``), then each evidence record with its evidence sentence.

Above the papers: what to do next (the review commands; each record also lists its own), contents by
gene and by paper, and a filter (:mod:`outputs.report_nav`).

Safety: every string that comes from a paper or a curator goes through :func:`html.escape`, and
highlights are rendered as *flat* segments (the text is cut at every span boundary and each piece
gets the classes of all spans covering it), so overlapping or nested spans can never produce
unbalanced tags.  The page loads nothing from the network; its one script (the filter) is inline and
is the only one its Content-Security-Policy lets run (by hash).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

from genelit.models.article import Article
from genelit.models.evidence import EvidenceRecord
from genelit.outputs.report_nav import (
    FILTER_SCRIPT,
    NAV_CSS,
    esc,
    filter_form,
    record_anchor,
    record_next_steps,
    script_source_hash,
    search_text,
    table_of_contents,
    what_next,
)

# highlight kind -> (css class, colour, legend label); anything else is shown as "other"
HIGHLIGHT_KINDS: dict[str, tuple[str, str, str]] = {
    "gene": ("hl-gene", "#cfe8ff", "gene"),
    "variant": ("hl-variant", "#ffd6d6", "variant"),
    "zygosity": ("hl-zygosity", "#fff0b3", "zygosity"),
    "phenotype": ("hl-phenotype", "#d7f5d7", "phenotype (HPO)"),
    "inheritance": ("hl-inheritance", "#ead9ff", "inheritance"),
    "disease": ("hl-disease", "#ffe3c2", "disease"),
}
OTHER_KIND = ("hl-other", "#e6e6e6", "other cue")

Span = tuple[int, int, str]

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:60rem;
line-height:1.5;color:#1d1d1d;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin:.2rem 0}
.meta{color:#555;font-size:.9rem}
.paper{border:1px solid #ccc;border-radius:6px;padding:1rem 1.2rem;margin:1.5rem 0}
.retracted{background:#b00020;color:#fff;font-weight:700;padding:.5rem .8rem;border-radius:4px;margin:.5rem 0}
.abstract{background:#fafafa;border-left:3px solid #999;padding:.5rem .8rem}
.record{border-top:1px dashed #bbb;padding:.6rem 0}
.record dl{display:grid;grid-template-columns:11rem 1fr;gap:.1rem .8rem;margin:.3rem 0}
.record dt{font-weight:600;color:#444} .record dd{margin:0}
.status{display:inline-block;padding:0 .5rem;border-radius:3px;font-size:.85rem;font-weight:600}
.status-draft{background:#eee} .status-accepted{background:#c8f0c8} .status-rejected{background:#f5c6c6}
.status-edited{background:#cfe1ff}
.sentence{font-style:italic}
mark{padding:0 .1rem;border-radius:2px;color:inherit}
mark.hl-multi{outline:2px dashed #555}
.legend mark{margin-right:.6rem}
table.summary{border-collapse:collapse} table.summary td,table.summary th{border:1px solid #ccc;padding:.2rem .6rem}
"""


def _kind_style(kind: str) -> tuple[str, str, str]:
    return HIGHLIGHT_KINDS.get(kind, OTHER_KIND)


def highlight(text: str, spans: Iterable[Span], base: int = 0) -> str:
    """``text`` escaped, with the spans (offsets relative to ``base``) wrapped in ``<mark>``.

    The text is cut at every span boundary; each piece covered by one or more spans becomes one
    ``<mark>`` carrying all their classes (``hl-multi`` when several overlap).  Spans outside the
    text or empty after clipping are ignored, so bad offsets degrade to plain text.
    """
    clipped: list[Span] = []
    for start, end, kind in spans:
        start, end = max(start - base, 0), min(end - base, len(text))
        if start < end:
            clipped.append((start, end, kind))
    cuts = sorted({0, len(text), *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    pieces: list[str] = []
    for left, right in zip(cuts, cuts[1:]):
        piece = esc(text[left:right])
        kinds = list(dict.fromkeys(k for s, e, k in clipped if s <= left and right <= e))
        if not kinds:
            pieces.append(piece)
            continue
        classes = [_kind_style(k)[0] for k in kinds] + (["hl-multi"] if len(kinds) > 1 else [])
        label = ", ".join(_kind_style(k)[2] for k in kinds)
        pieces.append(f'<mark class="{" ".join(dict.fromkeys(classes))}" title="{esc(label)}">{piece}</mark>')
    return "".join(pieces)


def record_spans(records: Iterable[EvidenceRecord]) -> list[Span]:
    """Every highlight of the records' evidence sentences, once each (offsets into ``Article.text``)."""
    return list(dict.fromkeys(h for r in records for s in r.evidence for h in s.highlights))


def _legend() -> str:
    styles = list(HIGHLIGHT_KINDS.values()) + [OTHER_KIND]
    marks = "".join(f'<mark class="{cls}">{esc(label)}</mark>' for cls, _, label in styles)
    return f'<p class="legend">Highlights: {marks}</p>'


def _css() -> str:
    colours = "".join(f"mark.{cls}{{background:{colour}}}" for cls, colour, _ in
                      list(HIGHLIGHT_KINDS.values()) + [OTHER_KIND])
    return _CSS + NAV_CSS + colours


def _field(label: str, value: str) -> str:
    return f"<dt>{esc(label)}</dt><dd>{value}</dd>" if value else ""


def _variant_text(record: EvidenceRecord) -> str:
    parts = [record.hgvs_c, record.hgvs_p, record.hgvs_g, record.rsid]
    names = [p for p in parts if p] or [record.variant_key or record.variant or ""]
    written = f" (as written: {record.variant})" if record.variant and record.variant not in names else ""
    cls = f" [{record.variant_class.value}]" if record.variant_class else ""
    return esc(" / ".join(n for n in names if n) + written + cls)


def _citation(where: str | None) -> str:
    """The full-text section (table, page) a sentence is in, before it; nothing for abstract sentences."""
    return f'<span class="section">[{esc(where)}]</span> ' if where else ""


def _render_record(record: EvidenceRecord) -> str:
    sentences = "".join(
        f'<p class="sentence">{_citation(s.citation)}{highlight(s.text, s.highlights, base=s.start)}</p>'
        for s in record.evidence
    )
    phenotypes = "; ".join(f"{esc(p.hpo_id)} {esc(p.label)}" for p in record.phenotypes)
    functional = "; ".join(esc(f"{c.category.value}: {c.text}") for c in record.functional_evidence)
    inheritance = " ".join(x for x in (esc(record.inheritance), esc(record.inheritance_hpo)) if x)
    disease = " ".join(x for x in (esc(record.disease_label), esc(record.disease_id)) if x)
    gene = " ".join(x for x in (esc(record.gene_symbol), esc(record.hgnc_id)) if x)
    confidence = f"{record.confidence:.2f}" + (
        f" — {esc('; '.join(record.confidence_reasons))}" if record.confidence_reasons else "")
    status = record.status.value
    counts = ", ".join(
        f"{n} {label}" for n, label in ((record.proband_count, "proband(s)"), (record.family_count, "family(ies)"))
        if n is not None
    )
    review = " ".join(x for x in (esc(record.curator), esc(record.note)) if x)
    return (
        f'<section class="record" id="{esc(record_anchor(record))}" data-status="{esc(status)}" '
        f'data-search="{esc(search_text(record))}">'
        f'<span class="status status-{esc(status)}">{esc(status)}</span> '
        f"<code>{esc(record.record_id)}</code><dl>"
        + _field("Gene", gene)
        + _field("Variant", _variant_text(record) if (record.variant or record.variant_key or record.hgvs_c
                                                     or record.hgvs_p) else "")
        + _field("Zygosity", esc(record.zygosity))
        + _field("Inheritance", inheritance)
        + _field("Disease", disease)
        + _field("HPO phenotypes", phenotypes)
        + _field("Probands", esc(counts))
        + _field("Consanguinity", "yes" if record.consanguinity else "")
        + _field("Segregation", esc(record.segregation))
        + _field("Functional evidence", functional)
        + _field("Confidence", confidence)
        + _field("Curator", review)
        + f"</dl>{sentences}{record_next_steps(record)}</section>"
    )


def _render_paper(pmid: str, records: Sequence[EvidenceRecord], article: Article | None) -> str:
    first = records[0]
    title = article.title if article else first.title
    journal = article.journal if article else first.journal
    year = article.year if article else first.year
    retracted = (article.is_retracted if article else False) or any(r.is_retracted for r in records)
    spans = record_spans(records)
    if article:
        title_html = highlight(article.title, spans, base=0)
        abstract_start = len(article.title) + 1
        abstract_html = (
            f'<div class="abstract">{highlight(article.abstract, spans, base=abstract_start)}</div>'
            if article.has_abstract else '<p class="meta">No abstract in PubMed.</p>'
        )
    else:
        title_html = esc(title)
        abstract_html = '<p class="meta">Abstract not available in the store.</p>'
    banner = (
        '<div class="retracted">RETRACTED — PubMed flags this paper as retracted; '
        "do not use its evidence without checking the retraction notice.</div>" if retracted else ""
    )
    meta = " · ".join(x for x in (esc(journal), esc(year)) if x)
    link = f'<a href="https://pubmed.ncbi.nlm.nih.gov/{esc(pmid)}/">PMID:{esc(pmid)}</a>'
    body = "".join(_render_record(r) for r in records)
    return (
        f'<article class="paper" id="pmid-{esc(pmid)}">{banner}<h2>{title_html}</h2>'
        f'<p class="meta">{meta}{" · " if meta else ""}{link}</p>{abstract_html}{body}</article>'
    )


def render_report(
    records: Sequence[EvidenceRecord],
    articles: Sequence[Article] = (),
    generated_at: datetime | None = None,
) -> str:
    """The complete HTML document for ``records`` (grouped per paper, in the order given)."""
    by_pmid: dict[str, list[EvidenceRecord]] = {}
    for record in records:
        by_pmid.setdefault(record.pmid, []).append(record)
    article_of = {a.pmid: a for a in articles}
    status_counts: dict[str, int] = {}
    for record in records:
        status_counts[record.status.value] = status_counts.get(record.status.value, 0) + 1
    summary_rows = "".join(f"<tr><td>{esc(k)}</td><td>{v}</td></tr>" for k, v in sorted(status_counts.items()))
    when = (generated_at or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    papers = "".join(_render_paper(pmid, recs, article_of.get(pmid)) for pmid, recs in by_pmid.items())
    titles = {pmid: (article_of[pmid].title if pmid in article_of else recs[0].title) or ""
              for pmid, recs in by_pmid.items()}
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src {script_source_hash()}\">"
        f"<title>genelit review report</title><style>{_css()}</style></head><body>"
        f"<h1>genelit review report</h1><p class=\"meta\">{len(records)} record(s) from {len(by_pmid)} "
        f"paper(s), generated {esc(when)}. Machine-extracted drafts: check every record against the paper."
        f"</p><table class=\"summary\"><tr><th>status</th><th>records</th></tr>{summary_rows}</table>"
        f"{what_next()}{table_of_contents(by_pmid, titles)}{filter_form()}{_legend()}{papers}"
        f"<script>{FILTER_SCRIPT}</script></body></html>\n"
    )
