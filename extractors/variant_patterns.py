"""The grammar of written variants: ~45 named patterns, each with its builder, in priority order.

Data only: :data:`FORMS` (what :func:`extractors.variants.find_variants` looks for),
:data:`DESCRIPTION_FORMS` (the forms that tell a change in words), :data:`KEY_FORMS` (canonical keys that
are no written form, parsed back so normalization is idempotent) and :data:`BOUNDARIES`.  Separate from the
builders (:mod:`extractors.variant_builders`) and from the engine that decides where each form is searched
(:mod:`extractors.variant_scan`).
"""
from __future__ import annotations

from genelit.extractors.variant_builders import (
    Builder,
    b_aa_names_change,
    b_allele,
    b_allele_at,
    b_bare_indel,
    b_cnv,
    b_codon_alleles,
    b_codon_change,
    b_codon_pos,
    b_del_before_any,
    b_delta,
    b_dna,
    b_dna_refpos,
    b_genotype,
    b_indel_alleles,
    b_indel_dash,
    b_ivs,
    b_ivs_genotype,
    b_legacy_dna,
    b_nt_change,
    b_nt_indel_words,
    b_nt_words,
    b_protein,
    b_protein1,
    b_protein_alleles,
    b_protein_at_words,
    b_protein_pos_arrow,
    b_protein_pos_indel,
    b_protein_residue,
    b_protein_special,
    b_protein_words,
    b_protein_words_at,
    b_repeat,
    b_rsid,
    b_signed_allele,
    b_size_indel,
    b_unpositioned,
)
from genelit.extractors.variant_keys import ParsedVariant, size_class
from genelit.extractors.variant_vocab import (
    AA1,
    AA1_ANY,
    AA3,
    AA3_ANY,
    AA3_STOP,
    AA_NAME,
    AA_WORD,
    ALLELE_CUE_WORDS,
    BASE_NAME,
    NT,
    NUMBER_WORDS,
)
from genelit.models.evidence import VariantClass

_AA_ASIDE = r"(?:\s\([A-Za-z]{3}\)|\sresidue)?"  # "glycine (Gly)", "arginine (CGA)", "proline residue"; not "(R47W)"
_ARROW_OR_FOR = r"(?:\s?(?:-+>|→)\s?|\s?-?to-?\s?|\s(?:by|with)\s|(?P<for_>\sfor\s))"  # "substitution of X by/with Y"
_NUMWORD = "(?:" + "|".join(NUMBER_WORDS) + r"|\d+)"
_L = r"(?<![A-Za-z0-9_.>])"  # left boundary: not glued to a word, number or HGVS token
_L1 = r"(?<![A-Z0-9_.>*+])"  # one-letter forms may follow a lowercase prefix: KrasG12D, rtM204I, sP120T
_LNT = r"(?<![A-Za-z0-9_./>-])"  # bare allele changes (G>A, C/T) must stand alone
_R = r"(?![A-Za-z0-9_>])"  # right boundary
# Left boundary -> the characters it forbids before a match.  Left boundaries are checked in Python
# (extractors.variant_scan) rather than by a leading look-behind: a pattern that starts with a literal or a
# character class lets the regex engine skip ahead fast (≈ 10x quicker over an abstract).
BOUNDARIES: dict[str, frozenset[str]] = {
    _L: frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.>"),
    _L1: frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.>*+"),
    _LNT: frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./>-"),
}
# "... substitution at nucleotide 1517", "... at nucleotide +1 of intron 2", "... at 1245 position"
_NT_WORDS_PLACE = (
    r"(?:\s(?:substitution|transition|transversion|change|mutation))?(?:\s(?:was\s)?(?:identified\s)?)?\s?(?:at|in)\s(?:the\s)?"
    r"(?:(?:nucleotide|position|cDNA\sbase|base)(?:\sposition)?\s(?:c\.)?(?P<pos>[-+]?\d+)(?:\sof\sintron\s(?P<intron>\d+))?"
    r"|(?P<pos2>[-+]?\d+)\sposition)"
)
# What follows a bare position + allele when it names an allele or genotype: "7488CC genotype", "326Ile allele",
# "232Thr/Thr", "302H variants" (without such a word "1858T" could be anything).
_ALLELE_CUE = (
    rf"/{AA3}(?![a-z])|\s(?:risk\s|minor\s|major\s|variant\s|mutant\s|wild[\s-]type\s)?"
    r"(?:alleles?|genotypes?|homozyg|heterozyg|carriers?|variants?\b)"
)
_POS = r"(?:[-*]?\d+(?:\s?[+-]\s?(?:\d+|\?))?|\?)"
_DNA_CHANGE = (
    rf"(?:\(?{NT}\s?(?:-+>|>|→|/)\s?{NT}\)?(?![A-Za-z])"
    r"|delins[ACGTU]+|del\s?(?:[ACGTU]+(?![a-z])|\d+(?:\s?bp)?)?|dup\s?(?:[ACGTU]+|\d+(?:\s?bp)?)?"
    r"|ins\s?(?:[ACGTU]+(?![a-z])|\d+(?:\s?bp)?)|inv\d*)"
)

_PROTEIN3_BODY = (
    rf"(?P<ref>{AA3})\s?\(?(?P<pos>\d+)\)?(?:[_-](?P<end_ref>{AA3})(?P<end_pos>\d+))?\s?"
        rf"(?P<tail>(?:-+>|→)?\s?{AA3_ANY}\s?fs\s?(?:{AA3_STOP}\s?\d*)?|fs\s?(?:{AA3_STOP}\s?\d*|\d+)?"
        rf"|delins(?:{AA3})+|del(?!{AA3})|dup|ins(?:{AA3})+|(?:-+>|→)?\s?{AA3_ANY}|(?i:{AA3})|=|\?)\)?(?![A-Za-z0-9])"
)
_PROTEIN1_BODY = (
    rf"(?P<ref>{AA1})(?P<pos>\d+)(?:_(?P<end_ref>{AA1})(?P<end_pos>\d+))?"
        rf"(?P<tail>{AA1_ANY}?fs(?:[X*]|Ter)?\d*[X*]?|[Ss]top|delins{AA1}+|del|dup|ins{AA1}+|{AA1_ANY})\)?(?![A-Za-z0-9])"
)

FORMS: tuple[tuple[str, str, Builder], ...] = (
    ("rsid", rf"{_L}rs\s?(?P<n>\d{{3,}})(?!\d)", b_rsid),
    ("rsid_cap", rf"{_L}Rs\s?(?P<n>\d{{3,}})(?!\d)", b_rsid),  # sentence-initial "Rs702553"
    # c.274G>A, c.123+1G>A, c.1285_1301dup, g.3318-34C>T, c.G1714C, c4475C --> A
    (
        "hgvs_dna",
        rf"{_L}(?P<prefix>[cgmnr])(?:\.\s?|(?=\d))(?P<pos>{_POS}(?:\s?[_-]\s?{_POS})?)\s?(?P<change>{_DNA_CHANGE})",
        b_dna,
    ),
    ("hgvs_dna_refpos", rf"{_L}(?P<prefix>[cgm])\.(?P<ref>[ACGT])(?P<pos>\d+)(?P<alt>[ACGT]){_R}", b_dna_refpos),
    # legacy without prefix: 677C>T, -308G>A, 1494del6, 2398+1G>C, 1067 del A, 33 + 2 T-->C, -588 (A>G), -924, A/G
    (
        "legacy_dna",
        (rf"{_L}(?P<pos>[-+0-9]\d*+(?<=\d)(?:\s?[+-]\s?\d+)?(?:\s?[_-]\s?\d+)?),?\s?(?P<change>"
        rf"\(?{NT}\s?(?:-+>|>|→|\sto\s)\s?{NT}\)?(?![A-Za-z])|\(?[ACGT]/[ACGT]\)?(?![A-Za-z/])|[ACGT]{{2}}>[ACGT]{{2}}(?![A-Za-z])"
        r"|[ACGT]-[ACGT](?![A-Za-z0-9-])|\(-[ACGT]+\)"
        r"|(?:delins[ACGT]+|del\s?(?:[ACGT]+|\d+(?:\s?bp)?)?|dup\s?(?:[ACGT]+|\d+)?|ins\s?(?:[ACGT]+|\d+(?:\s?bp)?))(?![A-Za-z]))"),
        b_legacy_dna,
    ),
    # 157delMTTTVP, 46delS: residues deleted/inserted after a codon number (a letter outside ACGT makes it protein)
    (
        "protein_pos_indel",
        rf"{_L}(?P<pos>\d+)(?P<op>del|ins|dup)(?P<residues>(?=[ACGT]*[DEFHIKLMNPQRSVWY]){AA1}+)(?![A-Za-z0-9])",
        b_protein_pos_indel,
    ),
    # 272gly----stop, 273ser----phe: codon number first, residues in lower case, an old-style arrow
    (
        "protein_pos_arrow",
        rf"{_L}(?P<pos>\d+)\s?(?i:(?P<ref>{AA3}))\s?(?:-+>|--+|→)\s?(?i:(?P<alt>{AA3}|stop|ter))(?![A-Za-z0-9])",
        b_protein_pos_arrow,
    ),
    # G274A, G-395A, A 1166C (one-letter forms need a two-digit position: T2D, C4A are not variants)
    ("refpos_dna", rf"{_L1}(?P<ref>[ACGT])\s?(?P<pos>-?\d{{2,}})\s?(?:-+>\s?)?(?P<alt>[ACGT]){_R}", b_dna_refpos),
    # -930G, -1021T, -511CC: promoter alleles and genotypes written with a signed position
    ("signed_allele", rf"{_L}(?P<pos>[-+]\d{{2,}})\s?(?P<allele>[ACGT]{{1,2}}(?:\+[ACGT]{{2}})*){_R}", b_signed_allele),
    # IVS9+459 GG genotype, IVS9+459 GA+GG genotype
    (
        "ivs_genotype",
        rf"{_L}IVS\s?(?P<intron>\d+)(?P<sign>[+-])(?P<off>\d+)\s?(?P<allele>[ACGT]{{2}}(?:\+[ACGT]{{2}})*)(?={ALLELE_CUE_WORDS})",
        b_ivs_genotype,
    ),
    # -6054 deletion/ATT: an indel polymorphism named by its two alleles (absent / the bases)
    (
        "indel_alleles",
        rf"{_L}(?P<pos>[-+]?\d+),?\s(?P<op>deletion|insertion|del|ins)/(?P<bases>[ACGT]+)(?![A-Za-z0-9])",
        b_indel_alleles,
    ),
    # del-(439-443): residues deleted, written as a range
    (
        "del_range",
        rf"{_L}del-?\((?P<pos>\d+)-(?P<end>\d+)\)",
        lambda m: ParsedVariant(f"Δ{m['pos']}_{m['end']}", "text", VariantClass.OTHER),
    ),
    # 7488CC genotype, 7488 T allele, 1858T risk allele, 326Ile allele, 399 Gln allele, 232Thr/Thr, 192RR homozygotes
    (
        "allele_cue",
        rf"{_L}(?P<pos>\d{{2,}})\s?(?P<allele>[ACGT]{{1,2}}|{AA3}|[DEFHIKLMNPQRSVWY]{{1,2}})(?={_ALLELE_CUE})",
        b_allele,
    ),
    # T allele at -511, C allele at position -31, (W) allele at codon 620
    (
        "allele_at",
        (rf"{_L}\(?(?P<allele>{AA1})\)?\sallele\sat\s(?:the\s)?(?:(?P<codon>codon\s)|(?:position|nucleotide)\s)?"
        rf"(?P<pos>[-+]?\d+){_R}"),
        b_allele_at,
    ),
    # 192Q/R, 55M/L: a coding polymorphism written position-first
    ("protein_alleles", rf"{_L}(?P<pos>\d{{2,}})(?P<ref>{AA1})/(?P<alt>{AA1}){_R}", b_protein_alleles),
    # (CCTTT)14, 2193(ATCT)(5-13): short tandem repeat alleles
    (
        "repeat",
        rf"{_L}(?P<pos>\d+)?\((?P<unit>[ACGT]{{2,6}})\)\(?(?P<n>\d+(?:-\d+)?)\)?(?![A-Za-z0-9(])",
        b_repeat,
    ),
    # Ile/Val genotype, Arg/Arg homozygotes: a residue genotype named as such
    # Ile/Val genotype; Met/Met at residue 175
    (
        "genotype",
        rf"{_L}(?P<a>{AA3})/(?P<b>{AA3})(?:(?={ALLELE_CUE_WORDS})|\sat\s(?:residue|codon|position)\s(?P<pos>\d+){_R})",
        b_genotype,
    ),
    ("del_before", rf"{_L}(?:del(?P<pos>\d+)(?P<base>[ACGT])|(?P<base2>[ACGT])del(?P<pos2>\d+)){_R}", b_del_before_any),
    # delTTCA, dup24bp
    ("bare_indel", rf"{_L}(?P<op>del|dup|ins)(?P<what>[ACGT]{{2,}}|\d+\s?bp){_R}", b_bare_indel),
    # IVS4+1G>A, IVS8 -2A>G, IVS3-48C, IVSI-1 (G-->A), IVS10+1, g-->t
    (
        "ivs",
        (rf"{_L}IVS\s?-?(?P<intron>\d+|[IVX]+)\s?(?P<sign>[+-])\s?(?P<off>\d+),?\s?(?P<change>\(?{NT}\s?(?:-+>|>|→|/)\s?{NT}\)?"
        r"|del[ACGT]*|[ACGT](?![A-Za-z]))"),
        b_ivs,
    ),
    # intron 2, -352G-->A; intron 3, +45C-->T: an offset into a named intron, i.e. IVS2-352G>A
    (
        "intron_offset",
        rf"{_L}intron\s(?P<intron>\d+),?\s(?P<sign>[+-])(?P<off>\d+)\s?(?P<change>\(?{NT}\s?(?:-+>|>|→|/)\s?{NT}\)?){_R}",
        b_ivs,
    ),
    # AGCTCCTCCTTCTC/-, -/TTCA: an indel polymorphism named by its two alleles, "-" the missing one
    ("indel_dash", rf"{_LNT}(?:(?P<deleted>[ACGT]{{2,}})/-|-/(?P<inserted>[ACGT]{{2,}}))(?![A-Za-z0-9/-])", b_indel_dash),
    # reference SNP no. 4359426: an rsID spelt out
    ("rsid_words", r"[Rr]eference\sSNP\s(?:no\.\s?|number\s|#\s?)?(?P<n>\d{3,})(?!\d)", b_rsid),
    # CAC(3543)TAC: the two codons around the codon number
    ("codon_pos", rf"{_L}(?P<ref>[ACGT]{{3}})\((?P<codon>\d+)\)(?P<alt>[ACGT]{{3}}){_R}", b_codon_pos),
    # p.Val92Met, Arg123*, p.(Arg97ProfsTer23), Gly(388)Arg, Cys 23 Ser, p.Gly204_Lys247del
    (
        "protein3",
        rf"{_L}" + _PROTEIN3_BODY,
        b_protein,
    ),
    # p.V92M, R123X, p.R58fs, C105Vfs114X, p.G204_K247del, E947stop, KrasG12D, rtM204I
    (
        "protein1",
        rf"{_L1}" + _PROTEIN1_BODY,
        b_protein1,
    ),
    ("protein3_p", rf"{_L}p\.\s?\(?" + _PROTEIN3_BODY, b_protein),
    ("protein1_p", rf"{_L}p\.\s?\(?" + _PROTEIN1_BODY, b_protein),
    # p.Asn62, p.V657_G726: a residue or a range named in HGVS without a change (synonymous sites, spans)
    (
        "protein_residue",
        (rf"{_L}p\.\(?(?P<ref>{AA3}|{AA1})(?P<pos>\d+)(?:_(?P<end_ref>{AA3}|{AA1})(?P<end_pos>\d+))?\)?"
        rf"(?:\[(?P<al1>{AA1_ANY}),(?P<al2>{AA1_ANY})\])?(?![A-Za-z0-9_*=?\[])"),
        b_protein_residue,
    ),
    ("protein_special", rf"{_L}p\.\s?\(?(?:(?P<zero>0)|(?P<ref>Met|M)(?P<pos>1)(?P<tail>\?))\)?", b_protein_special),
    # Glu-->Ala, GAC-->TAT, codon 29, GGC-->AGC: changes written without a HGVS position
    ("aa_arrow", rf"{_L}(?P<ref>{AA3})\s?-*>\s?(?P<alt>{AA3_ANY}){_R}", b_unpositioned),
    (
        "codon_change",
        (rf"{_L}(?:(?:codon\s(?:\(CD\))?\d+,?\s)?(?P<ref>[ACGT]{{3}})\s?-+>\s?(?P<alt>[ACGT]{{2,3}})"
        rf"|\((?P<ref_b>[ACGT]{{3}})\s?-+>\s?(?P<alt_b>[ACGT]{{2,3}})\)\sat\scodon\s(?P<codon>\d+)){_R}"),
        b_codon_change,
    ),
    # codon 787 CAG/CAA, (GAC/GAT): the two codons of a coding polymorphism
    (
        "codon_alleles",
        rf"{_L}(?:codon\s(?P<codon>\d+),?\s)?(?P<ref>[ACGT]{{3}})/(?P<alt>[ACGT]{{3}})(?![A-Za-z0-9/]|\s(?:repeat|triplet))",
        b_codon_alleles,
    ),
    # Glu 272 to stop; Cys 23-Ser 23: three-letter residues around a position, joined by a word or hyphen
    (
        "protein3_to",
        rf"{_L}(?P<ref>{AA3})\s?(?P<pos>\d+)\sto\s(?P<alt>{AA3_ANY})(?![A-Za-z0-9]|\s?\d)",
        b_protein_words,
    ),
    ("protein3_hyphen", rf"{_L}(?P<ref>{AA3})\s?(?P<pos>\d{{2,}})-(?P<alt>{AA3})\s?(?P=pos)(?![A-Za-z0-9])", b_protein_words),
    # G>A, C-->T, C/T, CC to TT: allele changes whose position the text gives elsewhere (often an rsID)
    (
        "nt_change",
        rf"{_LNT}(?P<ref>[ACGT]{{1,2}})(?:\s?(?:-+>|>|→)\s?|/|\sto\s)(?P<alt>[ACGT]{{1,2}})(?![A-Za-z0-9_/>-])",
        b_nt_change,
    ),
    # leucine 269 to phenylalanine, arginine 124-to-cysteine, glycine-594-valine, Glu 272 to stop
    (
        "protein_words",
        rf"{_L}(?i:(?P<ref>{AA_WORD})[\s-]?(?P<pos>\d+)\s?(?:-+>|→|-to-|\s?to\s|\sby\s|-|\s)\s?(?P<alt>{AA_WORD}|stop)){_R}",
        b_protein_words,
    ),
    # Lys to Asn at position 198, methionine to threonine substitution at codon 235, alanine for proline at ...
    (
        "protein_words_at",
        (rf"{_L}(?i:(?P<ref>{AA_WORD}){_AA_ASIDE}{_ARROW_OR_FOR}(?:an?\s|the\s)?(?P<alt>{AA_WORD}){_AA_ASIDE}"
        r"(?:\s(?:substitution|mutation|change|replacement))?\s(?:at|in)\s(?:the\s)?"
        r"(?:codon|position|residue|amino\sacid(?:\sposition)?)\s(?P<pos>\d+))"),
        b_protein_words_at,
    ),
    # arginine at amino acid position 229 by glycine; codon 358, tyrosine to histidine
    (
        "protein_at_words",
        (rf"{_L}(?i:(?P<ref>{AA_WORD})(?:\sresidue)?\sat\s(?:the\s)?(?:amino\sacid\s)?(?:codon|position|residue)\s"
        rf"(?P<pos>\d+)\s(?:by|with|to|into)\s(?:an?\s)?(?P<alt>{AA_WORD})"
        rf"|codon\s(?P<pos_b>\d+),\s(?P<ref_b>{AA_WORD})\sto\s(?P<alt_b>{AA_WORD})){_R}"),
        b_protein_at_words,
    ),
    # (substitution of) glutamate by glycine, a threonine to alanine (substitution): named near a change word
    (
        "aa_names_change",
        (rf"{_L}(?i:(?P<ref>{AA_NAME}){_AA_ASIDE}(?:\s(?:to|by|with|into)\s|(?P<for_>\sfor\s))(?:an?\s|the\s)?"
        rf"(?P<alt>stop\scodon|{AA_NAME}){_AA_ASIDE}(?:\sat\samino[\s-]acid\s(?P<pos>\d+))?){_R}"),
        b_aa_names_change,
    ),
    # ΔF508, delta32, CCR5delta32, Delta695-725, Δ32 deletion; "DD32": Δ as PubTator/BioRED text renders it
    (
        "delta",
        rf"{_L}(?:[Dd]elta\s?|Δ\s?|DD(?=\d))(?P<aa>{AA1}(?=\d))?(?P<pos>\d+)(?:-(?P<end>\d+))?(?:\sdeletion)?{_R}",
        b_delta,
    ),
    # A to G substitution at nucleotide 1517, C-->T transition at nucleotide 677, G to A at nucleotide position 1359
    (
        "nt_words",
        rf"{_L}\(?(?P<ref>[ACGT])\)?(?:\s?(?:-+>|>|→)\s?|\s?-?to-?\s?)\(?(?P<alt>[ACGT])\)?{_NT_WORDS_PLACE}",
        b_nt_words,
    ),
    # cytosine to guanine transversion at nucleotide 1451, thymidine to cytosine mutation at position 28
    ("nt_words_named", rf"{_L}(?P<ref>{BASE_NAME})\sto\s(?P<alt>[ACGT]|{BASE_NAME}){_NT_WORDS_PLACE}", b_nt_words),
    # C to T at 33468: a base change placed by a bare number
    (
        "nt_to_at",
        rf"{_L}(?P<ref>[ACGT])\sto\s(?P<alt>[ACGT])\sat\s(?P<pos>[-+]?\d+)(?![\d.,%]|\s?(?:bp|kb|%))",
        b_nt_words,
    ),
    # cytosine insertion, adenine 474 deletion, TGAG deletion, deletion (TGAG), deletion of C at nucleotide 888,
    # T deletion at 5063
    (
        "nt_indel_words",
        (rf"{_L}(?:(?P<base>adenine|cytosine|guanine|thymine|thymidine|[ACGT]{{2,}})(?:\s(?P<pos>\d+))?\s(?P<op>deletion|insertion|duplication)"
        rf"|(?P<op_b>deletion|insertion|duplication)\s(?:\((?P<bases_b>[ACGT]{{2,}})\)|of\s(?:an?\s)?(?P<base_c>[ACGT])\sat\snucleotide\s(?P<pos_c>\d+))"
        rf"|(?:nucleotide\s)?(?P<base_d>[ACGT])\s(?P<op_d>deletion|insertion|duplication)\sat\s(?:position\s|nucleotide\s)?"
        rf"(?P<pos_d>\d+(?:\s(?:and|_)\s\d+)?)){_R}"),
        b_nt_indel_words,
    ),
    # 1-bp deletion, 32-bp deletion, nine nucleotide insertion, 15 kb deletion, deletion of 3 bp
    (
        "size_indel",
        (rf"{_L}(?i:(?:-?(?P<n>{_NUMWORD}(?:\.\d+)?)[\s-]?(?P<unit>bp|base[\s-]?pairs?|basepairs?|nucleotides?|nt|kb|mb)"
        r"(?:\s(?:genomic|nucleotide))?(?:\s\((?-i:[A-Z])[^()/>]{1,19}\))?[\s-](?P<op>deletion|insertion|duplication)"
        r"(?:\s(?:encompassing|spanning)\s(?:bases|nucleotides)\s(?P<first>\d+)-(?P<last>\d+)"
        r"|\sstarting\sat\s(?:position|nucleotide)\s(?P<from_>\d+))?"
        rf"|(?P<op_b>deletion|insertion|duplication)\sof\s(?P<n_b>{_NUMWORD})[\s-]?(?P<unit_b>bp|base[\s-]?pairs?|nucleotides?|kb)){_R})"),
        b_size_indel,
    ),
    # deletion of exons 4 and 5, duplication of exon 2, deletion of the entire gene
    (
        "cnv_of",
        (r"(?P<op>[Dd]eletion|[Dd]uplication)\sof\s(?:the\s)?(?:(?P<whole>(?:whole|entire|complete)\s(?:\S+\s)?gene)"
        r"|exons?\s(?P<ex1>\d+)(?:\s?(?:and|to|through|-|–)\s?(?P<ex2>\d+))?)(?![A-Za-z0-9])"),
        b_cnv,
    ),
    # (partial IGF-I) gene deletion involving exons 4 and 5; (whole-)gene deletion: the part in brackets is
    # found by looking back from "gene" (see variant_scan._parsed_match), which keeps the pattern anchored on a literal
    (
        "cnv_gene",
        (r"gene\s(?P<op>deletion|duplication)(?:\s(?:involving|of|spanning|encompassing|including)\s"
        r"exons?\s(?P<ex1>\d+)(?:\s?(?:and|to|through|-|–)\s?(?P<ex2>\d+))?)?"),
        b_cnv,
    ),
)
# Forms that describe a change in words: a curator wants them, but the tmVar guideline (unlike BioRED's)
# does not annotate them.  One written with an arrow ("G-->C transversion at 1245 position", "Phe-->Ser at
# codon 15") is notation for both corpora; see extractors.variants._is_description.
DESCRIPTION_FORMS = frozenset(
    {"protein_words_at", "protein_at_words", "aa_names_change", "nt_words", "nt_words_named", "nt_to_at", "size_indel", "nt_indel_words",
     "nt_change"}
)
# form name -> builder, for the engine
BUILDERS: dict[str, Builder] = {name: b for name, _, b in FORMS}

# Canonical keys that are not themselves a written form: parsed back so normalization is idempotent.
KEY_FORMS: tuple[tuple[str, str, Builder], ...] = (
    ("key_size", r"(?P<op>del|ins|dup)\((?P<n>\d+|\d+\.\d+(?= [kM]b)) (?P<unit>bp|kb|Mb)\)", lambda m: ParsedVariant(
        m.group(0), "text", size_class(m["op"], int(float(m["n"])), m["unit"]))),
    ("key_cnv", r"(?P<op>del|dup)\((?:whole gene|exons? \d+(?:-\d+)?)\)", lambda m: ParsedVariant(
        m.group(0), "cnv", VariantClass.NULL if m["op"] == "del" else VariantClass.COPY_NUMBER, True)),
    ("key_allele", r"c\.[-+]?\d+[ACGT]{1,2}(?:\+[ACGT]{2})*", lambda m: ParsedVariant(
        m.group(0), "text", VariantClass.OTHER, is_allele=True)),
    ("key_ivs_genotype", r"IVS\d+[+-]\d+[ACGT]{2}(?:\+[ACGT]{2})*", lambda m: ParsedVariant(
        m.group(0), "ivs", VariantClass.OTHER, is_allele=True)),
    ("key_codon", r"(?:codon\d+:)?[ACGT]{3}>[ACGT]{2,3}", lambda m: ParsedVariant(m.group(0), "text", VariantClass.OTHER)),
    ("key_bare_indel", r"(?:del|ins|dup)[ACGT]+", lambda m: ParsedVariant(m.group(0), "text", VariantClass.OTHER)),
    ("key_repeat", r"(?P<pos>c\.\d+)?[ACGT]{2,6}\[\d+(?:-\d+)?\]", lambda m: ParsedVariant(
        m.group(0), "text", VariantClass.OTHER, is_allele=not m["pos"])),
    ("key_protein_allele", rf"p\.\d+(?:{AA3}){{1,2}}", lambda m: ParsedVariant(
        m.group(0), "p", VariantClass.OTHER, is_allele=True)),
    ("key_protein_indel", rf"p\.\d+(?P<op>del|ins|dup)(?:{AA3})+", lambda m: ParsedVariant(
        m.group(0), "p", VariantClass.INFRAME)),
    ("key_genotype", rf"{AA3}/{AA3}", lambda m: ParsedVariant(m.group(0), "text", VariantClass.OTHER, is_allele=True)),
    ("key_residue", rf"p\.{AA3}\d+(?:_{AA3}\d+)?", lambda m: ParsedVariant(m.group(0), "p", VariantClass.OTHER)),
    ("key_delta", r"Δ\d+(?:_\d+)?", lambda m: ParsedVariant(m.group(0), "text", VariantClass.OTHER)),
    ("key_ext", rf"p\.(?P<ref>{AA3}|Ter)(?P<pos>\d+)(?P<alt>{AA3})?ext(?:Ter|{AA3})?-?\d*\??", lambda m: ParsedVariant(
        m.group(0), "p", VariantClass.OTHER)),
)
