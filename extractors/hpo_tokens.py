"""The normalized token keys that HPO lexicon entries and text meet on (:func:`tokenize`, :func:`key_of`).

Matching works on *normalized token keys*: lower case, plural folded (Latin plurals too: "nevi",
"fistulae"), British spellings folded to American, hyphens and possessives dropped, bound prefixes joined
("pre-auricular") — so the same function is applied to lexicon entries and to text and they meet on equal
keys.

Separate because the lexicon builder, the matcher, the phenotype component and ``genelit_ner`` all key
phrases with exactly these functions.
"""
from __future__ import annotations

import re
from functools import lru_cache

# A bound prefix joined by a hyphen is one word ("pre-auricular" = "preauricular"); other hyphens split.
_BOUND_PREFIXES = frozenset(
    "pre post peri para intra inter sub supra hyper hypo micro macro non extra infra retro pseudo".split()
)
_TOKEN = re.compile(r"(\w+)(?:['’]s\b)?|[^\w\s]")
_SHORT_NON_PLURALS = frozenset({"this", "thus", "does", "plus", "less", "lens", "iris", "axis", "apis"})
_IGNORED_PUNCT = frozenset("-‐‑–—'’\"")
_BRITISH = (("aemia", "emia"), ("haem", "hem"), ("oedema", "edema"), ("oesophag", "esophag"),
            ("paed", "ped"), ("foet", "fet"), ("leukaem", "leukem"), ("tumour", "tumor"),
            ("anaes", "anes"), ("orrhoea", "orrhea"), ("ischaem", "ischem"), ("coeliac", "celiac"),
            ("oestr", "estr"), ("behaviour", "behavior"), ("colour", "color"), ("naev", "nev"))
# Latin plurals of the clinical vocabulary: nev|i -> nev|us, embol|i, villi, thromb|i; fistul|ae -> fistul|a,
# vertebr|ae, stri|ae.  "-i" only after l/v/b, the endings of Latin "-us" nouns, because other words ending
# in "i" are mostly names and ethnonyms ("typhi", "Israeli") that must not meet a lexicon word.
_LATIN_I_PLURAL = ("li", "vi", "bi")


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Fold case, British spelling and plural so that text and lexicon words meet on one form."""
    w = word.lower()
    for british, american in _BRITISH:
        if british in w:
            w = w.replace(british, american)
    if (len(w) > 4 or (len(w) == 4 and w not in _SHORT_NON_PLURALS)) and w.isalpha():
        if w.endswith(_LATIN_I_PLURAL):
            w = w[:-1] + "us"
        elif w.endswith("ae") and len(w) > 4:
            w = w[:-1]
        elif w.endswith("ies"):
            w = w[:-3] + "y"
        elif w.endswith("es") and w[-3] in "sxz" and not w.endswith("ses"):
            w = w[:-2]
        elif w.endswith("s") and not w.endswith(("ss", "us", "is", "ics", "sis")):
            w = w[:-1]
    return w


def tokenize(text: str) -> list[tuple[int, int, str, str]]:
    """Tokens of ``text`` as (start, end, surface, normalized key word); hyphens/quotes are skipped.

    A bound prefix and its hyphen join the next word ("pre-auricular" is "preauricular").
    """
    out: list[tuple[int, int, str, str]] = []
    append = out.append
    joined = -1  # end of a "prefix-" awaiting its word
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        word = m.group(1)
        if word is None:
            char = text[start]
            if char == "-" and out and out[-1][1] == start and out[-1][2].lower() in _BOUND_PREFIXES:
                joined = end
            elif char not in _IGNORED_PUNCT:
                append((start, end, char, char))
        elif joined == start and word.isalpha():
            first = out.pop()
            append((first[0], start + len(word), text[first[0]:start + len(word)], normalize_word(first[2] + word)))
        else:
            append((start, start + len(word), word, normalize_word(word)))
    return out


def key_of(text: str) -> tuple[str, ...]:
    """The lexicon key of a phrase."""
    return tuple(t[3] for t in tokenize(text))
