"""Orchestration: configuration, the NCBI Entrez client, Prefect flows and the ``genelit`` CLI."""
