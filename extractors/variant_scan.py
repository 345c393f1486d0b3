"""The scanning engine: run every form of the grammar over a text, fast, and keep the longest matches.

:func:`scan` searches each form only inside small windows around its anchors (see ``_ANCHORS``), checks
left boundaries in Python, and resolves overlaps (longest first, then grammar order).  Separate from the
grammar (:mod:`extractors.variant_patterns`) because this is performance machinery — anchors, gates and
windows change what is fast, never what a form means.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from genelit.extractors.variant_builders import b_cnv
from genelit.extractors.variant_keys import ParsedVariant
from genelit.extractors.variant_patterns import BOUNDARIES, BUILDERS, FORMS
from genelit.extractors.variant_vocab import AA3, AA3_TO_1, AA_NAMES, BASE_NAMES

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
    rf"|(?=[A-Za-z>/(_+*]|\s(?:[A-Z](?![a-z])|{AA3}|del|ins|dup)))"
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
    "nt_words_named": (tuple(BASE_NAMES), 0, 90, None),
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
        for boundary, chars in BOUNDARIES.items():
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
        parsed = b_cnv(m, whole)
    else:
        try:
            parsed = BUILDERS[form.name](m)
        except (KeyError, ValueError):
            parsed = None
    if parsed is None:
        return None
    s, e = trim(text, start, m.end())
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


def scan(text: str, skip: frozenset[str] = frozenset()) -> list[tuple[int, int, str, ParsedVariant]]:
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


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace and an unbalanced parenthesis at either end (``(p.V92M)`` → ``p.V92M``)."""
    span = text[start:end]
    while span and (span[-1] in " \t\n,;" or (span[-1] == ")" and span.count("(") < span.count(")"))):
        span, end = span[:-1], end - 1
    while span and (span[0] in " \t\n" or (span[0] == "(" and span.count("(") > span.count(")"))):
        span, start = span[1:], start + 1
    return start, end
