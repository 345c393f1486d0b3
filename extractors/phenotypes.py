"""``genelit_phenotypes``: HPO phenotypes and OMIM/ORPHA diseases, with negation.

Three steps per document, all over the normalized tokens of :mod:`extractors.hpo_tokens`:

1. *Dictionary*: longest non-overlapping matches of HPO names/synonyms and disease names (case,
   plural, hyphen, British/American spelling and "X, mild" word-order variants folded), then of the
   order-free phenotype index ("thumb abnormalities" = *Abnormal thumb morphology*), with coordinated
   modifiers widened into one mention ("palmar and plantar pits" = *Palmar pits*, the first conjunct).
   With ``nested=True`` the head of a match that is itself a different phenotype is also recorded
   ("ulcerative colitis" + "colitis"): GSC+ annotates such nested concepts, BioRED never does, and
   curators rarely want them, so it is off by default and on in the ``hpo`` annotation profile
   (:data:`extractors.annotate.PROFILES`, ``genelit annotate --profile hpo``).
2. *Abbreviations*: a short form whose long form (``doc._.abbreviations``) was matched is the same
   concept ("intrauterine growth retardation (IUGR) ... IUGR"); a long form that ends with a match and
   adds a few words in front widens it ("gastroenteropancreatic neuroendocrine tumors (GEP-NETs)"), and a
   lexicon abbreviation the text defines as something else is dropped ("otilonium bromide (OB)").
3. *Fuzzy linking* (optional, ``use_linker``): candidate phrases the dictionary missed — runs of content
   words ending in a word that ends HPO terms ("growth *failure*", "*deafness*") — are normalized by
   scispaCy's ``CandidateGenerator`` over a char-3-gram TF-IDF + HNSW index of the lexicon, and kept
   above ``link_threshold`` cosine similarity.

A span that is both an HPO term and a disease name ("congenital hypothyroidism") is recorded once, as a
*phenotype* (what a curator lists for a patient), with the disease id in ``attrs["disease_id"]``.
Negated mentions are kept with ``negated=True`` so drafting can exclude them knowingly.

:func:`link_phenotype` / :func:`link_disease` normalize a free phrase (e.g. a span found by the trained
NER) to a :class:`~extractors.hpo_lexicon.Concept`: exact key first, then the fuzzy linker.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any

from genelit.extractors import hpo_lexicon, hpo_linker, hpo_matching, hpo_tokens
from genelit.extractors.base import add_mention, doc_text, sentence_of
from genelit.extractors.hpo_lexicon import Concept, Entry
from genelit.extractors.negation import is_negated
from genelit.models.mentions import MentionKind
from spacy.language import Language
from spacy.tokens import Doc

SOURCE = "genelit_phenotypes"
DEFAULT_LINK_THRESHOLD = 0.8
LINKER_NEIGHBOURS = 10
LEXICON_VERSION = hpo_lexicon.LEXICON_VERSION
_KINDS = {"phenotype": MentionKind.PHENOTYPE, "disease": MentionKind.DISEASE}


def _cuts_compound(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` begins or ends inside a hyphenated compound ("abnormal cell|-cell contacts").

    Why: an order-free (bag) match is loose evidence; one that takes half of "cell-cell" is a word-set
    coincidence, not a phrase.  Exact lexicon matches keep their spans ("cancer" of "cancer-related").
    """
    return (text[end:end + 1] == "-" and text[end + 1:end + 2].isalnum()) \
        or (start > 1 and text[start - 1] == "-" and text[start - 2].isalnum())


def _record(
    doc: Doc, text: str, start: int, end: int, entry: Entry, score: float, how: str,
    key: tuple[str, ...] | None = None,
) -> None:
    """Add one mention (a phenotype whose words also name a disease keeps the disease id in attrs);
    ``key`` (the span's lexicon key) saves re-tokenizing it when the caller has it."""
    concept = entry.concept
    attrs: dict[str, Any] = {"match": how}
    if concept.kind == "phenotype":
        disease = hpo_lexicon.load_lexicon().disease_keys.get(
            key if key is not None else hpo_tokens.key_of(text[start:end])
        )
        if disease:
            attrs["disease_id"] = disease
    add_mention(
        doc, _KINDS[concept.kind], start, end,
        concept_id=concept.concept_id, label=concept.label, score=score, source=SOURCE,
        negated=is_negated(text, start, end, sentence_of(doc, start)), **attrs,
    )


_STOPWORDS = frozenset(
    "a an the of in on at to for with without and or but by from as is are was were be been this that these "
    "those his her their its our we they he she it who which no not than then also both all any each other "
    "patient patients case cases family families child children".split()
)


@lru_cache(maxsize=1)
def _head_words() -> frozenset[str]:
    """Words that end at least five HPO phenotype names ("failure", "deafness", "hypoplasia")."""
    counts = Counter(key[-1] for key, entry in hpo_lexicon.load_lexicon().entries.items()
                     if entry.concept.kind == "phenotype" and len(key) > 1)
    return frozenset(word for word, n in counts.items() if n >= 5 and word not in _STOPWORDS and word.isalpha())


# A long form may add at most this many words in front of the mention it ends with ("gastroenteropancreatic
# | neuroendocrine tumors (GEP-NETs)", "chronic | hypoxia (CH)") ...
MAX_LONG_FORM_EXTRA_WORDS = 3
# ... but not a cause: in "dexamethasone-induced hypertension (dex-HT)" the disease is "hypertension".
_CAUSE_WORDS = frozenset({"induced", "associated", "related", "mediated", "dependent"})


def _abbreviations(doc: Doc, found: dict[tuple[int, int], tuple[Entry, str]]) -> None:
    """Short forms follow their long form, both ways.

    A short form whose long form was recognized (or is itself in the lexicon) becomes that concept
    ("intrauterine growth retardation (IUGR) ... IUGR").  A long form that *ends with* a recognized
    mention and adds a few words in front of it is the mention's real extent (the abbreviation detector
    checked the short form's letters against those words), so the mention is widened to it:
    "gastroenteropancreatic neuroendocrine tumors (GEP-NETs)".  A short form the text defines as
    something else (a long form holding no mention) is not a lexicon abbreviation there: "otilonium
    bromide (OB)" is no obesity, "room air (RA)" no rheumatoid arthritis.
    """
    lexicon = hpo_lexicon.load_lexicon()
    for short in getattr(doc._, "abbreviations", None) or []:
        long_form = short._.long_form
        span = (long_form.start_char, long_form.end_char)
        held = found.get(span)
        entry = held[0] if held is not None else lexicon.entries.get(hpo_tokens.key_of(long_form.text))
        if entry is None:
            entry = _widen_to(found, doc_text(doc), span)
        short_span = (short.start_char, short.end_char)
        if entry is None:
            defined_otherwise = not any(s < span[1] and span[0] < e for s, e in found)
            if defined_otherwise and short_span in found and found[short_span][0].surface is not None:
                del found[short_span]
            continue
        if not any(s < short_span[1] and short_span[0] < e for s, e in found):
            found[short_span] = (entry, "abbreviation")


def _widen_to(found: dict[tuple[int, int], tuple[Entry, str]], text: str, span: tuple[int, int]) -> Entry | None:
    """Widen the one mention that ends ``span`` (and alone overlaps it) to all of ``span``; its entry.

    Not when the added words are many, name a cause ("-induced") or start on punctuation: those long forms
    are the detector's over-reach (")/transient ischemic attack").
    """
    inside = [k for k in found if k[0] < span[1] and span[0] < k[1]]
    if len(inside) != 1 or inside[0][1] != span[1] or inside[0][0] <= span[0] or not text[span[0]].isalnum():
        return None
    extra = [t[3] for t in hpo_tokens.tokenize(text[span[0]:inside[0][0]])]
    if len(extra) > MAX_LONG_FORM_EXTRA_WORDS or _CAUSE_WORDS.intersection(extra):
        return None
    entry, _ = found.pop(inside[0])
    found[span] = (entry, "abbreviation long form")
    return entry


class PhenotypeTagger:
    """The spaCy component (see the module docstring)."""

    def __init__(
        self, nlp: Language, name: str, diseases: bool, abbreviations: bool, nested: bool, use_linker: bool,
        link_threshold: float,
    ) -> None:
        self.name = name
        self.nested = nested
        self.use_linker = use_linker
        self.link_threshold = link_threshold
        self.diseases = diseases
        self.abbreviations = abbreviations
        hpo_lexicon.load_lexicon()

    def __call__(self, doc: Doc) -> Doc:
        lexicon = hpo_lexicon.load_lexicon()
        text = doc_text(doc)
        tokens = hpo_tokens.tokenize(text)
        found: dict[tuple[int, int], tuple[Entry, str]] = {}
        keys: dict[tuple[int, int], tuple[str, ...]] = {}  # lexicon key of each matched span, not re-tokenized
        for match in hpo_matching.find_matches(tokens, lexicon, self.nested):
            start, end = tokens[match.first][0], tokens[match.last - 1][1]
            if (match.entry.concept.kind == "disease" and not self.diseases) \
                    or (match.how == "bag" and _cuts_compound(text, start, end)):
                continue
            found[(start, end)] = (match.entry, match.how)
            keys[(start, end)] = tuple(t[3] for t in tokens[match.first:match.last])
        if self.abbreviations:
            _abbreviations(doc, found)
        taken = [False] * len(text)
        for (start, end), (entry, how) in sorted(found.items()):
            taken[start:end] = [True] * (end - start)
            _record(doc, text, start, end, entry, 1.0, how, keys.get((start, end)))
        if self.use_linker:
            self._link_candidates(doc, text, tokens, taken)
        return doc

    def _link_candidates(self, doc: Doc, text: str, tokens: list[tuple[int, int, str, str]], taken: list[bool]) -> None:
        """Fuzzy-link uncovered 2-4 word phrases that end like an HPO term ("... growth failure")."""
        heads, stop = _head_words(), _STOPWORDS
        spans: list[tuple[int, int]] = []
        for j, (_, end, _, word) in enumerate(tokens):
            if word not in heads or taken[end - 1]:
                continue
            for i in range(max(j - 3, 0), j):
                window = tokens[i:j + 1]
                if window[0][3] in stop or any(not t[2][0].isalnum() or t[3] in stop for t in window) \
                        or any(taken[window[0][0]:end]):
                    continue
                spans.append((window[0][0], end))
        if not spans:
            return
        candidates = hpo_linker.load_candidate_generator()([text[s:e] for s, e in spans], LINKER_NEIGHBOURS)
        scored = []
        for (start, end), cands in zip(spans, candidates):
            for c in cands:
                similarity = max(c.similarities)
                if c.concept_id.startswith("HP:") and similarity >= self.link_threshold:
                    scored.append((similarity, end - start, start, end, c.concept_id))
        labels = hpo_lexicon.load_lexicon().labels
        for similarity, _, start, end, concept_id in sorted(scored, reverse=True):
            if any(taken[start:end]):
                continue
            entry = Entry(Concept(concept_id, labels[concept_id], "phenotype"))
            _record(doc, text, start, end, entry, round(similarity, 3), "linker")
            taken[start:end] = [True] * (end - start)


@Language.factory(
    "genelit_phenotypes",
    default_config={
        "diseases": True, "abbreviations": True, "nested": False, "use_linker": False, "link_threshold": 0.9,
    },
    # reads the abbreviation definitions (``abbreviations``) and the sentences (negation, and each mention
    # records its sentence); without them it runs on, with no definitions and one sentence
    assigns=["doc._.mentions"],
    requires=["doc._.abbreviations", "token.is_sent_start"],
)
def make_phenotype_tagger(
    nlp: Language, name: str, diseases: bool, abbreviations: bool, nested: bool, use_linker: bool,
    link_threshold: float,
) -> PhenotypeTagger:
    return PhenotypeTagger(nlp, name, diseases, abbreviations, nested, use_linker, link_threshold)


def _link(text: str, kind: str, threshold: float) -> Concept | None:
    """Exact lexicon key first; else the best fuzzy candidate of ``kind`` at or above ``threshold``."""
    lexicon = hpo_lexicon.load_lexicon()
    entry = lexicon.entries.get(hpo_tokens.key_of(text))
    if entry is not None and entry.concept.kind == kind:
        return entry.concept
    best: tuple[float, str] | None = None
    for candidate in hpo_linker.load_candidate_generator()([text], LINKER_NEIGHBOURS)[0]:
        if candidate.concept_id.startswith("HP:") != (kind == "phenotype"):
            continue
        similarity = max(candidate.similarities)
        if similarity >= threshold and (best is None or similarity > best[0]):
            best = (similarity, candidate.concept_id)
    if best is None:
        return None
    return Concept(best[1], lexicon.labels[best[1]], kind, round(best[0], 3))


def link_phenotype(text: str, threshold: float = DEFAULT_LINK_THRESHOLD) -> Concept | None:
    """Normalize a phrase to an HPO phenotype ("intrauterine growth failure" -> HP:0001511), or None."""
    return _link(text, "phenotype", threshold)


def link_disease(text: str, threshold: float = DEFAULT_LINK_THRESHOLD) -> Concept | None:
    """Normalize a phrase to an OMIM/ORPHA disease, or None."""
    return _link(text, "disease", threshold)
