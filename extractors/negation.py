"""NegEx-style negation scope: is a span of a sentence negated ("no hearing loss", "seizures were absent")?

Why a rule set rather than a model: negation in case reports is carried by a small closed set of
phrases (Chapman et al. 2001, NegEx), and curators need to see *why* a phenotype was excluded.  A
*pre-trigger* ("no", "without", "negative for", "did not show") negates what follows it up to a scope
terminator ("but", "however", "although", ";" ...) or ``MAX_SCOPE_WORDS`` words; a *post-trigger*
("was absent", "were excluded", "was not observed") negates what precedes it back to a terminator.
Pseudo-triggers ("no significant difference", "not only", "with or without") are not negations, nor
are negated relations ("is not associated with X", "is not a common cause of X", "was not affected by
X"), which say nothing about whether X is present; a finite copula ends a scope ("Mice lacking mPGES-1 |
are resistant to ... polyuria"), and all-caps "NO" is nitric oxide.  Scope never leaves the sentence.
Pure functions over text: any component may call them.
"""
from __future__ import annotations

import re
from functools import lru_cache

MAX_SCOPE_WORDS = 8

_PRE_TRIGGERS = (
    r"no", r"not", r"without", r"absence of", r"lack of", r"lacked", r"lacking", r"negative for",
    r"free of", r"free from", r"ruled out", r"rule out", r"exclusion of", r"never",
    r"neither", r"nor", r"denied", r"denies", r"none of",
    r"(?:did|does|do|had|has|have|was|were|is|are|could|can)(?: not|n't)(?: \w+)?",
)
_POST_TRIGGERS = (
    (r"(?:was|were|is|are|been|being)(?: also)? (?:absent|excluded|ruled out|negative|not (?:present|observed|"
     r"seen|detected|found|noted|identified|evident|apparent|reported))"),
    r"(?:was|were|is|are) not",
    r"not (?:observed|seen|detected|found|noted|identified|present)",
    r"(?:was|were) unremarkable",
)
_PSEUDO = (
    (r"no (?:significant|further|longer|change|increase|decrease|difference|association|correlation|"
     r"evidence of (?:a )?(?:difference|association))"),
    r"not only", r"not necessarily", r"not certain (?:if|whether)", r"with or without", r"whether or not",
    r"gram[- ]negative", r"not (?:been )?(?:previously )?(?:described|reported)", r"cannot be excluded",
    r"could not be excluded", r"not be ruled out", r"not rule out",
    # a negated relation, not an absent finding: "is not associated with generalized aggressive periodontitis",
    # "is not a major risk factor for lymphoid malignancies", "does not interfere with the mild inflammation"
    (r"(?:(?:is|was|are|were|be|been) )?not (?:be |been )?(?:significantly )?"
     r"(?:associated|implicated|involved|linked|correlated)"),
    r"(?:is|was|are|were) not an? (?:major |significant |common |independent )?(?:risk|cause|factor|predictor)",
    r"(?:does|did|do) not (?:\w+ly )?(?:seem|appear|play|contribute|affect|influence|interfere|differ)",
    r"(?:had|has|have) no (?:influence|effect|impact|role)", r"without (?:affecting|altering|changing)",
    r"(?:is|was|are|were) not (?:rare|uncommon|unusual|infrequent)", r"no matter",
    r"(?:is|was|are|were) not (?:\w+ly )?(?:altered|affected|changed|modified|different)",
)
_TERMINATORS = (
    r"but", r"however", r"although", r"though", r"except", r"apart from", r"aside from", r"yet",
    r"whereas", r"while", r"which", r"who", r"whose", r"that", r"because", r"due to", r"nevertheless",
    r"presented with", r"had", r"has", r"have", r"showed", r"developed", r"[;:]",
    # a finite copula starts another clause: "Hepatic but not brain iron | is rapidly chelated ... in X"
    r"is", r"are", r"was", r"were",
)


def _alternation(phrases: tuple[str, ...]) -> str:
    return "|".join(sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    def bounded(phrases: tuple[str, ...]) -> re.Pattern[str]:
        return re.compile(rf"(?<![\w-])(?:{_alternation(phrases)})(?![\w-])", re.IGNORECASE)

    return bounded(_PRE_TRIGGERS), bounded(_POST_TRIGGERS), bounded(_PSEUDO), bounded(_TERMINATORS)


_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(])")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """A cheap sentence window around a span, for callers that have no sentence bounds."""
    s = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        s = m.end()
    m = _SENTENCE_END.search(text, end)
    return s, (m.start() if m else len(text))


def _real_triggers(pattern: re.Pattern[str], pseudo: re.Pattern[str], text: str, lo: int, hi: int) -> list[re.Match[str]]:
    """Trigger matches within [lo, hi) that are not inside a pseudo-trigger nor "NO" (nitric oxide: prose
    never capitalizes the negation, but "NO synthase inhibitors ... neuropathic pain" is common)."""
    pseudo_spans = [(m.start(), m.end()) for m in pseudo.finditer(text, lo, hi)]
    return [
        m for m in pattern.finditer(text, lo, hi)
        if m.group() != "NO" and not any(ps <= m.start() < pe for ps, pe in pseudo_spans)
    ]


# Every trigger above contains one of these fragments: a sentence without any cannot negate anything.
_CUE = re.compile(r"no|n't|without|absen|lack|negative|free|rule|exclu|never|neither|denie|unremarkable",
                  re.IGNORECASE)


@lru_cache(maxsize=256)
def _may_negate(text: str, s_start: int, s_end: int) -> bool:
    """Whether the sentence holds any negation cue; cached because every mention of a sentence asks."""
    return _CUE.search(text, s_start, s_end) is not None


def negation_trigger(text: str, start: int, end: int, sentence: tuple[int, int] | None = None) -> str | None:
    """The trigger phrase that negates ``text[start:end]``, or None.  ``sentence`` bounds the scope."""
    pre, post, pseudo, terminators = _patterns()
    s_start, s_end = sentence or sentence_around(text, start, end)
    if not _may_negate(text, s_start, s_end):
        return None
    # pre-triggers: the closest one before the span whose scope reaches it
    for m in reversed(_real_triggers(pre, pseudo, text, s_start, start)):
        between = text[m.end():start]
        if terminators.search(between) or len(_WORD.findall(between)) > MAX_SCOPE_WORDS:
            continue
        return m.group()
    # post-triggers: the first one after the span whose scope reaches back to it
    for m in _real_triggers(post, pseudo, text, end, s_end):
        between = text[end:m.start()]
        if terminators.search(between) or len(_WORD.findall(between)) > MAX_SCOPE_WORDS:
            break
        return m.group()
    return None


def is_negated(text: str, start: int, end: int, sentence: tuple[int, int] | None = None) -> bool:
    """Whether the span ``text[start:end]`` is negated within its sentence."""
    return negation_trigger(text, start, end, sentence) is not None
