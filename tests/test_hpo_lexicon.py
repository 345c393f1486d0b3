"""extractors.hpo_lexicon building: MeSH disease names, derived adjectives, bag words, the corpus gazetteer."""
from __future__ import annotations

import pytest
from genelit.extractors import (
    hpo_bags,
    hpo_lexicon,
    hpo_matching,
    hpo_sources,
    hpo_tokens,
)
from genelit.extractors.pubtator import Annotation, PubTatorDoc

from training import learn_disease_gazetteer


def test_derived_adjectives_follow_latin_and_english_stems() -> None:
    assert "intestinal" in hpo_bags.derived_adjectives("intestine")
    assert "clavicular" in hpo_bags.derived_adjectives("clavicle")
    assert "duodenal" in hpo_bags.derived_adjectives("duodenum")
    assert "limbic" not in hpo_bags.derived_adjectives("limb")  # a bare 4-letter stem over-generates


def test_lexicon_maps_derived_adjectives_to_their_anatomy_noun() -> None:
    adjectives = hpo_lexicon.load_lexicon().adjective_nouns
    assert adjectives["intestinal"] == "intestine"
    assert adjectives["clavicular"] == "clavicle"
    assert adjectives["renal"] == "kidney"  # learned from HPO synonyms, not overridden
    assert "limbic" not in adjectives


def test_coordinators_are_not_bag_words() -> None:
    bag_words = hpo_lexicon.load_lexicon().bag_words
    assert "or" not in bag_words and "and" not in bag_words


def test_mesh_disease_names_keep_their_tree_number() -> None:
    rows = {name: (heading, tree) for name, heading, tree in hpo_sources.read_mesh_diseases()}
    heading, tree = rows["hemorrhagic cystitis"]
    assert heading == "Cystitis, Hemorrhagic" and tree.startswith("C12.")
    assert "disease susceptibility" not in rows  # C23.550.291 Disease Attributes
    assert "uniparental disomy" not in rows  # C23.550.210 Chromosome Aberrations
    assert not any("," in name for name in rows)  # inverted headings ("Cystitis, Hemorrhagic") are labels only


def _doc(pmid: str, text: str, gold: list[str]) -> PubTatorDoc:
    """A one-title document whose gold disease spans are the listed phrases (first occurrence each)."""
    annotations, start = [], 0
    for phrase in gold:
        start = text.index(phrase, start)
        annotations.append(Annotation(pmid, start, start + len(phrase), phrase, "DiseaseOrPhenotypicFeature", "D003924"))
        start += len(phrase)
    return PubTatorDoc(pmid, text, "", annotations)


def test_gazetteer_ignores_occurrences_inside_longer_gold_spans() -> None:
    docs = [  # BioRED Train spellings: "diabetes" alone is annotated; inside "type 2 diabetes" it is not on its own
        _doc("1", "Risk of type 2 diabetes in women.", ["type 2 diabetes"]),
        _doc("2", "Carriers had type 2 diabetes and obesity.", ["type 2 diabetes"]),
        _doc("3", "Women with diabetes were followed.", ["diabetes"]),
    ]
    rows = learn_disease_gazetteer.corpus_gazetteer(docs, hpo_lexicon.load_lexicon())
    assert ("add", "diabetes", "MESH:D003924", "diabetes") in rows


def _matches(text: str, nested: bool = False) -> dict[str, tuple[str, str]]:
    """matched phrase -> (concept id, how), over the compiled lexicon."""
    tokens = hpo_tokens.tokenize(text)
    return {
        text[tokens[m.first][0]:tokens[m.last - 1][1]]: (m.entry.concept.concept_id, m.how)
        for m in hpo_matching.find_matches(tokens, hpo_lexicon.load_lexicon(), nested)
    }


def test_latin_plurals_fold_to_their_singular() -> None:
    assert hpo_tokens.normalize_word("nevi") == hpo_tokens.normalize_word("naevi") == "nevus"
    assert hpo_tokens.normalize_word("emboli") == "embolus"
    assert hpo_tokens.normalize_word("fistulae") == "fistula"
    assert hpo_tokens.normalize_word("vertebrae") == "vertebra"
    assert hpo_tokens.normalize_word("typhi") == "typhi"  # "Salmonella typhi" is no typhus


def test_multiple_and_numerous_are_one_bag_word_and_nest_nothing() -> None:
    found = _matches("Physical examination revealed multiple nevi, jaw cysts.", nested=True)
    assert found["multiple nevi"] == ("HP:0001054", "bag")  # Numerous nevi
    assert "nevi" not in found  # a quantifier makes no second finding


def test_fine_bag_keeps_the_abnormality_word() -> None:
    # "Renal malformation" is a synonym of Abnormal renal morphology, "Renal anomaly" of Abnormality of the kidney
    assert _matches("patients with malformations of the kidney")["malformations of the kidney"][0] == "HP:0012210"
    assert _matches("patients with renal anomalies")["renal anomalies"][0] == "HP:0000077"


def test_a_key_shared_by_two_terms_goes_to_the_more_general() -> None:
    # "Ear anomalies" names Abnormality of the outer ear; "ear anomaly" Abnormality of the ear, its parent
    assert _matches("Ear anomalies were found in two sibs.")["Ear anomalies"][0] == "HP:0000598"


def test_a_coordinated_complement_takes_the_second_conjuncts_concept() -> None:
    found = _matches("not distinct except for hypopigmentation of skin or hair.", nested=True)
    assert found["hypopigmentation of skin or hair"] == ("HP:0005599", "coordination")  # Hypopigmentation of hair
    assert found["hypopigmentation of skin"][0] == "HP:0001010"  # the contiguous conjunct keeps its own


def test_a_nested_head_must_be_what_hpo_files_the_whole_under() -> None:
    lexicon = hpo_lexicon.load_lexicon()
    assert hpo_matching.is_a("HP:0100279", "HP:0002583", lexicon)  # Ulcerative colitis is a Colitis
    assert not hpo_matching.is_a("HP:0002583", "HP:0100279", lexicon)
    assert _matches("Two sibs had ulcerative colitis.", nested=True)["colitis"] == ("HP:0002583", "nested")
    # HPO files Basal cell carcinoma under skin neoplasms, not under Carcinoma: "carcinoma" is part of its name
    assert "carcinomas" not in _matches("Biopsies showed basal cell carcinomas.", nested=True)


def test_standard_medical_adjectives_fill_what_hpo_synonyms_do_not_teach() -> None:
    adjectives = hpo_lexicon.load_lexicon().adjective_nouns
    assert adjectives["otic"] == adjectives["aural"] == "ear"
    assert adjectives["articular"] == "joint"
    assert adjectives["ophthalmic"] == "eye"
    assert adjectives["auditory"] == "hearing"  # the sense: "auditory impairment" is a hearing impairment
    assert adjectives["ocular"] == "eye" and adjectives["cutaneous"] == "skin"  # learned ones stay


@pytest.mark.parametrize(
    ("text", "phrase", "hpo_id"),
    [
        ("Both sibs had otic anomalies.", "otic anomalies", "HP:0000598"),  # Ear anomaly
        ("Articular manifestations were mild.", "Articular manifestations", "HP:0001367"),  # Abnormality of the joints
        ("No ophthalmic abnormalities were noted.", "ophthalmic abnormalities", "HP:0000478"),  # Abnormal eye
        ("Auditory manifestations began early.", "Auditory manifestations", "HP:0000364"),  # Hearing abnormality
    ],
)
def test_medical_adjectives_meet_their_hpo_terms(text: str, phrase: str, hpo_id: str) -> None:
    assert _matches(text)[phrase][0] == hpo_id


def test_a_list_of_organ_adjectives_coordinates_over_them_all() -> None:
    text = "The patients had cardiac, otic and articular anomalies."
    assert _matches(text)["cardiac, otic and articular anomalies"] == ("HP:0001627", "coordination")
    found = _matches(text, nested=True)
    assert found["otic and articular anomalies"][0] == "HP:0000598"
    assert found["articular anomalies"][0] == "HP:0001367"


def test_a_lesion_is_localized_by_definition() -> None:
    assert "skin lesion" in hpo_lexicon._variants("Localized skin lesion")
    assert hpo_lexicon._variants("Localized hirsutism") == ["Localized hirsutism"]  # only lesions imply "localized"
    # BioRED Train PMID 17065198
    assert _matches("We have analyzed skin lesions from RTRs.")["skin lesions"][0] == "HP:0011355"


def test_an_organ_adjective_locates_a_lesion_type_hpo_has_no_term_for() -> None:
    assert hpo_matching.is_lesion_type("HP:0200034", hpo_lexicon.load_lexicon())  # Papule, under Localized skin lesion
    assert not hpo_matching.is_lesion_type("HP:0002583", hpo_lexicon.load_lexicon())  # Colitis
    found = _matches("Examination showed oral papules and lingual macules.")
    assert found["oral papules"] == ("HP:0000153", "located")  # Abnormality of the mouth
    assert found["lingual macules"] == ("HP:0000157", "located")  # Abnormality of the tongue
    # skin papules are papules: the mention widens and keeps the lesion's own term
    assert _matches("He had cutaneous macules.")["cutaneous macules"] == ("HP:0012733", "located")  # Macule
    assert _matches("Pulmonary nodules were seen.")["Pulmonary nodules"][0] == "HP:0033608"  # HPO's own term


def test_a_lesion_type_is_not_nested_in_a_longer_phenotype() -> None:
    found = _matches("Six patients had cafe-au-lait macules and ulcerative colitis.", nested=True)
    assert found["cafe-au-lait macules"][0] == "HP:0000957"
    assert "macules" not in found
    assert found["colitis"][0] == "HP:0002583"  # a disorder nested in a kind of it still is


def test_an_order_free_window_never_repeats_a_word() -> None:
    assert "abnormal cell-cell" not in _matches("It leads to abnormal cell-cell contacts.")


def test_signs_and_symptoms_of_an_organ_are_its_abnormality_only_for_hpo_recognition() -> None:
    # BioRED Train (PMID 19508969) leaves "neurological signs" unannotated; HPO concept recognition does not
    text = "Patients were without neurological signs. Others had cutaneous symptoms."
    assert "neurological signs" not in _matches(text)
    found = _matches(text, nested=True)
    assert found["neurological signs"][0] == "HP:0000707"  # Neurological abnormality
    assert found["cutaneous symptoms"][0] == "HP:0000951"  # Abnormality of the skin
    assert _matches("The molar tooth sign was seen.", nested=True)["molar tooth sign"][0] == "HP:0002419"


def test_an_abnormal_shape_is_the_abnormal_morphology() -> None:
    # hp.obo: "Abnormal shape of joints" = Abnormal joint morphology, "Abnormally shaped ears" = ... pinna morphology
    assert _matches("She had abnormal clavicular shape.")["abnormal clavicular shape"][0] == "HP:0000889"
    assert _matches("X-rays showed an abnormal shape of the clavicle.")["abnormal shape of the clavicle"][0] == "HP:0000889"
    assert _matches("He had abnormally shaped clavicles.")["abnormally shaped clavicles"][0] == "HP:0000889"
    # a shape is no abnormality by itself
    assert _matches("The skull shape was measured.") == {}
    assert _matches("Normally shaped clavicles were seen.") == {}
