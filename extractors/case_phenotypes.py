"""The phenotypes a paper's patients have, not those of the background, the literature or other diseases.

A case report names many phenotypes: the patient's ("at 7 months he developed seizures"), the disease's
usual ones ("X is characterized by ..."), other reported patients' ("Smith et al. described ...") and a
differential diagnosis.  A curator records the first kind.  A phenotype mention counts for the patients
when its sentence is

* about a patient — a patient as subject ("the proband", "he", "patient II-3", "both siblings") or a
  presentation verb ("presented with", "was admitted", "examination revealed") — and not background
  ("characterized by", "et al.", "previously reported", "patients with X typically"), and not in a
  flattened table of many findings (tables in case reports mostly compare published patients); or
* without a cue of its own, right after such a sentence (the case description goes on: "Craniofacial
  features included a prominent forehead"); or
* in the opening of the text (title and abstract, which summarize the patients' main findings) and not
  background.

Negated mentions ("no seizures") never count (the phenotype component marks them).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from genelit.models.evidence import Phenotype
from genelit.models.mentions import Mention

_PATIENT_SUBJECT = re.compile(
    r"\b(?:he|she|his|her|him|the\s+(?:patient|proband|boy|girl|child|infant|neonate|baby|index\s+case|man|woman|subject)"
    r"|our\s+patients?|this\s+patient|(?:patient|subject|individual|case)\s+(?:\d+|[IV]+[.:-]?\d+|P\d+)|[IV]{1,3}[.:-]\d+"
    r"|(?:both|all|the|two|three|four)\s+(?:affected\s+)?(?:siblings|brothers|sisters|patients|children)"
    r"|affected\s+(?:siblings|brothers|sisters|individuals|members))\b",
    re.IGNORECASE,
)
_PRESENTATION = re.compile(
    r"\b(?:presented|presenting|admitted|referred|showed|developed|exhibited|revealed|noted|observed|complained|diagnosed|"
    r"examination|was\s+born|had|has|suffered|displayed|manifested|demonstrated|found\s+to\s+have)\b",
    re.IGNORECASE,
)
_BACKGROUND = re.compile(
    r"\b(?:characteri[sz]ed|et\s+al|literature|reported\s+(?:in|by|cases|patients)|previous(?:ly)?\s+(?:reported|described)|"
    r"previous\s+(?:cases|reports|studies|patients)|typical(?:ly)?|usually|commonly|frequently|prevalence|incidence|"
    r"other\s+(?:patients|cases)|differential|patients\s+with|individuals\s+with|cases\s+of|"
    r"is\s+an?\s+(?:rare|common|autosomal|heterogeneous)|mice|mouse|zebrafish)\b",
    re.IGNORECASE,
)
# The opening of a text: title and abstract of a full text, all of an abstract (a text this short).
OPENING_CHARS = 1500
ABSTRACT_MAX_CHARS = 4000
# A flattened table: a long "sentence" naming many phenotypes.
TABLE_MIN_CHARS = 700
TABLE_MIN_PHENOTYPES = 6
# Sentences without a cue that still continue a patient description ("Craniofacial features included ...").
CARRY_SENTENCES = 3


def sentence_kind(sentence: str) -> str:
    """``"patient"``, ``"background"`` or ``"other"`` (see the module docstring)."""
    if _BACKGROUND.search(sentence):
        return "background"
    if _PATIENT_SUBJECT.search(sentence) or _PRESENTATION.search(sentence):
        return "patient"
    return "other"


def sentence_kinds(text: str, sentences: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """Each sentence's kind; a sentence with neither cue continues the description it follows ("He was
    born at term. Craniofacial features included a prominent forehead.") for up to CARRY_SENTENCES."""
    kinds: dict[tuple[int, int], str] = {}
    last, carried = "other", 0
    for s in sentences:
        kind = sentence_kind(text[s[0] : s[1]])
        if kind == "other" and last == "patient" and carried < CARRY_SENTENCES:
            kinds[s] = "patient"
            carried += 1
            continue
        kinds[s] = kind
        if kind != "other":
            last, carried = kind, 0
    return kinds


def patient_phenotypes(text: str, phenotypes: Iterable[Mention], sentences: Sequence[tuple[int, int]]) -> list[Phenotype]:
    """The HPO phenotypes of the paper's patients, in order of first mention (see the module docstring)."""
    mentions = [m for m in phenotypes if not m.negated and (m.concept_id or "").startswith("HP:")]
    per_sentence = Counter((m.sentence_start, m.sentence_end) for m in mentions)
    kinds = sentence_kinds(text, [tuple(s) for s in sentences])
    opening = len(text) if len(text) <= ABSTRACT_MAX_CHARS else OPENING_CHARS
    seen: dict[str, Phenotype] = {}
    for m in mentions:
        sentence = (m.sentence_start, m.sentence_end)
        kind = kinds.get(sentence) or sentence_kind(text[sentence[0] : sentence[1]])
        table = sentence[1] - sentence[0] >= TABLE_MIN_CHARS and per_sentence[sentence] >= TABLE_MIN_PHENOTYPES
        about_patients = kind == "patient" and not table
        in_opening = m.start < opening and kind != "background"
        if (about_patients or in_opening) and m.concept_id not in seen:
            seen[str(m.concept_id)] = Phenotype(hpo_id=str(m.concept_id), label=m.label or m.text)
    return list(seen.values())
