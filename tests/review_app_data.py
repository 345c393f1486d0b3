"""A small evidence store for the review web app's tests: two papers, one of them hostile.

The IGF1 paper is the real PubMed record of the bundled demo (PMID 9401537) with records whose
offsets point into its text; the hostile paper carries ``<script>``, event-handler attributes and
quote breaking in its title, abstract and extracted values, as a malicious or broken record could.
"""
from __future__ import annotations

import re

from genelit.models.article import AbstractSection, Article
from genelit.models.evidence import (
    EvidenceRecord,
    EvidenceSentence,
    Phenotype,
    VariantClass,
)
from genelit.models.store import Store

IGF1_PMID = "9401537"
HOSTILE_PMID = "31337"
TITLE = "Insulin-like growth factor I gene deletion causing intrauterine growth retardation and severe short stature."
ABSTRACT = (
    "The first human case of a homozygous molecular defect in the gene encoding insulin-like growth factor I "
    "(IGF-I) is described. The patient was a 15-year-old boy from a consanguineous pedigree who presented with "
    "severe intrauterine growth failure, sensorineural deafness and mild mental retardation. Analysis of the "
    "IGF-I gene revealed a homozygous partial IGF-I gene deletion involving exons 4 and 5, which encodes a "
    "severely truncated mature IGF-I peptide."
)
HOSTILE_TITLE = "GHR <script>document.title='pwned'</script> variant"
HOSTILE_ABSTRACT = ('A "><img src=x onerror="document.body.innerHTML=\'pwned\'"> GHR carrier had '
                    "' onmouseover='alert(1)' short stature.")
HOSTILE_NOTE = "<script>alert('note')</script>"


def _span(text: str, needle: str, kind: str, after: int = 0) -> tuple[int, int, str]:
    start = text.index(needle, after)
    return (start, start + len(needle), kind)


def _sentence(text: str, sentence: str, *needles: tuple[str, str]) -> EvidenceSentence:
    start = text.index(sentence)
    return EvidenceSentence(text=sentence, start=start, end=start + len(sentence),
                            highlights=[_span(text, n, kind, start) for n, kind in needles])


def igf1_article() -> Article:
    return Article(pmid=IGF1_PMID, title=TITLE, abstract_sections=[AbstractSection(text=ABSTRACT)],
                   journal="Acta Paediatr Suppl", year=1997)


def hostile_article() -> Article:
    return Article(pmid=HOSTILE_PMID, title=HOSTILE_TITLE, abstract_sections=[AbstractSection(text=HOSTILE_ABSTRACT)],
                   journal="J <b>Bold</b>", year=2020)


def igf1_records() -> list[EvidenceRecord]:
    text = igf1_article().text
    deletion = _sentence(text, "Analysis of the IGF-I gene revealed a homozygous partial IGF-I gene deletion involving "
                         "exons 4 and 5, which encodes a severely truncated mature IGF-I peptide.",
                         ("IGF-I", "gene"), ("homozygous", "zygosity"),
                         ("partial IGF-I gene deletion involving exons 4 and 5", "variant"))
    patient = _sentence(text, "The patient was a 15-year-old boy from a consanguineous pedigree who presented with "
                        "severe intrauterine growth failure, sensorineural deafness and mild mental retardation.",
                        ("intrauterine growth failure", "phenotype"), ("sensorineural deafness", "phenotype"))
    common = {"pmid": IGF1_PMID, "title": TITLE, "year": 1997, "journal": "Acta Paediatr Suppl",
              "pipeline_version": "test", "lexicon_version": "test"}
    return [
        EvidenceRecord(
            record_id=EvidenceRecord.make_id(IGF1_PMID, "HGNC:5464", "del(exons 4-5)"), gene_symbol="IGF1",
            hgnc_id="HGNC:5464", ncbi_gene_id="3479", variant="partial IGF-I gene deletion involving exons 4 and 5",
            variant_key="del(exons 4-5)", variant_class=VariantClass.NULL, zygosity="homozygous",
            consanguinity=True, proband_count=1,
            phenotypes=[Phenotype(hpo_id="HP:0001511", label="Intrauterine growth retardation"),
                        Phenotype(hpo_id="HP:0000407", label="Sensorineural hearing impairment")],
            evidence=[patient, deletion], confidence=0.8, confidence_reasons=["zygosity stated in the same sentence"],
            **common,
        ),
        EvidenceRecord(
            record_id=EvidenceRecord.make_id(IGF1_PMID, "HGNC:4263", None), gene_symbol="GHR", hgnc_id="HGNC:4263",
            evidence=[_sentence(text, "The first human case of a homozygous molecular defect in the gene encoding "
                                "insulin-like growth factor I (IGF-I) is described.", ("homozygous", "zygosity"))],
            confidence=0.3, confidence_reasons=["gene-level evidence: no variant found"], **common,
        ),
    ]


def hostile_records() -> list[EvidenceRecord]:
    text = hostile_article().text
    sentence = _sentence(text, HOSTILE_ABSTRACT, ("GHR", "gene"), ('"><img src=x', "variant"))
    return [EvidenceRecord(
        record_id=EvidenceRecord.make_id(HOSTILE_PMID, "HGNC:4263", "c.1A>G"), pmid=HOSTILE_PMID, title=HOSTILE_TITLE,
        gene_symbol="GHR", hgnc_id="HGNC:4263", variant='c.1A>G"><svg onload=alert(2)>', variant_key="c.1A>G",
        hgvs_c="c.1A>G", zygosity="heterozygous", disease_label="<i onclick=alert(3)>dwarfism</i>",
        evidence=[sentence], confidence=0.5,
    )]


def fill_store(store: Store) -> None:
    """The two papers and their records, as a pipeline run would leave them."""
    store.save_articles([igf1_article(), hostile_article()])
    store.upsert_drafts(IGF1_PMID, igf1_records())
    store.upsert_drafts(HOSTILE_PMID, hostile_records())


_HIDDEN = re.compile(r'name="(csrf|version)" value="([^"]*)"')


def form_tokens(html: str, record_id: str) -> dict[str, str]:
    """The hidden csrf and version fields of one record's form on a paper page."""
    start = html.index(f'id="form-{record_id}"')
    end = html.index("</form>", start)
    return dict(_HIDDEN.findall(html[start:end]))
