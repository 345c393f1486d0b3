"""Shared plumbing for the extractor components: the ``doc._.mentions`` extension and helpers."""
from __future__ import annotations

from bisect import bisect_right
from typing import Any

from genelit.models.mentions import Mention, MentionKind
from spacy.tokens import Doc

if not Doc.has_extension("mentions"):
    Doc.set_extension("mentions", default=None)

# Where spaCy keeps the value of ``doc._.mentions`` (``Underscore._get_key``).  Components read and extend
# the list through this key: ``doc._`` builds an ``Underscore`` object on every access, which cost ~0.1 ms
# per abstract over the ~25 mentions each component adds (tests/test_pipeline.py checks both stay one list).
MENTIONS_KEY = ("._.", "mentions", None, None)

# Score of a mention whose span was recognized but could not be linked to a concept id: a gene symbol the
# lexicon cannot resolve (genelit_genes) or a model span without a link (genelit_ner).  One value, so that
# both components rank such spans alike.
UNLINKED_SCORE = 0.5


def mentions(doc: Doc) -> list[Mention]:
    """The document's mention list, ``doc._.mentions`` (created on first use)."""
    found = doc.user_data.get(MENTIONS_KEY)
    if found is None:
        found = doc.user_data[MENTIONS_KEY] = []
    return found


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds the string from tokens on every access."""
    text = doc.user_data.get("genelit_text")
    if text is None:
        text = doc.user_data["genelit_text"] = doc.text
    return text


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character (start, end) of each sentence, computed once per doc and cached on it."""
    cached = doc.user_data.get("genelit_sentences")
    if cached is None:
        if doc.has_annotation("SENT_START"):
            cached = [(s.start_char, s.end_char) for s in doc.sents]
        else:
            cached = [(0, len(doc_text(doc)))]
        doc.user_data["genelit_sentences"] = cached
    return cached


def sentence_of(doc: Doc, char_offset: int) -> tuple[int, int]:
    """The (start, end) of the sentence containing ``char_offset``."""
    bounds = sentence_bounds(doc)
    starts = doc.user_data.get("genelit_sentence_starts")
    if starts is None:
        starts = [s for s, _ in bounds]
        doc.user_data["genelit_sentence_starts"] = starts
    i = max(bisect_right(starts, char_offset) - 1, 0)
    return bounds[i]


def add_mention(
    doc: Doc,
    kind: MentionKind,
    start: int,
    end: int,
    *,
    concept_id: str | None = None,
    label: str | None = None,
    negated: bool = False,
    score: float = 1.0,
    source: str = "",
    **attrs: Any,
) -> Mention:
    """Record one mention with exact character offsets and its sentence."""
    s_start, s_end = sentence_of(doc, start)
    mention = Mention(
        kind=kind,
        text=doc_text(doc)[start:end],
        start=start,
        end=end,
        sentence_start=s_start,
        sentence_end=max(s_end, end),
        concept_id=concept_id,
        label=label,
        negated=negated,
        score=score,
        source=source,
        attrs=attrs,
    )
    mentions(doc).append(mention)
    return mention
