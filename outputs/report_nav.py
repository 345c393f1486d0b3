"""Finding one's way in the HTML review report: what to do next, a table of contents, a filter.

* *What next*: the commands that act on the records (once at the top, and per record with its id), so a
  curator reading the report can accept, reject or edit what they read without looking anything up.
* *Contents*: the records by gene (each record linked, with its variant, zygosity and status) and the
  papers (each linked, with its record count).
* *Filter*: a search box and a status choice that hide the records, papers and contents entries that do
  not match.  Plain JavaScript, inline in the page (no file, no network), allowed by its hash in the
  page's Content-Security-Policy, so no other script -- nor one smuggled in by paper text -- can run.
  Without JavaScript the filter stays hidden and everything is shown.  ``report.html#filter=IGF1``
  opens the report filtered.

Everything a paper or a curator wrote goes through :func:`~genelit.outputs.report.esc` as in the rest of
the report; the script only reads ``data-*`` attributes and sets ``hidden``.
"""
from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Mapping, Sequence

from genelit.models.evidence import EvidenceRecord, RecordStatus


def esc(value: object) -> str:
    """HTML-escape anything (quotes too, so it is safe inside attributes); ``None`` -> ``""``."""
    return "" if value is None else html.escape(str(value), quote=True)


NAV_CSS = """
[hidden]{display:none!important}
nav.toc{display:grid;grid-template-columns:1fr 1fr;gap:0 2rem;font-size:.9rem}
nav.toc ul{margin:.2rem 0;padding-left:1.2rem} nav.toc h2{font-size:1rem}
details.next{margin:.4rem 0} details.next summary{cursor:pointer;color:#0b57d0}
pre.commands{background:#f3f3f3;padding:.5rem .8rem;overflow-x:auto;font-size:.85rem;margin:.3rem 0}
form.filter{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #ccc;z-index:1}
form.filter input{width:22rem;max-width:60%}
"""

FILTER_SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("filter-form");
  var box = document.getElementById("filter-text");
  var status = document.getElementById("filter-status");
  var count = document.getElementById("filter-count");
  var records = Array.prototype.slice.call(document.querySelectorAll("section.record"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-records]"));
  var papers = Array.prototype.slice.call(document.querySelectorAll("article.paper"));
  function apply() {
    var terms = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var wanted = status.value;
    var shown = {};
    var n = 0;
    records.forEach(function (record) {
      var text = record.getAttribute("data-search");
      var ok = (!wanted || record.getAttribute("data-status") === wanted) &&
        terms.every(function (term) { return text.indexOf(term) !== -1; });
      record.hidden = !ok;
      if (ok) { shown[record.id] = true; n += 1; }
    });
    document.querySelectorAll("[data-record]").forEach(function (entry) {
      entry.hidden = !shown[entry.getAttribute("data-record")];
    });
    groups.forEach(function (group) {
      group.hidden = !group.getAttribute("data-records").split(" ").some(function (id) { return shown[id]; });
    });
    papers.forEach(function (paper) {
      paper.hidden = !paper.querySelector("section.record:not([hidden])");
    });
    count.textContent = n + " of " + records.length + " record(s) shown";
  }
  var start = /[#&]filter=([^&]*)/.exec(window.location.hash);
  if (start) { box.value = decodeURIComponent(start[1].replace(/\\+/g, " ")); }
  box.addEventListener("input", apply);
  status.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();
"""


def script_source_hash() -> str:
    """The CSP source expression that allows exactly :data:`FILTER_SCRIPT` to run."""
    digest = hashlib.sha256(FILTER_SCRIPT.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def record_anchor(record: EvidenceRecord) -> str:
    return f"record-{record.record_id}"


def variant_label(record: EvidenceRecord) -> str:
    """The variant as the contents name it: canonical key, else HGVS, else as written."""
    return record.variant_key or record.hgvs_c or record.hgvs_p or record.variant or "gene-level (no variant)"


def search_text(record: EvidenceRecord) -> str:
    """What the filter matches a record against, lower-cased: ids, gene, variant, zygosity, inheritance,
    disease, phenotypes, status, curator and note."""
    words = [
        record.record_id, record.pmid, record.gene_symbol, record.hgnc_id, record.variant, record.variant_key,
        record.hgvs_c, record.hgvs_p, record.hgvs_g, record.rsid, record.zygosity, record.inheritance,
        record.disease_id, record.disease_label, record.status.value, record.curator, record.note,
        *(f"{p.hpo_id} {p.label}" for p in record.phenotypes),
    ]
    return " ".join(str(w) for w in words if w).lower()


def what_next() -> str:
    """The review commands, once, at the top of the report."""
    return (
        '<details class="next" open><summary>What next: review these drafts</summary>'
        "<p>Each record below lists the commands for it (its id in full; the first 6+ characters also do). "
        "A decision is kept with your name and an audit trail; a later run never changes a reviewed record."
        "</p><pre class=\"commands\">"
        "genelit review show ID                     # the record, its evidence highlighted, its history\n"
        "genelit review accept ID --note \"why\"\n"
        "genelit review reject ID --note \"why\"\n"
        "genelit review edit ID --zygosity heterozygous --hgvs-c \"c.274G&gt;A\" --note \"why\"\n"
        "                                           # fields: genelit review edit --help\n"
        "genelit export --status draft --format xlsx --out review.xlsx   # or many at once in a spreadsheet,\n"
        "genelit review import review.xlsx                                 # applied all or nothing"
        "</pre></details>"
    )


def record_next_steps(record: EvidenceRecord) -> str:
    """The commands for one record: decide on it (again, if already reviewed), or look at its history."""
    rid = esc(record.record_id)
    reviewed = record.status is not RecordStatus.DRAFT
    lines = [
        f'genelit review accept {rid} --note "why"',
        f'genelit review reject {rid} --note "why"',
        f'genelit review edit {rid} --FIELD VALUE --note "why"',
        f"genelit review {'history' if reviewed else 'show'} {rid}",
    ]
    summary = "Change the decision" if reviewed else "What next"
    return f'<details class="next"><summary>{summary}</summary><pre class="commands">' + "\n".join(lines) + "</pre></details>"


def filter_form() -> str:
    """The search box and status choice; hidden until the script shows it (no script: no filter)."""
    options = '<option value="">any status</option>' + "".join(
        f'<option value="{s.value}">{s.value}</option>' for s in RecordStatus
    )
    return (
        '<form class="filter" id="filter-form" role="search" hidden>'
        '<label>Filter <input type="search" id="filter-text" placeholder="gene, variant, HPO id, PMID, status…" '
        'autocomplete="off"></label> '
        f'<select id="filter-status" aria-label="status">{options}</select> '
        '<span class="meta" id="filter-count" aria-live="polite"></span></form>'
    )


def table_of_contents(by_pmid: Mapping[str, Sequence[EvidenceRecord]], titles: Mapping[str, str]) -> str:
    """Contents by gene (every record, linked) and by paper (linked, with its record count)."""
    by_gene: dict[tuple[str, str], list[EvidenceRecord]] = {}
    for records in by_pmid.values():
        for record in records:
            by_gene.setdefault((record.gene_symbol, record.hgnc_id or ""), []).append(record)
    genes = []
    for (symbol, hgnc_id), records in sorted(by_gene.items(), key=lambda item: item[0][0].upper()):
        entries = "".join(
            f'<li data-record="{record_anchor(r)}"><a href="#{record_anchor(r)}">{esc(variant_label(r))}</a>'
            f" · {esc(r.zygosity or 'zygosity not stated')} · {esc(r.status.value)} · PMID {esc(r.pmid)}</li>"
            for r in records
        )
        ids = " ".join(record_anchor(r) for r in records)
        name = esc(symbol) + (f" ({esc(hgnc_id)})" if hgnc_id else "")
        genes.append(f'<li data-records="{ids}"><strong>{name}</strong> — {len(records)} record(s)<ul>{entries}</ul></li>')
    papers = "".join(
        f'<li data-records="{" ".join(record_anchor(r) for r in records)}"><a href="#pmid-{esc(pmid)}">PMID:{esc(pmid)}</a> '
        f"{esc(titles.get(pmid, ''))} — {len(records)} record(s)</li>"
        for pmid, records in by_pmid.items()
    )
    return (
        '<nav class="toc" aria-label="contents">'
        f"<div><h2>By gene</h2><ul>{''.join(genes)}</ul></div>"
        f"<div><h2>By paper</h2><ul>{papers}</ul></div></nav>"
    )
