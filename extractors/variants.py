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
* intron-relative legacy positions keep their own key: ``IVS4+1G>A`` (no transcript to convert them); an
  offset after a named intron is one too (``intron 2, -352G-->A`` → ``IVS2-352G>A``).  A plain position
  with a ``+`` sign drops it (``+2740 A>G`` → ``c.2740A>G``).
* ``rs121913529``; deletions described in words: ``del(3 bp)``, ``ins(1 bp)``; ``Δ32``.
* gene-level copy number: ``del(exons 4-5)``, ``del(exon 2)``, ``del(whole gene)``, ``dup(exon 2)``.
* alleles and genotypes (``ParsedVariant.is_allele``): ``c.-511CC`` (``-511CC``), ``c.7488T`` (``7488 T
  allele``), ``p.326Ile`` (``326Ile allele``), ``p.192ArgArg`` (``192RR homozygotes``), ``Ile/Val``
  (``Ile/Val genotype``), ``CCTTT[14]`` (``(CCTTT)14``), ``c.1359GG`` (``G1359G``), ``IVS9+459GA+GG``
  (``IVS9+459 GA+GG genotype``), ``c.-3279AC+AA``, ``p.175MetMet`` (``Met/Met at residue 175``).  A bare
  position and letter count only next to a cue word (allele, genotype, homozyg…, carrier, variant).
  Homozygous genotype classes (``Arg/Arg``, ``G/G``) and heterozygotes listed beside them are no mentions.
* other text keys: ``c.2193ATCT[5-13]``, ``codon329:TAC>AA`` (also ``codon 787 CAG/CAA``, ``CAC(3543)TAC``),
  ``delTGAG`` / ``insC`` (indel in words without a position; also ``AGCTCCTCCTTCTC/-``), ``p.Asn62`` (a
  residue named without a change), ``Δ695_725`` (also ``del-(439-443)``), ``p.Met157_Pro162del``
  (``157delMTTTVP``: residues after a codon number), ``Glu>Gly`` (``glutamate by glycine``: residues named in words near a word of change).
  ``192Q/R`` is the change ``p.Gln192Arg``; ``-924 A/G`` is ``c.-924A>G``.

Corpus guidelines (see ``find_variants``): the defaults — used by the pipeline — follow BioRED (changes in
words and alleles are mentions); the tmVar guideline is ``include_descriptions=False, include_alleles=False``.

:func:`find_variants` runs ~45 precompiled patterns (the same grammar :func:`normalize_variant` uses)
inside small windows of the text (see ``_ANCHORS``), keeps the longest non-overlapping matches and attaches
the ``VariantClass`` used by ClinGen scoring.  Spans follow the tmVar/BioRED guidelines: ``p.`` and ``c.``
are inside the span, a surrounding parenthesis is not, and ``c.274G>A (p.Val92Met)`` is two mentions
(each then carries the other's HGVS in ``hgvs_p``/``hgvs_c``).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from genelit.extractors.base import add_mention, doc_text
from genelit.models.evidence import VariantClass
from genelit.models.mentions import MentionKind
from spacy.language import Language
from spacy.tokens import Doc

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
_AA_ASIDE = r"(?:\s\([A-Za-z]{3}\)|\sresidue)?"  # "glycine (Gly)", "arginine (CGA)", "proline residue"; not "(R47W)"
_ARROW_OR_FOR = r"(?:\s?(?:-+>|→)\s?|\s?-?to-?\s?|\s(?:by|with)\s|(?P<for_>\sfor\s))"  # "substitution of X by/with Y"
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
    is_allele: bool = False  # one allele or genotype at a position (``-511CC``, ``326Ile allele``), not a change


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
    is_allele: bool = False


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


_ARROW = re.compile(r"^(?:-+>|→|>)\s*")  # "Ile(146)-->Leu": the arrow is no part of the change


def _protein_tail(tail: str) -> str:
    """Canonical text after the position: ``Met``, ``Ter``, ``fs``, ``ProfsTer23``, ``del``, ``insGlnSer``."""
    tail = _ARROW.sub("", tail)
    for op in ("delins", "del", "dup", "ins"):
        if tail.startswith(op):
            rest = tail[len(op):]
            return op + "".join(_aa3(a) for a in re.findall(rf"{_AA3}|{_AA1_ANY}", rest))
    if tail.lower() in AA_NAMES:
        return _aa3(tail)
    if tail.capitalize() in AA3_TO_1:  # "Arg753GLn": a residue typed in the wrong case
        return tail.capitalize()
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


def _b_protein_at_words(m: re.Match[str]) -> ParsedVariant | None:
    if m["pos_b"]:
        return _protein(m["ref_b"], m["pos_b"], m["alt_b"])
    return _protein(m["ref"], m["pos"], m["alt"])


_CHANGE_CUE = re.compile(r"[Ss]ubstitut|[Rr]eplac|[Cc]hang")
_CHANGE_CUE_BACK, _CHANGE_CUE_AHEAD = 40, 30


def _b_aa_names_change(m: re.Match[str]) -> ParsedVariant | None:
    """``glutamate by glycine`` → ``Glu>Gly``; ``arginine (CGA) by a stop (TGA) at amino-acid 469`` → ``p.Arg469Ter``.

    Only taken near a word of change ("substitution of", "replaced", "a ... to ... change"): "conversion of
    glutamate to glutamine" is chemistry.
    """
    if not _CHANGE_CUE.search(m.string, max(0, m.start() - _CHANGE_CUE_BACK), m.end() + _CHANGE_CUE_AHEAD):
        return None
    ref, alt = (m["ref"], m["alt"]) if not m["for_"] else (m["alt"], m["ref"])
    ref3, alt3 = _aa3(ref), ("Ter" if alt.lower().startswith("stop") else _aa3(alt))
    if ref3 == alt3 or ref3 == "Ter":
        return None
    if m["pos"]:
        return _protein(ref3, m["pos"], alt3)
    return ParsedVariant(f"{ref3}>{alt3}", "text", VariantClass.OTHER)


def _b_protein_words_at(m: re.Match[str]) -> ParsedVariant | None:
    ref, alt = (m["ref"], m["alt"]) if not m["for_"] else (m["alt"], m["ref"])
    return _protein(ref, m["pos"], alt)


def _dna(prefix: str, pos: str, change: str) -> ParsedVariant:
    pos = _nospace(pos).removeprefix("+")  # "+2740 A>G": a plain position written with a sign, c.2740A>G
    pos = _legacy_range(pos, change)
    change = _dna_change(change, pos)
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


def _dna_change(change: str, pos: str = "") -> str:
    c = _nospace(change)
    m = re.fullmatch(r"\(?([ACGTUacgtu])(?:-+>|>|→|/|to|-)([ACGTUacgtu])\)?", c)
    if m:
        return f"{m[1].upper()}>{m[2].upper()}"
    m = re.fullmatch(r"\(-([ACGT]+)\)", c)  # "-611 (-T)": the allele that lacks the T
    if m:
        return f"del{m[1]}"
    m = re.fullmatch(r"([ACGT]{2})>([ACGT]{2})", c)  # a dinucleotide substitution: "TG>AT"
    if m:
        return f"delins{m[2]}"
    m = re.fullmatch(r"(delins|del|dup|inv)(\d+)(?i:bp)?", c)
    if m and "_" in pos:  # "1308_1316 dup9": the range already says how many (HGVS: c.1308_1316dup)
        return m[1]
    m = re.fullmatch(r"(delins|del|dup|ins|inv)(.*)", c)
    if m:
        rest = re.sub(r"(?i)bp$", "", m[2])
        return m[1] + (rest.upper() if re.fullmatch(r"[ACGTUacgtu]+", rest) else rest)
    return c


def _b_dna(m: re.Match[str]) -> ParsedVariant | None:
    return _dna(m.groupdict().get("prefix") or "c", m["pos"], m["change"])


_INTRON_NUMBER_BEFORE = re.compile(r"IVS\s$")


def _b_legacy_dna(m: re.Match[str]) -> ParsedVariant | None:
    """A change written without a prefix; in ``IVS 9 del[-7:-4]`` the number is the intron's, not a position."""
    if _INTRON_NUMBER_BEFORE.search(m.string, max(0, m.start() - 4), m.start()):
        return None
    return _b_dna(m)


def _b_dna_refpos(m: re.Match[str]) -> ParsedVariant | None:
    """``G274A`` / ``G-395A`` / ``c2403T --> C``: reference base before the position.

    The same base on both sides (``G1359G``, ``A1359A``) names a genotype, not a change.
    """
    if m["ref"] == m["alt"]:
        return ParsedVariant(f"c.{m['pos']}{m['ref']}{m['alt']}", "text", VariantClass.OTHER, is_allele=True)
    if _names_cell_line(m):
        return None
    return _dna("c", m["pos"], f"{m['ref']}>{m['alt']}")


# Widely used human cell lines whose names have the shape of a change (Cellosaurus: T98G glioblastoma,
# T47D breast carcinoma, C33A cervical carcinoma, H295R adrenocortical carcinoma).  Named as cell lines
# only when "cell" is written nearby, so a real T47D substitution elsewhere is still found.
_CELL_LINES = frozenset({"T98G", "T47D", "C33A", "H295R"})
_CELL_CONTEXT = 40


def _names_cell_line(m: re.Match[str]) -> bool:
    if m.group(0) not in _CELL_LINES:
        return False
    text = m.string
    return "cell" in text[max(0, m.start() - _CELL_CONTEXT):m.end() + _CELL_CONTEXT].lower()


def _b_protein1(m: re.Match[str]) -> ParsedVariant | None:
    """One-letter protein change; a single-digit position needs ``p.`` (T1D, E2F, M6P are not variants)."""
    if (len(m["pos"]) < 2 and not m.group(0).startswith("p")) or _names_cell_line(m):
        return None
    return _b_protein(m)


def _b_ivs_genotype(m: re.Match[str]) -> ParsedVariant | None:
    return ParsedVariant(f"IVS{m['intron']}{m['sign']}{m['off']}{m['allele']}", "ivs", VariantClass.OTHER, is_allele=True)


def _b_indel_alleles(m: re.Match[str]) -> ParsedVariant | None:
    return _dna("c", m["pos"], m["op"][:3] + m["bases"])


def _b_signed_allele(m: re.Match[str]) -> ParsedVariant | None:
    return ParsedVariant(f"c.{m['pos']}{m['allele'].upper()}", "text", VariantClass.OTHER, is_allele=True)


def _b_allele(m: re.Match[str]) -> ParsedVariant | None:
    """A position and the allele(s) carried there: ``7488CC``, ``111G``, ``326Ile``, ``192RR``.

    Nucleotide letters give ``c.7488CC`` (as a signed promoter allele does); amino acids give
    ``p.326Ile`` / ``p.192ArgArg``: the corpus has no reference residue to write a full HGVS change.
    """
    allele = m["allele"]
    if re.fullmatch("[ACGT]{1,2}", allele):
        return ParsedVariant(f"c.{m['pos']}{allele}", "text", VariantClass.OTHER, is_allele=True)
    residues = [allele] if len(allele) == 3 else list(allele)
    return ParsedVariant(f"p.{m['pos']}" + "".join(_aa3(r) for r in residues), "p", VariantClass.OTHER, is_allele=True)


def _b_allele_at(m: re.Match[str]) -> ParsedVariant | None:
    """``T allele at -511`` (a nucleotide allele) / ``(W) allele at codon 620`` (an amino-acid allele)."""
    if m["codon"] or m["allele"] not in "ACGT":
        return ParsedVariant(f"p.{m['pos'].lstrip('+')}{_aa3(m['allele'])}", "p", VariantClass.OTHER, is_allele=True)
    return ParsedVariant(f"c.{m['pos']}{m['allele']}", "text", VariantClass.OTHER, is_allele=True)


def _b_protein_pos_indel(m: re.Match[str]) -> ParsedVariant | None:
    """``157delMTTTVP`` → ``p.Met157_Pro162del`` and ``46delS`` → ``p.Ser46del`` (HGVS: the deleted or
    duplicated residues are those from the position on); an insertion names no flanking residues, so
    ``46insS`` stays ``p.46insSer``."""
    residues = [_aa3(a) for a in m["residues"]]
    cls = VariantClass.INFRAME if m["op"] in ("del", "ins", "dup") else VariantClass.OTHER
    pos = m["pos"]
    if m["op"] in ("del", "dup") and pos.isdigit():
        last = f"_{residues[-1]}{int(pos) + len(residues) - 1}" if len(residues) > 1 else ""
        return ParsedVariant(f"p.{residues[0]}{pos}{last}{m['op']}", "p", cls)
    return ParsedVariant(f"p.{pos}{m['op']}{''.join(residues)}", "p", cls)


def _b_protein_pos_arrow(m: re.Match[str]) -> ParsedVariant | None:
    """``273ser----phe`` → ``p.Ser273Phe`` (residues may be written in lower case)."""
    return _protein(m["ref"], m["pos"], _aa3(m["alt"]))


def _b_protein_alleles(m: re.Match[str]) -> ParsedVariant | None:
    """``192Q/R``, ``55M/L``: the two residues of a coding polymorphism, reference first (= ``Q192R``).

    Two nucleotide letters (``924A/G``) are a nucleotide change, read by the legacy DNA form instead.
    """
    if m["ref"] in "ACGT" and m["alt"] in "ACGT":
        return None
    return _protein(m["ref"], m["pos"], m["alt"])


def _b_genotype(m: re.Match[str]) -> ParsedVariant | None:
    """``Ile/Val genotype`` → ``Ile/Val``; placed (``Met/Met at residue 175``) it is keyed like ``175MetMet``.

    A homozygote, and a heterozygote listed beside one, is a genotype class of an association study, which
    neither corpus annotates (the polymorphism is named elsewhere).
    """
    if m["pos"]:
        return ParsedVariant(f"p.{m['pos']}{_aa3(m['a'])}{_aa3(m['b'])}", "p", VariantClass.OTHER, is_allele=True)
    if m["a"] == m["b"] or _homozygote_near(m, (m["a"], m["b"])):  # "Gln/Gln versus Gln/Arg or Arg/Arg"
        return None
    return ParsedVariant(f"{_aa3(m['a'])}/{_aa3(m['b'])}", "text", VariantClass.OTHER, is_allele=True)


def _b_protein_residue(m: re.Match[str]) -> ParsedVariant | None:
    """``p.Asn62`` (a residue, e.g. of a synonymous change); ``the p.T11 allele`` is an allele.

    ``p.R469[R,X]`` names the two residues found at the site (one allele each): the change is the one
    that differs from the reference, ``p.Arg469Ter``.
    """
    if m["al1"]:
        changed = [a for a in (m["al1"], m["al2"]) if _aa3(a) != _aa3(m["ref"])]
        return _protein(m["ref"], m["pos"], changed[0] if changed else "=")
    end = f"_{_aa3(m['end_ref'])}{m['end_pos']}" if m["end_ref"] else ""
    allele = _ALLELE_CUE_AFTER.match(m.string, m.end()) is not None
    return ParsedVariant(f"p.{_aa3(m['ref'])}{m['pos']}{end}", "p", VariantClass.OTHER, is_allele=allele)


_BASE_NAMES = {"adenine": "A", "cytosine": "C", "guanine": "G", "thymine": "T", "thymidine": "T"}
_BASE_NAME = "(?i:" + "|".join(_BASE_NAMES) + ")"
# "... substitution at nucleotide 1517", "... at nucleotide +1 of intron 2", "... at 1245 position"
_NT_WORDS_PLACE = (
    r"(?:\s(?:substitution|transition|transversion|change|mutation))?(?:\s(?:was\s)?(?:identified\s)?)?\s?(?:at|in)\s(?:the\s)?"
    r"(?:(?:nucleotide|position|cDNA\sbase|base)(?:\sposition)?\s(?:c\.)?(?P<pos>[-+]?\d+)(?:\sof\sintron\s(?P<intron>\d+))?"
    r"|(?P<pos2>[-+]?\d+)\sposition)"
)
_OPS = {"deletion": "del", "insertion": "ins", "duplication": "dup"}


# "20 bp insertion/deletion polymorphism", "guanine insertion/deletion", "CGGGG insertion-deletion": the name
# of an indel polymorphism's kind; neither corpus annotates the insertion half on its own.
_INDEL_PAIR_AFTER = re.compile(r"[/-](?:deletion|insertion)")


def _b_nt_indel_words(m: re.Match[str]) -> ParsedVariant | None:
    """``adenine 474 deletion`` → ``c.474delA``; ``TGAG deletion`` → ``delTGAG`` (no position given)."""
    if _INDEL_PAIR_AFTER.match(m.string, m.end()):
        return None
    op = _OPS[m["op"] or m["op_b"] or m["op_d"]]
    bases = m["base"] or m["bases_b"] or m["base_c"] or m["base_d"]
    bases = _BASE_NAMES.get(bases, bases)
    pos = m["pos"] or m["pos_c"] or (m["pos_d"] and re.sub(r"\s(?:and|_)\s", "_", m["pos_d"]))
    if pos:
        return _dna("c", pos, op + bases)
    return ParsedVariant(f"{op}{bases}", "text", VariantClass.OTHER)


def _b_repeat(m: re.Match[str]) -> ParsedVariant | None:
    """Short tandem repeat alleles: ``(CCTTT)14`` → ``CCTTT[14]``, ``2193(ATCT)(5-13)`` → ``c.2193ATCT[5-13]``."""
    if m["pos"]:
        return ParsedVariant(f"c.{m['pos']}{m['unit']}[{m['n']}]", "text", VariantClass.OTHER)
    return ParsedVariant(f"{m['unit']}[{m['n']}]", "text", VariantClass.OTHER, is_allele=True)


def _b_bare_indel(m: re.Match[str]) -> ParsedVariant | None:
    what = _nospace(m["what"]).upper().replace("BP", "bp")
    return ParsedVariant(f"{m['op']}{what}", "text", VariantClass.OTHER)


def _b_codon_change(m: re.Match[str]) -> ParsedVariant | None:
    """``GGC-->AGC`` / ``(TAC-->AA) at codon 329``: the codon number, when given, is part of the key."""
    if m["codon"]:
        return ParsedVariant(f"codon{m['codon']}:{m['ref_b']}>{m['alt_b']}", "text", VariantClass.OTHER)
    return _b_unpositioned(m)


def _b_codon_pos(m: re.Match[str]) -> ParsedVariant | None:
    """``CAC(3543)TAC`` → ``codon3543:CAC>TAC`` (the number between the codons is the codon's)."""
    if m["ref"] == m["alt"]:
        return None
    return ParsedVariant(f"codon{m['codon']}:{m['ref']}>{m['alt']}", "text", VariantClass.OTHER)


def _b_indel_dash(m: re.Match[str]) -> ParsedVariant | None:
    """``AGCTCCTCCTTCTC/-`` → ``delAGCTCCTCCTTCTC``; ``-/TTCA`` → ``insTTCA`` (reference allele first)."""
    if m["deleted"]:
        return ParsedVariant(f"del{m['deleted']}", "text", VariantClass.OTHER)
    return ParsedVariant(f"ins{m['inserted']}", "text", VariantClass.OTHER)


def _b_codon_alleles(m: re.Match[str]) -> ParsedVariant | None:
    """``codon 787 CAG/CAA`` → ``codon787:CAG>CAA``; ``CAG/CTG`` (a repeat and its reverse complement) is none."""
    ref, alt = m["ref"], m["alt"]
    if alt == ref[::-1].translate(_COMPLEMENT) or sum(a != b for a, b in zip(ref, alt)) != 1:
        return None
    if m["codon"]:
        return ParsedVariant(f"codon{m['codon']}:{ref}>{alt}", "text", VariantClass.OTHER)
    return ParsedVariant(f"{ref}>{alt}", "text", VariantClass.OTHER)


def _b_unpositioned(m: re.Match[str]) -> ParsedVariant | None:
    """A change without a position (``Glu-->Ala``, ``G>A``): keyed ``G>A``; the rsID or text nearby places it."""
    ref, alt = m["ref"], m["alt"]
    if ref == alt:  # G/G, AC/AC: a genotype, not a change
        return None
    if ref[0].isupper() and ref[1:].islower() and len(ref) == 3:
        return ParsedVariant(f"{_aa3(ref)}>{_aa3(alt)}", "text", VariantClass.OTHER)
    return ParsedVariant(f"{ref.upper()}>{alt.upper()}", "text", VariantClass.OTHER)


_COMPLEMENT = str.maketrans("ACGT", "TGCA")
_GENOTYPE_AFTER = re.compile(r"\s(?:genotypes?|heterozyg|homozyg|carriers?)")
_HOMOZYGOUS_NEAR = 60  # chars either side of "G/A" searched for "G/G" or "A/A"
# "lamin A/C": the two products of LMNA, named together (UniProt P02545 "Prelamin-A/C").
_PROTEIN_NAME_BEFORE = re.compile(r"[Ll]amins?\s$")


def _b_nt_change(m: re.Match[str]) -> ParsedVariant | None:
    """``G>A``, ``C/T``, ``C to T`` without a position; ``G/A`` among ``G/G`` and ``A/A`` is a genotype.

    In "G/G (82.4%), G/A (10.8%), A/A (6.8%)" or "G/A and A/A genotypes" the heterozygote is one genotype
    of a list, not the change itself (neither corpus annotates it).
    """
    if "/" in m.group(0) and len(m["ref"]) == len(m["alt"]) == 1:
        if _PROTEIN_NAME_BEFORE.search(m.string, max(0, m.start() - 8), m.start()):
            return None
        if _homozygote_near(m, (m["ref"], m["alt"])):
            return None
        if _GENOTYPE_AFTER.match(m.string, m.end()):  # "the G/C genotype": a heterozygote, i.e. alleles
            return replace(_b_unpositioned(m), is_allele=True)
    return _b_unpositioned(m)


def _homozygote_near(m: re.Match[str], units: tuple[str, str]) -> bool:
    """Whether ``G/G`` or ``A/A`` (``Arg/Arg``...) is written near the match: then it lists genotypes."""
    text = m.string
    lo, hi = max(0, m.start() - _HOMOZYGOUS_NEAR), m.end() + _HOMOZYGOUS_NEAR
    return any(
        re.search(rf"(?<![A-Za-z0-9/]){unit}/{unit}(?![A-Za-z0-9/])", text[lo:hi]) for unit in set(units)
    )


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
    if m["aa"] and m["end"]:
        return None
    end = f"_{m['end']}" if m["end"] else ""
    return ParsedVariant(f"Δ{m['pos']}{end}", "text", VariantClass.OTHER)


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
    """``A to G substitution at nucleotide 1517``; ``G>A substitution at nucleotide +1 of intron 2`` → IVS2+1G>A."""
    groups = m.groupdict()
    pos = m["pos"] or groups.get("pos2")
    ref, alt = (_BASE_NAMES.get(b.lower(), b) for b in (m["ref"], m["alt"]))
    if groups.get("intron") and pos[0] in "+-":
        cls = _dna_class(f"1{pos}", "G>A")
        return ParsedVariant(f"IVS{m['intron']}{pos}{ref}>{alt}", "ivs", cls)
    return _dna("c", pos, f"{ref}>{alt}")


# What follows a bare position + allele when it names an allele or genotype: "7488CC genotype", "326Ile allele",
# "232Thr/Thr", "302H variants" (without such a word "1858T" could be anything).
_ALLELE_CUE = (
    rf"/{_AA3}(?![a-z])|\s(?:risk\s|minor\s|major\s|variant\s|mutant\s|wild[\s-]type\s)?"
    r"(?:alleles?|genotypes?|homozyg|heterozyg|carriers?|variants?\b)"
)
_ALLELE_CUE_WORDS = r"\s(?:alleles?|genotypes?|homozyg|heterozyg|carriers?|polymorphism|variants?\b)"
_ALLELE_CUE_AFTER = re.compile(_ALLELE_CUE_WORDS)
_POS = r"(?:[-*]?\d+(?:\s?[+-]\s?(?:\d+|\?))?|\?)"
_DNA_CHANGE = (
    rf"(?:\(?{_NT}\s?(?:-+>|>|→|/)\s?{_NT}\)?(?![A-Za-z])"
    r"|delins[ACGTU]+|del\s?(?:[ACGTU]+(?![a-z])|\d+(?:\s?bp)?)?|dup\s?(?:[ACGTU]+|\d+(?:\s?bp)?)?"
    r"|ins\s?(?:[ACGTU]+(?![a-z])|\d+(?:\s?bp)?)|inv\d*)"
)

_PROTEIN3_BODY = (
    rf"(?P<ref>{_AA3})\s?\(?(?P<pos>\d+)\)?(?:[_-](?P<end_ref>{_AA3})(?P<end_pos>\d+))?\s?"
        rf"(?P<tail>(?:-+>|→)?\s?{_AA3_ANY}\s?fs\s?(?:{_AA3_STOP}\s?\d*)?|fs\s?(?:{_AA3_STOP}\s?\d*|\d+)?"
        rf"|delins(?:{_AA3})+|del(?!{_AA3})|dup|ins(?:{_AA3})+|(?:-+>|→)?\s?{_AA3_ANY}|(?i:{_AA3})|=|\?)\)?(?![A-Za-z0-9])"
)
_PROTEIN1_BODY = (
    rf"(?P<ref>{_AA1})(?P<pos>\d+)(?:_(?P<end_ref>{_AA1})(?P<end_pos>\d+))?"
        rf"(?P<tail>{_AA1_ANY}?fs(?:[X*]|Ter)?\d*[X*]?|[Ss]top|delins{_AA1}+|del|dup|ins{_AA1}+|{_AA1_ANY})\)?(?![A-Za-z0-9])"
)

FORMS: tuple[tuple[str, str, Builder], ...] = (
    ("rsid", rf"{_L}rs\s?(?P<n>\d{{3,}})(?!\d)", _b_rsid),
    ("rsid_cap", rf"{_L}Rs\s?(?P<n>\d{{3,}})(?!\d)", _b_rsid),  # sentence-initial "Rs702553"
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
        (rf"{_L}(?P<pos>[-+0-9]\d*+(?<=\d)(?:\s?[+-]\s?\d+)?(?:\s?[_-]\s?\d+)?),?\s?(?P<change>"
        rf"\(?{_NT}\s?(?:-+>|>|→|\sto\s)\s?{_NT}\)?(?![A-Za-z])|\(?[ACGT]/[ACGT]\)?(?![A-Za-z/])|[ACGT]{{2}}>[ACGT]{{2}}(?![A-Za-z])"
        r"|[ACGT]-[ACGT](?![A-Za-z0-9-])|\(-[ACGT]+\)"
        r"|(?:delins[ACGT]+|del\s?(?:[ACGT]+|\d+(?:\s?bp)?)?|dup\s?(?:[ACGT]+|\d+)?|ins\s?(?:[ACGT]+|\d+(?:\s?bp)?))(?![A-Za-z]))"),
        _b_legacy_dna,
    ),
    # 157delMTTTVP, 46delS: residues deleted/inserted after a codon number (a letter outside ACGT makes it protein)
    (
        "protein_pos_indel",
        rf"{_L}(?P<pos>\d+)(?P<op>del|ins|dup)(?P<residues>(?=[ACGT]*[DEFHIKLMNPQRSVWY]){_AA1}+)(?![A-Za-z0-9])",
        _b_protein_pos_indel,
    ),
    # 272gly----stop, 273ser----phe: codon number first, residues in lower case, an old-style arrow
    (
        "protein_pos_arrow",
        rf"{_L}(?P<pos>\d+)\s?(?i:(?P<ref>{_AA3}))\s?(?:-+>|--+|→)\s?(?i:(?P<alt>{_AA3}|stop|ter))(?![A-Za-z0-9])",
        _b_protein_pos_arrow,
    ),
    # G274A, G-395A, A 1166C (one-letter forms need a two-digit position: T2D, C4A are not variants)
    ("refpos_dna", rf"{_L1}(?P<ref>[ACGT])\s?(?P<pos>-?\d{{2,}})\s?(?:-+>\s?)?(?P<alt>[ACGT]){_R}", _b_dna_refpos),
    # -930G, -1021T, -511CC: promoter alleles and genotypes written with a signed position
    ("signed_allele", rf"{_L}(?P<pos>[-+]\d{{2,}})\s?(?P<allele>[ACGT]{{1,2}}(?:\+[ACGT]{{2}})*){_R}", _b_signed_allele),
    # IVS9+459 GG genotype, IVS9+459 GA+GG genotype
    (
        "ivs_genotype",
        rf"{_L}IVS\s?(?P<intron>\d+)(?P<sign>[+-])(?P<off>\d+)\s?(?P<allele>[ACGT]{{2}}(?:\+[ACGT]{{2}})*)(?={_ALLELE_CUE_WORDS})",
        _b_ivs_genotype,
    ),
    # -6054 deletion/ATT: an indel polymorphism named by its two alleles (absent / the bases)
    (
        "indel_alleles",
        rf"{_L}(?P<pos>[-+]?\d+),?\s(?P<op>deletion|insertion|del|ins)/(?P<bases>[ACGT]+)(?![A-Za-z0-9])",
        _b_indel_alleles,
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
        rf"{_L}(?P<pos>\d{{2,}})\s?(?P<allele>[ACGT]{{1,2}}|{_AA3}|[DEFHIKLMNPQRSVWY]{{1,2}})(?={_ALLELE_CUE})",
        _b_allele,
    ),
    # T allele at -511, C allele at position -31, (W) allele at codon 620
    (
        "allele_at",
        (rf"{_L}\(?(?P<allele>{_AA1})\)?\sallele\sat\s(?:the\s)?(?:(?P<codon>codon\s)|(?:position|nucleotide)\s)?"
        rf"(?P<pos>[-+]?\d+){_R}"),
        _b_allele_at,
    ),
    # 192Q/R, 55M/L: a coding polymorphism written position-first
    ("protein_alleles", rf"{_L}(?P<pos>\d{{2,}})(?P<ref>{_AA1})/(?P<alt>{_AA1}){_R}", _b_protein_alleles),
    # (CCTTT)14, 2193(ATCT)(5-13): short tandem repeat alleles
    (
        "repeat",
        rf"{_L}(?P<pos>\d+)?\((?P<unit>[ACGT]{{2,6}})\)\(?(?P<n>\d+(?:-\d+)?)\)?(?![A-Za-z0-9(])",
        _b_repeat,
    ),
    # Ile/Val genotype, Arg/Arg homozygotes: a residue genotype named as such
    # Ile/Val genotype; Met/Met at residue 175
    (
        "genotype",
        rf"{_L}(?P<a>{_AA3})/(?P<b>{_AA3})(?:(?={_ALLELE_CUE_WORDS})|\sat\s(?:residue|codon|position)\s(?P<pos>\d+){_R})",
        _b_genotype,
    ),
    ("del_before", rf"{_L}(?:del(?P<pos>\d+)(?P<base>[ACGT])|(?P<base2>[ACGT])del(?P<pos2>\d+)){_R}", None),
    # delTTCA, dup24bp
    ("bare_indel", rf"{_L}(?P<op>del|dup|ins)(?P<what>[ACGT]{{2,}}|\d+\s?bp){_R}", _b_bare_indel),
    # IVS4+1G>A, IVS8 -2A>G, IVS3-48C, IVSI-1 (G-->A), IVS10+1, g-->t
    (
        "ivs",
        (rf"{_L}IVS\s?-?(?P<intron>\d+|[IVX]+)\s?(?P<sign>[+-])\s?(?P<off>\d+),?\s?(?P<change>\(?{_NT}\s?(?:-+>|>|→|/)\s?{_NT}\)?"
        r"|del[ACGT]*|[ACGT](?![A-Za-z]))"),
        _b_ivs,
    ),
    # intron 2, -352G-->A; intron 3, +45C-->T: an offset into a named intron, i.e. IVS2-352G>A
    (
        "intron_offset",
        rf"{_L}intron\s(?P<intron>\d+),?\s(?P<sign>[+-])(?P<off>\d+)\s?(?P<change>\(?{_NT}\s?(?:-+>|>|→|/)\s?{_NT}\)?){_R}",
        _b_ivs,
    ),
    # AGCTCCTCCTTCTC/-, -/TTCA: an indel polymorphism named by its two alleles, "-" the missing one
    ("indel_dash", rf"{_LNT}(?:(?P<deleted>[ACGT]{{2,}})/-|-/(?P<inserted>[ACGT]{{2,}}))(?![A-Za-z0-9/-])", _b_indel_dash),
    # reference SNP no. 4359426: an rsID spelt out
    ("rsid_words", r"[Rr]eference\sSNP\s(?:no\.\s?|number\s|#\s?)?(?P<n>\d{3,})(?!\d)", _b_rsid),
    # CAC(3543)TAC: the two codons around the codon number
    ("codon_pos", rf"{_L}(?P<ref>[ACGT]{{3}})\((?P<codon>\d+)\)(?P<alt>[ACGT]{{3}}){_R}", _b_codon_pos),
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
    # p.Asn62, p.V657_G726: a residue or a range named in HGVS without a change (synonymous sites, spans)
    (
        "protein_residue",
        (rf"{_L}p\.\(?(?P<ref>{_AA3}|{_AA1})(?P<pos>\d+)(?:_(?P<end_ref>{_AA3}|{_AA1})(?P<end_pos>\d+))?\)?"
        rf"(?:\[(?P<al1>{_AA1_ANY}),(?P<al2>{_AA1_ANY})\])?(?![A-Za-z0-9_*=?\[])"),
        _b_protein_residue,
    ),
    ("protein_special", rf"{_L}p\.\s?\(?(?:(?P<zero>0)|(?P<ref>Met|M)(?P<pos>1)(?P<tail>\?))\)?", _b_protein_special),
    # Glu-->Ala, GAC-->TAT, codon 29, GGC-->AGC: changes written without a HGVS position
    ("aa_arrow", rf"{_L}(?P<ref>{_AA3})\s?-*>\s?(?P<alt>{_AA3_ANY}){_R}", _b_unpositioned),
    (
        "codon_change",
        (rf"{_L}(?:(?:codon\s(?:\(CD\))?\d+,?\s)?(?P<ref>[ACGT]{{3}})\s?-+>\s?(?P<alt>[ACGT]{{2,3}})"
        rf"|\((?P<ref_b>[ACGT]{{3}})\s?-+>\s?(?P<alt_b>[ACGT]{{2,3}})\)\sat\scodon\s(?P<codon>\d+)){_R}"),
        _b_codon_change,
    ),
    # codon 787 CAG/CAA, (GAC/GAT): the two codons of a coding polymorphism
    (
        "codon_alleles",
        rf"{_L}(?:codon\s(?P<codon>\d+),?\s)?(?P<ref>[ACGT]{{3}})/(?P<alt>[ACGT]{{3}})(?![A-Za-z0-9/]|\s(?:repeat|triplet))",
        _b_codon_alleles,
    ),
    # Glu 272 to stop; Cys 23-Ser 23: three-letter residues around a position, joined by a word or hyphen
    (
        "protein3_to",
        rf"{_L}(?P<ref>{_AA3})\s?(?P<pos>\d+)\sto\s(?P<alt>{_AA3_ANY})(?![A-Za-z0-9]|\s?\d)",
        _b_protein_words,
    ),
    ("protein3_hyphen", rf"{_L}(?P<ref>{_AA3})\s?(?P<pos>\d{{2,}})-(?P<alt>{_AA3})\s?(?P=pos)(?![A-Za-z0-9])", _b_protein_words),
    # G>A, C-->T, C/T, CC to TT: allele changes whose position the text gives elsewhere (often an rsID)
    (
        "nt_change",
        rf"{_LNT}(?P<ref>[ACGT]{{1,2}})(?:\s?(?:-+>|>|→)\s?|/|\sto\s)(?P<alt>[ACGT]{{1,2}})(?![A-Za-z0-9_/>-])",
        _b_nt_change,
    ),
    # leucine 269 to phenylalanine, arginine 124-to-cysteine, glycine-594-valine, Glu 272 to stop
    (
        "protein_words",
        rf"{_L}(?i:(?P<ref>{_AA_WORD})[\s-]?(?P<pos>\d+)\s?(?:-+>|→|-to-|\s?to\s|\sby\s|-|\s)\s?(?P<alt>{_AA_WORD}|stop)){_R}",
        _b_protein_words,
    ),
    # Lys to Asn at position 198, methionine to threonine substitution at codon 235, alanine for proline at ...
    (
        "protein_words_at",
        (rf"{_L}(?i:(?P<ref>{_AA_WORD}){_AA_ASIDE}{_ARROW_OR_FOR}(?:an?\s|the\s)?(?P<alt>{_AA_WORD}){_AA_ASIDE}"
        r"(?:\s(?:substitution|mutation|change|replacement))?\s(?:at|in)\s(?:the\s)?"
        r"(?:codon|position|residue|amino\sacid(?:\sposition)?)\s(?P<pos>\d+))"),
        _b_protein_words_at,
    ),
    # arginine at amino acid position 229 by glycine; codon 358, tyrosine to histidine
    (
        "protein_at_words",
        (rf"{_L}(?i:(?P<ref>{_AA_WORD})(?:\sresidue)?\sat\s(?:the\s)?(?:amino\sacid\s)?(?:codon|position|residue)\s"
        rf"(?P<pos>\d+)\s(?:by|with|to|into)\s(?:an?\s)?(?P<alt>{_AA_WORD})"
        rf"|codon\s(?P<pos_b>\d+),\s(?P<ref_b>{_AA_WORD})\sto\s(?P<alt_b>{_AA_WORD})){_R}"),
        _b_protein_at_words,
    ),
    # (substitution of) glutamate by glycine, a threonine to alanine (substitution): named near a change word
    (
        "aa_names_change",
        (rf"{_L}(?i:(?P<ref>{_AA_NAME}){_AA_ASIDE}(?:\s(?:to|by|with|into)\s|(?P<for_>\sfor\s))(?:an?\s|the\s)?"
        rf"(?P<alt>stop\scodon|{_AA_NAME}){_AA_ASIDE}(?:\sat\samino[\s-]acid\s(?P<pos>\d+))?){_R}"),
        _b_aa_names_change,
    ),
    # ΔF508, delta32, CCR5delta32, Delta695-725, Δ32 deletion; "DD32": Δ as PubTator/BioRED text renders it
    (
        "delta",
        rf"{_L}(?:[Dd]elta\s?|Δ\s?|DD(?=\d))(?P<aa>{_AA1}(?=\d))?(?P<pos>\d+)(?:-(?P<end>\d+))?(?:\sdeletion)?{_R}",
        _b_delta,
    ),
    # A to G substitution at nucleotide 1517, C-->T transition at nucleotide 677, G to A at nucleotide position 1359
    (
        "nt_words",
        rf"{_L}\(?(?P<ref>[ACGT])\)?(?:\s?(?:-+>|>|→)\s?|\s?-?to-?\s?)\(?(?P<alt>[ACGT])\)?{_NT_WORDS_PLACE}",
        _b_nt_words,
    ),
    # cytosine to guanine transversion at nucleotide 1451, thymidine to cytosine mutation at position 28
    ("nt_words_named", rf"{_L}(?P<ref>{_BASE_NAME})\sto\s(?P<alt>[ACGT]|{_BASE_NAME}){_NT_WORDS_PLACE}", _b_nt_words),
    # C to T at 33468: a base change placed by a bare number
    (
        "nt_to_at",
        rf"{_L}(?P<ref>[ACGT])\sto\s(?P<alt>[ACGT])\sat\s(?P<pos>[-+]?\d+)(?![\d.,%]|\s?(?:bp|kb|%))",
        _b_nt_words,
    ),
    # cytosine insertion, adenine 474 deletion, TGAG deletion, deletion (TGAG), deletion of C at nucleotide 888,
    # T deletion at 5063
    (
        "nt_indel_words",
        (rf"{_L}(?:(?P<base>adenine|cytosine|guanine|thymine|thymidine|[ACGT]{{2,}})(?:\s(?P<pos>\d+))?\s(?P<op>deletion|insertion|duplication)"
        rf"|(?P<op_b>deletion|insertion|duplication)\s(?:\((?P<bases_b>[ACGT]{{2,}})\)|of\s(?:an?\s)?(?P<base_c>[ACGT])\sat\snucleotide\s(?P<pos_c>\d+))"
        rf"|(?:nucleotide\s)?(?P<base_d>[ACGT])\s(?P<op_d>deletion|insertion|duplication)\sat\s(?:position\s|nucleotide\s)?"
        rf"(?P<pos_d>\d+(?:\s(?:and|_)\s\d+)?)){_R}"),
        _b_nt_indel_words,
    ),
    # 1-bp deletion, 32-bp deletion, nine nucleotide insertion, 15 kb deletion, deletion of 3 bp
    (
        "size_indel",
        (rf"{_L}(?i:(?:-?(?P<n>{_NUMWORD}(?:\.\d+)?)[\s-]?(?P<unit>bp|base[\s-]?pairs?|basepairs?|nucleotides?|nt|kb|mb)"
        r"(?:\s(?:genomic|nucleotide))?(?:\s\((?-i:[A-Z])[^()/>]{1,19}\))?[\s-](?P<op>deletion|insertion|duplication)"
        r"(?:\s(?:encompassing|spanning)\s(?:bases|nucleotides)\s(?P<first>\d+)-(?P<last>\d+)"
        r"|\sstarting\sat\s(?:position|nucleotide)\s(?P<from_>\d+))?"
        rf"|(?P<op_b>deletion|insertion|duplication)\sof\s(?P<n_b>{_NUMWORD})[\s-]?(?P<unit_b>bp|base[\s-]?pairs?|nucleotides?|kb)){_R})"),
        None,
    ),
    # deletion of exons 4 and 5, duplication of exon 2, deletion of the entire gene
    (
        "cnv_of",
        (r"(?P<op>[Dd]eletion|[Dd]uplication)\sof\s(?:the\s)?(?:(?P<whole>(?:whole|entire|complete)\s(?:\S+\s)?gene)"
        r"|exons?\s(?P<ex1>\d+)(?:\s?(?:and|to|through|-|–)\s?(?P<ex2>\d+))?)(?![A-Za-z0-9])"),
        _b_cnv,
    ),
    # (partial IGF-I) gene deletion involving exons 4 and 5; (whole-)gene deletion: the part in brackets is
    # found by looking back from "gene" (see _extend_cnv), which keeps the pattern anchored on a literal
    (
        "cnv_gene",
        (r"gene\s(?P<op>deletion|duplication)(?:\s(?:involving|of|spanning|encompassing|including)\s"
        r"exons?\s(?P<ex1>\d+)(?:\s?(?:and|to|through|-|–)\s?(?P<ex2>\d+))?)?"),
        _b_cnv,
    ),
)
# Forms that describe a change in words: a curator wants them, but the tmVar guideline (unlike BioRED's)
# does not annotate them.  One written with an arrow ("G-->C transversion at 1245 position", "Phe-->Ser at
# codon 15") is notation for both corpora; see _is_description.
DESCRIPTION_FORMS = frozenset(
    {"protein_words_at", "protein_at_words", "aa_names_change", "nt_words", "nt_words_named", "nt_to_at", "size_indel", "nt_indel_words",
     "nt_change"}
)
_NOTATION_ARROW = re.compile(r"-+>|>|→|/")  # "/" keeps "C/T" notation; "C to T" alone is words


def _b_size_indel(m: re.Match[str]) -> ParsedVariant | None:
    """``1-bp deletion`` / ``deletion of 6 bp`` → ``del(1 bp)`` / ``del(6 bp)``."""
    if _INDEL_PAIR_AFTER.match(m.string, m.end()):
        return None
    n = (m["n"] or m["n_b"]).lower()
    unit = {"k": "kb", "m": "Mb"}.get((m["unit"] or m["unit_b"])[0].lower(), "bp")
    if "." in n:  # "5.5 kb deletion": a size, not a count of bases
        op = {"deletion": "del", "insertion": "ins", "duplication": "dup"}[(m["op"] or m["op_b"]).lower()]
        return ParsedVariant(f"{op}({n} {unit})", "text", _size_class(op, 0, unit)) if unit != "bp" else None
    count = NUMBER_WORDS[n] if n in NUMBER_WORDS else int(n)
    op = {"deletion": "del", "insertion": "ins", "duplication": "dup"}[(m["op"] or m["op_b"]).lower()]
    placed = _placed_range(m, count) if op != "ins" and unit == "bp" else None
    if placed:
        return _dna("c", placed, op)
    return ParsedVariant(f"{op}({count} {unit})", "text", _size_class(op, count, unit))


def _placed_range(m: re.Match[str], count: int) -> str | None:
    """The bases a sized deletion or duplication covers, when the words place it: ``105-bp deletion
    encompassing bases 1078-1182`` → ``1078_1182``; ``nine-nucleotide deletion starting at position 1952`` →
    ``1952_1960``."""
    if m["first"]:
        return f"{m['first']}_{m['last']}" if int(m["last"]) > int(m["first"]) else None
    if m["from_"] and count > 0:
        first = int(m["from_"])
        return f"{first}_{first + count - 1}" if count > 1 else str(first)
    return None


def _b_del_before_any(m: re.Match[str]) -> ParsedVariant | None:
    return _dna("c", m["pos"] or m["pos2"], "del" + (m["base"] or m["base2"] or ""))


_BUILDERS: dict[str, Builder] = {name: b for name, _, b in FORMS if b is not None} | {
    "size_indel": _b_size_indel,
    "del_before": _b_del_before_any,
}

# Canonical keys that are not themselves a written form: parsed back so normalization is idempotent.
KEY_FORMS: tuple[tuple[str, str, Builder], ...] = (
    ("key_size", r"(?P<op>del|ins|dup)\((?P<n>\d+|\d+\.\d+(?= [kM]b)) (?P<unit>bp|kb|Mb)\)", lambda m: ParsedVariant(
        m.group(0), "text", _size_class(m["op"], int(float(m["n"])), m["unit"]))),
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
    ("key_protein_allele", rf"p\.\d+(?:{_AA3}){{1,2}}", lambda m: ParsedVariant(
        m.group(0), "p", VariantClass.OTHER, is_allele=True)),
    ("key_protein_indel", rf"p\.\d+(?P<op>del|ins|dup)(?:{_AA3})+", lambda m: ParsedVariant(
        m.group(0), "p", VariantClass.INFRAME)),
    ("key_genotype", rf"{_AA3}/{_AA3}", lambda m: ParsedVariant(m.group(0), "text", VariantClass.OTHER, is_allele=True)),
    ("key_residue", rf"p\.{_AA3}\d+(?:_{_AA3}\d+)?", lambda m: ParsedVariant(m.group(0), "p", VariantClass.OTHER)),
    ("key_delta", r"Δ\d+(?:_\d+)?", lambda m: ParsedVariant(m.group(0), "text", VariantClass.OTHER)),
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
    "codon_change": ("->",),
    "codon_alleles": ("/",),
    "protein_pos_arrow": ("--", "->", "→"),
    "aa_arrow": (">",),
    "delta": ("delta", "δ", "dd"),
    "allele_cue": ("allele", "genotype", "homozyg", "heterozyg", "carrier", "variant", "/"),
    "ivs": ("ivs",),
    "ivs_genotype": ("ivs",),
    "intron_offset": ("intron ",),
    "rsid_words": ("reference snp",),
    "indel_dash": ("/-", "-/"),
}
_CNV_LEFT = re.compile(r"(?:(?P<whole>whole|complete|entire)|partial)[\s-](?:[\w-]+\s)?$", re.IGNORECASE)


# Where each form is searched.  Scanning a whole abstract with ~30 patterns costs ~1 ms, so every form runs
# only inside windows (chars before, chars after) around an anchor that each of its matches contains:
#  * HOT: the shared "notation" windows — a digit touching a letter or symbol (G274A, c.274, rs123, -511CC,
#    (CCTTT)14, Cys 23 Ser) or one of > / → Δ.  Plain prose numbers ("in 1998", "P = 0.05") are no anchor.
#    They are computed once per text, and most abstracts have only a few.
#  * a tuple of words, found with str.find in the lower-cased text (fast; regex alternations of words are not);
#  * a regex, for the few forms anchored on a specific symbol pattern.
HOT = "hot"
FULL = "full"  # patterns that start with a literal ("rs", "p."): the regex engine skips ahead fast on its own
_HOT_ANCHOR = re.compile(  # one leading ASCII character class + look-arounds: 4x faster than a plain alternation
    r"[0-9>/](?:(?<=[>/])|(?<=[A-Za-z)(>+*_][0-9])|(?<=rs\s[0-9])"
    rf"|(?=[A-Za-z>/(_+*]|\s(?:[A-Z](?![a-z])|{_AA3}|del|ins|dup)))"
)
_HOT_SYMBOLS = ("→", "Δ")  # rare non-ASCII anchors, found with str.find
_HOT_BACK, _HOT_AHEAD = 25, 30  # a notation match starts < 25 chars before its first anchor and its look-ahead
# (e.g. " risk allele" after "1858T") ends < 30 chars after its last one
_DIGIT_NEXT = re.compile(r"[\s-]?\(?\d")
_NUMBER_NEXT = re.compile(r"\s(?:position\s|c\.)?[-+]?\d")
_ANCHORS: dict[str, tuple[str | tuple[str, ...], int, int, re.Pattern[str] | None]] = {
    "rsid": (FULL, 0, 0, None),
    "rsid_cap": (FULL, 0, 0, None),
    "protein_pos_indel": (("del", "dup", "ins"), 8, 20, None),
    "protein3_p": (FULL, 0, 0, None),
    "protein1_p": (FULL, 0, 0, None),
    "protein_special": (FULL, 0, 0, None),
    "protein_residue": (FULL, 0, 0, None),
    "repeat": (r"\([ACGT]{2,6}\)", 8, 12, None),
    "protein_alleles": (("/",), 8, 3, None),
    "genotype": (("/",), 4, 30, None),
    "del_before": (("del",), 6, 12, None),
    "bare_indel": (("del", "dup", "ins"), 0, 20, None),
    "nt_change": (r"[ACGT]\s?(?:-+>|>|→|/|\sto\s)", 4, 10, None),
    "protein3_to": ((" to ",), 12, 8, re.compile("(?:" + "|".join(k.lower() for k in AA3_TO_1) + r"|stop|x|\*)(?![a-z])")),
    "protein3_hyphen": (r"-[A-Z][a-z]{2} ?\d", 12, 12, None),
    "nt_to_at": ((" to ",), 2, 20, re.compile(r"[acgt]\sat\s")),
    # amino-acid names followed by a position ("leucine 269 to ..."); "stop codon" alone anchors nothing
    "protein_words": (tuple(AA_NAMES), 0, 70, _DIGIT_NEXT),
    "protein_words_at": (("codon", "position", "residue", "amino acid"), 110, 40, _NUMBER_NEXT),
    "nt_words": (("nucleotide", "position", "base"), 70, 40, None),
    "nt_words_named": (tuple(_BASE_NAMES), 0, 90, None),
    "protein_at_words": (("codon", "position", "residue", "amino acid"), 40, 40, _NUMBER_NEXT),
    "aa_names_change": (tuple(AA_NAMES), 0, 80, re.compile(r"(?:\s\([a-z]{3}\)|\sresidue)?\s(?:to|by|with|into|for)\s")),
    "codon_alleles": (("/",), 20, 4, None),
    "indel_alleles": (("del/", "ins/", "deletion/", "insertion/"), 12, 30, None),
    "size_indel": (("deletion", "insertion", "duplication"), 40, 40, None),
    "nt_indel_words": (("deletion", "insertion", "duplication"), 40, 40, None),
    "allele_at": (("allele at",), 6, 40, None),
    "intron_offset": (("intron ",), 0, 30, None),
    "codon_pos": (r"\(\d+\)[ACGT]{3}", 3, 2, None),  # starts with a literal: a fast whole-text scan
    "rsid_words": (("reference snp",), 0, 30, None),
    "cnv_of": (("deletion of", "duplication of"), 0, 80, None),
    "cnv_gene": (("gene deletion", "gene duplication"), 0, 80, None),
}


@dataclass(frozen=True)
class _Form:
    name: str
    pattern: re.Pattern[str]
    forbidden_before: frozenset[str]
    gate: tuple[str, ...]
    anchor: str | tuple[str, ...] | re.Pattern[str]
    window: tuple[int, int]
    anchor_next: re.Pattern[str] | None  # what must follow a word anchor for it to count


@lru_cache(maxsize=1)
def _compiled() -> tuple[_Form, ...]:
    forms = []
    for name, source, _ in FORMS:
        forbidden: frozenset[str] = frozenset()
        for boundary, chars in _BOUNDARIES.items():
            if source.startswith(boundary):
                source, forbidden = source[len(boundary):], chars
                break
        anchor, back, ahead, anchor_next = _ANCHORS.get(name, (HOT, _HOT_BACK, _HOT_AHEAD, None))
        if isinstance(anchor, str) and anchor not in (HOT, FULL):
            anchor = re.compile(anchor)
        forms.append(_Form(
            name, re.compile(source), forbidden, _GATES.get(name, ()), anchor, (back, ahead), anchor_next
        ))
    return tuple(forms)


@lru_cache(maxsize=1)
def _compiled_keys() -> tuple[tuple[re.Pattern[str], Builder], ...]:
    return tuple((re.compile(p), b) for _, p, b in KEY_FORMS)


def _merge(hits: list[tuple[int, int]], back: int, ahead: int, size: int) -> list[tuple[int, int]]:
    """Merged windows (start - back, end + ahead) around sorted anchor hits."""
    spans: list[tuple[int, int]] = []
    for a_start, a_end in hits:
        lo, hi = max(0, a_start - back), min(size, a_end + ahead)
        if spans and lo <= spans[-1][1]:
            if hi > spans[-1][1]:
                spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


def _word_hits(words: tuple[str, ...], lowered: str) -> list[tuple[int, int]]:
    """Every occurrence of the words, sorted; found once per scan and shared by the forms anchored on them."""
    hits = []
    for word in words:
        i = lowered.find(word)
        while i >= 0:
            hits.append((i, i + len(word)))
            i = lowered.find(word, i + 1)
    return sorted(hits)


def _windows(
    form: _Form, text: str, lowered: str, hot: list[tuple[int, int]], word_hits: dict[tuple[str, ...], list[tuple[int, int]]]
) -> list[tuple[int, int]]:
    """The stretches of text to search for one form (see ``_ANCHORS``); word hits are shared within a scan."""
    if form.anchor == HOT:
        return hot
    if form.anchor == FULL:
        return [(0, len(text))]
    back, ahead = form.window
    if isinstance(form.anchor, tuple):
        if form.anchor not in word_hits:
            word_hits[form.anchor] = _word_hits(form.anchor, lowered)
        hits = word_hits[form.anchor]
        if form.anchor_next is not None:
            after = form.anchor_next.match
            hits = [h for h in hits if after(lowered, h[1])]
        return _merge(hits, back, ahead, len(text))
    return _merge([a.span() for a in form.anchor.finditer(text)], back, ahead, len(text))


def _matches(form: _Form, text: str, windows: list[tuple[int, int]]) -> list[tuple[int, int, ParsedVariant]]:
    """Every match of one form in the windows that respects its left boundary, as (start, end, parsed).

    This loop runs ~200 times per abstract: it stays flat, with the per-match work in ``_parsed_match``.
    """
    found = []
    search = form.pattern.search
    size = len(text)
    for lo, hi in windows:
        # a window end is not the text end: look-aheads there would see a false end of text
        limit = size if hi == size else hi - 1
        m = search(text, lo, hi)
        while m is not None:
            start, end = m.span()
            if end > limit or (start and text[start - 1] in form.forbidden_before and not _glued_sign(form.name, text, start)):
                m = search(text, start + 1, hi)
                continue
            hit = _parsed_match(form, text, m)
            if hit is not None:
                found.append(hit)
            m = search(text, max(end, start + 1), hi)
    return found


def _parsed_match(form: _Form, text: str, m: re.Match[str]) -> tuple[int, int, ParsedVariant] | None:
    """The trimmed span and meaning of one accepted match, or None when its builder rejects it."""
    start = m.start()
    if form.name == "cnv_gene":
        left = _CNV_LEFT.search(text, max(0, start - 40), start)
        whole = False
        if left:
            start, whole = left.start(), bool(left["whole"])
        parsed = _b_cnv(m, whole)
    else:
        try:
            parsed = _BUILDERS[form.name](m)
        except (KeyError, ValueError):
            parsed = None
    if parsed is None:
        return None
    s, e = _trim(text, start, m.end())
    return (s, e, parsed) if e > s else None


_GLUED_SIGN_FORMS = frozenset({"signed_allele", "legacy_dna", "indel_alleles"})
_GENE_SYMBOL = re.compile(r"[(\[]?[A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*")
_STAR_ALLELE_PLUS = re.compile(r"\*\d+[a-z]?\+")


def _glued_sign(form: str, text: str, start: int) -> bool:
    """A mention glued to the word before it that is still a mention of its own.

    ``IL1B-511CC``, ``FOXP3-924 A/G``: a promoter position written straight after the gene symbol (the
    hyphen is the minus sign, BioRED spans start at it); ``CCR5delta32``: a deletion named after its gene;
    ``SLCO1B1*15+C1007G``: a change added to a star allele; ``and+2740 A>G``: a space lost after a prose word.
    """
    if form == "refpos_dna":
        return text[start - 1] == "+" and _STAR_ALLELE_PLUS.search(text, max(0, start - 6), start) is not None
    if form == "legacy_dna" and text[start] == "+":  # "and+2740 A>G": a space lost before the sign
        words = text[max(0, start - 16):start].split()
        return bool(words) and words[-1].isalpha() and words[-1].islower()
    if form == "delta" or (form in _GLUED_SIGN_FORMS and text[start] == "-"):
        words = text[max(0, start - 16):start].split()
        return bool(words) and not text[start - 1].isspace() and _GENE_SYMBOL.fullmatch(words[-1]) is not None
    return False


def _hot_hits(text: str) -> list[tuple[int, int]]:
    hits = [a.span() for a in _HOT_ANCHOR.finditer(text)]
    if not text.isascii():
        hits = sorted(hits + _word_hits(_HOT_SYMBOLS, text))
    return hits


def _scan(text: str, skip: frozenset[str] = frozenset()) -> list[tuple[int, int, str, ParsedVariant]]:
    """Longest non-overlapping matches over all forms, in text order, as (start, end, form, parsed)."""
    lowered = text.lower()
    hot = _merge(_hot_hits(text), _HOT_BACK, _HOT_AHEAD, len(text))
    word_hits: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    candidates = []
    for priority, form in enumerate(_compiled()):
        if form.name in skip or (form.gate and not any(g in lowered for g in form.gate)):
            continue
        windows = _windows(form, text, lowered, hot, word_hits)
        if not windows:
            continue
        for start, end, parsed in _matches(form, text, windows):
            candidates.append((start, end, priority, form.name, parsed))
    if len(candidates) > 1:
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
    text: str,
    include_rsids: bool = True,
    include_copy_number: bool = True,
    include_descriptions: bool = True,
    include_alleles: bool = True,
) -> list[VariantMatch]:
    """All variant mentions in ``text``: longest non-overlapping matches, in text order.

    The defaults (everything on) are what the pipeline uses and follow the BioRED guideline.  The tmVar
    guideline annotates neither changes described in words (``include_descriptions=False``) nor single
    alleles/genotypes (``include_alleles=False``).  Descriptions are matched even when left out, so that
    the allele change inside "A to G substitution in nucleotide 1517" is not reported on its own.
    """
    skip: set[str] = set()
    if not include_rsids:
        skip |= {"rsid", "rsid_cap"}
    if not include_copy_number:
        skip |= {"cnv_of", "cnv_gene"}
    chosen = _scan(text, frozenset(skip))
    kept = []
    for i, (start, end, name, parsed) in enumerate(chosen):
        if parsed.is_allele and not include_alleles:
            continue
        if _is_description(name, text, start, end):
            if not include_descriptions:
                continue
            following = chosen[i + 1] if i + 1 < len(chosen) else None
            how = _restated(text, parsed, end, following[0], following[3]) if following is not None else None
            if how == "apposed":
                continue
            if how == "bracketed":
                parsed = following[3]
        kept.append(_to_match(text, start, end, parsed))
    return _pair_dna_protein(text, kept)


def _is_description(form: str, text: str, start: int, end: int) -> bool:
    """A change told in words ("A to G substitution in nucleotide 1517"), not written with an arrow."""
    return form in DESCRIPTION_FORMS and _NOTATION_ARROW.search(text, start, end) is None


_BRACKETED_GAP = re.compile(r"\s?[(\[]\s?")
_APPOSED_GAP = re.compile(r",?\s")


def _restated(text: str, described: ParsedVariant, end: int, next_start: int, following: ParsedVariant) -> str | None:
    """How a size told in words is at once restated in notation: ``"bracketed"``, ``"apposed"`` or None.

    Bracketed (``1-bp insertion (c.14_15insC)``): both are mentions (BioRED annotates both) of one variant;
    the description takes the notation's key, so a curator sees one variant under its precise name rather
    than a vaguer ``ins(1 bp)`` too.  Apposed (``a single nucleotide deletion c.342delA``, ``a 2-bp
    deletion, c.461_462delAG``): the notation is the name and the words only classify it; BioRED
    annotates the notation alone.  Only an indel of the same kind qualifies: "-120 bp duplication,
    -616C/G" is a list of two variants.
    """
    op = described.key[:3]
    if described.level != "text" or op not in ("del", "ins", "dup") or following.level not in ("c", "g", "m", "n", "r"):
        return None
    if op not in following.key or next_start - end > 3:
        return None
    if _BRACKETED_GAP.fullmatch(text, end, next_start):
        return "bracketed"
    return "apposed" if _APPOSED_GAP.fullmatch(text, end, next_start) else None


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
        is_allele=parsed.is_allele,
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

    def __init__(
        self, include_rsids: bool, include_copy_number: bool, include_descriptions: bool, include_alleles: bool
    ) -> None:
        self.include_rsids = include_rsids
        self.include_copy_number = include_copy_number
        self.include_descriptions = include_descriptions
        self.include_alleles = include_alleles

    def __call__(self, doc: Doc) -> Doc:
        for v in find_variants(
            doc_text(doc), self.include_rsids, self.include_copy_number, self.include_descriptions, self.include_alleles
        ):
            add_mention(
                doc, MentionKind.VARIANT, v.start, v.end, concept_id=v.key, label=v.key,
                source="genelit_variants", hgvs_c=v.hgvs_c, hgvs_p=v.hgvs_p, hgvs_g=v.hgvs_g, rsid=v.rsid,
                variant_class=v.variant_class.value, is_copy_number=v.is_copy_number, is_allele=v.is_allele,
            )
        return doc


@Language.factory(
    "genelit_variants",
    default_config={
        "include_rsids": True, "include_copy_number": True, "include_descriptions": True, "include_alleles": True,
    },
)
def make_variant_recognizer(
    nlp: Language, name: str, include_rsids: bool, include_copy_number: bool, include_descriptions: bool,
    include_alleles: bool,
) -> VariantRecognizer:
    return VariantRecognizer(include_rsids, include_copy_number, include_descriptions, include_alleles)
