"""Gene recognition and normalization to HGNC (``genelit_genes``, ``lookup_gene``)."""
from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from extractors.genes import GeneConcept, LEXICON_VERSION, lookup_gene
from extractors.pipeline import PipelineConfig, build_pipeline
from models.mentions import Mention, MentionKind

ROOT = Path(__file__).resolve().parent.parent
BIORED_DEV = ROOT.parent / "shared" / "corpora" / "biored" / "Dev.PubTator"
# measured with benchmarks/eval_genes.py on BioRED Dev (exact-span F1 of the lexicon component)
MEASURED_DEV_F1 = 0.801


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline(PipelineConfig(components=("genelit_genes",)))


def genes_in(nlp: Language, text: str) -> list[Mention]:
    return [m for m in nlp(text)._.mentions or [] if m.kind == MentionKind.GENE]


@pytest.mark.parametrize(
    "mention",
    ["IGF-I", "IGF-1", "IGF1", "Igf1", "insulin-like growth factor I", "insulin-like growth factor 1",
     "Insulin-Like Growth Factor-I", "human IGF-I gene", "IGF-I mRNA", "IGF I"],
)
def test_igf1_spellings_normalize_to_hgnc_5464(mention: str) -> None:
    concept = lookup_gene(mention)
    assert concept == GeneConcept("HGNC:5464", "IGF1", "insulin like growth factor 1", "3479", "gene with protein product")


# gene mentions as written in BioRED Train abstracts -> the NCBI Gene id BioRED gives them
@pytest.mark.parametrize(
    ("mention", "ncbi_gene_id"),
    [("PTPN22", "26191"), ("apoE", "348"), ("PAI-1", "5054"), ("ET-1", "1906"), ("IL-10", "3586"),
     ("caspase-3", "836"), ("VEGF", "7422"), ("insulin", "3630"), ("PKCalpha", "5578"), ("hOGG1", "4968"),
     ("p53", "7157"), ("androgen receptor", "367"), ("TNF-alpha", "7124"), ("Akt", "207"), ("GJB2", "2706"),
     ("SLCO1B1", "10599"), ("PAX6", "5080"), ("thymidylate synthase", "7298"), ("NF-kappaB", "4790"),
     ("TGF-b1", "7040"), ("HIF-1a", "3091"), ("GLUT4", "6517"), ("fatty acid synthase", "2194"),
     ("IGF-binding protein-3", "3486"), ("beta-catenin", "1499"), ("TNF-α", "7124"), ("TGF-β1", "7040")],
)
def test_biored_mentions_normalize(mention: str, ncbi_gene_id: str) -> None:
    concept = lookup_gene(mention)
    assert concept is not None and concept.ncbi_gene_id == ncbi_gene_id


@pytest.mark.parametrize(
    ("span", "symbol"),
    [("transforming growth factor (TGF)-beta1", "TGFB1"), ("interleukin (IL)-6", "IL6"), ("Sgk1-/-", "SGK1"),
     ("VIP(-/-)", "VIP"), ("IGF-I genes", "IGF1"), ("(IGF-I)", "IGF1"), ("Toll-like receptor (TLR) 4", "TLR4"),
     ("mouse Igf1", "IGF1"), ("c-kit", "KIT"), ("HIF-1α", "HIF1A"), ("IGF-I receptor", "IGF1R"),
     ("GH receptor", "GHR")],
)
def test_lookup_normalizes_ner_style_spans(span: str, symbol: str) -> None:
    concept = lookup_gene(span)
    assert concept is not None and concept.symbol == symbol


def test_lookup_rejects_non_genes() -> None:
    assert lookup_gene("nonsense") is None
    assert lookup_gene("") is None


def test_lexicon_version_names_hgnc_release() -> None:
    assert LEXICON_VERSION().startswith("HGNC ")


def test_ambiguous_words_not_tagged_in_plain_prose(nlp: Language) -> None:
    text = "We set the max dose for the cat. In addition, an ace of the team was at the ward."
    assert genes_in(nlp, text) == []


def test_ambiguous_symbols_tagged_in_gene_context(nlp: Language) -> None:
    text = "Loss of CAT gene expression and MAX mutations were found together with MYC and SET."
    found = {m.text: m.label for m in genes_in(nlp, text)}
    assert found["CAT"] == "CAT"
    assert found["MAX"] == "MAX"
    assert found["MYC"] == "MYC"
    assert found["SET"] == "SET"  # listed with MYC


def test_abbreviation_defined_gene(nlp: Language) -> None:
    text = "Serum growth hormone (GH) was low. GH treatment restored growth."
    found = genes_in(nlp, text)
    gh = [m for m in found if m.text == "GH"]
    assert len(gh) == 2 and {m.concept_id for m in gh} == {"HGNC:4261"}
    assert any(m.text == "growth hormone" and m.label == "GH1" for m in found)


def test_abbreviation_defined_as_disease_vetoes_symbol(nlp: Language) -> None:
    text = "Patients with oculopharyngeal muscular dystrophy (OPMD) were studied. OPMD is late-onset."
    assert [m.text for m in genes_in(nlp, text)] == []


def test_disease_named_like_a_gene_is_not_a_gene(nlp: Language) -> None:
    text = "X-linked adrenoleukodystrophy (X-ALD) is caused by ABCD1 mutations. Adrenoleukodystrophy is rare."
    assert [(m.text, m.concept_id) for m in genes_in(nlp, text)] == [("ABCD1", "HGNC:61")]


def test_offsets_are_exact_and_attrs_set(nlp: Language) -> None:
    text = "Mutations in TGF-beta1 and the NRG-1 beta isoform, but not in Ca2+ channels, of IGF-I."
    found = genes_in(nlp, text)
    for m in found:
        assert text[m.start:m.end] == m.text
        assert m.attrs["symbol"] == m.label and m.attrs["ncbi_gene_id"]
        assert m.source == "genelit_genes"
    assert [m.text for m in found] == ["TGF-beta1", "NRG-1 beta", "IGF-I"]
    assert found[-1].concept_id == "HGNC:5464" and found[-1].attrs["ncbi_gene_id"] == "3479"


def test_cell_lines_and_ions_are_not_genes(nlp: Language) -> None:
    text = "PC-3 cells were loaded with Ca2+ before BRCA1 knockdown."
    assert [m.text for m in genes_in(nlp, text)] == ["BRCA1"]


def test_igf1_case_report_abstract_yields_igf1(nlp: Language) -> None:
    from flows.pubmed_xml import parse_pubmed_xml

    article = parse_pubmed_xml((ROOT / "flows" / "examples" / "pubmed_9401537.xml").read_bytes())[0]
    found = genes_in(nlp, article.text)
    assert found, "no gene found in the IGF1 case report"
    assert {m.concept_id for m in found if m.label == "IGF1"} == {"HGNC:5464"}
    assert sum(m.label == "IGF1" for m in found) >= 2


@pytest.mark.slow
@pytest.mark.skipif(not BIORED_DEV.is_file(), reason="BioRED corpus not available")
def test_biored_dev_span_f1_regression(nlp: Language) -> None:
    from extractors.evaluation import PRESETS, score_mentions
    from extractors.pubtator import Annotation, PubTatorDoc, read_pubtator

    gold = read_pubtator(BIORED_DEV)
    pred = []
    for d in gold:
        found = genes_in(nlp, d.text)
        anns = [Annotation(d.pmid, m.start, m.end, m.text, "Gene", m.attrs["ncbi_gene_id"]) for m in found]
        pred.append(PubTatorDoc(d.pmid, d.title, d.abstract, anns))
    ptypes, gtypes, _ = PRESETS["biored"]["Gene"]
    assert score_mentions(gold, pred, ptypes, gtypes).f1 >= MEASURED_DEV_F1 - 0.01
