"""What is *not* a gene although the lexicon matches it: the vetoes of gene recognition.

Gene symbols collide with English words and lab abbreviations ("CAT", "SET", "MAX", "ACE", "HR", "PC").
Such short or ambiguous matches need supporting context (:func:`needs_context`); an abbreviation whose
long form is clearly not a gene ("multiple sclerosis (MS)") vetoes the short form everywhere in the
document (:func:`abbreviation_genes`); cell lines, T-cell subsets, genotypes and hippocampal fields are
named otherwise (:func:`named_otherwise`).  :func:`implausible_gene_span` offers this knowledge
(non-gene abbreviations, cell lines, drugs, histone marks ...) to recognizers that propose spans, like
``genelit_ner``.

Separate from the scanner because these rules are the lexicon's knowledge of biomedical prose, shared by
two components, and grow on their own as errors are measured on BioRED.
"""
from __future__ import annotations

import re

from genelit.extractors.base import doc_text
from genelit.extractors.gene_index import (
    ALIAS,
    SYMBOL_KINDS,
    GeneIndex,
    english_words,
    gene_index,
)
from genelit.extractors.gene_lookup import lookup_record
from genelit.extractors.gene_pieces import GREEK
from spacy.tokens import Doc

# where a document keeps its short forms defined as something other than a gene
# (:func:`non_gene_abbreviations`), set by the gene recognizer or on first use
NON_GENE_ABBREVIATIONS_KEY = "genelit_genes.non_gene_abbreviations"

# HGNC keeps some phenotype-era names ("adrenoleukodystrophy"): in text they name the disease
DISEASE_WORD = re.compile(r"(?i)(dystrophy|pathy|syndrome|disease|deficiency|itis|oma|emia|aemia|plasia|trophy)$")
_PROTEIN_MASS_NAME = re.compile(r"^p\d{2,3}$")
_AMINO_ACIDS = frozenset({"ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE", "LEU",
                          "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL"})

# words after (or before) a symbol that show it is used as a gene
GENE_CONTEXT_AFTER = frozenset({
    "gene", "genes", "protein", "proteins", "mrna", "mrnas", "expression", "mutation", "mutations",
    "mutant", "mutants", "variant", "variants", "polymorphism", "polymorphisms", "promoter", "allele",
    "alleles", "locus", "loci", "transcript", "transcripts", "isoform", "isoforms", "knockout", "knockdown",
    "deficiency", "deficient", "null", "haplotype", "haplotypes", "genotype", "genotypes", "exon", "exons",
    "codon", "signaling", "signalling", "pathway", "activity", "inhibitor", "inhibitors", "receptor",
    "receptors", "kinase", "overexpression", "sirna", "shrna", "antibody", "antibodies", "levels",
    "phosphorylation", "deletion", "deletions", "-/-", "+/-", "(-/-)", "(+/-)", "homolog", "ortholog",
})
GENE_CONTEXT_BEFORE = frozenset({"gene", "genes", "protein", "anti", "encoding", "mutant", "human"})
# frequent non-gene abbreviations of biomedical prose that are also HGNC symbols or aliases
NON_GENE_ABBREVIATIONS = frozenset({
    "DNA", "RNA", "PCR", "CI", "OR", "HR", "SD", "SE", "BMI", "MRI", "CT", "PET", "ECG", "EEG", "ICU", "IQ",
    "PC", "CO", "MS", "AD", "PD", "HD", "ALS", "SLE", "RA", "IBD", "CD", "UC", "CKD", "ESRD", "COPD",
    "HIV", "HBV", "HCV", "CMV", "EBV", "HPV", "WT", "KO", "NS", "VS", "II", "III", "IV", "ROS", "NO",
    "ATP", "GTP", "ADP", "CAMP", "LPS", "FBS", "PBS", "SNP", "SNPS", "CNV", "GWAS", "MIM", "OMIM", "ID",
    "SCI", "TBI", "MI", "CAD", "CHD", "HF", "AF", "DM", "T1D", "T2D", "GDM", "PCOS", "NAFLD", "ASD", "ADHD",
    "MDD", "BD", "SZ", "OCD", "PTSD", "AML", "ALL", "CML", "CLL", "MM", "NHL", "HCC", "CRC", "NSCLC",
    "SCLC", "RCC", "GBM", "EMT", "UV", "IR", "IP", "SC", "MAP", "BP", "HB", "HBA1C", "LDL", "HDL",
    "TG", "TC", "FFA", "GFR", "AUC", "ROC", "RR", "MIC", "MRSA", "ESBL", "PHD", "MD", "RN", "USA",
    "UK", "EU", "WHO", "FDA", "NIH", "ANOVA", "PBMC", "PBMCS", "ELISA", "HPLC", "QPCR", "MLPA", "SSCP",
    # cells, statistics and markers of lab prose (mouse embryonic fibroblasts, haematopoietic and germline
    # stem cells, multidimensional scaling, short tandem repeats)
    "MEF", "MEFS", "HSC", "HSCS", "GSC", "GSCS", "MDS", "STR", "STRS",
})
# widely used cell lines spelled like gene symbols need gene context ("HK-2 cells", but "HK2 expression" is
# hexokinase 2)
CELL_LINE_NAMES = frozenset({"HK-2", "Huh7", "Huh-7", "HuH-7", "PC-3", "PC3", "THP-1", "INS-1", "GT1-7", "GT1-1"})
# a long form ending like this defines a disease, measure or method, not a gene ("... deficiency (VLCAD)")
NON_GENE_LAST_WORD = re.compile(
    r"(?i)\b(diseases?|syndromes?|disorders?|cancers?|carcinomas?|tumou?rs?|deficiency|sclerosis|failure|"
    r"infection|index|ratio|score|scale|test|imaging|therapy|treatment|trial|study|analysis|assay|interval|"
    r"rate|pressure|volume|tomography|resonance|spectrometry|chromatography|reaction|sequencing|"
    r"association|criteria|questionnaire|patients?|cells?|tissue|acids?|dystrophy|atrophy|myopathy|"
    r"neuropathy|anemia|anaemia|paralysis|ataxia|epilepsy|leukemia|lymphoma|retinopathy|dysplasia|"
    r"hypertension|injury|cirrhosis|mellitus|method|model|region|polymorphism|lesions?|group|"
    r"\w+ides|\w+ates|\w+oids|\w+ols|\w+ness|stimulation|hybridi[sz]ation)$"
)
# a long form ending in a Latin binomial names an organism ("methicillin-sensitive Staphylococcus aureus
# (MSSA)"), even when a word of it looks like a protein name ("methicillin")
_ORGANISM_END = re.compile(r"\b[A-Z][a-z]{3,} [a-z]{3,}(?:us|um|is|ae|ii|i|a|ns|ium)$")
# words that make a long form plausibly a gene or gene product
GENE_LIKE = re.compile(
    r"(?i)\b(\w+ases?|\w+ins?|\w*proteins?|\w*peptides?|receptors?|factors?|ligands?|channels?|transporters?|antigens?|"
    r"hormones?|subunits?|genes?|regulators?|homologs?|symporters?|exchangers?|pumps?|"
    r"activators?|inhibitors?|suppressors?|molecules?|globulins?|carriers?|binding|domain|finger|"
    r"box|[A-Za-z]*\d+[A-Za-z]*)\b"
)


def needs_context(surface: str, first_key: str, kind: int, exact_case: bool, min_symbol_length: int) -> bool | None:
    """None = reject; True = ambiguous (keep only with context); False = confident."""
    if kind not in SYMBOL_KINDS:
        return False
    compact = "".join(c for c in surface if c.isalnum())
    if len(compact) < min_symbol_length:
        return None
    upper = compact.upper()
    letters = sum(c.isalpha() for c in compact)
    if compact.lower() in english_words() and not exact_case and not compact.isupper():
        return None  # "In", "An", "Cat" at a sentence start are words
    if (upper in NON_GENE_ABBREVIATIONS or surface in CELL_LINE_NAMES or upper in _AMINO_ACIDS
            or compact.lower() in english_words()):
        return True
    if _PROTEIN_MASS_NAME.match(compact):
        return False  # "p53", "p16", "p65": proteins named by mass
    if letters <= 1 or (first_key in GREEK.values() and len(compact) <= 7):
        return True  # "D2", "T4", "Q10", "beta2"
    return compact.isalpha() and len(compact) <= (3 if kind == ALIAS else 2)


# symbol-shaped names of other things: T-cell subsets ("Th1/Tc1 T cells", "Th17"), genotypes ("AA genotype",
# "DD genotype" of the ACE insertion/deletion polymorphism), hippocampal fields ("CA1 region")
_T_CELL_SUBSET = re.compile(r"^T[hcrH]\d{1,2}$")
_GENOTYPE = re.compile(r"^(?:[ACGT]{2}|II|ID|DD)$")
_GENOTYPE_AFTER = re.compile(r" (?:genotypes?|carriers?|homozygotes?)\b")
_HIPPOCAMPAL_FIELD = re.compile(r"^CA[1-4]$")


def named_otherwise(text: str, surface: str, end: int) -> bool:
    """A symbol-shaped string its context shows to be a T-cell subset, a genotype or (in an abstract about
    the hippocampus, without a gene word after it) a hippocampal field, not a gene."""
    if _T_CELL_SUBSET.match(surface):
        return True
    if _GENOTYPE.match(surface) and _GENOTYPE_AFTER.match(text, end):
        return True
    return bool(_HIPPOCAMPAL_FIELD.match(surface)) and "hippocamp" in text and not gene_word_after(text, end)


CELL_LINE = re.compile(r"^(?=.*[-a-z])[A-Za-z]+-?\d+[A-Za-z]?$")
CELLS_AFTER = re.compile(r"\s+cells?\b")
_WORD = re.compile(r"\(?[-+]/[-+]\)?|[A-Za-z]+")


def gene_word_after(text: str, end: int) -> bool:
    """A gene word ("gene", "expression", "-/-" ...) right after a mention ending at ``end``."""
    after = _WORD.search(text, end, min(len(text), end + 20))
    return bool(after) and text[end:after.start()].strip(" -") == "" and after.group().lower() in GENE_CONTEXT_AFTER


def _defines_non_gene(long_form: str) -> bool:
    """The long form is a disease, measure or method ("oculopharyngeal muscular dystrophy (OPMD)"), or
    has nothing gene-like in it (the lexicon did not find it either).

    This holds for approved symbols as much as for aliases: on BioRED Train "sirolimus (SRL)", "cleft
    palate only (CPO)", "lipid peroxide (LPO)", "Scleroderma renal crisis (SRC)", "globus pallidus
    interna (GPi)" vetoed 26 false mentions and no gene.
    """
    if NON_GENE_LAST_WORD.search(long_form) or _ORGANISM_END.search(long_form):
        return True
    return not GENE_LIKE.search(long_form)


def abbreviation_genes(doc: Doc, index: GeneIndex) -> tuple[dict[str, int], dict[str, str]]:
    """Short forms defined as genes ("growth hormone (GH)") and short forms defined as something else."""
    genes: dict[str, int] = {}
    vetoed: dict[str, str] = {}  # short form -> its long form
    for short in getattr(doc._, "abbreviations", None) or ():
        long_form = short._.long_form
        if long_form is None or len(long_form.text) <= len(short.text):
            continue  # a "definition" no longer than its short form defines nothing
        if DISEASE_WORD.search(long_form.text):
            vetoed[short.text] = long_form.text  # "adrenoleukodystrophy (ALD)": HGNC's phenotype-era name
            continue
        record = lookup_record(index, long_form.text)
        if record is not None:
            genes[short.text] = record
        elif _defines_non_gene(long_form.text):
            vetoed[short.text] = long_form.text
    return genes, vetoed


_RESTRICTION_SITE = re.compile(r"^(?:Taq|Msp|Pst|Bsm|Apa|Fok|Eco|Hind|Bam|Pvu|Xba|Sac|Rsa|Alu|Hae|Hha|Mbo|Sst|Ban|Bgl|Sma|"
                               r"Nco|Ava|Dde|Hinf|Nla|Bst|Mnl|Hpa|Sau|Acc|Ssp|Cfo|Tsp|Bcl|Nla)[A-Z]?I{1,3}[A-Z]?\d?$")
_WHOLE_TOKEN = re.compile(r"[^\s,;()\[\]]+")
_HISTONE_MARK = re.compile(r"^H[1-4][A-Z]?[KRST]\d+(?:me[1-3]?|ac|ph|ub)")
# WHO INN stems of drug names ("nafcillin", "rosuvastatin", "ribavirin", "losartan", "imatinib"); no
# gene or protein name ends like this ("somatostatin" and "endostatin" are not "-vastatin"; two letters
# before the stem keep the gene APRIL)
_DRUG_NAME = re.compile(r"(?i)[a-z]{2}(?:cillin|mycin|floxacin|vastatin|virin?|pril|sartan|tinib|[xzm]umab|ximab|"
                        r"olol|dipine|prazole|afil|oxetine|azepam|triptan)\b")
# a laboratory compound code: one or two capitals, a hyphen and three or more digits ("MK-801", "SB-203580";
# a gene has a longer stem: "FAM-161")
_COMPOUND_CODE = re.compile(r"^[A-Z]{1,2}-\d{3,}$")


# words in a long form that leave room for a gene even when the lexicon vetoes its short form (measured
# on BioRED Train: "type I interferon (IFN)", "major histocompatibility complex (MHC)", "microcoria locus
# (MCOR)", "Na(+)-Cl(-) cotransporter (TSC)", "phospho AKT (pAKT)", "NO syntheses (NOS)")
_GENE_HINT = re.compile(r"(?i)(interferon|complex|locus|transporter|phospho|synth|kinase|ase\b|ases\b|enzyme|"
                        r"cytokine|chemokine|hormone|antigen|oncogene)")


def surely_not_genes(vetoed: dict[str, str]) -> frozenset[str]:
    """The vetoed short forms whose long form leaves no room for a gene (no :data:`_GENE_HINT` word)."""
    return frozenset(short for short, long_form in vetoed.items() if not _GENE_HINT.search(long_form))


def non_gene_abbreviations(doc: Doc) -> frozenset[str]:
    """Short forms this document defines as something other than a gene ("repetitive transcranial
    magnetic stimulation (rTMS)", "methicillin-sensitive Staphylococcus aureus (MSSA)"); cached on the doc."""
    cached = doc.user_data.get(NON_GENE_ABBREVIATIONS_KEY)
    if cached is None:
        if Doc.has_extension("abbreviations"):
            _, vetoed = abbreviation_genes(doc, gene_index())
        else:
            vetoed = {}
        cached = doc.user_data[NON_GENE_ABBREVIATIONS_KEY] = surely_not_genes(vetoed)
    return cached


def implausible_gene_span(doc: Doc, start: int, end: int) -> str | None:
    """Why a span another recognizer (``genelit_ner``) proposes as a gene is not one, or None.

    What the lexicon rules already know: a short form the document defines as a non-gene ("rTMS"),
    part of a cell-line name or a cell line ("LLC-PK1 cells", "HCT-116 cells", "Huh7"), a restriction-site
    polymorphism ("TaqIB"), a histone mark ("H3K36me3"), a drug ("nafcillin", "MK-801"), a T-cell subset
    ("Th17"), a genotype ("AA genotype"), a hippocampal field ("CA1"), a phrase whose head is no gene
    ("cytochrome c release", "Exon 19 deletion").
    """
    text = doc_text(doc)
    surface = text[start:end]
    if surface in non_gene_abbreviations(doc):
        return "abbreviation defined as a non-gene"
    token = _WHOLE_TOKEN.search(text, _token_start(text, start))
    whole = token.group() if token else surface
    if CELLS_AFTER.match(text, token.end() if token else end) and (
        CELL_LINE.match(whole) or (whole != surface and any(c.isdigit() for c in whole))
    ):
        return "cell line"
    if _RESTRICTION_SITE.match(surface):
        return "restriction-site polymorphism"
    if _HISTONE_MARK.match(surface):
        return "histone mark"
    if _DRUG_NAME.search(surface) or _COMPOUND_CODE.match(surface):
        return "drug"
    if _NON_GENE_HEAD.search(surface):
        return "head word names no gene"
    if surface in CELL_LINE_NAMES and not gene_word_after(text, end):
        return "cell line"
    if named_otherwise(text, surface, end):
        return "T-cell subset, genotype or hippocampal field"
    return None


# the last word of a span that is a disease, event, measure, study or cell and never ends a gene mention
# (none of the 4,430 BioRED Train gene spans does): "type I congenital antithrombin deficiency", "Exon 19
# deletion", "cytochrome c release", "LH pulse", "glucocorticoid-induced", "formalin-fixed"
_NON_GENE_HEAD = re.compile(
    r"(?i)[\s-](?:deficienc(?:y|ies)|syndromes?|diseases?|trials?|release|deletions?|mutations?|fixed|induced|"
    r"mediated|dependent|defective|positive|negative|pulses?|neurons?|surges?|secretion|levels?|activity|phase|"
    r"cells?|patients?|treatment|therapy|infused|blockers?|antagonists?|agonists?)$|-IR$"  # "ChAT-IR": immunoreactivity
)


def _token_start(text: str, pos: int) -> int:
    while pos > 0 and not text[pos - 1].isspace() and text[pos - 1] not in ",;()[]":
        pos -= 1
    return pos
