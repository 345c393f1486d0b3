"""The vocabulary of order-free (bag) matching: how a word folds to its *bag word*.

A second, order-free index of phenotype names (FastHPOCR-style, built by
:func:`extractors.hpo_lexicon.build_bags`) keys them by the *set* of their content words after folding
abnormality words ("anomalies", "malformation", "defect" …), relational adjectives learned from HPO's own
synonyms ("renal" -> "kidney", :func:`adjective_nouns`), derived from anatomy nouns ("intestinal" ->
"intestine", :func:`derived_adjectives`) or, where HPO teaches nothing, taken from a short list of
standard medical adjectives (:data:`MEDICAL_ADJECTIVES`: "otic" -> "ear"), derivational suffixes
(:func:`stem`), and quantifiers ("multiple" = "numerous"), so "thumb abnormalities", "bridging of sella
turcica", "patellar dysplasia" or "multiple nevi" meet their HPO terms.

Separate because the same folding is applied when the bag index is built and when text is matched
against it (:mod:`extractors.hpo_matching`).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from genelit.extractors.hpo_sources import Term
from genelit.extractors.hpo_tokens import key_of, normalize_word

# Words HPO's own synonyms use interchangeably with "abnormality" ("Renal anomaly" = "Abnormality of the
# kidney" = "Abnormal renal morphology"; measured over hp.obo EXACT synonym pairs), plus "manifestation",
# the abstracts' word for the same thing ("cutaneous manifestations").  They fold to one bag word.
ABNORMALITY_WORDS = frozenset(
    "abnormal abnormality anomaly anomalous defect malformation deformity disorder disturbance morphology "
    "manifestation".split()
)


# Quantifiers HPO uses interchangeably in "Numerous nevi" / "Multiple pigmented nevi" / "Multiple lipomas":
# abstracts write "multiple nevi" for the first.  They fold to one bag word.
MANY_WORDS = frozenset({"multiple", "numerous"})
# "and"/"or" are not content words: "Abnormality of the mouth or lips" is {ABNORMAL, mouth, lip}, and a text
# window stops at them ("malformations of the kidney | or collecting system").
BAG_STOPWORDS = frozenset("a an the of in on at to for with by from and or".split())


_ADJECTIVE_ENDINGS = ("al", "ar", "an", "ic", "ous", "ary", "ine")
_ANATOMY_LABEL = re.compile(r"^(?:Abnormality of (?:the )?(\w+)|Abnormal (\w+) morphology)$")
_STEM_SUFFIXES = ("ically", "ical", "ation", "ing", "tic", "ed", "ia", "ic", "a", "y", "e")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Crude suffix stripping so derivations meet: dysplasia/dysplastic, bridging/bridged, occult/occulta."""
    for suffix in _STEM_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> list[str]:
    """The normalized words of ``text`` a bag is made of: no stopwords, no punctuation."""
    return [w for w in key_of(text) if w not in BAG_STOPWORDS and w[0].isalnum()]


def adjective_nouns(terms: dict[str, Term], phenotypes: set[str], min_count: int = 2) -> dict[str, str]:
    """Relational adjective -> anatomy noun ("renal" -> "kidney"), learned from HPO's own synonyms.

    Anatomy nouns are the X of labels "Abnormality of the X" / "Abnormal X morphology"; a pair is learned
    when two EXACT names of one term differ by exactly one word on each side, one of them an anatomy noun
    (not itself adjective-shaped) and the other adjective-shaped ("Renal cyst" / "Kidney cyst"), seen in
    ``min_count`` terms or more.  Adjectives derived regularly from an anatomy noun (:func:`derived_adjectives`:
    "intestinal", "clavicular") and used in HPO names are added where the synonyms taught nothing.
    """
    nouns = {normalize_word(m.group(1) or m.group(2))
             for t in phenotypes if (m := _ANATOMY_LABEL.match(terms[t].name))}
    pairs: Counter = Counter()
    for tid in phenotypes:
        term = terms[tid]
        names = [set(content_words(n)) for n in [term.name, *(s for s, scope in term.synonyms or [] if scope == "EXACT")]]
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                if len(a - b) == 1 and len(b - a) == 1:
                    x, y = next(iter(a - b)), next(iter(b - a))
                    for adjective, noun in ((x, y), (y, x)):
                        if noun in nouns and len(adjective) >= 5 and adjective.endswith(_ADJECTIVE_ENDINGS) \
                                and not noun.endswith(_ADJECTIVE_ENDINGS):
                            pairs[adjective, noun] += 1
    best: dict[str, tuple[int, str]] = {}
    for (adjective, noun), count in pairs.items():
        if count >= min_count and count > best.get(adjective, (0, ""))[0]:
            best[adjective] = (count, noun)
    learned = {adjective: noun for adjective, (_, noun) in best.items()}
    vocabulary = {w for t in phenotypes for n in [terms[t].name, *(s for s, _ in terms[t].synonyms or [])]
                  for w in content_words(n)}
    for noun in sorted(nouns):
        for adjective in derived_adjectives(noun) & vocabulary:
            learned.setdefault(adjective, noun)
    for adjective, noun in MEDICAL_ADJECTIVES.items():
        learned.setdefault(adjective, noun)
    return learned


# Standard relational adjectives of clinical writing whose noun HPO's synonyms never pair with them
# (Greek/Latin roots: "otic" = ear, "articular" = joint), so :func:`adjective_nouns` cannot learn them;
# textbook vocabulary, filled in only where HPO taught nothing.  "auditory" is the sense, not the organ:
# HPO files "auditory manifestations" under *Hearing abnormality*.
MEDICAL_ADJECTIVES: dict[str, str] = {
    "otic": "ear", "aural": "ear", "auditory": "hearing",
    "ophthalmic": "eye", "ophthalmologic": "eye", "ophthalmological": "eye",
    "articular": "joint", "cardiac": "heart", "oral": "mouth", "osseous": "bone",
}


# Latin/English noun endings dropped before a relational suffix: intestin|e -> intestin|al,
# vertebr|a -> vertebr|al, duoden|um -> duoden|al, humer|us -> humer|al, clavic|le -> clavic|ular.
_NOUN_ENDINGS = ("le", "um", "us", "a", "e", "y", "")
_RELATIONAL_SUFFIXES = ("al", "ar", "ic", "eal", "ial", "ular")


def derived_adjectives(noun: str) -> set[str]:
    """Relational adjectives a noun's stem may take ("intestine" -> "intestinal", "clavicle" -> "clavicular").

    Only the forms that also occur in HPO names are kept by :func:`adjective_nouns`, so over-generation
    ("intestinic") costs nothing; the synonym-learned pairs take precedence.
    """
    out = set()
    for ending in _NOUN_ENDINGS:  # a bare short stem over-generates ("limb" -> "limbic"), so it needs 5 letters
        if noun.endswith(ending) and len(noun) - len(ending) >= (3 if ending else 5):
            base = noun[: len(noun) - len(ending)] if ending else noun
            out.update(base + suffix for suffix in _RELATIONAL_SUFFIXES)
    return out


def bag_word(word: str, adjective_to_noun: dict[str, str]) -> str:
    """The order-free matching form of a normalized word: abnormality words and quantifiers fold,
    adjectives -> nouns, stem."""
    if word in ABNORMALITY_WORDS:
        return "ABNORMAL"
    if word in MANY_WORDS:
        return "MANY"
    return stem(adjective_to_noun.get(word, word))


def fine_bag_word(word: str, adjective_to_noun: dict[str, str]) -> str:
    """:func:`bag_word`, but an abnormality word keeps its own (stemmed) form.

    Why: HPO's synonyms choose the abnormality word with care ("Renal malformation" is *Abnormal renal
    morphology*, "Renal anomaly" *Abnormality of the kidney*), so where the text's word picks out another
    term than the folded bag, the text's word decides.
    """
    return stem(word) if word in ABNORMALITY_WORDS else bag_word(word, adjective_to_noun)
