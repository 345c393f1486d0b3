"""One allele, many spellings: which variant mentions of a paper describe the same allele.

A paper writes the patient's allele as ``c.920A→C`` in the results, ``p.K307T`` in the abstract and
``Lys307Thr`` in a figure legend; a curator wants one record with every spelling on it, not three.  The
variant component already gives each mention one canonical key (so ``p.K307T`` and ``p.Lys307Thr`` are
one key) and pairs ``c.274G>A (p.Val92Met)`` written side by side.  This module adds what needs the
whole paper:

* **codon arithmetic and the genetic code** — a ``c.`` substitution and a ``p.`` change anywhere in the
  text are one allele when the nucleotide lies in the residue's codon and the base change turns the
  reference residue into the stated one (c.920 is the 2nd base of codon 307; A→C there turns Lys
  (AAA/AAG) into Thr (ACA/ACG): consistent).  Inconsistent pairs are refused, and so is a pairing that
  is not unique (two ``p.`` changes fit one ``c.``).
* **explicit pairs** written next to each other with a comma, colon or slash, and an rsID written next to
  the change it names (``c.1A>G (rs123)``); intron-relative ``IVS`` forms merge only this way, never by
  arithmetic.
* spellings the variant component cuts short: a stop written with a typographic asterisk (``p.K792⁎``,
  ``p.Lys792∗``) ends the key as ``Ter``; an intronic position glued to a gene symbol
  (``TECRLc.331+1G>A``, read as ``1G>A``) gets its exon position back.

Everything here is a pure function of keys, offsets and text, so it is cheap to test with real spellings.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from genelit.models.mentions import Mention

# The standard genetic code (DNA codons of the coding strand), three-letter residues, Ter = stop.
_BASES = "TCAG"
_RESIDUES = (
    "Phe Phe Leu Leu Ser Ser Ser Ser Tyr Tyr Ter Ter Cys Cys Ter Trp "
    "Leu Leu Leu Leu Pro Pro Pro Pro His His Gln Gln Arg Arg Arg Arg "
    "Ile Ile Ile Met Thr Thr Thr Thr Asn Asn Lys Lys Ser Ser Arg Arg "
    "Val Val Val Val Ala Ala Ala Ala Asp Asp Glu Glu Gly Gly Gly Gly"
).split()
GENETIC_CODE: dict[str, str] = {
    a + b + c: _RESIDUES[16 * i + 4 * j + k]
    for i, a in enumerate(_BASES)
    for j, b in enumerate(_BASES)
    for k, c in enumerate(_BASES)
}

# The longest human coding sequence (TTN, ~108 kb) bounds a cDNA position: a "position" beyond it
# written without a prefix ("21119382C>T" in a table of genomic coordinates) is a genome coordinate.
MAX_CODING_POSITION = 110_000
# A frameshift's first changed residue can lie codons after the edited nucleotides (c.166_167dupTA ->
# p.Asn57Thrfs*24: the duplication sits in codon 56, the first new residue is 57; in a repeat, HGVS
# shifts the change further: c.454dupG -> p.Glu154Glyfs*301).
FRAMESHIFT_CODON_SLACK = 3
# Characters between two spellings of one allele written side by side: "c.X (p.Y)", "c.X, p.Y", "c.X/p.Y".
_SIDE_BY_SIDE = re.compile(r"\s*(?:[(\[]|[,:;/]\s*[(\[]?|\s)\s*")
SIDE_BY_SIDE_MAX = 4
# A cDNA change said to cause the protein change named after it, with up to STATED_PAIR_MAX characters
# between: "c.342delA, located in exon 3, which resulted in a frameshift at amino acid position 58 (p.Arg58fs".
_STATED_PAIR = re.compile(
    r"[^.;]*?\b(?:which\s+|that\s+)?(?:predict(?:s|ed|ing)?|lead(?:s|ing)?\s+to|led\s+to|result(?:s|ed|ing)?\s+in|"
    r"caus(?:es|ed|ing)|giv(?:es|ing)\s+rise\s+to|gave\s+rise\s+to|produc(?:es|ed|ing))\b[^.;]*",
    re.IGNORECASE,
)
STATED_PAIR_MAX = 100
# Applied last, and only between alleles nothing else paired: in "c.X and c.Y, respectively, which caused
# frameshifts, p.A and p.B", c.Y is next to p.A but the genetic code pairs p.A with c.X.
STATED_DISAGREEING = "c. and p. stated as one change (the genetic code disagrees: check the paper)"
# A stop written with a typographic asterisk, which the variant grammar does not read ("p.K792⁎").
_TYPOGRAPHIC_STOP = re.compile(r"[⁎∗✱﹡＊]")

_C_SUBSTITUTION = re.compile(r"^c\.(\d+)([ACGT])>([ACGT])$")
_C_INDEL = re.compile(r"^c\.(\d+)(?:_(\d+))?(delins|del|dup|ins)([ACGT]*)(\d*)$")
_P_SUBSTITUTION = re.compile(r"^p\.([A-Z][a-z]{2})(\d+)([A-Z][a-z]{2}|=)$")
_P_CHANGE = re.compile(r"^p\.([A-Z][a-z]{2})(\d+)(?:_[A-Z][a-z]{2}\d+)?((?:[A-Z][a-z]{2})?fs\w*|delins\w*|del|dup|ins\w*)$")
_C_POSITION = re.compile(r"^c\.(\d+)")


def codon_of(position: int) -> tuple[int, int]:
    """The codon number of a cDNA position and the base's place in it (0, 1 or 2): c.920 -> (307, 1)."""
    return (position - 1) // 3 + 1, (position - 1) % 3


def substitution_consistent(c_key: str, p_key: str) -> bool | None:
    """Whether a cDNA substitution can give a protein substitution (None when either is no substitution).

    Consistent when the nucleotide lies in the residue's codon and some codon of the reference residue,
    with the reference base at that place, becomes a codon of the stated residue by the base change.
    ``p.Pro407=`` (synonymous) needs a codon that stays Pro.
    """
    c, p = _C_SUBSTITUTION.match(c_key), _P_SUBSTITUTION.match(p_key)
    if not c or not p:
        return None
    codon, place = codon_of(int(c[1]))
    if codon != int(p[2]):
        return False
    ref_base, alt_base, ref_aa = c[2], c[3], p[1]
    alt_aa = ref_aa if p[3] == "=" else p[3]
    for triplet, residue in GENETIC_CODE.items():
        if residue == ref_aa and triplet[place] == ref_base:
            mutated = triplet[:place] + alt_base + triplet[place + 1 :]
            if GENETIC_CODE[mutated] == alt_aa:
                return True
    return False


def indel_size(c_key: str) -> int | None:
    """Nucleotides deleted, inserted or duplicated by a cDNA indel (``c.1426_1429delATGA`` -> 4)."""
    m = _C_INDEL.match(c_key)
    return _indel_length(int(m[1]), int(m[2]) if m[2] else None, m[3], m[4], m[5]) if m else None


def _indel_length(start: int, end: int | None, op: str, bases: str, count: str) -> int | None:
    if op in ("del", "dup") and end is not None:
        return end - start + 1
    if bases:
        return len(bases)
    return int(count) if count else (1 if op in ("del", "dup") else None)


def indel_consistent(c_key: str, p_key: str) -> bool | None:
    """Whether a cDNA indel can give a protein frameshift/in-frame change (None when not an indel pair).

    The first changed residue must lie in the edited codons (a frameshift one codon later at most), and a
    frameshift needs a length that is not a multiple of three (in-frame changes the reverse), when the
    length is written.
    """
    c, p = _C_INDEL.match(c_key), _P_CHANGE.match(p_key)
    if not c or not p:
        return None
    start, end = int(c[1]), int(c[2]) if c[2] else None
    first, last = codon_of(start)[0], codon_of(end or start)[0]
    frameshift = "fs" in p[3]
    if not first <= int(p[2]) <= last + (FRAMESHIFT_CODON_SLACK if frameshift else 0):
        return False
    length = _indel_length(start, end, c[3], c[4], c[5])
    if length is None or c[3] == "delins":
        return True
    return (length % 3 != 0) == frameshift


def pair_consistent(c_key: str, p_key: str) -> bool:
    """A cDNA and a protein key that the genetic code lets describe one allele."""
    for check in (substitution_consistent, indel_consistent):
        verdict = check(c_key, p_key)
        if verdict is not None:
            return verdict
    return False


def has_position(keys: Iterable[str]) -> bool:
    """Whether an allele is placed anywhere: "G>T" or "serine to alanine" alone names no allele."""
    return any(any(ch.isdigit() for ch in k) for k in keys)


def coding_position_implausible(key: str) -> bool:
    """A ``c.`` position beyond any human coding sequence: a genome coordinate read as cDNA."""
    m = _C_POSITION.match(key)
    return bool(m) and int(m[1]) > MAX_CODING_POSITION


_GLUED_INTRONIC = re.compile(r"c\.(\d+[+-])$")
_GLUED_WINDOW = 12


def restored_position(key: str, text: str, start: int) -> str:
    """``c.1G>A`` read from ``TECRLc.331+1G>A``: the key with the exon position written right before it."""
    if not key.startswith("c.") or not key[2:3].isdigit():
        return key
    m = _GLUED_INTRONIC.search(text, max(0, start - _GLUED_WINDOW), start)
    return f"c.{m[1]}{key[2:]}" if m else key


def completed_stop(key: str, text: str, end: int) -> str:
    """``p.Lys792`` written ``p.K792⁎``: the key with its stop, when a typographic asterisk follows."""
    if re.fullmatch(r"p\.[A-Z][a-z]{2}\d+(?:[A-Z][a-z]{2}fs)?", key) and _TYPOGRAPHIC_STOP.match(text, end):
        return key + ("Ter" if not key.endswith("fs") else "")
    return key


# ----- grouping -------------------------------------------------------------------------------------


def mention_keys(variant: Mention, text: str) -> set[str]:
    """Every key one mention carries: canonical, HGVS c./p./g. (from a written pair) and rsID."""
    key = completed_stop(variant.concept_id or variant.text, text, variant.end)
    restored = restored_position(key, text, variant.start)
    if restored != key:
        return {restored}
    keys = {key}
    keys.update(str(variant.attrs[k]) for k in ("hgvs_c", "hgvs_p", "hgvs_g", "rsid") if variant.attrs.get(k))
    return keys


def _level(key: str) -> str:
    return key[:2] if key[:2] in ("c.", "p.", "g.") else ("rs" if key.startswith("rs") else "other")


IDENTITY_LEVELS = ("c.", "p.", "g.")


def _levels(keys: Iterable[str]) -> set[str]:
    return {_level(k) for k in keys}


class _Groups:
    """Union-find over mentions that refuses a join putting two different changes of one level (two cDNA,
    protein or genomic changes) into one allele: "V950M (rs120074135)" and, in the same paper, "N1156S
    (rs120074135)" must not make V950M and N1156S one allele.  rsIDs name alleles but do not define them
    (papers mistype them), so an allele may collect two."""

    def __init__(self, keys: list[set[str]]) -> None:
        self.parent = list(range(len(keys)))
        self.keys = [set(k) for k in keys]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def conflict(self, a: int, b: int) -> bool:
        """No change in common at a level both have.  The cDNA change defines the allele when both have one (the
        protein spelled two ways under one cDNA change is a typo or another isoform, not two alleles)."""
        ka, kb = self.keys[self.find(a)], self.keys[self.find(b)]

        def at(keys: set[str], level: str) -> set[str]:
            return {k for k in keys if _level(k) == level}

        levels = ("c.",) if at(ka, "c.") and at(kb, "c.") else IDENTITY_LEVELS
        return any(at(ka, level).isdisjoint(at(kb, level)) for level in levels if at(ka, level) and at(kb, level))

    def join(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.conflict(ra, rb):
            return False
        keep, gone = min(ra, rb), max(ra, rb)
        self.parent[gone] = keep
        self.keys[keep] |= self.keys[gone]
        return True


@dataclass(frozen=True, eq=False)
class Allele:
    """The mentions of one allele, its keys and why they were merged (compared by identity)."""

    mentions: tuple[Mention, ...]
    keys: frozenset[str]
    merges: tuple[str, ...]

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    def key_at(self, level: str) -> str | None:
        """The allele's key at one level ("c.", "p.", "g.", "rs"), if it has one."""
        found = sorted(k for k in self.keys if _level(k) == level)
        return found[0] if found else None

    @property
    def canonical_key(self) -> str:
        """One key per allele (the record id): cDNA when known (most specific), else genomic, protein, rsID."""
        for level in ("c.", "g.", "p.", "rs"):
            key = self.key_at(level)
            if key:
                return key
        return self.first.concept_id or self.first.text

    @property
    def spellings(self) -> list[str]:
        """Every spelling as written, in order of first appearance."""
        return list(dict.fromkeys(m.text for m in self.mentions))


def _side_by_side(text: str, a: Mention, b: Mention) -> bool:
    return 0 <= b.start - a.end <= SIDE_BY_SIDE_MAX and _SIDE_BY_SIDE.fullmatch(text, a.end, b.start) is not None


def _stated_pair(text: str, a: Mention, ka: set[str], b: Mention, kb: set[str]) -> str | None:
    """A cDNA change said to cause the protein change next after it: "c.686C>G mutation, which causes
    the substitution of ... (p.R229G)", "c.488A>G, predicting p.(Tyr163Cys)".  The paper's statement
    stands even when the genetic code disagrees (the reason then says so, for the curator to check)."""
    if not 0 <= b.start - a.end <= STATED_PAIR_MAX or _STATED_PAIR.fullmatch(text, a.end, b.start) is None:
        return None
    if not ("c." in _levels(ka) and "p." in _levels(kb)):
        return None
    pairs = [(c, p) for c in ka if _level(c) == "c." for p in kb if _level(p) == "p."]
    checkable = [pair for pair in pairs if substitution_consistent(*pair) is not None or indel_consistent(*pair) is not None]
    if checkable and not any(pair_consistent(*pair) for pair in checkable):
        return STATED_DISAGREEING
    return "c. and p. stated as one change"


def _explicit_pair(text: str, a: Mention, ka: set[str], b: Mention, kb: set[str]) -> str | None:
    """Why two adjacent mentions are one allele, or None.

    An rsID in brackets right after (or before) a change names it; a ``c.`` and a ``p.`` change side by
    side are one allele unless the genetic code says otherwise (neighbours in a list: "c.1482C>T p.T494M
    c.1478C>T" pairs the first two only); a ``c.`` change said to cause a ``p.`` change is one allele.
    """
    if not _side_by_side(text, a, b):
        return _stated_pair(text, a, ka, b, kb)
    la, lb = _levels(ka), _levels(kb)
    bracketed = text[a.end : b.start].strip().startswith(("(", "["))
    if bracketed and (la == {"rs"}) != (lb == {"rs"}) and "other" not in la | lb:
        return "rsID written next to the change"
    if ({"c.", "other"} <= la | lb) and any(k.startswith("IVS") for k in ka | kb) and "p." not in la | lb:
        return "intron-relative (IVS) form stated beside the cDNA form"
    if not (("c." in la and "p." in lb) or ("p." in la and "c." in lb)):
        return None
    pairs = [(c, p) for c in ka | kb if _level(c) == "c." for p in ka | kb if _level(p) == "p."]
    checkable = [pair for pair in pairs if substitution_consistent(*pair) is not None or indel_consistent(*pair) is not None]
    if checkable and not any(pair_consistent(*pair) for pair in checkable):
        return None
    return "c. and p. written side by side"


RESTATED_MAX = 60  # "four-nucleotide deletion causing frameshift deletion in PANK2 gene (c.1426_1429delATGA"
_SIZE_IN_WORDS = re.compile(r"(del|ins|dup)\((\d+) bp\)")
_IN_WORDS = re.compile(r"[a-z]{3,}\s")  # "substitution of alanine for valine at position 88"
_POSITION = re.compile(r"\d+")


def _restated_in_notation(text: str, a: Mention, ka: set[str], b: Mention, kb: set[str]) -> bool:
    """A change told in words and restated at once in brackets at the same position ("substitution of
    alanine for valine at position 88 (p.Ala88Val)"), or without a position by a notation of the same
    change ("cytosine insertion in exon 10 (c.1546_1547insC)").  The notation is the paper's name for the allele
    (reading the words' direction is where errors come from)."""
    gap = text[a.end : b.start]
    if not _IN_WORDS.search(a.text) or not ("(" in gap or "[" in gap) or ")" in gap or "]" in gap:
        return False
    pa = {m.group(0) for k in ka for m in _POSITION.finditer(k)}
    pb = {m.group(0) for k in kb for m in _POSITION.finditer(k)}
    sized = [m for k in ka if (m := _SIZE_IN_WORDS.fullmatch(k))]
    if sized:  # "four-nucleotide deletion causing frameshift ... (c.1426_1429delATGA": the same size
        return any(m[1] == c[3] and indel_size(k) == int(m[2]) for m in sized for k in kb if (c := _C_INDEL.match(k)))
    if not pa:  # "a heterozygous cytosine insertion in exon 10 (c.1546_1547insC)": the notation places it
        return any(k.endswith(w) for k in kb for w in ka)
    return bool(pa & pb) and {_level(k) for k in ka} == {_level(k) for k in kb}


def group_alleles(variants: Sequence[Mention], text: str) -> list[Allele]:
    """The paper's variant mentions grouped into alleles (see the module docstring), in text order."""
    ordered = sorted(variants, key=lambda m: (m.start, m.end))
    keys = [mention_keys(m, text) for m in ordered]
    for i in range(len(ordered) - 1):
        a, b = ordered[i], ordered[i + 1]
        near = 0 <= b.start - a.end <= RESTATED_MAX
        if near and _restated_in_notation(text, a, keys[i], b, keys[i + 1]):
            keys[i] = set(keys[i + 1])
    groups = _Groups(keys)
    why: dict[int, list[str]] = {}
    disagreeing = []
    for i in range(len(ordered) - 1):
        reason = _explicit_pair(text, ordered[i], keys[i], ordered[i + 1], keys[i + 1])
        if reason == STATED_DISAGREEING:
            disagreeing.append(i)
        elif reason and groups.join(i, i + 1):
            why.setdefault(i, []).append(reason)
    by_key: dict[str, int] = {}
    for i, ks in enumerate(keys):
        for k in sorted(ks):
            if k in by_key:
                groups.join(by_key[k], i)
            else:
                by_key[k] = i
    _join_by_codon(groups, why)
    for i in disagreeing:
        if _unpaired(groups, i, "p.") and _unpaired(groups, i + 1, "c.") and groups.join(i, i + 1):
            why.setdefault(i, []).append(STATED_DISAGREEING)
    members: dict[int, list[int]] = {}
    for i in range(len(ordered)):
        members.setdefault(groups.find(i), []).append(i)
    alleles = []
    for root, group in members.items():
        reasons = tuple(dict.fromkeys(r for i in group for r in why.get(i, [])))
        alleles.append(Allele(tuple(ordered[i] for i in group), frozenset(groups.keys[root]), reasons))
    return sorted(alleles, key=lambda a: a.first.start)


def _unpaired(groups: _Groups, i: int, missing: str) -> bool:
    """The allele of mention ``i`` has no key at level ``missing`` yet."""
    return missing not in _levels(groups.keys[groups.find(i)])


def _join_by_codon(groups: _Groups, why: dict[int, list[str]]) -> None:
    """Join a cDNA-only allele and a protein-only allele anywhere in the text when the genetic code says
    they are one and neither fits another (a unique, consistent pairing)."""
    roots = sorted({groups.find(i) for i in range(len(groups.parent))})
    c_only = [r for r in roots if "c." in _levels(groups.keys[r]) and "p." not in _levels(groups.keys[r])]
    p_only = [r for r in roots if "p." in _levels(groups.keys[r]) and "c." not in _levels(groups.keys[r])]

    def fits(c: int, p: int) -> bool:
        return any(pair_consistent(ck, pk) for ck in groups.keys[c] if _level(ck) == "c."
                   for pk in groups.keys[p] if _level(pk) == "p.")

    matches = {c: [p for p in p_only if fits(c, p)] for c in c_only}
    for c, ps in matches.items():
        if len(ps) == 1 and sum(ps[0] in others for others in matches.values()) == 1 and groups.join(c, ps[0]):
            why.setdefault(c, []).append("c. and p. consistent by codon and genetic code")
