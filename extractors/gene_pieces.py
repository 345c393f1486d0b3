"""How gene names and text are cut into *pieces* and keyed: the one normalization both sides share.

Matching works on *pieces*: runs of letters, runs of digits, Greek letters and punctuation, lower-cased,
with hyphens, spaces and periods dropped, Greek letters spelled out (α, "a" in "HIF-1a" -> alpha) and
Roman numerals after a hyphen or space turned into digits.  So "IGF-I", "IGF-1", "IGF1" and "Igf1" share
one key, as do "insulin-like growth factor I" and HGNC's "insulin like growth factor 1".

Separate from the index and the scanner because both must apply exactly these functions — the index to
HGNC's synonyms (:mod:`extractors.gene_index`), the scanner to the text (:mod:`extractors.gene_recognition`)
— so that they meet on equal keys; a change here changes the index, whose disk cache hashes this file.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "π": "pi", "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}
_GREEK_NAMES = frozenset(GREEK.values())
GREEK_WORDS = "alpha|beta|gamma|delta|epsilon|kappa|zeta|theta|lambda|sigma|omega"
# "a" in "HIF-1a", "b" in "TGF-b1", "g" in "IFN-g": one-letter Greek abbreviations BioRED-style texts use
_GREEK_LETTER_ABBREV = {"a": "alpha", "b": "beta", "g": "gamma", "d": "delta", "k": "kappa"}
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6", "VII": "7", "VIII": "8",
          "IX": "9", "X": "10"}
_PIECE = re.compile(r"[A-Za-z]+|[0-9]+|[\u0391-\u03a9\u03b1-\u03c9]|[^\sA-Za-z0-9\u0391-\u03a9\u03b1-\u03c9]")
_GLUED_GREEK = re.compile(rf"^([A-Z][A-Za-z]*?[A-Z]|[A-Z]{{2,}})({GREEK_WORDS})([A-Z]*)$")
_HUMAN_PREFIX = re.compile(r"^h([A-Z]{2,}[A-Za-z]*)$")
_DROPPED = frozenset("-.‐‑–_ ")  # hyphen variants join pieces
# spelling variants folded into one key ("thymidylate synthase" vs HGNC's "thymidylate synthetase")
_KEY_VARIANTS = {"synthetase": "synthase", "tumour": "tumor", "oestrogen": "estrogen", "haem": "heme",
                 "haemoglobin": "hemoglobin", "haemopoietic": "hematopoietic", "oxydase": "oxidase"}


# a piece: (key, cased, start, end) -- key lower-cased, Greek spelled out, Roman numerals as digits;
# cased keeps the case (symbols are case-sensitive-ish); offsets index into the text
Piece = tuple[str, str, int, int]


def _greek_abbreviation(raw: str, start: int, end: int, text: str) -> str | None:
    """'a' in "HIF-1a", 'b' in "TGF-b1" / "b-catenin", 'g' in "IFN-g" (not 'a' in "Tuba1a")."""
    if raw not in _GREEK_LETTER_ABBREV:
        return None
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before == "-" and not after.isalpha():
        return _GREEK_LETTER_ABBREV[raw]
    if before.isdigit() and not after.isalpha():
        k = start - 1
        while k > 0 and text[k - 1].isdigit():
            k -= 1
        if k > 0 and text[k - 1] == "-":
            return _GREEK_LETTER_ABBREV[raw]
    if after == "-" and not before.isalnum():
        return _GREEK_LETTER_ABBREV[raw]
    return None


def _expand(raw: str, start: int, text: str) -> Iterator[Piece]:
    """The pieces of one regex match, splitting glued Greek ("PKCalpha") and a human "h" prefix."""
    end = start + len(raw)
    if raw.lower() in GREEK:
        name = GREEK[raw.lower()]
        yield name, name, start, end
        return
    greek = _greek_abbreviation(raw, start, end, text)
    if greek:
        yield greek, greek, start, end
        return
    if raw in _ROMAN and start and text[start - 1] in "- " and not (end < len(text) and text[end].isalpha()):
        yield _ROMAN[raw], _ROMAN[raw], start, end
        return
    if raw in ("c", "v") and text[end:end + 1] == "-" and (start == 0 or not text[start - 1].isalnum()):
        return  # "c-kit", "v-src": the cellular/viral prefix of an oncogene (joined to the next piece)
    human = _HUMAN_PREFIX.match(raw)
    if human and (start == 0 or not text[start - 1].isalnum()):
        rest = human.group(1)  # "hOGG1": key without the species "h", span with it
        yield _KEY_VARIANTS.get(rest.lower(), rest.lower()), rest, start, end
        return
    glued = _GLUED_GREEK.match(raw)
    if glued:
        pos = start
        for part in glued.groups():
            if part:
                yield part.lower(), part, pos, pos + len(part)
                pos += len(part)
        return
    low = raw.lower()
    yield _KEY_VARIANTS.get(low, low), raw, start, end


# pieces whose expansion depends on the characters around them (see _expand)
_CONTEXTUAL = frozenset({*_GREEK_LETTER_ABBREV, *_ROMAN, "c", "v"})


@lru_cache(maxsize=65536)
def _context_free_pieces(raw: str) -> tuple[Piece, ...]:
    """Expansion of a piece that does not depend on its neighbours, offsets relative to it; cached
    per string because the same symbols and numbers recur in every abstract."""
    return tuple(_expand(raw, 0, raw))


def pieces(text: str) -> list[Piece]:
    """Split text into matching pieces (see module docstring)."""
    out: list[Piece] = []
    oncogene_prefix = -1  # start of a "c-"/"v-" prefix the next piece absorbs
    for m in _PIECE.finditer(text):
        raw = m.group()
        if raw in _DROPPED:
            continue
        if len(raw) > 1 and raw.islower() and raw not in _GREEK_NAMES:  # fast path: ordinary words
            expanded: list[Piece] | tuple[Piece, ...] = ((_KEY_VARIANTS.get(raw, raw), raw, m.start(), m.end()),)
        elif raw in _CONTEXTUAL or (raw[0] == "h" and _HUMAN_PREFIX.match(raw)):
            expanded = list(_expand(raw, m.start(), text))
            if not expanded:
                oncogene_prefix = m.start()
                continue
        else:
            start = m.start()
            expanded = [(k, c, start + a, start + b) for k, c, a, b in _context_free_pieces(raw)]
        if oncogene_prefix >= 0:
            key, cased, _, end = expanded[0]
            expanded = [(key, cased.upper(), oncogene_prefix, end), *expanded[1:]]
            oncogene_prefix = -1
        out.extend(expanded)
    return out


def piece_key(parts: list[Piece]) -> str:
    """The index key of a run of pieces (their keys joined)."""
    return "\x1f".join(p[0] for p in parts)


def cased_key(parts: list[Piece]) -> str:
    """The same run with each piece's case kept, for the case rules of symbols."""
    return "\x1f".join(p[1] for p in parts)
