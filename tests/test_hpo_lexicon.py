"""extractors.hpo lexicon building: MeSH disease names, derived adjectives, bag words, the corpus gazetteer."""
from __future__ import annotations

from extractors import hpo
from extractors.pubtator import Annotation, PubTatorDoc


def test_derived_adjectives_follow_latin_and_english_stems() -> None:
    assert "intestinal" in hpo.derived_adjectives("intestine")
    assert "clavicular" in hpo.derived_adjectives("clavicle")
    assert "duodenal" in hpo.derived_adjectives("duodenum")
    assert "limbic" not in hpo.derived_adjectives("limb")  # a bare 4-letter stem over-generates


def test_lexicon_maps_derived_adjectives_to_their_anatomy_noun() -> None:
    adjectives = hpo.load_lexicon().adjective_nouns
    assert adjectives["intestinal"] == "intestine"
    assert adjectives["clavicular"] == "clavicle"
    assert adjectives["renal"] == "kidney"  # learned from HPO synonyms, not overridden
    assert "limbic" not in adjectives


def test_coordinators_are_not_bag_words() -> None:
    bag_words = hpo.load_lexicon().bag_words
    assert "or" not in bag_words and "and" not in bag_words


def test_mesh_disease_names_keep_their_tree_number() -> None:
    rows = {name: (heading, tree) for name, heading, tree in hpo.read_mesh_diseases()}
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
    rows = hpo.corpus_gazetteer(docs, hpo.load_lexicon())
    assert ("add", "diabetes", "MESH:D003924", "diabetes") in rows


def _matches(text: str, nested: bool = False) -> dict[str, tuple[str, str]]:
    """matched phrase -> (concept id, how), over the compiled lexicon."""
    tokens = hpo.tokenize(text)
    return {
        text[tokens[m.first][0]:tokens[m.last - 1][1]]: (m.entry.concept.concept_id, m.how)
        for m in hpo.find_matches(tokens, hpo.load_lexicon(), nested)
    }


def test_latin_plurals_fold_to_their_singular() -> None:
    assert hpo.normalize_word("nevi") == hpo.normalize_word("naevi") == "nevus"
    assert hpo.normalize_word("emboli") == "embolus"
    assert hpo.normalize_word("fistulae") == "fistula"
    assert hpo.normalize_word("vertebrae") == "vertebra"
    assert hpo.normalize_word("typhi") == "typhi"  # "Salmonella typhi" is no typhus


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
    lexicon = hpo.load_lexicon()
    assert hpo.is_a("HP:0100279", "HP:0002583", lexicon)  # Ulcerative colitis is a Colitis
    assert not hpo.is_a("HP:0002583", "HP:0100279", lexicon)
    assert _matches("Two sibs had ulcerative colitis.", nested=True)["colitis"] == ("HP:0002583", "nested")
    # HPO files Basal cell carcinoma under skin neoplasms, not under Carcinoma: "carcinoma" is part of its name
    assert "carcinomas" not in _matches("Biopsies showed basal cell carcinomas.", nested=True)
