"""genelit: literature mining for genetic curation.

The package's rooms, lowest first (each may import only the rooms below it; see ARCHITECTURE.md):

* :mod:`genelit.errors`, :mod:`genelit.config`, :mod:`genelit.files` — the ground floor: the error
  hierarchy with its exit codes, settings, atomic writes and on-disk caches.
* :mod:`genelit.models`     — the data models (``models/`` in the source tree) and the store.
* :mod:`genelit.extractors` — spaCy/scispaCy components that find and normalize the evidence.
* :mod:`genelit.outputs`    — tables, the review report, the ClinGen summary.
* :mod:`genelit.flows`      — the Entrez client, plain steps, Prefect flows and the ``genelit`` CLI.
"""
