"""``genelit_genes``: gene mentions normalized to HGNC, and the public gene API.

The component records each gene mention :func:`~extractors.gene_recognition.find_genes` finds on
``doc._.mentions``, with its HGNC id, symbol and the NCBI Gene id of the abstract's species.  The work is
done by small modules, lowest first:

* :mod:`extractors.gene_pieces` — pieces and keys, the normalization text and lexicon share;
* :mod:`extractors.gene_index` — the compiled HGNC lexicon and corpus gazetteer, cached on disk;
* :mod:`extractors.gene_lookup` — normalizing a name (``lookup_gene``, ``resolve_symbol``), species ids;
* :mod:`extractors.gene_filters` — what is not a gene (vetoes, ``implausible_gene_span``);
* :mod:`extractors.gene_recognition` — the scanner (``find_genes``).

The gazetteer is learned by ``training/learn_gene_gazetteer.py``.  Besides the component this module
re-exports the public gene API — :func:`lookup_gene`, :func:`resolve_symbol`, :class:`GeneConcept`,
:class:`SymbolResolution`, :func:`english_words` and :func:`LEXICON_VERSION` (the extraction contract's
name, read by :func:`extractors.pipeline.lexicon_version`) — so callers outside the extractors (the scan
flow, the CLI) depend on one stable name, not on how the modules are cut.
"""
from __future__ import annotations

from genelit.extractors.base import UNLINKED_SCORE, add_mention, doc_text
from genelit.extractors.gene_index import LEXICON_VERSION, english_words, gene_index
from genelit.extractors.gene_lookup import (
    HUMAN,
    GeneConcept,
    SymbolResolution,
    lookup_gene,
    resolve_symbol,
    species_ncbi_gene_id,
    text_species,
)
from genelit.extractors.gene_recognition import UNLINKED, GeneConfig, find_genes
from genelit.models.mentions import MentionKind
from spacy.language import Language
from spacy.tokens import Doc

__all__ = [
    "LEXICON_VERSION", "GeneConcept", "GeneRecognizer", "SymbolResolution", "english_words", "lookup_gene",
    "make_gene_recognizer", "resolve_symbol",
]

SOURCE = "genelit_genes"


class GeneRecognizer:
    """spaCy component: records gene mentions normalized to HGNC on ``doc._.mentions``."""

    def __init__(self, config: GeneConfig) -> None:
        self.config = config
        self.index = gene_index()  # compile (or load) the lexicon when the pipeline is built

    def __call__(self, doc: Doc) -> Doc:
        records = self.index.records
        species = ""  # decided on the first gene that has a rodent id to choose
        for c in find_genes(doc, self.index, self.config):
            if c.record == UNLINKED:
                add_mention(doc, MentionKind.GENE, c.start, c.end, score=UNLINKED_SCORE, source=SOURCE)
                continue
            r = records[c.record]
            if not species and r.hgnc_id and (r.status == "Corpus" or r.hgnc_id in self.index.rodent_genes):
                species = text_species(doc_text(doc))
            add_mention(doc, MentionKind.GENE, c.start, c.end, concept_id=r.hgnc_id or None, label=r.symbol,
                        source=SOURCE, symbol=r.symbol, ncbi_gene_id=species_ncbi_gene_id(self.index, r, species or HUMAN))
        return doc


@Language.factory(
    "genelit_genes",
    default_config={"min_symbol_length": 2, "use_aliases": True, "ambiguity_filter": True,
                    "use_abbreviations": True},
    # reads the abbreviation definitions (use_abbreviations) and the sentences its mentions record, and the
    # variant mentions already on doc._.mentions (a gene is never found inside one); without them it
    # runs on, with no definitions and one sentence
    assigns=["doc._.mentions"],
    requires=["doc._.abbreviations", "token.is_sent_start"],
)
def make_gene_recognizer(
    nlp: Language, name: str, min_symbol_length: int, use_aliases: bool, ambiguity_filter: bool,
    use_abbreviations: bool,
) -> GeneRecognizer:
    """Factory: ``nlp.add_pipe("genelit_genes", config={"min_symbol_length": 3})``."""
    return GeneRecognizer(GeneConfig(min_symbol_length, use_aliases, ambiguity_filter, use_abbreviations))
