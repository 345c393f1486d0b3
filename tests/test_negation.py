"""NegEx-style negation scope (extractors.negation)."""
from __future__ import annotations

import pytest
from genelit.extractors.negation import is_negated, negation_trigger


def _negated(sentence: str, phrase: str) -> bool:
    start = sentence.index(phrase)
    return is_negated(sentence, start, start + len(phrase))


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("The proband had no hearing loss.", "hearing loss"),
        ("Both sibs developed normally without seizures.", "seizures"),
        ("He did not show microcephaly but had short stature.", "microcephaly"),
        ("She was negative for anti-GAD antibodies and ataxia.", "ataxia"),
        ("Cardiomyopathy was ruled out by echocardiography.", "Cardiomyopathy"),
        ("Hearing loss, ataxia and seizures were absent in all carriers.", "Hearing loss"),
        ("Retinal dystrophy was not observed in the father.", "Retinal dystrophy"),
        ("There was absence of hypotonia at birth.", "hypotonia"),
        ("The sibs were free of seizures.", "seizures"),
        ("He denied palpitations.", "palpitations"),
        ("Neither ataxia nor tremor was seen.", "ataxia"),
        ("Renal ultrasound and echocardiography were unremarkable.", "echocardiography"),
        ("The child didn't walk and had no speech.", "speech"),
    ],
)
def test_negated_phrases(sentence: str, phrase: str) -> None:
    assert _negated(sentence, phrase)


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("He did not show microcephaly but had short stature.", "short stature"),
        ("The proband had hearing loss and seizures.", "seizures"),
        ("There was no significant difference in seizure frequency.", "seizure frequency"),
        ("Patients with or without epilepsy were included.", "epilepsy"),
        ("No mutation was found. The boy had severe scoliosis.", "severe scoliosis"),
        ("She had absent thumbs.", "absent thumbs"),
        ("No relatives were examined; the proband had ptosis.", "ptosis"),
    ],
)
def test_affirmed_phrases(sentence: str, phrase: str) -> None:
    assert not _negated(sentence, phrase)


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [  # BioRED Train sentences whose negation is about something else than the finding
        (("Mutations in the coding region of the HNF-6 gene are not associated with Type II diabetes or with "
          "changes in insulin responses to glucose among the Caucasians examined."), "Type II diabetes"),
        ("PTPN11 mutations are not a common cause of Ollier disease or Maffucci syndrome.", "Ollier disease"),
        (("Serum testosterone concentration increased with pubertal status but was not affected by "
          "hyperprolactinemia."), "hyperprolactinemia"),
        (("Loss of endothelial cell-derived nitric oxide (NO) in hypertension is a hallmark of arterial "
          "dysfunction."), "hypertension"),  # NO is nitric oxide
        ("Mice lacking mPGES-1 are resistant to lithium-induced polyuria.", "polyuria"),  # a new clause
    ],
)
def test_negated_relations_and_other_clauses_leave_the_finding_affirmed(sentence: str, phrase: str) -> None:
    assert not _negated(sentence, phrase)


def test_scope_is_limited_to_a_few_words() -> None:
    sentence = "No family history was reported for the two unrelated children who were later diagnosed with ataxia."
    assert not _negated(sentence, "ataxia")


def test_trigger_is_reported_for_curators() -> None:
    sentence = "The child did not have cataract."
    start = sentence.index("cataract")
    assert negation_trigger(sentence, start, start + 8) == "did not have"


def test_explicit_sentence_bounds_stop_scope() -> None:
    text = "Renal agenesis was absent. Deafness was present."
    start = text.index("Deafness")
    assert not is_negated(text, start, start + 8, (27, len(text)))
