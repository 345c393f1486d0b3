"""Section kinds from section titles, and text clean-up shared by the full-text readers.

Why keyword rules: section titles in biomedical papers are few and formulaic ("Case Report",
"Patients and Methods", "2.3. Clinical Description"), across JATS, BioC, PDF and plain text alike; the
kind is what drafting reads (a variant in the Case Report is the patient's, one in the Introduction was
reported by others, one in the Methods is a primer or construct).
"""
from __future__ import annotations

import re
import unicodedata

from genelit.models.article import SectionKind

# Title words -> kind, tried in this order; the earliest match in the title wins ("Results and
# Discussion" is results).  Case words come before methods: "Patients and Methods" describes the
# patients, and a variant written there is theirs.
_TITLE_WORDS: tuple[tuple[SectionKind, str], ...] = (
    (SectionKind.ABSTRACT, r"abstract|summary"),
    (SectionKind.INTRODUCTION, r"introduction|background"),
    (SectionKind.CASE, r"case|patients?|subjects?|probands?|famil(?:y|ies)|pedigrees?|clinical (?:report|description|presentation|findings|features|data)"),
    (SectionKind.METHODS, r"methods?|materials|methodology|experimental procedures"),
    (SectionKind.RESULTS, r"results?|findings"),
    (SectionKind.DISCUSSION, r"discussion"),
    (SectionKind.CONCLUSION, r"conclusions?|concluding"),
    (SectionKind.SUPPLEMENTARY, r"supplementary|supplemental|additional files?|supporting information"),
)
_TITLE_PATTERNS = [(kind, re.compile(rf"\b(?:{words})\b", re.IGNORECASE)) for kind, words in _TITLE_WORDS]

# JATS ``sec-type`` values (JATS tag library's suggested list) -> kind
SEC_TYPES: dict[str, SectionKind] = {
    "intro": SectionKind.INTRODUCTION,
    "introduction": SectionKind.INTRODUCTION,
    "background": SectionKind.INTRODUCTION,
    "methods": SectionKind.METHODS,
    "materials": SectionKind.METHODS,
    "materials|methods": SectionKind.METHODS,
    "results": SectionKind.RESULTS,
    "results|discussion": SectionKind.RESULTS,
    "discussion": SectionKind.DISCUSSION,
    "conclusions": SectionKind.CONCLUSION,
    "conclusion": SectionKind.CONCLUSION,
    "cases": SectionKind.CASE,
    "case-report": SectionKind.CASE,
    "subjects": SectionKind.CASE,
    "supplementary-material": SectionKind.SUPPLEMENTARY,
}

# Section titles whose content is not evidence: references, acknowledgements, declarations.
_SKIPPED_TITLE = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s*)?(?:references?|bibliography|literature cited|acknowledge?ments?|funding|"
    r"conflicts? of interest|competing interests?|declarations?|author(?:s'|s’)? contributions?|"
    r"abbreviations|ethics approval.*|consent for publication|availability of data.*|data availability.*|"
    r"publisher'?s note|disclosure.*|financial support)\s*$",
    re.IGNORECASE,
)

# Layout whitespace: line breaks, tabs, runs of spaces from pretty-printing or PDF lines.
_WHITESPACE = re.compile(r"\s+")


def kind_of_title(title: str | None, default: SectionKind = SectionKind.OTHER) -> SectionKind:
    """The kind a section title names, else ``default`` (the enclosing section's kind)."""
    if not title:
        return default
    best: tuple[int, SectionKind] | None = None
    for kind, pattern in _TITLE_PATTERNS:
        match = pattern.search(title)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), kind)
    return best[1] if best else default


def is_skipped_title(title: str | None) -> bool:
    """References, acknowledgements, funding, competing interests ...: left out of the full text."""
    return bool(title) and bool(_SKIPPED_TITLE.match(title or ""))


def clean(text: str) -> str:
    """Whitespace collapsed to single spaces and ligatures (ﬁ, ﬂ) spelled out, as extractors expect."""
    if any("\ufb00" <= ch <= "\ufb06" for ch in text):
        text = "".join(unicodedata.normalize("NFKC", ch) if "\ufb00" <= ch <= "\ufb06" else ch for ch in text)
    return _WHITESPACE.sub(" ", text).strip()
