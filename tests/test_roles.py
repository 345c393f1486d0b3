"""Variant roles (extractors.roles with the cues of extractors.role_cues) on real sentences from the case
reports (corpora/casereports) and BioRED abstracts: every role, and the rules that combine cues."""
from __future__ import annotations

import pytest
from genelit.extractors.alleles import group_alleles
from genelit.extractors.base import mentions
from genelit.extractors.pipeline import PipelineConfig, build_pipeline
from genelit.extractors.roles import classify_alleles
from genelit.models.evidence import VariantRole
from genelit.models.mentions import MentionKind


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(PipelineConfig(components=("genelit_variants",)))


def roles(nlp, text: str, section_of=lambda _offset: None) -> dict[str, tuple[VariantRole, str]]:
    """Role and reason of each allele, by its canonical key."""
    variants = [m for m in mentions(nlp(text)) if m.kind == MentionKind.VARIANT]
    alleles = group_alleles(variants, text)
    return {a.canonical_key: (d.role, d.reason) for a, d in zip(alleles, classify_alleles(text, alleles, section_of))}


@pytest.mark.parametrize(
    ("text", "key", "role", "cue"),
    [
        # POGLUT1 (27807076), the paper's own finding
        ("Here, we report a homozygous missense mutation (D233E) in the protein O‐glucosyltransferase 1 gene, POGLUT1, "
         "in four siblings with autosomal recessive limb‐girdle muscular dystrophy.", "p.Asp233Glu", VariantRole.CASE, "we report"),
        # FBN1 (27834076)
        ("The WES results identified a heterozygous variant, c.5282C>T (p.Thr1761Ile), in the TB5 domain of FBN1 "
         "(NM_000138.4), which was validated by Sanger sequencing.", "c.5282C>T", VariantRole.CASE, "WES results identified"),
        # GHR (BioRED 20606392): "previously reported" beside a finding is still the patient's allele
        ("DNA analysis revealed compound heterozygosity for mutations of GHR, including a previously reported R211H "
         "mutation and a novel duplication of a nucleotide in exon 9 (899dupC), the latter resulting in a frameshift.",
         "p.Arg211His", VariantRole.CASE, "analysis revealed"),
        # CLCN1 (30243293): a reporting clause governs the finding in it
        ("Gianna et al reported four cases that harbored splicing mutations(c.563G > T, c.1169-5 T > G, c.1251 + 1G > A "
         "and c.1931-2A > G), which led to skipping exons in a frameshift change.", "c.563G>T", VariantRole.REPORTED, "et al reported"),
        # NPHS1 (28392951): another group's report governs every allele of its clause
        ("Fu et al. reported a CNS patient that had two heterozygous single-base mutations (c.928G>A and c.1440+1G>A) "
         "in the NPHS1 gene.", "c.1440+1G>A", VariantRole.REPORTED, "et al. reported"),
        # SCN5A (31590245): another group's finding
        ("A multicenter study by Kapplinger et al. described a BrS-related mutation in the SCN5A gene located on the "
         "nucleotide immediately after the nucleotide of the variant described in the current study (c.2092G>T, p.E698X*), "
         "lending further evidence to the pathogenicity of the c.2091G>A variant.", "c.2092G>T", VariantRole.REPORTED,
         "et al. described"),
        # EP300 (29506490): "reported by ... et al." after the allele
        ("In addition to the two frameshift mutations, a missense one (c.1699C > T; p.Arg567Trp) was also reported by "
         "Gregor et al. 2013.", "c.1699C>T", VariantRole.REPORTED, "was also reported by"),
        # NPC1 (27900365): patient words without a finding of this paper are background
        ("The I1061T mutation by itself is often seen in patients with milder disease phenotypes: It is associated "
         "with a slowly progressive juvenile form of the disease.", "p.Ile1061Thr", VariantRole.REPORTED, "often seen"),
        # NPC1 (27900365): the patient's own benign variants
        ("The three additional missense mutations, H215R, M642I, and I858V, are considered to be benign: They are "
         "highly polymorphic and have been demonstrated to be nonpathogenic.", "p.Met642Ile", VariantRole.POPULATION, "benign"),
        # PVT1 (BioRED Dev 17395743), an association study
        ("These SNPs were genotyped in individuals comprising each pool, and strong evidence for association was found "
         "with rs2720709 (P = 0.000021; odds ratio 2.57 [95% CI 1.66-3.96]).", "rs2720709", VariantRole.POPULATION, "SNPs"),
        # TGFBR1 (30701076), an engineered construct
        ("A plasmid encoding human TGFBR1 with a C-terminal HA-tag was generated from a plasmid encoding a genetically "
         "altered human TGFBR1 mutant with intrinsic constitutive activity (T204D) by site-directed mutagenesis.",
         "p.Thr204Asp", VariantRole.EXPERIMENTAL, "mutagenesis"),
        # POGLUT1 (27807076): a figure panel read as a variant
        ("We overexpressed NICD1 in these cells and observed a solid reversion of the proliferation defects "
         "(Fig 8A and B, Appendix Fig S13A and B).", "p.Ser13Ala", VariantRole.OTHER, "Appendix Fig"),
    ],
)
def test_role_from_sentence_cues(nlp, text, key, role, cue):
    found = roles(nlp, text)
    assert found[key][0] == role
    assert cue in found[key][1]


def test_a_table_of_published_variants_is_reported(nlp):
    # SPINT2 (29575628), Table I flattened into the text
    text = ("Previously reported deleterious SPINT2 sequence variants Nucleotide Alteration (NM_ 021102.3) Protein "
            "alteration Protein domain Ocular Findings Reference c.2T>C removal start codon Kunitz inhibitor type I "
            "domain Superficial punctate keratitis c.172dupG p.(Val58Glyfs*3) Kunitz inhibitor type I domain Superficial "
            "punctate keratitis, hypertelorism c.247G>T p.(Glu83*) Kunitz inhibitor type I domain Superficial punctate "
            "keratitis c.337+2T>C Corneal erosions c.442C>T p.(Arg148Cys) Kunitz inhibitor type I domain")
    found = roles(nlp, text)
    assert found["c.442C>T"][0] == VariantRole.REPORTED
    assert found["c.337+2T>C"][0] == VariantRole.REPORTED


def test_a_change_without_a_position_names_no_allele(nlp):
    text = ("Chromatograms reveal a homozygous T‐to‐G substitution in the four affected family members, while a "
            "heterozygous G/T in the healthy sibling.")
    assert {role for role, _ in roles(nlp, text).values()} == {VariantRole.OTHER}


def test_a_genome_coordinate_is_not_a_cdna_allele(nlp):
    # NPC1 (27900365), a table row: "g.Chr18:21119382C>T" read as the legacy change "21119382C>T"
    text = "NPC1 18 g.Chr18:21119382C>T p.V950M Missense rs120074135 Heterozygous 12.2 0"
    found = roles(nlp, text)
    assert found["c.21119382C>T"] == (VariantRole.OTHER, "a genome coordinate read as a cDNA position (beyond any coding sequence)")


def test_the_section_kind_is_one_more_vote():
    from genelit.extractors.role_cues import Strength
    from genelit.extractors.roles import MentionRole, allele_role

    background = [((0, 10), MentionRole(VariantRole.CASE, Strength.WEAK, "sentence cue 'patients'"))]
    assert allele_role(background).role == VariantRole.REPORTED
    assert allele_role(background, ["results"]).role == VariantRole.CASE
    assert allele_role(background, ["discussion"]).role == VariantRole.REPORTED
