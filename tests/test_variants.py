"""Variant finding and normalization: real spellings from the tmVar/BioRED corpora → canonical keys."""
from __future__ import annotations

import pytest
from genelit.extractors.base import mentions
from genelit.extractors.pipeline import PipelineConfig, build_pipeline
from genelit.extractors.variants import find_variants, normalize_variant, parse_variant
from genelit.models.evidence import VariantClass
from genelit.models.mentions import MentionKind
from hypothesis import given, settings
from hypothesis import strategies as st

# Each list is one equivalence class: every spelling must normalize to the key.
EQUIVALENT = {
    "p.Val92Met": ["V92M", "Val92Met", "p.V92M", "p.(Val92Met)", "p.Val92Met", "Val 92 Met", "Val(92)Met"],
    "p.Arg123Ter": ["R123X", "Arg123*", "Arg123Ter", "p.R123*", "p.Arg123X", "R123stop", "Arg123Stop"],
    "c.274G>A": ["274G>A", "G274A", "c.274G>A", "c.274 G>A", "c.274G-->A", "274 G-->A", "c.G274A"],
    "IVS4+1G>A": ["IVS4+1G>A", "IVS4 + 1G>A", "IVS4+1 G-->A"],
    "rs121913529": ["rs121913529", "rs 121913529"],
    "p.Arg97fs": ["p.Arg97fs", "R97fs", "p.R97fs"],
    "p.Arg97ProfsTer23": ["p.Arg97ProfsTer23", "p.Arg97Profs*23", "p.R97PfsX23", "Arg97ProfsX23"],
    "p.Phe508del": ["delta F508", "ΔF508", "DeltaF508", "F508del", "p.Phe508del", "p.F508del"],
    "p.Gly12Asp": ["Gly12Asp", "G12D", "p.G12D", "glycine 12 to aspartic acid"],
    "c.1517A>G": ["c.1517A>G", "A to G substitution at nucleotide 1517", "1517A>G"],
    "c.-395G>A": ["G-395A", "-395G>A", "c.-395G>A"],
    "p.Cys23Ser": ["Cys 23 Ser", "Cys23Ser", "C23S", "Cys 23-Ser 23"],
    "p.Gly272Ter": ["272gly----stop", "Gly272Ter", "G272X"],
    "p.Ser273Phe": ["273ser----phe", "S273F", "p.(Ser273Phe)"],
    "p.Glu272Ter": ["Glu 272 to stop", "E272X", "p.Glu272*"],
    "p.Arg469Ter": ["p.R469[R,X]", "R469X", "Arg469Ter"],
    "c.1451C>G": ["cytosine to guanine transversion at nucleotide 1451", "1451C>G", "C1451G"],
    "p.Lys198Asn": ["Lys198Asn", "Lys to Asn at position 198", "K198N"],
    "p.Leu269Phe": ["leucine 269 to phenylalanine", "L269F"],
    "c.1285_1301dup": ["c.1285-1301dup", "c.1285_1301dup"],
    "c.370_371insA": ["c.370-371insA", "c.370_371insA"],
    "c.1782_1783delAG": ["1782-83delAG", "c.1782_1783delAG"],
    "c.1067delA": ["1067 del A", "1067delA", "c.1067delA"],
    "p.Cys105ValfsTer114": ["C105Vfs114X", "p.Cys105ValfsTer114"],
    "p.Glu947Ter": ["p.E947stop", "E947X", "Glu947Stop"],
    "p.Ile146Leu": ["Ile(146)-->Leu", "Ile146-->Leu", "I146L"],  # BioRED Train 18779591
    "c.-491A>T": ["-491 A to T", "-491A>T", "c.-491A>T"],  # tmVar
    "c.1308_1316dup": ["1308_1316 dup9", "c.1308_1316dup9", "c.1308_1316dup"],  # the range gives the length
}


@pytest.mark.parametrize(("key", "spelling"), [(k, s) for k, v in EQUIVALENT.items() for s in v])
def test_spellings_share_one_key(key: str, spelling: str) -> None:
    assert normalize_variant(spelling) == key


@pytest.mark.parametrize(
    "mention",
    ["c.123+1G>A", "c.-13C>T", "c.*45del", "p.0", "p.Met1?", "c.609+28_610-16del", "p.Gly204_Lys247del",
     "p.Asp46_Gln48delinsGlu", "g.3318-34C>T", "m.3243A>G", "c.2153_2155delinsTCCTGGTTTA", "c.429_452dup",
     "p.Ter110GlnextTer17", "c.35delG", "p.Met326="],
)
def test_hgvs_keys_are_fixed_points(mention: str) -> None:
    assert normalize_variant(mention) == mention


@pytest.mark.parametrize(
    ("mention", "key"),
    [("Met326Met", "p.Met326="), ("IVS8 -2A>G", "IVS8-2A>G"), ("1-bp deletion", "del(1 bp)"),
     ("deletion of 3 bp", "del(3 bp)"), ("Delta32", "Δ32"), ("dup24bp", "dup24bp"), ("delTTCA", "delTTCA")],
)
def test_legacy_and_free_text_keys(mention: str, key: str) -> None:
    assert normalize_variant(mention) == key
    assert normalize_variant(key) == key


@pytest.mark.parametrize(
    ("mention", "key"),
    [("partial IGF-I gene deletion involving exons 4 and 5", "del(exons 4-5)"),
     ("whole-gene deletion", "del(whole gene)"), ("duplication of exon 2", "dup(exon 2)"),
     ("deletion of exons 3 to 7", "del(exons 3-7)")],
)
def test_copy_number_descriptions(mention: str, key: str) -> None:
    parsed = parse_variant(mention)
    assert parsed is not None and parsed.key == key and parsed.is_copy_number
    assert normalize_variant(key) == key


@pytest.mark.parametrize(
    ("mention", "cls"),
    [("R123X", VariantClass.NULL), ("p.Arg97fs", VariantClass.NULL), ("c.123+1G>A", VariantClass.NULL),
     ("IVS8 -2A>G", VariantClass.NULL), ("p.Met1?", VariantClass.NULL), ("c.35delG", VariantClass.NULL),
     ("V92M", VariantClass.MISSENSE), ("p.Phe508del", VariantClass.INFRAME), ("c.1618_1620delACT", VariantClass.INFRAME),
     ("c.2838+5G>A", VariantClass.SPLICE), ("c.444-62C>A", VariantClass.OTHER), ("Met326Met", VariantClass.OTHER),
     ("partial IGF-I gene deletion involving exons 4 and 5", VariantClass.NULL),
     ("duplication of exon 2", VariantClass.COPY_NUMBER)],
)
def test_variant_classes(mention: str, cls: VariantClass) -> None:
    parsed = parse_variant(mention)
    assert parsed is not None and parsed.variant_class == cls


@pytest.mark.parametrize("text", ["type 2 diabetes (T2D)", "the C4A gene", "C3H/HeN mice", "E2F", "H1N1", "patients",
                                  "p = 0.05", "IL-6", "in 1998"])
def test_non_variants(text: str) -> None:
    assert find_variants(text) == []
    assert normalize_variant(text) is None


IGF1 = ("Intrauterine growth failure was caused by a homozygous partial IGF-I gene deletion involving exons 4 "
        "and 5 in a consanguineous family.")


def test_igf1_sentence() -> None:
    (v,) = find_variants(IGF1)
    assert v.text == "partial IGF-I gene deletion involving exons 4 and 5"
    assert (v.key, v.variant_class, v.is_copy_number) == ("del(exons 4-5)", VariantClass.NULL, True)
    assert find_variants(IGF1, include_copy_number=False) == []


def test_dna_and_protein_pair() -> None:
    text = "Sequencing revealed c.274G>A (p.Val92Met) in exon 3."
    dna, protein = find_variants(text)
    assert (dna.text, dna.start, dna.end) == ("c.274G>A", 20, 28)
    assert (protein.text, protein.start, protein.end) == ("p.Val92Met", 30, 40)
    assert (dna.hgvs_c, dna.hgvs_p) == ("c.274G>A", "p.Val92Met")
    assert (protein.hgvs_c, protein.hgvs_p) == ("c.274G>A", "p.Val92Met")
    assert dna.variant_class == protein.variant_class == VariantClass.MISSENSE


def test_spans_follow_corpus_guidelines() -> None:
    """Real sentences (tmVar 22016685, 21850008, BioRED 19889778): offsets and what is inside the span."""
    text = ("revealed a heterozygous A to G substitution in nucleotide 1517 (c.1517A>G) of exon 13, resulting "
            "in (p.Asp506Gly). We identified T10191C (p.S45P) in ND3, A11470C (p. K237N) in ND4, strains with "
            "sG145R or rtM204I and rs1799750.")
    found = {v.text: v for v in find_variants(text)}
    assert set(found) == {"c.1517A>G", "p.Asp506Gly", "T10191C", "p.S45P", "A11470C", "p. K237N", "G145R",
                          "M204I", "rs1799750", "A to G substitution in nucleotide 1517"}
    for v in found.values():
        assert text[v.start:v.end] == v.text
    assert found["p. K237N"].key == "p.Lys237Asn"
    assert found["rs1799750"].rsid == "rs1799750"
    # BioRED (the default) also annotates the description in words: it is the same variant, same key
    assert found["A to G substitution in nucleotide 1517"].key == "c.1517A>G"
    # the tmVar guideline drops it, and the bare "A to G" inside it is not reported on its own either
    tmvar = {v.text for v in find_variants(text, include_descriptions=False, include_alleles=False)}
    assert tmvar == set(found) - {"A to G substitution in nucleotide 1517"}


def test_tmvar_guideline_drops_descriptions() -> None:
    text = "a substitution of arginine to glutamine substitution at residue 753 was found"
    assert [v.key for v in find_variants(text)] == ["p.Arg753Gln"]
    assert find_variants(text, include_descriptions=False) == []


def test_rsids_can_be_switched_off() -> None:
    assert find_variants("rs4680 and V158M", include_rsids=False)[0].key == "p.Val158Met"


def test_spacy_component_adds_variant_mentions() -> None:
    nlp = build_pipeline(PipelineConfig(components=("genelit_variants",), abbreviations=False))
    doc = nlp("The KRAS c.35G>A (p.Gly12Asp) variant. A whole-gene deletion was also seen.")
    found = [m for m in mentions(doc) if m.kind == MentionKind.VARIANT]
    assert [m.concept_id for m in found] == ["c.35G>A", "p.Gly12Asp", "del(whole gene)"]
    assert found[0].attrs["hgvs_p"] == "p.Gly12Asp" and found[0].attrs["variant_class"] == "missense"
    assert found[2].attrs["is_copy_number"] is True
    assert all(doc.text[m.start:m.end] == m.text for m in found)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_normalize_never_raises_and_is_idempotent(text: str) -> None:
    key = normalize_variant(text)
    if key is not None:
        assert normalize_variant(key) == key


VARIANTISH = st.text(alphabet="ACGTXpcg.>_-+*()/ 0123456789delinsfsValMetArgTerIVSrs", max_size=40)


@settings(max_examples=300, deadline=None)
@given(VARIANTISH)
def test_variant_like_text_is_idempotent_and_offsets_slice(text: str) -> None:
    key = normalize_variant(text)
    if key is not None:
        assert normalize_variant(key) == key
    for v in find_variants(text):
        assert text[v.start:v.end] == v.text
        assert normalize_variant(v.key) == v.key


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_find_never_raises_and_offsets_slice(text: str) -> None:
    for v in find_variants(text):
        assert 0 <= v.start < v.end <= len(text)
        assert text[v.start:v.end] == v.text


# --------------------------------------------------------------------------------------------------
# Rules added for BioRED/tmVar recall; every sentence below is a real corpus spelling (PMID given).
# --------------------------------------------------------------------------------------------------
def _found(text: str, **options: bool) -> dict[str, str]:
    return {v.text: v.key for v in find_variants(text, **options)}


@pytest.mark.parametrize(
    ("text", "mention", "key"),
    [
        ("lower frequency of the IL-17F 7488CC genotype (0% vs. 4.8%)", "7488CC", "c.7488CC"),  # 21615796
        ("the IL-17F 7488 T allele is significantly associated", "7488 T", "c.7488T"),
        ("The 1858T risk allele occurred on only a single haplotype", "1858T", "c.1858T"),  # 17003357
        ("carrying at least one variant 326Ile allele, carriers", "326Ile", "p.326Ile"),  # 19218574
        ("The OR for the 399 Gln allele in patients with SLE", "399 Gln", "p.399Gln"),  # 21682595
        ("association of FCGR2B-232Thr/Thr with SLE", "232Thr", "p.232Thr"),  # 15459183
        ("a nonsignificant trend of 192RR homozygosity in women", "192RR", "p.192ArgArg"),  # 15241482
        ("linkage disequilibrium between the T allele at -511 and", "T allele at -511", "c.-511T"),  # 17006606
        ("the minor (W) allele at codon 620 was associated", "(W) allele at codon 620", "p.620Trp"),  # 17000021
        ("that IL1B-31TT and IL1B-511CC are associated", "-511CC", "c.-511CC"),  # 17006606
        ("the GSTP1 Ile/Val genotype and the advanced age group", "Ile/Val", "Ile/Val"),  # 22180037
        ("In EMSA, the (CCTTT)14 allele exhibited specific binding", "(CCTTT)14", "CCTTT[14]"),  # 16288199
        ("the wild type G1359G as second group", "G1359G", "c.1359GG"),  # 21666969
    ],
)
def test_alleles_and_genotypes(text: str, mention: str, key: str) -> None:
    """BioRED annotates single alleles/genotypes; tmVar does not (``include_alleles=False``)."""
    found = {v.text: v for v in find_variants(text)}
    assert found[mention].key == key
    assert normalize_variant(key) == key
    assert mention not in _found(text, include_alleles=False)


def test_allele_needs_a_cue_word() -> None:
    """Without "allele"/"genotype"/... a position and a letter is no variant (ages, doses, cell counts)."""
    assert find_variants("Of 1858 T cells and 7488 CC patients, 326 Ile") == []


@pytest.mark.parametrize(
    ("text", "mention", "key"),
    [
        ("Two coding polymorphisms, 55M/L and 192Q/R, and a promoter variant", "192Q/R", "p.Gln192Arg"),  # 15241482
        ("Two coding polymorphisms, 55M/L and 192Q/R", "55M/L", "p.Met55Leu"),
        ("increased risk associated with the FOXP3-924 A/G genotype", "-924 A/G", "c.-924A>G"),  # 19880293
        ("of which IL1B-31T/C and -511C/T changes", "-31T/C", "c.-31T>C"),  # 17006606
        ("SLCO1B1*5, *15 and *15+C1007G, a novel haplotype", "C1007G", "c.1007C>G"),  # 15970799
        ("Impact of CCR5delta32 host genetic background", "delta32", "Δ32"),  # 21135151
        ("the truncated human TRPV6(Delta695-725), which lacks", "Delta695-725", "Δ695_725"),  # 15184369
        ("were genotyped for the CCR5 DD32 deletion. Differences", "DD32 deletion", "Δ32"),  # 20682662 (Δ as BioRED renders it)
        ("deletion of valine 624, valine 625 (Val624-Val625del) in 1 patient", "Val624-Val625del",
         "p.Val624_Val625del"),  # 15623763
        ("synonymous variants (g.3395C>T [p.Thr26], g.3503C>T [p.Asn62])", "p.Asn62", "p.Asn62"),  # 14722929
        # residue name, position, residue name: tmVar annotates this shape too ("leucine 269 to phenylalanine")
        ("resulting in substitution of glutamic acid 333 by aspartic acid residue (E333D)",
         "glutamic acid 333 by aspartic acid", "p.Glu333Asp"),  # 17177139
        ("2193(ATCT)(5-13), and 2234(TGTA)(5-7)", "2193(ATCT)(5-13)", "c.2193ATCT[5-13]"),  # 19144556 (tmVar)
        ("a deletion-insertion combined mutation (TAC-->AA) at codon 329 in exon 6", "(TAC-->AA) at codon 329",
         "codon329:TAC>AA"),  # 16822828
    ],
)
def test_notation_rules(text: str, mention: str, key: str) -> None:
    """Patterned mentions: found under both corpus guidelines."""
    for options in ({}, {"include_descriptions": False, "include_alleles": False}):
        assert _found(text, **options)[mention] == key
    assert normalize_variant(key) == key


@pytest.mark.parametrize(
    ("text", "mention", "key"),
    [
        ("resulted in substitution of arginine by glutamine at amino acid position 714 in the ligand-binding",
         "arginine by glutamine at amino acid position 714", "p.Arg714Gln"),  # 20335448
        ("resulting in the substitution of glutamine with lysine at residue 223 in the carbohydrate",
         "glutamine with lysine at residue 223", "p.Gln223Lys"),  # 17083016
        ("identified by analysis of adenine 474 deletion mutation (c.474delA)", "adenine 474 deletion",
         "c.474delA"),  # 28468941
        ("revealed a homozygous deletion of C at nucleotide 888 within exon 5", "deletion of C at nucleotide 888",
         "c.888delC"),  # 16781314
        ("the first report of GPIbalpha TGAG deletion in homozygous state", "TGAG deletion", "delTGAG"),  # 18791947
        ("a homozygous four bases deletion (TGAG) of GPIbalpha gene", "deletion (TGAG)", "delTGAG"),
        ("In this family, a heterozygous cytosine insertion in exon 10", "cytosine insertion", "insC"),  # 20367983
    ],
)
def test_descriptions_in_words(text: str, mention: str, key: str) -> None:
    """Changes told in words: BioRED annotates them, tmVar does not."""
    assert _found(text)[mention] == key
    assert mention not in _found(text, include_descriptions=False)
    assert normalize_variant(key) == key


@pytest.mark.parametrize(
    ("text", "mention", "key"),
    [
        ("a G-->C transversion at 1245 position of the hOGG1 gene", "G-->C transversion at 1245 position",
         "c.1245G>C"),  # 16843501
        ("amino acid substitution Phe-->Ser at codon 15; intron 2", "Phe-->Ser at codon 15", "p.Phe15Ser"),  # 15316799
        ("c.87+1G>A (G>A substitution at nucleotide +1 of intron 2) was found",
         "G>A substitution at nucleotide +1 of intron 2", "IVS2+1G>A"),  # 14722925
    ],
)
def test_arrow_descriptions_are_notation(text: str, mention: str, key: str) -> None:
    """A change written with an arrow plus its position is annotated by tmVar too."""
    assert _found(text, include_descriptions=False)[mention] == key


def test_genotype_letters_are_not_changes() -> None:
    """16410744: "G/G (82.4%), G/A (10.8%), A/A (6.8%)": G/G and A/A name genotypes, not changes."""
    keys = _found("were G/G (82.4%), G/A (10.8%), A/A (6.8%), corresponding to")
    assert "G/G" not in keys and "A/A" not in keys


def test_restated_size_takes_the_notation_key() -> None:
    """17327131: both mentions are annotated; the curator sees one variant, under its precise key."""
    found = _found("two missense mutations and a 1-bp insertion (c.14_15insC) that creates")
    assert found == {"1-bp insertion": "c.14_15insC", "c.14_15insC": "c.14_15insC"}
    # 20801104: a list, not a restatement; the duplication keeps its own key
    listed = _found("in the promoter region of DRD4 (-120 bp duplication, -616C/G, and -521C/T)")
    assert listed["-120 bp duplication"] == "dup(120 bp)"


# --------------------------------------------------------------------------------------------------
# Issue #3: spellings found missing or wrong on BioRED Train and the tmVar development two thirds.
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "mention", "key"),
    [
        ("including one small deletion mutation (46delS), two small insertion", "46delS", "p.Ser46del"),  # 18672102
        ("the allele and haplotype carrying 157delMTTTVP (P = .009)", "157delMTTTVP", "p.Met157_Pro162del"),
        ("point mutations at codons 272 and 273 (272gly----stop and 273ser----phe)", "273ser----phe", "p.Ser273Phe"),
        ("the first heterozygous nonsense mutation p.R469[R,X] reported", "p.R469[R,X]", "p.Arg469Ter"),
        ("the links between -1082(G/A) polymorphism of the IL-10 gene", "-1082(G/A)", "c.-1082G>A"),
        ("two consecutive substitutions (735-6 TG>AT) that cause", "735-6 TG>AT", "c.735_736delinsAT"),  # 18262054
        ("polymorphisms at codon 787 CAG/CAA (Gln/Gln) in glioblastomas", "codon 787 CAG/CAA",
         "codon787:CAG>CAA"),  # 16410744
        ("A Cys 23-Ser 23 substitution in the 5-HT(2C) receptor gene", "Cys 23-Ser 23", "p.Cys23Ser"),  # 16157158
        ("(single nucleotide T insertion at 7916 and 7917, Glu 272 to stop in exon 4)", "Glu 272 to stop",
         "p.Glu272Ter"),  # 16000134
        ("four SNPs in the FOXP3 gene (-6054, deletion/ATT; -3279, A/C; -924, A/G)", "-6054, deletion/ATT",
         "c.-6054delATT"),  # 19880293
        ("increased risk associated with the FOXP3-6054 deletion/ATT or", "-6054 deletion/ATT", "c.-6054delATT"),
        ("a vector expressing the mutant del-(439-443) NIS failed", "del-(439-443)", "Δ439_443"),  # 14510914
        ("overall data. Rs702553 at the PDE4D gene was selected", "Rs702553", "rs702553"),
    ],
)
def test_more_notation(text: str, mention: str, key: str) -> None:
    """Written notation: both corpus guidelines annotate it."""
    for options in ({}, {"include_descriptions": False, "include_alleles": False}):
        assert _found(text, **options)[mention] == key
    assert normalize_variant(key) == key


@pytest.mark.parametrize(
    ("text", "mention", "key"),
    [
        ("the entire coding ALD gene disclosed a cytosine to guanine transversion at nucleotide 1451 in exon five",
         "cytosine to guanine transversion at nucleotide 1451", "c.1451C>G"),  # 7811247
        ("two were new; T deletion at 5063 and substitution of C to T at 33468 in exon 8", "T deletion at 5063",
         "c.5063delT"),
        ("two were new; T deletion at 5063 and substitution of C to T at 33468 in exon 8", "C to T at 33468",
         "c.33468C>T"),
        ("(single nucleotide T insertion at 7916 and 7917, Glu 272 to stop in exon 4)",
         "nucleotide T insertion at 7916 and 7917", "c.7916_7917insT"),  # 16000134
        ("causes the substitution of a conserved arginine at amino acid position 229 by glycine (p.R229G)",
         "arginine at amino acid position 229 by glycine", "p.Arg229Gly"),
        ("an amino acid substitution of arginine residue for the proline residue at position 158 of apoE",
         "arginine residue for the proline residue at position 158", "p.Pro158Arg"),  # 21325775
        ("(p.Q298X) and a missense mutation at codon 358, tyrosine to histidine (p.Y358H)",
         "codon 358, tyrosine to histidine", "p.Tyr358His"),  # 19365571
        ("predicted to result in the substitution of an arginine by a tryptophan (R47W) in the",
         "arginine by a tryptophan", "Arg>Trp"),  # 17910065
        ("responsible for nonsynonymous substitution of leucine to methionine, may have some role",
         "leucine to methionine", "Leu>Met"),  # 22048266
        ("the sequence results in the substitution of glycine (Gly) with arginine (Arg) and",
         "glycine (Gly) with arginine (Arg)", "Gly>Arg"),  # 19918264
        ("for the GR, replacing an arginine (CGA) by a stop (TGA) at amino-acid 469 in the second zinc finger",
         "arginine (CGA) by a stop (TGA) at amino-acid 469", "p.Arg469Ter"),
        ("A 32 base-pair (DD32) deletion in the CCR5 gene leads to", "32 base-pair (DD32) deletion", "del(32 bp)"),
        ("V311fs is an 8-bp nucleotide (TTAAATGG) deletion in exon 5", "8-bp nucleotide (TTAAATGG) deletion",
         "del(8 bp)"),  # 16822828
        ("a common mutation was characterized causing a 5.5 kb deletion, with a", "5.5 kb deletion",
         "del(5.5 kb)"),  # 21059483
        ("suggesting that the 33-bp genomic deletion had elicited NMD", "33-bp genomic deletion", "del(33 bp)"),  # 19370764
    ],
)
def test_more_descriptions_in_words(text: str, mention: str, key: str) -> None:
    """Changes told in words: BioRED annotates them, tmVar does not."""
    assert _found(text)[mention] == key
    assert mention not in _found(text, include_descriptions=False)
    assert normalize_variant(key) == key


@pytest.mark.parametrize(
    ("text", "mention", "key"),
    [
        ("psoriasis was associated with the FOXP3 IVS9+459 GG genotype (adjusted OR", "IVS9+459 GG",
         "IVS9+459GG"),  # 19880293
        ("Meanwhile, the FOXP3 IVS9+459 GA+GG genotype was also associated", "IVS9+459 GA+GG", "IVS9+459GA+GG"),
        ("In combined genotype analyses, the FOXP3-3279 AC+AA genotype was", "-3279 AC+AA", "c.-3279AC+AA"),
        ("the V175M mutant. Met/Met at residue 175 (loss of function SNP) occurred", "Met/Met at residue 175",
         "p.175MetMet"),
        ("DNA repair in human lymphocytes and the G/C genotype of the G135C polymorphism", "G/C", "G>C"),  # 16843501
    ],
)
def test_more_alleles_and_genotypes(text: str, mention: str, key: str) -> None:
    """Genotypes at a named position: BioRED annotates them, tmVar does not."""
    assert _found(text)[mention] == key
    assert mention not in _found(text, include_alleles=False)
    assert normalize_variant(key) == key


@pytest.mark.parametrize(
    "text",
    [
        "OR for SLE patients with the Gln/Gln versus Gln/Arg or Arg/Arg genotypes was 1.55",  # 21682595
        "a significant (P = 0.049) association of G/A and A/A genotypes with opiate addiction",  # 18270997
        "All values were highest in Cys/Cys, intermediate in Cys/Ser, and lowest in Ser/Ser carriers",  # 16157158
        "gartanin suppressed proliferation of T98G glioma cells and of C33A cells",
        "glutamine synthetase catalyses the conversion of glutamate to glutamine",
        "expansion of the CAG/CTG repeat in myotonic dystrophy",
        "a transcription factor containing three Cys2-His2 zinc-finger DNA-binding domains",  # 20579626
        "the 12-nucleotide insertion/deletion (indel) polymorphism in the promoter",  # 20651814
        "A SNP for guanine insertion/deletion (G/D) of the MMP1 gene",  # 18439317
    ],
)
def test_not_variants_in_context(text: str) -> None:
    """Genotype classes of association studies, cell lines, chemistry, repeats and indel-polymorphism kinds."""
    assert find_variants(text) == []


def test_cell_line_name_needs_cell_context() -> None:
    assert _found("the T47D substitution abolished kinase activity") == {"T47D": "p.Thr47Asp"}


def test_apposed_size_description_yields_to_notation() -> None:
    """18945288: "a single nucleotide deletion c.342delA": BioRED annotates the notation only."""
    assert _found("We found a single nucleotide deletion c.342delA, located in exon 3") == {"c.342delA": "c.342delA"}
    assert _found("revealed a 2-bp deletion, c.461_462delAG, that cosegregated") == {
        "c.461_462delAG": "c.461_462delAG"}  # 17033686


def test_bare_base_change_in_words_is_a_description() -> None:
    """tmVar never annotates "A to G" on its own; BioRED does ("a C to T conversion", 15200408)."""
    text = "SNP1 affecting a C to T conversion and an Ala7Val change"
    assert _found(text)["C to T"] == "C>T"
    assert "C to T" not in _found(text, include_descriptions=False)
    assert "C/T" in _found("rs1800629 C/T was genotyped", include_descriptions=False)


@pytest.mark.parametrize(
    ("text", "mention", "key"),
    [
        ("The mutation, CAC(3543)TAC results in a His3543Tyr substitution", "CAC(3543)TAC",
         "codon3543:CAC>TAC"),  # 15135245
        ("The Arg753GLn polymorphism of the human toll-like receptor 2 gene", "Arg753GLn", "p.Arg753Gln"),  # 14979495
        ("exon 15 (962 G-A, 1067 del A and 1067-1068 ins 5 bp)", "962 G-A", "c.962G>A"),  # 15003823
        ("gamma-globin gene, -369 (C>G), -611 (-T) and -603/604 (GA>AG)", "-611 (-T)", "c.-611delT"),  # 19958188
        ("was located in intron 1 (rs3917887, AGCTCCTCCTTCTC/-). Each SNP", "AGCTCCTCCTTCTC/-",
         "delAGCTCCTCCTTCTC"),  # 17065190
        ("The 16C-->A SNP (reference SNP no. 4359426) in exon 1 of the CCL22 gene", "reference SNP no. 4359426",
         "rs4359426"),  # 19298002
        ("Phe-->Ser at codon 15; intron 2, -352G-->A; intron 3, +45C-->T; intron 4, +718C-->T, determined",
         "intron 2, -352G-->A", "IVS2-352G>A"),  # 15316799
        ("Phe-->Ser at codon 15; intron 2, -352G-->A; intron 3, +45C-->T; intron 4, +718C-->T, determined",
         "intron 3, +45C-->T", "IVS3+45C>T"),
        ("No independent role of the -1123 G>C and+2740 A>G variants in the association", "+2740 A>G",
         "c.2740A>G"),  # 17000021: a space lost before the sign
    ],
)
def test_notation_rules_tmvar_dev(text: str, mention: str, key: str) -> None:
    """Notation seen in the tmVar development part: both guidelines annotate it, keys are idempotent."""
    for options in ({}, {"include_descriptions": False, "include_alleles": False}):
        assert _found(text, **options)[mention] == key
    assert normalize_variant(key) == key


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("mutations of nesprin-1 which interacts with lamin A/C may lead to", "A/C"),  # 19542096: a protein name
        ("V69G-beta (GTT to GGT), IVS 9 del[-7:-4], and 1109 ins 8bp", "9 del"),  # 14742428: an intron number
    ],
)
def test_no_variant_where_the_letters_name_something_else(text: str, absent: str) -> None:
    assert absent not in _found(text)


@pytest.mark.parametrize(
    ("text", "mention", "key"),
    [
        ("In both patients, a 105-bp deletion encompassing bases 1078-1182 in VLCAD cDNA was identified",
         "105-bp deletion encompassing bases 1078-1182", "c.1078_1182del"),  # 7668252
        ("two mutations in the GPIX gene, a novel nine-nucleotide deletion starting at position 1952 of the gene",
         "nine-nucleotide deletion starting at position 1952", "c.1952_1960del"),  # 15609295
    ],
)
def test_sized_deletion_placed_in_words(text: str, mention: str, key: str) -> None:
    """BioRED annotates the size with its place; the place makes an HGVS range."""
    assert _found(text)[mention] == key
    assert mention not in _found(text, include_descriptions=False)
    assert normalize_variant(key) == key
