"""Canonical keys and ClinGen classes of variants: what a parsed mention means, as pure functions.

The text-independent half of normalization: given the parts a pattern read (reference residue, position,
change), build the one canonical key (``p.Val92Met``, ``c.274G>A``, ``IVS4+1G>A``) and the
``VariantClass`` used by ClinGen scoring.  Separate from the patterns and their builders so that the key
and class rules, which decide how evidence records are grouped, can be read and tested on their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from genelit.extractors.variant_vocab import (
    AA1_ANY,
    AA3,
    AA3_ANY,
    AA3_STOP,
    AA3_TO_1,
    AA_NAMES,
    aa3,
    nospace,
)
from genelit.models.evidence import VariantClass


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


def dna_class(pos: str, change: str) -> VariantClass:
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


def size_class(op: str, n: int, unit: str) -> VariantClass:
    """Consequence class of an indel known by its size only (``del(3 bp)``, ``del(5.5 kb)``)."""
    if unit != "bp":
        return VariantClass.NULL if op == "del" else VariantClass.OTHER
    return VariantClass.INFRAME if n % 3 == 0 else VariantClass.NULL


def protein_variant(ref: str, pos: str, tail: str) -> ParsedVariant:
    """The protein change ``ref``, ``pos``, ``tail`` as written (``V``, ``92``, ``M``) → ``p.Val92Met``."""
    ref3 = aa3(ref)
    tail = tail.strip()
    key_tail = tail
    if tail and tail not in ("=", "?"):
        key_tail = _protein_tail(tail)
    if key_tail == ref3:
        key_tail = "="
    cls = _protein_class(ref3, pos, key_tail)
    return ParsedVariant(f"p.{ref3}{pos}{key_tail}", "p", cls)


_TAIL_RE = re.compile(
    rf"(?P<alt>{AA3_ANY}|{AA1_ANY})?\s?(?P<fs>fs)?\s?(?P<ter>{AA3_STOP})?\s?(?P<n>\d+)?(?:{AA3_STOP})?$"
)


_ARROW = re.compile(r"^(?:-+>|→|>)\s*")  # "Ile(146)-->Leu": the arrow is no part of the change


def _protein_tail(tail: str) -> str:
    """Canonical text after the position: ``Met``, ``Ter``, ``fs``, ``ProfsTer23``, ``del``, ``insGlnSer``."""
    tail = _ARROW.sub("", tail)
    for op in ("delins", "del", "dup", "ins"):
        if tail.startswith(op):
            rest = tail[len(op):]
            return op + "".join(aa3(a) for a in re.findall(rf"{AA3}|{AA1_ANY}", rest))
    if tail.lower() in AA_NAMES:
        return aa3(tail)
    if tail.capitalize() in AA3_TO_1:  # "Arg753GLn": a residue typed in the wrong case
        return tail.capitalize()
    m = _TAIL_RE.match(tail)
    if not m:
        return tail
    alt = aa3(m["alt"]) if m["alt"] else ""
    if m["fs"]:
        if m["alt"] and not m["ter"] and aa3(m["alt"]) == "Ter":  # "fsX12" read as fsTer12
            return "fsTer" + (m["n"] or "")
        return f"{alt}fs" + (f"Ter{m['n'] or ''}" if (m["ter"] or m["n"]) else "")
    return alt


def dna_variant(prefix: str, pos: str, change: str) -> ParsedVariant:
    """The nucleotide change as written (``c``, ``274``, ``G-->A``) → ``c.274G>A``; no prefix means ``c.``."""
    pos = nospace(pos).removeprefix("+")  # "+2740 A>G": a plain position written with a sign, c.2740A>G
    pos = _legacy_range(pos, change)
    change = dna_change(change, pos)
    level = prefix.lower() if prefix else "c"
    key = f"{level}.{pos}{change}"
    return ParsedVariant(key, level, dna_class(pos, change))


def _legacy_range(pos: str, change: str) -> str:
    """``370-371`` (an indel range written with a hyphen) → ``370_371``; ``357-3`` stays an offset."""
    m = re.fullmatch(r"(\d+)-(\d+)", pos)
    if m and not re.match(r"[ACGTUacgtu]>", dna_change(change)):
        a, b = int(m[1]), int(m[2])
        if b < a and len(m[2]) < len(m[1]):  # "1782-83" shorthand for 1782_1783
            b = int(m[1][: len(m[1]) - len(m[2])] + m[2])
        if b > a:
            return f"{a}_{b}"
    return pos


def dna_change(change: str, pos: str = "") -> str:
    """The canonical edit of a nucleotide change: ``G-->A`` → ``G>A``, ``del6bp`` → ``del6``, ``(-T)`` → ``delT``."""
    c = nospace(change)
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
