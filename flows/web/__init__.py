"""The review web app (`genelit review serve`): a local, server-rendered app over the evidence store
for curators to work through the queue, read each paper with its evidence highlighted, and accept,
reject or edit records with the same semantics and checks as `genelit review` and the spreadsheet."""
from __future__ import annotations

from genelit.flows.web.app import create_app

__all__ = ["create_app"]
