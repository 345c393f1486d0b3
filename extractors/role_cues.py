"""The words a curator reads to tell a patient's allele from every other variant a paper mentions.

Kept apart from the classifier (:mod:`extractors.roles`) the way scispaCy keeps its Hearst patterns apart
from the hyponym detector: these lists are what a curator reviews and extends; the classifier only says
how cues near a mention combine.  Each cue has a role, a strength, a name (shown to the curator as the
role's reason), a pattern, the side of the mention it must sit on and how far away it may be.

* ``case`` finding — the paper's own finding about its patients: "we identified", "sequencing revealed",
  "our patient", "the proband was homozygous for", "found in both siblings", "de novo", "inherited from
  his mother", "segregated with", "absent in 200 control chromosomes", "confirmed by Sanger sequencing".
* ``case`` strong — claims about the allele that papers make of their own: "novel", "not previously
  reported", "maternal"/"paternal".
* ``case`` weak — patient words and zygosity words without a finding verb ("patients homozygous for"),
  also used in background statements about other patients.
* ``reported`` — "previously reported", "has been described", "known mutations", "Kapplinger et al.
  described", "et al." right after the mention, "in the literature", "HGMD", "they found".
* ``population`` — "polymorphism", "SNP", "benign", "minor allele frequency", "associated with risk",
  "odds ratio", "GWAS", "controls".
* ``experimental`` — "site-directed mutagenesis", "construct", "transfected", "knock-in", model
  organisms, "cell line", "recombinant", "constitutively active".
* ``other`` — primers, a figure or table label read as a variant ("Fig S13A").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from genelit.models.evidence import VariantRole


class Strength(IntEnum):
    WEAK = 1  # a hint: patient or zygosity words, "controls", "mutant"
    STRONG = 2  # a clear statement of one role
    FINDING = 3  # the paper's own finding about its patients: beats a "previously reported" beside it


class Side(IntEnum):
    BEFORE = 1  # the cue precedes the mention ("we identified ... c.X")
    AFTER = 2  # the cue follows it ("c.X (Smith et al., 2011)", "c.X was previously reported")
    EITHER = 3


@dataclass(frozen=True)
class RoleCue:
    role: VariantRole
    strength: Strength
    name: str
    pattern: re.Pattern[str]
    side: Side = Side.EITHER
    reach: int = 120  # characters between the cue and the mention
    # a clause-level cue speaks for every allele after it ("Fu et al. reported a patient with c.X and c.Y"),
    # where others describe the nearest allele only ("a previously reported R211H and a novel 899dupC")
    governs: bool = False


def _cue(role: VariantRole, strength: Strength, name: str, regex: str, side: Side = Side.EITHER,
         reach: int = 120, flags: int = re.IGNORECASE, governs: bool = False) -> RoleCue:
    return RoleCue(role, strength, name, re.compile(regex, flags), side, reach, governs or strength == Strength.FINDING)


CASE, REPORTED, POPULATION = VariantRole.CASE, VariantRole.REPORTED, VariantRole.POPULATION
EXPERIMENTAL, OTHER = VariantRole.EXPERIMENTAL, VariantRole.OTHER
FINDING, STRONG, WEAK = Strength.FINDING, Strength.STRONG, Strength.WEAK

_PERSON = (r"(?:patients?|probands?|index\s+(?:case|patient)|boys?|girls?|child(?:ren)?|infants?|neonates?|newborns?|"
           r"man|woman|brothers?|sisters?|siblings?|sibs?|twins?|daughters?|sons?|fetus(?:es)?|family|families|kindreds?|"
           r"affected\s+(?:individuals?|members?|siblings?|children)|individuals?|subjects?|cases?)")
# who a finding is about: the patients or a pronoun standing for them ("He had a homozygous insertion")
_SUBJECT = rf"(?:{_PERSON}|he|she)"
_ZYGOSITY = (r"(?:(?:compound[\s-]+|double\s+)?(?:homo|hetero|hemi)zyg(?:ous(?:ly)?|otes?)|biallelic)")
_FOUND = r"(?:identified|found|detected|confirmed|observed|uncovered|discovered|revealed|demonstrated|ascertained)"
_NEGATION = r"(?:not|never|no)\s+(?:\w+\s+){0,2}"

# Ordered only for reading; the classifier takes every cue that matches near a mention.
ROLE_CUES: tuple[RoleCue, ...] = (
    # --- case, strong: the paper's own finding ---------------------------------------------------------
    _cue(CASE, STRONG, "not previously reported",
         rf"\b{_NEGATION}(?:been\s+)?(?:previously\s+|yet\s+)?(?:reported|described|published)\b|\bpreviously\s+unpublished\b|\bunreported\b"),
    _cue(CASE, FINDING, "we identified",
         r"\bwe\s+(?:have\s+|also\s+|further\s+)?(?:identified|found|detected|report(?:ed)?|describe[ds]?|present(?:ed)?|"
         r"observed|discovered|confirmed|uncovered|revealed|document(?:ed)?)\b"),
    _cue(CASE, FINDING, "our patient",
         rf"\b(?:our|this|the\s+present|the\s+current|the\s+index|the\s+affected|these)\s+{_PERSON}(?:['’]s?)?\b"
         rf"|\bpresent\s+(?:case|patient|report|study)\b"),
    _cue(CASE, FINDING, "the patient was homozygous",
         rf"\b{_SUBJECT}\s+(?:\w+\s+){{0,3}}(?:was|were|is|are)\s+(?:also\s+|both\s+|all\s+)?(?:found\s+to\s+(?:be|carry|have)\s+)?"
         rf"(?:{_ZYGOSITY}|positive|carriers?\s+of)\b"),
    _cue(CASE, FINDING, "the patient carried",
         rf"\b{_SUBJECT}\s+(?:\w+\s+){{0,3}}(?:carried|carries|carrying|harbou?red|harbou?rs|harbou?ring|possessed|(?:had|has|showed|presented)\s+(?:a|an|the|both|two))\b"),
    _cue(CASE, FINDING, "sequencing revealed",
         r"\b(?:sequencing|sequenced|analysis|analyses|testing|test|exome|WES|WGS|screening|panel|genotyping|study|investigation)\b"
         r"[^.;]{0,60}?\b(?:revealed|identified|showed|detected|uncovered|disclosed|found|ascertained|confirmed|demonstrated)\b"),
    _cue(CASE, FINDING, "found in the patient",
         rf"\b(?:was|were|been)\s+(?:\w+\s+)?{_FOUND}\s+in\s+(?:\w+\s+){{0,3}}{_PERSON}\b"),
    _cue(CASE, FINDING, "identified in the patient",
         rf"\b{_FOUND}\s+(?:\w+\s+){{0,8}}?in\s+(?:the|our|this|both|all|each|two|three|four|five|\d+)\s+(?:\w+\s+){{0,2}}{_PERSON}\b",
         side=Side.AFTER),
    _cue(CASE, FINDING, "the mutation in the patient",
         r"\bthe\s+(?:\w+\s+){0,2}(?:mutation|variant|change|allele|deletion|insertion|duplication|substitution)\s+(?:\w+\s+){0,2}?"
         r"(?:in|of)\s+(?:the\s+|our\s+|this\s+)?(?:patient|proband|index\s+case|boy|girl)\b", side=Side.BEFORE, reach=40),
    _cue(CASE, FINDING, "allele named for the patients", rf"^\s*(?:mutation\s+|variant\s+|mutant\s+)?(?:{_PERSON}|carriers?|muscles?|myoblasts|fibroblasts)\b",
         side=Side.AFTER, reach=2),
    _cue(CASE, FINDING, "de novo", r"\bde\s+novo\b"),
    _cue(CASE, FINDING, "inherited from a parent",
         r"\b(?:maternally|paternally)\s+(?:inherited|derived|transmitted)|\binherited\s+from\s+(?:his|her|their|the)\s+(?:\w+\s+)?(?:mother|father|parents?)\b"
         r"|\b(?:maternal|paternal)\s+(?:allele|origin)\b"),
    _cue(CASE, FINDING, "segregated with the disease", r"\b(?:co-?)?segregat(?:ed|es|ing)\s+with\b"),
    _cue(CASE, FINDING, "absent in controls",
         r"\b(?:absent|not\s+(?:found|present|detected|observed|seen|identified|documented))\s+(?:\w+\s+){0,2}(?:in|from)\s+(?:\w+\s+){0,4}"
         r"(?:controls?|chromosomes|parents|gnomAD|ExAC|dbSNP|1000\s+Genomes|databases?|population)\b"),
    _cue(CASE, FINDING, "confirmed by Sanger sequencing", r"\b(?:confirmed|validated|verified)\s+by\s+(?:\w+\s+)?Sanger\b|\bSanger\s+sequencing\s+(?:confirmed|validated|verified)\b"),
    _cue(CASE, STRONG, "novel", r"\bnovel\b"),
    _cue(CASE, STRONG, "parental origin", r"\b(?:maternal|paternal|maternally|paternally)\b", reach=40),
    # --- case, weak: patient or zygosity words without a finding ------------------------------------------
    _cue(CASE, WEAK, "patient word", rf"\b{_PERSON}\b", reach=80),
    _cue(CASE, WEAK, "zygosity word", rf"\b{_ZYGOSITY}\b|\bin\s+trans\b", reach=80),
    # --- reported ------------------------------------------------------------------------------------------
    _cue(REPORTED, STRONG, "previously reported",
         r"\bpreviously\s+(?:been\s+)?(?:reported|described|identified|published|found|observed|seen|associated|documented|detected|shown|linked)\b"
         r"|\b(?:has|have|had)\s+(?:also\s+|previously\s+|already\s+|recently\s+|frequently\s+|often\s+)?been\s+(?:\w+\s+)?"
         r"(?:reported|described|identified|published|observed|seen|associated|documented|linked|shown|implicated)\b"
         r"|\b(?:was|were)\s+(?:also\s+|first\s+|originally\s+|initially\s+|previously\s+)?(?:reported|described|published)\s+(?:in|by)\b"
         r"|\b(?:reported|described)\s+(?:previously|before|earlier|elsewhere)\b"),
    _cue(REPORTED, STRONG, "known mutation",
         r"\b(?:known|reported|published|previously\s+reported|described|recurrent)\s+(?:pathogenic\s+|disease-causing\s+|causative\s+|missense\s+)?"
         r"(?:mutations|variants|alleles)\b"),
    _cue(REPORTED, STRONG, "the literature",
         r"\b(?:in\s+the\s+literature|literature|HGMD|LOVD|Human\s+Gene\s+Mutation\s+Database|other\s+(?:patients|families|studies|groups|authors|reports|cases)"
         r"|previous(?:ly\s+published)?\s+(?:studies|reports|patients|cases|study|report|families)|earlier\s+(?:reports?|studies)|a\s+(?:previous|prior)\s+(?:study|report))\b"),
    _cue(REPORTED, STRONG, "others reported",
         r"\bet\s+al\b\.*,?\s*(?:\(?(?:19|20)\d\d\)?\s*|\[\d+\]\s*|\d+\s*)?(?:\w+\s+)?(?:reported|described|found|identified|showed|observed|detected|demonstrated)\b"
         r"|\b(?:some|several|many|other|previous|recent|earlier)\s+(?:studies|reports|authors|groups|investigators)\b",
         reach=200, governs=True),
    _cue(REPORTED, STRONG, "such as", r"\b(?:such\s+as|e\.g\.,?)\s*$", side=Side.BEFORE, reach=15),
    _cue(REPORTED, STRONG, "they found", r"\b(?:they|the\s+authors)\s+(?:also\s+)?(?:found|identified|reported|described|showed|observed|detected)\b",
         governs=True),
    _cue(REPORTED, STRONG, "often seen in patients", r"\b(?:is|are)\s+(?:often|frequently|commonly|usually|mostly)\s+(?:seen|found|observed|detected)\b"
                                                     r"|\b(?:the\s+)?(?:most\s+)?common(?:est)?\s+(?:\w+\s+)?(?:mutation|variant|allele)\b"),
    _cue(REPORTED, STRONG, "et al.", r"\bet\s+al\b", side=Side.AFTER, reach=100),
    # --- population --------------------------------------------------------------------------------------
    _cue(POPULATION, STRONG, "polymorphism", r"\bpolymorphi(?:sm|sms|c)\b|\bSNPs?\b|\bbenign\b|\bcommon\s+(?:variants?|alleles?)\b"),
    _cue(POPULATION, STRONG, "allele frequency", r"\b(?:minor\s+)?allele\s+frequenc(?:y|ies)\b|\bMAF\b|\bgenotype\s+frequenc(?:y|ies)\b", flags=0),
    _cue(POPULATION, STRONG, "association study",
         r"\bassociat(?:ed|ion)\s+with\s+(?:(?:an?\s+)?(?:increased|decreased|higher|lower|reduced|elevated)\s+)?(?:\w+\s+){0,3}(?:risk|susceptibility|levels?|longevity|concentrations?)\b"
         r"|\brisk\s+(?:alleles?|variants?|factors?|loci|locus|genotypes?)\b|\bodds\s+ratios?\b|\bOR\s*[=:]|\bGWAS\b|\bgenome-wide\s+association\b|\bcase[–-]control\b"),
    _cue(POPULATION, WEAK, "controls", r"\bcontrols?\b|\bhealthy\s+(?:individuals|subjects|volunteers)\b|\bhaplotypes?\b|\bgenotyped\b"),
    # --- experimental -------------------------------------------------------------------------------------
    _cue(EXPERIMENTAL, STRONG, "engineered construct",
         r"\b(?:site-directed\s+)?mutagenesis\b|\bconstructs?\b|\bplasmids?\b|\bexpression\s+vectors?\b|\btransfect\w*|\btransgen\w*|\bknock-?in\b"
         r"|\bengineered\b|\b(?:was|were)\s+introduced\b|\brecombinant\b|\bphosphomimetic\b|\bconstitutively\s+active\b|\bkinase-dead\b"
         r"|\bdominant[\s-]negative\b|\bcatalytically\s+inactive\b|\b(?:mutated|substituted|changed|converted)\s+to\b|\balanine\s+(?:substitution|scanning|mutants?)\b"),
    _cue(EXPERIMENTAL, STRONG, "model organism",
         r"\b(?:mice|mouse|murine|rats?|zebrafish|Drosophila|flies|fly|yeast|worms?|C\.\s*elegans|Xenopus|bacteria|E\.\s*coli)\b"),
    _cue(EXPERIMENTAL, WEAK, "cells or mutant protein", r"\bcell\s+lines?\b|\b(?:HEK|COS|CHO|HeLa|U2OS)\b|\bmutants?\b|\bexpressing\b", flags=0),
    # --- other ---------------------------------------------------------------------------------------------
    _cue(OTHER, STRONG, "figure or table label", r"\b(?:Fig(?:ure)?s?\.?|Tables?|Appendix(?:\s+Figs?\.?)?)\s*(?:S\s*)?\d*\s*(?:and\s+)?$",
         side=Side.BEFORE, reach=0),
    _cue(OTHER, STRONG, "primer", r"\bprimers?\b|[35]['′’]\s*-|\boligonucleotides?\b", reach=60),
)

# A mention among this many distinct alleles close together sits in a list or a flattened table; there,
# only cues within its own row (LIST_CUE_REACH characters) speak for it — a table header's "present
# patient" or the previous row's "This study" do not.
LIST_MIN_ALLELES = 4
LIST_WINDOW = 250  # characters either side of the mention
LIST_CUE_REACH = 30
