"""Sequence-variant mentions: find them in text and normalize each to ONE canonical key.

Curators see the same variant written many ways (``V92M``, ``Val92Met``, ``p.(Val92Met)``; ``R123X``,
``Arg123*``; ``274G>A``, ``G274A``, ``c.274G>A``).  Evidence records are keyed by (paper, gene, variant),
so every spelling must collapse to one key, or a curator reviews the same variant twice.

Canonical keys (all idempotent: ``normalize_variant(key) == key``):

* protein: HGVS three-letter, no parentheses: ``p.Val92Met``, ``p.Arg123Ter``, ``p.Met326=``,
  ``p.Arg97fs``, ``p.Arg97ProfsTer23``, ``p.Phe508del``, ``p.Gly204_Lys247del``, ``p.Met1?``, ``p.0``.
* nucleotide: ``c.274G>A``, ``c.123+1G>A``, ``c.-13C>T``, ``c.*45del``, ``c.1285_1301dup``, ``g.``/``m.``/
  ``n.``/``r.`` likewise.  **Legacy rule**: a nucleotide change written without a prefix (``274G>A``,
  ``G274A``, ``-395G>A``, ``1494del6``) is keyed as ``c.`` — the tmVar corpus convention (it normalizes
  ``G274A`` to ``c|SUB|G|274|A``).  ``X<n>Y`` with both letters in {A,C,G,T} is read as a nucleotide
  change (46 of 47 such mentions in tmVar are DNAMutation); any other one-letter pair is a protein change.
  A legacy range written with a hyphen (``c.370-371insA``) becomes ``_`` when the second number is
  larger than the first; otherwise the hyphen is an intronic offset (``c.357-3C>G``).
* intron-relative legacy positions keep their own key: ``IVS4+1G>A`` (no transcript to convert them).
* ``rs121913529``; deletions described in words: ``del(3 bp)``, ``ins(1 bp)``; ``Δ32``.
* gene-level copy number: ``del(exons 4-5)``, ``del(exon 2)``, ``del(whole gene)``, ``dup(exon 2)``.

:func:`find_variants` runs a handful of precompiled patterns over the text (the same grammar
:func:`normalize_variant` uses), keeps the longest non-overlapping matches and attaches the
``VariantClass`` used by ClinGen scoring.  Spans follow the tmVar/BioRED guidelines: ``p.`` and ``c.``
are inside the span, a surrounding parenthesis is not, and ``c.274G>A (p.Val92Met)`` is two mentions
(each then carries the other's HGVS in ``hgvs_p``/``hgvs_c``).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from extractors.base import add_mention
from models.evidence import VariantClass
from models.mentions import MentionKind

# --------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------
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

_AA3 = "(?:" + "|".join(k for k in AA3_TO_1 if k != "Ter") + ")"
_AA3_STOP = r"(?:Ter|Stop|stop|STOP|X|\*)"
_AA3_ANY = rf"(?:{_AA3}|{_AA3_STOP})"
_AA1 = "[ACDEFGHIKLMNPQRSTVWY]"
_AA1_ANY = r"[ACDEFGHIKLMNPQRSTVWYX*]"
_AA_NAME = "(?:" + "|".join(sorted(AA_NAMES, key=len, reverse=True)) + ")"
_AA_WORD = rf"(?:{_AA_NAME}|{_AA3})"
_NT = "[ACGTUacgtu]"
_ARROW_OR_FOR = r"(?:\s?(?:-+>|→)\s?|\s?-?to-?\s?|(?P<for_>\sfor\s))"
_NUMWORD = "(?:" + "|".join(NUMBER_WORDS) + r"|\d+)"
_L = r"(?<![A-Za-z0-9_.>])"  # left boundary: not glued to a word, number or HGVS token
_L1 = r"(?<![A-Z0-9_.>*+])"
_LNT = r"(?<![A-Za-z0-9_./>-])"  # bare allele changes (G>A, C/T) must stand alone  # one-letter forms may follow a lowercase prefix: KrasG12D, rtM204I, sP120T
_R = r"(?![A-Za-z0-9_>])"  # right boundary


def _aa3(token: str) -> str:
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


def _nospace(s: str) -> str:
    return re.sub(r"\s+", "", s)


# --------------------------------------------------------------------------------------------------
# Parsed form and classes
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ParsedVariant:
    """What one mention means: its canonical key, HGVS level and ClinGen consequence class."""

    key: str
    level: str  # "p", "c", "g", "m", "n", "r", "ivs", "rs", "cnv", "text"
    variant_class: VariantClass
    is_copy_number: bool = False


@dataclass(frozen=True)
class VariantMatch:
    """One variant mention found in a text, with exact character offsets."""

    start: int
    end: int
    text: str
    key: str
    hgvs_c: str | None = None
    hgvs_p: str | None = None
    hgvs_g: str | None = None
    rsid: str | None = None
    variant_class: VariantClass = VariantClass.OTHER
    is_copy_number: bool = False


def _protein_class(ref: str, pos: str, tail: str) -> VariantClass:
    """Consequence class of a protein change (``tail`` is the canonical text after the position)."""
    if "fs" in tail or tail == "Ter" or (ref == "Met" and pos == "1" and tail in ("?", "del")):
        return VariantClass.NULL
    if tail.startswith(("del", "dup", "ins")) or "delins" in tail:
        return VariantClass.INFRAME
    if tail in AA3_TO_1 and tail != ref:
        return VariantClass.MISSENSE
    return VariantClass.OTHER


_INTRONIC_OFFSET = re.compile(r"[\d?][+-](\d+)$")


def _dna_class(pos: str, change: str) -> VariantClass:
    """Consequence class of a nucleotide change from its position and edit alone.

    Canonical splice (±1/±2 intronic) and frameshifting indels are null; other intronic positions up to
    ±10 are splice-region; substitutions in exons are ``other`` because the protein effect is unknown
    without the transcript (the paired ``p.`` mention, if any, carries the missense/nonsense class).
    """
    first = pos.split("_")[0]
    offsets = [int(m[1]) for end in pos.split("_") if (m := _INTRONIC_OFFSET.search(end))]
    if offsets and min(offsets) <= 2 and not change.startswith(("dup", "ins")):
        return VariantClass.NULL
    if offsets and min(offsets) <= 10:
        return VariantClass.SPLICE
    if offsets or first.startswith(("-", "*")):
        return VariantClass.OTHER
    if change.startswith(("del", "ins", "dup")):
        length = _indel_length(pos, change)
        if length is None:
            return VariantClass.OTHER
        return VariantClass.INFRAME if length % 3 == 0 else VariantClass.NULL
    return VariantClass.OTHER


def _indel_length(pos: str, change: str) -> int | None:
    """Net length change of a plain (exonic) indel, when the mention says it."""
    m = re.fullmatch(r"(delins|del|dup|ins)([ACGTU]*)(\d*)", change)
    if not m:
        return None
    op, bases, count = m.groups()
    if op == "delins":
        return None
    if count:
        return int(count)
    if bases:
        return len(bases)
    if op == "ins":
        return None
    ends = pos.split("_")
    if len(ends) == 2 and ends[0].isdigit() and ends[1].isdigit():
        return int(ends[1]) - int(ends[0]) + 1
    return 1 if pos.isdigit() else None


# --------------------------------------------------------------------------------------------------
# Grammar: each form is (name, pattern, builder).  Builders turn a match into a ParsedVariant.
# --------------------------------------------------------------------------------------------------
Builder = Callable[[re.Match[str]], ParsedVariant | None]


def _protein(ref: str, pos: str, tail: str) -> ParsedVariant:
    ref3 = _aa3(ref)
    tail = tail.strip()
    key_tail = tail
    if tail and tail not in ("=", "?"):
        key_tail = _protein_tail(tail)
    if key_tail == ref3:
        key_tail = "="
    cls = _protein_class(ref3, pos, key_tail)
    return ParsedVariant(f"p.{ref3}{pos}{key_tail}", "p", cls)


_TAIL_RE = re.compile(
    rf"(?P<alt>{_AA3_ANY}|{_AA1_ANY})?\s?(?P<fs>fs)?\s?(?P<ter>{_AA3_STOP})?\s?(?P<n>\d+)?(?:{_AA3_STOP})?$"
)


def _protein_tail(tail: str) -> str:
    """Canonical text after the position: ``Met``, ``Ter``, ``fs``, ``ProfsTer23``, ``del``, ``insGlnSer``."""
    for op in ("delins", "del", "dup", "ins"):
        if tail.startswith(op):
            rest = tail[len(op):]
            return op + "".join(_aa3(a) for a in re.findall(rf"{_AA3}|{_AA1_ANY}", rest))
    if tail.lower() in AA_NAMES:
        return _aa3(tail)
    m = _TAIL_RE.match(tail)
    if not m:
        return tail
    alt = _aa3(m["alt"]) if m["alt"] else ""
    if m["fs"]:
        if m["alt"] and not m["ter"] and _aa3(m["alt"]) == "Ter":  # "fsX12" read as fsTer12
            return "fsTer" + (m["n"] or "")
        return f"{alt}fs" + (f"Ter{m['n'] or ''}" if (m["ter"] or m["n"]) else "")
    return alt


def _b_protein(m: re.Match[str]) -> ParsedVariant | None:
    if m["end_ref"]:
        pos = f"{m['pos']}_{_aa3(m['end_ref'])}{m['end_pos']}"
        return _protein(m["ref"], pos, m["tail"])
    return _protein(m["ref"], m["pos"], m["tail"])


def _b_protein_special(m: re.Match[str]) -> ParsedVariant | None:
    if m["zero"]:
        return ParsedVariant("p.0", "p", VariantClass.NULL)
    return _protein(m["ref"], m["pos"], m["tail"])


def _b_protein_words(m: re.Match[str]) -> ParsedVariant | None:
    return _protein(m["ref"], m["pos"], m["alt"])


def _b_protein_words_at(m: re.Match[str]) -> ParsedVariant | None:
    ref, alt = (m["ref"], m["alt"]) if not m["for_"] else (m["alt"], m["ref"])
    return _protein(ref, m["pos"], alt)


def _dna(prefix: str, pos: str, change: str) -> ParsedVariant:
    pos = _nospace(pos)
    pos = _legacy_range(pos, change)
    change = _dna_change(change)
    level = prefix.lower() if prefix else "c"
    key = f"{level}.{pos}{change}"
    return ParsedVariant(key, level, _dna_class(pos, change))


def _legacy_range(pos: str, change: str) -> str:
    """``370-371`` (an indel range written with a hyphen) → ``370_371``; ``357-3`` stays an offset."""
    m = re.fullmatch(r"(\d+)-(\d+)", pos)
    if m and not re.match(r"[ACGTUacgtu]>", _dna_change(change)):
        a, b = int(m[1]), int(m[2])
        if b < a and len(m[2]) < len(m[1]):  # "1782-83" shorthand for 1782_1783
            b = int(m[1][: len(m[1]) - len(m[2])] + m[2])
        if b > a:
            return f"{a}_{b}"
    return pos


def _dna_change(change: str) -> str:
    c = _nospace(change)
    m = re.fullmatch(r"\(?([ACGTUacgtu])(?:-+>|>|→|/)([ACGTUacgtu])\)?", c)
    if m:
        return f"{m[1].upper()}>{m[2].upper()}"
    m = re.fullmatch(r"(delins|del|dup|ins|inv)(.*)", c)
    if m:
        rest = re.sub(r"(?i)bp$", "", m[2])
        return m[1] + (rest.upper() if re.fullmatch(r"[ACGTUacgtu]+", rest) else rest)
    return c


def _b_dna(m: re.Match[str]) -> ParsedVariant | None:
    return _dna(m.groupdict().get("prefix") or "c", m["pos"], m["change"])


def _b_dna_refpos(m: re.Match[str]) -> ParsedVariant | None:
    """``G274A`` / ``G-395A`` / ``c2403T --> C``: reference base before the position."""
    return _dna("c", m["pos"], f"{m['ref']}>{m['alt']}")


def _b_protein1(m: re.Match[str]) -> ParsedVariant | None:
    """One-letter protein change; a single-digit position needs ``p.`` (T1D, E2F, M6P are not variants)."""
    if len(m["pos"]) < 2 and not m.group(0).startswith("p"):
        return None
    return _b_protein(m)


def _b_signed_allele(m: re.Match[str]) -> ParsedVariant | None:
    return ParsedVariant(f"c.{m['pos']}{m['allele'].upper()}", "text", VariantClass.OTHER)


def _b_bare_indel(m: re.Match[str]) -> ParsedVariant | None:
    what = _nospace(m["what"]).upper().replace("BP", "bp")
    return ParsedVariant(f"{m['op']}{what}", "text", VariantClass.OTHER)


def _b_unpositioned(m: re.Match[str]) -> ParsedVariant | None:
    """A change without a position (``Glu-->Ala``, ``G>A``): keyed ``G>A``; the rsID or text nearby places it."""
    ref, alt = m["ref"], m["alt"]
    if ref[0].isupper() and ref[1:].islower() and len(ref) == 3:
        return ParsedVariant(f"{_aa3(ref)}>{_aa3(alt)}", "text", VariantClass.OTHER)
    return ParsedVariant(f"{ref.upper()}>{alt.upper()}", "text", VariantClass.OTHER)


def _b_ivs(m: re.Match[str]) -> ParsedVariant | None:
    intron = m["intron"]
    pos = f"IVS{intron}{m['sign']}{m['off']}"
    change = _dna_change(m["change"]) if m["change"] else ""
    if change and re.fullmatch(r"[ACGTUacgtu]", change):
        change = change.upper()
    cls = _dna_class(f"1{m['sign']}{m['off']}", change)
    return ParsedVariant(f"{pos}{change}", "ivs", cls)


def _b_rsid(m: re.Match[str]) -> ParsedVariant | None:
    return ParsedVariant(f"rs{m['n']}", "rs", VariantClass.OTHER)


def _b_delta(m: re.Match[str]) -> ParsedVariant | None:
    if m["aa"]:
        return _protein(m["aa"], m["pos"], "del")
    return ParsedVariant(f"Δ{m['pos']}", "text", VariantClass.OTHER)


def _b_cnv(m: re.Match[str], whole: bool = False) -> ParsedVariant | None:
    """Gene-level copy number: ``del(exons 4-5)``, ``dup(exon 2)``, ``del(whole gene)``.

    Deletions of whole genes or of exons count as null variants in ClinGen scoring.
    """
    kind = "dup" if m["op"].lower().startswith("dup") else "del"
    cls = VariantClass.NULL if kind == "del" else VariantClass.COPY_NUMBER
    if whole or m.groupdict().get("whole"):
        return ParsedVariant(f"{kind}(whole gene)", "cnv", cls, True)
    if not m["ex1"]:
        return None
    where = f"exons {m['ex1']}-{m['ex2']}" if m["ex2"] else f"exon {m['ex1']}"
    return ParsedVariant(f"{kind}({where})", "cnv", cls, True)


def _b_nt_words(m: re.Match[str]) -> ParsedVariant | None:
    return _dna("c", m["pos"], f"{m['ref']}>{m['alt']}")


_POS = r"(?:[-*]?\d+(?:\s?[+-]\s?(?:\d+|\?))?|\?)"
_DNA_CHANGE = (
    rf"(?:\(?{_NT}\s?(?:-+>|>|→|/)\s?{_NT}\)?(?![A-Za-z])"
    r"|delins[ACGTU]+|del\s?(?:[ACGTU]+(?![a-z])|\d+(?:\s?bp)?)?|dup\s?(?:[ACGTU]+|\d+(?:\s?bp)?)?"
    r"|ins\s?(?:[ACGTU]+(?![a-z])|\d+(?:\s?bp)?)|inv\d*)"
)

_PROTEIN3_BODY = (
    rf"(?P<ref>{_AA3})\s?\(?(?P<pos>\d+)\)?(?:_(?P<end_ref>{_AA3})(?P<end_pos>\d+))?\s?"
        rf"(?P<tail>(?:-+>|→)?\s?{_AA3_ANY}\s?fs\s?(?:{_AA3_STOP}\s?\d*)?|fs\s?(?:{_AA3_STOP}\s?\d*|\d+)?"
        rf"|delins(?:{_AA3})+|del(?!{_AA3})|dup|ins(?:{_AA3})+|(?:-+>|→)?\s?{_AA3_ANY}|=|\?)\)?(?![A-Za-z0-9])"
)
_PROTEIN1_BODY = (
    rf"(?P<ref>{_AA1})(?P<pos>\d+)(?:_(?P<end_ref>{_AA1})(?P<end_pos>\d+))?"
        rf"(?P<tail>{_AA1_ANY}?fs(?:[X*]|Ter)?\d*[X*]?|[Ss]top|delins{_AA1}+|del|dup|ins{_AA1}+|{_AA1_ANY})\)?(?![A-Za-z0-9])"
)

FORMS: tuple[tuple[str, str, Builder], ...] = (
    ("rsid", rf"{_L}rs\s?(?P<n>\d{{3,}})(?!\d)", _b_rsid),
    # c.274G>A, c.123+1G>A, c.1285_1301dup, g.3318-34C>T, c.G1714C, c4475C --> A
    (
        "hgvs_dna",
        rf"{_L}(?P<prefix>[cgmnr])(?:\.\s?|(?=\d))(?P<pos>{_POS}(?:\s?[_-]\s?{_POS})?)\s?(?P<change>{_DNA_CHANGE})",
        _b_dna,
    ),
    ("hgvs_dna_refpos", rf"{_L}(?P<prefix>[cgm])\.(?P<ref>[ACGT])(?P<pos>\d+)(?P<alt>[ACGT]){_R}", _b_dna_refpos),
    # legacy without prefix: 677C>T, -308G>A, 1494del6, 2398+1G>C, 1067 del A, 33 + 2 T-->C, -588 (A>G), -924, A/G
    (
        "legacy_dna",
        rf"{_L}(?P<pos>[-+0-9]\d*(?<=\d)(?:\s?[+-]\s?\d+)?(?:\s?[_-]\s?\d+)?),?\s?(?P<change>"
        rf"\(?{_NT}\s?(?:-+>|>|→|\sto\s)\s?{_NT}\)?(?![A-Za-z])|[ACGT]/[ACGT](?![A-Za-z/])"
        r"|(?:delins[ACGT]+|del\s?(?:[ACGT]+|\d+(?:\s?bp)?)?|dup\s?(?:[ACGT]+|\d+)?|ins\s?(?:[ACGT]+|\d+(?:\s?bp)?))(?![a-z]))",
        _b_dna,
    ),
    # G274A, G-395A, A 1166C (one-letter forms need a two-digit position: T2D, C4A are not variants)
    ("refpos_dna", rf"{_L1}(?P<ref>[ACGT])\s?(?P<pos>-?\d{{2,}})\s?(?:-+>\s?)?(?P<alt>[ACGT]){_R}", _b_dna_refpos),
    # -930G, -1021T, -511CC: promoter alleles and genotypes written with a signed position
    ("signed_allele", rf"{_L}(?P<pos>[-+]\d{{2,}})\s?(?P<allele>[ACGT]{{1,2}}){_R}", _b_signed_allele),
    ("del_before", rf"{_L}(?:del(?P<pos>\d+)(?P<base>[ACGT])|(?P<base2>[ACGT])del(?P<pos2>\d+)){_R}", None),
    # delTTCA, dup24bp
    ("bare_indel", rf"{_L}(?P<op>del|dup|ins)(?P<what>[ACGT]{{2,}}|\d+\s?bp){_R}", _b_bare_indel),
    # IVS4+1G>A, IVS8 -2A>G, IVS3-48C, IVSI-1 (G-->A), IVS10+1, g-->t
    (
        "ivs",
        rf"{_L}IVS\s?-?(?P<intron>\d+|[IVX]+)\s?(?P<sign>[+-])\s?(?P<off>\d+),?\s?(?P<change>\(?{_NT}\s?(?:-+>|>|→|/)\s?{_NT}\)?"
        r"|del[ACGT]*|[ACGT](?![A-Za-z]))",
        _b_ivs,
    ),
    # p.Val92Met, Arg123*, p.(Arg97ProfsTer23), Gly(388)Arg, Cys 23 Ser, p.Gly204_Lys247del
    (
        "protein3",
        rf"{_L}" + _PROTEIN3_BODY,
        _b_protein,
    ),
    # p.V92M, R123X, p.R58fs, C105Vfs114X, p.G204_K247del, E947stop, KrasG12D, rtM204I
    (
        "protein1",
        rf"{_L1}" + _PROTEIN1_BODY,
        _b_protein1,
    ),
    ("protein3_p", rf"{_L}p\.\s?\(?" + _PROTEIN3_BODY, _b_protein),
    ("protein1_p", rf"{_L}p\.\s?\(?" + _PROTEIN1_BODY, _b_protein),
    ("protein_special", rf"{_L}p\.\s?\(?(?:(?P<zero>0)|(?P<ref>Met|M)(?P<pos>1)(?P<tail>\?))\)?", _b_protein_special),
    # Glu-->Ala, GAC-->TAT, codon 29, GGC-->AGC: changes written without a HGVS position
    ("aa_arrow", rf"{_L}(?P<ref>{_AA3})\s?-*>\s?(?P<alt>{_AA3_ANY}){_R}", _b_unpositioned),
    (
        "codon_change",
        rf"{_L}(?:codon\s(?:\(CD\))?\d+,?\s)?(?P<ref>[ACGT]{{3}})\s?-+>\s?(?P<alt>[ACGT]{{2,3}}){_R}",
        _b_unpositioned,
    ),
    # G>A, C-->T, C/T, CC to TT: allele changes whose position the text gives elsewhere (often an rsID)
    (
        "nt_change",
        rf"{_LNT}(?P<ref>[ACGT]{{1,2}})(?:\s?(?:-+>|>|→)\s?|/|\sto\s)(?P<alt>[ACGT]{{1,2}})(?![A-Za-z0-9_/>-])",
        _b_unpositioned,
    ),
    # leucine 269 to phenylalanine, arginine 124-to-cysteine, glycine-594-valine, Glu 272 to stop
    (
        "protein_words",
        rf"{_L}(?i:(?P<ref>{_AA_WORD})[\s-]?(?P<pos>\d+)\s?(?:-+>|→|-to-|\s?to\s|-|\s)\s?(?P<alt>{_AA_WORD}|stop)){_R}",
        _b_protein_words,
    ),
    # Lys to Asn at position 198, methionine to threonine substitution at codon 235, alanine for proline at ...
    (
        "protein_words_at",
        rf"{_L}(?i:(?P<ref>{_AA_WORD})(?:\s\(\w+\))?{_ARROW_OR_FOR}(?:an?\s)?(?P<alt>{_AA_WORD})(?:\s\(\w+\))?"
        r"(?:\s(?:substitution|mutation|change|replacement))?\s(?:at|in)\s(?:the\s)?"
        r"(?:codon|position|residue|amino\sacid(?:\sposition)?)\s(?P<pos>\d+))",
        _b_protein_words_at,
    ),
    ("delta", rf"{_L}(?:[Dd]elta\s?|Δ\s?)(?P<aa>{_AA1}(?=\d))?(?P<pos>\d+){_R}", _b_delta),
    # A to G substitution at nucleotide 1517, C-->T transition at nucleotide 677, G to A at nucleotide position 1359
    (
        "nt_words",
        rf"{_L}\(?(?P<ref>[ACGT])\)?(?:\s?(?:-+>|>|→)\s?|\s?-?to-?\s?)\(?(?P<alt>[ACGT])\)?"
        r"(?:\s(?:substitution|transition|transversion|change|mutation))?(?:\s(?:was\s)?(?:identified\s)?)?\s?(?:at|in)\s(?:the\s)?"
        r"(?:nucleotide|position|cDNA\sbase|base)(?:\sposition)?\s(?P<pos>[-+]?\d+)",
        _b_nt_words,
    ),
    # 1-bp deletion, 32-bp deletion, nine nucleotide insertion, 15 kb deletion, deletion of 3 bp
    (
        "size_indel",
        rf"{_L}(?i:(?:(?P<n>{_NUMWORD})[\s-]?(?P<unit>bp|base[\s-]?pairs?|basepairs?|nucleotides?|nt|kb|mb)[\s-](?P<op>deletion|insertion|duplication)"
        rf"|(?P<op_b>deletion|insertion|duplication)\sof\s(?P<n_b>{_NUMWORD})[\s-]?(?P<unit_b>bp|base[\s-]?pairs?|nucleotides?|kb)){_R})",
        None,
    ),
    # deletion of exons 4 and 5, duplication of exon 2, deletion of the entire gene
    (
        "cnv_of",
        r"(?P<op>[Dd]eletion|[Dd]uplication)\sof\s(?:the\s)?(?:(?P<whole>(?:whole|entire|complete)\s(?:\S+\s)?gene)"
        r"|exons?\s(?P<ex1>\d+)(?:\s?(?:and|to|through|-|–)\s?(?P<ex2>\d+))?)",
        _b_cnv,
    ),
    # (partial IGF-I) gene deletion involving exons 4 and 5; (whole-)gene deletion: the part in brackets is
    # found by looking back from "gene" (see _extend_cnv), which keeps the pattern anchored on a literal
    (
        "cnv_gene",
        r"gene\s(?P<op>deletion|duplication)(?:\s(?:involving|of|spanning|encompassing|including)\s"
        r"exons?\s(?P<ex1>\d+)(?:\s?(?:and|to|through|-|–)\s?(?P<ex2>\d+))?)?",
        _b_cnv,
    ),
)
# Forms that describe a change in words: a curator wants them, but the tmVar guideline (unlike BioRED's)
# does not annotate them, and they are dropped when a formal notation of the same change follows at once.
DESCRIPTION_FORMS = frozenset({"protein_words_at", "nt_words", "size_indel"})


def _b_size_indel(m: re.Match[str]) -> ParsedVariant | None:
    """``1-bp deletion`` / ``deletion of 6 bp`` → ``del(1 bp)`` / ``del(6 bp)``."""
    n = (m["n"] or m["n_b"]).lower()
    count = NUMBER_WORDS[n] if n in NUMBER_WORDS else int(n)
    unit = {"k": "kb", "m": "Mb"}.get((m["unit"] or m["unit_b"])[0].lower(), "bp")
    op = {"deletion": "del", "insertion": "ins", "duplication": "dup"}[(m["op"] or m["op_b"]).lower()]
    return ParsedVariant(f"{op}({count} {unit})", "text", _size_class(op, count, unit))


def _b_del_before_any(m: re.Match[str]) -> ParsedVariant | None:
    return _dna("c", m["pos"] or m["pos2"], "del" + (m["base"] or m["base2"] or ""))


_BUILDERS: dict[str, Builder] = {name: b for name, _, b in FORMS if b is not None} | {
    "size_indel": _b_size_indel,
    "del_before": _b_del_before_any,
}

# Canonical keys that are not themselves a written form: parsed back so normalization is idempotent.
KEY_FORMS: tuple[tuple[str, str, Builder], ...] = (
    ("key_size", r"(?P<op>del|ins|dup)\((?P<n>\d+) (?P<unit>bp|kb|Mb)\)", lambda m: ParsedVariant(
        m.group(0), "text", _size_class(m["op"], int(m["n"]), m["unit"]))),
    ("key_cnv", r"(?P<op>del|dup)\((?:whole gene|exons? \d+(?:-\d+)?)\)", lambda m: ParsedVariant(
        m.group(0), "cnv", VariantClass.NULL if m["op"] == "del" else VariantClass.COPY_NUMBER, True)),
    ("key_allele", r"c\.[-+]\d+[ACGT]{1,2}", lambda m: ParsedVariant(m.group(0), "text", VariantClass.OTHER)),
    ("key_delta", r"Δ\d+", lambda m: ParsedVariant(m.group(0), "text", VariantClass.OTHER)),
    ("key_ext", rf"p\.(?P<ref>{_AA3}|Ter)(?P<pos>\d+)(?P<alt>{_AA3})?ext(?:Ter|{_AA3})?-?\d*\??", lambda m: ParsedVariant(
        m.group(0), "p", VariantClass.OTHER)),
)


def _size_class(op: str, n: int, unit: str) -> VariantClass:
    if unit != "bp":
        return VariantClass.NULL if op == "del" else VariantClass.OTHER
    return VariantClass.INFRAME if n % 3 == 0 else VariantClass.NULL


# Left boundaries are checked in Python rather than by a leading look-behind: a pattern that starts with a
# literal or a character class lets the regex engine skip ahead fast (≈ 10x quicker over an abstract).
_BOUNDARIES: dict[str, frozenset[str]] = {
    _L: frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.>"),
    _L1: frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.>*+"),
    _LNT: frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./>-"),
}
# Forms only tried when the (lower-cased) text contains one of these words: cheap substring tests that
# spare the slow case-insensitive word patterns on most abstracts.
_GATES: dict[str, tuple[str, ...]] = {
    "protein_words": tuple(AA_NAMES),
    "protein_words_at": ("codon", "position", "residue", "amino acid"),
    "nt_words": ("nucleotide", "position", "base"),
    "size_indel": ("deletion", "insertion", "duplication"),
    "codon_change": ("->",),
    "aa_arrow": (">",),
    "delta": ("delta", "δ"),
    "ivs": ("ivs",),
    "cnv_of": ("deletion", "duplication"),
    "cnv_gene": ("gene deletion", "gene duplication"),
}
_CNV_LEFT = re.compile(r"(?:(?P<whole>whole|complete|entire)|partial)[\s-](?:[\w-]+\s)?$", re.IGNORECASE)


# Forms whose first character is common (digits, lower-case letters, case-insensitive words) are only run
# in windows (chars before, chars after) around a rarer anchor that every match contains: scanning the
# whole abstract with them would cost ~0.2-1.5 ms each.
_ANCHORS: dict[str, tuple[str, int, int]] = {
    "hgvs_dna": (r"[cgmnr]\.", 0, 80),
    "hgvs_dna_refpos": (r"[cgm]\.", 0, 20),
    "legacy_dna": (r"[ACGT]\s?(?:-+>|>|→|/|\sto\s)|[acgt]\s?-*>|(?:del|dup|ins)(?![a-z])", 30, 40),
    "signed_allele": (r"[-+]\d", 0, 16),
    "del_before": (r"del", 2, 20),
    "bare_indel": (r"del|dup|ins", 0, 20),
    "protein1": (r"[ACDEFGHIKLMNPQRSTVWY]\d", 0, 40),
    "nt_change": (r"[ACGT]\s?(?:-+>|>|→|/|\sto\s)", 4, 10),
    "protein_words": ("\x00names", 0, 70),
    "protein_words_at": (r"(?:at|in) (?:the )?(?:codon|position|residue|amino acid)", 90, 40),
    "nt_words": (r"(?:nucleotide|position|base)", 70, 30),
    "size_indel": (r"(?i:deletion|insertion|duplication)", 40, 40),
}


@dataclass(frozen=True)
class _Form:
    name: str
    pattern: re.Pattern[str]
    forbidden_before: frozenset[str]
    gate: tuple[str, ...]
    anchor: re.Pattern[str] | None
    window: tuple[int, int]


@lru_cache(maxsize=1)
def _compiled() -> tuple[_Form, ...]:
    forms = []
    for name, source, _ in FORMS:
        forbidden: frozenset[str] = frozenset()
        for boundary, chars in _BOUNDARIES.items():
            if source.startswith(boundary):
                source, forbidden = source[len(boundary):], chars
                break
        anchor, back, ahead = _ANCHORS.get(name, (None, 0, 0))
        forms.append(_Form(
            name, re.compile(source), forbidden, _GATES.get(name, ()),
            re.compile(anchor) if anchor else None, (back, ahead),
        ))
    return tuple(forms)


@lru_cache(maxsize=1)
def _compiled_keys() -> tuple[tuple[re.Pattern[str], Builder], ...]:
    return tuple((re.compile(p), b) for _, p, b in KEY_FORMS)


def _windows(form: _Form, text: str) -> list[tuple[int, int]]:
    """The stretches of text to search: all of it, or merged windows around the form's anchor."""
    if form.anchor is None:
        return [(0, len(text))]
    back, ahead = form.window
    spans: list[tuple[int, int]] = []
    for a_start, a_end in _anchor_hits(form.anchor, text):
        lo, hi = max(0, a_start - back), min(len(text), a_end + ahead)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(hi, spans[-1][1]))
        else:
            spans.append((lo, hi))
    return spans


def _anchor_hits(anchor: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Anchor positions; the amino-acid-name anchor uses ``str.find`` (no fast regex for 22 words)."""
    if anchor.pattern != "\x00names":
        return [a.span() for a in anchor.finditer(text)]
    lowered = text.lower()
    hits = []
    for name in AA_NAMES:
        i = lowered.find(name)
        while i >= 0:
            hits.append((i, i + len(name)))
            i = lowered.find(name, i + 1)
    return sorted(hits)


def _matches(form: _Form, text: str) -> list[tuple[int, int, ParsedVariant]]:
    """Every match of one form that respects its left boundary, as (start, end, parsed)."""
    found = []
    search = form.pattern.search
    for lo, hi in _windows(form, text):
        found += _matches_in(form, text, search, lo, hi)
    return found


def _matches_in(
    form: _Form, text: str, search: Callable[..., re.Match[str] | None], lo: int, hi: int
) -> list[tuple[int, int, ParsedVariant]]:
    found = []
    pos = lo
    # a window end is not the text end: look-aheads there would see a false end of text
    limit = len(text) if hi == len(text) else hi - 1
    while (m := search(text, pos, hi)) is not None:
        start = m.start()
        if (start and text[start - 1] in form.forbidden_before) or m.end() > limit:
            pos = start + 1
            continue
        pos = max(m.end(), start + 1)
        whole = False
        if form.name == "cnv_gene":
            left = _CNV_LEFT.search(text, max(0, start - 40), start)
            if left:
                start, whole = left.start(), bool(left["whole"])
            parsed = _b_cnv(m, whole)
        else:
            try:
                parsed = _BUILDERS[form.name](m)
            except (KeyError, ValueError):
                parsed = None
        if parsed is not None:
            s, e = _trim(text, start, m.end())
            if e > s:
                found.append((s, e, parsed))
    return found


def _scan(text: str, skip: frozenset[str] = frozenset()) -> list[tuple[int, int, str, ParsedVariant]]:
    """Longest non-overlapping matches over all forms, in text order, as (start, end, form, parsed)."""
    lowered = text.lower()
    candidates = []
    for priority, form in enumerate(_compiled()):
        if form.name in skip or (form.gate and not any(g in lowered for g in form.gate)):
            continue
        for start, end, parsed in _matches(form, text):
            candidates.append((start, end, priority, form.name, parsed))
    candidates.sort(key=lambda c: (c[0] - c[1], c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen = []
    for start, end, _, name, parsed in candidates:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append((start, end, name, parsed))
    chosen.sort()
    return chosen


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------
def parse_variant(mention: str) -> ParsedVariant | None:
    """Parse one whole mention (surrounding space/parentheses ignored); None when it is no variant form."""
    start, end = _trim(mention, 0, len(mention))
    text = mention[start:end]
    if not text or len(text) > 200:
        return None
    for pattern, builder in _compiled_keys():
        m = pattern.fullmatch(text)
        if m:
            return builder(m)
    found = _scan(text)
    if len(found) == 1 and found[0][:2] == (0, len(text)):
        return found[0][3]
    return None


def normalize_variant(mention: str) -> str | None:
    """The canonical key of a written variant (``V92M`` → ``p.Val92Met``), or None if it is not one."""
    parsed = parse_variant(mention)
    return parsed.key if parsed else None


def find_variants(
    text: str, include_rsids: bool = True, include_copy_number: bool = True, include_descriptions: bool = True
) -> list[VariantMatch]:
    """All variant mentions in ``text``: longest non-overlapping matches, in text order.

    ``include_descriptions=False`` keeps only patterned mentions (the tmVar annotation guideline).
    """
    skip: set[str] = set()
    if not include_rsids:
        skip.add("rsid")
    if not include_copy_number:
        skip |= {"cnv_of", "cnv_gene"}
    if not include_descriptions:
        skip |= DESCRIPTION_FORMS
    chosen = _scan(text, frozenset(skip))
    kept = [
        _to_match(text, start, end, parsed)
        for i, (start, end, name, parsed) in enumerate(chosen)
        if not _restated(text, name, end, chosen[i + 1][0] if i + 1 < len(chosen) else None)
    ]
    return _pair_dna_protein(text, kept)


_RESTATEMENT_GAP = re.compile(r"\s?[(\[,]?\s?")


def _restated(text: str, form: str, end: int, next_start: int | None) -> bool:
    """A description in words immediately restated in notation (``1-bp deletion (c.14_15insC)``).

    The notation is the mention the corpora annotate and the one a curator can use; keeping both would
    list the same variant twice.
    """
    if form not in DESCRIPTION_FORMS or next_start is None:
        return False
    return next_start - end <= 3 and bool(_RESTATEMENT_GAP.fullmatch(text, end, next_start))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace and an unbalanced parenthesis at either end (``(p.V92M)`` → ``p.V92M``)."""
    span = text[start:end]
    while span and (span[-1] in " \t\n,;" or (span[-1] == ")" and span.count("(") < span.count(")"))):
        span, end = span[:-1], end - 1
    while span and (span[0] in " \t\n" or (span[0] == "(" and span.count("(") > span.count(")"))):
        span, start = span[1:], start + 1
    return start, end


def _to_match(text: str, start: int, end: int, parsed: ParsedVariant) -> VariantMatch:
    key = parsed.key
    return VariantMatch(
        start=start,
        end=end,
        text=text[start:end],
        key=key,
        hgvs_c=key if parsed.level in ("c", "n", "r") else None,
        hgvs_p=key if parsed.level == "p" else None,
        hgvs_g=key if parsed.level in ("g", "m") else None,
        rsid=key if parsed.level == "rs" else None,
        variant_class=parsed.variant_class,
        is_copy_number=parsed.is_copy_number,
    )


_BETWEEN_PAIR = re.compile(r"\s*[(\[]\s*$")


def _pair_dna_protein(text: str, found: list[VariantMatch]) -> list[VariantMatch]:
    """``c.274G>A (p.Val92Met)``: give each of the two mentions the other's HGVS (and the protein's class)."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.hgvs_c and b.hgvs_p and b.start - a.end <= 3 and _BETWEEN_PAIR.match(text[a.end:b.start]):
            out[i] = replace(a, hgvs_p=b.hgvs_p, variant_class=_pair_class(a, b))
            out[i + 1] = replace(b, hgvs_c=a.hgvs_c)
    return out


def _pair_class(dna: VariantMatch, protein: VariantMatch) -> VariantClass:
    """The protein consequence is more specific, except for splice changes that a p. cannot show."""
    if dna.variant_class in (VariantClass.NULL, VariantClass.SPLICE):
        return dna.variant_class
    return protein.variant_class


# --------------------------------------------------------------------------------------------------
# spaCy component
# --------------------------------------------------------------------------------------------------
class VariantRecognizer:
    """Adds a ``MentionKind.VARIANT`` mention (concept_id = canonical key) for every variant found."""

    def __init__(self, include_rsids: bool, include_copy_number: bool, include_descriptions: bool) -> None:
        self.include_rsids = include_rsids
        self.include_copy_number = include_copy_number
        self.include_descriptions = include_descriptions

    def __call__(self, doc: Doc) -> Doc:
        for v in find_variants(
            doc.text, self.include_rsids, self.include_copy_number, self.include_descriptions
        ):
            add_mention(
                doc, MentionKind.VARIANT, v.start, v.end, concept_id=v.key, label=v.key,
                source="genelit_variants", hgvs_c=v.hgvs_c, hgvs_p=v.hgvs_p, hgvs_g=v.hgvs_g, rsid=v.rsid,
                variant_class=v.variant_class.value, is_copy_number=v.is_copy_number,
            )
        return doc


@Language.factory(
    "genelit_variants",
    default_config={"include_rsids": True, "include_copy_number": True, "include_descriptions": True},
)
def make_variant_recognizer(
    nlp: Language, name: str, include_rsids: bool, include_copy_number: bool, include_descriptions: bool
) -> VariantRecognizer:
    return VariantRecognizer(include_rsids, include_copy_number, include_descriptions)
