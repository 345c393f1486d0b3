"""The spaCy component ``genelit_variants``: every variant mention found in a doc, on ``doc._.mentions``.

Separate from :mod:`extractors.variants` so that finding and normalizing variants in a plain string (the
tests, the benchmarks) imports no spaCy; the pipeline loads this module only when the component is on.
Each mention records its sentence, so the component runs after the sentence splitter.
"""
from __future__ import annotations

from genelit.extractors.base import add_mention, doc_text
from genelit.extractors.variants import find_variants
from genelit.models.mentions import MentionKind
from spacy.language import Language
from spacy.tokens import Doc


class VariantRecognizer:
    """Adds a ``MentionKind.VARIANT`` mention (concept_id = canonical key) for every variant found."""

    def __init__(
        self, include_rsids: bool, include_copy_number: bool, include_descriptions: bool, include_alleles: bool
    ) -> None:
        self.include_rsids = include_rsids
        self.include_copy_number = include_copy_number
        self.include_descriptions = include_descriptions
        self.include_alleles = include_alleles

    def __call__(self, doc: Doc) -> Doc:
        for v in find_variants(
            doc_text(doc), self.include_rsids, self.include_copy_number, self.include_descriptions, self.include_alleles
        ):
            add_mention(
                doc, MentionKind.VARIANT, v.start, v.end, concept_id=v.key, label=v.key,
                source="genelit_variants", hgvs_c=v.hgvs_c, hgvs_p=v.hgvs_p, hgvs_g=v.hgvs_g, rsid=v.rsid,
                variant_class=v.variant_class.value, is_copy_number=v.is_copy_number, is_allele=v.is_allele,
            )
        return doc


@Language.factory(
    "genelit_variants",
    default_config={
        "include_rsids": True, "include_copy_number": True, "include_descriptions": True, "include_alleles": True,
    },
    assigns=["doc._.mentions"],
    requires=["token.is_sent_start"],
)
def make_variant_recognizer(
    nlp: Language, name: str, include_rsids: bool, include_copy_number: bool, include_descriptions: bool,
    include_alleles: bool,
) -> VariantRecognizer:
    return VariantRecognizer(include_rsids, include_copy_number, include_descriptions, include_alleles)
