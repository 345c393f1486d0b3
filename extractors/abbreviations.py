"""``genelit_abbreviation_detector``: scispaCy's Schwartz–Hearst ``AbbreviationDetector``, made to work on
the pipeline's fine tokens and made cheaper per document.

Why a subclass: scispaCy's detector decides on *tokens* what only makes sense on *words*.  With the
fine tokenizer (``extractors.ner.ner_tokenizer``, which splits at hyphens and slashes so that the trained
NER runs on the pipeline's own doc) "(IGF-I)" is five tokens, so scispaCy would reject the short form
"IGF-I" (its tokens "-" and "I" are shorter than 2 characters) and would read a three-token short form
as a long form in parentheses.  It also rebuilds the long form as the token texts joined by single spaces
and maps character positions back through ``text_with_ws``, which drifts when tokens are not separated
by whitespace.  Here the same rules are applied to whitespace-separated words and to the document's own
text, so the fine and the coarse tokenizer find the same definitions.

Per document it avoids spaCy's ``Matcher`` (which builds a Python ``Token`` for every token): brackets
and the later occurrences of each short form are found with integer arrays over ``ORTH``.
"""
from __future__ import annotations

import numpy
from scispacy.abbreviation import AbbreviationDetector
from spacy.attrs import ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

# scispaCy's limits: a parenthesis holds at most 8 words; up to 3 words it is a short form, else a long form
MAX_PARENTHESIS_WORDS = 8
MAX_SHORT_FORM_WORDS = 3


class ParenthesisMatcher:
    """Drop-in for the ``Matcher`` scispaCy's abbreviation detector builds for ``( + )``: every
    (``(`` token, later ``)`` token) pair with at least one token between, in the Matcher's order
    (by closing token, then latest opening first).

    Why: spaCy's Matcher creates Python ``Token`` objects for every token of every document (~0.3 ms per
    abstract); two integer arrays give the same matches in ~0.03 ms (tests/test_pipeline_fast_paths.py
    compares both on BioRED).
    """

    def __init__(self, vocab: Vocab) -> None:
        self.key = vocab.strings.add("parenthesis")
        self.open = vocab.strings.add("(")
        self.close = vocab.strings.add(")")

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        orth = doc.to_array(ORTH)
        opens = numpy.flatnonzero(orth == self.open).tolist()
        closes = numpy.flatnonzero(orth == self.close).tolist()
        return [(self.key, start, end + 1) for end in closes for start in reversed(opens) if end - start >= 2]


def long_form_start(long_text: str, short_text: str) -> int | None:
    """Schwartz & Hearst (2003): the character offset in ``long_text`` where the long form of
    ``short_text`` starts, or None.

    Every alphanumeric character of the short form, right to left, must occur in the long form in the same
    order, and the first one must begin a word.  The same loop as scispaCy's ``find_abbreviation``, on
    plain strings.
    """
    long_index = len(long_text) - 1
    short_index = len(short_text) - 1
    while short_index >= 0:
        char = short_text[short_index].lower()
        if not char.isalnum():
            short_index -= 1
            continue
        while (long_index >= 0 and long_text[long_index].lower() != char) or (
            short_index == 0 and long_index > 0 and long_text[long_index - 1].isalnum()
        ):
            long_index -= 1
        if long_index < 0:
            return None
        long_index -= 1
        short_index -= 1
    return long_index + 1


def plausible_short_form(text: str) -> bool:
    """scispaCy's ``short_form_filter`` on words: each word 2–9 characters, at least half of the characters
    letters, the first a letter."""
    words = text.split()
    return (
        bool(words)
        and all(2 <= len(word) < 10 for word in words)
        and sum(c.isalpha() for c in text) / len(text) >= 0.5
        and text[0].isalpha()
    )


def balanced(text: str) -> bool:
    """Whether every ``)`` closes an earlier ``(`` and none is left open."""
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


# Characters the fine tokenizer splits off inside a word but scispaCy's tokenizer keeps ("IGF-I", "p62/SQSTM1")
GLUE = frozenset("-/+=:")


class Words:
    """Where the words of a doc start, as scispaCy's tokenizer would cut them: a token starts a word unless
    it is glued to the token before by one of :data:`GLUE` (so "IGF-I" is one word and "(IGF-I)" three).

    Computed once per doc with integer arrays, so that counting the words of any of the O(n²) parenthesis
    candidates costs two look-ups.
    """

    def __init__(self, doc: Doc, glue: numpy.ndarray) -> None:
        orth_space = doc.to_array([ORTH, SPACY])
        is_glue = numpy.isin(orth_space[:, 0], glue)
        starts = numpy.ones(len(doc), dtype=bool)
        starts[1:] = (orth_space[:-1, 1] != 0) | ~(is_glue[1:] | is_glue[:-1])
        self.cumulative = numpy.concatenate(([0], numpy.cumsum(starts)))
        self.positions = numpy.flatnonzero(starts)

    def count(self, start: int, end: int) -> int:
        """Number of words starting in tokens ``start:end``."""
        return int(self.cumulative[end] - self.cumulative[start])

    def back(self, end: int, words: int) -> int:
        """First token of the ``words`` words that end before token ``end``."""
        return int(self.positions[max(int(self.cumulative[end]) - words, 0)]) if end else 0

    def start_of(self, token: int) -> int:
        """First token of the word holding ``token``."""
        return int(self.positions[int(self.cumulative[token + 1]) - 1])


def _token_at(span: Span, char: int) -> int:
    """Index (in the doc) of the first token of ``span`` that ends after character ``char`` of the span."""
    offset = span.start_char
    for token in span:
        if token.idx + len(token) - offset > char:
            return token.i
    return span.end


class GenelitAbbreviationDetector(AbbreviationDetector):
    """scispaCy's detector with word-level candidate rules; sets ``doc._.abbreviations`` as scispaCy does
    (short-form spans whose ``._.long_form`` is the definition)."""

    def __init__(self, nlp: Language, name: str = "genelit_abbreviation_detector") -> None:
        super().__init__(nlp, name)
        self.matcher = ParenthesisMatcher(nlp.vocab)
        self.glue = numpy.array([nlp.vocab.strings.add(char) for char in sorted(GLUE)], dtype=numpy.uint64)

    def __call__(self, doc: Doc) -> Doc:
        definitions: dict[str, tuple[Span, Span]] = {}  # short-form text -> (short, long); first one wins
        seen_long: set[str] = set()
        words = Words(doc, self.glue)
        for long_candidate, short_candidate in self._candidates(doc, words):
            long_form = self._long_form(long_candidate, short_candidate, words)
            if long_form is None or long_form.text in seen_long or short_candidate.text in definitions:
                continue
            seen_long.add(long_form.text)
            definitions[short_candidate.text] = (short_candidate, long_form)
        doc._.abbreviations = self._occurrences(doc, list(definitions.values()))
        return doc

    def _candidates(self, doc: Doc, words: Words) -> list[tuple[Span, Span]]:
        """(long-form candidate, short-form candidate) per parenthesis, by scispaCy's rules on words:
        "long form (SF)" and, for more than three words in the parentheses, "SF (long form)"."""
        candidates = []
        for _, open_at, close_after in self.matcher(doc):
            start, end = open_at + 1, close_after - 1  # inside the brackets
            n_words = words.count(start, end)
            if n_words > MAX_PARENTHESIS_WORDS or start == 1:
                continue
            inside = doc[start:end]
            if n_words > MAX_SHORT_FORM_WORDS:
                if not balanced(inside.text):
                    continue
                short, long = doc[words.back(open_at, 1) : open_at], inside
            else:
                length = sum(not c.isspace() for c in inside.text)  # characters of the short form
                max_words = min(length + 5, length * 2)
                short, long = inside, doc[words.back(open_at, max_words) : open_at]
            if len(short) and len(long) and plausible_short_form(short.text):
                candidates.append((long, short))
        return candidates

    @staticmethod
    def _long_form(candidate: Span, short: Span, words: Words) -> Span | None:
        start = long_form_start(candidate.text, short.text)
        if start is None:
            return None
        first = max(words.start_of(_token_at(candidate, start)), candidate.start)  # whole words, as scispaCy
        long_form = candidate.doc[first : candidate.end]
        # "database (formerly the ... mutation database)" would define "database" as itself: not a definition
        return long_form if len(long_form.text) > len(short.text) else None

    @staticmethod
    def _occurrences(doc: Doc, definitions: list[tuple[Span, Span]]) -> list[Span]:
        """Every occurrence of each defined short form (its token sequence, as scispaCy's global matcher
        finds them) in document order, each with ``._.long_form`` set."""
        if not definitions:
            return []
        orth = doc.to_array(ORTH)
        found = []
        for short, long_form in definitions:
            pattern = orth[short.start : short.end]
            n = len(pattern)
            for start in numpy.flatnonzero(orth[: len(orth) - n + 1] == pattern[0]).tolist():
                if n == 1 or (orth[start : start + n] == pattern).all():
                    span = doc[start : start + n]
                    span._.long_form = long_form
                    found.append(span)
        return sorted(found, key=lambda span: (span.start, span.end))


@Language.factory("genelit_abbreviation_detector", assigns=["doc._.abbreviations"])
def create_abbreviation_detector(nlp: Language, name: str) -> GenelitAbbreviationDetector:
    """Registered so pipelines and configs can name it like any spaCy component."""
    return GenelitAbbreviationDetector(nlp, name)
