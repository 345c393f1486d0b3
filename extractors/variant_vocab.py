"""The alphabets of variant mentions: amino acids and nucleotides, as tables and as regex alternations.

Separate from the grammar (:mod:`extractors.variant_patterns`) because the canonical keys
(:mod:`extractors.variant_keys`), the builders and the scanning engine all read the same vocabulary: one
place says which spellings of a residue or base exist, and every layer above agrees on it.
"""
from __future__ import annotations

import re

AA3_TO_1: dict[str, str] = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E", "Gly": "G",
    "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F", "Pro": "P", "Ser": "S",
    "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Sec": "U", "Ter": "*",
}
AA1_TO_3: dict[str, str] = {v: k for k, v in AA3_TO_1.items()} | {"X": "Ter"}
AA_NAMES: dict[str, str] = {
    "alanine": "Ala", "arginine": "Arg", "asparagine": "Asn", "aspartic acid": "Asp", "aspartate": "Asp",
    "cysteine": "Cys", "glutamine": "Gln", "glutamic acid": "Glu", "glutamate": "Glu", "glycine": "Gly",
    "histidine": "His", "isoleucine": "Ile", "leucine": "Leu", "lysine": "Lys", "methionine": "Met",
    "phenylalanine": "Phe", "proline": "Pro", "serine": "Ser", "threonine": "Thr", "tryptophan": "Trp",
    "tyrosine": "Tyr", "valine": "Val", "stop": "Ter",
}
NUMBER_WORDS: dict[str, int] = {
    "single": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

# The same alphabets as regex alternations, for the patterns: three-letter codes (AA3), stop codes, one-letter
# codes (AA1), amino-acid names (AA_NAME), nucleotides (NT).
AA3 = "(?:" + "|".join(k for k in AA3_TO_1 if k != "Ter") + ")"
AA3_STOP = r"(?:Ter|Stop|stop|STOP|X|\*)"
AA3_ANY = rf"(?:{AA3}|{AA3_STOP})"
AA1 = "[ACDEFGHIKLMNPQRSTVWY]"
AA1_ANY = r"[ACDEFGHIKLMNPQRSTVWYX*]"
AA_NAME = "(?:" + "|".join(sorted(AA_NAMES, key=len, reverse=True)) + ")"
AA_WORD = rf"(?:{AA_NAME}|{AA3})"
NT = "[ACGTUacgtu]"
BASE_NAMES = {"adenine": "A", "cytosine": "C", "guanine": "G", "thymine": "T", "thymidine": "T"}
BASE_NAME = "(?i:" + "|".join(BASE_NAMES) + ")"
# Words that make the mention before them an allele or genotype: "IVS9+459 GG genotype", "Ile/Val genotype",
# "the p.T11 allele".
ALLELE_CUE_WORDS = r"\s(?:alleles?|genotypes?|homozyg|heterozyg|carriers?|polymorphism|variants?\b)"


def aa3(token: str) -> str:
    """Three-letter code for any written amino-acid form (``V``, ``Val``, ``valine``, ``X``, ``stop``)."""
    t = token.strip()
    if len(t) == 1:
        return AA1_TO_3[t.upper()]
    low = t.lower()
    if low in AA_NAMES:
        return AA_NAMES[low]
    if low in ("ter", "stop", "*"):
        return "Ter"
    return t[0].upper() + t[1:].lower()


def nospace(s: str) -> str:
    """``s`` without whitespace: positions and changes are keyed as if written without spaces."""
    return re.sub(r"\s+", "", s)
