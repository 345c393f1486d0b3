"""Finding HPO phenotypes and diseases in tokenized text (:func:`find_matches`).

:func:`find_matches` picks the longest non-overlapping matches of the exact and the order-free indexes;
where the text's own abnormality word picks out another term (a *fine* bag: "malformations of the
kidney" = *Renal malformation*), that term wins.  It widens coordinated modifiers ("palmar and plantar
pits", "branchial, otic and renal anomalies"), locates lesion types by an organ adjective ("gingival
papules" = *Abnormality of the gingiva*, :func:`_located_lesion`) and, for HPO concept recognition, adds
the phenotypes nested in a longer match (:func:`_nested_heads`).

Separate from the lexicon so that matching policy can change without rebuilding the cached lexicon.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from genelit.extractors.hpo_bags import BAG_STOPWORDS, MANY_WORDS, fine_bag_word, stem
from genelit.extractors.hpo_lexicon import Entry, Lexicon

# "Neurological signs", "cardiac symptoms": for HPO concept recognition (GSC+ annotates "neurological signs"
# as *Abnormality of the nervous system*) the organ's signs are its abnormality; BioRED leaves such generic
# phrases unannotated ("without neurological signs", "skin symptoms" in BioRED Train), so only the nested
# (`hpo` profile) matching reads them so, and only in order-free matches (exact names keep "Babinski sign").
SIGN_WORDS = {"sign": "manifestation", "symptom": "manifestation"}
# "Abnormal shape of joints" / "Abnormally shaped heart" / "Abnormal of nasal shape": HPO's synonyms of its
# *Abnormal X morphology* terms (67 in hp.obo) say an abnormal shape is the abnormal morphology.  "shape" alone
# is no abnormality ("Triangular skull shape", "head shape"), so it folds only after "abnormal(ly)"
# (:func:`_abnormal_shape`).
SHAPE_WORDS = frozenset({"shape", "shaped"})
_ABNORMAL_ADVERB = "abnormally"
_BAG_LINKERS = frozenset("a an the of".split())  # may sit inside a text window


def _abnormal_shape(tokens: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """``tokens`` for order-free matching, with a shape word read as "morphology" when one of the two words
    before it is "abnormal(ly)" ("abnormal clavicular shape" = *Abnormal clavicle morphology*)."""
    if not any(t[3] in SHAPE_WORDS for t in tokens):
        return tokens
    out = list(tokens)
    for i, token in enumerate(tokens):
        if token[3] in SHAPE_WORDS and any(t[3] in ("abnormal", _ABNORMAL_ADVERB) for t in tokens[max(0, i - 2):i]):
            out[i] = (*token[:3], "morphology")
            if tokens[i - 1][3] == _ABNORMAL_ADVERB:  # "abnormally shaped": the adverb is no bag word
                out[i - 1] = (*tokens[i - 1][:3], "abnormal")
    return out


def fine_bag_entry(words: list[str], lexicon: Lexicon) -> Entry | None:
    """The entry of the fine bag of normalized content ``words``, if it names another term than the coarse."""
    return lexicon.fine_bags.get(frozenset(fine_bag_word(w, lexicon.adjective_nouns) for w in words))


def iter_matches(tokens: list[tuple[int, int, str, str]], lexicon: Lexicon) -> Iterator[tuple[int, int, Entry]]:
    """Longest, left-to-right, non-overlapping lexicon matches over tokens: (first token, end token, entry)."""
    entries, prefixes = lexicon.entries, lexicon.prefixes
    i, n = 0, len(tokens)
    while i < n:
        best: tuple[int, Entry] | None = None
        key: tuple[str, ...] = ()
        j = i
        while j < n:
            key = key + (tokens[j][3],)
            if key not in prefixes:
                break
            entry = entries.get(key)
            if entry is not None and (entry.surface is None or entry.surface == tokens[i][2]):
                best = (j + 1, entry)
            j += 1
        if best is None:
            i += 1
            continue
        yield i, best[0], best[1]
        i = best[0]


@dataclass(frozen=True)
class Match:
    """A lexicon match over tokens [first, last), and how it was found (kept in the mention's attrs)."""

    first: int
    last: int
    entry: Entry
    how: str  # "dictionary", "bag", "coordination", "located" or "nested"


_COORDINATORS = frozenset({"and", "or", ","})


def _exact_candidates(tokens: list[tuple[int, int, str, str]], lexicon: Lexicon) -> list[tuple[int, int, int, Entry, str]]:
    """Every exact lexicon match (any start, any length) as a selection candidate (see :func:`find_matches`)."""
    prefixes, entries = lexicon.prefixes, lexicon.entries
    out: list[tuple[int, int, int, Entry, str]] = []
    n = len(tokens)
    for i, token in enumerate(tokens):
        key = (token[3],)
        j = i
        while key in prefixes:
            entry = entries.get(key)
            if entry is not None and (entry.surface is None or entry.surface == token[2]):
                out.append((i - j - 1, 0, i, entry, "dictionary"))
            j += 1
            if j == n:
                break
            key = key + (tokens[j][3],)
    return out


def _bag_candidates(
    tokens: list[tuple[int, int, str, str]], lexicon: Lexicon, max_words: int = 6
) -> list[tuple[int, int, int, Entry, str]]:
    """Order-free matches ("thumb abnormalities" = "Abnormal thumb morphology") as selection candidates.

    A window grows over content words the bag index knows and over "of"/"the" ("malformations of the
    kidney"); it never starts on a stopword, never ends on a relational adjective ("hyperplasia of the
    mandibular | coronoid"), nor, when it holds "of", before another known word ("failure of kidney |
    function"); it never crosses punctuation, a coordinator or another preposition.  A window
    stops as soon as its first two words share no bag (``bag_pairs``), which keeps ordinary text cheap,
    and at a word it already holds: HPO names never repeat one, "abnormal cell-cell contacts" is no
    *Abnormal cell morphology*.
    """
    bag_words, bags, adjectives, pairs = lexicon.bag_words, lexicon.bags, lexicon.adjective_nouns, lexicon.bag_pairs
    out: list[tuple[int, int, int, Entry, str]] = []
    n = len(tokens)
    for i, token in enumerate(tokens):
        first = bag_words.get(token[3])
        if first is None:
            continue
        words, raw, linked = [first], [token[3]], False
        for j in range(i + 1, min(i + max_words, n)):
            word = tokens[j][3]
            if word in _BAG_LINKERS:
                linked = True
                continue
            bag = bag_words.get(word)
            if bag is None or (first, bag) not in pairs or word in raw:  # names never repeat a word ("cell-cell")
                break
            words.append(bag)
            raw.append(word)
            if word not in adjectives and (j + 1 == n or not linked or tokens[j + 1][3] not in bag_words):
                entry = bags.get(frozenset(words))
                if entry is not None:
                    out.append((i - j - 1, 1, i, fine_bag_entry(raw, lexicon) or entry, "bag"))
    return out


def find_matches(tokens: list[tuple[int, int, str, str]], lexicon: Lexicon, nested: bool = False) -> list[Match]:
    """Non-overlapping matches, longest first (phenotypes, then exact, first), plus coordinated ellipses.

    With ``nested``, a phenotype nested in a multi-word match that is a *different* concept is also
    returned ("ulcerative colitis" -> "colitis", :func:`_nested_heads`): GSC+ annotates such nested
    concepts, BioRED does not.  ``nested`` is the HPO concept-recognition reading, so there the order-free
    match also reads "signs"/"symptoms" of an organ as its abnormality (:data:`SIGN_WORDS`).  In both readings
    an abnormal shape is an abnormal morphology (:func:`_abnormal_shape`).
    """
    bag_tokens = _abnormal_shape(tokens)
    if nested and any(t[3] in SIGN_WORDS for t in tokens):
        bag_tokens = [(*t[:3], SIGN_WORDS.get(t[3], t[3])) for t in bag_tokens]
    candidates = _exact_candidates(tokens, lexicon) + _bag_candidates(bag_tokens, lexicon)
    # longest, then phenotype before disease ("anorectal malformations" is the HPO bag *Anorectal anomaly*
    # rather than a disease name of the gazetteer), then exact before bag, then leftmost
    candidates.sort(key=lambda c: (c[0], c[3].concept.kind != "phenotype", c[1], c[2]))
    taken = [False] * len(tokens)
    chosen: list[Match] = []
    for neg_len, _, i, entry, how in candidates:
        last = i - neg_len
        if True in taken[i:last]:
            continue
        taken[i:last] = [True] * (last - i)
        chosen.append(Match(i, last, entry, how))
    out: list[Match] = []
    for match in sorted(chosen, key=lambda m: m.first):
        match = _located_lesion(tokens, match, lexicon, taken)
        coordination = _coordinated(tokens, match, lexicon, taken, nested) if match.last - match.first > 1 else []
        coordination = coordination or _right_coordinated(tokens, match, lexicon, taken)
        out.extend(coordination)
        if coordination and not nested:
            continue
        out.append(match)
        if nested:
            out.extend(_nested_heads(tokens, match, lexicon))
    return out


# HPO files the primary lesion types (papule, macule, nodule, plaque, vesicle …) under this term
LOCALIZED_SKIN_LESION = "HP:0011355"


def is_lesion_type(concept_id: str, lexicon: Lexicon) -> bool:
    """Whether HPO files ``concept_id`` as a kind of lesion (papule, macule …: under *Localized skin lesion*)."""
    return concept_id == LOCALIZED_SKIN_LESION or is_a(concept_id, LOCALIZED_SKIN_LESION, lexicon)


def _located_lesion(tokens: list[tuple[int, int, str, str]], match: Match, lexicon: Lexicon, taken: list[bool]) -> Match:
    """A lesion type located by an organ adjective HPO has no term for: "gingival papules".

    HPO's lesion types (the terms under *Localized skin lesion*) say what a lesion looks like, not where
    it is; the organ adjective before one says where.  Where "<adjective> <lesion>" is no HPO term, the
    finding is the organ's abnormality term (*Abnormality of the gingiva*), as HPO concept recognition
    annotates it — unless that term already files the lesion under it ("cutaneous papules" are skin
    papules: the mention widens and stays *Papule*).
    """
    i = match.first - 1
    if match.last - match.first != 1 or i < 0 or taken[i] or match.entry.concept.kind != "phenotype":
        return match
    noun = lexicon.adjective_nouns.get(tokens[i][3])
    head = match.entry.concept.concept_id
    if noun is None or not is_lesion_type(head, lexicon):
        return match
    organ = lexicon.bags.get(frozenset({"ABNORMAL", stem(noun)}))
    if organ is None:
        return match
    taken[i] = True
    located = organ.concept.concept_id
    return Match(i, match.last, match.entry if is_a(head, located, lexicon) else organ, "located")


def _lookup(words: tuple[str, ...], lexicon: Lexicon) -> Entry | None:
    """Exact key first, then the order-free bag (its fine form first)."""
    entry = lexicon.entries.get(words)
    if entry is None and len(words) > 1:
        content = [w for w in words if w not in BAG_STOPWORDS]
        bag = [lexicon.bag_words.get(w) for w in content]
        entry = None if None in bag else lexicon.bags.get(frozenset(bag))
        if entry is not None:
            entry = fine_bag_entry(content, lexicon) or entry
    return entry


def _coordinated(
    tokens: list[tuple[int, int, str, str]], match: Match, lexicon: Lexicon, taken: list[bool], nested: bool
) -> list[Match]:
    """Coordinated modifiers sharing a head: "palmar and plantar pits", "otic and renal anomalies".

    For a matched "<modifier> <head…>", each preceding "<word> and/or/," whose "<word> <head…>" is
    itself a concept widens the mention leftwards; the widest span takes the *first* conjunct's concept
    (the GSC+ and BioRED convention: "breast and ovarian cancer" is one mention).  With ``nested``, the
    intermediate coordinations are returned as well.
    """
    if match.last - match.first < 2:
        return []
    head = tuple(t[3] for t in tokens[match.first + 1:match.last])
    widened: list[Match] = []
    i = match.first
    while i >= 2:
        j = i - 1
        while j >= 1 and tokens[j][3] in _COORDINATORS:
            j -= 1
        if j == i - 1 or taken[j] or not tokens[j][2][0].isalpha():
            break
        entry = None
        for first in (j - 1, j):  # a two-word conjunct first: "posterior subcapsular or capsular cataract"
            words = tuple(t[3] for t in tokens[first:j + 1])
            if first > 0 and not taken[first] and words[0][0].isalpha() and words[0] not in _COORDINATORS \
                    and words[0] not in BAG_STOPWORDS:
                entry = _lookup(words + head, lexicon)
                if entry is not None:
                    j = first
                    break
        if entry is None or entry.concept.kind != match.entry.concept.kind:
            break
        widened.append(Match(j, match.last, entry, "coordination"))
        taken[j:i] = [True] * (i - j)
        i = j
    if not widened:
        return []
    outer = widened[-1]
    return [outer, *widened[:-1]] if nested else [outer]


# conjuncts of a right coordination are at most this many words ("of the kidney or | renal pelvis")
MAX_RIGHT_CONJUNCT = 3


def _right_coordinated(
    tokens: list[tuple[int, int, str, str]], match: Match, lexicon: Lexicon, taken: list[bool]
) -> list[Match]:
    """A coordinated complement sharing a head: "hypopigmentation of skin or hair".

    For a matched "<head…> of <A>" followed by "or/and <B>" where "<head…> of <B>" is itself a concept,
    the mention widens over "<B>" and takes *that* concept (*Hypopigmentation of hair*): the mirror image
    of :func:`_coordinated`, where the widened span takes the first conjunct's concept — in both, the
    whole span names the conjunct whose words are not contiguous, as GSC+ annotates.  The longest
    ``<B>`` of up to :data:`MAX_RIGHT_CONJUNCT` free words wins.
    """
    words = [t[3] for t in tokens[match.first:match.last]]
    if "of" not in words[1:-1] or match.last + 1 >= len(tokens) or tokens[match.last][3] not in ("or", "and"):
        return []
    head = tuple(words[:words.index("of", 1) + 1])
    start = match.last + 1
    for end in range(min(start + MAX_RIGHT_CONJUNCT, len(tokens)), start, -1):
        conjunct = tokens[start:end]
        if any(taken[start:end]) or not all(t[2][0].isalpha() for t in conjunct) \
                or any(t[3] in _COORDINATORS or t[3] in BAG_STOPWORDS for t in conjunct):
            continue
        entry = _lookup(head + tuple(t[3] for t in conjunct), lexicon)
        if entry is not None and entry.concept.kind == match.entry.concept.kind:
            taken[match.last:end] = [True] * (end - match.last)
            return [Match(match.first, end, entry, "coordination")]
    return []


def is_a(concept_id: str, ancestor: str, lexicon: Lexicon) -> bool:
    """Whether HPO files ``concept_id`` under ``ancestor`` (transitively): *Ulcerative colitis* is a *Colitis*."""
    seen, stack = set(), [concept_id]
    while stack:
        for parent in lexicon.parents.get(stack.pop(), ()):
            if parent == ancestor:
                return True
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return False


def _nested_heads(tokens: list[tuple[int, int, str, str]], match: Match, lexicon: Lexicon) -> list[Match]:
    """The longest phenotype nested in a longer match that is a different concept, one level deep.

    In a phenotype the nested one ends it and must be what HPO files the whole under ("ulcerative colitis"
    -> "colitis", a kind of colitis), else the head word is part of a name rather than a finding of its own:
    HPO has no *Basal cell carcinoma* under *Carcinoma*, and "acoustic neuroma" is a schwannoma, no
    neuroma (on GSC+ dev this keeps all 10 nested heads annotators marked and drops 8 of 13 they did not).
    In a disease name it may sit anywhere ("neurofibromatosis 2" -> "neurofibromatosis", "nevoid basal cell carcinoma syndrome" ->
    "basal cell carcinoma").  One level, because GSC+, the corpus that annotates nested concepts, leaves
    "carcinoma" in that "basal cell carcinoma" alone.  Nothing is nested under a mere quantifier: "multiple
    nevi" is *Numerous nevi*, and its "nevi" is no second finding.  Nor is a lesion type
    (:func:`is_lesion_type`) nested in a longer phenotype: "macules" in "cafe au lait macules" only says
    what the lesion looks like (GSC+ dev: 3 such nested heads, none annotated).
    """
    anywhere = match.entry.concept.kind == "disease"
    for length in range(match.last - match.first - 1, 0, -1):
        starts = range(match.first, match.last - length + 1) if anywhere else (match.last - length,)
        for first in starts:
            entry = lexicon.entries.get(tuple(t[3] for t in tokens[first:first + length]))
            rest = {t[3] for t in tokens[match.first:first] + tokens[first + length:match.last]}
            if entry is not None and entry.concept.kind == "phenotype" and entry.surface is None \
                    and entry.concept.concept_id != match.entry.concept.concept_id and not rest <= MANY_WORDS \
                    and (anywhere or (is_a(match.entry.concept.concept_id, entry.concept.concept_id, lexicon)
                                      and not is_lesion_type(entry.concept.concept_id, lexicon))):
                return [Match(first, first + length, entry, "nested")]
    return []
