"""draft_records on real abstracts run through the real pipeline, and on extractions built from real text."""
from __future__ import annotations

from pathlib import Path

import pytest
from genelit.extractors.drafting import draft_records
from genelit.extractors.pipeline import PipelineConfig, build_pipeline, extract_text
from genelit.flows.pubmed_xml import parse_pubmed_xml
from genelit.models.article import AbstractSection, Article
from genelit.models.evidence import EvidenceRecord
from genelit.models.mentions import DocumentExtraction, Mention, MentionKind

IGF1_XML = Path(__file__).resolve().parents[1] / "flows" / "examples" / "pubmed_9401537.xml"
COMPONENTS = ("genelit_variants", "genelit_genes", "genelit_phenotypes", "genelit_cues")


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(PipelineConfig(components=COMPONENTS))


def draft(nlp, article: Article) -> list[EvidenceRecord]:
    return draft_records(article, extract_text(article.text, article.pmid, nlp))


def test_igf1_case_report_drafts_the_homozygous_deletion(nlp):
    [article] = parse_pubmed_xml(IGF1_XML.read_bytes())
    records = [r for r in draft(nlp, article) if r.hgnc_id == "HGNC:5464"]
    [record] = [r for r in records if r.variant_key]
    assert record.variant_key == "del(exons 4-5)" and "exons 4 and 5" in (record.variant or "")
    assert record.gene_symbol == "IGF1" and record.zygosity == "homozygous"
    assert record.consanguinity is True and record.proband_count == 1
    hpo = set(record.hpo_ids)
    assert {"HP:0001511", "HP:0000407"} <= hpo and hpo & {"HP:0001249", "HP:0001256"}
    assert record.record_id == EvidenceRecord.make_id("9401537", "HGNC:5464", "del(exons 4-5)")
    assert "zygosity attached to the variant" in record.confidence_reasons
    assert 0.0 <= record.confidence <= 1.0 and record.pipeline_version


def test_c_and_p_forms_of_one_variant_merge_into_one_record(nlp):
    article = Article(
        pmid="15769976",
        title="Severe intrauterine and postnatal growth failure caused by an IGF1 missense mutation.",
        abstract_sections=[AbstractSection(text=(
            "We describe a 55-year-old male homozygous for c.274G>A (p.Val92Met) in IGF1, presenting with "
            "intrauterine growth retardation, microcephaly, and deafness. In vitro assays of p.V92M IGF1 "
            "demonstrate drastically reduced IGF1R activation."
        ))],
    )
    [record] = draft(nlp, article)
    assert (record.hgvs_c, record.hgvs_p, record.zygosity) == ("c.274G>A", "p.Val92Met", "homozygous")
    assert record.gene_symbol == "IGF1" and record.variant_class == "missense"
    assert "HGVS-valid variant description" in record.confidence_reasons
    assert any(f.category == "functional_alteration_non_patient_cells" for f in record.functional_evidence)
    highlighted = {(h[2], article.text[h[0]:h[1]]) for e in record.evidence for h in e.highlights}
    assert {("variant", "c.274G>A"), ("variant", "p.Val92Met"), ("zygosity", "homozygous")} <= highlighted


def test_drafting_is_pure_and_ids_are_stable(nlp):
    [article] = parse_pubmed_xml(IGF1_XML.read_bytes())
    extraction = extract_text(article.text, article.pmid, nlp)
    first = draft_records(article, extraction)
    assert [r.model_dump() for r in first] == [r.model_dump() for r in draft_records(article, extraction)]


# ---- extractions built by hand from a real BioRED sentence (PMID 15099351) ----------------------------

TEXT = (
    "Two patients were heterozygotes for D374Y, and one patient was a double heterozygote for D374Y and N157K. "
    "D374Y segregated with hypercholesterolemia in the two former families where PCSK9 was sequenced. "
    "LDLR was normal."
)


def _mention(kind: MentionKind, text: str, occurrence: int = 0, **fields) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(text, start + 1)
    sentence = next((s, e) for s, e in _sentences() if s <= start < e)
    return Mention(kind=kind, text=text, start=start, end=start + len(text), sentence_start=sentence[0],
                   sentence_end=sentence[1], **fields)


def _sentences() -> list[tuple[int, int]]:
    a = TEXT.index("D374Y segregated")
    b = TEXT.index("LDLR was")
    return [(0, a - 1), (a, b - 1), (b, len(TEXT))]


def _extraction() -> DocumentExtraction:
    d374y = dict(concept_id="p.Asp374Tyr", attrs={"hgvs_p": "p.Asp374Tyr", "variant_class": "missense"})
    pcsk9 = dict(concept_id="HGNC:20001", label="PCSK9", attrs={"symbol": "PCSK9", "ncbi_gene_id": "255738"})
    first = _mention(MentionKind.VARIANT, "D374Y", 0, **d374y)
    found = [
        first,
        _mention(MentionKind.VARIANT, "D374Y", 1, **d374y),
        _mention(MentionKind.VARIANT, "N157K", 0, concept_id="p.Asn157Lys", attrs={"hgvs_p": "p.Asn157Lys"}),
        _mention(MentionKind.VARIANT, "D374Y", 2, **d374y),
        _mention(MentionKind.ZYGOSITY, "heterozygotes", concept_id="heterozygous",
                 attrs={"variant_spans": [[first.start, first.end]]}),
        _mention(MentionKind.SEGREGATION, "segregated", concept_id="segregates"),
        _mention(MentionKind.PROBAND_COUNT, "Two patients", concept_id="patients", attrs={"count": 2, "unit": "patients"}),
        _mention(MentionKind.PROBAND_COUNT, "two former families", concept_id="families", attrs={"count": 2, "unit": "families"}),
        _mention(MentionKind.GENE, "PCSK9", **pcsk9),
        _mention(MentionKind.GENE, "LDLR", concept_id="HGNC:6547", label="LDLR", attrs={"symbol": "LDLR"}),
    ]
    return DocumentExtraction(pmid="15099351", text=TEXT, sentences=_sentences(), mentions=found,
                              pipeline_version="test", lexicon_version="HGNC test")


def test_variants_without_a_gene_in_their_sentence_go_to_the_nearest_gene_flagged():
    article = Article(pmid="15099351", title=TEXT.split(". ")[0] + ".",
                      abstract_sections=[AbstractSection(text=TEXT[len(TEXT.split(". ")[0]) + 2:])])
    assert article.text == TEXT
    records = {r.variant_key: r for r in draft_records(article, _extraction())}
    assert set(records) == {"p.Asp374Tyr", "p.Asn157Lys"}  # no LDLR record: its sentence has no case-level cue
    d374y = records["p.Asp374Tyr"]
    assert d374y.gene_symbol == "PCSK9" and d374y.zygosity == "heterozygous"
    assert d374y.segregation == "segregates" and (d374y.proband_count, d374y.family_count) == (2, 2)
    assert "variant and gene in the same sentence" in d374y.confidence_reasons
    n157k = records["p.Asn157Lys"]
    assert n157k.gene_symbol == "PCSK9" and n157k.zygosity is None  # no zygosity cue attached to it here
    assert {"gene ambiguous", "variant far from gene"} <= set(n157k.confidence_reasons)
    assert n157k.confidence < d374y.confidence
    assert d374y.lexicon_version == "HGNC test"


def test_retracted_paper_lowers_confidence():
    text_article = dict(pmid="15099351", title=TEXT.split(". ")[0] + ".",
                        abstract_sections=[AbstractSection(text=TEXT[len(TEXT.split(". ")[0]) + 2:])])
    normal = draft_records(Article(**text_article), _extraction())
    retracted = draft_records(Article(**text_article, is_retracted=True), _extraction())
    for a, b in zip(normal, retracted):
        assert b.is_retracted and "retracted paper" in b.confidence_reasons and b.confidence < a.confidence
        assert a.record_id == b.record_id


# ---- whole case reports (corpora/casereports) and abstracts through the default pipeline ---------------

ROOT = Path(__file__).resolve().parents[1]
CASE_REPORTS = ROOT / "corpora" / "casereports" / "casereports.PubTator"
BIORED = ROOT / "corpora" / "biored"


def _article(path: Path, pmid: str) -> Article:
    from genelit.extractors.pubtator import read_pubtator

    doc = next(d for d in read_pubtator(path) if d.pmid == pmid)
    return Article(pmid=pmid, title=doc.title, abstract_sections=[AbstractSection(text=doc.abstract)])


@pytest.fixture(scope="module")
def full_nlp():
    from genelit.extractors.pipeline import load_pipeline

    return load_pipeline()


def _case(records: list[EvidenceRecord]) -> list[EvidenceRecord]:
    return [r for r in records if r.role == "case"]


def test_poglut1_report_gives_one_homozygous_record_with_every_spelling(full_nlp):
    article = _article(CASE_REPORTS, "27807076")
    records = draft(full_nlp, article)
    [record] = _case(records)
    assert (record.gene_symbol, record.hgnc_id) == ("POGLUT1", "HGNC:22954")
    assert (record.hgvs_p, record.hgvs_c, record.zygosity) == ("p.Asp233Glu", "c.699T>G", "homozygous")
    assert {"D233E", "c.699T > G", "p.D233E"} <= set(record.synonyms)
    assert record.record_id == EvidenceRecord.make_id("27807076", "HGNC:22954", "c.699T>G")
    assert record.de_novo is None and record.proband_count == 1  # four affected siblings of one family
    assert "we report" in record.role_reason
    # nothing silently dropped: the SNP-array markers and the misprint are there, with their roles
    others = {r.variant: r for r in records if r.role != "case"}
    assert others["rs13081374"].role == "population"
    assert others["D223E"].role == "other" and "misprint" in others["D223E"].role_reason


def test_npc1_report_gives_the_two_compound_heterozygous_alleles(full_nlp):
    records = draft(full_nlp, _article(CASE_REPORTS, "27900365"))
    case = {r.hgvs_p: r for r in _case(records)}
    assert set(case) == {"p.Val950Met", "p.Asn1156Ser"}
    assert {r.gene_symbol for r in case.values()} == {"NPC1"}
    assert {r.zygosity for r in case.values()} == {"compound_heterozygous"}
    roles = {r.hgvs_p: r.role for r in records if r.hgvs_p}
    assert roles["p.His215Arg"] == "population"  # the patient's benign polymorphisms
    assert roles["p.Ile1061Thr"] == roles["p.Gln775Pro"] == "reported"  # literature alleles
    assert roles["p.Arg117His"] == "reported"  # CFTR, background
    assert all(r.hgnc_id for r in _case(records))


def test_a_gwas_abstract_gives_no_case_level_record(full_nlp):
    # BioRED Dev 17395743: a pooling-based genome-wide SNP association study
    records = draft(full_nlp, _article(BIORED / "Dev.PubTator", "17395743"))
    assert records and not _case(records)
    assert {r.rsid: r.role for r in records}["rs2720709"] == "population"


def test_de_novo_is_origin_not_zygosity(full_nlp):
    # FBN1 (27834076): "Furthermore, this is a de novo variant, as it was not identified in either parent."
    [record] = _case(draft(full_nlp, _article(CASE_REPORTS, "27834076")))
    assert (record.gene_symbol, record.hgvs_c, record.zygosity, record.de_novo) == ("FBN1", "c.5282C>T", "heterozygous", True)
    assert "de novo stated of the paper's only case allele" in record.confidence_reasons


def test_parental_origin_per_allele(full_nlp):
    # CLCN1 (30243293): "... c.1401 + 1G > A ... (which was inherited from his father) and a known mutation
    # (c.1657A > T, p.Ile553Phe) (which was inherited from his mother)"
    case = {r.hgvs_c: r for r in _case(draft(full_nlp, _article(CASE_REPORTS, "30243293")))}
    assert case["c.1401+1G>A"].inherited_from == "paternal"
    assert case["c.1657A>T"].inherited_from == "maternal"
    assert {r.zygosity for r in case.values()} == {"compound_heterozygous"}


def test_hemizygous_inferred_for_an_x_linked_gene_in_male_patients(full_nlp):
    # ATP7A (tmVar 19429807): Menkes disease, "a fatal X-linked recessive disorder", zygosity not stated
    case = {r.hgvs_c: r for r in _case(draft(full_nlp, _article(ROOT / "corpora" / "tmvar" / "train.PubTator", "19429807")))}
    record = case["c.3943G>A"]
    assert record.zygosity == "hemizygous" and "hemizygous inferred: X-linked gene, male patient" in record.confidence_reasons


def test_per_record_proband_count(full_nlp):
    # TECRL (27861123): "Two French Canadian probands carried identical homozygous rare variant in TECRL gene (p.Arg196Gln)"
    case = {r.hgvs_p or r.hgvs_c: r for r in _case(draft(full_nlp, _article(CASE_REPORTS, "27861123")))}
    assert case["p.Arg196Gln"].proband_count == 2
    assert case["c.331+1G>A"].proband_count == 1


def test_a_variant_without_an_hgnc_gene_is_not_a_case_record(nlp):
    # CLCN1 (30243293), a figure legend naming no gene
    text = ("The c.1401 + 1 G > A mutation (red arrow) and c.1657 A > T mutation (red arrow), inherited from his father "
            "(I:1) and mother (I:2) respectively, were found in the patient (II).")
    records = draft(nlp, Article(pmid="30243293", title="", abstract_sections=[AbstractSection(text=text)]))
    assert len(records) == 2 and not _case(records)
    assert all(r.role == "other" and r.role_reason.startswith("gene not resolved") and r.hgnc_id is None for r in records)


def test_heterozygous_inferred_in_an_autosomal_dominant_disorder(full_nlp):
    # CACNA1S (BioRED 19779499): "Novel CACNA1S mutation causes autosomal dominant hypokalemic periodic
    # paralysis"; the abstract never says heterozygous
    [record] = _case(draft(full_nlp, _article(BIORED / "Train.PubTator", "19779499")))
    assert (record.hgvs_p, record.zygosity) == ("p.Val876Glu", "heterozygous")
    assert "heterozygous inferred: the paper's disorder is autosomal dominant" in record.confidence_reasons
