"""Per-allele facts (extractors.allele_facts), genotype and relative cues (extractors.cues) and the
patients' phenotypes (extractors.case_phenotypes), on real sentences from the case reports."""
from __future__ import annotations

import pytest
from genelit.extractors.allele_facts import AlleleFacts, infer_pair_zygosity
from genelit.extractors.base import mentions
from genelit.extractors.case_phenotypes import sentence_kind
from genelit.extractors.pipeline import PipelineConfig, build_pipeline
from genelit.models.evidence import Zygosity
from genelit.models.mentions import MentionKind


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(PipelineConfig(components=("genelit_variants", "genelit_cues")))


def zygosity(nlp, text: str) -> list[tuple[str, list[str], bool, bool]]:
    return [
        (m.concept_id, [text[s:e] for s, e in m.attrs["variant_spans"]], bool(m.attrs.get("carrier")), m.negated)
        for m in mentions(nlp(text)) if m.kind == MentionKind.ZYGOSITY
    ]


def test_two_alleles_of_a_recessive_gene_are_inferred_compound_heterozygous():
    pair = [AlleleFacts(zygosity=Zygosity.HETEROZYGOUS), AlleleFacts()]
    infer_pair_zygosity(pair, recessive=True)
    assert [f.zygosity for f in pair] == [Zygosity.COMPOUND_HETEROZYGOUS] * 2
    assert all("compound heterozygous inferred" in f.reasons[0] for f in pair)
    dominant = [AlleleFacts(zygosity=Zygosity.HETEROZYGOUS), AlleleFacts(zygosity=Zygosity.HETEROZYGOUS)]
    infer_pair_zygosity(dominant, recessive=False)  # PRPF3: two dominant alleles in two families
    assert [f.zygosity for f in dominant] == [Zygosity.HETEROZYGOUS] * 2
    three = [AlleleFacts(), AlleleFacts(), AlleleFacts()]
    infer_pair_zygosity(three, recessive=True)  # patients cannot be told apart
    assert [f.zygosity for f in three] == [None] * 3


def test_genotype_notation(nlp):
    # DHCR24 (29175559), table of published genotypes; NPC1 (27900365), CFTR background
    assert zygosity(nlp, "Molecular diagnosis p.[E191K] + [E191K] p.[R103C] + [R103C]") == [
        ("homozygous", ["E191K", "E191K"], False, False), ("homozygous", ["R103C", "R103C"], False, False)]
    found = zygosity(nlp, "Cystic fibrosis (CF) patients with the compound heterozygous CFTR genotype R117H/ΔF508 show a "
                          "less severe phenotype than those homozygous for ΔF508.")
    assert ("compound_heterozygous", ["R117H", "ΔF508"], False, False) in found
    # a cDNA and a protein name of one allele are no genotype
    assert zygosity(nlp, "The WES results identified c.5282C>T/p.Thr1761Ile in FBN1.") == []


@pytest.mark.parametrize(
    "text",
    [
        # NPHS1 (28392951)
        "The child's father had normal urinalysis and the same heterozygous missense mutation c.928G>A (p.Asp310Asn); "
        "however, the patient's mother had a wildtype G at position 928 in cDNA.",
        "Further mutational analysis of the NPHS1 gene in the parents of patient 1 showed a heterozygous mutation, "
        "c.3250_3251insG, in the mother (Figure 1).",
        # TECRL (27861123)
        "Both mutations were found in all affected children while the parents (III:1, III:2, III:3, and III:4) were "
        "found to be heterozygous in both families.",
    ],
)
def test_a_relatives_zygosity_is_a_carriers(nlp, text):
    [(_, _, carrier, _)] = [z for z in zygosity(nlp, text) if z[0] == "heterozygous"]
    assert carrier


def test_a_coordinated_list_is_homozygous_together(nlp):
    # TECRL (27861123)
    text = ("Of these, a single bp mutation in ANKRD17 (p.Val1368Gly) and a splice site mutation in TECRL (c.331+1G>A) "
            "were found to be homozygous in all children who had presented with a clinical phenotype.")
    assert zygosity(nlp, text)[0][:2] == ("homozygous", ["p.Val1368Gly", "c.331+1G>A"])


def test_a_table_cell_describes_the_variant_before_it(nlp):
    # NPHS1 (28392951), Table 1 flattened: "... p.Ser324Ala het “De novo” Present study 3 3 c. 349G>A ..."
    text = ("2 3 c. 349G>A p.Glu117Lys het pm 8 c. 970T>G p.Ser324Ala het “De novo” Present study 3 3 c. 349G>A "
            "p.Glu117Lys homo p, m")
    de_novo = [z for z in zygosity(nlp, text) if z[0] == "de_novo"]
    assert de_novo[0][1] == ["c. 970T>G", "p.Ser324Ala"]


def test_de_novo_confirmed_by_absent_parents_is_not_negated(nlp):
    # NPHS1 (28392951)
    text = "These are considered to be “de novo” mutations, as they were not found in the patient's parents."
    assert [z[3] for z in zygosity(nlp, text) if z[0] == "de_novo"] == [False]


def test_recessive_disease_adjective_is_an_inheritance_mode(nlp):
    # SP7 (BioRED 20579626)
    text = "Identification of a frameshift mutation in Osterix in a patient with recessive osteogenesis imperfecta."
    assert [m.concept_id for m in mentions(nlp(text)) if m.kind == MentionKind.INHERITANCE] == ["HP:0000007"]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        # FBN1 (27834076)
        ("He presented short stature, short and stubby hands and feet, normal intelligence, and mild facial dysmorphism.",
         "patient"),
        ("Acromicric dysplasia (AD, MIM 102370) is a rare skeletal dysplasia characterized by severe short stature, short "
         "hands and feet, joint limitation, and skin thickening.", "background"),
        # DHCR24 (29175559)
        ("In 2002, Andersson et al. reported the first living case of desmosterolosis in an infant who presented with "
         "severe microcephaly, agenesis of corpus callosum, facial dysmorphic features.", "background"),
        # BBS5 (30850397)
        ("Retinitis pigmentosa (RP) (OMIM: 268000) accounts for approximately one-half of the cases.", "other"),
    ],
)
def test_sentences_about_the_patients(sentence, kind):
    assert sentence_kind(sentence) == kind
