"""One allele, many spellings (extractors.alleles): codon arithmetic, the genetic code and merging, on the
spellings and sentences of real case reports (corpora/casereports)."""
from __future__ import annotations

import pytest
from genelit.extractors.alleles import (
    codon_of,
    group_alleles,
    indel_consistent,
    pair_consistent,
    substitution_consistent,
)
from genelit.extractors.base import mentions
from genelit.extractors.pipeline import PipelineConfig, build_pipeline
from genelit.models.mentions import MentionKind


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline(PipelineConfig(components=("genelit_variants",)))


def alleles(nlp, text: str) -> list[tuple[set[str], list[str], tuple[str, ...]]]:
    variants = [m for m in mentions(nlp(text)) if m.kind == MentionKind.VARIANT]
    return [(set(a.keys), a.spellings, a.merges) for a in group_alleles(variants, text)]


def test_codon_arithmetic_of_the_umod_allele():
    # c.920 is the second base of codon 307; A->C there turns Lys (AAA/AAG) into Thr (ACA/ACG)
    assert codon_of(920) == (307, 1)
    assert substitution_consistent("c.920A>C", "p.Lys307Thr") is True
    assert substitution_consistent("c.920A>G", "p.Lys307Thr") is False  # AGA/AGG is Arg
    assert substitution_consistent("c.923A>C", "p.Lys307Thr") is False  # codon 308
    assert substitution_consistent("c.920A>C", "p.Lys307fs") is None  # not a substitution pair


@pytest.mark.parametrize(
    ("c_key", "p_key", "consistent"),
    [
        ("c.1221G>A", "p.Pro407=", True),  # OCRL, synonymous: CCG -> CCA stays Pro
        ("c.2374A>T", "p.Lys792Ter", True),  # NPHS1, nonsense: AAR -> TAR
        ("c.1052C>T", "p.Ser351Phe", True),  # FGFR3: TCC -> TTC
        ("c.830del", "p.Gly277AlafsTer20", True),  # CDH3 frameshift in codon 277
        ("c.7782_7783del", "p.Lys2595SerfsTer6", True),  # ASPM, 2 nt: a frameshift
        ("c.9742_9745del", "p.Lys2595SerfsTer6", False),  # the other ASPM deletion lies in codon 3248
        ("c.166_167dupTA", "p.Asn57ThrfsTer24", True),  # SPINT2: the first new residue follows the dup
    ],
)
def test_pairs_checked_by_the_genetic_code(c_key, p_key, consistent):
    assert pair_consistent(c_key, p_key) is consistent


def test_an_in_frame_protein_change_cannot_come_from_a_frameshifting_deletion():
    assert indel_consistent("c.830del", "p.Gly277del") is False
    assert indel_consistent("c.1308_1316dup", "p.Ala437_Val439dup") is True


def test_c_and_p_named_apart_merge_by_codon_arithmetic(nlp):
    # ASPM (29644084): the protein changes are listed apart from the cDNA changes ("respectively")
    text = ("These analyses detected two different 2- and 4-nucleotide deletions in exons 18 and 24 of the ASPM gene, "
            "namely, [NM_018136.4(ASPM_v001)], c.7782_7783del and c.9742_9745del, respectively, which caused reading "
            "frameshifts that ended with premature stop codons, p.Lys2595Serfs*6 and p.Lys3248Serfs*13, respectively.")
    found = alleles(nlp, text)
    assert [keys for keys, _, _ in found] == [
        {"c.7782_7783del", "p.Lys2595SerfsTer6"}, {"c.9742_9745del", "p.Lys3248SerfsTer13"}]
    assert all("c. and p. consistent by codon and genetic code" in merges for _, _, merges in found)


def test_two_alleles_sharing_a_mistyped_rsid_stay_two(nlp):
    # NPC1 (27900365) writes rs120074135 after V950M once and after N1156S later
    text = ("We provide supporting evidence that the variant V950M (rs120074135) causes a milder deficit in NPC1 function. "
            "At the NPC1 locus, the patient was positive for heterozygous V950M (rs28942105) and N1156S (rs120074135) "
            "missense mutations, each of which is known to be associated with NPC (Fig. 1).")
    keys = [keys for keys, _, _ in alleles(nlp, text)]
    assert len(keys) == 2
    assert "p.Val950Met" in keys[0] and "p.Asn1156Ser" not in keys[0]
    assert "p.Asn1156Ser" in keys[1] and "rs120074135" in keys[1]


def test_every_spelling_is_kept_in_order(nlp):
    # SPINT2 (29575628): c. and p. side by side with "predicting"
    text = ("Two heterozygous sequence variants in the SPINT2 gene were identified - c.488A>G, predicting p.(Tyr163Cys), "
            "and c.166_167dupTA, predicting p.(Asn57Thrfs*24) (NM_021102.3). The p.(Tyr163Cys) variant was maternally "
            "inherited and has previously been described as pathogenic.")
    [(first, spellings, _), (second, _, _)] = alleles(nlp, text)
    assert first == {"c.488A>G", "p.Tyr163Cys"} and spellings == ["c.488A>G", "p.(Tyr163Cys)"]
    assert second == {"c.166_167dupTA", "p.Asn57ThrfsTer24"}


def test_a_stop_written_with_a_typographic_asterisk(nlp):
    text = "Interestingly, this patient also had a heterozygous mutation p.Lys792∗, which is also a novel mutation."
    [(keys, _, _)] = alleles(nlp, text)
    assert "p.Lys792Ter" in keys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # MEN1 (BioRED 20367983): a change told in words, then placed by the notation
        ("RESULTS: In this family, a heterozygous cytosine insertion in exon 10 (c.1546_1547insC) inducing a frame "
         "shift mutation of MEN1 was found in the proband.", {"c.1546_1547insC"}),
        # GJB2 (BioRED 20846357): the words read the residues backwards; the paper's notation stands
        ("Sequencing showed a novel nucleotide change, leading to a substitution of alanine for valine at position 88 "
         "(p.Ala88Val).", {"p.Ala88Val"}),
        # FKBP10 (29801479): the IVS form is stated beside the cDNA form
        ("Whole exome sequencing revealed a novel homozygote splice acceptor site mutation (c.1257-2A > G, IVS7-2A > G) "
         "in FKBP10 gene in the patient.", {"c.1257-2A>G", "IVS7-2A>G"}),
    ],
)
def test_restatements_are_one_allele(nlp, text, expected):
    [(keys, _, _)] = alleles(nlp, text)
    assert keys == expected


def test_a_stated_pair_stands_but_a_disagreeing_code_is_flagged(nlp):
    # FRMD7 (tmVar 17962394): c.686 is the 2nd base of codon 229, which no Arg codon has as C
    text = ("A novel missense c.686C>G mutation, which causes the substitution of a conserved arginine at amino acid "
            "position 229 by glycine (p.R229G) in exon 8 of the FRMD7 gene, was observed.")
    [(keys, _, merges)] = alleles(nlp, text)
    assert {"c.686C>G", "p.Arg229Gly"} <= keys
    assert "c. and p. stated as one change (the genetic code disagrees: check the paper)" in merges


def test_neighbours_in_a_list_are_paired_only_when_the_code_agrees(nlp):
    # SPINT2 (29575628), table of published variants: c.247G>T is the 1st base of codon 83, G->T turns Glu
    # (GAR) into a stop (TAR)
    text = "Superficial punctate keratitis, hypertelorism c.247G>T p.(Glu83*) Kunitz inhibitor type I domain"
    assert [keys for keys, _, _ in alleles(nlp, text)] == [{"c.247G>T", "p.Glu83Ter"}]
    # PRPF3 (27886254), table of published mutations as printed: c.1482 is the 3rd base of codon 494 and
    # C->T there keeps Thr, so "c.1482C > T p.T494M" is a misprint the genetic code refuses to pair
    text = "Exon 11 c.1482C > T p.T494M AD RP Exon 11 c.1478C > T p.P493S AD RP"
    assert [keys for keys, _, _ in alleles(nlp, text)] == [{"c.1482C>T"}, {"p.Thr494Met"}, {"c.1478C>T"}, {"p.Pro493Ser"}]


def test_an_intronic_position_glued_to_a_gene_symbol(nlp):
    text = "ANKRD17c.4103T>G and TECRLc.331+1G>A variants were not reported as single nucleotide polymorphisms."
    found = [keys for keys, _, _ in alleles(nlp, text)]
    assert {"c.331+1G>A"} in found and {"c.1G>A"} not in found
