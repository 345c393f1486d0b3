"""What curators get out of genelit.  Every function here is pure: records/articles in, text or files out.

* :mod:`outputs.tables`  — the evidence table (:data:`~outputs.tables.COLUMNS`) as csv, tsv, xlsx,
  parquet, jsonl or html (:func:`~outputs.tables.write_table`).
* :mod:`outputs.xlsx`    — the review spreadsheet and :func:`~outputs.xlsx.read_decisions` for importing
  the curator's accept/reject/edit decisions.
* :mod:`outputs.report`  — the self-contained HTML review report (:func:`~outputs.report.render_report`).
* :mod:`outputs.clingen` — draft ClinGen gene–disease validity points (SOP v11), each traced to records.
* :mod:`outputs.summary` — the Markdown gene–disease summary draft (:func:`~outputs.summary.draft_summary`).
* :mod:`outputs.digest`  — the watchlist scan digest, Markdown and JSON (:func:`~outputs.digest.write_digest`).

Submodules are imported on use, so importing one exporter does not load the others' dependencies.
"""
