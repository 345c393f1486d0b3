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
inside small windows of the text (see :mod:`extractors.variant_scan`), keeps the longest non-overlapping
matches and attaches the ``VariantClass`` used by ClinGen scoring.  Spans follow the tmVar/BioRED
guidelines: ``p.`` and ``c.`` are inside the span, a surrounding parenthesis is not, and
``c.274G>A (p.Val92Met)`` is two mentions (each then carries the other's HGVS in ``hgvs_p``/``hgvs_c``).

This module is the public API (:func:`find_variants`, :func:`parse_variant`, :func:`normalize_variant`) and
the guideline rules applied to the scan's matches.  Below it, lowest first: :mod:`extractors.variant_vocab`
(amino-acid and nucleotide vocabularies), :mod:`extractors.variant_keys` (canonical keys and classes),
:mod:`extractors.variant_builders` (match -> parsed variant), :mod:`extractors.variant_patterns` (the
grammar), :mod:`extractors.variant_scan` (the engine); the spaCy component ``genelit_variants`` is in
:mod:`extractors.variant_component`.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from genelit.extractors.variant_builders import Builder
from genelit.extractors.variant_keys import ParsedVariant, VariantMatch
from genelit.extractors.variant_patterns import DESCRIPTION_FORMS, KEY_FORMS
from genelit.extractors.variant_scan import scan, trim
from genelit.models.evidence import VariantClass


@lru_cache(maxsize=1)
def _compiled_keys() -> tuple[tuple[re.Pattern[str], Builder], ...]:
    return tuple((re.compile(p), b) for _, p, b in KEY_FORMS)


def parse_variant(mention: str) -> ParsedVariant | None:
    """Parse one whole mention (surrounding space/parentheses ignored); None when it is no variant form."""
    start, end = trim(mention, 0, len(mention))
    text = mention[start:end]
    if not text or len(text) > 200:
        return None
    for pattern, builder in _compiled_keys():
        m = pattern.fullmatch(text)
        if m:
            return builder(m)
    found = scan(text)
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
    chosen = scan(text, frozenset(skip))
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


_NOTATION_ARROW = re.compile(r"-+>|>|→|/")  # "/" keeps "C/T" notation; "C to T" alone is words


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
