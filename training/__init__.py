"""Training code for genelit's statistical NER model (not shipped as a package; run from the repo)."""
