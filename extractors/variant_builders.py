"""Builders: turn one match of a written variant form into a :class:`ParsedVariant`.

Each ``b_<form>`` reads the named groups of its form's pattern (:data:`extractors.variant_patterns.FORMS`)
and builds the canonical key with :mod:`extractors.variant_keys`, or returns None when the context says the
match is no variant (a cell line, a genotype class of an association study, chemistry rather than a
change).  Separate from the patterns, which are data, so the context rules sit together as code.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from genelit.extractors.variant_keys import (
    ParsedVariant,
    dna_change,
    dna_class,
    dna_variant,
    protein_variant,
    size_class,
)
from genelit.extractors.variant_vocab import (
    ALLELE_CUE_WORDS,
    BASE_NAMES,
    NUMBER_WORDS,
    aa3,
    nospace,
)
from genelit.models.evidence import VariantClass

Builder = Callable[[re.Match[str]], ParsedVariant | None]


def b_protein(m: re.Match[str]) -> ParsedVariant | None:
    if m["end_ref"]:
        pos = f"{m['pos']}_{aa3(m['end_ref'])}{m['end_pos']}"
        return protein_variant(m["ref"], pos, m["tail"])
    return protein_variant(m["ref"], m["pos"], m["tail"])


def b_protein_special(m: re.Match[str]) -> ParsedVariant | None:
    if m["zero"]:
        return ParsedVariant("p.0", "p", VariantClass.NULL)
    return protein_variant(m["ref"], m["pos"], m["tail"])


def b_protein_words(m: re.Match[str]) -> ParsedVariant | None:
    return protein_variant(m["ref"], m["pos"], m["alt"])


def b_protein_at_words(m: re.Match[str]) -> ParsedVariant | None:
    if m["pos_b"]:
        return protein_variant(m["ref_b"], m["pos_b"], m["alt_b"])
    return protein_variant(m["ref"], m["pos"], m["alt"])


_CHANGE_CUE = re.compile(r"[Ss]ubstitut|[Rr]eplac|[Cc]hang")
_CHANGE_CUE_BACK, _CHANGE_CUE_AHEAD = 40, 30


def b_aa_names_change(m: re.Match[str]) -> ParsedVariant | None:
    """``glutamate by glycine`` → ``Glu>Gly``; ``arginine (CGA) by a stop (TGA) at amino-acid 469`` → ``p.Arg469Ter``.

    Only taken near a word of change ("substitution of", "replaced", "a ... to ... change"): "conversion of
    glutamate to glutamine" is chemistry.
    """
    if not _CHANGE_CUE.search(m.string, max(0, m.start() - _CHANGE_CUE_BACK), m.end() + _CHANGE_CUE_AHEAD):
        return None
    ref, alt = (m["ref"], m["alt"]) if not m["for_"] else (m["alt"], m["ref"])
    ref3, alt3 = aa3(ref), ("Ter" if alt.lower().startswith("stop") else aa3(alt))
    if ref3 == alt3 or ref3 == "Ter":
        return None
    if m["pos"]:
        return protein_variant(ref3, m["pos"], alt3)
    return ParsedVariant(f"{ref3}>{alt3}", "text", VariantClass.OTHER)


def b_protein_words_at(m: re.Match[str]) -> ParsedVariant | None:
    ref, alt = (m["ref"], m["alt"]) if not m["for_"] else (m["alt"], m["ref"])
    return protein_variant(ref, m["pos"], alt)


def b_dna(m: re.Match[str]) -> ParsedVariant | None:
    return dna_variant(m.groupdict().get("prefix") or "c", m["pos"], m["change"])


_INTRON_NUMBER_BEFORE = re.compile(r"IVS\s$")


def b_legacy_dna(m: re.Match[str]) -> ParsedVariant | None:
    """A change written without a prefix; in ``IVS 9 del[-7:-4]`` the number is the intron's, not a position."""
    if _INTRON_NUMBER_BEFORE.search(m.string, max(0, m.start() - 4), m.start()):
        return None
    return b_dna(m)


def b_dna_refpos(m: re.Match[str]) -> ParsedVariant | None:
    """``G274A`` / ``G-395A`` / ``c2403T --> C``: reference base before the position.

    The same base on both sides (``G1359G``, ``A1359A``) names a genotype, not a change.
    """
    if m["ref"] == m["alt"]:
        return ParsedVariant(f"c.{m['pos']}{m['ref']}{m['alt']}", "text", VariantClass.OTHER, is_allele=True)
    if _names_cell_line(m):
        return None
    return dna_variant("c", m["pos"], f"{m['ref']}>{m['alt']}")


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


def b_protein1(m: re.Match[str]) -> ParsedVariant | None:
    """One-letter protein change; a single-digit position needs ``p.`` (T1D, E2F, M6P are not variants)."""
    if (len(m["pos"]) < 2 and not m.group(0).startswith("p")) or _names_cell_line(m):
        return None
    return b_protein(m)


def b_ivs_genotype(m: re.Match[str]) -> ParsedVariant | None:
    return ParsedVariant(f"IVS{m['intron']}{m['sign']}{m['off']}{m['allele']}", "ivs", VariantClass.OTHER, is_allele=True)


def b_indel_alleles(m: re.Match[str]) -> ParsedVariant | None:
    return dna_variant("c", m["pos"], m["op"][:3] + m["bases"])


def b_signed_allele(m: re.Match[str]) -> ParsedVariant | None:
    return ParsedVariant(f"c.{m['pos']}{m['allele'].upper()}", "text", VariantClass.OTHER, is_allele=True)


def b_allele(m: re.Match[str]) -> ParsedVariant | None:
    """A position and the allele(s) carried there: ``7488CC``, ``111G``, ``326Ile``, ``192RR``.

    Nucleotide letters give ``c.7488CC`` (as a signed promoter allele does); amino acids give
    ``p.326Ile`` / ``p.192ArgArg``: the corpus has no reference residue to write a full HGVS change.
    """
    allele = m["allele"]
    if re.fullmatch("[ACGT]{1,2}", allele):
        return ParsedVariant(f"c.{m['pos']}{allele}", "text", VariantClass.OTHER, is_allele=True)
    residues = [allele] if len(allele) == 3 else list(allele)
    return ParsedVariant(f"p.{m['pos']}" + "".join(aa3(r) for r in residues), "p", VariantClass.OTHER, is_allele=True)


def b_allele_at(m: re.Match[str]) -> ParsedVariant | None:
    """``T allele at -511`` (a nucleotide allele) / ``(W) allele at codon 620`` (an amino-acid allele)."""
    if m["codon"] or m["allele"] not in "ACGT":
        return ParsedVariant(f"p.{m['pos'].lstrip('+')}{aa3(m['allele'])}", "p", VariantClass.OTHER, is_allele=True)
    return ParsedVariant(f"c.{m['pos']}{m['allele']}", "text", VariantClass.OTHER, is_allele=True)


def b_protein_pos_indel(m: re.Match[str]) -> ParsedVariant | None:
    """``157delMTTTVP`` → ``p.Met157_Pro162del`` and ``46delS`` → ``p.Ser46del`` (HGVS: the deleted or
    duplicated residues are those from the position on); an insertion names no flanking residues, so
    ``46insS`` stays ``p.46insSer``."""
    residues = [aa3(a) for a in m["residues"]]
    cls = VariantClass.INFRAME if m["op"] in ("del", "ins", "dup") else VariantClass.OTHER
    pos = m["pos"]
    if m["op"] in ("del", "dup") and pos.isdigit():
        last = f"_{residues[-1]}{int(pos) + len(residues) - 1}" if len(residues) > 1 else ""
        return ParsedVariant(f"p.{residues[0]}{pos}{last}{m['op']}", "p", cls)
    return ParsedVariant(f"p.{pos}{m['op']}{''.join(residues)}", "p", cls)


def b_protein_pos_arrow(m: re.Match[str]) -> ParsedVariant | None:
    """``273ser----phe`` → ``p.Ser273Phe`` (residues may be written in lower case)."""
    return protein_variant(m["ref"], m["pos"], aa3(m["alt"]))


def b_protein_alleles(m: re.Match[str]) -> ParsedVariant | None:
    """``192Q/R``, ``55M/L``: the two residues of a coding polymorphism, reference first (= ``Q192R``).

    Two nucleotide letters (``924A/G``) are a nucleotide change, read by the legacy DNA form instead.
    """
    if m["ref"] in "ACGT" and m["alt"] in "ACGT":
        return None
    return protein_variant(m["ref"], m["pos"], m["alt"])


def b_genotype(m: re.Match[str]) -> ParsedVariant | None:
    """``Ile/Val genotype`` → ``Ile/Val``; placed (``Met/Met at residue 175``) it is keyed like ``175MetMet``.

    A homozygote, and a heterozygote listed beside one, is a genotype class of an association study, which
    neither corpus annotates (the polymorphism is named elsewhere).
    """
    if m["pos"]:
        return ParsedVariant(f"p.{m['pos']}{aa3(m['a'])}{aa3(m['b'])}", "p", VariantClass.OTHER, is_allele=True)
    if m["a"] == m["b"] or _homozygote_near(m, (m["a"], m["b"])):  # "Gln/Gln versus Gln/Arg or Arg/Arg"
        return None
    return ParsedVariant(f"{aa3(m['a'])}/{aa3(m['b'])}", "text", VariantClass.OTHER, is_allele=True)


_ALLELE_CUE_AFTER = re.compile(ALLELE_CUE_WORDS)


def b_protein_residue(m: re.Match[str]) -> ParsedVariant | None:
    """``p.Asn62`` (a residue, e.g. of a synonymous change); ``the p.T11 allele`` is an allele.

    ``p.R469[R,X]`` names the two residues found at the site (one allele each): the change is the one
    that differs from the reference, ``p.Arg469Ter``.
    """
    if m["al1"]:
        changed = [a for a in (m["al1"], m["al2"]) if aa3(a) != aa3(m["ref"])]
        return protein_variant(m["ref"], m["pos"], changed[0] if changed else "=")
    end = f"_{aa3(m['end_ref'])}{m['end_pos']}" if m["end_ref"] else ""
    allele = _ALLELE_CUE_AFTER.match(m.string, m.end()) is not None
    return ParsedVariant(f"p.{aa3(m['ref'])}{m['pos']}{end}", "p", VariantClass.OTHER, is_allele=allele)


_OPS = {"deletion": "del", "insertion": "ins", "duplication": "dup"}


# "20 bp insertion/deletion polymorphism", "guanine insertion/deletion", "CGGGG insertion-deletion": the name
# of an indel polymorphism's kind; neither corpus annotates the insertion half on its own.
_INDEL_PAIR_AFTER = re.compile(r"[/-](?:deletion|insertion)")


def b_nt_indel_words(m: re.Match[str]) -> ParsedVariant | None:
    """``adenine 474 deletion`` → ``c.474delA``; ``TGAG deletion`` → ``delTGAG`` (no position given)."""
    if _INDEL_PAIR_AFTER.match(m.string, m.end()):
        return None
    op = _OPS[m["op"] or m["op_b"] or m["op_d"]]
    bases = m["base"] or m["bases_b"] or m["base_c"] or m["base_d"]
    bases = BASE_NAMES.get(bases, bases)
    pos = m["pos"] or m["pos_c"] or (m["pos_d"] and re.sub(r"\s(?:and|_)\s", "_", m["pos_d"]))
    if pos:
        return dna_variant("c", pos, op + bases)
    return ParsedVariant(f"{op}{bases}", "text", VariantClass.OTHER)


def b_repeat(m: re.Match[str]) -> ParsedVariant | None:
    """Short tandem repeat alleles: ``(CCTTT)14`` → ``CCTTT[14]``, ``2193(ATCT)(5-13)`` → ``c.2193ATCT[5-13]``."""
    if m["pos"]:
        return ParsedVariant(f"c.{m['pos']}{m['unit']}[{m['n']}]", "text", VariantClass.OTHER)
    return ParsedVariant(f"{m['unit']}[{m['n']}]", "text", VariantClass.OTHER, is_allele=True)


def b_bare_indel(m: re.Match[str]) -> ParsedVariant | None:
    what = nospace(m["what"]).upper().replace("BP", "bp")
    return ParsedVariant(f"{m['op']}{what}", "text", VariantClass.OTHER)


def b_codon_change(m: re.Match[str]) -> ParsedVariant | None:
    """``GGC-->AGC`` / ``(TAC-->AA) at codon 329``: the codon number, when given, is part of the key."""
    if m["codon"]:
        return ParsedVariant(f"codon{m['codon']}:{m['ref_b']}>{m['alt_b']}", "text", VariantClass.OTHER)
    return b_unpositioned(m)


def b_codon_pos(m: re.Match[str]) -> ParsedVariant | None:
    """``CAC(3543)TAC`` → ``codon3543:CAC>TAC`` (the number between the codons is the codon's)."""
    if m["ref"] == m["alt"]:
        return None
    return ParsedVariant(f"codon{m['codon']}:{m['ref']}>{m['alt']}", "text", VariantClass.OTHER)


def b_indel_dash(m: re.Match[str]) -> ParsedVariant | None:
    """``AGCTCCTCCTTCTC/-`` → ``delAGCTCCTCCTTCTC``; ``-/TTCA`` → ``insTTCA`` (reference allele first)."""
    if m["deleted"]:
        return ParsedVariant(f"del{m['deleted']}", "text", VariantClass.OTHER)
    return ParsedVariant(f"ins{m['inserted']}", "text", VariantClass.OTHER)


def b_codon_alleles(m: re.Match[str]) -> ParsedVariant | None:
    """``codon 787 CAG/CAA`` → ``codon787:CAG>CAA``; ``CAG/CTG`` (a repeat and its reverse complement) is none."""
    ref, alt = m["ref"], m["alt"]
    if alt == ref[::-1].translate(_COMPLEMENT) or sum(a != b for a, b in zip(ref, alt)) != 1:
        return None
    if m["codon"]:
        return ParsedVariant(f"codon{m['codon']}:{ref}>{alt}", "text", VariantClass.OTHER)
    return ParsedVariant(f"{ref}>{alt}", "text", VariantClass.OTHER)


def b_unpositioned(m: re.Match[str]) -> ParsedVariant | None:
    """A change without a position (``Glu-->Ala``, ``G>A``): keyed ``G>A``; the rsID or text nearby places it."""
    ref, alt = m["ref"], m["alt"]
    if ref == alt:  # G/G, AC/AC: a genotype, not a change
        return None
    if ref[0].isupper() and ref[1:].islower() and len(ref) == 3:
        return ParsedVariant(f"{aa3(ref)}>{aa3(alt)}", "text", VariantClass.OTHER)
    return ParsedVariant(f"{ref.upper()}>{alt.upper()}", "text", VariantClass.OTHER)


_COMPLEMENT = str.maketrans("ACGT", "TGCA")
_GENOTYPE_AFTER = re.compile(r"\s(?:genotypes?|heterozyg|homozyg|carriers?)")
_HOMOZYGOUS_NEAR = 60  # chars either side of "G/A" searched for "G/G" or "A/A"
# "lamin A/C": the two products of LMNA, named together (UniProt P02545 "Prelamin-A/C").
_PROTEIN_NAME_BEFORE = re.compile(r"[Ll]amins?\s$")


def b_nt_change(m: re.Match[str]) -> ParsedVariant | None:
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
            return replace(b_unpositioned(m), is_allele=True)
    return b_unpositioned(m)


def _homozygote_near(m: re.Match[str], units: tuple[str, str]) -> bool:
    """Whether ``G/G`` or ``A/A`` (``Arg/Arg``...) is written near the match: then it lists genotypes."""
    text = m.string
    lo, hi = max(0, m.start() - _HOMOZYGOUS_NEAR), m.end() + _HOMOZYGOUS_NEAR
    return any(
        re.search(rf"(?<![A-Za-z0-9/]){unit}/{unit}(?![A-Za-z0-9/])", text[lo:hi]) for unit in set(units)
    )


def b_ivs(m: re.Match[str]) -> ParsedVariant | None:
    intron = m["intron"]
    pos = f"IVS{intron}{m['sign']}{m['off']}"
    change = dna_change(m["change"]) if m["change"] else ""
    if change and re.fullmatch(r"[ACGTUacgtu]", change):
        change = change.upper()
    cls = dna_class(f"1{m['sign']}{m['off']}", change)
    return ParsedVariant(f"{pos}{change}", "ivs", cls)


def b_rsid(m: re.Match[str]) -> ParsedVariant | None:
    return ParsedVariant(f"rs{m['n']}", "rs", VariantClass.OTHER)


def b_delta(m: re.Match[str]) -> ParsedVariant | None:
    if m["aa"]:
        return protein_variant(m["aa"], m["pos"], "del")
    if m["aa"] and m["end"]:
        return None
    end = f"_{m['end']}" if m["end"] else ""
    return ParsedVariant(f"Δ{m['pos']}{end}", "text", VariantClass.OTHER)


def b_cnv(m: re.Match[str], whole: bool = False) -> ParsedVariant | None:
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


def b_nt_words(m: re.Match[str]) -> ParsedVariant | None:
    """``A to G substitution at nucleotide 1517``; ``G>A substitution at nucleotide +1 of intron 2`` → IVS2+1G>A."""
    groups = m.groupdict()
    pos = m["pos"] or groups.get("pos2")
    ref, alt = (BASE_NAMES.get(b.lower(), b) for b in (m["ref"], m["alt"]))
    if groups.get("intron") and pos[0] in "+-":
        cls = dna_class(f"1{pos}", "G>A")
        return ParsedVariant(f"IVS{m['intron']}{pos}{ref}>{alt}", "ivs", cls)
    return dna_variant("c", pos, f"{ref}>{alt}")


def b_size_indel(m: re.Match[str]) -> ParsedVariant | None:
    """``1-bp deletion`` / ``deletion of 6 bp`` → ``del(1 bp)`` / ``del(6 bp)``."""
    if _INDEL_PAIR_AFTER.match(m.string, m.end()):
        return None
    n = (m["n"] or m["n_b"]).lower()
    unit = {"k": "kb", "m": "Mb"}.get((m["unit"] or m["unit_b"])[0].lower(), "bp")
    if "." in n:  # "5.5 kb deletion": a size, not a count of bases
        op = {"deletion": "del", "insertion": "ins", "duplication": "dup"}[(m["op"] or m["op_b"]).lower()]
        return ParsedVariant(f"{op}({n} {unit})", "text", size_class(op, 0, unit)) if unit != "bp" else None
    count = NUMBER_WORDS[n] if n in NUMBER_WORDS else int(n)
    op = {"deletion": "del", "insertion": "ins", "duplication": "dup"}[(m["op"] or m["op_b"]).lower()]
    placed = _placed_range(m, count) if op != "ins" and unit == "bp" else None
    if placed:
        return dna_variant("c", placed, op)
    return ParsedVariant(f"{op}({count} {unit})", "text", size_class(op, count, unit))


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


def b_del_before_any(m: re.Match[str]) -> ParsedVariant | None:
    return dna_variant("c", m["pos"] or m["pos2"], "del" + (m["base"] or m["base2"] or ""))
